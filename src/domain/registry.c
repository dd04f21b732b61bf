#include "domain/registry.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/org/account.h"
#include "domain/org/unit.h"
#include "domain/ipam/address.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/audit.h"
#include "domain/deadline.h"
#include "domain/violation/finding.h"
#include "domain/inventory/terminal.h"
#include "domain/ops/change.h"
#include "domain/ops/duty.h"
#include "domain/ops/maintenance.h"
#include "domain/ops/plan.h"
#include "domain/ops/outage.h"
#include "domain/ops/ticket.h"
#include "domain/violation/violation.h"
#include "store/rec.h"
#include "core/xalloc.h"

const struct registry_entry registry_kinds[] = {
    {&unit_kind, 0},
    {&contact_kind, 0},
    {&agreement_kind, 0},
    {&zone_kind, REG_CLI},
    {&vlan_kind, REG_CLI},
    {&prefix_kind, REG_CLI},
    {&terminal_kind, REG_CLI},
    {&address_kind, REG_CLI},
    {&device_kind, REG_CLI},
    {&line_kind, REG_CLI},
    {&carrier_kind, REG_CLI},
    {&domain_name_kind, REG_CLI},
    {&port_kind, REG_CLI},
    {&application_kind, 0},
    {&deadline_kind, 0},
    {&finding_kind, 0},
    {&probe_kind, 0},
    {&violation_kind, 0},
    {&user_kind, 0},
    {&ticket_kind, 0},
    {&maintenance_kind, 0},
    {&change_kind, 0},
    {&duty_shift_kind, 0},
    {&duty_entry_kind, 0},
    {&outage_kind, 0},
    {&unit_health_kind, 0},
    {&plan_kind, 0},
    {&plan_drill_kind, 0},
    {NULL, 0},
};

int64_t rec_get_i64(const struct rec_schema *sc, const void *rec, const char *name)
{
	const struct rec_field *f = rec_field(sc, name);
	return f ? *(const int64_t *)((const char *)rec + f->offset) : 0;
}

const char *rec_get_str(const struct rec_schema *sc, const void *rec, const char *name)
{
	const struct rec_field *f = rec_field(sc, name);
	return f ? *(char *const *)((const char *)rec + f->offset) : NULL;
}

void rec_set_str(const struct rec_schema *sc, void *rec, const char *name, const char *v)
{
	const struct rec_field *f = rec_field(sc, name);
	if (!f)
		return;
	char **slot = (char **)((char *)rec + f->offset), *copy = v ? xstrdup(v) : NULL;
	free(*slot);
	*slot = copy;
}

void rec_set_i64(const struct rec_schema *sc, void *rec, const char *name, int64_t v)
{
	const struct rec_field *f = rec_field(sc, name);
	if (f)
		*(int64_t *)((char *)rec + f->offset) = v;
}

static enum action create_action(const struct registry_kind *k)
{
	return k->create ? k->create : k->write;
}

/* What an absent object answers, and one out of the principal's scope as well. */
static int absent(const struct registry_kind *k, struct zw_err *err)
{
	zw_err_clear(err);
	return zw_errf(err, ZW_ENOTFOUND, NULL, "%s不存在", k->label);
}

static int load(struct sconn *c, const struct registry_kind *k, int64_t id, void *rec,
                struct zw_err *err)
{
	int rc = store_rec_get(c, k->table, k->sc, id, NULL, 0, rec, err);
	return rc == -ZW_ENOTFOUND ? absent(k, err) : rc;
}

static int stale(const struct registry_kind *k, const void *rec, int64_t if_rev, struct zw_err *err)
{
	if (if_rev && rec_get_i64(k->sc, rec, "rev") != if_rev)
		return zw_errf(err, ZW_ESTALE, NULL, NULL);
	return 0;
}

static bool has_unit(const struct registry_kind *k)
{
	return k->unit_field || (k->parent && has_unit(k->parent));
}

/* The column of k's table a list of one unit's objects filters on: the unit field, or a
 * child's parent field when its parent is a unit itself (contacts, agreements); NULL: none. */
static const char *unit_column(const struct registry_kind *k)
{
	if (!k->parent)
		return k->unit_field;
	const char *pc = unit_column(k->parent);
	return pc && strcmp(pc, "id") == 0 ? k->parent_field : NULL;
}

/* The unit object rec of k belongs to (0: none): its unit field's, or its parent's, which must
 * exist (404 naming the parent's kind). */
static int unit_of(struct sconn *c, const struct registry_kind *k, const void *rec, int64_t *unit,
                   struct zw_err *err)
{
	*unit = 0;
	if (!k->parent) {
		*unit = k->unit_field ? rec_get_i64(k->sc, rec, k->unit_field) : 0;
		return 0;
	}
	const struct registry_kind *p = k->parent;
	void *prec = xcalloc(1, p->sc->size);
	int rc = load(c, p, rec_get_i64(k->sc, rec, k->parent_field), prec, err);
	if (!rc)
		rc = unit_of(c, p, prec, unit, err);
	rec_free(p->sc, prec);
	free(prec);
	return rc;
}

/* May the principal do a to an object of k in unit? Reading, another unit's object is absent;
 * objects of no unit (zones) are reference data any role with the action reads. */
static int may(const struct ctx *x, const struct registry_kind *k, enum action a, int64_t unit,
               bool reading, struct zw_err *err)
{
	if (!has_unit(k) && authz_scope(x->by, a) == SCOPE_OWN_UNIT)
		return reading ? 0 : zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	int rc = authz_check(x->by, a, unit, err);
	return rc == -ZW_ENOTFOUND && reading ? absent(k, err) : rc;
}

/* A carrier's staff reach only the objects in their carrier's hands (a kind with a carrier
 * field). */
static bool carrier_scoped(const struct ctx *x, const struct registry_kind *k)
{
	return k->carrier_field && x->by->role == ROLE_CARRIER;
}

/* May the principal do a to rec (as it is, or as it will be)? */
static int may_rec(const struct ctx *x, struct sconn *c, const struct registry_kind *k,
                   enum action a, const void *rec, bool reading, struct zw_err *err)
{
	int64_t unit;
	int rc = unit_of(c, k, rec, &unit, err);
	if (!rc)
		rc = may(x, k, a, unit, reading, err);
	if (!rc && carrier_scoped(x, k) &&
	    (x->by->carrier_id <= 0 ||
	     rec_get_i64(k->sc, rec, k->carrier_field) != x->by->carrier_id))
		rc = absent(k, err);
	return rc;
}

int registry_reach(const struct ctx *x, struct sconn *c, const struct registry_kind *k,
                   const void *rec, struct zw_err *err)
{
	return may_rec(x, c, k, k->read, rec, true, err);
}

/* The parent object `parent` of k's objects exists and the principal may do a to its objects:
 * else 404 naming the parent's kind. */
static int reach_parent(const struct ctx *x, struct sconn *c, const struct registry_kind *k,
                        enum action a, int64_t parent, struct zw_err *err)
{
	const struct registry_kind *p = k->parent;
	void *prec = xcalloc(1, p->sc->size);
	int64_t unit = 0;
	int rc = load(c, p, parent, prec, err);
	if (!rc)
		rc = unit_of(c, p, prec, &unit, err);
	if (!rc && (rc = authz_check(x->by, a, unit, err)) == -ZW_ENOTFOUND)
		rc = absent(p, err);
	rec_free(p->sc, prec);
	free(prec);
	return rc;
}

/* An object reached through a route names its parent: another parent's is absent. */
static int under(const struct registry_kind *k, int64_t parent, const void *rec, struct zw_err *err)
{
	if (k->parent && parent && rec_get_i64(k->sc, rec, k->parent_field) != parent)
		return absent(k, err);
	return 0;
}

static int conflict(const struct registry_kind *k, const void *rec, int rc, struct zw_err *err)
{
	if (rc != -ZW_ECONFLICT || !k->unique_field)
		return rc;
	zw_err_clear(err);
	if (k->unique_names_value)
		return zw_errf(err, ZW_ECONFLICT, k->unique_field, "%s“%s”已存在",
		               rec_field(k->sc, k->unique_field)->label,
		               rec_get_str(k->sc, rec, k->unique_field));
	return zw_errf(err, ZW_ECONFLICT, k->unique_field, "%s已存在（%s 重复）", k->label,
	               k->unique_field);
}

/* The audit entry of a write of k: "<object>.<verb>", citing the kind's clause for it. */
static int audit_write(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       const char *verb, int64_t id, int64_t unit, const void *rec, const void *old,
                       struct zw_err *err)
{
	char action[48], clause[32] = "";
	snprintf(action, sizeof(action), "%s.%s", k->object, verb);
	if (k->clause)
		k->clause(x, rec, old, clause);
	json_t *before = old ? rec_to_json(k->sc, old) : NULL;
	json_t *after = rec ? rec_to_json(k->sc, rec) : NULL;
	int rc = audit_append(tx, x->by, action, k->object, id, unit, before, after,
	                      *clause ? clause : NULL, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

int registry_may_write(const struct ctx *x, const struct registry_kind *k, bool create,
                       int64_t parent, struct zw_err *err)
{
	enum action a = create ? create_action(k) : k->write;
	if (authz_scope(x->by, a) == SCOPE_NONE)
		return authz_check(x->by, a, 0, err);
	if (!k->parent || !parent)
		return 0;
	struct sconn *c = store_read(x->st, err);
	return c ? reach_parent(x, c, k, a, parent, err) : -ZW_EINTERNAL;
}

static int create_in(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                     int64_t parent, const void *given, int64_t *id, struct zw_err *err)
{
	enum action a = create_action(k);
	if (authz_scope(x->by, a) == SCOPE_NONE)
		return authz_check(x->by, a, 0, err);
	void *rec = xcalloc(1, k->sc->size);
	rec_merge(k->sc, rec, given, ~0ull);
	if (k->parent && parent)
		rec_set_i64(k->sc, rec, k->parent_field, parent);
	struct sconn *c = store_tx_conn(tx);
	int64_t unit = 0;
	int rc = 0;
	/* The check may complete the record (a host's unit comes from its prefix): the scope
	 * is decided on the record as it will be written. */
	if (k->check)
		rc = k->check(x, c, rec, NULL, err);
	if (!rc)
		rc = unit_of(c, k, rec, &unit, err);
	if (!rc)
		rc = may(x, k, a, unit, false, err);
	if (!rc)
		rc = conflict(k, rec,
		              store_rec_insert(c, k->table, k->sc, rec, clock_now(), id, err), err);
	if (!rc) {
		rec_free(k->sc, rec);
		memset(rec, 0, k->sc->size);
		rc = store_rec_get(c, k->table, k->sc, *id, NULL, 0, rec, err);
	}
	if (!rc) /* a unit is its own unit: known once it has its id */
		rc = unit_of(c, k, rec, &unit, err);
	if (!rc)
		rc = audit_write(x, k, tx, "create", *id, unit, rec, NULL, err);
	if (!rc && k->after)
		rc = k->after(x, tx, rec, NULL, err);
	rec_free(k->sc, rec);
	free(rec);
	return rc;
}

int registry_create_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       const void *given, int64_t *id, struct zw_err *err)
{
	return create_in(x, k, tx, 0, given, id, err);
}

int registry_create_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          const void *given, int64_t *id, struct zw_err *err)
{
	if (authz_scope(x->by, create_action(k)) == SCOPE_NONE)
		return authz_check(x->by, create_action(k), 0, err);
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	rc = create_in(x, k, tx, parent, given, id, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int registry_create(const struct ctx *x, const struct registry_kind *k, const void *given,
                    int64_t *id, struct zw_err *err)
{
	return registry_create_under(x, k, 0, given, id, err);
}

/* Object id of k (under parent) for a write by the principal, and its unit. */
static int load_for_write(const struct ctx *x, const struct registry_kind *k, struct sconn *c,
                          int64_t parent, int64_t id, int64_t if_rev, void *rec, int64_t *unit,
                          struct zw_err *err)
{
	int rc = load(c, k, id, rec, err);
	if (!rc)
		rc = under(k, parent, rec, err);
	if (!rc)
		rc = unit_of(c, k, rec, unit, err);
	/* Out of scope looks like absent, before and after the change. */
	if (!rc)
		rc = may(x, k, k->read, *unit, true, err);
	if (!rc)
		rc = may(x, k, k->write, *unit, false, err);
	return rc ? rc : stale(k, rec, if_rev, err);
}

int registry_load_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                     int64_t parent, int64_t id, int64_t if_rev, void *rec, int64_t *unit,
                     struct zw_err *err)
{
	if (authz_scope(x->by, k->write) == SCOPE_NONE)
		return authz_check(x->by, k->write, 0, err);
	return load_for_write(x, k, store_tx_conn(tx), parent, id, if_rev, rec, unit, err);
}

/* Update (or delete) in the caller's transaction `outer`, or in one of its own. */
static int write_op(const struct ctx *x, const struct registry_kind *k, struct store_tx *outer,
                    int64_t parent, int64_t id, const void *patch, uint64_t present, int64_t if_rev,
                    bool del, struct zw_err *err)
{
	if (authz_scope(x->by, k->write) == SCOPE_NONE)
		return authz_check(x->by, k->write, 0, err);
	void *cur = xcalloc(1, k->sc->size), *old = xcalloc(1, k->sc->size);
	struct store_tx *tx = outer;
	int64_t unit = 0;
	int rc = outer ? 0 : store_begin(x->st, &tx, err);
	if (!rc)
		rc = load_for_write(x, k, store_tx_conn(tx), parent, id, if_rev, cur, &unit, err);
	struct sconn *c = tx ? store_tx_conn(tx) : NULL;
	if (!rc)
		rec_merge(k->sc, old, cur, ~0ull);
	if (!rc && !del) {
		rec_merge(k->sc, cur, patch, present);
		rc = may_rec(x, c, k, k->write, cur, false, err);
		if (!rc && k->check)
			rc = k->check(x, c, cur, old, err);
		if (!rc && k->check)
			rc = may_rec(x, c, k, k->write, cur, false, err);
		if (!rc)
			rc = conflict(k, cur,
			              store_rec_update(c, k->table, k->sc, cur, clock_now(), err),
			              err);
		if (!rc) {
			rec_free(k->sc, cur);
			memset(cur, 0, k->sc->size);
			rc = store_rec_get(c, k->table, k->sc, id, NULL, 0, cur, err);
		}
	} else if (!rc) {
		if (k->check)
			rc = k->check(x, c, NULL, old, err);
		if (!rc)
			rc = store_rec_delete(c, k->table, id, err);
		if (rc == -ZW_ECONFLICT) {
			zw_err_clear(err);
			rc = zw_errf(err, ZW_ECONFLICT, NULL, "%s仍被其他记录引用，不能删除",
			             k->label);
		}
	}
	if (!rc)
		rc = audit_write(x, k, tx, del ? "delete" : "update", id, unit, del ? NULL : cur,
		                 old, err);
	if (!rc && k->after)
		rc = k->after(x, tx, del ? NULL : cur, old, err);
	rec_free(k->sc, cur);
	rec_free(k->sc, old);
	free(cur);
	free(old);
	if (!tx || outer)
		return rc;
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int registry_update_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          int64_t id, const void *patch, uint64_t present, int64_t if_rev,
                          struct zw_err *err)
{
	return write_op(x, k, NULL, parent, id, patch, present, if_rev, false, err);
}

int registry_update(const struct ctx *x, const struct registry_kind *k, int64_t id,
                    const void *patch, uint64_t present, int64_t if_rev, struct zw_err *err)
{
	return write_op(x, k, NULL, 0, id, patch, present, if_rev, false, err);
}

int registry_update_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       int64_t id, const void *patch, uint64_t present, struct zw_err *err)
{
	return write_op(x, k, tx, 0, id, patch, present, 0, false, err);
}

int registry_delete_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       int64_t id, struct zw_err *err)
{
	return write_op(x, k, tx, 0, id, NULL, 0, 0, true, err);
}

int registry_delete_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          int64_t id, int64_t if_rev, struct zw_err *err)
{
	return write_op(x, k, NULL, parent, id, NULL, 0, if_rev, true, err);
}

int registry_delete(const struct ctx *x, const struct registry_kind *k, int64_t id, int64_t if_rev,
                    struct zw_err *err)
{
	return write_op(x, k, NULL, 0, id, NULL, 0, if_rev, true, err);
}

int registry_get_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                       int64_t id, void *rec, struct zw_err *err)
{
	bool self = k->self_readable && x->by->user_id > 0 && id == x->by->user_id;
	if (!self && authz_scope(x->by, k->read) == SCOPE_NONE)
		return authz_check(x->by, k->read, 0, err);
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	int rc = load(c, k, id, rec, err);
	if (!rc)
		rc = under(k, parent, rec, err);
	if (!rc && !self)
		rc = may_rec(x, c, k, k->read, rec, true, err);
	return rc;
}

int registry_get(const struct ctx *x, const struct registry_kind *k, int64_t id, void *rec,
                 struct zw_err *err)
{
	return registry_get_under(x, k, 0, id, rec, err);
}

static int add_filter(struct list_query *q, const char *col, int64_t v, struct zw_err *err)
{
	if (q->nf == LQ_MAX_FILTERS)
		return zw_errf(err, ZW_EINVALID, NULL, "过滤条件过多");
	q->f[q->nf++] = (struct lq_filter){.col = col, .ival = v, .op = LQ_EQ_INT};
	return 0;
}

int registry_scope(const struct ctx *x, const struct registry_kind *k, struct list_query *q,
                   struct zw_err *err)
{
	enum scope s = authz_scope(x->by, k->read);
	if (s == SCOPE_NONE)
		return authz_check(x->by, k->read, 0, err);
	int rc = carrier_scoped(x, k)
	             ? add_filter(q, k->carrier_field,
	                          x->by->carrier_id > 0 ? x->by->carrier_id : -1, err)
	             : 0;
	if (rc)
		return rc;
	if (s != SCOPE_OWN_UNIT || !has_unit(k))
		return 0;
	const char *col = unit_column(k);
	return col ? add_filter(q, col, x->by->unit_id, err)
	           : zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
}

/* The query of k's list under parent as x may read it (scope, parent), and the connection to
 * read it on. */
static int list_prepare(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                        struct list_query *lq, struct sconn **c, struct zw_err *err)
{
	bool one = k->parent && parent; /* one parent's objects */
	if (k->whole_list)
		*lq = (struct list_query){.limit = REGISTRY_WHOLE, .sort = "id", .sort_int = true};
	int rc = 0;
	if (!one)
		rc = registry_scope(x, k, lq, err);
	else if (authz_scope(x->by, k->read) == SCOPE_NONE)
		rc = authz_check(x->by, k->read, 0, err);
	*c = rc ? NULL : store_read(x->st, err);
	if (!rc && !*c)
		rc = -ZW_EINTERNAL;
	if (!rc && one)
		rc = reach_parent(x, *c, k, k->read, parent, err);
	if (!rc && one)
		rc = add_filter(lq, k->parent_field, parent, err);
	return rc;
}

/* A list row of a kind with extra members: its fields and those, as JSON text. */
struct extra_list {
	const struct registry_kind *k;
	struct sconn *c;
	struct buf *out;
	int rows;
	struct zw_err *err;
};

static int extra_row(const void *rec, void *ctx)
{
	struct extra_list *e = ctx;
	json_t *o = rec_to_json(e->k->sc, rec);
	if (e->k->extra(e->c, rec, o, e->err)) {
		json_decref(o);
		return -1;
	}
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return -1;
	if (e->rows++)
		buf_append(e->out, ",", 1);
	buf_puts(e->out, text);
	free(text);
	return 0;
}

int registry_list_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                        struct list_query *q, struct buf *out, struct list_page *page,
                        struct zw_err *err)
{
	struct list_query lq = *q; /* the caller's goes on to the next page as it was */
	struct sconn *c;
	int rc = list_prepare(x, k, parent, &lq, &c, err);
	if (!rc && k->extra) {
		struct extra_list e = {k, c, out, 0, err};
		buf_append(out, "[", 1);
		rc = store_rec_scan(c, k->table, k->sc, &lq, extra_row, &e, page, err);
		buf_append(out, "]", 1);
		if (!rc)
			rc = buf_check(out, err, "列表的结果");
	} else if (!rc) {
		rc = store_rec_list(c, k->table, k->sc, &lq, out, page, err);
	}
	if (!rc && k->whole_list && page->more) /* a whole list is whole, or it says so */
		rc = zw_errf(err, ZW_ECONFLICT, NULL, "%s超过 %d 条，无法一次列出", k->label,
		             REGISTRY_WHOLE);
	return rc;
}

int registry_scan_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                        const struct list_query *q, int (*fn)(const void *rec, void *ctx),
                        void *ctx, struct zw_err *err)
{
	struct list_query lq = *q;
	lq.has_cursor = false;
	lq.count = false;
	lq.limit = 500;
	struct sconn *c;
	int rc = list_prepare(x, k, parent, &lq, &c, err);
	if (rc || (rc = store_read_begin(c, err))) /* every page of one snapshot */
		return rc;
	struct list_page page = {.more = true};
	while (!rc && page.more) {
		rc = store_rec_scan(c, k->table, k->sc, &lq, fn, ctx, &page, err);
		if (!rc && page.more)
			rc = list_cursor_decode(page.next_cursor, &lq, err);
	}
	store_read_end(c);
	return rc;
}

int registry_list(const struct ctx *x, const struct registry_kind *k, struct list_query *q,
                  struct buf *out, struct list_page *page, struct zw_err *err)
{
	return registry_list_under(x, k, 0, q, out, page, err);
}

int registry_ref(struct sconn *c, const char *table, const char *field, const char *label,
                 int64_t id, struct zw_err *err)
{
	if (id <= 0)
		return 0;
	int found = store_row_exists(c, table, id);
	if (found < 0)
		return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	return found ? 0 : zw_errf(err, ZW_EINVALID, field, "%s不存在", label);
}

json_t *registry_list_all(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          struct list_query *q, struct zw_err *err)
{
	json_t *all = json_array();
	for (;;) {
		struct buf text;
		buf_init(&text, 256u << 20);
		struct list_page page;
		int rc = registry_list_under(x, k, parent, q, &text, &page, err);
		json_t *items = rc ? NULL : json_loadb(text.p, text.len, 0, NULL);
		buf_free(&text);
		if (!items) {
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, items);
		json_decref(items);
		if (!page.more)
			return all;
		if (list_cursor_decode(page.next_cursor, q, err) < 0) {
			json_decref(all);
			return NULL;
		}
	}
}
