#include "core/xlsx_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/xalloc.h"

struct wcell {
	unsigned row, col, style;
	size_t seq; /* order of setting: a cell set twice keeps the last */
	char *text;
};

struct wvalid {
	unsigned col, first, last;
	char *formula;
};

struct wsheet {
	char name[128];
	bool hidden;
	struct wcell *cells;
	size_t n, cap;
	double widths[256];
	unsigned freeze;
	struct wvalid *valid;
	size_t nvalid;
};

struct xlsx_book {
	struct wsheet sheets[XLSX_MAX_SHEETS];
	int n;
};

struct xlsx_book *xlsx_book_new(void)
{
	return xcalloc(1, sizeof(struct xlsx_book));
}

void xlsx_book_free(struct xlsx_book *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->n; i++) {
		struct wsheet *s = &b->sheets[i];
		for (size_t j = 0; j < s->n; j++)
			free(s->cells[j].text);
		free(s->cells);
		for (size_t j = 0; j < s->nvalid; j++)
			free(s->valid[j].formula);
		free(s->valid);
	}
	free(b);
}

void xlsx_col_name(unsigned col, char out[8])
{
	char tmp[8];
	int n = 0;
	for (unsigned v = col + 1; v && n < 7; v = (v - 1) / 26)
		tmp[n++] = (char)('A' + (v - 1) % 26);
	for (int j = 0; j < n; j++)
		out[j] = tmp[n - 1 - j];
	out[n] = 0;
}

/* The length of one valid UTF-8 sequence XML 1.0 may hold at s, or 0. */
static size_t xml_char(const unsigned char *s)
{
	unsigned c = s[0];
	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
	size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
	if (!n)
		return 0;
	unsigned cp = c & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp < 0xe000) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* s as XML text: escaped, characters XML cannot hold as U+FFFD. */
static void xml_text(struct buf *o, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = xml_char(p);
		if (!n) {
			buf_puts(o, "\xef\xbf\xbd");
			p++;
			continue;
		}
		if (*p == '<')
			buf_puts(o, "&lt;");
		else if (*p == '>')
			buf_puts(o, "&gt;");
		else if (*p == '&')
			buf_puts(o, "&amp;");
		else if (*p == '"')
			buf_puts(o, "&quot;");
		else if (*p == '\r')
			buf_puts(o, "&#13;");
		else
			buf_append(o, p, n);
		p += n;
	}
}

int xlsx_sheet_add(struct xlsx_book *b, const char *name, bool hidden)
{
	if (b->n >= XLSX_MAX_SHEETS)
		abort(); /* a caller's bug: the books here have a few sheets */
	struct wsheet *s = &b->sheets[b->n];
	*s = (struct wsheet){.hidden = hidden};
	/* at most 31 characters, none of []:*?/\ */
	size_t o = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p && chars < 28;) {
		size_t n = xml_char(p);
		if (!n) {
			p++;
			continue;
		}
		if (n == 1 && strchr("[]:*?/\\", *p))
			s->name[o++] = '_';
		else
			memcpy(s->name + o, p, n), o += n;
		p += n, chars++;
	}
	s->name[o] = 0;
	if (!o)
		snprintf(s->name, sizeof(s->name), "Sheet%d", b->n + 1);
	for (int i = 0, k = 2; i < b->n; i++)
		if (strcmp(b->sheets[i].name, s->name) == 0) {
			snprintf(s->name + o, sizeof(s->name) - o, "%d", k++);
			i = -1;
		}
	return b->n++;
}

void xlsx_cell(struct xlsx_book *b, int sheet, unsigned row, unsigned col, const char *utf8,
               unsigned style)
{
	struct wsheet *s = &b->sheets[sheet];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->cells = xreallocarray(s->cells, s->cap, sizeof(*s->cells));
	}
	s->cells[s->n] = (struct wcell){row, col, style, s->n, xstrdup(utf8 ? utf8 : "")};
	s->n++;
}

void xlsx_col_width(struct xlsx_book *b, int sheet, unsigned col, double chars)
{
	if (col < 256)
		b->sheets[sheet].widths[col] = chars;
}

void xlsx_freeze_rows(struct xlsx_book *b, int sheet, unsigned rows)
{
	b->sheets[sheet].freeze = rows;
}

void xlsx_list_validation(struct xlsx_book *b, int sheet, unsigned col, unsigned first,
                          unsigned last, const char *formula)
{
	struct wsheet *s = &b->sheets[sheet];
	s->valid = xreallocarray(s->valid, s->nvalid + 1, sizeof(*s->valid));
	s->valid[s->nvalid++] = (struct wvalid){col, first, last, xstrdup(formula)};
}

static int cell_cmp(const void *a, const void *b)
{
	const struct wcell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool same_cell(const struct wcell *x, const struct wcell *y)
{
	return x->row == y->row && x->col == y->col;
}

static const char xml_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
static const char ns_main[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char ns_rel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

static void sheet_xml(struct wsheet *s, struct buf *o)
{
	buf_printf(o, "%s<worksheet xmlns=\"%s\" xmlns:r=\"%s\">", xml_head, ns_main, ns_rel);
	if (s->freeze)
		buf_printf(o,
		           "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"%u\" "
		           "topLeftCell=\"A%u\" activePane=\"bottomLeft\" state=\"frozen\"/>"
		           "</sheetView></sheetViews>",
		           s->freeze, s->freeze + 1);
	bool cols = false;
	for (unsigned c = 0; c < 256; c++)
		if (s->widths[c] > 0) {
			if (!cols)
				buf_puts(o, "<cols>");
			cols = true;
			buf_printf(o,
			           "<col min=\"%u\" max=\"%u\" width=\"%.1f\" customWidth=\"1\"/>",
			           c + 1, c + 1, s->widths[c]);
		}
	if (cols)
		buf_puts(o, "</cols>");
	buf_puts(o, "<sheetData>");
	qsort(s->cells, s->n, sizeof(*s->cells), cell_cmp);
	bool open = false;
	unsigned row = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct wcell *c = &s->cells[i];
		if (i + 1 < s->n && same_cell(c, &s->cells[i + 1]))
			continue; /* set twice: the last */
		if (!open || row != c->row) {
			if (open)
				buf_puts(o, "</row>");
			open = true;
			row = c->row;
			buf_printf(o, "<row r=\"%u\">", c->row + 1);
		}
		char ref[8];
		xlsx_col_name(c->col, ref);
		unsigned xf = c->style & XLSX_HEAD   ? 2
		              : c->style & XLSX_BOLD ? 1
		              : c->style & XLSX_WRAP ? 3
		                                     : 0;
		buf_printf(o, "<c r=\"%s%u\" t=\"inlineStr\"", ref, c->row + 1);
		if (xf)
			buf_printf(o, " s=\"%u\"", xf);
		buf_puts(o, "><is><t xml:space=\"preserve\">");
		xml_text(o, c->text);
		buf_puts(o, "</t></is></c>");
	}
	if (open)
		buf_puts(o, "</row>");
	buf_puts(o, "</sheetData>");
	if (s->nvalid) {
		buf_printf(o, "<dataValidations count=\"%zu\">", s->nvalid);
		for (size_t i = 0; i < s->nvalid; i++) {
			char col[8];
			xlsx_col_name(s->valid[i].col, col);
			buf_printf(
			    o,
			    "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" "
			    "sqref=\"%s%u:%s%u\"><formula1>",
			    col, s->valid[i].first + 1, col, s->valid[i].last + 1);
			xml_text(o, s->valid[i].formula);
			buf_puts(o, "</formula1></dataValidation>");
		}
		buf_puts(o, "</dataValidations>");
	}
	buf_puts(o, "</worksheet>");
}

/* Add a member from b's text (libzip keeps the pointer until zip_close: it is freed after). */
static int add(zip_t *z, const char *name, struct buf *b)
{
	zip_source_t *s = zip_source_buffer(z, b->p ? b->p : "", b->len, 0);
	if (!s)
		return -1;
	if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		return -1;
	}
	return 0;
}

int xlsx_book_write(struct xlsx_book *b, struct buf *out, struct zw_err *err)
{
	enum { CT, RELS, WB, WBRELS, STYLES, SHEETS };
	struct buf m[SHEETS + XLSX_MAX_SHEETS];
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		buf_init(&m[i], 1u << 30);
	buf_printf(
	    &m[CT],
	    "%s<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"rels\" "
	    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/xl/workbook.xml\" "
	    "ContentType=\"application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
	    "<Override PartName=\"/xl/styles.xml\" "
	    "ContentType=\"application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
	    xml_head);
	for (int i = 0; i < b->n; i++)
		buf_printf(&m[CT],
		           "<Override PartName=\"/xl/worksheets/sheet%d.xml\" "
		           "ContentType=\"application/"
		           "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>",
		           i + 1);
	buf_puts(&m[CT], "</Types>");
	buf_printf(
	    &m[RELS],
	    "%s<Relationships "
	    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"%s/officeDocument\" Target=\"xl/workbook.xml\"/>"
	    "</Relationships>",
	    xml_head, ns_rel);
	buf_printf(&m[WB], "%s<workbook xmlns=\"%s\" xmlns:r=\"%s\"><sheets>", xml_head, ns_main,
	           ns_rel);
	buf_printf(&m[WBRELS],
	           "%s<Relationships "
	           "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
	           xml_head);
	for (int i = 0; i < b->n; i++) {
		buf_puts(&m[WB], "<sheet name=\"");
		xml_text(&m[WB], b->sheets[i].name);
		buf_printf(&m[WB], "\" sheetId=\"%d\"%s r:id=\"rId%d\"/>", i + 1,
		           b->sheets[i].hidden ? " state=\"hidden\"" : "", i + 1);
		buf_printf(&m[WBRELS],
		           "<Relationship Id=\"rId%d\" Type=\"%s/worksheet\" "
		           "Target=\"worksheets/sheet%d.xml\"/>",
		           i + 1, ns_rel, i + 1);
	}
	buf_printf(&m[WBRELS],
	           "<Relationship Id=\"rId%d\" Type=\"%s/styles\" Target=\"styles.xml\"/>"
	           "</Relationships>",
	           b->n + 1, ns_rel);
	buf_puts(&m[WB], "</sheets></workbook>");
	buf_printf(&m[STYLES],
	           "%s<styleSheet xmlns=\"%s\">"
	           "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"宋体\"/></font>"
	           "<font><b/><sz val=\"11\"/><name val=\"宋体\"/></font></fonts>"
	           "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill>"
	           "<fill><patternFill patternType=\"gray125\"/></fill>"
	           "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/>"
	           "</patternFill></fill></fills>"
	           "<borders count=\"1\"><border/></borders>"
	           "<cellStyleXfs count=\"1\"><xf/></cellStyleXfs>"
	           "<cellXfs count=\"4\"><xf numFmtId=\"49\"/>"
	           "<xf numFmtId=\"49\" fontId=\"1\" applyFont=\"1\"/>"
	           "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"2\" applyFont=\"1\" applyFill=\"1\"/>"
	           "<xf numFmtId=\"49\" applyAlignment=\"1\"><alignment wrapText=\"1\" "
	           "vertical=\"top\"/></xf></cellXfs>"
	           "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
	           "</cellStyles></styleSheet>",
	           xml_head, ns_main);
	for (int i = 0; i < b->n; i++)
		sheet_xml(&b->sheets[i], &m[SHEETS + i]);
	int rc = 0;
	for (int i = 0; !rc && i < SHEETS + b->n; i++) /* a member is whole or not written */
		rc = buf_check(&m[i], err, i < SHEETS ? "工作簿的结构" : "工作表");

	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = rc ? NULL : zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!rc && !z) {
		rc = zw_errf(err, ZW_EINTERNAL, NULL, "无法生成 xlsx 工作簿");
		if (src)
			zip_source_free(src);
	} else if (z) {
		zip_source_keep(src);
		static const char *const names[] = {"[Content_Types].xml", "_rels/.rels",
		                                    "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		                                    "xl/styles.xml"};
		bool ok = true;
		for (int i = 0; ok && i < SHEETS; i++)
			ok = add(z, names[i], &m[i]) == 0;
		for (int i = 0; ok && i < b->n; i++) {
			char name[48];
			snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", i + 1);
			ok = add(z, name, &m[SHEETS + i]) == 0;
		}
		if (!ok || zip_close(z) < 0) {
			if (!ok)
				zip_discard(z);
			rc = zw_errf(err, ZW_EINTERNAL, NULL, "无法生成 xlsx 工作簿");
		} else if (zip_source_open(src) == 0) {
			char chunk[1 << 16];
			zip_int64_t got;
			while ((got = zip_source_read(src, chunk, sizeof(chunk))) > 0 &&
			       buf_append(out, chunk, (size_t)got) == 0)
				;
			zip_source_close(src);
			rc = buf_check(out, err, "工作簿");
		} else {
			rc = zw_errf(err, ZW_EINTERNAL, NULL, "无法生成 xlsx 工作簿");
		}
		zip_source_free(src);
	}
	zip_error_fini(&ze);
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		buf_free(&m[i]);
	return rc;
}
