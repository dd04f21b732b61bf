/*
 * csv: RFC 4180 text as rows of fields, for spreadsheet imports. Quoted fields may hold
 * commas, quotes ("") and line breaks; CRLF and LF both end a record; a UTF-8 byte-order
 * mark is skipped. Bounded: at most CSV_MAX_FIELDS fields of CSV_MAX_FIELD bytes each. The
 * callback gets the 1-based line on which the record starts.
 */
#ifndef ZW_CORE_CSV_H
#define ZW_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#include "core/err.h"

#define CSV_MAX_FIELDS 256
#define CSV_MAX_FIELD  65536

/* Return non-zero from fn to stop (csv_parse then returns that value). */
typedef int (*csv_row_fn)(int line, char **fields, size_t n, void *ctx);

int csv_parse(const char *text, size_t len, csv_row_fn fn, void *ctx, struct zw_err *err);

/* Append s to b as one CSV field (after a comma unless first): quoted when it holds a comma,
 * a quote or a line break; a text a spreadsheet would run as a formula (= + - @ first) is
 * kept as text. -1 when b passed its maximum. */
int csv_cell(struct buf *b, const char *s, bool first);

#endif
