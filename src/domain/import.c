#include "domain/import.h"

#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/xlsx.h"
#include "core/parse.h"
#include "domain/terminal.h"
#include "store/rec.h"
#include "store/registry.h"

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
	enum action act; /* a role without it is refused before the file is read */
};

static const struct kind_def kinds[] = {
    {"units", &unit_schema, unit_aliases, ACT_UNIT_CREATE},
    {"prefixes", &prefix_schema, prefix_aliases, ACT_IPAM_WRITE},
    {"terminals", &terminal_schema, terminal_aliases, ACT_TERMINAL_WRITE},
};

struct run {
	const struct ctx *x;
	struct ipam_cache *cache;
	const struct kind_def *k;
	struct store_tx *tx;
	char *cols[CSV_MAX_FIELDS];    /* field (or @reference) per column */
	char *headers[CSV_MAX_FIELDS]; /* as written in the file */
	size_t ncols;
	int rows, written;
	json_t *errors;
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

static void row_error(struct run *r, int row, const char *field, const char *message)
{
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

/* A reference cell ("财政局" or "12") to the id it names, or 0 with a message. */
static int64_t resolve(struct run *r, const char *ref, const char *v, char *why, size_t n)
{
	int64_t id;
	if (parse_i64(v, 1, INT64_MAX, &id) == 0 && strcmp(ref, "@vlan") != 0)
		return id;
	struct sconn *c = store_tx_conn(r->tx);
	const char *sql =
	    strcmp(ref, "@zone") == 0   ? "SELECT id FROM zones WHERE name = ?1 OR code = ?1"
	    : strcmp(ref, "@vlan") == 0 ? "SELECT id FROM vlans WHERE vid = ?1"
	                                : "SELECT id FROM units WHERE name = ?1 OR short_name = ?1";
	int found = store_lookup_id(c, sql, v, &id);
	if (found == 1)
		return id;
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

static int import_row(int line, char **f, size_t n, void *vctx)
{
	struct run *r = vctx;
	if (r->ncols == 0) { /* the header */
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
			r->cols[i] = strdup(field);
			r->headers[i] = strdup(h);
			r->ncols = i + 1;
		}
		return 0;
	}
	r->rows++;
	if (n > r->ncols) {
		row_error(r, line, NULL, "单元格多于表头的列数");
		return 0;
	}
	json_t *obj = json_object();
	char why[200];
	for (size_t i = 0; i < n; i++) {
		char *v = trim(f[i]);
		if (!*v)
			continue;
		const char *field = r->cols[i];
		if (field[0] == '@') {
			int64_t id = resolve(r, field, v, why, sizeof(why));
			const char *target = strcmp(field, "@parent") == 0 ? "parent_id"
			                     : strcmp(field, "@zone") == 0 ? "zone_id"
			                     : strcmp(field, "@vlan") == 0 ? "vlan_id"
			                                                   : "unit_id";
			if (!id) {
				row_error(r, line, target, why);
				json_decref(obj);
				return 0;
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
	struct zw_err err = {0};
	void *rec = calloc(1, r->k->sc->size);
	uint64_t present;
	int64_t id;
	int rc = store_savepoint(r->tx, &err);
	if (!rc)
		rc = rec_from_json(r->k->sc, obj, true, rec, &present, &err);
	if (!rc) {
		if (r->k->sc == &unit_schema)
			rc = unit_create_tx(r->x, r->tx, rec, &id, &err);
		else if (r->k->sc == &prefix_schema)
			rc = prefix_create_tx(r->x, r->cache, r->tx, rec, &id, &err);
		else
			rc = registry_create_tx(r->x, &terminal_kind, r->tx, rec, &id, &err);
	}
	if (rc) {
		store_savepoint_rollback(r->tx);
		row_error(r, line, err.field, err.message[0] ? err.message : zw_err_default(-rc));
	} else {
		store_savepoint_release(r->tx, &err);
		r->written++;
	}
	rec_free(r->k->sc, rec);
	free(rec);
	json_decref(obj);
	return 0;
}

json_t *import_csv(const struct ctx *x, struct ipam_cache *cache, const char *kind,
                   const char *text, size_t len, bool dry_run, struct zw_err *err)
{
	struct run r = {.x = x, .cache = cache, .fatal = err};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, kind) == 0)
			r.k = &kinds[i];
	if (!r.k) {
		zw_errf(err, ZW_ENOTFOUND, "kind", "只能导入 units、prefixes 或 terminals");
		return NULL;
	}
	if (authz_scope(x->by, r.k->act) == SCOPE_NONE) {
		zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
		return NULL;
	}
	if (store_begin(x->st, &r.tx, err))
		return NULL;
	r.errors = json_array();
	bool xlsx = len >= 4 && memcmp(text, "PK\x03\x04", 4) == 0;
	int rc = xlsx ? xlsx_parse(text, len, import_row, &r, err)
	              : csv_parse(text, len, import_row, &r, err);
	if (!rc && r.ncols == 0)
		rc = zw_errf(err, ZW_EINVALID, "file", "文件是空的（第一行应为列名）");
	json_t *report = NULL;
	if (!rc) {
		bool ok = json_array_size(r.errors) == 0;
		if (ok && !dry_run)
			rc = store_commit(r.tx, err);
		else
			store_rollback(r.tx);
		r.tx = NULL;
		if (!rc)
			report = json_pack("{s:s, s:b, s:i, s:i, s:O}", "kind", kind, "dry_run",
			                   dry_run, "rows", r.rows, "written",
			                   ok && !dry_run ? r.written : 0, "errors", r.errors);
		if (r.k->sc == &prefix_schema)
			ipam_cache_clear(cache); /* pools may have seen rolled-back rows */
	}
	if (r.tx)
		store_rollback(r.tx);
	json_decref(r.errors);
	for (size_t i = 0; i < r.ncols; i++) {
		free(r.cols[i]);
		free(r.headers[i]);
	}
	return report;
}
