#include "domain/import_kind.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/inventory/assets.h"
#include "domain/inventory/terminal.h"
#include "domain/ipam/address.h"
#include "domain/org/contact.h"
#include "domain/org/unit.h"
#include "store/import_sql.h"

/* ---- the memo ---- */

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

bool memo_get(struct memo *m, const char *k, size_t n, int64_t *id)
{
	if (!m->cap)
		return false;
	struct memo_ent *e = memo_slot(m, k, n);
	if (e->key)
		*id = e->id;
	return e->key != NULL;
}

void memo_put(struct memo *m, const char *k, size_t n, int64_t id)
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
	e->key = xmalloc(n + 1);
	memcpy(e->key, k, n);
	e->key[n] = 0;
	e->klen = n;
	e->id = id;
	m->n++;
}

void memo_clear(struct memo *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	*m = (struct memo){0};
}

/* ---- references ---- */

static const struct import_ref refs[] = {
    {"unit_id", "单位", "单位名称、简称或编号", REC_TEXT, true,
     "SELECT id FROM units WHERE name = ?1 OR short_name = ?1",
     "SELECT name FROM units WHERE id = ?1"},
    {"parent_id", "单位", "单位名称、简称或编号", REC_TEXT, true,
     "SELECT id FROM units WHERE name = ?1 OR short_name = ?1",
     "SELECT name FROM units WHERE id = ?1"},
    {"zone_id", "区域", "区域名称或代码", REC_TEXT, false,
     "SELECT id FROM zones WHERE name = ?1 OR code = ?1", "SELECT name FROM zones WHERE id = ?1"},
    {"vlan_id", "VLAN", "VLAN 号（VID）", REC_INT, false, "SELECT id FROM vlans WHERE vid = ?1",
     "SELECT vid FROM vlans WHERE id = ?1"},
    {"carrier_id", "运营商", "运营商名称或简称", REC_TEXT, false,
     "SELECT id FROM carriers WHERE name = ?1 OR short_name = ?1",
     "SELECT name FROM carriers WHERE id = ?1"},
    {"prefix_id", "地址段", "地址段（如 10.61.3.0/24）", REC_CIDR, false,
     "SELECT id FROM prefixes WHERE cidr = ?1", "SELECT cidr FROM prefixes WHERE id = ?1"},
    {"terminal_id", "终端", "终端的 MAC 地址", REC_MAC, false,
     "SELECT id FROM terminals WHERE mac = ?1", "SELECT mac FROM terminals WHERE id = ?1"},
};

const struct import_ref *import_ref(const char *field)
{
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		if (strcmp(refs[i].field, field) == 0)
			return &refs[i];
	return NULL;
}

int64_t import_resolve(const struct import_ref *ref, struct sconn *c, struct memo *memo,
                       const char *v, char *why, size_t n)
{
	int64_t id;
	if (ref->numbers_are_ids && parse_i64(v, 1, INT64_MAX, &id) == 0)
		return id;
	char *canon = NULL;
	const char *key = v;
	if (ref->key != REC_TEXT) {
		struct rec_field f = {.name = ref->field, .type = ref->key, .label = ref->object};
		struct zw_err err = {0};
		if (ref->key == REC_INT) {
			if (parse_i64(v, 1, 4094, &id) < 0) {
				text_printf(why, n, "%s应为 1–4094 的整数，而不是“%s”", ref->object,
				            v);
				return 0;
			}
		} else if (rec_check_text(&f, v, &canon, &err) < 0) {
			text_printf(why, n, "%s", err.message);
			return 0;
		}
		if (canon)
			key = canon;
	}
	size_t kl = strlen(key);
	if (memo && memo_get(memo, key, kl, &id)) {
		free(canon);
		return id;
	}
	int found = store_lookup_id(c, ref->find, key, &id);
	if (found == 1 && memo)
		memo_put(memo, key, kl, id);
	if (found != 1)
		text_printf(why, n,
		            found > 1 ? "“%s”指向不止一个%s，请改用编号"
		                      : "找不到%s“%s”（按%s查找）",
		            found > 1 ? v : ref->object, found > 1 ? ref->object : v, ref->by);
	free(canon);
	return found == 1 ? id : 0;
}

char *import_ref_name(const struct import_ref *ref, struct sconn *c, int64_t id)
{
	return store_lookup_text(c, ref->name, id);
}

/* ---- the kinds ---- */

static const char *const unit_sample[] = {
    "name",         "城关镇人民政府", "short_name", "城关镇",  "type",
    "党政机关",     "level",          "乡镇",       "address", "城关镇人民路 1 号",
    "connected_on", "2024-03-01",     NULL};
static const char *const contact_sample[] = {
    "unit_id", "城关镇",      "role",  "网络管理员",          "name", "张三", "post", "信息员",
    "mobile",  "13800138000", "email", "zhangsan@example.cn", NULL};
static const char *const prefix_sample[] = {
    "cidr",   "10.61.3.0/24", "status",    "active", "vlan_id",    "103", "unit_id",
    "城关镇", "gateway",      "10.61.3.1", "dns",    "10.61.0.53", NULL};
static const char *const address_sample[] = {
    "prefix_id", "10.61.3.0/24", "address", "10.61.3.20",        "kind", "静态",
    "hostname",  "cgz-pc-01",    "mac",     "00:1a:2b:3c:4d:5e", NULL};
static const char *const terminal_sample[] = {"mac",
                                              "00:1a:2b:3c:4d:5e",
                                              "ip",
                                              "10.61.3.20",
                                              "unit_id",
                                              "城关镇",
                                              "user_name",
                                              "张三",
                                              "location",
                                              "二楼办公室",
                                              "kind",
                                              "计算机",
                                              "os",
                                              "Windows 10",
                                              "antivirus",
                                              "某杀毒软件",
                                              "av_signature_date",
                                              "2025-10-31",
                                              "plugin_installed",
                                              "是",
                                              "classified",
                                              "否",
                                              NULL};
static const char *const device_sample[] = {
    "name",     "城关镇汇聚交换机", "kind",     "交换机",   "owner",
    "信息中心", "unit_id",          "城关镇",   "model",    "S5735",
    "mgmt_ip",  "10.61.3.2",        "location", "一楼机房", NULL};
static const char *const line_sample[] = {
    "circuit_id", "SX-2024-0101", "carrier_id", "中国电信", "unit_id", "城关镇", "bandwidth_mbps",
    "100",        "payer",        "管理单位",   "status",   "在用",    NULL};

static struct import_kind kinds[] = {
    {.name = "units", .label = "单位", .kind = &unit_kind, .units = true, .sample = unit_sample},
    {.name = "contacts", .label = "联系人", .kind = &contact_kind, .sample = contact_sample},
    {.name = "prefixes",
     .label = "地址段",
     .kind = &prefix_kind,
     .prefixes = true,
     .sample = prefix_sample},
    {.name = "addresses", .label = "主机地址", .kind = &address_kind, .sample = address_sample},
    {.name = "terminals",
     .label = "终端",
     .kind = &terminal_kind,
     .unique = {"ip"},
     .sample = terminal_sample},
    {.name = "devices",
     .label = "设备",
     .kind = &device_kind,
     .unique = {"mgmt_ip", "mac"},
     .sample = device_sample},
    {.name = "lines", .label = "线路", .kind = &line_kind, .sample = line_sample},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The keys of each column's name and label, parallel to cols. */
static char *col_keys[NKINDS][IMPORT_MAX_COLS][2];
static char kind_list[200];
static char examples[NKINDS][120];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct import_words shipped;
static bool shipped_ok;

static void add_col(struct import_kind *k, const struct rec_field *f, bool required)
{
	size_t i = k->ncols++;
	k->cols[i] = (struct import_col){f, import_ref(f->name), required};
	size_t ki = (size_t)(k - kinds);
	text_nfkc_key(f->name, &col_keys[ki][i][0]);
	text_nfkc_key(f->label, &col_keys[ki][i][1]);
}

static void init(void);

/* A value of f's enumeration that v names (the value, its code or its label), or NULL. */
static const char *enum_value(const struct rec_field *f, const char *v)
{
	for (size_t e = 0; v && f->type == REC_ENUM && f->enums[e]; e++)
		if (strcmp(f->enums[e], v) == 0 || (f->codes && strcasecmp(f->codes[e], v) == 0) ||
		    (f->labels && strcmp(f->labels[e], v) == 0))
			return f->enums[e];
	return NULL;
}

/* Does every word name a kind, a field of it and, for a value, one of the field's values?
 * ("all": some kind's.) */
static int word_check(const struct import_word *wd, bool value, struct zw_err *err)
{
	bool all = strcmp(wd->kind, "all") == 0, kind = all, field = false, ok = false;
	for (size_t i = 0; i < NKINDS; i++) {
		if (!all && strcmp(kinds[i].name, wd->kind) != 0)
			continue;
		kind = true;
		const struct import_col *c = import_kind_field(&kinds[i], wd->field);
		field |= c != NULL;
		ok |= c && (!value || enum_value(c->f, wd->to));
	}
	if (!kind)
		return zw_errf(err, ZW_EINVALID, "import_words",
		               "%s:%d: [kind %s] 不是可导入的表格（可导入：%s）", wd->file,
		               wd->line, wd->kind, kind_list);
	if (!field)
		return zw_errf(err, ZW_EINVALID, "import_words", "%s:%d: %s 的表格没有字段 %s",
		               wd->file, wd->line, wd->kind, wd->field);
	if (!ok)
		return zw_errf(err, ZW_EINVALID, "import_words",
		               "%s:%d: “%s”不是 %s 字段 %s 可选的值", wd->file, wd->line, wd->to,
		               wd->kind, wd->field);
	return 0;
}

static int words_check(const struct import_words *w, struct zw_err *err)
{
	for (size_t i = 0; i < w->ncolumns; i++)
		if (word_check(&w->columns[i], false, err))
			return -ZW_EINVALID;
	for (size_t i = 0; i < w->nvalues; i++)
		if (word_check(&w->values[i], true, err))
			return -ZW_EINVALID;
	return 0;
}

int import_words_check(const struct import_words *w, struct zw_err *err)
{
	pthread_once(&once, init);
	return words_check(w, err);
}

static void init(void)
{
	size_t o = 0;
	for (size_t i = 0; i < NKINDS; i++) {
		struct import_kind *k = &kinds[i];
		const struct rec_schema *sc = k->kind->sc;
		if (k->kind->parent_field) /* the parent first: whose contacts these are */
			add_col(k, rec_field(sc, k->kind->parent_field), true);
		for (size_t j = 0; j < sc->nfields; j++) {
			const struct rec_field *f = &sc->fields[j];
			if (f->flags & REC_READONLY)
				continue;
			if (k->ncols ==
			    IMPORT_MAX_COLS) /* a kind grew: raise the bound, drop none */
				fatalx("import: %s has more than %d columns", k->name,
				       IMPORT_MAX_COLS);
			add_col(k, f, (f->flags & REC_REQUIRED) != 0);
		}
		size_t e = 0;
		for (size_t j = 0; j < k->ncols && e + 40 < sizeof(examples[i]); j++)
			if (k->cols[j].required && e < 60)
				e += (size_t)snprintf(examples[i] + e, sizeof(examples[i]) - e,
				                      "“%s”", k->cols[j].f->label);
		k->example_headers = examples[i];
		o += (size_t)snprintf(kind_list + o, sizeof(kind_list) - o, "%s%s（%s）",
		                      i ? "、" : "", k->name, k->label);
	}
	struct zw_err err = {0};
	shipped_ok =
	    import_words_load(NULL, &shipped, &err) == 0 && words_check(&shipped, &err) == 0;
	if (!shipped_ok)
		log_warnx("import: the shipped words could not be read: %s", err.message);
}

const struct import_kind *import_kind_named(const char *kind)
{
	pthread_once(&once, init);
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].name, kind) == 0)
			return &kinds[i];
	return NULL;
}

const struct import_kind *import_kind_at(size_t i)
{
	pthread_once(&once, init);
	return i < NKINDS ? &kinds[i] : NULL;
}

const char *import_kind_list(void)
{
	pthread_once(&once, init);
	return kind_list;
}

const struct import_words *import_words_get(const struct import_words *w)
{
	pthread_once(&once, init);
	return w ? w : &shipped;
}

const struct import_col *import_kind_field(const struct import_kind *k, const char *name)
{
	for (size_t i = 0; i < k->ncols; i++)
		if (strcmp(k->cols[i].f->name, name) == 0)
			return &k->cols[i];
	return NULL;
}

const struct rec_field *import_kind_match(const struct import_kind *k, const struct import_words *w,
                                          const char *key,
                                          bool (*has)(const void *k, const char *field))
{
	size_t ki = (size_t)(k - kinds);
	for (size_t i = 0; i < k->ncols; i++)
		if ((col_keys[ki][i][0] && strcmp(col_keys[ki][i][0], key) == 0) ||
		    (col_keys[ki][i][1] && strcmp(col_keys[ki][i][1], key) == 0))
			return k->cols[i].f;
	const char *field = import_words_column(w, k->name, key, has, k);
	return field ? import_kind_field(k, field)->f : NULL;
}

int import_unique_slot(const struct import_kind *k, const char *field)
{
	/* slot 0: the kind's own unique field; then the others no two of its objects share */
	if (k->kind->unique_field && strcmp(k->kind->unique_field, field) == 0)
		return 0;
	for (int i = 0; i + 1 < IMPORT_MAX_UNIQUE && k->unique[i]; i++)
		if (strcmp(k->unique[i], field) == 0)
			return i + 1;
	return -1;
}

/* ---- values ---- */

/* A date as offices write it: 2025-10-31, 2025/10/31, 2025.10.31, 2025年10月31日, 20251031,
 * with a time after it or not, or a spreadsheet's day number (days since 1899-12-30). */
static bool office_date(const char *v, char out[11])
{
	int64_t serial;
	char whole[16];
	size_t n = strcspn(v, ".");
	if (n && n < sizeof(whole) && n < 6) {
		memcpy(whole, v, n);
		whole[n] = 0;
		if (parse_i64(whole, 1, 2958465, &serial) == 0 &&
		    (v[n] == 0 || strspn(v + n + 1, "0123456789") == strlen(v + n + 1))) {
			format_date((int32_t)(serial - 25569), out);
			return true;
		}
	}
	int y = 0, m = 0, d = 0;
	const char *p = v;
	if (strlen(v) == 8 && strspn(v, "0123456789") == 8) {
		y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
		m = (v[4] - '0') * 10 + (v[5] - '0');
		d = (v[6] - '0') * 10 + (v[7] - '0');
	} else {
		int *parts[3] = {&y, &m, &d};
		for (int i = 0; i < 3; i++) {
			int digits = 0;
			while (*p >= '0' && *p <= '9' && digits < 4)
				*parts[i] = *parts[i] * 10 + (*p++ - '0'), digits++;
			if (!digits || (i == 0 && digits != 4) || (i && digits > 2))
				return false;
			static const char *const seps[3][4] = {
			    {"-", "/", ".", "年"}, {"-", "/", ".", "月"}, {"日", " ", "T", ""}};
			bool ok = false;
			for (int s = 0; s < 4 && !ok; s++) {
				size_t l = strlen(seps[i][s]);
				if (i == 2 && *p == 0)
					ok = true;
				else if (l && strncmp(p, seps[i][s], l) == 0)
					ok = true, p += i == 2 ? 0 : l;
			}
			if (!ok)
				return false;
		}
	}
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	memcpy(out, tmp, 11);
	out[10] = 0;
	return true;
}

int import_value(const struct import_kind *k, const struct import_words *w,
                 const struct rec_field *f, const char *v, json_t **val, const char **mapped,
                 char *why, size_t n)
{
	*val = NULL;
	*mapped = NULL;
	struct zw_err err = {0};
	int64_t i64;
	char date[11];
	switch (f->type) {
	case REC_ENUM: {
		char *key = NULL;
		text_nfkc_key(v, &key);
		const char *to = key ? import_words_value(w, k->name, f->name, key) : NULL;
		const char *hit = enum_value(f, v), *via = hit ? NULL : enum_value(f, to);
		free(key);
		if (hit || via) {
			*val = json_string(hit ? hit : via);
			*mapped = via ? rec_enum_label(f, via) : NULL;
			return 0;
		}
		char allowed[300];
		rec_enum_list(f, allowed, sizeof(allowed));
		text_printf(why, n, "%s“%s”不是可选的值（可选：%s）", f->label, v, allowed);
		return -1;
	}
	case REC_BOOL: {
		char *key = NULL;
		int yes = text_nfkc_key(v, &key) == 0 ? import_words_yesno(w, key) : -1;
		free(key);
		if (yes < 0) {
			text_printf(why, n, "%s应填“是”或“否”，而不是“%s”", f->label, v);
			return -1;
		}
		*val = json_boolean(yes);
		return 0;
	}
	case REC_INT:
	case REC_ID:
		if (parse_i64(v, f->type == REC_ID ? 1 : f->min,
		              f->type == REC_ID ? INT64_MAX : f->max, &i64) < 0) {
			if (f->type == REC_INT)
				text_printf(why, n, "%s应为 %lld–%lld 的整数，而不是“%s”", f->label,
				            (long long)f->min, (long long)f->max, v);
			else
				text_printf(why, n, "%s应为编号（正整数），而不是“%s”", f->label,
				            v);
			return -1;
		}
		*val = json_integer(i64);
		return 0;
	case REC_REAL: {
		char *end;
		double d = strtod(v, &end);
		if (*end || end == v) {
			text_printf(why, n, "%s应为数字，而不是“%s”", f->label, v);
			return -1;
		}
		*val = json_real(d);
		return 0;
	}
	case REC_DATE:
		if (!office_date(v, date)) {
			text_printf(why, n,
			            "%s“%s”不是日期（如 2025-10-31、2025/10/31、2025年10月31日）",
			            f->label, v);
			return -1;
		}
		v = date;
		break;
	default:
		break;
	}
	char *canon = NULL;
	if (rec_check_text(f, v, &canon, &err) < 0 ||
	    ((f->flags & REC_NAME) && text_name_check(v, f->name, f->label, &err) < 0)) {
		text_printf(why, n, "%s", err.message);
		free(canon);
		return -1;
	}
	*val = json_string(canon ? canon : v);
	free(canon);
	return 0;
}

int import_create(const struct import_kind *k, const struct ctx *x, struct ipam_cache *cache,
                  struct store_tx *tx, json_t *obj, bool savepoint, int64_t *id, struct zw_err *err)
{
	const struct rec_schema *sc = k->kind->sc;
	const char *pf = k->kind->parent_field;
	int64_t parent = 0;
	if (pf) { /* not a client's field: the route names it */
		parent = json_integer_value(json_object_get(obj, pf));
		json_object_del(obj, pf);
	}
	void *rec = xcalloc(1, sc->size);
	uint64_t present;
	int rc = rec_from_json(sc, obj, true, rec, &present, err);
	if (!rc && pf)
		rec_set_i64(sc, rec, pf, parent);
	if (!rc && savepoint)
		rc = store_savepoint(tx, err);
	bool in_sp = savepoint && !rc;
	if (!rc)
		rc = k->prefixes ? prefix_create_tx(x, cache, tx, rec, id, err)
		                 : registry_create_tx(x, k->kind, tx, rec, id, err);
	if (in_sp) {
		if (rc)
			store_savepoint_rollback(tx);
		else
			rc = store_savepoint_release(tx, err);
	}
	rec_free(sc, rec);
	free(rec);
	return rc;
}
