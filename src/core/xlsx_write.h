/*
 * xlsx_write: a workbook written from cells, for the sheets people download (import templates,
 * exports of the register, the rows an import refused). Every cell is text (so 0571 and
 * 00:1a:2b:… stay as written), inline in the sheet; styles: bold header with a fill, wrapped
 * text. Sheets may be hidden, columns given widths, the top rows frozen, and a column given a
 * drop-down list of values from a range. Text that is not valid UTF-8, or a character XML 1.0
 * cannot hold (control characters but tab and newline), is written as U+FFFD.
 */
#ifndef ZW_CORE_XLSX_WRITE_H
#define ZW_CORE_XLSX_WRITE_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"

enum { XLSX_BOLD = 1, XLSX_WRAP = 2, XLSX_HEAD = 4 };

#define XLSX_MAX_SHEETS 16

struct xlsx_book;
struct xlsx_book *xlsx_book_new(void);
/* The sheet's index. A name is cut to 31 characters, []:*?/\ become _, and a name taken gets
 * a number. */
int xlsx_sheet_add(struct xlsx_book *b, const char *name, bool hidden);
/* Cells 0-based; a cell set twice keeps the last text. */
void xlsx_cell(struct xlsx_book *b, int sheet, unsigned row, unsigned col, const char *utf8,
               unsigned style);
void xlsx_col_width(struct xlsx_book *b, int sheet, unsigned col, double chars);
void xlsx_freeze_rows(struct xlsx_book *b, int sheet, unsigned rows);
/* A drop-down list on col, rows first..last (0-based), its values the range formula
 * ("选项!$A$1:$A$7"). */
void xlsx_list_validation(struct xlsx_book *b, int sheet, unsigned col, unsigned first,
                          unsigned last, const char *formula);
/* The column's letters ("A", "AB") for 0-based col. */
void xlsx_col_name(unsigned col, char out[8]);
/* The workbook into out, whole: 413 when a member (at most 1 GiB of XML) or the workbook would
 * pass its maximum. */
int xlsx_book_write(struct xlsx_book *b, struct buf *out, struct zw_err *err);
void xlsx_book_free(struct xlsx_book *b);

#endif
