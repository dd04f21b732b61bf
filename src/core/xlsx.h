/*
 * xlsx: a worksheet of an Office Open XML workbook as rows of text, with the same
 * callback as csv.h, so imports read either. Shared strings, inline strings, numbers and
 * booleans are read; a cell's column letter places it (gaps are empty). Bounded against
 * hostile files: each member is inflated in chunks straight into the XML parser, never whole;
 * before that its expanded size is checked against an absolute cap and against its compressed
 * size (a zip bomb inflates a few hundred KB into gigabytes of identical rows), and it is
 * counted while inflating. A document type declaration (the door to entity expansion) is
 * refused, and so is a row number or shared-string index that is not a whole number in range.
 * How many rows a caller takes is the caller's to bound (the row callback may stop).
 */
#ifndef ZW_CORE_XLSX_H
#define ZW_CORE_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/csv.h"
#include "core/err.h"

#define XLSX_MAX_MEMBER  (64u << 20) /* default expanded size of one member */
#define XLSX_MAX_RATIO   100u        /* default expanded / compressed size */
#define XLSX_RATIO_FLOOR (1u << 20)  /* members this small may have any ratio */
#define XLSX_CHUNK       (64u << 10)

struct xlsx_limits {
	uint64_t max_member; /* bytes one member may expand to */
	unsigned max_ratio;  /* a member above XLSX_RATIO_FLOOR must stay below this ratio */
};

/* limits: NULL for the defaults. A refusal fills err with field "file" (ZW_ETOOLARGE for a
 * member over the limits, naming it). */
int xlsx_parse(const void *data, size_t len, const struct xlsx_limits *limits, csv_row_fn fn,
               void *ctx, struct zw_err *err);

/* The workbook's sheets in its own order; hidden: state "hidden" or "veryHidden". */
struct xlsx_sheet_info {
	char *name;
	bool hidden;
};
int xlsx_sheets(const void *data, size_t len, const struct xlsx_limits *limits,
                struct xlsx_sheet_info **out, size_t *n, struct zw_err *err);
void xlsx_sheets_free(struct xlsx_sheet_info *v, size_t n);

/* A merged range: rows as the sheet numbers them, columns from 0, both ends included. */
struct xlsx_merge {
	int r1, r2;
	unsigned c1, c2;
};
/* Sheet number `sheet` of xlsx_sheets' order, with its merged ranges into *merges (caller
 * frees; merges NULL: not wanted). A number whose cell style is a date format is given as
 * YYYY-MM-DD (and " HH:MM" when the format has a time); a whole number written with a
 * fraction or an exponent ("100.0", "1.38E10") without them. xlsx_parse is sheet 0. */
int xlsx_parse_sheet(const void *data, size_t len, const struct xlsx_limits *limits, size_t sheet,
                     csv_row_fn fn, void *ctx, struct xlsx_merge **merges, size_t *nmerges,
                     struct zw_err *err);

#endif
