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

struct sheet {
	struct xml x;
	const struct sst *sst;
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
			s->rc =
			    zw_errf(s->err, ZW_EINVALID, "file", "工作表中的行号“%.32s”无效", r);
			stop(&s->x);
			return;
		}
		s->row = (int)n;
		s->col = 0;
	} else if (strcmp(l, "c") == 0) {
		s->col = col_of(attr(a, "r"), s->col);
		const char *t = attr(a, "t");
		snprintf(s->type, sizeof(s->type), "%s", t ? t : "n");
		buf_reset(&s->val);
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
				                "第 %d 行：共享字符串编号“%.32s”无效", s->row, v);
				stop(&s->x);
				return;
			}
			text = xstrdup(s->sst->v[i]);
		} else if (strcmp(s->type, "b") == 0) {
			text = xstrdup(strcmp(v, "1") == 0 ? "是" : "否");
		} else {
			text = xstrdup(v); /* numbers, inline and formula strings */
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

/* The path of the first worksheet, from workbook.xml and its relationships. */
struct first_sheet {
	struct xml x;
	char rid[64], target[256];
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct first_sheet *f = ud;
	if (strcmp(local(name), "sheet") == 0 && !f->rid[0]) {
		for (const XML_Char **p = a; p && *p; p += 2)
			if (strcmp(local(p[0]), "id") == 0)
				snprintf(f->rid, sizeof(f->rid), "%s", p[1]);
	}
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct first_sheet *f = ud;
	const char *id = attr(a, "Id"), *t = attr(a, "Target");
	if (strcmp(local(name), "Relationship") == 0 && id && t && strcmp(id, f->rid) == 0 &&
	    !strstr(t, ".."))
		snprintf(f->target, sizeof(f->target), "%s%s", t[0] == '/' ? "" : "xl/",
		         t[0] == '/' ? t + 1 : t);
}

int xlsx_parse(const void *data, size_t len, const struct xlsx_limits *limits, csv_row_fn fn,
               void *ctx, struct zw_err *err)
{
	const struct xlsx_limits dflt = {XLSX_MAX_MEMBER, XLSX_MAX_RATIO};
	const struct xlsx_limits *lim = limits ? limits : &dflt;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!z) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return zw_errf(err, ZW_EINVALID, "file", "文件不是有效的 xlsx 工作簿");
	}
	char sheet_path[256] = "xl/worksheets/sheet1.xml";
	struct first_sheet fs = {0};
	fs.x.p = xml_parser(&fs);
	XML_SetStartElementHandler(fs.x.p, wb_start);
	int rc = run_member(z, "xl/workbook.xml", lim, &fs.x, err);
	XML_ParserFree(fs.x.p);
	if (rc == 0) {
		fs.x = (struct xml){xml_parser(&fs), false, false};
		XML_SetStartElementHandler(fs.x.p, rels_start);
		rc = run_member(z, "xl/_rels/workbook.xml.rels", lim, &fs.x, err);
		XML_ParserFree(fs.x.p);
		if (fs.target[0])
			snprintf(sheet_path, sizeof(sheet_path), "%s", fs.target);
	}
	if (rc > 0)
		rc = 0; /* no workbook or relationships: the first sheet by its usual name */
	struct sst sst = {.err = err};
	buf_init(&sst.cur, CSV_MAX_FIELD);
	if (!rc) {
		sst.x.p = xml_parser(&sst);
		XML_SetElementHandler(sst.x.p, sst_start, sst_end);
		XML_SetCharacterDataHandler(sst.x.p, sst_text);
		rc = run_member(z, "xl/sharedStrings.xml", lim, &sst.x, err);
		XML_ParserFree(sst.x.p);
		if (rc > 0)
			rc = 0; /* a workbook of numbers and inline strings only */
	}
	if (!rc) {
		struct sheet sh = {.sst = &sst, .fn = fn, .ctx = ctx, .err = err};
		buf_init(&sh.val, CSV_MAX_FIELD);
		sh.x.p = xml_parser(&sh);
		XML_SetElementHandler(sh.x.p, sheet_start, sheet_end);
		XML_SetCharacterDataHandler(sh.x.p, sheet_text);
		rc = run_member(z, sheet_path, lim, &sh.x, err);
		if (rc > 0)
			rc = zw_errf(err, ZW_EINVALID, "file", "工作簿中没有工作表");
		if (sh.rc)
			rc = sh.rc;
		XML_ParserFree(sh.x.p);
		clear_row(&sh);
		buf_free(&sh.val);
	}
	for (size_t i = 0; i < sst.n; i++)
		free(sst.v[i]);
	free(sst.v);
	buf_free(&sst.cur);
	zip_discard(z);
	zip_error_fini(&ze);
	return rc;
}
