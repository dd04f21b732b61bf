#include "doc/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* ---- building ---- */

void doc_init(struct doc *d, const char *title)
{
	memset(d, 0, sizeof(*d));
	d->title = xstrdup(title ? title : "");
}

static void table_free(struct doc_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncells; i++) {
		free(t->cells[i].text);
		free(t->cells[i].foot);
	}
	free(t->cells);
	free(t);
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].text);
		table_free(d->v[i].table);
	}
	free(d->v);
	free(d->title);
	free(d->footer);
	memset(d, 0, sizeof(*d));
}

void doc_set_footer(struct doc *d, const char *text)
{
	free(d->footer);
	d->footer = text ? xstrdup(text) : NULL;
}

static struct doc_block *push(struct doc *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	struct doc_block *b = &d->v[d->n++];
	memset(b, 0, sizeof(*b));
	return b;
}

void doc_add(struct doc *d, enum doc_type type, unsigned flags, const char *text)
{
	struct doc_block *b = push(d);
	b->type = type;
	b->flags = flags;
	b->text = xstrdup(text ? text : "");
}

void doc_addf(struct doc *d, enum doc_type type, unsigned flags, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	doc_add(d, type, flags, s);
	free(s);
}

struct doc_table *doc_table(struct doc *d, int ncols, const int *widths)
{
	if (ncols < 1 || ncols > DOC_MAX_COLS) {
		d->broken = 1;
		return NULL;
	}
	struct doc_table *t = xcalloc(1, sizeof(*t));
	struct doc_block *b = push(d);
	b->type = DOC_TABLE;
	b->table = t;
	t->ncols = ncols;
	for (int i = 0; i < ncols; i++)
		t->widths[i] = widths[i];
	return t;
}

struct doc_cell *doc_cell(struct doc *d, struct doc_table *t, int row, int col, int rowspan,
                          int colspan, unsigned flags, const char *text)
{
	if (!t)
		return NULL;
	if (col < 0 || colspan < 1 || rowspan < 1 || col + colspan > t->ncols || row < 0) {
		d->broken = 1; /* a builder's mistake: refuse to render rather than draw garbage */
		return NULL;
	}
	if (t->ncells == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells, t->cap, sizeof(*t->cells));
	}
	/* keep (row, col) order: a group label down the first column is often added after the
	 * rows it spans */
	size_t at = t->ncells;
	while (at > 0 && (t->cells[at - 1].row > row ||
	                  (t->cells[at - 1].row == row && t->cells[at - 1].col > col)))
		at--;
	memmove(&t->cells[at + 1], &t->cells[at], (t->ncells - at) * sizeof(*t->cells));
	t->ncells++;
	struct doc_cell *c = &t->cells[at];
	memset(c, 0, sizeof(*c));
	c->row = row;
	c->col = col;
	c->rowspan = rowspan;
	c->colspan = colspan;
	c->flags = flags;
	c->text = xstrdup(text ? text : "");
	if (row + rowspan > t->nrows)
		t->nrows = row + rowspan;
	return c;
}

void doc_cell_foot(struct doc *d, struct doc_cell *c, const char *foot)
{
	if (!c)
		return;
	free(c->foot);
	c->foot = xstrdup(foot ? foot : "");
}

/* ---- HTML ---- */

int html_text(struct buf *b, const char *s)
{
	int rc = 0;
	const char *run = s;
	for (const char *p = s; *p; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '&':
			rep = "&amp;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		rc |= buf_append(b, run, (size_t)(p - run)) | buf_puts(b, rep);
		run = p + 1;
	}
	return rc | buf_puts(b, run);
}

/* Text with its line breaks as <br>. */
static int html_lines(struct buf *b, const char *s)
{
	int rc = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		if (!nl)
			return rc | html_text(b, s);
		char *line = xstrndup(s, (size_t)(nl - s));
		rc |= html_text(b, line) | buf_puts(b, "<br>");
		free(line);
		s = nl + 1;
	}
}

static const char css[] =
    "@page{size:A4;margin:30mm 26mm 28mm 28mm}"
    "body{font-family:'Noto Serif CJK SC','Source Han Serif SC','SimSun',serif;font-size:12pt;"
    "line-height:1.6;color:#000;background:#fff;max-width:170mm;margin:2em auto;padding:0 1em}"
    ".caption{font-family:'Noto Sans CJK SC','SimHei',sans-serif;font-weight:bold;margin:0}"
    "h1{font-family:'Noto Sans CJK SC','SimHei',sans-serif;font-size:18pt;text-align:center;"
    "margin:.6em 0 .8em}"
    ".meta{text-align:right;color:#444;font-size:9pt;margin:0 0 .4em}"
    "p{margin:.2em 0}p.indent{text-indent:2em}p.bold{font-weight:bold}"
    "p.center{text-align:center}p.right{text-align:right}"
    ".pair{display:flex}.pair>span{flex:1 1 50%}"
    "table{border-collapse:collapse;width:100%;margin:.4em 0;font-size:11pt;"
    "table-layout:fixed}"
    "td{border:1px solid #000;padding:.3em .5em;vertical-align:top;white-space:normal;"
    "overflow-wrap:anywhere}"
    "td.label{background:#f2f2f2;text-align:center;vertical-align:middle}"
    "td .foot{text-align:right;margin-top:.3em}"
    ".sign{text-align:right;margin-top:1.5em}"
    ".note{font-size:9pt;color:#333}"
    ".footer{font-size:8pt;color:#666;border-top:1px solid #ccc;margin-top:2em;padding-top:.3em}"
    "@media print{body{margin:0;max-width:none;padding:0}"
    "tr{break-inside:avoid}td.label{background:#f2f2f2;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}";

static int html_table(struct buf *b, const struct doc_table *t)
{
	int rc = buf_puts(b, "<table><colgroup>");
	for (int i = 0; i < t->ncols; i++)
		rc |= buf_printf(b, "<col style=\"width:%d%%\">", t->widths[i]);
	rc |= buf_puts(b, "</colgroup>\n");
	size_t k = 0;
	for (int r = 0; r < t->nrows; r++) {
		rc |= buf_puts(b, "<tr>");
		for (; k < t->ncells && t->cells[k].row == r; k++) {
			const struct doc_cell *c = &t->cells[k];
			rc |= buf_puts(b, "<td");
			if (c->rowspan > 1)
				rc |= buf_printf(b, " rowspan=\"%d\"", c->rowspan);
			if (c->colspan > 1)
				rc |= buf_printf(b, " colspan=\"%d\"", c->colspan);
			if (c->flags & DOC_LABEL)
				rc |= buf_puts(b, " class=\"label\"");
			if (c->min_lines > 0)
				rc |= buf_printf(b, " style=\"height:%.1fem\"", c->min_lines * 1.6);
			rc |= buf_puts(b, ">") | html_lines(b, c->text);
			if (c->foot)
				rc |= buf_puts(b, "<div class=\"foot\">") | html_lines(b, c->foot) |
				      buf_puts(b, "</div>");
			rc |= buf_puts(b, "</td>");
		}
		rc |= buf_puts(b, "</tr>\n");
	}
	return rc | buf_puts(b, "</table>\n");
}

static int html_para(struct buf *b, const struct doc_block *k)
{
	char cls[64] = "";
	if (k->flags & DOC_INDENT)
		strcat(cls, " indent");
	if (k->flags & DOC_BOLD)
		strcat(cls, " bold");
	if (k->flags & DOC_CENTER)
		strcat(cls, " center");
	if (k->flags & DOC_RIGHT)
		strcat(cls, " right");
	int rc = cls[0] ? buf_printf(b, "<p class=\"%s\">", cls + 1) : buf_puts(b, "<p>");
	return rc | html_lines(b, k->text) | buf_puts(b, "</p>\n");
}

int doc_html(const struct doc *d, struct buf *out)
{
	if (d->broken)
		return -1;
	int rc =
	    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                  "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	rc |= html_text(out, d->title) | buf_puts(out, "</title><style>") | buf_puts(out, css);
	rc |= buf_puts(out, "</style></head><body>\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct doc_block *k = &d->v[i];
		const char *tab;
		switch (k->type) {
		case DOC_CAPTION:
			rc |= buf_puts(out, "<p class=\"caption\">") | html_text(out, k->text) |
			      buf_puts(out, "</p>\n");
			break;
		case DOC_TITLE:
			rc |= buf_puts(out, "<h1>") | html_text(out, k->text) |
			      buf_puts(out, "</h1>\n");
			break;
		case DOC_META:
			rc |= buf_puts(out, "<p class=\"meta\">") | html_lines(out, k->text) |
			      buf_puts(out, "</p>\n");
			break;
		case DOC_PARA:
			rc |= html_para(out, k);
			break;
		case DOC_PAIR:
			tab = strchr(k->text, '\t');
			rc |= buf_puts(out, "<div class=\"pair\"><span>");
			if (tab) {
				char *left = xstrndup(k->text, (size_t)(tab - k->text));
				rc |= html_text(out, left) | buf_puts(out, "</span><span>") |
				      html_text(out, tab + 1);
				free(left);
			} else {
				rc |= html_text(out, k->text) | buf_puts(out, "</span><span>");
			}
			rc |= buf_puts(out, "</span></div>\n");
			break;
		case DOC_TABLE:
			rc |= html_table(out, k->table);
			break;
		case DOC_SIGN:
			rc |= buf_puts(out, "<p class=\"sign\">") | html_lines(out, k->text) |
			      buf_puts(out, "</p>\n");
			break;
		case DOC_NOTE:
			rc |= buf_puts(out, "<p class=\"note\">") | html_lines(out, k->text) |
			      buf_puts(out, "</p>\n");
			break;
		}
	}
	if (d->footer)
		rc |= buf_puts(out, "<p class=\"footer\">") | html_text(out, d->footer) |
		      buf_puts(out, "</p>\n");
	return rc | buf_puts(out, "</body></html>\n");
}
