/*
 * doc_pdf: the document drawn on A4 pages with cairo and pango.
 *
 * Pagination. Blocks flow down from the top margin. A text block is laid out by pango once and
 * drawn line by line at the lines' baselines; a new page starts when the next line does not
 * fit. A table (and a DOC_PAIR, which is a borderless table of two columns) is laid out first:
 * every cell at its width, every row as tall as its tallest cell. It is then cut into
 * segments, one per row and page: rows tied together by row spans move to a new page together
 * when they fit on one, so does a single row, and a row taller than a page is split between
 * the lines of its cells (each cell shows the lines that fit, the foot goes to the last
 * segment). A cell spanning rows gets a box on each page its rows reach and its text on the
 * first with room for it. Only then are the segments drawn, page by page, since cairo cannot go
 * back to a page it has shown. The whole document is rendered twice: a dry pass that only counts
 * the pages, so that every footer can say "第 N 页 共 M 页", and the pass that draws.
 */
#include "doc/doc.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define MM       (72.0 / 25.4)
#define PAGE_W   595.276
#define PAGE_H   841.89
#define LEFT     (28 * MM)
#define TEXT_W   (PAGE_W - LEFT - 26 * MM)
#define TOP      (30 * MM)
#define BOTTOM   (PAGE_H - 28 * MM)
#define FOOTER_Y (BOTTOM + 14) /* the rule above the footer */
#define EPS      0.01          /* slack in comparisons of lengths, in points */
#define RULE     0.6           /* width of table lines */
#define PAD      4.0           /* table cell padding */
#define FOOT_GAP 3.3           /* between a cell's text and its foot */

enum font { F_CAPTION, F_TITLE, F_BODY, F_BOLD, F_TABLE, F_SMALL, F_FOOTER, F_COUNT };

static const char *const font_spec[F_COUNT] = {
    [F_CAPTION] = "Noto Sans CJK SC,sans-serif Bold 12",
    [F_TITLE] = "Noto Sans CJK SC,sans-serif Bold 18",
    [F_BODY] = "Noto Serif CJK SC,serif 12",
    [F_BOLD] = "Noto Serif CJK SC,serif Bold 12",
    [F_TABLE] = "Noto Serif CJK SC,serif 11",
    [F_SMALL] = "Noto Serif CJK SC,serif 9",
    [F_FOOTER] = "Noto Serif CJK SC,serif 8",
};

struct pdf {
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *font[F_COUNT];
	const char *footer;
	double body_line; /* height of a line of body text */
	double y;         /* top of the free space on the current page */
	double gap;       /* space owed below the previous block */
	int page;         /* current page, from 0 */
	int npages;       /* pages in all, known in the drawing pass */
	int dry;          /* the counting pass: draw nothing */
	int err;          /* an allocation failed */
};

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

static double dmin(double a, double b)
{
	return a < b ? a : b;
}

static double units(int v)
{
	return v / (double)PANGO_SCALE;
}

static int failed(struct pdf *p)
{
	return p->err || cairo_status(p->cr) != CAIRO_STATUS_SUCCESS ||
	       cairo_surface_status(cairo_get_target(p->cr)) != CAIRO_STATUS_SUCCESS;
}

/* Would a block of height h that does not fit below y fit on a page of its own? */
static int should_break(double y, double h)
{
	return y + h > BOTTOM + EPS && h <= BOTTOM - TOP + EPS && y > TOP + EPS;
}

/* ---- text ---- */

/* A layout of plain text (never markup: the text comes from users), wrapped at width points
 * when width > 0. */
static PangoLayout *layout_new(struct pdf *p, enum font f, double width, PangoAlignment align,
                               const char *text)
{
	PangoLayout *l = pango_layout_new(p->pc);
	pango_layout_set_font_description(l, p->font[f]);
	if (width > 0) {
		pango_layout_set_width(l, pango_units_from_double(dmax(width, 1)));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	char *valid = g_utf8_make_valid(text ? text : "", -1);
	pango_layout_set_text(l, valid, -1);
	g_free(valid);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int h;
	pango_layout_get_size(l, NULL, &h);
	return units(h);
}

/* A laid out line, in the layout's coordinates: where its origin is, its top and bottom, its
 * baseline. */
struct line {
	PangoLayoutLine *line;
	double x, top, bot, base;
};

struct lines {
	struct line *v;
	int n;
};

static void lines_get(PangoLayout *l, struct lines *ls)
{
	int n = pango_layout_get_line_count(l);
	ls->n = 0;
	ls->v = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*ls->v));
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		struct line *ln = &ls->v[ls->n++];
		PangoRectangle in_layout, in_line;
		int y0, y1;
		ln->line = pango_layout_iter_get_line_readonly(it);
		pango_layout_iter_get_line_extents(it, NULL, &in_layout);
		pango_layout_line_get_extents(ln->line, NULL, &in_line);
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		ln->x = units(in_layout.x - in_line.x);
		ln->top = units(y0);
		ln->bot = units(y1);
		ln->base = units(pango_layout_iter_get_baseline(it));
	} while (ls->n < n && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

static double lines_height(const struct lines *ls, int from)
{
	return from < ls->n ? ls->v[ls->n - 1].bot - ls->v[from].top : 0;
}

/* Draw a line of a layout whose top left corner would be at (x, y). */
static void line_draw(struct pdf *p, double x, double y, const struct line *ln)
{
	cairo_move_to(p->cr, x + ln->x, y + ln->base);
	pango_cairo_show_layout_line(p->cr, ln->line);
}

static void grey(struct pdf *p, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
}

/* ---- pages ---- */

static void footer_draw(struct pdf *p)
{
	char num[64];
	snprintf(num, sizeof(num), "第 %d 页 共 %d 页", p->page + 1, p->npages);
	PangoLayout *n = layout_new(p, F_FOOTER, -1, PANGO_ALIGN_LEFT, num);
	int w;
	pango_layout_get_size(n, &w, NULL);
	cairo_save(p->cr); /* a grey block may go on on the next page */
	grey(p, 0.8);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, LEFT, FOOTER_Y);
	cairo_line_to(p->cr, LEFT + TEXT_W, FOOTER_Y);
	cairo_stroke(p->cr);
	grey(p, 0.4);
	cairo_move_to(p->cr, LEFT + TEXT_W - units(w), FOOTER_Y + 3);
	pango_cairo_show_layout(p->cr, n);
	g_object_unref(n);
	if (p->footer) {
		PangoLayout *f =
		    layout_new(p, F_FOOTER, TEXT_W - units(w) - 12, PANGO_ALIGN_LEFT, p->footer);
		cairo_move_to(p->cr, LEFT, FOOTER_Y + 3);
		pango_cairo_show_layout(p->cr, f);
		g_object_unref(f);
	}
	cairo_restore(p->cr);
}

static void page_end(struct pdf *p)
{
	if (p->dry)
		return;
	footer_draw(p);
	cairo_show_page(p->cr);
}

static void page_next(struct pdf *p)
{
	page_end(p);
	p->page++;
	p->y = TOP;
	p->gap = 0;
}

/* Space between blocks: the larger of the previous block's space below and this one's above,
 * none at the top of a page. */
static void block_start(struct pdf *p, double before)
{
	if (p->y > TOP + EPS)
		p->y += dmax(p->gap, before);
	p->gap = 0;
}

/* ---- text blocks ---- */

struct style {
	enum font font;
	PangoAlignment align;
	double before, after; /* space above and below */
	double grey;          /* text colour, 0 for black */
	int keep;             /* rather start a new page than split the block */
};

static struct style block_style(const struct doc_block *k)
{
	PangoAlignment a = PANGO_ALIGN_LEFT;
	switch (k->type) {
	case DOC_CAPTION:
		return (struct style){F_CAPTION, PANGO_ALIGN_LEFT, 0, 0, 0, 1};
	case DOC_TITLE:
		return (struct style){F_TITLE, PANGO_ALIGN_CENTER, 10.8, 14.4, 0, 1};
	case DOC_META:
		return (struct style){F_SMALL, PANGO_ALIGN_RIGHT, 0, 3.6, 0.27, 0};
	case DOC_SIGN:
		return (struct style){F_BODY, PANGO_ALIGN_RIGHT, 18, 2.4, 0, 1};
	case DOC_NOTE:
		return (struct style){F_SMALL, PANGO_ALIGN_LEFT, 1.8, 1.8, 0.2, 0};
	default:
		if (k->flags & DOC_CENTER)
			a = PANGO_ALIGN_CENTER;
		else if (k->flags & DOC_RIGHT)
			a = PANGO_ALIGN_RIGHT;
		return (struct style){k->flags & DOC_BOLD ? F_BOLD : F_BODY, a, 2.4, 2.4, 0, 0};
	}
}

/* Draw the lines at the left margin, going to a new page whenever the next one does not
 * fit. */
static void flow(struct pdf *p, const struct lines *ls)
{
	for (int i = 0; i < ls->n; i++) {
		const struct line *ln = &ls->v[i];
		double h = ln->bot - ln->top;
		if (p->y + h > BOTTOM + EPS && p->y > TOP + EPS)
			page_next(p);
		if (!p->dry)
			line_draw(p, LEFT, p->y - ln->top, ln);
		p->y += h;
	}
}

static void text_block(struct pdf *p, const struct doc_block *k)
{
	struct style s = block_style(k);
	PangoLayout *l = layout_new(p, s.font, TEXT_W, s.align, k->text);
	if (k->type == DOC_PARA && (k->flags & DOC_INDENT))
		pango_layout_set_indent(l, 2 * pango_font_description_get_size(p->font[s.font]));
	struct lines ls;
	lines_get(l, &ls);
	block_start(p, s.before);
	if (s.keep && should_break(p->y, lines_height(&ls, 0)))
		page_next(p);
	grey(p, s.grey);
	flow(p, &ls);
	grey(p, 0);
	p->gap = s.after;
	free(ls.v);
	g_object_unref(l);
}

/* ---- tables ---- */

struct gstyle {
	enum font font;
	double pad;
	int ruled;
};

static const struct gstyle table_style = {F_TABLE, PAD, 1};
static const struct gstyle pair_style = {F_BODY, 0, 0};

struct gcell {
	const struct doc_cell *c;
	double x, w; /* from the left margin */
	PangoLayout *text, *foot;
	struct lines lines;
	double foot_h;
	int next, foot_left; /* while paginating: the next line to place, the foot not placed */
};

/* Lines [from, to) of a cell drawn in a segment, and its foot if foot. */
struct piece {
	size_t cell;
	int from, to, foot;
};

/* A row, or the part of a row on one page; its pieces are [p0, p1). */
struct seg {
	int row, page;
	double y, h;
	size_t p0, p1;
};

struct grid {
	const struct gstyle *st;
	int nrows;
	struct gcell *cells; /* in row order */
	size_t ncells;
	size_t *row_cell; /* the cells starting in row r are [row_cell[r], row_cell[r + 1]) */
	size_t *row_seg;  /* the segments of row r are [row_seg[r], row_seg[r + 1]) */
	double *rowh;
	struct seg *segs;
	size_t nsegs, segcap;
	struct piece *pieces;
	size_t npieces, piececap;
	double y; /* pagination: where the next segment goes */
	int page; /* pagination: pages begun since the grid began */
};

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->ncells; i++) {
		if (g->cells[i].text)
			g_object_unref(g->cells[i].text);
		if (g->cells[i].foot)
			g_object_unref(g->cells[i].foot);
		free(g->cells[i].lines.v);
	}
	free(g->cells);
	free(g->row_cell);
	free(g->row_seg);
	free(g->rowh);
	free(g->segs);
	free(g->pieces);
}

/* Height of the text of a cell from line from, and of its foot if foot. */
static double cell_height(const struct gcell *c, int from, int foot)
{
	double h = lines_height(&c->lines, from);
	if (foot && c->foot)
		h += (h > 0 ? FOOT_GAP : 0) + c->foot_h;
	return h;
}

/* The lines from c->next that fit in a height of room: up to the returned one. */
static int cell_cut(const struct gcell *c, double room)
{
	const struct lines *ls = &c->lines;
	int k = c->next;
	while (k < ls->n && ls->v[k].bot - ls->v[c->next].top <= room + EPS)
		k++;
	return k;
}

/* Column edges from the left margin; the widths are shares of the text width. */
static void column_x(const struct doc_table *t, double *colx)
{
	int total = 0;
	for (int i = 0; i < t->ncols; i++)
		total += t->widths[i] > 0 ? t->widths[i] : 0;
	int acc = 0;
	for (int i = 0; i <= t->ncols; i++) {
		colx[i] = total > 0 ? TEXT_W * acc / total : TEXT_W * i / t->ncols;
		if (i < t->ncols)
			acc += t->widths[i] > 0 ? t->widths[i] : 0;
	}
}

static int cell_layout(struct pdf *p, const struct grid *g, const struct doc_table *t,
                       struct gcell *gc, const double *colx)
{
	const struct doc_cell *c = gc->c;
	if (c->col < 0 || c->colspan < 1 || c->col + c->colspan > t->ncols || c->row < 0 ||
	    c->rowspan < 1 || c->row + c->rowspan > t->nrows)
		return -1;
	double pad = g->st->pad;
	gc->x = colx[c->col];
	gc->w = colx[c->col + c->colspan] - gc->x;
	PangoAlignment a = c->flags & DOC_LABEL ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
	gc->text = layout_new(p, g->st->font, gc->w - 2 * pad, a, c->text);
	if (c->foot) {
		gc->foot = layout_new(p, g->st->font, gc->w - 2 * pad, PANGO_ALIGN_RIGHT, c->foot);
		gc->foot_h = layout_height(gc->foot);
	}
	lines_get(gc->text, &gc->lines);
	return 0;
}

static double cell_natural(const struct pdf *p, const struct grid *g, const struct gcell *c)
{
	return dmax(cell_height(c, 0, 1), c->c->min_lines * p->body_line) + 2 * g->st->pad;
}

/* Each row as tall as its tallest cell; a cell spanning rows that are together shorter than
 * it makes the last of them taller. */
static void row_heights(const struct pdf *p, struct grid *g)
{
	for (size_t i = 0; i < g->ncells; i++) {
		const struct gcell *c = &g->cells[i];
		if (c->c->rowspan == 1)
			g->rowh[c->c->row] = dmax(g->rowh[c->c->row], cell_natural(p, g, c));
	}
	for (size_t i = 0; i < g->ncells; i++) {
		const struct gcell *c = &g->cells[i];
		int last = c->c->row + c->c->rowspan - 1;
		if (c->c->rowspan == 1)
			continue;
		double sum = 0;
		for (int r = c->c->row; r <= last; r++)
			sum += g->rowh[r];
		g->rowh[last] += dmax(0, cell_natural(p, g, c) - sum);
	}
}

/* Where each row's cells begin; the cells must come in row order. */
static int index_rows(struct grid *g)
{
	size_t i = 0;
	for (int r = 0; r <= g->nrows; r++) {
		while (i < g->ncells && g->cells[i].c->row < r)
			i++;
		g->row_cell[r] = i;
	}
	for (i = 1; i < g->ncells; i++)
		if (g->cells[i].c->row < g->cells[i - 1].c->row)
			return -1;
	return 0;
}

static int grid_layout(struct pdf *p, struct grid *g, const struct doc_table *t)
{
	double colx[DOC_MAX_COLS + 1];
	size_t rows = t->nrows > 0 ? (size_t)t->nrows : 0;
	if (t->ncols < 1 || t->ncols > DOC_MAX_COLS)
		return -1;
	column_x(t, colx);
	g->cells = xcalloc(t->ncells, sizeof(*g->cells));
	g->row_cell = xcalloc(rows + 1, sizeof(*g->row_cell));
	g->row_seg = xcalloc(rows + 1, sizeof(*g->row_seg));
	g->rowh = xcalloc(rows + 1, sizeof(*g->rowh));
	g->ncells = t->ncells;
	g->nrows = (int)rows;
	for (size_t i = 0; i < t->ncells; i++) {
		g->cells[i].c = &t->cells[i];
		if (cell_layout(p, g, t, &g->cells[i], colx))
			return -1;
	}
	if (index_rows(g))
		return -1;
	row_heights(p, g);
	return 0;
}

/* The last row of the rows that row spans tie to row r. */
static int group_end(const struct grid *g, int r)
{
	int e = r;
	for (int k = r; k <= e; k++) {
		for (size_t i = g->row_cell[k]; i < g->row_cell[k + 1]; i++) {
			const struct doc_cell *c = g->cells[i].c;
			if (c->row + c->rowspan - 1 > e)
				e = c->row + c->rowspan - 1;
		}
	}
	return e;
}

static void grid_break(struct grid *g)
{
	g->page++;
	g->y = TOP;
}

/* Does everything left of row r fit in avail? *need is then the height it takes. */
static int row_fits(const struct grid *g, int r, double avail, double *need)
{
	*need = 0;
	for (size_t i = g->row_cell[r]; i < g->row_cell[r + 1]; i++) {
		const struct gcell *c = &g->cells[i];
		if (c->c->rowspan > 1)
			continue;
		double h = cell_height(c, c->next, c->foot_left) + 2 * g->st->pad;
		if (h > avail + EPS)
			return 0;
		*need = dmax(*need, h);
	}
	return 1;
}

/* Does some line of row r still to be placed fit in avail? */
static int row_progress(const struct grid *g, int r, double avail)
{
	for (size_t i = g->row_cell[r]; i < g->row_cell[r + 1]; i++) {
		const struct gcell *c = &g->cells[i];
		if (c->c->rowspan == 1 && cell_cut(c, avail - 2 * g->st->pad) > c->next)
			return 1;
	}
	return 0;
}

static void seg_add(struct grid *g, int r, double h, int last)
{
	if (g->nsegs == g->segcap) {
		g->segcap = g->segcap ? g->segcap * 2 : 16;
		g->segs = xreallocarray(g->segs, g->segcap, sizeof(*g->segs));
	}
	struct seg *s = &g->segs[g->nsegs++];
	*s = (struct seg){r, g->page, g->y, h, g->npieces, g->npieces};
	for (size_t i = g->row_cell[r]; i < g->row_cell[r + 1]; i++) {
		struct gcell *c = &g->cells[i];
		if (c->c->rowspan > 1)
			continue;
		if (g->npieces == g->piececap) {
			g->piececap = g->piececap ? g->piececap * 2 : 32;
			g->pieces = xreallocarray(g->pieces, g->piececap, sizeof(*g->pieces));
		}
		struct piece *pc = &g->pieces[g->npieces++];
		pc->cell = i;
		pc->from = c->next;
		pc->to = last ? c->lines.n : cell_cut(c, h - 2 * g->st->pad);
		pc->foot = last && c->foot_left;
		c->next = pc->to;
		c->foot_left = c->foot_left && !pc->foot;
	}
	s->p1 = g->npieces;
	g->y += h;
}

/* Place row r, splitting it between lines when it does not fit on a page. */
static void row_place(struct grid *g, int r)
{
	double left = g->rowh[r], need;
	if (should_break(g->y, left))
		grid_break(g);
	g->row_seg[r] = g->nsegs;
	for (size_t i = g->row_cell[r]; i < g->row_cell[r + 1]; i++) {
		g->cells[i].next = 0;
		g->cells[i].foot_left = g->cells[i].foot != NULL;
	}
	for (;;) {
		double avail = BOTTOM - g->y;
		int last = row_fits(g, r, avail, &need);
		if (!last && !row_progress(g, r, avail)) {
			if (g->y > TOP + EPS) {
				grid_break(g);
				continue;
			}
			last = 1; /* a line taller than a page: let it overflow rather than loop */
		}
		double h = last ? dmax(need, dmin(left, avail)) : avail;
		seg_add(g, r, h, last);
		if (last)
			return;
		left -= h;
		grid_break(g);
	}
}

static void grid_paginate(struct grid *g, double y)
{
	g->y = y;
	g->page = 0;
	for (int r = 0; r < g->nrows;) {
		int e = group_end(g, r);
		double h = 0;
		for (int i = r; i <= e; i++)
			h += g->rowh[i];
		if (should_break(g->y, h))
			grid_break(g);
		for (; r <= e; r++)
			row_place(g, r);
	}
	g->row_seg[g->nrows] = g->nsegs;
}

/* Shading inside the lines, so that it never covers a neighbour's line. */
static void box_fill(struct pdf *p, double x, double y, double w, double h)
{
	cairo_rectangle(p->cr, x + RULE / 2, y + RULE / 2, w - RULE, h - RULE);
	grey(p, 0.95);
	cairo_fill(p->cr);
	grey(p, 0);
}

static void box_stroke(struct pdf *p, double x, double y, double w, double h)
{
	cairo_set_line_width(p->cr, RULE);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_stroke(p->cr);
}

/* Where the text of a cell goes in a box from y of height h: at the top, or, for a label whose
 * text is all in the box, centred in what the foot leaves. */
static double text_top(const struct grid *g, const struct gcell *c, double y, double h, int whole,
                       int foot)
{
	double pad = g->st->pad;
	if (!(c->c->flags & DOC_LABEL) || !whole)
		return y + pad;
	double text = lines_height(&c->lines, 0);
	double below = cell_height(c, 0, foot) - text;
	return y + dmax(pad, (h - below - text) / 2);
}

static void foot_draw(struct pdf *p, const struct grid *g, const struct gcell *c, double bottom)
{
	cairo_move_to(p->cr, LEFT + c->x + g->st->pad, bottom - g->st->pad - c->foot_h);
	pango_cairo_show_layout(p->cr, c->foot);
}

static void piece_draw(struct pdf *p, const struct grid *g, const struct seg *s,
                       const struct piece *pc)
{
	const struct gcell *c = &g->cells[pc->cell];
	const struct lines *ls = &c->lines;
	double x = LEFT + c->x;
	int whole = pc->from == 0 && pc->to == ls->n;
	if (g->st->ruled && (c->c->flags & DOC_LABEL))
		box_fill(p, x, s->y, c->w, s->h);
	if (pc->from < pc->to) {
		double y = text_top(g, c, s->y, s->h, whole, pc->foot);
		for (int i = pc->from; i < pc->to; i++)
			line_draw(p, x + g->st->pad, y - ls->v[pc->from].top, &ls->v[i]);
	}
	if (pc->foot)
		foot_draw(p, g, c, s->y + s->h);
	if (g->st->ruled)
		box_stroke(p, x, s->y, c->w, s->h);
}

/* A cell spanning rows on page pg: where it lies there (from y0 to y1, if here), and the
 * pages its text and its foot go to: the first and the last part tall enough for them, else
 * the tallest part, so that a sliver of the cell at the bottom of a page does not swallow its
 * text. */
struct span {
	int here, text_page, foot_page;
	double y0, y1;
};

static struct span span_find(const struct grid *g, const struct gcell *c, int pg)
{
	struct span sp = {0, -1, -1, 0, 0};
	double text = cell_height(c, 0, 0) + 2 * g->st->pad, foot = c->foot_h + 2 * g->st->pad;
	double tallest = -1;
	int tallest_page = 0;
	size_t i = g->row_seg[c->c->row], end = g->row_seg[c->c->row + c->c->rowspan];
	while (i < end) {
		int page = g->segs[i].page;
		double y0 = g->segs[i].y, y1 = y0;
		for (; i < end && g->segs[i].page == page; i++)
			y1 = g->segs[i].y + g->segs[i].h;
		if (page == pg) {
			sp.here = 1;
			sp.y0 = y0;
			sp.y1 = y1;
		}
		if (sp.text_page < 0 && y1 - y0 >= text - EPS)
			sp.text_page = page;
		if (y1 - y0 >= foot - EPS)
			sp.foot_page = page;
		if (y1 - y0 > tallest) {
			tallest = y1 - y0;
			tallest_page = page;
		}
	}
	if (sp.text_page < 0)
		sp.text_page = tallest_page;
	if (sp.foot_page < 0)
		sp.foot_page = tallest_page;
	return sp;
}

/* A cell spanning rows: its box on every page it reaches, its text (short, a group's label)
 * once, clipped to the box, its foot once, at the bottom. */
static void span_draw(struct pdf *p, const struct grid *g, const struct gcell *c, int pg)
{
	struct span sp = span_find(g, c, pg);
	if (!sp.here)
		return;
	double x = LEFT + c->x, h = sp.y1 - sp.y0;
	int foot = c->foot && pg == sp.foot_page;
	if (g->st->ruled && (c->c->flags & DOC_LABEL))
		box_fill(p, x, sp.y0, c->w, h);
	if (pg == sp.text_page) {
		cairo_save(p->cr);
		cairo_rectangle(p->cr, x, sp.y0, c->w, h);
		cairo_clip(p->cr);
		double y = text_top(g, c, sp.y0, h, 1, foot);
		for (int i = 0; i < c->lines.n; i++)
			line_draw(p, x + g->st->pad, y - c->lines.v[0].top, &c->lines.v[i]);
		cairo_restore(p->cr);
	}
	if (foot)
		foot_draw(p, g, c, sp.y1);
	if (g->st->ruled)
		box_stroke(p, x, sp.y0, c->w, h);
}

/* Page pg, which holds the segments [from, to). */
static void grid_draw_page(struct pdf *p, const struct grid *g, int pg, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct seg *s = &g->segs[i];
		for (size_t k = s->p0; k < s->p1; k++)
			piece_draw(p, g, s, &g->pieces[k]);
	}
	for (size_t i = 0; i < g->ncells; i++)
		if (g->cells[i].c->rowspan > 1)
			span_draw(p, g, &g->cells[i], pg);
}

static void grid_draw(struct pdf *p, const struct grid *g)
{
	size_t i = 0;
	for (int pg = 0; pg <= g->page; pg++) {
		size_t from = i;
		while (i < g->nsegs && g->segs[i].page == pg)
			i++;
		if (pg > 0)
			page_next(p);
		if (!p->dry)
			grid_draw_page(p, g, pg, from, i);
	}
	p->y = g->y;
}

static void grid_block(struct pdf *p, const struct doc_table *t, const struct gstyle *st,
                       double before, double after)
{
	struct grid g = {.st = st};
	block_start(p, before);
	if (grid_layout(p, &g, t) == 0) {
		grid_paginate(&g, p->y);
		grid_draw(p, &g);
	} else {
		p->err = 1;
	}
	grid_free(&g);
	p->gap = after;
}

/* "left\tright": a borderless table of two halves. */
static void pair_block(struct pdf *p, const struct doc_block *k)
{
	const char *text = k->text ? k->text : "";
	const char *tab = strchr(text, '\t');
	char *left = xstrndup(text, tab ? (size_t)(tab - text) : strlen(text));
	struct doc_cell cells[2] = {
	    {.text = left, .rowspan = 1, .colspan = 1},
	    {.text = tab ? (char *)tab + 1 : left + strlen(left),
	     .col = 1,
	     .rowspan = 1,
	     .colspan = 1},
	};
	struct doc_table t = {
	    .ncols = 2, .nrows = 1, .widths = {50, 50}, .cells = cells, .ncells = 2};
	grid_block(p, &t, &pair_style, 2.4, 2.4);
	free(left);
}

/* ---- the document ---- */

static void block_draw(struct pdf *p, const struct doc_block *k)
{
	switch (k->type) {
	case DOC_TABLE:
		if (k->table)
			grid_block(p, k->table, &table_style, 4.4, 4.4);
		break;
	case DOC_PAIR:
		pair_block(p, k);
		break;
	default:
		text_block(p, k);
		break;
	}
}

static int render(struct pdf *p, const struct doc *d)
{
	p->page = 0;
	p->y = TOP;
	p->gap = 0;
	for (size_t i = 0; i < d->n && !failed(p); i++)
		block_draw(p, &d->v[i]);
	page_end(p);
	return failed(p) ? -1 : 0;
}

static void pdf_open(struct pdf *p, cairo_t *cr, const char *footer)
{
	memset(p, 0, sizeof(*p));
	p->cr = cr;
	p->footer = footer;
	p->pc = pango_cairo_create_context(cr);
	pango_cairo_context_set_resolution(p->pc, 72); /* font sizes in points = PDF units */
	pango_context_set_language(p->pc, pango_language_from_string("zh-cn"));
	for (int f = 0; f < F_COUNT; f++)
		p->font[f] = pango_font_description_from_string(font_spec[f]);
	PangoLayout *l = layout_new(p, F_BODY, -1, PANGO_ALIGN_LEFT, "国");
	p->body_line = layout_height(l);
	g_object_unref(l);
}

static void pdf_close(struct pdf *p)
{
	for (int f = 0; f < F_COUNT; f++)
		pango_font_description_free(p->font[f]);
	g_object_unref(p->pc);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void set_metadata(cairo_surface_t *s, cairo_pdf_metadata_t what, const char *text)
{
	char *valid = g_utf8_make_valid(text ? text : "", -1);
	cairo_pdf_surface_set_metadata(s, what, valid);
	g_free(valid);
}

#if defined(__SANITIZE_ADDRESS__)
#define ZW_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZW_LSAN 1
#endif
#endif
#ifdef ZW_LSAN
#include <sanitizer/lsan_interface.h>
#define LSAN_OFF() __lsan_disable()
#define LSAN_ON()  __lsan_enable()
#else
#define LSAN_OFF() (void)0
#define LSAN_ON()  (void)0
#endif

static atomic_bool rendered; /* has this process drawn a PDF (and filled the font caches)? */

int doc_pdf(const struct doc *d, struct buf *out)
{
	if (d->broken)
		return -1;
	size_t start = out->len;
	int rc = -1;
	atomic_store(&rendered, true);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
	set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "zwnet");
	cairo_t *cr = cairo_create(s);
	if (cairo_status(cr) == CAIRO_STATUS_SUCCESS) {
		struct pdf p;
		pdf_open(&p, cr, d->footer);
		p.dry = 1;
		if (render(&p, d) == 0) {
			p.dry = 0;
			p.npages = p.page + 1;
			rc = render(&p, d);
		}
		pdf_close(&p);
	}
	cairo_destroy(cr);
	/* cairo 1.16.0 (Debian 12) loses one array per embedded CID-keyed CFF font (the Noto CJK
	 * fonts are): cairo_cff_font_read_cid_fontdict returns on success before its
	 * cff_index_fini of the FDArray index (24 bytes per font dict, 19 in Noto CJK: 768 bytes
	 * per font and PDF; later cairo frees it). Only that call is exempt from leak checks. */
	LSAN_OFF();
	cairo_surface_finish(s);
	LSAN_ON();
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = -1;
	cairo_surface_destroy(s);
	if (rc && out->p) {
		out->len = start; /* no half a PDF */
		out->p[start] = 0;
	}
	return rc;
}

/* pango keeps one default font map per thread (the others go with their threads); cairo its
 * font face, scaled font and pattern caches; fontconfig its configuration and the fonts it
 * matched, which LeakSanitizer sees as lost while they live since fontconfig links them by
 * offsets, not pointers. */
void doc_pdf_exit(void)
{
	if (!atomic_exchange(&rendered, false))
		return;
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
