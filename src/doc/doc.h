/*
 * doc: a printable document (an application form, an agreement, a notice) as a list of
 * blocks, and its two renderings: an HTML page with print CSS (doc_html, doc.c) and an A4 PDF
 * drawn with cairo and pango in the Noto CJK fonts of Debian's fonts-noto-cjk (doc_pdf,
 * pdf.c). Builders (domain/paper.c) fill a doc from the registry; the renderers never look at
 * the data behind it, so what the HTML page shows and what the PDF prints are the same text.
 *
 * Blocks, in reading order:
 *   DOC_CAPTION  a small bold line at the top left ("附件1")
 *   DOC_TITLE    the centred title
 *   DOC_META     a small grey line, right aligned (编号, 状态)
 *   DOC_PARA     body text; "\n" breaks lines; DOC_INDENT indents the first line by two
 *                characters, DOC_BOLD, DOC_CENTER, DOC_RIGHT as named
 *   DOC_PAIR     two texts side by side, the left at 0, the right at half the width
 *                ("甲方：…" / "乙方：…"); text is "left\tright"
 *   DOC_TABLE    a ruled grid (the forms of TB 附件1/附件2)
 *   DOC_SIGN     right-aligned lines (the issuer and the date under a notice)
 *   DOC_NOTE     small text (备注, the clause a document rests on)
 *
 * A table has up to DOC_MAX_COLS columns whose widths are percentages of the text width and
 * cells placed on (row, col) with row and column spans. A cell has its text (top left, or
 * centred for a DOC_LABEL cell, which is also shaded) and optionally a foot, printed right
 * aligned at the bottom of the cell (the "年 月 日" line of the opinion boxes), and a minimum
 * height in lines. Cells may be arbitrarily long: the PDF splits a row across pages line by
 * line when it does not fit on one page, and keeps rows tied by a row span together when they
 * fit on one page.
 *
 * Building never fails for memory (core/xalloc.h). A builder's mistake (a table of no or too
 * many columns, a cell outside its table) is remembered (broken) and the renderers then
 * return -1 rather than draw garbage.
 */
#ifndef ZW_DOC_DOC_H
#define ZW_DOC_DOC_H

#include <stddef.h>

#include "core/buf.h"

enum doc_type {
	DOC_CAPTION,
	DOC_TITLE,
	DOC_META,
	DOC_PARA,
	DOC_PAIR,
	DOC_TABLE,
	DOC_SIGN,
	DOC_NOTE
};

#define DOC_BOLD   1u
#define DOC_INDENT 2u
#define DOC_CENTER 4u
#define DOC_RIGHT  8u
#define DOC_LABEL  16u /* table cell: shaded and centred */

#define DOC_MAX_COLS 8

struct doc_cell {
	char *text, *foot; /* foot may be NULL */
	int row, col, rowspan, colspan;
	int min_lines; /* minimum height in lines of body text, 0 for none */
	unsigned flags;
};

struct doc_table {
	int ncols, nrows;
	int widths[DOC_MAX_COLS]; /* percent of the text width; they add up to 100 */
	struct doc_cell *cells;   /* kept in (row, col) order */
	size_t ncells, cap;
};

struct doc_block {
	enum doc_type type;
	unsigned flags;
	char *text;              /* every type but DOC_TABLE */
	struct doc_table *table; /* DOC_TABLE */
};

struct doc {
	char *title;  /* the HTML <title> and the PDF's metadata */
	char *footer; /* printed small at the foot of every page, NULL for none */
	struct doc_block *v;
	size_t n, cap;
	int broken;
};

void doc_init(struct doc *d, const char *title);
void doc_free(struct doc *d);
void doc_set_footer(struct doc *d, const char *text);
void doc_add(struct doc *d, enum doc_type type, unsigned flags, const char *text);
void doc_addf(struct doc *d, enum doc_type type, unsigned flags, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A new table of ncols columns with the given widths (percent), appended to the document;
 * NULL after an allocation failure (doc_cell accepts NULL and does nothing). */
struct doc_table *doc_table(struct doc *d, int ncols, const int *widths);
/* A cell; returns it so that foot and min_lines can be set (until the next cell is added), or
 * NULL. Cells may be added in any order; the table keeps them in (row, col) order. */
struct doc_cell *doc_cell(struct doc *d, struct doc_table *t, int row, int col, int rowspan,
                          int colspan, unsigned flags, const char *text);
void doc_cell_foot(struct doc *d, struct doc_cell *c, const char *foot);

/* The document as one HTML page (UTF-8, print CSS for A4). */
int doc_html(const struct doc *d, struct buf *out);
/* The document as an A4 PDF. */
int doc_pdf(const struct doc *d, struct buf *out);
/* Release what cairo, pango and fontconfig keep between PDFs (the calling thread's font map,
 * cairo's font and pattern caches, fontconfig's configuration and cache). Only at process exit,
 * once no other thread renders: the caches are shared. Other threads' font maps go with their
 * threads. */
void doc_pdf_exit(void);
/* Append s to b with <, >, &, " and ' escaped. */
int html_text(struct buf *b, const char *s);

#endif
