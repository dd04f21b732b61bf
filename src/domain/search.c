/* The search box (domain/search.h): classify the query, run the lookups its kind allows on one
 * read snapshot, and write each hit as people read it (titles and details in Chinese, stored
 * codes by their names from the field tables) with the console page that shows it. */
#include "domain/search.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inet.h"
#include "core/parse.h"
#include "core/pinyin.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/inventory/terminal.h"
#include "domain/ipam/address.h"
#include "domain/org/contact.h"
#include "domain/org/unit.h"
#include "domain/registry.h"
#include "domain/violation/violation.h"
#include "store/ipam_sql.h"
#include "store/search_sql.h"

/* The types of result, in the order a text query lists them. */
enum rtype {
	R_UNIT,
	R_PREFIX,
	R_HOST,
	R_TERMINAL,
	R_DEVICE,
	R_CONTACT,
	R_LINE,
	R_APP,
	R_VIOLATION,
	R_COUNT
};

static const struct {
	const char *name;
	const struct registry_kind *k; /* whose read action and unit scope a result takes */
} rtypes[R_COUNT] = {
    [R_UNIT] = {"unit", &unit_kind},
    [R_PREFIX] = {"prefix", &prefix_kind},
    [R_HOST] = {"host", &address_kind},
    [R_TERMINAL] = {"terminal", &terminal_kind},
    [R_DEVICE] = {"device", &device_kind},
    [R_CONTACT] = {"contact", &contact_kind},
    [R_LINE] = {"line", &line_kind},
    [R_APP] = {"application", &application_kind},
    [R_VIOLATION] = {"violation", &violation_kind},
};

/* Each kind of query lists its types in the order that answers it best (an address: where it
 * lies first). */
static const enum rtype order[][R_COUNT + 1] = {
    [SEARCH_IP] = {R_PREFIX, R_UNIT, R_HOST, R_TERMINAL, R_DEVICE, R_VIOLATION, R_COUNT},
    [SEARCH_CIDR] = {R_PREFIX, R_UNIT, R_COUNT},
    [SEARCH_MAC] = {R_TERMINAL, R_UNIT, R_HOST, R_DEVICE, R_VIOLATION, R_COUNT},
    [SEARCH_MOBILE] = {R_CONTACT, R_UNIT, R_APP, R_COUNT},
    [SEARCH_TEXT] = {R_UNIT, R_CONTACT, R_TERMINAL, R_LINE, R_DEVICE, R_APP, R_VIOLATION, R_COUNT},
};

static const struct {
	const char *name, *label;
} kinds[] = {
    [SEARCH_IP] = {"ip", "IP 地址"},    [SEARCH_CIDR] = {"cidr", "地址段"},
    [SEARCH_MAC] = {"mac", "MAC 地址"}, [SEARCH_MOBILE] = {"mobile", "手机号"},
    [SEARCH_TEXT] = {"text", "文字"},
};

const char *search_kind_name(enum search_kind k)
{
	return kinds[(unsigned)k <= SEARCH_TEXT ? k : SEARCH_TEXT].name;
}

const char *search_kind_label(enum search_kind k)
{
	return kinds[(unsigned)k <= SEARCH_TEXT ? k : SEARCH_TEXT].label;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

enum search_kind search_classify(const char *q, char *canon, size_t n)
{
	int fam;
	u128 a;
	struct inet_prefix p;
	uint8_t mac[6];
	char text[INET_PREFIX_MAX];
	if (inet_parse_addr(q, &fam, &a) == 0) {
		inet_format_addr(fam, a, text);
		snprintf(canon, n, "%s", text);
		return SEARCH_IP;
	}
	if (strchr(q, '/') && inet_parse_prefix(q, true, &p) == 0) {
		inet_format_prefix(&p, text);
		snprintf(canon, n, "%s", text);
		return SEARCH_CIDR;
	}
	if (parse_mac(q, mac) == 0) {
		char m[18];
		format_mac(mac, m);
		snprintf(canon, n, "%s", m);
		return SEARCH_MAC;
	}
	text_printf(canon, n, "%s", q);
	if (strlen(q) == 11 && q[0] == '1' && all_digits(q))
		return SEARCH_MOBILE;
	return SEARCH_TEXT;
}

/* ---- the answer being built ---- */

struct found {
	const struct ctx *x;
	struct sconn *c;
	int64_t scope[R_COUNT]; /* the unit each type is limited to: 0 none, -1 unreadable */
	json_t *items[R_COUNT];
	int64_t ids[R_COUNT][SEARCH_PER_TYPE];
	int n[R_COUNT];
	bool truncated;
	/* the units the hits belong to, for the unit results of an address, MAC or mobile */
	int64_t units[SEARCH_PER_TYPE * 4];
	int nunits;
	struct zw_err *err;
};

/* A type the principal may read at all, and the unit it is limited to (0: every unit). */
static bool readable(const struct found *f, enum rtype t)
{
	return f->scope[t] >= 0;
}

static void note_unit(struct found *f, int64_t unit)
{
	if (unit <= 0)
		return;
	for (int i = 0; i < f->nunits; i++)
		if (f->units[i] == unit)
			return;
	if (f->nunits < (int)(sizeof(f->units) / sizeof(f->units[0])))
		f->units[f->nunits++] = unit;
	else
		f->truncated = true; /* a unit left out is said, like any type past its cap */
}

/* The Chinese name of value of kind k's enum field, the value itself when it has none. */
static const char *named(const struct registry_kind *k, const char *field, const char *value)
{
	const struct rec_field *rf = rec_field(k->sc, field);
	const char *l = rf && *value ? rec_enum_label(rf, value) : NULL;
	return l ? l : value;
}

/* The parts that are not empty, joined by " · ", into out. */
static void join(char *out, size_t n, const char *const *parts, int k)
{
	out[0] = 0;
	for (int i = 0; i < k; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		size_t len = strlen(out);
		text_printf(out + len, n - len, "%s%s", len ? " · " : "", parts[i]);
	}
}

/* s percent-encoded for a console address's query (every byte but unreserved ones). */
static void encode(const char *s, char *out, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 4 < n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
		    *p == ':') {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hx[*p >> 4];
			out[k++] = hx[*p & 15];
		}
	}
	out[k] = 0;
}

static void add(struct found *f, enum rtype t, int64_t id, int64_t unit, const char *title,
                const char *detail, const char *path)
{
	for (int i = 0; i < f->n[t]; i++)
		if (f->ids[t][i] == id)
			return;
	if (f->n[t] == SEARCH_PER_TYPE) {
		f->truncated = true;
		return;
	}
	f->ids[t][f->n[t]++] = id;
	json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "type", rtypes[t].name,
	                      "type_label", rtypes[t].k->label, "id", (json_int_t)id, "title",
	                      title, "detail", detail, "path", path);
	if (!o) /* stored text is valid UTF-8 and cut on whole characters: never */
		return;
	json_object_set_new(o, "unit_id", unit > 0 ? json_integer(unit) : json_null());
	json_array_append_new(f->items[t], o);
}

/* ---- one row of each lookup, as a result ---- */

struct lookup {
	struct found *f;
	enum rtype t;
	const char *note; /* what the hit is to the query, first in its detail ("" none) */
	bool units;       /* the hit's unit is one of the answer's units */
};

static int unit_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], short_name[160] = "", path[40];
	if (*r->t[1])
		text_printf(short_name, sizeof(short_name), "简称 %s", r->t[1]);
	const char *parts[] = {l->note, r->t[3], r->t[2], short_name};
	join(detail, sizeof(detail), parts, 4);
	snprintf(path, sizeof(path), "/units/%lld", (long long)r->id);
	add(l->f, R_UNIT, r->id, r->id, r->t[0], detail, path);
	return 0;
}

static const char *unit_or(const struct search_row *r, const char *none)
{
	return r->unit ? r->unit : none;
}

static int prefix_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], gw[80] = "";
	if (*r->t[3])
		text_printf(gw, sizeof(gw), "网关 %s", r->t[3]);
	const char *parts[] = {l->note, named(&prefix_kind, "status", r->t[1]),
	                       unit_or(r, "未分配给单位"), r->t[2], gw};
	join(detail, sizeof(detail), parts, 5);
	add(l->f, R_PREFIX, r->id, r->unit_id, r->t[0], detail, "/ipam");
	if (l->units)
		note_unit(l->f, r->unit_id);
	return 0;
}

static int host_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], mac[40] = "", path[64];
	if (*r->t[3])
		snprintf(mac, sizeof(mac), "MAC %s", r->t[3]);
	const char *parts[] = {l->note, named(&address_kind, "kind", r->t[1]), r->t[2], mac,
	                       unit_or(r, "")};
	join(detail, sizeof(detail), parts, 5);
	snprintf(path, sizeof(path), "/addresses?prefix_id=%lld", (long long)r->n);
	add(l->f, R_HOST, r->id, r->unit_id, r->t[0], detail, path);
	if (l->units)
		note_unit(l->f, r->unit_id);
	return 0;
}

static int terminal_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], ip[80] = "", user[120] = "", path[64];
	if (*r->t[1])
		snprintf(ip, sizeof(ip), "IP %s", r->t[1]);
	if (*r->t[3])
		text_printf(user, sizeof(user), "使用人 %s", r->t[3]);
	const char *parts[] = {
	    l->note, named(&terminal_kind, "kind", r->t[2]), ip, user, r->t[4], unit_or(r, "")};
	join(detail, sizeof(detail), parts, 6);
	snprintf(path, sizeof(path), "/terminals?mac=%s", r->t[0]);
	add(l->f, R_TERMINAL, r->id, r->unit_id, r->t[0], detail, path);
	if (l->units)
		note_unit(l->f, r->unit_id);
	return 0;
}

static int device_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], ip[80] = "", mac[40] = "", path[400], q[300];
	if (*r->t[2])
		snprintf(ip, sizeof(ip), "管理地址 %s", r->t[2]);
	if (*r->t[3])
		snprintf(mac, sizeof(mac), "MAC %s", r->t[3]);
	const char *parts[] = {l->note, named(&device_kind, "kind", r->t[1]), ip, mac,
	                       unit_or(r, "")};
	join(detail, sizeof(detail), parts, 5);
	encode(r->t[0], q, sizeof(q));
	snprintf(path, sizeof(path), "/devices?q=%s", q);
	add(l->f, R_DEVICE, r->id, r->unit_id, r->t[0], detail, path);
	if (l->units)
		note_unit(l->f, r->unit_id);
	return 0;
}

static int contact_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], path[40];
	const char *parts[] = {l->note, r->t[1], r->t[2], r->t[3], unit_or(r, "")};
	join(detail, sizeof(detail), parts, 5);
	snprintf(path, sizeof(path), "/units/%lld", (long long)r->unit_id);
	add(l->f, R_CONTACT, r->id, r->unit_id, r->t[0], detail, path);
	if (l->units)
		note_unit(l->f, r->unit_id);
	return 0;
}

static int line_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char detail[400], mbps[40], path[200], q[160];
	snprintf(mbps, sizeof(mbps), "%lld Mbps", (long long)r->n);
	const char *parts[] = {l->note, named(&line_kind, "status", r->t[1]), r->t[2], mbps,
	                       unit_or(r, "")};
	join(detail, sizeof(detail), parts, 5);
	encode(r->t[0], q, sizeof(q));
	snprintf(path, sizeof(path), "/lines?q=%s", q);
	add(l->f, R_LINE, r->id, r->unit_id, r->t[0], detail, path);
	return 0;
}

/* Whose mobile an application names (search_sql's SS_APP_MOBILE): 网络管理员 张三. */
static void app_person(const struct search_row *r, char *out, size_t n)
{
	out[0] = 0;
	if (!*r->t[3])
		return;
	const char *who = strcmp(r->t[2], "admin") == 0  ? "网络管理员"
	                  : strcmp(r->t[2], "tech") == 0 ? "技术联系人"
	                  : *r->t[4]                     ? r->t[4]
	                                                 : "联系人";
	text_printf(out, n, "%s %s", who, r->t[3]);
}

static int app_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char title[200], detail[400], person[120], path[40];
	text_printf(title, sizeof(title), "%s（编号 %lld）",
	            named(&application_kind, "kind", r->t[0]), (long long)r->id);
	app_person(r, person, sizeof(person));
	const char *parts[] = {l->note, r->t[1], person, unit_or(r, "")};
	join(detail, sizeof(detail), parts, 4);
	snprintf(path, sizeof(path), "/applications/%lld", (long long)r->id);
	add(l->f, R_APP, r->id, r->unit_id, title, detail, path);
	if (l->units)
		note_unit(l->f, r->unit_id);
	return 0;
}

static int violation_row(const struct search_row *r, void *ctx)
{
	struct lookup *l = ctx;
	char title[400], detail[400], mac[40] = "", ip[80] = "", path[40];
	text_printf(title, sizeof(title), "%s（编号 %lld）", *r->t[0] ? r->t[0] : "违规事项",
	            (long long)r->id);
	if (*r->t[2])
		snprintf(mac, sizeof(mac), "MAC %s", r->t[2]);
	if (*r->t[3])
		snprintf(ip, sizeof(ip), "IP %s", r->t[3]);
	const char *parts[] = {l->note, named(&violation_kind, "state", r->t[1]), mac, ip,
	                       unit_or(r, "")};
	join(detail, sizeof(detail), parts, 5);
	snprintf(path, sizeof(path), "/violations/%lld", (long long)r->id);
	add(l->f, R_VIOLATION, r->id, r->unit_id, title, detail, path);
	return 0;
}

static search_row_fn const row_fn[R_COUNT] = {
    [R_UNIT] = unit_row,         [R_PREFIX] = prefix_row, [R_HOST] = host_row,
    [R_TERMINAL] = terminal_row, [R_DEVICE] = device_row, [R_CONTACT] = contact_row,
    [R_LINE] = line_row,         [R_APP] = app_row,       [R_VIOLATION] = violation_row,
};

/* Lookup q of the store for type t with text or num, as the principal may read it; the hits'
 * units become unit results when units is set. */
static int look(struct found *f, enum rtype t, enum search_sql q, const char *text, int64_t num,
                const char *note, bool units)
{
	if (!readable(f, t))
		return 0;
	struct lookup l = {f, t, note ? note : "", units};
	return store_search(f->c, q, text, num, f->scope[t], SEARCH_PER_TYPE + 1, row_fn[t], &l,
	                    f->err);
}

/* The units the hits named, as unit results. */
static int related_units(struct found *f)
{
	int rc = 0;
	for (int i = 0; !rc && i < f->nunits; i++)
		rc = look(f, R_UNIT, SS_UNIT_ID, NULL, f->units[i], NULL, false);
	return rc;
}

/* ---- the kinds of query ---- */

static int by_ip(struct found *f, const char *ip)
{
	int fam;
	u128 a;
	if (inet_parse_addr(ip, &fam, &a) < 0)
		return 0;
	int64_t inner = 0, owned = 0, owner = 0;
	int rc = readable(f, R_PREFIX) ? store_prefix_holding(f->c, fam, a, &inner, f->err) : 0;
	if (!rc && readable(f, R_PREFIX))
		rc = store_prefix_owner(f->c, fam, a, &owned, &owner, f->err);
	/* the unit it is allocated to comes first, then the block it lies in when that is
	 * another (a county's pool around a unit's subnet) */
	if (!rc && owned)
		rc = look(f, R_PREFIX, SS_PREFIX_ID, NULL, owned, "分配给单位的地址段", true);
	if (!rc && inner && inner != owned)
		rc = look(f, R_PREFIX, SS_PREFIX_ID, NULL, inner,
		          owned ? "所在的地址段" : "所在的地址段（未分配给单位）", !owned);
	if (!rc)
		rc = look(f, R_HOST, SS_HOST_IP, ip, 0, NULL, true);
	if (!rc)
		rc = look(f, R_TERMINAL, SS_TERMINAL_IP, ip, 0, NULL, true);
	if (!rc)
		rc = look(f, R_DEVICE, SS_DEVICE_IP, ip, 0, NULL, true);
	if (!rc)
		rc = look(f, R_VIOLATION, SS_VIOLATION_IP, ip, 0, NULL, false);
	return rc ? rc : related_units(f);
}

static int by_cidr(struct found *f, const char *cidr)
{
	struct inet_prefix p;
	if (inet_parse_prefix(cidr, true, &p) < 0 || !readable(f, R_PREFIX))
		return 0;
	int64_t id = 0;
	int rc = store_prefix_find(f->c, &p, &id, f->err);
	if (!rc && id)
		rc = look(f, R_PREFIX, SS_PREFIX_ID, NULL, id, NULL, true);
	else if (!rc && (rc = store_prefix_parent_of(f->c, &p, &id, f->err)) == 0 && id)
		rc = look(f, R_PREFIX, SS_PREFIX_ID, NULL, id, "包含该地址段（该地址段本身未登记）",
		          true);
	return rc ? rc : related_units(f);
}

static int by_mac(struct found *f, const char *mac)
{
	int rc = look(f, R_TERMINAL, SS_TERMINAL_MAC, mac, 0, NULL, true);
	if (!rc)
		rc = look(f, R_HOST, SS_HOST_MAC, mac, 0, NULL, true);
	if (!rc)
		rc = look(f, R_DEVICE, SS_DEVICE_MAC, mac, 0, NULL, true);
	if (!rc)
		rc = look(f, R_VIOLATION, SS_VIOLATION_MAC, mac, 0, NULL, false);
	return rc ? rc : related_units(f);
}

static int by_mobile(struct found *f, const char *mobile)
{
	int rc = look(f, R_CONTACT, SS_CONTACT_MOBILE, mobile, 0, NULL, true);
	if (!rc)
		rc = look(f, R_APP, SS_APP_MOBILE, mobile, 0, NULL, false);
	return rc ? rc : related_units(f);
}

/* A unit matching a text query, and how well: 0 its name is the text, 1 its name or short
 * name holds it, 2 the pinyin initials of either start with it, 3 they hold it. Shorter names
 * first within a rank (城关镇人民政府 before 城关镇东街社区居民委员会). */
struct unit_hit {
	int rank;
	size_t len;
	int64_t id;
	char *t[4];
};

struct unit_scan {
	const char *key;      /* the query's NFKC key */
	const char *initials; /* the query lowered, when it could be initials; else NULL */
	struct unit_hit *hits;
	size_t n, cap;
};

static int initials_rank(const char *name, const char *q)
{
	char in[256];
	pinyin_initials(name, in, sizeof(in));
	if (strncmp(in, q, strlen(q)) == 0)
		return 2;
	return strstr(in, q) ? 3 : -1;
}

static int min_rank(int a, int b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

static int unit_scan_row(const struct search_row *r, void *ctx)
{
	struct unit_scan *s = ctx;
	char *name_key = NULL, *short_key = NULL;
	const char *nk = r->t[4];
	if (!*nk && text_nfkc_key(r->t[0], &name_key) == 0)
		nk = name_key;
	int rank = -1;
	if (*nk && strcmp(nk, s->key) == 0)
		rank = 0;
	else if (*nk && strstr(nk, s->key))
		rank = 1;
	if (rank < 0 && *r->t[1] && text_nfkc_key(r->t[1], &short_key) == 0 &&
	    strstr(short_key, s->key))
		rank = 1;
	if (rank < 0 && s->initials) {
		rank = initials_rank(r->t[0], s->initials);
		if (*r->t[1])
			rank = min_rank(rank, initials_rank(r->t[1], s->initials));
	}
	free(name_key);
	free(short_key);
	if (rank < 0)
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->hits = xreallocarray(s->hits, s->cap, sizeof(*s->hits));
	}
	struct unit_hit *h = &s->hits[s->n++];
	h->rank = rank;
	h->len = strlen(r->t[0]);
	h->id = r->id;
	for (int i = 0; i < 4; i++)
		h->t[i] = xstrdup(r->t[i]);
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct unit_hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Could q be pinyin initials ("cgz", "d1gz")? Then its lowered form in out. */
static bool as_initials(const char *q, char *out, size_t n)
{
	bool letter = false;
	size_t k = 0;
	for (const char *p = q; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) || k + 1 >= n)
			return false;
		letter |= c >= 'a' && c <= 'z';
		out[k++] = c;
	}
	out[k] = 0;
	return letter;
}

static int text_units(struct found *f, const char *q)
{
	if (!readable(f, R_UNIT))
		return 0;
	char *key = NULL, initials[SEARCH_Q_MAX + 1];
	if (text_nfkc_key(q, &key) < 0)
		return 0;
	struct unit_scan s = {key, as_initials(q, initials, sizeof(initials)) ? initials : NULL,
	                      NULL, 0, 0};
	int rc = *key ? store_search(f->c, SS_UNITS, NULL, 0, f->scope[R_UNIT], -1, unit_scan_row,
	                             &s, f->err)
	              : 0;
	if (!rc && s.n)
		qsort(s.hits, s.n, sizeof(*s.hits), hit_cmp);
	struct lookup l = {f, R_UNIT, "", false};
	for (size_t i = 0; i < s.n; i++) {
		struct unit_hit *h = &s.hits[i];
		if (!rc) {
			struct search_row r = {.id = h->id, .unit_id = h->id, .unit = h->t[0]};
			for (int k = 0; k < 4; k++)
				r.t[k] = h->t[k];
			r.t[4] = "";
			l.note = h->rank >= 2 ? "拼音首字母" : "";
			rc = unit_row(&r, &l);
		}
		for (int k = 0; k < 4; k++)
			free(h->t[k]);
	}
	free(s.hits);
	free(key);
	return rc;
}

/* q as a LIKE pattern matching text that holds it. */
static void like_of(const char *q, char *out, size_t n)
{
	size_t k = 0;
	out[k++] = '%';
	for (const char *p = q; *p && k + 3 < n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[k++] = '\\';
		out[k++] = *p;
	}
	out[k++] = '%';
	out[k] = 0;
}

static int by_text(struct found *f, const char *q)
{
	char like[SEARCH_Q_MAX * 4 * 2 + 8];
	like_of(q, like, sizeof(like));
	int rc = text_units(f, q);
	if (!rc)
		rc = look(f, R_CONTACT, SS_CONTACT_NAME, like, 0, NULL, false);
	if (!rc)
		rc = look(f, R_TERMINAL, SS_TERMINAL_USER, like, 0, NULL, false);
	if (!rc)
		rc = look(f, R_LINE, SS_LINE_CIRCUIT, like, 0, NULL, false);
	if (!rc)
		rc = look(f, R_DEVICE, SS_DEVICE_NAME, like, 0, NULL, false);
	int64_t num;
	if (!rc && all_digits(q) && parse_i64(q, 1, INT64_MAX, &num) == 0) {
		rc = look(f, R_APP, SS_APP_ID, NULL, num, NULL, false);
		if (!rc)
			rc = look(f, R_VIOLATION, SS_VIOLATION_ID, NULL, num, NULL, false);
	}
	return rc;
}

/* ---- the answer ---- */

static int64_t scope_of(const struct ctx *x, const struct registry_kind *k)
{
	switch (authz_scope(x->by, k->read)) {
	case SCOPE_ALL:
		return 0;
	case SCOPE_OWN_UNIT:
		return x->by->unit_id;
	default:
		return -1;
	}
}

json_t *search_run(const struct ctx *x, const char *q, struct zw_err *err)
{
	const char *start = q ? q : "";
	size_t len = 0;
	text_trim(start, &start, &len);
	if (len == 0) {
		zw_errf(err, ZW_EINVALID, "q",
		        "请输入要查找的内容（IP、MAC、单位名称、姓名、手机号等）");
		return NULL;
	}
	char *text = xstrndup(start, len);
	if (utf8_chars(text) > SEARCH_Q_MAX) {
		zw_errf(err, ZW_EINVALID, "q", "查找内容不能超过 %d 个字符", SEARCH_Q_MAX);
		free(text);
		return NULL;
	}
	char canon[SEARCH_Q_MAX * 4 + 1];
	enum search_kind kind = search_classify(text, canon, sizeof(canon));
	struct found f = {.x = x, .err = err};
	for (int t = 0; t < R_COUNT; t++) {
		f.scope[t] = scope_of(x, rtypes[t].k);
		f.items[t] = json_array();
	}
	int rc = 0;
	f.c = store_read(x->st, err);
	if (!f.c)
		rc = -ZW_EINTERNAL;
	if (!rc)
		rc = store_read_begin(f.c, err); /* every lookup on one snapshot */
	if (!rc) {
		switch (kind) {
		case SEARCH_IP:
			rc = by_ip(&f, canon);
			break;
		case SEARCH_CIDR:
			rc = by_cidr(&f, canon);
			break;
		case SEARCH_MAC:
			rc = by_mac(&f, canon);
			break;
		case SEARCH_MOBILE:
			rc = by_mobile(&f, canon);
			break;
		case SEARCH_TEXT:
			rc = by_text(&f, text);
			break;
		}
		store_read_end(f.c);
	}
	json_t *results = json_array();
	for (const enum rtype *t = order[kind]; *t != R_COUNT; t++)
		json_array_extend(results, f.items[*t]);
	for (int t = 0; t < R_COUNT; t++)
		json_decref(f.items[t]);
	json_t *out =
	    rc ? NULL
	       : json_pack("{s:s, s:s, s:s, s:o, s:i, s:b}", "q", text, "kind",
	                   search_kind_name(kind), "kind_label", search_kind_label(kind), "results",
	                   results, "per_type", SEARCH_PER_TYPE, "truncated", f.truncated);
	if (rc)
		json_decref(results);
	free(text);
	return out;
}
