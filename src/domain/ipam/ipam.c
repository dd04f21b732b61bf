#include "domain/org/unit.h"
#include "domain/ipam/ipam.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/mutant.h"
#include "domain/audit.h"
#include "domain/ipam/ipam_pool.h"
#include "store/rec.h"
#include "core/xalloc.h"
#include "store/ipam_sql.h"

#define F(n, t, fl, st, lbl, max) REC_F(st, n, t, fl, lbl, max)

static const struct rec_field zone_fields[] = {
    F(id, REC_ID, REC_READONLY, struct zone, "编号", 0),
    F(name, REC_TEXT, REC_REQUIRED | REC_NAME | REC_SORT | REC_SEARCH, struct zone, "区域名称", 50),
    F(code, REC_CODE, REC_REQUIRED | REC_SORT, struct zone, "区域代码", 32),
    F(description, REC_TEXT, REC_MULTILINE, struct zone, "说明", 500),
    REC_META(struct zone),
};
const struct rec_schema zone_schema = {
    "zone", zone_fields, sizeof(zone_fields) / sizeof(zone_fields[0]), sizeof(struct zone)};

static const struct rec_field vlan_fields[] = {
    F(id, REC_ID, REC_READONLY, struct vlan, "编号", 0),
    {"vid", REC_INT, REC_REQUIRED | REC_SORT, offsetof(struct vlan, vid), "VLAN ID", 0, NULL, 1,
     4094, NULL, NULL},
    F(name, REC_TEXT, REC_REQUIRED | REC_NAME | REC_SORT | REC_SEARCH, struct vlan, "VLAN 名称",
      50),
    F(zone_id, REC_ID, REC_NULLABLE | REC_FILTER, struct vlan, "所属区域", 0),
    F(unit_id, REC_ID, REC_NULLABLE | REC_FILTER, struct vlan, "使用单位", 0),
    F(description, REC_TEXT, REC_MULTILINE, struct vlan, "说明", 500),
    REC_META(struct vlan),
};
const struct rec_schema vlan_schema = {
    "vlan", vlan_fields, sizeof(vlan_fields) / sizeof(vlan_fields[0]), sizeof(struct vlan)};

static const char *const prefix_statuses[] = {"container", "active", "reserved", "deprecated",
                                              NULL};
static const char *const prefix_status_labels[] = {"地址池", "使用中", "保留", "停用", NULL};

static const struct rec_field prefix_fields[] = {
    F(id, REC_ID, REC_READONLY, struct prefix, "编号", 0),
    F(cidr, REC_CIDR, REC_REQUIRED | REC_FIXED | REC_SEARCH, struct prefix, "地址段", 50),
    F(family, REC_INT, REC_READONLY | REC_FILTER, struct prefix, "地址族", 0),
    F(length, REC_INT, REC_READONLY | REC_SORT | REC_FILTER, struct prefix, "前缀长度", 0),
    F(parent_id, REC_ID, REC_READONLY | REC_FILTER, struct prefix, "上级地址段", 0),
    REC_FEL(struct prefix, status, REC_REQUIRED | REC_FILTER, "状态", prefix_statuses,
            prefix_status_labels),
    F(zone_id, REC_ID, REC_NULLABLE | REC_FILTER, struct prefix, "所属区域", 0),
    F(vlan_id, REC_ID, REC_NULLABLE | REC_FILTER, struct prefix, "VLAN", 0),
    F(unit_id, REC_ID, REC_NULLABLE | REC_FILTER, struct prefix, "使用单位", 0),
    F(gateway, REC_IP, REC_NULLABLE, struct prefix, "网关", 45),
    F(dns, REC_IPS, 0, struct prefix, "DNS 服务器", 200),
    F(description, REC_TEXT, REC_MULTILINE, struct prefix, "说明", 500),
    F(size, REC_TEXT, REC_READONLY, struct prefix, "地址数", 40),
    F(used, REC_TEXT, REC_READONLY, struct prefix, "已分配地址数", 40),
    F(utilisation, REC_REAL, REC_READONLY | REC_SORT, struct prefix, "使用率", 0),
    REC_META(struct prefix),
};
const struct rec_schema prefix_schema = {"prefix", prefix_fields,
                                         sizeof(prefix_fields) / sizeof(prefix_fields[0]),
                                         sizeof(struct prefix)};

/* ---- checks shared by the kinds ---- */

static int vlan_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                      struct zw_err *err)
{
	(void)x, (void)old;
	const struct vlan *v = rec;
	if (!v)
		return 0;
	int rc = registry_ref(c, "zones", "zone_id", "区域", v->zone_id, err);
	if (!rc)
		rc = registry_ref(c, "units", "unit_id", "单位", v->unit_id, err);
	return rc;
}

/* The gateway lies in the prefix (its syntax, like the DNS servers', is the table's). */
static int addr_in(const struct inet_prefix *p, const char *s, const char *field,
                   struct zw_err *err)
{
	int fam;
	u128 a;
	if (inet_parse_addr(s, &fam, &a) < 0)
		return zw_errf(err, ZW_EINTERNAL, field, NULL);
	if (!inet_contains_addr(p, fam, a))
		return zw_errf(err, ZW_EINVALID, field, "%.*s 不在本地址段内", CUT(s, 50));
	return 0;
}

static int prefix_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                        struct zw_err *err)
{
	(void)x;
	struct prefix *p = rec;
	const struct prefix *o = old;
	if (!p) { /* deletes go through prefix_release */
		return 0;
	}
	struct inet_prefix ip;
	if (inet_parse_prefix(p->cidr, false, &ip) < 0)
		return zw_errf(err, ZW_EINVALID, "cidr", "地址段格式不正确");
	int rc = registry_ref(c, "zones", "zone_id", "区域", p->zone_id, err);
	if (!rc)
		rc = registry_ref(c, "vlans", "vlan_id", "VLAN", p->vlan_id, err);
	if (!rc)
		rc = registry_ref(c, "units", "unit_id", "单位", p->unit_id, err);
	if (!rc && p->gateway && *p->gateway)
		rc = addr_in(&ip, p->gateway, "gateway", err);
	if (!rc && o && strcmp(o->status, "container") == 0 && strcmp(p->status, "container")) {
		int64_t n = 0;
		rc = store_prefix_child_count(c, p->id, &n, err);
		if (!rc && n)
			rc = zw_errf(
			    err, ZW_ECONFLICT, "status",
			    "该地址段下还有 %lld 个子地址段，只能是%s（container）", (long long)n,
			    rec_enum_label(rec_field(&prefix_schema, "status"), "container"));
	}
	return rc;
}

const struct registry_kind zone_kind = {
    .table = "zones",
    .object = "zone",
    .label = "区域",
    .sc = &zone_schema,
    .read = ACT_IPAM_READ,
    .write = ACT_IPAM_WRITE,
    .unit_field = NULL, /* the code's syntax is the field table's (REC_CODE) */
    .unique_field = "name",
};
const struct registry_kind vlan_kind = {
    .table = "vlans",
    .object = "vlan",
    .label = "VLAN",
    .sc = &vlan_schema,
    .read = ACT_IPAM_READ,
    .write = ACT_IPAM_WRITE,
    .unit_field = "unit_id",
    .check = vlan_check,
    .unique_field = "vid",
};
const struct registry_kind prefix_kind = {
    .table = "prefixes",
    .object = "prefix",
    .label = "地址段",
    .sc = &prefix_schema,
    .read = ACT_IPAM_READ,
    .write = ACT_IPAM_WRITE,
    .unit_field = "unit_id",
    .check = prefix_check,
    .unique_field = "cidr",
};

/* ---- numbers kept as decimal text ---- */

static u128 dec(const char *s)
{
	u128 v = 0;
	for (; s && *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (u128)(*s - '0');
	return v;
}

static double pct(u128 used, u128 size)
{
	return size ? (double)used * 100.0 / (double)size : 0.0;
}

/* ---- the pool cache ---- */

struct pool_entry {
	int64_t parent_id, rev;
	struct ipam_pool *pool;
};

/* Used under the writer lock only (store_begin .. store_commit, or a store_tx_on_end hook):
 * a pool is trusted when its container's rev is the one it was built or last kept at, and no
 * other connection has committed since the cache was last checked (data_version). */
struct ipam_cache {
	struct pool_entry *v;
	size_t n, cap;
	const struct sconn *conn; /* the writer connection data_version was read on */
	int64_t data_version;
};

struct ipam_cache *ipam_cache_new(void)
{
	return xcalloc(1, sizeof(struct ipam_cache));
}

void ipam_cache_free(struct ipam_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		ipam_pool_free(c->v[i].pool);
	free(c->v);
	free(c);
}

void ipam_cache_clear(struct ipam_cache *c)
{
	for (size_t i = 0; c && i < c->n; i++)
		ipam_pool_free(c->v[i].pool);
	if (c)
		c->n = 0;
}

static struct pool_entry *cache_find(struct ipam_cache *c, int64_t parent_id)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (c->v[i].parent_id == parent_id)
			return &c->v[i];
	return NULL;
}

static void cache_drop(struct ipam_cache *c, int64_t parent_id)
{
	struct pool_entry *e = cache_find(c, parent_id);
	if (e) {
		ipam_pool_free(e->pool);
		*e = c->v[--c->n];
	}
}

static int occupy_row(int64_t id, const struct inet_prefix *p, void *ctx)
{
	if (ipam_pool_occupy(ctx, p) < 0)
		log_warnx("ipam: prefix %lld overlaps its siblings; plan needs repair",
		          (long long)id);
	return 0;
}

/* Under the writer lock: when another connection (the CLI, another process on the same
 * file) has committed since the cache was last checked, every pool is forgotten. The rev
 * alone would not do: not every write moves a container's rev (an operator's sqlite3 session,
 * a restore), and a release keeps its container's pool at the rev it wrote without rebuilding
 * it, which would hide a CLI allocation committed just before it. */
static int cache_sync(struct ipam_cache *cache, struct sconn *c, struct zw_err *err)
{
	int64_t dv;
	if (store_data_version(c, &dv, err) < 0)
		return -err->code;
	if (cache->conn != c || cache->data_version != dv) {
		if (cache->n)
			log_debug(
			    "ipam: the database changed under another connection; pools rebuilt");
		ipam_cache_clear(cache);
		cache->conn = c;
		cache->data_version = dv;
	}
	return 0;
}

/* The pool of a container, current with the database (rebuilt when its rev moved or another
 * connection wrote). c is the connection of a write transaction. */
static struct ipam_pool *pool_of(struct ipam_cache *cache, struct sconn *c,
                                 const struct prefix *parent, struct zw_err *err)
{
	if (cache && cache_sync(cache, c, err) < 0)
		return NULL;
	struct pool_entry *e = cache_find(cache, parent->id);
	if (e && e->rev == parent->rev)
		return e->pool;
	if (e)
		cache_drop(cache, parent->id);
	struct inet_prefix root;
	if (inet_parse_prefix(parent->cidr, false, &root) < 0) {
		zw_errf(err, ZW_EINTERNAL, NULL, "地址段数据损坏：%s", parent->cidr);
		return NULL;
	}
	struct ipam_pool *pool = ipam_pool_new(&root);
	if (store_prefix_children(c, parent->id, root.family, NULL, occupy_row, pool, err) < 0 ||
	    store_quarantine_list(c, parent->id, occupy_row, pool, NULL, err) < 0) {
		ipam_pool_free(pool);
		return NULL;
	}
	if (!cache)
		return pool; /* caller frees */
	if (cache->n == cache->cap) {
		cache->cap = cache->cap ? cache->cap * 2 : 8;
		cache->v = xreallocarray(cache->v, cache->cap, sizeof(*cache->v));
	}
	cache->v[cache->n++] = (struct pool_entry){parent->id, parent->rev, pool};
	return pool;
}

static void pool_done(struct ipam_cache *cache, struct ipam_pool *pool)
{
	if (!cache)
		ipam_pool_free(pool);
}

/* After our own change to a container (its usage updated), its pool is kept current at the
 * rev our transaction gave it, read inside the transaction and applied when it commits, both
 * under the writer lock: a rev read after the lock was let go could be of another process's
 * write that the pool does not hold. A transaction that does not commit drops the pool. */
struct touch {
	struct ipam_cache *cache;
	int64_t parent_id, rev;
	bool known; /* rev was read */
};

static void touch_end(void *arg, bool committed)
{
	const struct touch *t = arg;
	struct pool_entry *e = cache_find(t->cache, t->parent_id);
	if (!e)
		return;
	if (committed && t->known)
		e->rev = t->rev;
	else
		cache_drop(t->cache, t->parent_id);
}

static void cache_touch(struct touch *t, struct ipam_cache *cache, struct store_tx *tx,
                        int64_t parent_id, bool done)
{
	*t = (struct touch){cache, parent_id, 0, false};
	if (!cache || !parent_id)
		return;
	t->known = done && store_prefix_rev(store_tx_conn(tx), parent_id, &t->rev, NULL) == 0;
	store_tx_on_end(tx, touch_end, t);
}

int ipam_adjust_usage(struct sconn *c, int64_t parent_id, u128 delta, int sign, struct zw_err *err)
{
	if (!parent_id)
		return 0;
	char s[40], z[40];
	int rc = store_prefix_usage(c, parent_id, s, z, err);
	if (!rc) {
		u128 used = dec(s), size = dec(z);
		used = sign > 0 ? used + delta : (used >= delta ? used - delta : 0);
		u128_format(used, s);
		rc = store_prefix_set_usage(c, parent_id, s, pct(used, size), clock_now(), err);
	}
	return rc;
}

/* ---- the figures recomputed ---- */

struct usage_ent {
	int64_t id, parent_id;
	struct inet_prefix block;
	u128 used, want;
	double utilisation;
	size_t parent; /* index of the smallest block holding it, or SIZE_MAX */
};

struct usage_all {
	struct usage_ent *v;
	size_t n, cap;
	size_t *stack; /* the blocks holding the current one, outermost first */
	size_t depth;
};

/* Rows come in nesting order (family, first, length): the parent of a block is the innermost
 * block on the stack that still holds it. */
static int usage_collect(const struct usage_row *r, void *vctx)
{
	struct usage_all *a = vctx;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
		a->stack = xreallocarray(a->stack, a->cap, sizeof(*a->stack));
	}
	while (a->depth && !inet_contains(&a->v[a->stack[a->depth - 1]].block, &r->block))
		a->depth--;
	struct usage_ent *e = &a->v[a->n];
	*e = (struct usage_ent){.id = r->id,
	                        .parent_id = r->parent_id,
	                        .block = r->block,
	                        .used = dec(r->used),
	                        .want = (u128)r->addresses,
	                        .utilisation = r->utilisation,
	                        .parent = a->depth ? a->stack[a->depth - 1] : SIZE_MAX};
	if (e->parent != SIZE_MAX)
		a->v[e->parent].want += inet_size(&r->block);
	a->stack[a->depth++] = a->n++;
	return 0;
}

int ipam_usage_verify(struct store *st, struct ipam_usage_verify *res, struct zw_err *err)
{
	memset(res, 0, sizeof(*res));
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	struct usage_all a = {0};
	/* From the blocks alone: a prefix's parent is the smallest prefix holding it, and it
	 * uses what its children cover and its host addresses (quarantined space is free in the
	 * figures, taken only in the pool). */
	int rc = store_prefix_usage_rows(c, usage_collect, &a, err);
	for (size_t i = 0; !rc && i < a.n; i++) {
		const struct usage_ent *e = &a.v[i];
		int64_t parent = e->parent == SIZE_MAX ? 0 : a.v[e->parent].id;
		double want = pct(e->want, inet_size(&e->block));
		char cidr[INET_PREFIX_MAX], used[40], should[40];
		res->prefixes++;
		if (e->parent_id == parent && e->used == e->want && e->utilisation == want)
			continue;
		if (res->wrong++)
			continue;
		res->bad_id = e->id;
		inet_format_prefix(&e->block, cidr);
		u128_format(e->used, used);
		u128_format(e->want, should);
		if (e->parent_id != parent)
			text_printf(res->reason, sizeof(res->reason),
			            "%s（编号 %lld）的上级地址段记为编号 %lld，应为编号 %lld", cidr,
			            (long long)e->id, (long long)e->parent_id, (long long)parent);
		else
			text_printf(res->reason, sizeof(res->reason),
			            "%s（编号 %lld）的已分配地址数记为 %s（使用率 %.4f%%），应为 "
			            "%s（%.4f%%）",
			            cidr, (long long)e->id, used, e->utilisation, should, want);
	}
	free(a.v);
	free(a.stack);
	if (!rc && res->wrong)
		rc = zw_errf(err, ZW_ECONFLICT, NULL,
		             "%lld 个地址段的记录与重新计算的不符，首个：%s", (long long)res->wrong,
		             res->reason);
	return rc;
}

/* The new prefix as stored, written as text straight from the record (an import writes
 * 100,000 of these; a jansson tree and its dump per row were a tenth of the write). */
static int audit_prefix(struct store_tx *tx, const struct ctx *x, const char *action, int64_t id,
                        struct zw_err *err)
{
	if (!audit_kept(tx))
		return 0;
	struct prefix now = {0};
	struct buf after;
	buf_init(&after, 1 << 16);
	int rc =
	    store_rec_get(store_tx_conn(tx), "prefixes", &prefix_schema, id, NULL, 0, &now, err);
	if (!rc && rec_write_json(&after, &prefix_schema, &now) < 0)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	if (!rc)
		rc = audit_append_text(tx, x->by, action, "prefix", id, now.unit_id, NULL, after.p,
		                       NULL, err);
	buf_free(&after);
	rec_free(&prefix_schema, &now);
	return rc;
}

struct sum_ctx {
	u128 total;
	const struct inet_prefix *into;
};

static int sum_inside(int64_t id, const struct inet_prefix *p, void *vctx)
{
	(void)id;
	struct sum_ctx *s = vctx;
	if (inet_contains(s->into, p))
		s->total += inet_size(p);
	return 0;
}

int prefix_create_tx(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                     const struct prefix *given, int64_t *id, struct zw_err *err)
{
	if (authz_check(x->by, ACT_IPAM_WRITE, 0, err))
		return -err->code;
	struct inet_prefix ip;
	if (!given->cidr || inet_parse_prefix(given->cidr, false, &ip) < 0)
		return zw_errf(err, ZW_EINVALID, "cidr",
		               "地址段格式不正确：应为 网络地址/前缀长度，主机位须为 0，如 "
		               "10.20.0.0/16 或 2001:db8::/48");
	struct prefix p = {0};
	rec_merge(&prefix_schema, &p, given, ~0ull);
	char canon[INET_PREFIX_MAX], num[40];
	inet_format_prefix(&ip, canon);
	rec_set_str(&prefix_schema, &p, "cidr", canon);
	p.family = ip.family;
	p.length = ip.len;
	u128_format(inet_size(&ip), num);
	rec_set_str(&prefix_schema, &p, "size", num);
	int rc = 0;
	struct sconn *c = store_tx_conn(tx);
	struct prefix parent = {0};
	int64_t other = 0;
	int64_t dup = 0;
	rc = store_prefix_find(c, &ip, &dup, err);
	if (!rc && dup)
		rc = zw_errf(err, ZW_ECONFLICT, "cidr", "地址段 %s 已存在（编号 %lld）", canon,
		             (long long)dup);
	if (!rc)
		rc = store_prefix_parent_of(c, &ip, &p.parent_id, err);
	if (!rc && p.parent_id) {
		rc = store_rec_get(c, "prefixes", &prefix_schema, p.parent_id, NULL, 0, &parent,
		                   err);
		if (!rc && strcmp(parent.status, "container") != 0)
			rc = zw_errf(err, ZW_ECONFLICT, "cidr",
			             "%s 位于 %s 内，而该地址段不是容器（container），不能再划分",
			             canon, parent.cidr);
		if (!rc && !p.zone_id)
			p.zone_id = parent.zone_id; /* a child lies in its parent's zone */
	}
	if (!rc)
		rc = prefix_check(x, c, &p, NULL, err);
	/* CIDR blocks nest or are disjoint, and the parent is the smallest block holding the
	 * new one: siblings can only lie inside it (they become its children). Quarantined
	 * space is taken. */
	if (!rc)
		rc = store_prefix_overlaps(c, &ip, p.parent_id, false, &other, err);
	if (!rc && other)
		rc = zw_errf(err, ZW_ECONFLICT, "cidr", "%s 与处于隔离期的已释放地址段重叠", canon);
	struct sum_ctx inside = {0, &ip};
	if (!rc)
		rc =
		    store_prefix_children(c, p.parent_id, ip.family, &ip, sum_inside, &inside, err);
	if (!rc && inside.total && strcmp(p.status, "container") != 0)
		rc = zw_errf(err, ZW_ECONFLICT, "status",
		             "%s 内已有地址段，只能作为容器（container）登记", canon);
	if (!rc) {
		u128_format(inside.total, num);
		rec_set_str(&prefix_schema, &p, "used", num);
		p.utilisation = pct(inside.total, inet_size(&ip));
		rc = store_prefix_insert(c, &p, &ip, clock_now(), id, err);
		if (rc == -ZW_ECONFLICT) {
			zw_err_clear(err);
			rc = zw_errf(err, ZW_ECONFLICT, "cidr", "地址段 %s 已存在", canon);
		}
	}
	if (!rc && inside.total)
		rc = store_prefix_reparent(c, p.parent_id, &ip, *id, err);
	if (!rc)
		rc = ipam_adjust_usage(c, p.parent_id, inet_size(&ip) - inside.total, +1, err);
	if (!rc)
		rc = audit_prefix(tx, x, "prefix.create", *id, err);
	cache_drop(cache, p.parent_id); /* its children changed shape: rebuild on next use */
	rec_free(&prefix_schema, &parent);
	rec_free(&prefix_schema, &p);
	return rc;
}

int prefix_create(const struct ctx *x, struct ipam_cache *cache, const struct prefix *given,
                  int64_t *id, struct zw_err *err)
{
	if (authz_check(x->by, ACT_IPAM_WRITE, 0, err))
		return -err->code;
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	rc = prefix_create_tx(x, cache, tx, given, id, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

static int release_row(int64_t id, const struct inet_prefix *p, void *ctx)
{
	(void)id;
	ipam_pool_release(ctx, p);
	return 0;
}

/* Best fit across a zone's containers: the one whose smallest block that can hold a /len is
 * smallest. */
static int choose_parent(struct ipam_cache *cache, struct sconn *c, int64_t zone_id, int family,
                         int len, int64_t *parent_id, struct zw_err *err)
{
	int64_t ids[256];
	size_t n = 0;
	int rc = store_zone_containers(c, zone_id, family, ids, 256, &n, err);
	if (rc)
		return rc;
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		struct prefix par = {0};
		rc = store_rec_get(c, "prefixes", &prefix_schema, ids[i], NULL, 0, &par, err);
		struct ipam_pool *pool = rc ? NULL : pool_of(cache, c, &par, err);
		rec_free(&prefix_schema, &par);
		if (!pool)
			return rc ? rc : -err->code;
		int fit = ipam_pool_fit(pool, len);
		if (fit > best) {
			best = fit;
			*parent_id = ids[i];
		}
		pool_done(cache, pool);
	}
	if (best < 0 && !n)
		return zw_errf(err, ZW_ECONFLICT, "zone_id",
		               "该区域还没有地址池：请先在“地址规划”中为该区域登记容器地址段");
	if (best < 0)
		return zw_errf(err, ZW_ECONFLICT, "zone_id",
		               "该区域的地址池已没有能容纳 /%d 的空闲地址段：请在“地址规划”中扩充",
		               len);
	return 0;
}

/* The work of an allocation inside tx. *from: the container it was taken from; *touched: its
 * pool in the cache was changed (and is ahead of the database until tx commits). */
static int alloc_in(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                    int64_t parent_id, int64_t zone_id, const struct alloc_req *r, int64_t *id,
                    int64_t *from, bool *touched, struct zw_err *err)
{
	if (!r->unit_id)
		return zw_errf(err, ZW_EINVALID, "unit_id", "请指定使用单位");
	if (!r->hosts == !r->length)
		return zw_errf(err, ZW_EINVALID, "hosts",
		               "请给出 hosts（地址数量）或 prefix_length 之一");
	if (r->family && r->family != 4 && r->family != 6)
		return zw_errf(err, ZW_EINVALID, "family", "family 只能是 4 或 6");
	struct sconn *c = store_tx_conn(tx);
	struct unit u = {0};
	struct prefix parent = {0}, child = {0};
	struct ipam_pool *pool = NULL;
	struct inet_prefix got = {0};
	int rc = store_rec_get(c, "units", &unit_schema, r->unit_id, NULL, 0, &u, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_EINVALID, "unit_id", "单位不存在");
	}
	if (!rc && (strcmp(u.status, "已撤销入网资格") == 0 || strcmp(u.status, "已拆机") == 0))
		rc =
		    zw_errf(err, ZW_ECONFLICT, "unit_id", "单位状态为“%s”，不能分配地址", u.status);
	int family = r->family ? (int)r->family : 4;
	int len = 0;
	if (!rc && !parent_id) {
		int want =
		    r->length ? (int)r->length : inet_len_for_hosts(family, (uint64_t)r->hosts);
		if (want < 0)
			rc = zw_errf(err, ZW_EINVALID, "hosts", "地址数量过大");
		else
			rc = choose_parent(cache, c, zone_id, family, want, &parent_id, err);
	}
	if (!rc) {
		rc = store_rec_get(c, "prefixes", &prefix_schema, parent_id, NULL, 0, &parent, err);
		if (rc == -ZW_ENOTFOUND) {
			zw_err_clear(err);
			rc = zw_errf(err, ZW_ENOTFOUND, NULL, "地址段不存在");
		}
	}
	if (!rc && strcmp(parent.status, "container") != 0)
		rc = zw_errf(err, ZW_ECONFLICT, "parent",
		             "只能从容器（container）地址段中分配，%s 是 %s", parent.cidr,
		             parent.status);
	if (!rc) {
		family = (int)parent.family;
		if (r->family && r->family != family)
			rc = zw_errf(err, ZW_EINVALID, "family", "地址族与上级地址段 %s 不符",
			             parent.cidr);
		len = r->length ? (int)r->length : inet_len_for_hosts(family, (uint64_t)r->hosts);
		if (!rc && (len <= parent.length || len > inet_bits(family) || len < 0))
			rc = zw_errf(err, r->length ? ZW_EINVALID : ZW_ECONFLICT,
			             r->length ? "prefix_length" : "hosts",
			             "在 %s 中无法划出这样大小的地址段（需要 /%d）", parent.cidr,
			             len);
	}
	if (!rc && !(pool = pool_of(cache, c, &parent, err)))
		rc = -err->code;
	/* Quarantine that has run out frees its space now. */
	if (!rc) {
		*from = parent.id;
		*touched = true;
		rc = store_quarantine_expire(c, parent.id, clock_now(), release_row, pool, err);
	}
	if (!rc && ipam_pool_take(pool, len, &got) < 0)
		rc = zw_errf(err, ZW_ECONFLICT, "hosts", "%s 中已没有 /%d 大小的空闲地址段",
		             parent.cidr, len);
	int64_t other = 0;
	if (!rc)
		rc = store_prefix_overlaps(c, &got, parent.id, true, &other, err);
	if (!rc && other) {
		log_warnx("ipam: pool of prefix %lld offered space held by %lld; rebuilding",
		          (long long)parent.id, (long long)other);
		rc = zw_errf(err, ZW_EINTERNAL, NULL, "地址池与数据库不一致，请重试");
	}
	if (!rc) {
		char canon[INET_PREFIX_MAX], num[40];
		inet_format_prefix(&got, canon);
		u128_format(inet_size(&got), num);
		child = (struct prefix){.family = family,
		                        .length = len,
		                        .parent_id = parent.id,
		                        .zone_id = parent.zone_id,
		                        .vlan_id = r->vlan_id,
		                        .unit_id = r->unit_id};
		rec_set_str(&prefix_schema, &child, "cidr", canon);
		rec_set_str(&prefix_schema, &child, "status", "active");
		rec_set_str(&prefix_schema, &child, "size", num);
		rec_set_str(&prefix_schema, &child, "used", "0");
		rec_set_str(&prefix_schema, &child, "description",
		            r->description ? r->description : "");
		rc = registry_ref(c, "vlans", "vlan_id", "VLAN", r->vlan_id, err);
		if (!rc)
			rc = store_prefix_insert(c, &child, &got, clock_now(), id, err);
	}
	if (!rc)
		rc = ipam_adjust_usage(c, parent.id, inet_size(&got), +1, err);
	if (!rc)
		rc = audit_prefix(tx, x, "prefix.allocate", *id, err);
	if (pool)
		pool_done(cache, pool);
	unit_free(&u);
	rec_free(&prefix_schema, &parent);
	rec_free(&prefix_schema, &child);
	return rc;
}

int prefix_allocate(const struct ctx *x, struct ipam_cache *cache, int64_t parent_id,
                    int64_t zone_id, const struct alloc_req *r, int64_t *id, struct zw_err *err)
{
	if (authz_check(x->by, ACT_IPAM_WRITE, 0, err))
		return -err->code;
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	int64_t from = 0;
	bool touched = false;
	rc = alloc_in(x, cache, tx, parent_id, zone_id, r, id, &from, &touched, err);
	/* Failed, the pool may be ahead of the database: dropped. */
	struct touch t;
	if (touched)
		cache_touch(&t, cache, tx, from, rc == 0);
	if (!rc)
		rc = store_commit(tx, err);
	else
		store_rollback(tx);
	ZW_PAUSE("ipam_after_commit"); /* tests: another process's write may land here */
	return rc;
}

int prefix_allocate_tx(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                       int64_t parent_id, int64_t zone_id, const struct alloc_req *r, int64_t *id,
                       struct zw_err *err)
{
	int64_t from = 0;
	bool touched = false;
	int rc = alloc_in(x, cache, tx, parent_id, zone_id, r, id, &from, &touched, err);
	/* The caller commits or not: the pool is rebuilt from the database on next use. */
	if (touched)
		cache_drop(cache, from);
	return rc;
}

static int release_in(const struct ctx *x, struct store_tx *tx, const struct ipam_cfg *cfg,
                      int64_t id, int64_t if_rev, int64_t *parent_id, struct zw_err *err)
{
	struct sconn *c = store_tx_conn(tx);
	struct prefix p = {0};
	json_t *before = NULL;
	int rc = store_rec_get(c, "prefixes", &prefix_schema, id, NULL, 0, &p, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_ENOTFOUND, NULL, "地址段不存在");
	}
	if (!rc && if_rev && p.rev != if_rev)
		rc = zw_errf(err, ZW_ESTALE, NULL, NULL);
	int64_t n = 0;
	if (!rc)
		rc = store_prefix_child_count(c, id, &n, err);
	if (!rc && n)
		rc = zw_errf(err, ZW_ECONFLICT, NULL, "地址段下还有 %lld 个子地址段，请先释放它们",
		             (long long)n);
	struct inet_prefix ip;
	if (!rc && inet_parse_prefix(p.cidr, false, &ip) < 0)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	if (!rc) {
		before = rec_to_json(&prefix_schema, &p);
		rc = store_rec_delete(c, "prefixes", id, err);
		if (rc == -ZW_ECONFLICT) {
			zw_err_clear(err);
			rc = zw_errf(err, ZW_ECONFLICT, NULL, "地址段仍被其他记录引用，不能释放");
		}
	}
	if (!rc && p.parent_id)
		rc = store_quarantine_add(c, p.parent_id, &ip, p.unit_id, clock_now(),
		                          clock_now() + cfg->quarantine, err);
	if (!rc)
		rc = ipam_adjust_usage(c, p.parent_id, inet_size(&ip), -1, err);
	if (!rc)
		rc = audit_append(tx, x->by, "prefix.release", "prefix", id, p.unit_id, before,
		                  NULL, NULL, err);
	json_decref(before);
	*parent_id = p.parent_id;
	rec_free(&prefix_schema, &p);
	return rc;
}

int prefix_release(const struct ctx *x, struct ipam_cache *cache, const struct ipam_cfg *cfg,
                   int64_t id, int64_t if_rev, struct zw_err *err)
{
	if (authz_check(x->by, ACT_IPAM_WRITE, 0, err))
		return -err->code;
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	int64_t parent_id = 0;
	rc = release_in(x, tx, cfg, id, if_rev, &parent_id, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	/* The block stays taken in the parent's pool while in quarantine. */
	struct touch t;
	cache_touch(&t, cache, tx, parent_id, true);
	return store_commit(tx, err);
}

int prefix_release_tx(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                      const struct ipam_cfg *cfg, int64_t id, struct zw_err *err)
{
	int64_t parent_id = 0;
	int rc = release_in(x, tx, cfg, id, 0, &parent_id, err);
	if (parent_id)
		cache_drop(cache, parent_id);
	return rc;
}

struct view_ctx {
	struct inet_prefix *v;
	size_t n, cap;
};

static void collect(const struct inet_prefix *b, void *vctx)
{
	struct view_ctx *x = vctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->v = xreallocarray(x->v, x->cap, sizeof(*x->v));
	}
	x->v[x->n++] = *b;
}

static int by_len_then_addr(const void *a, const void *b)
{
	const struct inet_prefix *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->net < y->net ? -1 : x->net > y->net;
}

json_t *prefix_free_view(const struct ctx *x, struct ipam_cache *cache, int64_t id,
                         struct zw_err *err)
{
	struct prefix p = {0};
	if (registry_get(x, &prefix_kind, id, &p, err)) {
		rec_free(&prefix_schema, &p);
		return NULL;
	}
	json_t *out = NULL;
	if (strcmp(p.status, "container") != 0) {
		zw_errf(err, ZW_ECONFLICT, NULL, "只有容器（container）地址段有空闲地址块视图");
		rec_free(&prefix_schema, &p);
		return NULL;
	}
	/* Pools are touched under the writer lock only. */
	struct store_tx *tx;
	if (store_begin(x->st, &tx, err)) {
		rec_free(&prefix_schema, &p);
		return NULL;
	}
	struct ipam_pool *pool = pool_of(cache, store_tx_conn(tx), &p, err);
	if (pool) {
		struct view_ctx v = {0};
		ipam_pool_foreach(pool, collect, &v);
		if (v.n)
			qsort(v.v, v.n, sizeof(*v.v), by_len_then_addr);
		json_t *groups = json_array();
		for (size_t i = 0; i < v.n;) {
			size_t j = i;
			json_t *blocks = json_array();
			for (; j < v.n && v.v[j].len == v.v[i].len; j++)
				if (j - i < 16) {
					char s[INET_PREFIX_MAX];
					inet_format_prefix(&v.v[j], s);
					json_array_append_new(blocks, json_string(s));
				}
			json_array_append_new(
			    groups, json_pack("{s:i, s:I, s:o}", "length", (int)v.v[i].len, "count",
			                      (json_int_t)(j - i), "blocks", blocks));
			i = j;
		}
		char total[40];
		u128_format(ipam_pool_free_size(pool), total);
		json_t *q = json_array();
		store_quarantine_list(store_tx_conn(tx), p.id, NULL, NULL, q, err);
		out = json_pack("{s:s, s:s, s:o, s:o}", "cidr", p.cidr, "free_addresses", total,
		                "free", groups, "quarantine", q);
		free(v.v);
		pool_done(cache, pool);
	}
	store_rollback(tx);
	rec_free(&prefix_schema, &p);
	return out;
}

static int plan_row(const char *const *cols, size_t n, void *ctx)
{
	struct buf *b = ctx;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		rc |= csv_cell(b, cols[i] ? cols[i] : "", i == 0);
	rc |= buf_puts(b, "\r\n");
	return rc ? -1 : 0;
}

int ipam_plan_csv(const struct ctx *x, struct buf *out, struct zw_err *err)
{
	enum scope sc = authz_scope(x->by, ACT_IPAM_READ);
	if (sc == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	static const char *const head[] = {"地址段", "地址族", "前缀长度", "状态", "上级地址段",
	                                   "区域",   "VLAN",   "使用单位", "网关", "DNS",
	                                   "地址数", "已分配", "使用率",   "说明"};
	buf_append(out, "\xEF\xBB\xBF", 3);
	plan_row(head, 14, out);
	int rc = store_plan_rows(c, sc == SCOPE_OWN_UNIT ? x->by->unit_id : 0, plan_row, out, err);
	/* plan_row stopped the rows (which store_plan_rows takes for their end): no half a plan */
	return rc ? rc : buf_check(out, err, "地址规划");
}
