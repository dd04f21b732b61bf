#include "domain/org/unit.h"
#include "domain/import.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/parse.h"
#include "domain/inventory/terminal.h"
#include "store/rec.h"
#include "store/import_sql.h"
#include "core/xalloc.h"

/* A column header another spreadsheet might use, and the field (or reference) it means.
 * References: "@unit" (a unit by name or id), "@parent" (a parent unit), "@zone" (a zone by
 * name or code), "@vlan" (a VLAN by its VID). */
struct alias {
	const char *header, *field;
};

static const struct alias unit_aliases[] = {{"名称", "name"},        {"单位名称", "name"},
                                            {"简称", "short_name"},  {"类型", "type"},
                                            {"单位类型", "type"},    {"层级", "level"},
                                            {"单位层级", "level"},   {"地址", "address"},
                                            {"办公地址", "address"}, {"上级单位", "@parent"},
                                            {"parent", "@parent"},   {"状态", "status"},
                                            {"接入状态", "status"},  {"接入日期", "connected_on"},
                                            {"备注", "note"},        {NULL, NULL}};
static const struct alias prefix_aliases[] = {
    {"地址段", "cidr"}, {"网段", "cidr"},        {"prefix", "cidr"},      {"状态", "status"},
    {"单位", "@unit"},  {"使用单位", "@unit"},   {"unit", "@unit"},       {"区域", "@zone"},
    {"zone", "@zone"},  {"VLAN", "@vlan"},       {"vlan", "@vlan"},       {"网关", "gateway"},
    {"DNS", "dns"},     {"说明", "description"}, {"备注", "description"}, {NULL, NULL}};
static const struct alias terminal_aliases[] = {{"MAC", "mac"},
                                                {"MAC地址", "mac"},
                                                {"IP", "ip"},
                                                {"IP地址", "ip"},
                                                {"单位", "@unit"},
                                                {"使用单位", "@unit"},
                                                {"单位名称", "@unit"},
                                                {"unit", "@unit"},
                                                {"使用人", "user_name"},
                                                {"位置", "location"},
                                                {"类型", "kind"},
                                                {"终端类型", "kind"},
                                                {"操作系统", "os"},
                                                {"防病毒软件", "antivirus"},
                                                {"杀毒软件", "antivirus"},
                                                {"病毒库日期", "av_signature_date"},
                                                {"补丁日期", "patch_date"},
                                                {"安全插件", "plugin_installed"},
                                                {"安全管理插件", "plugin_installed"},
                                                {"涉密", "classified"},
                                                {"备注", "note"},
                                                {NULL, NULL}};

struct kind_def {
	const char *name;
	const struct rec_schema *sc;
	const struct alias *aliases;
	const struct registry_kind *kind; /* whose create its rows go through */
};

/* What a file may hold: the registry kinds given column aliases here, named, checked and
 * authorised as the kind is. */
static const struct {
	const struct registry_kind *kind;
	const struct alias *aliases;
} registry_imports[] = {
    {&unit_kind, unit_aliases}, {&prefix_kind, prefix_aliases}, {&terminal_kind, terminal_aliases}};

/* The rows of a file, read in phase 1 and run twice: each cell trimmed and NUL-terminated,
 * one row after another in one buffer (a file's rows cost little more than the file). */
struct row {
	int line;
	unsigned ncells;
	size_t off;
};

/* A reference cell resolved to an id, remembered for the rest of a phase (found ones only: a
 * row may create what a later row names, and only imports of other kinds use it). */
struct memo_ent {
	char *key; /* the reference's '@' name, NUL, the cell */
	size_t klen;
	int64_t id;
};

struct memo {
	struct memo_ent *v;
	size_t n, cap; /* cap a power of two */
};

struct run {
	const struct ctx *x;
	const struct kind_def *k;
	const struct import_limits *lim;
	char *cols[CSV_MAX_FIELDS];    /* field (or @reference) per column */
	char *headers[CSV_MAX_FIELDS]; /* as written in the file */
	size_t ncols;
	struct buf text;
	struct row *rows;
	size_t nrows, cap;
	int written;
	json_t *errors; /* the first lim->max_errors problems */
	int nerrors;    /* all of them */
	struct memo memo;
	bool use_memo;
	struct zw_err *fatal;
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

/* The field a header names: an alias first (they also turn reference columns such as
 * 上级单位 into names to look up), then a field's own name or Chinese label. */
static const char *match(const struct kind_def *k, const char *h)
{
	/* spaces do not matter in Chinese headers: "MAC 地址" = "MAC地址" */
	char squeezed[128];
	size_t o = 0;
	for (const char *p = h; *p && o + 1 < sizeof(squeezed); p++)
		if (*p != ' ')
			squeezed[o++] = *p;
	squeezed[o] = 0;
	for (const struct alias *a = k->aliases; a->header; a++)
		if (strcmp(a->header, h) == 0 || strcmp(a->header, squeezed) == 0)
			return a->field;
	for (size_t i = 0; i < k->sc->nfields; i++) {
		const struct rec_field *f = &k->sc->fields[i];
		if (f->flags & REC_READONLY)
			continue;
		if (strcasecmp(f->name, h) == 0 || strcmp(f->label, h) == 0)
			return f->name;
	}
	return NULL;
}

/* A problem of one row: counted always, listed while the list is short (a file of half a
 * million bad rows answers with the first few hundred and the count). */
static void row_error(struct run *r, int row, const char *field, const char *message)
{
	r->nerrors++;
	if (r->nerrors > r->lim->max_errors)
		return;
	const char *column = "";
	for (size_t i = 0; field && i < r->ncols; i++)
		if (strcmp(r->cols[i], field) == 0 ||
		    (r->cols[i][0] == '@' && strcmp(field, "unit_id") == 0 &&
		     strcmp(r->cols[i], "@unit") == 0) ||
		    (strcmp(field, "parent_id") == 0 && strcmp(r->cols[i], "@parent") == 0) ||
		    (strcmp(field, "zone_id") == 0 && strcmp(r->cols[i], "@zone") == 0) ||
		    (strcmp(field, "vlan_id") == 0 && strcmp(r->cols[i], "@vlan") == 0))
			column = r->headers[i];
	json_array_append_new(r->errors,
	                      json_pack("{s:i, s:s, s:s, s:s}", "row", row, "column", column,
	                                "field", field ? field : "", "message", message));
}

/* ---- the memo of references ---- */

static uint64_t memo_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h;
}

static struct memo_ent *memo_slot(struct memo *m, const char *k, size_t n)
{
	size_t i = (size_t)memo_hash(k, n) & (m->cap - 1);
	while (m->v[i].key && (m->v[i].klen != n || memcmp(m->v[i].key, k, n) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

static bool memo_get(struct memo *m, const char *k, size_t n, int64_t *id)
{
	if (!m->cap)
		return false;
	struct memo_ent *e = memo_slot(m, k, n);
	if (e->key)
		*id = e->id;
	return e->key != NULL;
}

static void memo_put(struct memo *m, const char *k, size_t n, int64_t id)
{
	if (2 * (m->n + 1) > m->cap) { /* keep it at most half full */
		struct memo old = *m;
		m->cap = old.cap ? old.cap * 2 : 256;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].key) {
				*memo_slot(m, old.v[i].key, old.v[i].klen) = old.v[i];
				m->n++;
			}
		free(old.v);
	}
	struct memo_ent *e = memo_slot(m, k, n);
	if (e->key)
		return;
	e->key = xmalloc(n);
	memcpy(e->key, k, n);
	e->klen = n;
	e->id = id;
	m->n++;
}

static void memo_clear(struct memo *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	*m = (struct memo){0};
}

/* A reference cell ("财政局" or "12") to the id it names, or 0 with a message. */
static int64_t resolve(struct run *r, struct sconn *c, const char *ref, const char *v, char *why,
                       size_t n)
{
	int64_t id;
	if (parse_i64(v, 1, INT64_MAX, &id) == 0 && strcmp(ref, "@vlan") != 0)
		return id;
	char key[512]; /* names are short; a longer cell is looked up every time */
	size_t rl = strlen(ref), vl = strlen(v), kl = rl + 1 + vl;
	bool memo = r->use_memo && kl <= sizeof(key);
	if (memo) {
		memcpy(key, ref, rl + 1);
		memcpy(key + rl + 1, v, vl);
		if (memo_get(&r->memo, key, kl, &id))
			return id;
	}
	const char *sql =
	    strcmp(ref, "@zone") == 0   ? "SELECT id FROM zones WHERE name = ?1 OR code = ?1"
	    : strcmp(ref, "@vlan") == 0 ? "SELECT id FROM vlans WHERE vid = ?1"
	                                : "SELECT id FROM units WHERE name = ?1 OR short_name = ?1";
	int found = store_lookup_id(c, sql, v, &id);
	if (found == 1) {
		if (memo)
			memo_put(&r->memo, key, kl, id);
		return id;
	}
	snprintf(why, n, found > 1 ? "“%s”指向不止一个对象，请改用编号" : "找不到“%s”", v);
	return 0;
}

/* A spreadsheet keeps dates as day numbers since 1899-12-30: "45962" -> "2025-10-31". */
static bool excel_date(const char *v, char out[200])
{
	int64_t serial;
	char whole[16];
	size_t n = strcspn(v, ".");
	if (n == 0 || n >= sizeof(whole))
		return false;
	memcpy(whole, v, n);
	whole[n] = 0;
	if (parse_i64(whole, 1, 2958465, &serial) < 0) /* up to 9999-12-31 */
		return false;
	format_date((int32_t)(serial - 25569), out);
	return true;
}

/* ---- phase 1: read the file (no database) ---- */

static int header_row(struct run *r, char **f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *h = trim(f[i]);
		const char *field = match(r->k, h);
		if (!field)
			return zw_errf(r->fatal, ZW_EINVALID, "file",
			               "第 1 行第 %zu 列：无法识别的列名“%.40s”", i + 1, h);
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->cols[j], field) == 0)
				return zw_errf(r->fatal, ZW_EINVALID, "file",
				               "第 1 行：列“%.40s”重复", h);
		r->cols[i] = xstrdup(field);
		r->headers[i] = xstrdup(h);
		r->ncols = i + 1;
	}
	return 0;
}

static int read_row(int line, char **f, size_t n, void *vctx)
{
	struct run *r = vctx;
	if (r->ncols == 0)
		return header_row(r, f, n);
	if (r->nrows >= (size_t)r->lim->max_rows)
		return zw_errf(
		    r->fatal, ZW_ETOOLARGE, "file",
		    "文件超过每次导入 %d 行数据的上限（第 %d 行起未读），未写入任何数据；"
		    "请分成多个文件导入",
		    r->lim->max_rows, line);
	if (n > r->ncols) {
		/* counted as a row, never run */
		r->nrows++;
		row_error(r, line, NULL, "单元格多于表头的列数");
		return 0;
	}
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->rows = xreallocarray(r->rows, r->cap, sizeof(*r->rows));
	}
	struct row *row = &r->rows[r->nrows];
	*row = (struct row){.line = line, .ncells = (unsigned)n, .off = r->text.len};
	for (size_t i = 0; i < n; i++) {
		const char *v = trim(f[i]);
		if (buf_append(&r->text, v, strlen(v) + 1) < 0)
			return zw_errf(
			    r->fatal, ZW_ETOOLARGE, "file",
			    "文件的单元格内容合计超过 %zu 字节（第 %d 行），请分成多个文件导入",
			    r->text.max, line);
	}
	r->nrows++;
	return 0;
}

/* ---- phases 2 and 3: each row through the kind's create function ---- */

/* A row's cells as the JSON a client would send: references resolved through c. NULL with
 * the row's problem reported. */
static json_t *row_json(struct run *r, struct sconn *c, const struct row *row)
{
	json_t *obj = json_object();
	char why[200];
	const char *v = r->text.p + row->off;
	for (size_t i = 0; i < row->ncells; i++, v += strlen(v) + 1) {
		if (!*v)
			continue;
		const char *field = r->cols[i];
		if (field[0] == '@') {
			int64_t id = resolve(r, c, field, v, why, sizeof(why));
			const char *target = strcmp(field, "@parent") == 0 ? "parent_id"
			                     : strcmp(field, "@zone") == 0 ? "zone_id"
			                     : strcmp(field, "@vlan") == 0 ? "vlan_id"
			                                                   : "unit_id";
			if (!id) {
				row_error(r, row->line, target, why);
				json_decref(obj);
				return NULL;
			}
			json_object_set_new(obj, target, json_integer(id));
			continue;
		}
		const struct rec_field *rf = rec_field(r->k->sc, field);
		int64_t iv;
		bool bv;
		if ((rf->type == REC_INT || rf->type == REC_ID) &&
		    parse_i64(v, INT64_MIN, INT64_MAX, &iv) == 0)
			json_object_set_new(obj, field, json_integer(iv));
		else if (rf->type == REC_BOOL &&
		         (parse_bool(v, &bv) == 0 || !strcmp(v, "是") || !strcmp(v, "否")))
			json_object_set_new(
			    obj, field,
			    json_boolean(strcmp(v, "是") == 0 || (strcmp(v, "否") != 0 && bv)));
		else if (rf->type == REC_DATE && excel_date(v, why))
			json_object_set_new(obj, field, json_string(why));
		else
			json_object_set_new(obj, field, json_string(v));
	}
	return obj;
}

/* One row in tx: 0 written, 1 refused (and reported). With a savepoint a refused row leaves
 * nothing behind and the transaction goes on; without one the caller must roll back. */
static int run_row(struct run *r, const struct ctx *x, struct ipam_cache *cache,
                   struct store_tx *tx, const struct row *row, bool savepoint)
{
	if (row->ncells > r->ncols)
		return 1; /* reported while reading */
	json_t *obj = row_json(r, store_tx_conn(tx), row);
	if (!obj)
		return 1;
	struct zw_err err = {0};
	void *rec = xcalloc(1, r->k->sc->size);
	uint64_t present;
	int64_t id;
	int rc = rec_from_json(r->k->sc, obj, true, rec, &present, &err);
	if (!rc && savepoint)
		rc = store_savepoint(tx, &err);
	bool in_sp = savepoint && !rc;
	if (!rc) {
		if (r->k->sc == &prefix_schema)
			rc = prefix_create_tx(x, cache, tx, rec, &id, &err);
		else
			rc = registry_create_tx(x, r->k->kind, tx, rec, &id, &err);
	}
	if (in_sp) {
		if (rc)
			store_savepoint_rollback(tx);
		else
			rc = store_savepoint_release(tx, &err);
	}
	if (rc)
		row_error(r, row->line, err.field,
		          err.message[0] ? err.message : zw_err_default(-rc));
	rec_free(r->k->sc, rec);
	free(rec);
	json_decref(obj);
	return rc ? 1 : 0;
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
	for (size_t i = 0; !rc && i < r->nrows; i++)
		run_row(r, &cx, cache, tx, &r->rows[i], true);
	store_rollback(tx);
	ipam_cache_free(cache);
	store_close(scratch);
	memo_clear(&r->memo);
	return rc;
}

/* Phase 3: the rows, known to pass, in one transaction on the real writer, no savepoints. A
 * row refused now (someone changed the register since the check) rolls the whole file back
 * and is reported. */
static int write_rows(struct run *r, struct ipam_cache *cache, int64_t *lock_ms, struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(r->x->st, &tx, err);
	if (rc)
		return rc;
	int64_t t0 = clock_mono_ms();
	bool refused = false;
	for (size_t i = 0; !refused && i < r->nrows; i++)
		refused = run_row(r, r->x, cache, tx, &r->rows[i], false) != 0;
	if (refused) {
		store_rollback(tx);
		r->written = 0;
	} else {
		rc = store_commit(tx, err);
		r->written = rc ? 0 : (int)r->nrows;
	}
	*lock_ms = clock_mono_ms() - t0;
	if (r->k->sc == &prefix_schema)
		ipam_cache_clear(cache); /* pools may have seen rolled-back rows */
	memo_clear(&r->memo);
	return rc;
}

static bool kind_named(const char *kind, struct kind_def *out)
{
	for (size_t i = 0; i < sizeof(registry_imports) / sizeof(registry_imports[0]); i++) {
		const struct registry_kind *k = registry_imports[i].kind;
		if (strcmp(k->table, kind) == 0)
			*out = (struct kind_def){k->table, k->sc, registry_imports[i].aliases, k};
	}
	return out->name != NULL;
}

json_t *import_file(const struct ctx *x, struct ipam_cache *cache, const struct import_limits *lim,
                    const char *kind, const char *text, size_t len, bool dry_run,
                    struct zw_err *err)
{
	const struct import_limits dflt = {
	    IMPORT_MAX_ROWS, IMPORT_MAX_ERRORS, {XLSX_MAX_MEMBER, XLSX_MAX_RATIO}};
	struct kind_def kd = {0};
	struct run r = {.x = x, .lim = lim ? lim : &dflt, .fatal = err, .k = &kd};
	if (!kind_named(kind, &kd)) {
		zw_errf(err, ZW_ENOTFOUND, "kind", "只能导入 units、prefixes 或 terminals");
		return NULL;
	}
	if (registry_may_write(x, r.k->kind, true, 0, err)) /* before the file is read */
		return NULL;
	/* Imports of units name units created earlier in the file: no memo for them. */
	r.use_memo = r.k->sc != &unit_schema;
	int64_t t0 = clock_mono_ms(), t_read, t_check = 0, copy_ms = 0, lock_ms = 0;
	r.errors = json_array();
	bool xlsx = len >= 4 && memcmp(text, "PK\x03\x04", 4) == 0;
	/* CSV cells are pieces of the file; an xlsx's shared strings can repeat, so its cells
	 * are bounded like one expanded member. */
	buf_init(&r.text, xlsx ? (size_t)r.lim->xlsx.max_member : len + len / 2 + 4096);
	int rc = xlsx ? xlsx_parse(text, len, &r.lim->xlsx, read_row, &r, err)
	              : csv_parse(text, len, read_row, &r, err);
	if (!rc && r.ncols == 0)
		rc = zw_errf(err, ZW_EINVALID, "file", "文件是空的（第一行应为列名）");
	t_read = clock_mono_ms();
	if (!rc) { /* rows refused while reading are skipped; the others are still checked */
		rc = check_on_copy(&r, &copy_ms, err);
		t_check = clock_mono_ms();
	}
	if (!rc && r.nerrors == 0 && !dry_run)
		rc = write_rows(&r, cache, &lock_ms, err);
	int64_t t_end = clock_mono_ms();
	json_t *report = NULL;
	if (!rc)
		report = json_pack("{s:s, s:b, s:i, s:i, s:O, s:i}", "kind", kind, "dry_run",
		                   dry_run, "rows", (int)r.nrows, "written", r.written, "errors",
		                   r.errors, "error_count", r.nerrors);
	log_info("import %s by %s%s: %zu rows, %d written, %d errors%s%s; %lld ms (read %lld, "
	         "check %lld of which copy %lld, write %lld under the lock)",
	         kind, x->by->username, dry_run ? " (dry run)" : "", r.nrows, r.written, r.nerrors,
	         rc ? ", refused: " : "", rc ? err->message : "", (long long)(t_end - t0),
	         (long long)(t_read - t0), (long long)(t_check ? t_check - t_read : 0),
	         (long long)copy_ms, (long long)lock_ms);
	json_decref(r.errors);
	for (size_t i = 0; i < r.ncols; i++) {
		free(r.cols[i]);
		free(r.headers[i]);
	}
	free(r.rows);
	buf_free(&r.text);
	memo_clear(&r.memo);
#ifdef __GLIBC__
	/* An import frees tens of MB in the arena of whichever worker thread ran it; without
	 * this each thread would keep its own high-water mark. */
	malloc_trim(0);
#endif
	return report;
}
