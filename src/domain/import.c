#include "domain/import.h"

#include <errno.h>
#include <iconv.h>
#include <sodium.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "core/xlsx_write.h"
#include "domain/import_kind.h"
#include "store/import_sql.h"
#include "store/rec.h"

#define HEADER_SEARCH 20   /* rows of a sheet in which its header is looked for */
#define SKIPPED_TEXT  4096 /* bytes of a title row above the header the report quotes */

/* The rows of a file, read in phase 1 and run twice: each cell trimmed and NUL-terminated,
 * one row after another in one buffer (a file's rows cost little more than the file). */
struct row {
	int line; /* as the sheet numbers it */
	unsigned ncells;
	size_t off;
	bool bad;  /* a problem was reported on it */
	bool skip; /* blank, or a notes row */
};

/* Vertical merged ranges of one column below the header, sorted by first row. */
struct vmerge {
	int r1, r2;
};

/* A problem kept for the workbook of refused rows (every one, not only the listed ones). */
struct problem {
	size_t row; /* index into rows */
	char *text;
};

struct mapping {
	unsigned col;
	char *from;
	const char *to;
	int count;
};

struct run {
	const struct ctx *x;
	const struct import_kind *k;
	const struct import_limits *lim;
	const struct import_words *w;
	const struct import_opts *o;
	struct import_col cols[CSV_MAX_FIELDS];
	char *headers[CSV_MAX_FIELDS]; /* as written in the file */
	size_t ncols;                  /* columns of the header row */
	int header_idx;                /* index into rows of the header, -1 none yet */
	struct buf text;
	struct row *rows;
	size_t nrows, cap, data_rows;
	struct vmerge *vm[CSV_MAX_FIELDS];
	size_t nvm[CSV_MAX_FIELDS];
	int written, good;
	json_t *errors; /* the first lim->max_errors problems */
	int nerrors;    /* all of them */
	int bad_rows;
	struct problem *probs;
	size_t nprobs;
	struct mapping *maps;
	size_t nmaps;
	struct memo refmemo;                 /* reference cells resolved (found ones only) */
	struct memo dups[IMPORT_MAX_UNIQUE]; /* per unique column: value -> first line */
	bool use_memo;
	bool stopped; /* no header in this sheet's first rows */
	struct zw_err *fatal;
};

/* A problem of one row: counted always, listed while the list is short (a file of half a
 * million bad rows answers with the first few hundred and the count). col: the column at
 * fault, or -1 for the row. */
static void row_problem(struct run *r, size_t ri, int col, const char *field, const char *message)
{
	struct row *row = &r->rows[ri];
	if (!row->bad)
		r->bad_rows++;
	row->bad = true;
	r->nerrors++;
	char cell[16] = "";
	const char *header = "";
	if (col >= 0) {
		xlsx_col_name((unsigned)col, cell);
		snprintf(cell + strlen(cell), sizeof(cell) - strlen(cell), "%d", row->line);
		header = (size_t)col < r->ncols && r->headers[col] ? r->headers[col] : "";
	}
	if (r->o->good_rows_only) {
		r->probs = xreallocarray(r->probs, r->nprobs + 1, sizeof(*r->probs));
		size_t n = strlen(header) + strlen(message) + 8;
		char *t = xmalloc(n);
		snprintf(t, n, "%s%s%s", header, *header ? "：" : "", message);
		r->probs[r->nprobs++] = (struct problem){ri, t};
	}
	if (r->nerrors > r->lim->max_errors)
		return;
	json_array_append_new(r->errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", row->line,
	                                           "cell", cell, "column", header, "field",
	                                           field ? field : "", "message", message));
}

/* The column whose field is name, or -1. */
static int col_of(const struct run *r, const char *name)
{
	for (size_t i = 0; name && i < r->ncols; i++)
		if (r->cols[i].f && strcmp(r->cols[i].f->name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- phase 1: read the file (no database) ---- */

static const char *row_cell(const struct run *r, const struct row *row, unsigned i)
{
	if (i >= row->ncells)
		return "";
	const char *v = r->text.p + row->off;
	while (i--)
		v += strlen(v) + 1;
	return v;
}

static int find_line(const struct run *r, int line)
{
	size_t lo = 0, hi = r->nrows;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->rows[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nrows && r->rows[lo].line == line ? (int)lo : -1;
}

/* A cell as the sheet shows it: its own text, or the value merged down over it. */
static const char *cell(const struct run *r, const struct row *row, unsigned i)
{
	const char *v = row_cell(r, row, i);
	if (*v || i >= CSV_MAX_FIELDS || !r->nvm[i])
		return v;
	const struct vmerge *m = r->vm[i];
	size_t lo = 0, hi = r->nvm[i];
	while (lo < hi) { /* the last range starting above this row */
		size_t mid = (lo + hi) / 2;
		if (m[mid].r1 < row->line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || m[lo - 1].r2 < row->line)
		return v;
	int top = find_line(r, m[lo - 1].r1);
	return top < 0 ? v : row_cell(r, &r->rows[top], i);
}

/* The key of a header or a cell (core/text.h), into the caller's buffer; "" if not UTF-8. */
static const char *key_of(const char *s, char **owned)
{
	if (text_nfkc_key(s, owned) < 0) {
		*owned = NULL;
		return "";
	}
	return *owned;
}

static bool kind_has(const void *ctx, const char *field)
{
	return import_kind_field(ctx, field) != NULL;
}

/* The field header h names, or NULL. */
static const struct rec_field *header_field(const struct run *r, const char *h)
{
	char *owned;
	const char *key = key_of(h, &owned);
	const struct rec_field *f = NULL;
	if (*key)
		f = import_kind_match(r->k, r->w, key, kind_has);
	free(owned);
	return f;
}

/* Is row (an index into rows) a header: two known column names, or one that is the row's
 * only cell? */
static bool is_header(const struct run *r, const struct row *row)
{
	int known = 0, filled = 0;
	const struct rec_field *seen[CSV_MAX_FIELDS];
	for (unsigned i = 0; i < row->ncells; i++) {
		const char *v = row_cell(r, row, i);
		if (!*v)
			continue;
		filled++;
		const struct rec_field *f = header_field(r, v);
		bool again = false;
		for (int j = 0; f && j < known; j++)
			again |= seen[j] == f;
		if (f && !again)
			seen[known++] = f;
	}
	return known >= 2 || (known == 1 && filled == 1);
}

static int take_header(struct run *r, const struct row *row)
{
	r->ncols = row->ncells;
	for (unsigned i = 0; i < row->ncells; i++) {
		const char *h = row_cell(r, row, i);
		r->headers[i] = xstrdup(h);
		const struct rec_field *f = *h ? header_field(r, h) : NULL;
		for (unsigned j = 0; f && j < i; j++)
			if (r->cols[j].f == f) {
				char a[8], b[8];
				xlsx_col_name(j, a);
				xlsx_col_name(i, b);
				return zw_errf(r->fatal, ZW_EINVALID, "file",
				               "第 %d 行：%s 列“%s”与 %s 列“%s”都是%s，请只留一列",
				               row->line, a, r->headers[j], b, h, f->label);
			}
		const struct import_col *kc = f ? import_kind_field(r->k, f->name) : NULL;
		r->cols[i] =
		    kc ? *kc : (struct import_col){0}; /* the kind's column: ref, required */
	}
	/* every required field has its column */
	char missing[IMPORT_MAX_COLS * 48] = ""; /* every label, whole */
	size_t o = 0;
	for (size_t i = 0; i < r->k->ncols; i++) {
		const struct rec_field *f = r->k->cols[i].f;
		if (r->k->cols[i].required && col_of(r, f->name) < 0 &&
		    o + strlen(f->label) + 4 < sizeof(missing))
			o += (size_t)snprintf(missing + o, sizeof(missing) - o, "%s%s",
			                      o ? "、" : "", f->label);
	}
	if (o)
		return zw_errf(r->fatal, ZW_EINVALID, "file",
		               "第 %d 行的表头缺少必填列：%s（可用的列名见导入模板的“填表说明”）",
		               row->line, missing);
	return 0;
}

static int read_row(int line, char **f, size_t n, void *vctx)
{
	struct run *r = vctx;
	if (r->header_idx >= 0 && r->data_rows >= (size_t)r->lim->max_rows)
		return zw_errf(
		    r->fatal, ZW_ETOOLARGE, "file",
		    "文件超过每次导入 %d 行数据的上限（第 %d 行起未读），未写入任何数据；"
		    "请分成多个文件导入",
		    r->lim->max_rows, line);
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->rows = xreallocarray(r->rows, r->cap, sizeof(*r->rows));
	}
	while (n && !*f[n - 1])
		n--; /* empty cells at the end of a row */
	struct row *row = &r->rows[r->nrows];
	*row = (struct row){.line = line, .ncells = (unsigned)n, .off = r->text.len};
	for (size_t i = 0; i < n; i++) {
		const char *s;
		size_t len;
		text_trim(f[i], &s, &len);
		if (buf_append(&r->text, s, len) < 0 || buf_append(&r->text, "", 1) < 0)
			return zw_errf(
			    r->fatal, ZW_ETOOLARGE, "file",
			    "文件的单元格内容合计超过 %zu 字节（第 %d 行），请分成多个文件导入",
			    r->text.max, line);
	}
	r->nrows++;
	if (r->header_idx >= 0) {
		r->data_rows++;
		return 0;
	}
	if (is_header(r, row)) {
		r->header_idx = (int)r->nrows - 1;
		return take_header(r, row);
	}
	if (r->nrows >= HEADER_SEARCH) {
		r->stopped = true;
		return 1;
	}
	return 0;
}

static void reset_rows(struct run *r)
{
	r->nrows = r->data_rows = 0;
	buf_reset(&r->text);
	r->header_idx = -1;
	r->stopped = false;
}

static int merges_take(struct run *r, const struct xlsx_merge *m, size_t n)
{
	int hline = r->rows[r->header_idx].line;
	for (size_t i = 0; i < n; i++) {
		if (m[i].r1 <= hline || m[i].r2 <= m[i].r1 || m[i].c1 >= CSV_MAX_FIELDS)
			continue; /* a title over the header, or one row */
		unsigned c = m[i].c1;
		r->vm[c] = xreallocarray(r->vm[c], r->nvm[c] + 1, sizeof(**r->vm));
		r->vm[c][r->nvm[c]++] = (struct vmerge){m[i].r1, m[i].r2};
	}
	for (unsigned c = 0; c < CSV_MAX_FIELDS; c++) /* few; insertion sort */
		for (size_t i = 1; i < r->nvm[c]; i++)
			for (size_t j = i; j && r->vm[c][j - 1].r1 > r->vm[c][j].r1; j--) {
				struct vmerge t = r->vm[c][j];
				r->vm[c][j] = r->vm[c][j - 1];
				r->vm[c][j - 1] = t;
			}
	return 0;
}

/* The workbook's sheet to read: the one named, else the first visible one with a header. */
static int read_xlsx(struct run *r, const char *text, size_t len, char **sheet, struct zw_err *err)
{
	struct xlsx_sheet_info *sh;
	size_t nsh;
	int rc = xlsx_sheets(text, len, &r->lim->xlsx, &sh, &nsh, err);
	if (rc)
		return rc;
	char tried[300] = "";
	size_t o = 0;
	bool named = false;
	rc = 1;
	for (size_t i = 0; rc == 1 && i < nsh; i++) {
		if (r->o->sheet ? strcmp(sh[i].name, r->o->sheet) != 0 : sh[i].hidden)
			continue;
		named = true;
		reset_rows(r);
		struct xlsx_merge *m = NULL;
		size_t nm = 0;
		rc = xlsx_parse_sheet(text, len, &r->lim->xlsx, i, read_row, r, &m, &nm, err);
		if (rc == 0 && r->header_idx >= 0) {
			*sheet = xstrdup(sh[i].name);
			merges_take(r, m, nm);
		} else if (rc == 0 || (rc == 1 && r->stopped)) {
			rc = 1;
			if (o + 80 < sizeof(tried))
				o += (size_t)snprintf(tried + o, sizeof(tried) - o, "%s“%.*s”",
				                      o ? "、" : "", CUT(sh[i].name, 60));
			else if (!strstr(tried, "等"))
				o += (size_t)snprintf(tried + o, sizeof(tried) - o, "等");
		}
		free(m);
	}
	if (r->o->sheet && !named) {
		char all[300] = "";
		size_t a = 0;
		for (size_t i = 0; i < nsh && a + 80 < sizeof(all); i++)
			a += (size_t)snprintf(all + a, sizeof(all) - a, "%s“%.*s”", a ? "、" : "",
			                      CUT(sh[i].name, 60));
		if (a + 80 >= sizeof(all))
			snprintf(all + a, sizeof(all) - a, "等 %zu 张", nsh);
		rc = zw_errf(err, ZW_EINVALID, "sheet", "工作簿中没有名为“%s”的工作表（有：%s）",
		             r->o->sheet, all);
	} else if (rc == 1) {
		rc = zw_errf(err, ZW_EINVALID, "file",
		             "在工作表%s的前 %d 行中找不到表头：表头行应含两个以上可识别的列名"
		             "（如%s），可用的列名见导入模板的“填表说明”",
		             o ? tried : "", HEADER_SEARCH, r->k->example_headers);
	}
	xlsx_sheets_free(sh, nsh);
	return rc;
}

static bool is_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		int32_t cp;
		ssize_t k = utf8proc_iterate((const uint8_t *)s + i, (ssize_t)(n - i), &cp);
		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

/* Text that is not UTF-8 is read as GB18030 (what Excel writes for "CSV (逗号分隔)" on a
 * Chinese Windows); *conv gets the converted text. */
static int csv_text(const char *text, size_t len, char **conv, size_t *clen, struct zw_err *err)
{
	*conv = NULL;
	if (is_utf8(text, len))
		return 0;
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return zw_errf(err, ZW_EINTERNAL, "file", "无法转换 GB18030 编码");
	size_t cap = len * 2 + 16, left = cap, inleft = len;
	char *out = xmalloc(cap), *op = out, *ip = (char *)text;
	size_t rc = iconv(cd, &ip, &inleft, &op, &left);
	iconv_close(cd);
	if (rc == (size_t)-1) {
		free(out);
		return zw_errf(err, ZW_EINVALID, "file",
		               "文件既不是 UTF-8 也不是 GB18030（GBK）编码的文本（第 %zu 字节起）",
		               len - inleft + 1);
	}
	*conv = out;
	*clen = cap - left;
	return 0;
}

/* ---- phases 2 and 3: each row through the kind's create function ---- */

static void note_mapping(struct run *r, unsigned col, const char *from, const char *to)
{
	for (size_t i = 0; i < r->nmaps; i++)
		if (r->maps[i].col == col && strcmp(r->maps[i].from, from) == 0) {
			r->maps[i].count++;
			return;
		}
	r->maps = xreallocarray(r->maps, r->nmaps + 1, sizeof(*r->maps));
	r->maps[r->nmaps++] = (struct mapping){col, xstrdup(from), to, 1};
}

/* One cell into obj (the JSON a client would send), or a problem reported: 0 or -1. */
static int take_cell(struct run *r, struct sconn *c, size_t ri, unsigned ci, const char *raw,
                     json_t *obj, bool count_maps)
{
	const struct import_col *col = &r->cols[ci];
	const struct rec_field *f = col->f;
	char *v = NULL, why[300];
	if (text_nfkc(raw, &v) < 0) {
		row_problem(r, ri, (int)ci, f->name, "含有无效的字符编码");
		return -1;
	}
	int rc = 0;
	json_t *val = NULL;
	if (*v == 0) {
		/* blanks only: as if empty */
	} else if (col->ref) {
		int64_t id = import_resolve(col->ref, c, r->use_memo ? &r->refmemo : NULL, v, why,
		                            sizeof(why));
		if (id)
			val = json_integer(id);
		else
			row_problem(r, ri, (int)ci, f->name, why), rc = -1;
	} else {
		const char *mapped = NULL;
		rc = import_value(r->k, r->w, f, v, &val, &mapped, why, sizeof(why));
		if (rc)
			row_problem(r, ri, (int)ci, f->name, why);
		else if (mapped && count_maps)
			note_mapping(r, ci, raw, mapped); /* as the clerk wrote it */
	}
	if (val) {
		/* a value another row of the file has already */
		int u = import_unique_slot(r->k, f->name);
		if (u >= 0) {
			char *k = NULL;
			const char *key = json_is_string(val)    ? json_string_value(val)
			                  : json_is_integer(val) ? v
			                                         : "";
			if ((f->flags & REC_NAME) && text_nfkc_key(key, &k) == 0)
				key = k;
			int64_t first;
			size_t kl = strlen(key);
			if (memo_get(&r->dups[u], key, kl, &first) && first != r->rows[ri].line) {
				text_printf(why, sizeof(why), "%s“%.*s”与本文件第 %lld 行重复",
				            f->label, CUT(v, 120), (long long)first);
				row_problem(r, ri, (int)ci, f->name, why);
				rc = -1;
			} else {
				memo_put(&r->dups[u], key, kl, r->rows[ri].line);
			}
			free(k);
		}
		json_object_set_new(obj, f->name, val);
	}
	free(v);
	return rc;
}

/* A row's cells as the JSON a client would send, every cell's problem reported: NULL when
 * there was one. */
static json_t *row_json(struct run *r, struct sconn *c, size_t ri, bool first_pass)
{
	const struct row *row = &r->rows[ri];
	json_t *obj = json_object();
	int bad = 0;
	for (unsigned i = 0; i < r->ncols; i++)
		if (r->cols[i].f)
			bad |= take_cell(r, c, ri, i, cell(r, row, i), obj, first_pass);
	for (unsigned i = 0; i < r->ncols; i++) {
		const struct rec_field *f = r->cols[i].f;
		if (f && r->cols[i].required && !json_object_get(obj, f->name) &&
		    !*cell(r, row, i)) {
			char why[200];
			snprintf(why, sizeof(why), "%s不能为空", f->label);
			row_problem(r, ri, (int)i, f->name, why);
			bad = -1;
		}
	}
	if (bad) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* One row in tx: 0 written, 1 refused (and reported), -code when the import cannot go on
 * (fatal filled). With a savepoint a refused row leaves
 * nothing behind and the transaction goes on; without one the caller must roll back. */
static int run_row(struct run *r, const struct ctx *x, struct ipam_cache *cache,
                   struct store_tx *tx, size_t ri, bool savepoint, bool first_pass,
                   struct zw_err *fatal)
{
	json_t *obj = row_json(r, store_tx_conn(tx), ri, first_pass);
	if (!obj)
		return 1;
	struct zw_err err = {0};
	int64_t id;
	int rc = import_create(r->k, x, cache, tx, obj, savepoint, &id, &err);
	json_decref(obj);
	/* not the row's fault (a full disk, a stopping server, a defect): the whole import
	 * stops with it, rather than calling every row after it refused */
	if (rc == -ZW_EINTERNAL || rc == -ZW_EUNAVAILABLE || rc == -ZW_ENOSPACE) {
		*fatal = err;
		return rc;
	}
	if (rc)
		row_problem(r, ri, col_of(r, err.field), err.field,
		            err.message[0] ? err.message : zw_err_default(-rc));
	return rc ? 1 : 0;
}

/* A row with nothing in the columns read is blank (an office's numbered empty rows); one whose
 * first cell starts a note (注：…, 填表人：…) and is its only cell or under no column read is a
 * notes row. Both are skipped, the latter said. */
static void classify(struct run *r, json_t *skipped)
{
	for (size_t i = r->header_idx + 1; i < r->nrows; i++) {
		struct row *row = &r->rows[i];
		int filled = 0, known = 0;
		int first = -1;
		for (unsigned c = 0; c < row->ncells; c++)
			if (*row_cell(r, row, c)) {
				filled++;
				known += c < r->ncols && r->cols[c].f;
				if (first < 0)
					first = (int)c;
			}
		/* a value merged down over a row does not make it a row of data */
		row->skip = !known;
		if (first < 0)
			continue;
		bool in_field = (size_t)first < r->ncols && r->cols[first].f;
		char *k = NULL;
		const char *text = row_cell(r, row, (unsigned)first);
		if ((filled == 1 || !in_field) && import_words_notes(r->w, key_of(text, &k))) {
			row->skip = true;
			json_array_append_new(skipped,
			                      json_pack("{s:i, s:s, s:s}", "row", row->line,
			                                "reason", "notes", "text", text));
		}
		free(k);
	}
}

/* Phase 2: every row on a scratch copy of the registers, each in a savepoint, with the real
 * database untouched and unlocked: what the real run would report, rows earlier in the file
 * seen by later ones. */
static int check_on_copy(struct run *r, int64_t *copy_ms, struct zw_err *err)
{
	struct store *scratch;
	int64_t t0 = clock_mono_ms();
	int rc = store_scratch_open(r->x->st, &scratch, err);
	*copy_ms = clock_mono_ms() - t0;
	if (rc)
		return rc;
	struct ipam_cache *cache = ipam_cache_new();
	struct ctx cx = *r->x;
	cx.st = scratch;
	struct store_tx *tx = NULL;
	rc = store_begin(scratch, &tx, err);
	for (size_t i = r->header_idx + 1; !rc && i < r->nrows; i++) {
		if (r->rows[i].skip)
			continue;
		int rr = run_row(r, &cx, cache, tx, i, true, true, err);
		if (rr < 0)
			rc = rr;
		else if (rr == 0)
			r->good++;
	}
	store_rollback(tx);
	ipam_cache_free(cache);
	store_close(scratch);
	memo_clear(&r->refmemo);
	for (size_t u = 0; u < IMPORT_MAX_UNIQUE; u++)
		memo_clear(&r->dups[u]);
	return rc;
}

/* Phase 3: the rows known to pass, in one transaction on the real writer. All of them: no
 * savepoints, and a row refused now (someone changed the register since the check) rolls the
 * whole file back and is reported. The good ones only: each in a savepoint, a row refused now
 * joins the refused ones. */
static int write_rows(struct run *r, struct ipam_cache *cache, int64_t *lock_ms, struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(r->x->st, &tx, err);
	if (rc)
		return rc;
	int64_t t0 = clock_mono_ms();
	bool some = r->o->good_rows_only, refused = false;
	int n = 0;
	for (size_t i = r->header_idx + 1; !refused && !rc && i < r->nrows; i++) {
		if (r->rows[i].skip || r->rows[i].bad)
			continue;
		int rr = run_row(r, r->x, cache, tx, i, some, false, err);
		if (rr < 0) {
			rc = rr;
			break;
		}
		refused = rr && !some;
		n += rr == 0;
		r->good -= rr != 0;
	}
	/* Pools may have seen rolled-back rows: cleared while the writer lock is still held (the
	 * server's requests use the same cache under it). */
	if (r->k->prefixes)
		ipam_cache_clear(cache);
	if (refused || rc) {
		store_rollback(tx);
		r->written = 0;
	} else {
		rc = store_commit(tx, err);
		r->written = rc ? 0 : n;
	}
	*lock_ms = clock_mono_ms() - t0;
	memo_clear(&r->refmemo);
	return rc;
}

/* The refused rows as the clerk wrote them, under the file's own header, with a 问题 column:
 * what a clerk corrects and imports again. */
static json_t *refused_file(struct run *r, const char *kind)
{
	struct xlsx_book *b = xlsx_book_new();
	int s = xlsx_sheet_add(b, "未导入的行", false);
	const struct row *h = &r->rows[r->header_idx];
	unsigned prob_col = h->ncells;
	for (unsigned c = 0; c < h->ncells; c++)
		xlsx_cell(b, s, 0, c, row_cell(r, h, c), XLSX_HEAD);
	xlsx_cell(b, s, 0, prob_col, "问题", XLSX_HEAD);
	xlsx_cell(b, s, 0, prob_col + 1, "原行号", XLSX_HEAD);
	xlsx_col_width(b, s, prob_col, 60);
	xlsx_freeze_rows(b, s, 1);
	unsigned out = 1;
	size_t p = 0;
	/* a row's problems joined: texts already held (r->probs), so no maximum to fail at (one
	 * of 1 MB lost every problem after it) */
	struct buf why;
	buf_init(&why, SIZE_MAX);
	for (size_t i = r->header_idx + 1; i < r->nrows; i++) {
		const struct row *row = &r->rows[i];
		if (!row->bad)
			continue;
		for (unsigned c = 0; c < row->ncells || c < r->ncols; c++)
			xlsx_cell(b, s, out, c,
			          c < r->ncols ? cell(r, row, c) : row_cell(r, row, c), 0);
		buf_reset(&why);
		for (; p < r->nprobs && r->probs[p].row < i; p++)
			;
		for (; p < r->nprobs && r->probs[p].row == i; p++) {
			if (why.len)
				buf_puts(&why, "；");
			buf_puts(&why, r->probs[p].text);
		}
		xlsx_cell(b, s, out, prob_col, why.p ? why.p : "", XLSX_WRAP);
		char line[16];
		snprintf(line, sizeof(line), "%d", row->line);
		xlsx_cell(b, s, out, prob_col + 1, line, 0);
		out++;
	}
	buf_free(&why);
	struct buf file;
	buf_init(&file, 256u << 20);
	struct zw_err err = {0};
	json_t *j = NULL;
	if (xlsx_book_write(b, &file, &err) == 0) {
		char name[64];
		snprintf(name, sizeof(name), "%s-未导入.xlsx", kind);
		j = json_pack("{s:s, s:s, s:s%}", "name", name, "media_type", XLSX_MEDIA_TYPE,
		              "base64", "", (size_t)0);
		size_t bl = sodium_base64_ENCODED_LEN(file.len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(bl);
		sodium_bin2base64(b64, bl, (const unsigned char *)file.p, file.len,
		                  sodium_base64_VARIANT_ORIGINAL);
		json_object_set_new(j, "base64", json_string(b64));
		free(b64);
	} else {
		/* the rows written stay written; the answer says the workbook is missing */
		log_warnx("import: the workbook of refused rows could not be written: %s",
		          err.message);
		j = json_pack("{s:s}", "error", err.message);
	}
	buf_free(&file);
	xlsx_book_free(b);
	return j;
}

static json_t *columns_json(const struct run *r, bool ignored)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->ncols; i++) {
		char c[8];
		xlsx_col_name((unsigned)i, c);
		const struct rec_field *f = r->cols[i].f;
		if (ignored && !f && r->headers[i][0])
			json_array_append_new(
			    a, json_pack("{s:s, s:s}", "column", c, "header", r->headers[i]));
		else if (!ignored && f)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "column", c,
			                                   "header", r->headers[i], "field",
			                                   f->name, "label", f->label));
	}
	if (!ignored)
		return a;
	/* cells under no header */
	unsigned widest = 0;
	for (size_t i = r->header_idx + 1; i < r->nrows; i++)
		if (r->rows[i].ncells > widest)
			widest = r->rows[i].ncells;
	for (unsigned i = 0; i < widest; i++) {
		if (i < r->ncols && r->headers[i][0])
			continue;
		bool filled = false;
		for (size_t j = r->header_idx + 1; j < r->nrows && !filled; j++)
			filled = *row_cell(r, &r->rows[j], i) != 0;
		char c[8];
		xlsx_col_name(i, c);
		if (filled)
			json_array_append_new(a,
			                      json_pack("{s:s, s:s}", "column", c, "header", ""));
	}
	return a;
}

static int skip_count(const struct run *r)
{
	int n = 0;
	for (size_t i = r->header_idx + 1; i < r->nrows; i++)
		n += r->rows[i].skip;
	return n;
}

static json_t *report(struct run *r, const char *kind, const char *sheet, const char *encoding,
                      json_t *skipped)
{
	json_t *maps = json_array();
	for (size_t i = 0; i < r->nmaps; i++) {
		char c[8];
		xlsx_col_name(r->maps[i].col, c);
		json_array_append_new(maps, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "column", c,
		                                      "header", r->headers[r->maps[i].col], "field",
		                                      r->cols[r->maps[i].col].f->name, "from",
		                                      r->maps[i].from, "to", r->maps[i].to, "count",
		                                      r->maps[i].count));
	}
	json_t *rep = json_pack(
	    "{s:s, s:b, s:b, s:s?, s:s?, s:i, s:O, s:o, s:o, s:o, s:i, s:i, s:i, s:i, s:O, s:i}",
	    "kind", kind, "dry_run", r->o->dry_run, "good_rows_only", r->o->good_rows_only, "sheet",
	    sheet, "encoding", encoding, "header_row", r->rows[r->header_idx].line, "skipped_rows",
	    skipped, "columns", columns_json(r, false), "ignored_columns", columns_json(r, true),
	    "mappings", maps, "rows", (int)(r->nrows - r->header_idx - 1) - skip_count(r),
	    "good_rows", r->good, "written", r->written, "refused_rows", r->bad_rows, "errors",
	    r->errors, "error_count", r->nerrors);
	json_object_set_new(rep, "refused_file",
	                    r->o->good_rows_only && r->bad_rows && !r->o->dry_run
	                        ? refused_file(r, kind)
	                        : json_null());
	return rep;
}

json_t *import_file(const struct ctx *x, struct ipam_cache *cache, const struct import_limits *lim,
                    const char *kind, const char *text, size_t len, const struct import_opts *o,
                    struct zw_err *err)
{
	static const struct import_opts no_opts = {0};
	const struct import_limits dflt = {
	    IMPORT_MAX_ROWS, IMPORT_MAX_ERRORS, {XLSX_MAX_MEMBER, XLSX_MAX_RATIO}, NULL};
	struct run r = {.x = x, .lim = lim ? lim : &dflt, .fatal = err, .o = o ? o : &no_opts};
	r.header_idx = -1;
	r.k = import_kind_named(kind);
	if (!r.k) {
		zw_errf(err, ZW_ENOTFOUND, "kind", "只能导入：%s", import_kind_list());
		return NULL;
	}
	r.w = import_words_get(r.lim->words);
	if (registry_may_write(x, r.k->kind, true, 0, err)) /* before the file is read */
		return NULL;
	/* Imports of units name units created earlier in the file: no memo for them. */
	r.use_memo = !r.k->units;
	int64_t t0 = clock_mono_ms(), t_read, t_check = 0, copy_ms = 0, lock_ms = 0;
	r.errors = json_array();
	json_t *skipped = json_array();
	bool xlsx = len >= 4 && memcmp(text, "PK\x03\x04", 4) == 0;
	char *sheet = NULL, *conv = NULL;
	const char *encoding = NULL;
	/* CSV cells are pieces of the file; an xlsx's shared strings can repeat, so its cells
	 * are bounded like one expanded member. */
	buf_init(&r.text, xlsx ? (size_t)r.lim->xlsx.max_member : 2 * len + 4096);
	int rc;
	if (xlsx) {
		rc = read_xlsx(&r, text, len, &sheet, err);
	} else {
		size_t clen = len;
		rc = csv_text(text, len, &conv, &clen, err);
		encoding = conv ? "GB18030" : "UTF-8";
		if (!rc)
			rc = csv_parse(conv ? conv : text, clen, read_row, &r, err);
		if ((rc == 1 || (!rc && r.header_idx < 0)) && r.nrows)
			rc = zw_errf(
			    err, ZW_EINVALID, "file",
			    "在文件的前 %d 行中找不到表头：表头行应含两个以上可识别的列名（如%s），"
			    "可用的列名见导入模板的“填表说明”",
			    HEADER_SEARCH, r.k->example_headers);
		else if (rc == 1 || (!rc && r.header_idx < 0))
			rc = zw_errf(err, ZW_EINVALID, "file", "文件是空的（应有一行列名，如%s）",
			             r.k->example_headers);
	}
	if (!rc) {
		for (int i = 0; i < r.header_idx; i++) {
			/* the title row's cells, held in r.text already: no maximum to fail at; the
			 * report quotes the first SKIPPED_TEXT bytes, whole characters */
			struct buf t;
			buf_init(&t, SIZE_MAX);
			for (unsigned c = 0; c < r.rows[i].ncells; c++) {
				const char *v = row_cell(&r, &r.rows[i], c);
				if (*v && t.len)
					buf_puts(&t, " ");
				buf_puts(&t, v);
			}
			if (t.len)
				json_array_append_new(
				    skipped,
				    json_pack("{s:i, s:s, s:s%}", "row", r.rows[i].line, "reason",
				              "title", "text", t.p, utf8_cut(t.p, SKIPPED_TEXT)));
			buf_free(&t);
		}
		classify(&r, skipped);
	}
	t_read = clock_mono_ms();
	if (!rc) {
		rc = check_on_copy(&r, &copy_ms, err);
		t_check = clock_mono_ms();
	}
	if (!rc && !r.o->dry_run && (r.nerrors == 0 || (r.o->good_rows_only && r.good > 0)))
		rc = write_rows(&r, cache, &lock_ms, err);
	int64_t t_end = clock_mono_ms();
	json_t *rep = rc ? NULL : report(&r, kind, sheet, encoding, skipped);
	log_info("import %s by %s%s%s: %zu rows, %d written, %d errors%s%s; %lld ms (read %lld, "
	         "check %lld of which copy %lld, write %lld under the lock)",
	         kind, x->by->username, r.o->dry_run ? " (dry run)" : "",
	         r.o->good_rows_only ? " (good rows only)" : "", r.data_rows, r.written, r.nerrors,
	         rc ? ", refused: " : "", rc ? err->message : "", (long long)(t_end - t0),
	         (long long)(t_read - t0), (long long)(t_check ? t_check - t_read : 0),
	         (long long)copy_ms, (long long)lock_ms);
	json_decref(r.errors);
	json_decref(skipped);
	for (size_t i = 0; i < r.ncols; i++)
		free(r.headers[i]);
	for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
		free(r.vm[i]);
	for (size_t i = 0; i < r.nprobs; i++)
		free(r.probs[i].text);
	free(r.probs);
	for (size_t i = 0; i < r.nmaps; i++)
		free(r.maps[i].from);
	free(r.maps);
	free(r.rows);
	free(sheet);
	free(conv);
	buf_free(&r.text);
	memo_clear(&r.refmemo);
	for (size_t u = 0; u < IMPORT_MAX_UNIQUE; u++)
		memo_clear(&r.dups[u]);
#ifdef __GLIBC__
	/* An import frees tens of MB in the arena of whichever worker thread ran it; without
	 * this each thread would keep its own high-water mark. */
	malloc_trim(0);
#endif
	return rep;
}
