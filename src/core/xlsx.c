#include "core/text.h"
#include "core/xlsx.h"

#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/xalloc.h"

#define MAX_ROW 1048576 /* the format's last row */

/* ---- a small expat harness ---- */

struct xml {
	XML_Parser p;
	bool refused; /* a document type declaration */
	bool stopped; /* a handler stopped the parser and filled err */
};

/* Expat allocates through xalloc, so creating a parser or parsing never fails for memory. */
static const XML_Memory_Handling_Suite xml_mem = {xmalloc, xrealloc, free};

static XML_Parser xml_parser(void *ud)
{
	XML_Parser p = XML_ParserCreate_MM("UTF-8", &xml_mem, NULL);
	if (!p)
		fatalx("expat: cannot create a parser");
	XML_SetUserData(p, ud);
	return p;
}

/* A handler gives up: the reason is in err. */
static void stop(struct xml *x)
{
	x->stopped = true;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	struct xml *x = ud;
	x->refused = true;
	XML_StopParser(x->p, XML_FALSE);
}

static const char *attr(const XML_Char **a, const char *name)
{
	for (; a && *a; a += 2)
		if (strcmp(a[0], name) == 0)
			return a[1];
	return NULL;
}

/* local name without a namespace prefix */
static const char *local(const char *n)
{
	const char *c = strchr(n, ':');
	return c ? c + 1 : n;
}

/* ---- shared strings ---- */

struct sst {
	struct xml x;
	struct zw_err *err;
	char **v;
	size_t n, cap;
	struct buf cur;
	bool in_si, in_t;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	(void)a;
	struct sst *s = ud;
	const char *l = local(name);
	if (strcmp(l, "si") == 0) {
		s->in_si = true;
		buf_reset(&s->cur);
	} else if (strcmp(l, "t") == 0 && s->in_si) {
		s->in_t = true;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = ud;
	const char *l = local(name);
	if (strcmp(l, "t") == 0) {
		s->in_t = false;
	} else if (strcmp(l, "si") == 0 && s->in_si) {
		s->in_si = false;
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
		}
		s->v[s->n++] = xstrdup(s->cur.p ? s->cur.p : "");
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst *s = ud;
	if (s->in_t && buf_append(&s->cur, t, (size_t)len) < 0) {
		zw_errf(s->err, ZW_EINVALID, "file", "工作簿的共享字符串中有单元格过长");
		stop(&s->x);
	}
}

/* ---- the sheet ---- */

#define MAX_COLS CSV_MAX_FIELDS

/* Which cell styles (xf indexes) show numbers as dates, and as times. */
struct styles {
	struct xml x;
	unsigned char *kind; /* per xf: 0 number, 1 date, 2 date and time */
	size_t n, cap;
	struct {
		int64_t id;
		unsigned char kind;
	} fmts[256]; /* custom number formats */
	size_t nfmts;
	bool in_xfs;
};

#define MAX_MERGES 100000

struct sheet {
	struct xml x;
	const struct sst *sst;
	const struct styles *styles;
	struct xlsx_merge *merges;
	size_t nmerges;
	unsigned style;
	csv_row_fn fn;
	void *ctx;
	int rc;
	struct zw_err *err;
	char *cells[MAX_COLS];
	size_t ncells;
	int row;
	size_t col;
	char type[16];
	struct buf val;
	bool in_v;
};

static size_t col_of(const char *ref, size_t fallback)
{
	size_t c = 0;
	bool any = false;
	for (; ref && *ref >= 'A' && *ref <= 'Z'; ref++) {
		c = c * 26 + (size_t)(*ref - 'A' + 1);
		any = true;
		if (c > MAX_COLS)
			return MAX_COLS;
	}
	return any ? c - 1 : fallback;
}

/* "B3:B7" -> rows 3..7, columns 1..1; false when it is not a range. */
static bool merge_ref(const char *ref, struct xlsx_merge *m)
{
	if (!ref)
		return false;
	const char *colon = strchr(ref, ':');
	if (!colon)
		return false;
	int64_t r1, r2;
	const char *p1 = ref, *p2 = colon + 1;
	size_t c1 = col_of(p1, MAX_COLS), c2 = col_of(p2, MAX_COLS);
	while (*p1 >= 'A' && *p1 <= 'Z')
		p1++;
	while (*p2 >= 'A' && *p2 <= 'Z')
		p2++;
	char a[16], b[16];
	size_t la = (size_t)(colon - p1);
	if (la == 0 || la >= sizeof(a) || strlen(p2) >= sizeof(b))
		return false;
	memcpy(a, p1, la);
	a[la] = 0;
	snprintf(b, sizeof(b), "%s", p2);
	if (parse_i64(a, 1, MAX_ROW, &r1) < 0 || parse_i64(b, r1, MAX_ROW, &r2) < 0 ||
	    c1 >= MAX_COLS || c2 >= MAX_COLS || c2 < c1)
		return false;
	*m = (struct xlsx_merge){(int)r1, (int)r2, (unsigned)c1, (unsigned)c2};
	return true;
}

/* A number cell as the sheet shows it: a date style's day number as YYYY-MM-DD (and the time
 * with a time style), a whole number without ".0" or an exponent, any other as written. */
static char *number_text(const char *v, unsigned char kind)
{
	char *end;
	double d = strtod(v, &end);
	if (!*v || *end || d != d)
		return xstrdup(v);
	char out[64];
	if (kind && d >= 1 && d < 2958466) { /* 1900-01-01 .. 9999-12-31 */
		int64_t days = (int64_t)d;
		int secs = (int)((d - (double)days) * 86400.0 + 0.5);
		if (secs >= 86400)
			days++, secs = 0;
		format_date((int32_t)(days - 25569), out);
		if (kind == 2 && secs)
			snprintf(out + 10, sizeof(out) - 10, " %02d:%02d", secs / 3600,
			         secs / 60 % 60);
		return xstrdup(out);
	}
	if (d == (double)(int64_t)d && d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    (strchr(v, '.') || strchr(v, 'E') || strchr(v, 'e'))) {
		snprintf(out, sizeof(out), "%lld", (long long)d);
		return xstrdup(out);
	}
	return xstrdup(v);
}

static void clear_row(struct sheet *s)
{
	for (size_t i = 0; i < s->ncells; i++) {
		free(s->cells[i]);
		s->cells[i] = NULL;
	}
	s->ncells = 0;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct sheet *s = ud;
	const char *l = local(name);
	if (strcmp(l, "row") == 0) {
		clear_row(s);
		const char *r = attr(a, "r");
		int64_t n = s->row + 1;
		if (r && parse_i64(r, 1, MAX_ROW, &n) < 0) {
			s->rc = zw_errf(s->err, ZW_EINVALID, "file", "工作表中的行号“%.*s”无效",
			                CUT(r, 32));
			stop(&s->x);
			return;
		}
		s->row = (int)n;
		s->col = 0;
	} else if (strcmp(l, "c") == 0) {
		s->col = col_of(attr(a, "r"), s->col);
		const char *t = attr(a, "t"), *st = attr(a, "s");
		snprintf(s->type, sizeof(s->type), "%s", t ? t : "n");
		int64_t si = 0;
		s->style = st && parse_i64(st, 0, 1 << 20, &si) == 0 ? (unsigned)si : 0;
		buf_reset(&s->val);
	} else if (strcmp(l, "mergeCell") == 0) {
		struct xlsx_merge m;
		if (!merge_ref(attr(a, "ref"), &m))
			return;
		if (s->nmerges >= MAX_MERGES) {
			s->rc = zw_errf(s->err, ZW_EINVALID, "file",
			                "工作表中的合并单元格超过 %d 处", MAX_MERGES);
			stop(&s->x);
			return;
		}
		s->merges = xreallocarray(s->merges, s->nmerges + 1, sizeof(*s->merges));
		s->merges[s->nmerges++] = m;
	} else if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
		s->in_v = true;
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
	struct sheet *s = ud;
	if (s->in_v && buf_append(&s->val, t, (size_t)len) < 0) {
		s->rc = zw_errf(s->err, ZW_EINVALID, "file", "第 %d 行：单元格过长", s->row);
		stop(&s->x);
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet *s = ud;
	const char *l = local(name);
	if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
		s->in_v = false;
	} else if (strcmp(l, "c") == 0) {
		if (s->col >= MAX_COLS) {
			s->rc = zw_errf(s->err, ZW_EINVALID, "file", "第 %d 行：列数过多", s->row);
			stop(&s->x);
			return;
		}
		const char *v = s->val.p ? s->val.p : "";
		char *text;
		if (strcmp(s->type, "s") == 0) {
			int64_t i;
			if (parse_i64(v, 0, (int64_t)s->sst->n - 1, &i) < 0) {
				s->rc = zw_errf(s->err, ZW_EINVALID, "file",
				                "第 %d 行：共享字符串编号“%.*s”无效", s->row,
				                CUT(v, 32));
				stop(&s->x);
				return;
			}
			text = xstrdup(s->sst->v[i]);
		} else if (strcmp(s->type, "b") == 0) {
			text = xstrdup(strcmp(v, "1") == 0 ? "是" : "否");
		} else if (strcmp(s->type, "n") == 0) {
			text =
			    number_text(v, s->style < s->styles->n ? s->styles->kind[s->style] : 0);
		} else {
			text = xstrdup(v); /* inline and formula strings */
		}
		while (s->ncells <= s->col)
			s->cells[s->ncells++] = xstrdup("");
		free(s->cells[s->col]);
		s->cells[s->col] = text;
		s->col++;
	} else if (strcmp(l, "row") == 0) {
		bool any = false;
		for (size_t i = 0; i < s->ncells; i++)
			any |= s->cells[i] && s->cells[i][0];
		if (any && !s->rc) {
			s->rc = s->fn(s->row, s->cells, s->ncells, s->ctx);
			if (s->rc)
				stop(&s->x);
		}
		clear_row(s);
	}
}

/* Inflate one member of the archive into x's parser 64 KiB at a time, so the expanded text
 * is never held whole. Its size is checked against the limits before anything is inflated
 * (the archive's directory says how large it will be and how large it is compressed) and
 * counted while it is (a directory may lie). Returns 1 when the member is absent. */
static int run_member(zip_t *z, const char *name, const struct xlsx_limits *lim, struct xml *x,
                      struct zw_err *err)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(z, name, 0, &st) != 0)
		return 1;
	if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
		return zw_errf(err, ZW_EINVALID, "file", "无法读取工作簿中的 %s", name);
	if (st.size > lim->max_member)
		return zw_errf(err, ZW_ETOOLARGE, "file",
		               "工作簿中的 %s 解压后有 %llu 字节，超过上限 %llu 字节，已拒绝", name,
		               (unsigned long long)st.size, (unsigned long long)lim->max_member);
	zip_uint64_t ratio = st.size / (st.comp_size ? st.comp_size : 1);
	if (st.size > XLSX_RATIO_FLOOR && ratio >= lim->max_ratio)
		return zw_errf(err, ZW_ETOOLARGE, "file",
		               "工作簿中的 %s 解压后是压缩大小的 %llu 倍（上限 %u "
		               "倍），疑似压缩炸弹，已拒绝",
		               name, (unsigned long long)ratio, lim->max_ratio);
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return zw_errf(err, ZW_EINVALID, "file", "无法读取工作簿中的 %s", name);
	char *chunk = xmalloc(XLSX_CHUNK);
	XML_SetStartDoctypeDeclHandler(x->p, no_doctype);
	zip_uint64_t total = 0;
	int rc = 0;
	enum XML_Status xs = XML_STATUS_OK;
	for (;;) {
		zip_int64_t got = zip_fread(f, chunk, XLSX_CHUNK);
		if (got < 0) {
			rc = zw_errf(err, ZW_EINVALID, "file",
			             "无法读取工作簿中的 %s（文件已损坏）", name);
			break;
		}
		total += (zip_uint64_t)got;
		if (total > st.size) {
			rc = zw_errf(err, ZW_ETOOLARGE, "file",
			             "工作簿中的 %s 解压后大于它声明的大小，已拒绝", name);
			break;
		}
		xs = XML_Parse(x->p, chunk, (int)got, got == 0);
		if (xs != XML_STATUS_OK || got == 0)
			break;
	}
	free(chunk);
	zip_fclose(f);
	if (rc)
		return rc;
	if (x->refused)
		return zw_errf(err, ZW_EINVALID, "file", "工作簿中的 %s 含有文档类型声明，已拒绝",
		               name);
	if (x->stopped)
		return -(err->code ? err->code : ZW_EINTERNAL);
	if (xs == XML_STATUS_ERROR)
		return zw_errf(err, ZW_EINVALID, "file",
		               "工作簿中的 %s 不是有效的 XML（第 %lu 行）", name,
		               (unsigned long)XML_GetCurrentLineNumber(x->p));
	return 0;
}

/* ---- styles: which cells hold dates ---- */

/* A number format's code: 1 a date, 2 a date and a time, 0 neither (text in quotes, [colours]
 * and escaped characters do not count). */
static unsigned char code_kind(const char *code)
{
	bool date = false, time = false, q = false, br = false;
	for (const char *p = code; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			q = !q;
		else if (!q && *p == '[')
			br = true;
		else if (!q && *p == ']')
			br = false;
		else if (!q && !br) {
			char c = (char)(*p | 0x20);
			date |= c == 'y' || c == 'd' || (c == 'm' && !time);
			time |= c == 'h' || c == 's';
		}
	}
	return date ? (time ? 2 : 1) : 0;
}

static unsigned char builtin_kind(int64_t id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
	    (id >= 50 && id <= 58))
		return 1;
	return id == 22 ? 2 : 0;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct styles *st = ud;
	const char *l = local(name);
	int64_t id;
	if (strcmp(l, "numFmt") == 0 && st->nfmts < sizeof(st->fmts) / sizeof(st->fmts[0])) {
		const char *i = attr(a, "numFmtId"), *code = attr(a, "formatCode");
		if (i && code && parse_i64(i, 0, 100000, &id) == 0) {
			st->fmts[st->nfmts].id = id;
			st->fmts[st->nfmts++].kind = code_kind(code);
		}
	} else if (strcmp(l, "cellXfs") == 0) {
		st->in_xfs = true;
	} else if (strcmp(l, "xf") == 0 && st->in_xfs) {
		if (st->n >= 1 << 20)
			return;
		const char *i = attr(a, "numFmtId");
		unsigned char k = 0;
		if (i && parse_i64(i, 0, 100000, &id) == 0) {
			k = builtin_kind(id);
			for (size_t j = 0; j < st->nfmts; j++)
				if (st->fmts[j].id == id)
					k = st->fmts[j].kind;
		}
		if (st->n == st->cap) {
			st->cap = st->cap ? st->cap * 2 : 64;
			st->kind = xrealloc(st->kind, st->cap);
		}
		st->kind[st->n++] = k;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct styles *st = ud;
	if (strcmp(local(name), "cellXfs") == 0)
		st->in_xfs = false;
}

/* ---- the workbook: its sheets in order ---- */

struct book {
	zip_t *z;
	zip_error_t ze;
	struct xml x;
	struct {
		char *name, *rid, *path;
		bool hidden;
	} * sh;
	size_t n;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct book *b = ud;
	if (strcmp(local(name), "sheet") != 0 || b->n >= 4096)
		return;
	const char *n = attr(a, "name"), *state = attr(a, "state"), *rid = NULL;
	for (const XML_Char **p = a; p && *p; p += 2)
		if (strcmp(local(p[0]), "id") == 0)
			rid = p[1];
	b->sh = xreallocarray(b->sh, b->n + 1, sizeof(*b->sh));
	b->sh[b->n].name = xstrdup(n ? n : "");
	b->sh[b->n].rid = xstrdup(rid ? rid : "");
	b->sh[b->n].path = NULL;
	b->sh[b->n++].hidden = state && strcmp(state, "visible") != 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct book *b = ud;
	const char *id = attr(a, "Id"), *t = attr(a, "Target");
	if (strcmp(local(name), "Relationship") != 0 || !id || !t || strstr(t, ".."))
		return;
	for (size_t i = 0; i < b->n; i++)
		if (!b->sh[i].path && strcmp(b->sh[i].rid, id) == 0) {
			size_t n = strlen(t) + 4;
			b->sh[i].path = xmalloc(n);
			snprintf(b->sh[i].path, n, "%s%s", t[0] == '/' ? "" : "xl/",
			         t[0] == '/' ? t + 1 : t);
		}
}

static void book_close(struct book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->sh[i].name);
		free(b->sh[i].rid);
		free(b->sh[i].path);
	}
	free(b->sh);
	if (b->z)
		zip_discard(b->z);
	zip_error_fini(&b->ze);
}

/* The archive and its sheets: workbook.xml's order, each with its part from the
 * relationships (a workbook without them: the first sheet by its usual name). */
static int book_open(struct book *b, const void *data, size_t len, const struct xlsx_limits *lim,
                     struct zw_err *err)
{
	*b = (struct book){0};
	zip_error_init(&b->ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &b->ze);
	b->z = src ? zip_open_from_source(src, ZIP_RDONLY, &b->ze) : NULL;
	if (!b->z) {
		if (src)
			zip_source_free(src);
		return zw_errf(err, ZW_EINVALID, "file", "文件不是有效的 xlsx 工作簿");
	}
	b->x.p = xml_parser(b);
	XML_SetStartElementHandler(b->x.p, wb_start);
	int rc = run_member(b->z, "xl/workbook.xml", lim, &b->x, err);
	XML_ParserFree(b->x.p);
	if (rc == 0) {
		b->x = (struct xml){xml_parser(b), false, false};
		XML_SetStartElementHandler(b->x.p, rels_start);
		rc = run_member(b->z, "xl/_rels/workbook.xml.rels", lim, &b->x, err);
		XML_ParserFree(b->x.p);
	}
	if (rc > 0)
		rc = 0;
	for (size_t i = 0; !rc && i < b->n; i++)
		if (!b->sh[i].path) { /* no relationship: sheetN.xml by its place */
			b->sh[i].path = xmalloc(48);
			snprintf(b->sh[i].path, 48, "xl/worksheets/sheet%zu.xml", i + 1);
		}
	if (!rc && b->n == 0) {
		b->sh = xcalloc(1, sizeof(*b->sh));
		b->sh[0].name = xstrdup("Sheet1");
		b->sh[0].rid = xstrdup("");
		b->sh[0].path = xstrdup("xl/worksheets/sheet1.xml");
		b->n = 1;
	}
	return rc;
}

int xlsx_sheets(const void *data, size_t len, const struct xlsx_limits *limits,
                struct xlsx_sheet_info **out, size_t *n, struct zw_err *err)
{
	const struct xlsx_limits dflt = {XLSX_MAX_MEMBER, XLSX_MAX_RATIO};
	struct book b;
	int rc = book_open(&b, data, len, limits ? limits : &dflt, err);
	*out = NULL;
	*n = 0;
	if (!rc) {
		*out = xcalloc(b.n, sizeof(**out));
		for (size_t i = 0; i < b.n; i++)
			(*out)[i] = (struct xlsx_sheet_info){xstrdup(b.sh[i].name), b.sh[i].hidden};
		*n = b.n;
	}
	book_close(&b);
	return rc;
}

void xlsx_sheets_free(struct xlsx_sheet_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int xlsx_parse_sheet(const void *data, size_t len, const struct xlsx_limits *limits, size_t sheet,
                     csv_row_fn fn, void *ctx, struct xlsx_merge **merges, size_t *nmerges,
                     struct zw_err *err)
{
	const struct xlsx_limits dflt = {XLSX_MAX_MEMBER, XLSX_MAX_RATIO};
	const struct xlsx_limits *lim = limits ? limits : &dflt;
	if (merges)
		*merges = NULL, *nmerges = 0;
	struct book b;
	int rc = book_open(&b, data, len, lim, err);
	if (!rc && sheet >= b.n)
		rc = zw_errf(err, ZW_EINVALID, "sheet", "工作簿只有 %zu 张工作表", b.n);
	struct sst sst = {.err = err};
	buf_init(&sst.cur, CSV_MAX_FIELD);
	if (!rc) {
		sst.x.p = xml_parser(&sst);
		XML_SetElementHandler(sst.x.p, sst_start, sst_end);
		XML_SetCharacterDataHandler(sst.x.p, sst_text);
		rc = run_member(b.z, "xl/sharedStrings.xml", lim, &sst.x, err);
		XML_ParserFree(sst.x.p);
		if (rc > 0)
			rc = 0; /* a workbook of numbers and inline strings only */
	}
	struct styles st = {0};
	if (!rc) {
		st.x.p = xml_parser(&st);
		XML_SetElementHandler(st.x.p, styles_start, styles_end);
		rc = run_member(b.z, "xl/styles.xml", lim, &st.x, err);
		XML_ParserFree(st.x.p);
		if (rc > 0)
			rc = 0; /* no styles: every number is a number */
	}
	if (!rc) {
		struct sheet sh = {.sst = &sst, .styles = &st, .fn = fn, .ctx = ctx, .err = err};
		buf_init(&sh.val, CSV_MAX_FIELD);
		sh.x.p = xml_parser(&sh);
		XML_SetElementHandler(sh.x.p, sheet_start, sheet_end);
		XML_SetCharacterDataHandler(sh.x.p, sheet_text);
		rc = run_member(b.z, b.sh[sheet].path, lim, &sh.x, err);
		if (rc > 0)
			rc = zw_errf(err, ZW_EINVALID, "file", "工作簿中没有工作表“%s”（%s）",
			             b.sh[sheet].name, b.sh[sheet].path);
		if (sh.rc)
			rc = sh.rc;
		XML_ParserFree(sh.x.p);
		clear_row(&sh);
		buf_free(&sh.val);
		if (merges && !rc) {
			*merges = sh.merges;
			*nmerges = sh.nmerges;
		} else {
			free(sh.merges);
		}
	}
	free(st.kind);
	for (size_t i = 0; i < sst.n; i++)
		free(sst.v[i]);
	free(sst.v);
	buf_free(&sst.cur);
	book_close(&b);
	return rc;
}

int xlsx_parse(const void *data, size_t len, const struct xlsx_limits *limits, csv_row_fn fn,
               void *ctx, struct zw_err *err)
{
	return xlsx_parse_sheet(data, len, limits, 0, fn, ctx, NULL, NULL, err);
}
