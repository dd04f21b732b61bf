#include "domain/registry.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/org/account.h"
#include "domain/ipam/address.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/audit.h"
#include "domain/deadline.h"
#include "domain/violation/finding.h"
#include "domain/inventory/terminal.h"
#include "domain/violation/violation.h"
#include "store/rec.h"
#include "core/xalloc.h"

const struct registry_entry registry_kinds[] = {
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

static int64_t unit_of(const struct registry_kind *k, const void *rec)
{
	return k->unit_field ? rec_get_i64(k->sc, rec, k->unit_field) : 0;
}

/* May the principal write this object (as it is, and as it will be)? */
static int may_write(const struct ctx *x, const struct registry_kind *k, const void *rec,
                     struct zw_err *err)
{
	enum scope s = authz_scope(x->by, k->write);
	if (s == SCOPE_OWN_UNIT && !k->unit_field)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	return authz_check(x->by, k->write, unit_of(k, rec), err);
}

static int may_read(const struct ctx *x, const struct registry_kind *k, const void *rec,
                    struct zw_err *err)
{
	enum scope s = authz_scope(x->by, k->read);
	if (s == SCOPE_OWN_UNIT && !k->unit_field)
		return 0; /* objects of no unit (zones) are plain reference data */
	return authz_check(x->by, k->read, unit_of(k, rec), err);
}

static int conflict(const struct registry_kind *k, int rc, struct zw_err *err)
{
	if (rc == -ZW_ECONFLICT && k->unique_field) {
		zw_err_clear(err);
		return zw_errf(err, ZW_ECONFLICT, k->unique_field, "%s已存在（%s 重复）", k->label,
		               k->unique_field);
	}
	return rc;
}

int registry_create_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       const void *given, int64_t *id, struct zw_err *err)
{
	if (authz_scope(x->by, k->write) == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	void *rec = xcalloc(1, k->sc->size);
	rec_merge(k->sc, rec, given, ~0ull);
	json_t *after = NULL;
	struct sconn *c = store_tx_conn(tx);
	int rc = 0;
	/* The check may complete the record (a host's unit comes from its prefix): the scope
	 * is decided on the record as it will be written. */
	if (k->check)
		rc = k->check(x, c, rec, NULL, err);
	if (!rc)
		rc = may_write(x, k, rec, err);
	if (!rc)
		rc = conflict(k, store_rec_insert(c, k->table, k->sc, rec, clock_now(), id, err),
		              err);
	if (!rc && k->after)
		rc = k->after(x, c, rec, NULL, err);
	if (!rc) {
		rec_free(k->sc, rec);
		memset(rec, 0, k->sc->size);
		rc = store_rec_get(c, k->table, k->sc, *id, NULL, 0, rec, err);
	}
	if (!rc) {
		char action[48];
		snprintf(action, sizeof(action), "%s.create", k->object);
		after = rec_to_json(k->sc, rec);
		rc = audit_append(tx, x->by, action, k->object, *id, unit_of(k, rec), NULL, after,
		                  NULL, err);
	}
	json_decref(after);
	rec_free(k->sc, rec);
	free(rec);
	return rc;
}

int registry_create(const struct ctx *x, const struct registry_kind *k, const void *given,
                    int64_t *id, struct zw_err *err)
{
	if (authz_scope(x->by, k->write) == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	rc = registry_create_tx(x, k, tx, given, id, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

static int load(struct sconn *c, const struct registry_kind *k, int64_t id, int64_t if_rev,
                void *rec, struct zw_err *err)
{
	int rc = store_rec_get(c, k->table, k->sc, id, NULL, 0, rec, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		return zw_errf(err, ZW_ENOTFOUND, NULL, "%s不存在", k->label);
	}
	if (!rc && if_rev && rec_get_i64(k->sc, rec, "rev") != if_rev)
		rc = zw_errf(err, ZW_ESTALE, NULL, NULL);
	return rc;
}

/* Update (or delete) in the caller's transaction `outer`, or in one of its own. */
static int write_op(const struct ctx *x, const struct registry_kind *k, struct store_tx *outer,
                    int64_t id, const void *patch, uint64_t present, int64_t if_rev, bool del,
                    struct zw_err *err)
{
	if (authz_scope(x->by, k->write) == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	void *cur = xcalloc(1, k->sc->size), *old = xcalloc(1, k->sc->size);
	struct store_tx *tx = outer;
	json_t *before = NULL, *after = NULL;
	int rc = outer ? 0 : store_begin(x->st, &tx, err);
	struct sconn *c = tx ? store_tx_conn(tx) : NULL;
	if (!rc)
		rc = load(c, k, id, if_rev, cur, err);
	/* Out of scope looks like absent, before and after the change. */
	if (!rc && may_read(x, k, cur, err))
		rc = -err->code;
	if (!rc)
		rc = may_write(x, k, cur, err);
	if (!rc) {
		before = rec_to_json(k->sc, cur);
		rec_merge(k->sc, old, cur, ~0ull);
	}
	if (!rc && !del) {
		rec_merge(k->sc, cur, patch, present);
		rc = may_write(x, k, cur, err);
		if (!rc && k->check)
			rc = k->check(x, c, cur, old, err);
		if (!rc && k->check)
			rc = may_write(x, k, cur, err);
		if (!rc)
			rc = conflict(
			    k, store_rec_update(c, k->table, k->sc, cur, clock_now(), err), err);
		if (!rc && k->after)
			rc = k->after(x, c, cur, old, err);
		if (!rc) {
			rec_free(k->sc, cur);
			memset(cur, 0, k->sc->size);
			rc = store_rec_get(c, k->table, k->sc, id, NULL, 0, cur, err);
		}
		if (!rc)
			after = rec_to_json(k->sc, cur);
	} else if (!rc) {
		if (k->check)
			rc = k->check(x, c, NULL, old, err);
		if (!rc)
			rc = store_rec_delete(c, k->table, id, err);
		if (!rc && k->after)
			rc = k->after(x, c, NULL, old, err);
		if (rc == -ZW_ECONFLICT) {
			zw_err_clear(err);
			rc = zw_errf(err, ZW_ECONFLICT, NULL, "%s仍被其他记录引用，不能删除",
			             k->label);
		}
	}
	if (!rc) {
		char action[48];
		snprintf(action, sizeof(action), "%s.%s", k->object, del ? "delete" : "update");
		rc = audit_append(tx, x->by, action, k->object, id, unit_of(k, old), before, after,
		                  NULL, err);
	}
	json_decref(before);
	json_decref(after);
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

int registry_update(const struct ctx *x, const struct registry_kind *k, int64_t id,
                    const void *patch, uint64_t present, int64_t if_rev, struct zw_err *err)
{
	return write_op(x, k, NULL, id, patch, present, if_rev, false, err);
}

int registry_update_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       int64_t id, const void *patch, uint64_t present, struct zw_err *err)
{
	return write_op(x, k, tx, id, patch, present, 0, false, err);
}

int registry_delete_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       int64_t id, struct zw_err *err)
{
	return write_op(x, k, tx, id, NULL, 0, 0, true, err);
}

int registry_delete(const struct ctx *x, const struct registry_kind *k, int64_t id, int64_t if_rev,
                    struct zw_err *err)
{
	return write_op(x, k, NULL, id, NULL, 0, if_rev, true, err);
}

int registry_get(const struct ctx *x, const struct registry_kind *k, int64_t id, void *rec,
                 struct zw_err *err)
{
	bool self = k->self_readable && x->by->user_id > 0 && id == x->by->user_id;
	if (!self && authz_scope(x->by, k->read) == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	int rc = load(c, k, id, 0, rec, err);
	if (!rc && !self && may_read(x, k, rec, err))
		rc = -err->code;
	return rc;
}

int registry_scope(const struct ctx *x, const struct registry_kind *k, struct list_query *q,
                   struct zw_err *err)
{
	enum scope s = authz_scope(x->by, k->read);
	if (s == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	if (s == SCOPE_OWN_UNIT && k->unit_field) {
		if (q->nf == LQ_MAX_FILTERS)
			return zw_errf(err, ZW_EINVALID, NULL, "过滤条件过多");
		q->f[q->nf++] = (struct lq_filter){
		    .col = k->unit_field, .ival = x->by->unit_id, .op = LQ_EQ_INT};
	}
	return 0;
}

int registry_list(const struct ctx *x, const struct registry_kind *k, struct list_query *q,
                  struct buf *out, struct list_page *page, struct zw_err *err)
{
	int rc = registry_scope(x, k, q, err);
	if (rc)
		return rc;
	struct sconn *c = store_read(x->st, err);
	return c ? store_rec_list(c, k->table, k->sc, q, out, page, err) : -ZW_EINTERNAL;
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
