/*
 * xlsx: the first worksheet of an Office Open XML workbook as rows of text, with the same
 * callback as csv.h, so imports read either. Shared strings, inline strings, numbers and
 * booleans are read; a cell's column letter places it (gaps are empty). Bounded against
 * hostile files: the archive's members are size-checked before they are inflated, and a
 * document type declaration (the door to entity expansion) is refused.
 */
#ifndef ZW_CORE_XLSX_H
#define ZW_CORE_XLSX_H

#include <stddef.h>

#include "core/csv.h"
#include "core/err.h"

#define XLSX_MAX_MEMBER (64u << 20)

int xlsx_parse(const void *data, size_t len, csv_row_fn fn, void *ctx, struct zw_err *err);

#endif
