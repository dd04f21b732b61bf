#include "domain/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "store/case_sql.h"
#include "store/notify_sql.h"
#include "store/rec.h"

/* ---- the workflow's view of a step ---- */

const char *case_wf_state(const void *cs)
{
	const struct case_step *s = cs;
	return rec_get_str(s->ct->k->sc, s->rec, "state");
}

int case_wf_set_state(void *cs, const char *to, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	rec_set_str(s->ct->k->sc, s->rec, "state", to);
	return 0;
}

const struct principal *case_wf_by(const void *cs)
{
	const struct case_step *s = cs;
	return s->x->by;
}

int64_t case_wf_unit(const void *cs)
{
	const struct case_step *s = cs;
	return s->ct->k->unit_field ? rec_get_i64(s->ct->k->sc, s->rec, s->ct->k->unit_field) : 0;
}

const char *case_wf_clause(const void *cs)
{
	const struct case_step *s = cs;
	const char *c = s->ct->clause(s);
	return c ? c : "";
}

const char *case_wf_reason(const void *cs)
{
	const struct case_step *s = cs;
	return s->reason;
}

/* ---- a step's writes ---- */

static void init(struct case_step *s, const struct ctx *x, const struct case_type *ct,
                 struct store_tx *tx, void *rec, const void *in, int64_t now, struct zw_err *err)
{
	memset(s, 0, sizeof(*s));
	s->sys = *x->by;
	s->sys.role = ROLE_SYSTEM;
	s->sctx = *x;
	s->sctx.by = &s->sys;
	s->x = x;
	s->sx = &s->sctx;
	s->ct = ct;
	s->tx = tx;
	s->c = tx ? store_tx_conn(tx) : NULL;
	s->rec = rec;
	s->in = in;
	s->now = now;
	s->err = err;
}

static int64_t case_id(const struct case_step *s)
{
	return rec_get_i64(s->ct->k->sc, s->rec, "id");
}

/* The clause of the step that ran: an effect's own, the row's, else the case's. */
static const char *step_clause(const struct case_step *s, const struct wf_row *r)
{
	if (s->cite)
		return s->cite;
	if (r && r->clause)
		return r->clause;
	return case_wf_clause(s);
}

static int notice(struct case_step *s, const char *clause)
{
	const struct registry_kind *k = s->ct->k;
	const char *state = case_wf_state(s);
	const char *label = s->ct->w->state_label ? s->ct->w->state_label(state) : state;
	json_t *p = json_object();
	json_object_set_new(p, "id", json_integer(case_id(s)));
	json_object_set_new(p, "action", json_string(s->action));
	json_object_set_new(p, "state", json_string(state ? state : ""));
	json_object_set_new(p, "state_label", json_string(label ? label : ""));
	json_object_set_new(p, "reason", json_string(s->reason ? s->reason : ""));
	json_object_set_new(p, "detail", json_string(s->detail));
	char roles[128] = "";
	int rc = s->ct->notice ? s->ct->notice(s, p, roles, sizeof(roles)) : 0;
	char *payload = rc ? NULL : json_dumps(p, JSON_COMPACT);
	json_decref(p);
	char kind[64];
	snprintf(kind, sizeof(kind), "%s.%s", k->object, s->action);
	if (!rc)
		rc = store_outbox_event(s->c, kind, k->object, case_id(s), case_wf_unit(s), clause,
		                        payload, roles, s->now, s->err);
	free(payload);
	return rc;
}

/* The case written back (before: as it was; NULL when it was just created) with its event,
 * audit entry and notice. */
static int record(struct case_step *s, const json_t *before, const struct wf_row *r)
{
	const struct registry_kind *k = s->ct->k;
	const char *clause = step_clause(s, r);
	int rc = store_rec_update(s->c, k->table, k->sc, s->rec, s->now, s->err);
	const struct case_event e = {.kind = k->object,
	                             .case_id = case_id(s),
	                             .at = s->now,
	                             .action = s->action,
	                             .from = s->from,
	                             .to = case_wf_state(s),
	                             .actor = s->x->by->username,
	                             .role = role_name(s->x->by->role),
	                             .reason = s->reason,
	                             .clause = clause,
	                             .detail = s->detail};
	if (!rc)
		rc = store_case_event(s->c, &e, s->err);
	void *now = xcalloc(1, k->sc->size);
	if (!rc)
		rc = store_rec_get(s->c, k->table, k->sc, case_id(s), NULL, 0, now, s->err);
	json_t *after = rc ? NULL : rec_to_json(k->sc, now);
	char act[64];
	snprintf(act, sizeof(act), "%s.%s", k->object, s->action);
	if (!rc)
		rc = audit_append(s->tx, s->x->by, act, k->object, case_id(s), case_wf_unit(s),
		                  before, after, clause, s->err);
	json_decref(after);
	if (!rc)
		rec_set_i64(k->sc, s->rec, "rev", rec_get_i64(k->sc, now, "rev"));
	rec_free(k->sc, now);
	free(now);
	return rc ? rc : notice(s, clause);
}

/* ---- creating ---- */

static int create_step(struct case_step *s)
{
	const struct registry_kind *k = s->ct->k;
	s->action = s->ct->create_action;
	const struct wf_row *r = NULL;
	/* another unit's case is absent before anything of it is checked */
	int rc = authz_check(s->x->by, k->write, case_wf_unit(s), s->err);
	if (!rc && k->check)
		rc = k->check(s->x, s->c, s->rec, NULL, s->err);
	if (!rc)
		rc = workflow_step(s->ct->w, s, s->action, &r, s->err);
	int64_t id = 0;
	if (!rc)
		rc = store_rec_insert(s->c, k->table, k->sc, s->rec, s->now, &id, s->err);
	if (!rc)
		rec_set_i64(k->sc, s->rec, "id", id);
	if (!rc && s->ct->opened)
		rc = s->ct->opened(s);
	return rc ? rc : record(s, NULL, r);
}

int case_create_tx(const struct ctx *x, const struct case_type *ct, struct store_tx *tx, void *rec,
                   const char *reason, int64_t now, int64_t *id, struct zw_err *err)
{
	struct case_step *s = xcalloc(1, sizeof(*s));
	init(s, x, ct, tx, rec, NULL, now, err);
	s->x = s->sx; /* the system opens it */
	s->reason = reason;
	int rc = create_step(s);
	*id = rc ? 0 : case_id(s);
	free(s);
	return rc;
}

int case_create(const struct ctx *x, const struct case_type *ct, const json_t *body, int64_t *id,
                struct zw_err *err)
{
	const struct registry_kind *k = ct->k;
	void *rec = xcalloc(1, k->sc->size);
	uint64_t present = 0;
	*id = 0;
	/* a principal who may not file a case of this type learns nothing of what one needs */
	if (authz_scope(x->by, k->write) == SCOPE_NONE) {
		free(rec);
		return authz_check(x->by, k->write, 0, err);
	}
	/* the members the type takes itself, apart from the record's fields */
	json_t *fields = json_is_object(body) ? json_copy((json_t *)body) : NULL;
	json_t *members = json_object();
	for (const char *const *m = ct->takes; fields && m && *m; m++) {
		json_t *v = json_object_get(fields, *m);
		if (v)
			json_object_set(members, *m, v);
		json_object_del(fields, *m);
	}
	int rc = rec_from_json(k->sc, fields ? fields : body, true, rec, &present, err);
	json_decref(fields);
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct case_step *s = xcalloc(1, sizeof(*s));
	if (!rc) {
		init(s, x, ct, tx, rec, NULL, clock_now(), err);
		rc = ct->take ? ct->take(s, members) : 0;
	}
	json_decref(members);
	if (!rc)
		rc = create_step(s);
	if (s->priv_free)
		s->priv_free(s->priv);
	if (!rc)
		*id = case_id(s);
	if (tx)
		rc = rc ? (store_rollback(tx), rc) : store_commit(tx, err);
	if (rc)
		*id = 0;
	free(s);
	rec_free(k->sc, rec);
	free(rec);
	return rc;
}

/* ---- steps ---- */

static int load(struct case_step *s, int64_t id)
{
	const struct registry_kind *k = s->ct->k;
	int rc = store_rec_get(s->c, k->table, k->sc, id, NULL, 0, s->rec, s->err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(s->err);
		rc = zw_errf(s->err, ZW_ENOTFOUND, NULL, "%s不存在", k->label);
	}
	return rc ? rc : registry_reach(s->x, s->c, k, s->rec, s->err);
}

static int step(struct case_step *s, int64_t id, int64_t if_rev)
{
	const struct registry_kind *k = s->ct->k;
	int rc = load(s, id);
	if (!rc && if_rev && if_rev != rec_get_i64(k->sc, s->rec, "rev"))
		rc = zw_errf(s->err, ZW_ESTALE, NULL, NULL);
	json_t *before = rc ? NULL : rec_to_json(k->sc, s->rec);
	const struct wf_row *r = NULL;
	if (!rc) {
		const char *st = case_wf_state(s);
		snprintf(s->from, sizeof(s->from), "%s", st ? st : "");
		rc = workflow_step(s->ct->w, s, s->action, &r, s->err);
	}
	if (!rc)
		rc = record(s, before, r);
	json_decref(before);
	return rc;
}

int case_transition(const struct ctx *x, const struct case_type *ct, int64_t id, const json_t *body,
                    struct zw_err *err)
{
	const struct rec_schema *in_sc = ct->input;
	void *in = xcalloc(1, in_sc->size), *rec = xcalloc(1, ct->k->sc->size);
	uint64_t present = 0;
	int rc = rec_from_json(in_sc, body, true, in, &present, err);
	const char *reason = rc ? NULL : rec_get_str(in_sc, in, "reason");
	if (!rc && reason && !utf8_valid(reason, strlen(reason), true))
		rc = zw_errf(err, ZW_EINVALID, "reason", "理由含非法字符");
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct case_step *s = xcalloc(1, sizeof(*s));
	if (!rc) {
		init(s, x, ct, tx, rec, in, clock_now(), err);
		s->present = present;
		s->action = rec_get_str(in_sc, in, "action");
		s->reason = reason && *reason ? reason : NULL;
		rc = step(s, id, rec_get_i64(in_sc, in, "if_rev"));
	}
	bool dry = json_is_true(json_object_get(body, "dry_run"));
	if (tx)
		rc = rc || dry ? (store_rollback(tx), rc) : store_commit(tx, err);
	free(s);
	rec_free(ct->k->sc, rec);
	free(rec);
	rec_free(in_sc, in);
	free(in);
	return rc;
}

int case_transition_tx(const struct ctx *x, const struct case_type *ct, struct store_tx *tx,
                       int64_t id, const char *action, const char *reason, int64_t now,
                       struct zw_err *err)
{
	void *in = xcalloc(1, ct->input->size), *rec = xcalloc(1, ct->k->sc->size);
	struct case_step *s = xcalloc(1, sizeof(*s));
	init(s, x, ct, tx, rec, in, now, err);
	s->x = s->sx; /* the system takes it */
	s->action = action;
	s->reason = reason;
	int rc = step(s, id, 0);
	free(s);
	rec_free(ct->k->sc, rec);
	free(rec);
	free(in);
	return rc;
}

/* ---- reading ---- */

int case_detail(const struct ctx *x, const struct case_type *ct, int64_t id, json_t **out,
                struct zw_err *err)
{
	const struct registry_kind *k = ct->k;
	void *rec = xcalloc(1, k->sc->size), *in = xcalloc(1, ct->input->size);
	int rc = registry_get(x, k, id, rec, err);
	struct sconn *c = rc ? NULL : store_read(x->st, err);
	if (!rc && !c)
		rc = -ZW_EINTERNAL;
	json_t *o = rc ? NULL : rec_to_json(k->sc, rec);
	struct case_step *s = xcalloc(1, sizeof(*s));
	if (!rc) {
		init(s, x, ct, NULL, rec, in, clock_now(), err);
		s->c = c;
		const char *st = case_wf_state(s);
		const char *label = ct->w->state_label ? ct->w->state_label(st) : st;
		json_object_set_new(o, "state_label", json_string(label ? label : ""));
		json_t *events = json_array();
		rc = store_case_events(c, k->object, id, events, err);
		workflow_label_events(ct->w, events, ct->created_label);
		json_object_set_new(o, "events", events);
	}
	if (!rc && k->extra)
		rc = k->extra(c, rec, o, err);
	if (!rc && ct->detail)
		rc = ct->detail(x, c, rec, o, err);
	if (!rc)
		json_object_set_new(o, "actions", workflow_actions(ct->w, s));
	free(s);
	rec_free(k->sc, rec);
	free(rec);
	free(in);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
