#include "domain/violation/violation.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/inet.h"
#include "core/parse.h"
#include "domain/access/application.h"
#include "domain/audit.h"
#include "domain/deadline.h"
#include "domain/notify/notify.h"
#include "domain/inventory/terminal.h"
#include "domain/violation/finding.h"
#include "domain/workflow.h"
#include "store/rec.h"
#include "store/violation_sql.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "store/application_sql.h"
#include "store/deadline_sql.h"
#include "store/notify_sql.h"

/* ---- the record ---- */

static const char *const states[] = {"open",      "notified",    "isolated", "rectifying",
                                     "verified",  "reconnected", "closed",   "revoked",
                                     "dismissed", NULL};
static const char *const state_labels[] = {"待处理",     "已通知",     "已断网", "整改中",
                                           "已核实整改", "已恢复接入", "已结案", "已取消入网资格",
                                           "已排除",     NULL};
static const char *const levels[] = {"warning", "terminal", "unit", NULL};
static const char *const level_labels[] = {"提醒", "终端", "单位", NULL};
static const char *const scopes[] = {"terminal", "unit", NULL};
static const char *const scope_labels[] = {"终端", "整个单位", NULL};

#define F(n, t, fl, lbl, max)        REC_F(struct violation, n, t, fl, lbl, max)
#define FE(n, fl, lbl, vals, labels) REC_FEL(struct violation, n, fl, lbl, vals, labels)
static const struct rec_field violation_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    F(unit_id, REC_ID, REC_REQUIRED | REC_FIXED | REC_FILTER, "单位", 0),
    F(terminal_id, REC_ID, REC_FIXED | REC_FILTER, "终端", 0),
    F(finding_id, REC_ID, REC_FIXED, "监测发现", 0),
    F(behaviour, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_FILTER, "违规行为", 40),
    F(behaviour_name, REC_TEXT, REC_READONLY, "违规行为名称", 300),
    F(clause, REC_TEXT, REC_READONLY, "依据条款", 64),
    FE(level, REC_READONLY | REC_FILTER, "处理级别", levels, level_labels),
    F(sanction, REC_TEXT, REC_READONLY | REC_NULLABLE, "处理措施", 40),
    F(sanction_name, REC_TEXT, REC_READONLY | REC_NULLABLE, "处理措施名称", 200),
    F(sanction_clause, REC_TEXT, REC_READONLY | REC_NULLABLE, "处理依据", 64),
    {"offence", REC_INT, REC_READONLY, offsetof(struct violation, offence), "违规次数", 0, NULL, 1,
     INT64_MAX, NULL, NULL},
    FE(state, REC_READONLY | REC_FILTER, "状态", states, state_labels),
    FE(isolated_scope, REC_READONLY | REC_NULLABLE, "断网范围", scopes, scope_labels),
    F(mac, REC_MAC, REC_FIXED | REC_NULLABLE | REC_FILTER, "MAC 地址", 17),
    F(ip, REC_IP, REC_FIXED | REC_NULLABLE | REC_FILTER, "IP 地址", 45),
    F(detail, REC_TEXT, REC_MULTILINE | REC_REQUIRED, "情况说明", 500),
    F(source, REC_TEXT, REC_READONLY, "来源", 20),
    F(deadline_id, REC_ID, REC_READONLY, "整改期限", 0),
    {"repair_cost", REC_INT, REC_READONLY, offsetof(struct violation, repair_cost),
     "维修费用（分）", 0, NULL, 0, INT64_MAX, NULL, NULL},
    F(cost_note, REC_TEXT, REC_READONLY, "费用说明", 500),
    F(closed_at, REC_TIME, REC_READONLY, "结案时间", 0),
    REC_META(struct violation),
};
#undef F
#undef FE

const struct rec_schema violation_schema = {"violation", violation_fields,
                                            sizeof(violation_fields) / sizeof(violation_fields[0]),
                                            sizeof(struct violation)};

const struct registry_kind violation_kind = {
    .table = "violations",
    .object = "violation",
    .label = "违规事项",
    .sc = &violation_schema,
    .read = ACT_VIOLATION_READ,
    .write = ACT_VIOLATION_WRITE,
    .unit_field = "unit_id",
};

const char *violation_state_label(const char *state)
{
	return rec_enum_label(rec_field(&violation_schema, "state"), state);
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* ---- the ladder ---- */

/* What a sanction does on the wire. The codes are the profile vocabulary (PROFILES.md). */
enum sact { SA_NONE, SA_NOTICE, SA_TERMINAL, SA_UNIT, SA_REVOKE, SA_REFER };

static enum sact sanction_act(const char *code)
{
	if (blank(code))
		return SA_NONE;
	if (text_is(code, "isolate_terminal") || text_is(code, "block"))
		return SA_TERMINAL;
	if (text_is(code, "suspend_unit"))
		return SA_UNIT;
	if (text_is(code, "revoke"))
		return SA_REVOKE;
	if (text_is(code, "prosecute"))
		return SA_REFER;
	return SA_NOTICE; /* record warn restrict criticize rectify */
}

/* The rung disconnects something. */
static bool cuts(const struct violation *v)
{
	enum sact a = sanction_act(v->sanction);
	return a == SA_TERMINAL || a == SA_UNIT || a == SA_REVOKE;
}

static const char *level_of(const char *sanction)
{
	switch (sanction_act(sanction)) {
	case SA_NONE:
		return "warning";
	case SA_TERMINAL:
		return "terminal";
	default:
		return "unit";
	}
}

static int ladder_len(const struct forbidden_rule *f)
{
	char w[40];
	int n = 0;
	while (f->sanctions && list_word(f->sanctions, n, w, sizeof(w)))
		n++;
	return n;
}

/* The position of code on the ladder, or -1. */
static int ladder_pos(const struct forbidden_rule *f, const char *code)
{
	char w[40];
	for (int i = 0; code && f->sanctions && list_word(f->sanctions, i, w, sizeof(w)); i++)
		if (strcmp(w, code) == 0)
			return i;
	return -1;
}

/* Put rung `code` (NULL: none) of the profile on the case. */
static void set_rung(const struct profile *p, struct violation *v, const char *code)
{
	const struct sanction_rule *s = code ? profile_sanction(p, code) : NULL;
	const struct forbidden_rule *f = profile_forbidden(p, v->behaviour);
	char clause[32] = "";
	if (s)
		profile_first_clause(f && f->sanction_clause ? f->sanction_clause : s->clause,
		                     clause, sizeof(clause));
	xstr_set(&v->sanction, s ? s->code : NULL);
	xstr_set(&v->sanction_name, s ? s->name : NULL);
	xstr_set(&v->sanction_clause, s ? clause : NULL);
	xstr_set(&v->level, level_of(s ? s->code : NULL));
}

/* The clause a step rests on: the sanction's when there is one, else the behaviour's. */
static const char *step_clause(const struct violation *v)
{
	return !blank(v->sanction_clause) ? v->sanction_clause : v->clause;
}

/* ---- steps' records ---- */

struct vtr;

struct step {
	const struct ctx *x, *sx; /* sx: the same actor, authorised as the system (inner steps) */
	const struct violation_policy *vp;
	const struct vtr *t; /* the step's input */
	struct store_tx *tx;
	struct sconn *c;
	struct violation *v;
	const char *action, *reason;
	const char *cite; /* set by an effect whose step rests on another clause than the case's */
	char cost_clause[32];
	int64_t now, deadline_id;
	char from[16];
	struct zw_err *err;
};

static int load(struct sconn *c, int64_t id, struct violation *v, struct zw_err *err)
{
	int rc = store_rec_get(c, "violations", &violation_schema, id, NULL, 0, v, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_ENOTFOUND, NULL, "违规事项不存在");
	}
	return rc;
}

/* The outbox notice of a step, for the unit's administrators and the managers. */
static int notice(struct step *s)
{
	struct violation *v = s->v;
	json_t *p = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "violation_id", (json_int_t)v->id, "action",
	    s->action, "state", v->state, "behaviour_name", v->behaviour_name, "sanction_name",
	    v->sanction_name ? v->sanction_name : "", "offence", (json_int_t)v->offence, "reason",
	    s->reason ? s->reason : "", "scope", v->isolated_scope ? v->isolated_scope : "");
	if (!p) /* json_pack refuses a NULL text: a case with no state or behaviour name */
		return zw_errf(s->err, ZW_EINTERNAL, NULL, NULL);
	if (v->repair_cost)
		json_object_set_new(p, "repair_cost", json_integer(v->repair_cost));
	int rc = 0;
	if (s->deadline_id)
		rc = deadline_payload(s->c, s->deadline_id, p, s->err);
	char *payload = rc ? NULL : json_dumps(p, JSON_COMPACT); /* a tree we built */
	json_decref(p);
	char kind[48];
	snprintf(kind, sizeof(kind), "violation.%s", s->action);
	if (!rc)
		rc = store_outbox_event(s->c, kind, "violation", v->id, v->unit_id,
		                        s->cite ? s->cite : step_clause(v), payload, "", s->now,
		                        s->err);
	free(payload);
	return rc;
}

/* The case written back with its step row, audit entry and notice. */
static int record(struct step *s, const json_t *before)
{
	struct violation *v = s->v;
	int rc = 0;
	if (before)
		rc = store_rec_update(s->c, "violations", &violation_schema, v, s->now, s->err);
	if (!rc)
		rc = store_violation_event(s->c, v->id, s->now, s->action, s->from, v->state,
		                           s->x->by->username, role_name(s->x->by->role), s->reason,
		                           s->cite ? s->cite : step_clause(v), s->err);
	struct violation now = {0};
	if (!rc)
		rc = load(s->c, v->id, &now, s->err);
	json_t *after = rc ? NULL : rec_to_json(&violation_schema, &now);
	char act[48];
	snprintf(act, sizeof(act), "violation.%s", s->action);
	if (!rc)
		rc = audit_append(s->tx, s->x->by, act, "violation", v->id, v->unit_id, before,
		                  after, s->cite ? s->cite : step_clause(v), s->err);
	json_decref(after);
	if (!rc) /* the stored row has the new rev */
		v->rev = now.rev;
	rec_free(&violation_schema, &now);
	return rc ? rc : notice(s);
}

/* ---- isolation ---- */

struct blocks {
	struct step *s;
	int n;
};

static int add_block(int family, const char *cidr, void *arg)
{
	struct blocks *b = arg;
	b->n++;
	return store_isolation_add(b->s->c, b->s->v->id, b->s->v->unit_id,
	                           family == 4 ? "net4" : "net6", cidr, b->s->reason,
	                           step_clause(b->s->v), b->s->now, b->s->err);
}

/* The terminal's own MAC and address (what the case saw). */
static int add_own(struct step *s, int *n)
{
	struct violation *v = s->v;
	int rc = 0;
	if (!blank(v->mac)) {
		rc = store_isolation_add(s->c, v->id, v->unit_id, "mac", v->mac, s->reason,
		                         step_clause(v), s->now, s->err);
		++*n;
	}
	if (!rc && !blank(v->ip)) {
		rc =
		    store_isolation_add(s->c, v->id, v->unit_id, strchr(v->ip, ':') ? "ip6" : "ip4",
		                        v->ip, s->reason, step_clause(v), s->now, s->err);
		++*n;
	}
	return rc;
}

static int unit_status(struct step *s, char *out, size_t n)
{
	struct unit u = {0};
	int rc = store_rec_get(s->c, "units", &unit_schema, s->v->unit_id, NULL, 0, &u, s->err);
	if (!rc)
		snprintf(out, n, "%s", u.status);
	unit_free(&u);
	return rc;
}

static int isolate(struct step *s, const char *scope)
{
	struct violation *v = s->v;
	int rc = store_isolations_lift(s->c, v->id, s->now, s->err); /* widening: anew */
	int n = 0;
	if (!rc)
		rc = add_own(s, &n);
	struct blocks b = {s, 0};
	if (!rc && text_is(scope, "unit"))
		rc = store_unit_blocks(s->c, v->unit_id, add_block, &b, s->err);
	if (!rc && text_is(scope, "unit") && b.n == 0)
		return zw_errf(s->err, ZW_ECONFLICT, "scope",
		               "该单位没有分配地址段，无法整体断网；可只断开终端");
	if (!rc && n + b.n == 0)
		return zw_errf(s->err, ZW_ECONFLICT, "scope",
		               "违规事项没有 MAC 或 IP 地址，无法断开终端；可整体断开单位");
	char status[32] = "";
	if (!rc && text_is(scope, "unit"))
		rc = unit_status(s, status, sizeof(status));
	if (!rc && text_is(status, "已接入")) {
		char why[400];
		text_printf(why, sizeof(why), "违规事项 %lld：%s", (long long)v->id,
		            v->behaviour_name);
		rc = unit_set_status_tx(s->sx, s->tx, v->unit_id, "暂停", step_clause(v), why,
		                        v->id, s->err);
	}
	if (!rc)
		xstr_set(&v->isolated_scope, scope);
	return rc;
}

/* Lift the case's isolation; a unit it suspended is connected again unless another case, or a
 * suspension by hand, still isolates it. */
static int lift(struct step *s)
{
	struct violation *v = s->v;
	int rc = store_isolations_lift(s->c, v->id, s->now, s->err);
	int64_t other = 0, hand = 0;
	char status[32] = "";
	if (!rc && text_is(v->isolated_scope, "unit"))
		rc = store_unit_isolated(s->c, v->unit_id, v->id, &other, &hand, s->err);
	if (!rc && text_is(v->isolated_scope, "unit"))
		rc = unit_status(s, status, sizeof(status));
	if (!rc && !other && !hand && text_is(status, "暂停")) {
		char why[400];
		snprintf(why, sizeof(why), "违规事项 %lld 整改完毕，恢复接入", (long long)v->id);
		rc = unit_set_status_tx(s->sx, s->tx, v->unit_id, "已接入", step_clause(v), why,
		                        v->id, s->err);
	}
	return rc;
}

/* The case ends: its findings are resolved (or dismissed), its deadlines stop. */
static int end_case(struct step *s, const char *finding_status)
{
	s->v->closed_at = s->now;
	int64_t ids[16];
	size_t n = 0;
	int rc = store_findings_of_case(s->c, s->v->id, finding_status, s->now, s->err);
	if (!rc)
		rc = store_open_deadlines(s->c, "violation", s->v->id, NULL, ids, 16, &n, s->err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = deadline_cancel_tx(s->sx, s->tx, ids[i], s->err);
	return rc;
}

/* ---- opening a case ---- */

static int check_behaviour(const struct profile *p, const char *code,
                           const struct forbidden_rule **f, struct zw_err *err)
{
	*f = profile_forbidden(p, code);
	if (!*f)
		return zw_errf(err, ZW_ERULE, "behaviour", "《%s》没有把“%s”列为禁止行为", p->title,
		               code ? code : "");
	return 0;
}

static int auto_isolate(struct step *s);

/* Fill a new case's rung from the unit's earlier offences and insert it with its first step;
 * with auto isolation on, a rung that disconnects is applied at once. */
static int open_case(struct step *s, const struct forbidden_rule *f)
{
	struct violation *v = s->v;
	struct offences o;
	int64_t window =
	    s->vp && s->vp->window_days > 0 ? s->vp->window_days : s->x->prof->offence_window_days;
	int rc =
	    store_offences(s->c, v->unit_id, v->behaviour, s->now - window * 86400, &o, s->err);
	/* One event is one offence: a case before the unit was told of the latest offence is
	 * that offence (it could not have stopped), and so is one within the profile's
	 * offence_event_hours of the offence's first case while it is still being handled (two
	 * strangers seen in one second are not a first and a second offence, even when the
	 * first was isolated at once). The ladder climbs only on a new offence after the unit
	 * was notified: past the event, or after a case of it ended. */
	bool same =
	    o.last && (!o.last_notified ||
	               (!o.last_ended &&
	                s->now - o.last_began <= (int64_t)s->x->prof->offence_event_hours * 3600));
	v->offence = same ? o.last : o.count + 1;
	char rung[40] = "", clause[32] = "";
	int len = ladder_len(f);
	if (len)
		list_word(f->sanctions, (int)(v->offence < len ? v->offence : len) - 1, rung,
		          sizeof(rung));
	profile_first_clause(f->clause, clause, sizeof(clause));
	if (!rc) {
		xstr_set(&v->behaviour_name, f->name);
		xstr_set(&v->clause, clause);
		xstr_set(&v->state, "open");
		set_rung(s->x->prof, v, *rung ? rung : NULL);
		if (!v->detail)
			xstr_set(&v->detail, "");
		if (!v->cost_note)
			xstr_set(&v->cost_note, "");
		rc = store_rec_insert(s->c, "violations", &violation_schema, v, s->now, &v->id,
		                      s->err);
	}
	s->action = "open";
	if (!rc)
		rc = record(s, NULL);
	if (!rc && v->finding_id)
		rc = store_finding_join(s->c, v->finding_id, v->id, s->now, s->err);
	if (!rc && s->vp && s->vp->auto_isolate && cuts(v)) {
		json_t *was = rec_to_json(&violation_schema, v);
		s->action = "isolate";
		s->reason = "发现即断网（自动）";
		rc = auto_isolate(s);
		if (!rc)
			rc = record(s, was);
		json_decref(was);
	}
	return rc;
}

int violation_from_finding_tx(const struct ctx *x, struct store_tx *tx,
                              const struct violation_policy *vp, const struct case_input *in,
                              int64_t *id, bool *created, struct zw_err *err)
{
	*id = 0;
	*created = false;
	const struct forbidden_rule *f = profile_forbidden(x->prof, in->behaviour);
	if (!f || !in->unit_id)
		return 0;
	struct sconn *c = store_tx_conn(tx);
	int rc = store_active_violation(c, in->unit_id, in->behaviour, in->mac, in->ip, id, err);
	if (rc || *id)
		return rc ? rc : store_finding_join(c, in->finding_id, *id, clock_now(), err);
	struct principal sys = *x->by;
	sys.role = ROLE_SYSTEM;
	struct ctx sx = *x;
	sx.by = &sys;
	struct violation v = {.unit_id = in->unit_id,
	                      .terminal_id = in->terminal_id,
	                      .finding_id = in->finding_id,
	                      .behaviour = xstrdup(in->behaviour),
	                      .mac = *in->mac ? xstrdup(in->mac) : NULL,
	                      .ip = *in->ip ? xstrdup(in->ip) : NULL,
	                      .detail = xstrdup(in->detail ? in->detail : ""),
	                      .source = xstrdup("finding")};
	struct step s = {
	    .x = x, .sx = &sx, .vp = vp, .tx = tx, .c = c, .v = &v, .now = clock_now(), .err = err};
	rc = open_case(&s, f);
	*id = v.id;
	*created = !rc;
	rec_free(&violation_schema, &v);
	return rc;
}

/* A case by hand: the terminal (if named) must be the unit's and lends its MAC and address;
 * a finding (if named) must be open and about the same unit. */
static int check_manual(struct step *s)
{
	struct violation *v = s->v;
	struct sconn *c = s->c;
	int rc = registry_ref(c, "units", "unit_id", "单位", v->unit_id, s->err);
	if (!rc && v->terminal_id) {
		struct terminal t = {0};
		rc = store_rec_get(c, "terminals", &terminal_schema, v->terminal_id, NULL, 0, &t,
		                   s->err);
		if (rc == -ZW_ENOTFOUND) {
			zw_err_clear(s->err);
			rc = zw_errf(s->err, ZW_EINVALID, "terminal_id", "终端不存在");
		} else if (!rc && t.unit_id != v->unit_id) {
			rc = zw_errf(s->err, ZW_EINVALID, "terminal_id", "终端不属于该单位");
		}
		if (!rc && !v->mac && t.mac)
			xstr_set(&v->mac, t.mac);
		if (!rc && !v->ip && t.ip)
			xstr_set(&v->ip, t.ip);
		rec_free(&terminal_schema, &t);
	}
	if (!rc && v->finding_id) {
		char status[16];
		int64_t unit = 0;
		rc = store_finding_status(c, v->finding_id, status, sizeof(status), &unit, s->err);
		if (rc == -ZW_ENOTFOUND) {
			zw_err_clear(s->err);
			rc = zw_errf(s->err, ZW_EINVALID, "finding_id", "监测发现不存在");
		} else if (!rc && !text_is(status, "open")) {
			rc = zw_errf(s->err, ZW_ECONFLICT, "finding_id",
			             "该监测发现已处理（状态：%s）", status);
		} else if (!rc && unit && unit != v->unit_id) {
			rc = zw_errf(s->err, ZW_EINVALID, "finding_id", "该监测发现属于其他单位");
		}
	}
	/* mac, ip (stored canonical) and a detail that is not empty: the field table's rules */
	return rc;
}

/* A case from a finding takes what the finding knows: its unit, terminal, behaviour, MAC,
 * address and its evidence in words; what the body names wins. *out: the body to read. */
static int case_from_finding(const struct ctx *x, const json_t *body, json_t **out,
                             struct zw_err *err)
{
	*out = NULL;
	const json_t *fid = json_object_get(body, "finding_id");
	if (!json_is_integer(fid) || json_integer_value(fid) <= 0)
		return 0; /* the field table says what is wrong with it */
	json_t *f = NULL;
	int rc = finding_get(x, json_integer_value(fid), &f, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_EINVALID, "finding_id", "监测发现不存在");
	}
	if (rc)
		return rc;
	json_t *m = json_deep_copy(body);
	static const char *const takes[] = {"unit_id", "terminal_id", "behaviour", "mac", "ip"};
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++) {
		json_t *v = json_object_get(f, takes[i]);
		if (!json_object_get(m, takes[i]) && v && !json_is_null(v))
			json_object_set(m, takes[i], v);
	}
	const char *label = json_string_value(json_object_get(f, "label"));
	const char *beh = json_string_value(json_object_get(m, "behaviour"));
	if (!json_object_get(m, "unit_id"))
		rc = zw_errf(err, ZW_EINVALID, "unit_id",
		             "监测发现 %lld 没有对应的单位，请指明违规单位",
		             (long long)json_integer_value(fid));
	else if (!json_object_get(body, "behaviour") && !profile_forbidden(x->prof, beh))
		rc = zw_errf(err, ZW_ERULE, "behaviour",
		             "《%s》没有与“%s”对应的禁止行为，请选择本县办法列出的违规行为",
		             x->prof->title, label ? label : "");
	if (!rc && !json_object_get(m, "detail")) {
		char text[1024]; /* holds every part whole: a finding's detail is at most 320 bytes
		                  */
		const char *detail = json_string_value(json_object_get(f, "detail"));
		const char *first = json_string_value(json_object_get(f, "first_seen"));
		const char *last = json_string_value(json_object_get(f, "last_seen"));
		snprintf(text, sizeof(text),
		         "监测发现 %lld（%s）：%s；首次 %s，最近 %s，共 %lld 次",
		         (long long)json_integer_value(fid), label ? label : "",
		         detail ? detail : "", first ? first : "", last ? last : "",
		         (long long)json_integer_value(json_object_get(f, "count")));
		json_object_set_new(m, "detail", json_string(text));
	}
	json_decref(f);
	if (rc)
		json_decref(m);
	else
		*out = m;
	return rc;
}

int violation_create(const struct ctx *x, const struct violation_policy *vp, const json_t *body,
                     int64_t *id, struct zw_err *err)
{
	struct violation v = {0};
	uint64_t present = 0;
	json_t *merged = NULL;
	int rc = case_from_finding(x, body, &merged, err);
	if (!rc)
		rc = rec_from_json(&violation_schema, merged ? merged : body, true, &v, &present,
		                   err);
	json_decref(merged);
	if (!rc && authz_check(x->by, ACT_VIOLATION_WRITE, v.unit_id, err))
		rc = -err->code;
	const struct forbidden_rule *f = NULL;
	if (!rc)
		rc = check_behaviour(x->prof, v.behaviour, &f, err);
	if (!rc)
		xstr_set(&v.source, "inspection");
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct principal sys = *x->by;
	sys.role = ROLE_SYSTEM;
	struct ctx sx = *x;
	sx.by = &sys;
	struct step s = {
	    .x = x, .sx = &sx, .vp = vp, .tx = tx, .v = &v, .now = clock_now(), .err = err};
	if (!rc) {
		s.c = store_tx_conn(tx);
		rc = check_manual(&s);
	}
	if (!rc)
		rc = open_case(&s, f);
	if (tx)
		rc = rc ? (store_rollback(tx), rc) : store_commit(tx, err);
	*id = v.id;
	rec_free(&violation_schema, &v);
	return rc;
}

/* ---- transitions ---- */

struct vtr {
	char *action, *reason, *scope, *sanction, *amount;
	int64_t if_rev;
	bool dry_run;
};
static const char *const actions[] = {"notify", "isolate",  "rectify", "verify", "reconnect",
                                      "close",  "escalate", "dismiss", "charge", NULL};
static const struct rec_field tr_fields[] = {
    REC_FE(struct vtr, action, REC_REQUIRED, "操作", actions),
    REC_F(struct vtr, reason, REC_TEXT, REC_MULTILINE, "理由", 500),
    REC_FEL(struct vtr, scope, 0, "断网范围", scopes, scope_labels),
    REC_F(struct vtr, sanction, REC_TEXT, 0, "处理措施", 40),
    REC_F(struct vtr, amount, REC_YUAN, 0, "维修费用（元）", 16),
    {"if_rev", REC_INT, 0, offsetof(struct vtr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    REC_F(struct vtr, dry_run, REC_BOOL, 0, "仅检查", 0),
};
const struct rec_schema violation_transition_schema = {"violation_transition", tr_fields,
                                                       sizeof(tr_fields) / sizeof(tr_fields[0]),
                                                       sizeof(struct vtr)};

static const struct vtr no_input;

/* Yuan with at most two decimals, as fen. */
static int parse_yuan(const char *s, int64_t *fen)
{
	int64_t y = 0, f = 0;
	int digits = 0, dec = -1;
	for (const char *p = s; p && *p; p++) {
		if (*p == '.' && dec < 0 && digits) {
			dec = 0;
		} else if (*p >= '0' && *p <= '9') {
			if (dec >= 0) {
				if (++dec > 2)
					return -1;
				f = f * 10 + (*p - '0');
			} else {
				if (++digits > 10)
					return -1;
				y = y * 10 + (*p - '0');
			}
		} else {
			return -1;
		}
	}
	if (!digits || dec == 0)
		return -1;
	if (dec == 1)
		f *= 10;
	*fen = y * 100 + f;
	return 0;
}

/* Guards: what the case must be for a row to apply (no input but the step's own). */

static int g_cuts(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	struct violation *v = s->v;
	if (cuts(v))
		return 0;
	return zw_err_clause(err, ZW_ERULE, "action", step_clause(v),
	                     "《%s》对“%s”的处理措施为“%s”，不包括断网；情节严重的请先升级处理",
	                     s->x->prof->title, v->behaviour_name,
	                     v->sanction_name ? v->sanction_name : "提醒");
}

/* A terminal's isolation widens to the whole unit when the rung disconnects units. */
static int g_widen(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	struct violation *v = s->v;
	enum sact a = sanction_act(v->sanction);
	if (text_is(v->isolated_scope, "terminal") && (a == SA_UNIT || a == SA_REVOKE))
		return 0;
	const char *scope =
	    rec_enum_label(rec_field(&violation_schema, "isolated_scope"), v->isolated_scope);
	return zw_err_clause(err, ZW_ECONFLICT, "action", step_clause(v),
	                     "违规事项已断网（%s），处理措施“%s”不包括整体断开单位",
	                     scope ? scope : "终端", v->sanction_name ? v->sanction_name : "提醒");
}

static int g_was_isolated(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	if (s->v->isolated_scope)
		return 0;
	return zw_err_clause(err, ZW_ECONFLICT, "action", step_clause(s->v),
	                     "该违规事项未断网，无需恢复接入，请结案");
}

static int g_never_isolated(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	if (!s->v->isolated_scope)
		return 0;
	return zw_err_clause(err, ZW_ECONFLICT, "action", step_clause(s->v),
	                     "该违规事项已断网，须恢复接入后结案");
}

static int g_warning(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	if (text_is(s->v->level, "warning"))
		return 0;
	return zw_err_clause(err, ZW_ECONFLICT, "action", step_clause(s->v),
	                     "违规事项处理措施为“%s”，须整改核实后结案", s->v->sanction_name);
}

/* A revoked unit is reconnected once it has come back the regular way: a new access application
 * approved (the unit is then connected through its own gate, which this case's isolation
 * would refuse), or connected already. */
static int g_unit_back(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	char status[32] = "";
	bool approved = false;
	int rc = unit_status(s, status, sizeof(status));
	if (!rc && text_is(status, "申请中"))
		rc = store_unit_access_approved(s->c, s->v->unit_id, &approved, err);
	if (rc || approved || text_is(status, "已接入") || text_is(status, "暂停"))
		return rc;
	return zw_err_clause(err, ZW_ECONFLICT, "action", step_clause(s->v),
	                     "单位已被取消入网资格（当前为“%s”），须重新申请接入并经批准后方可恢复",
	                     status);
}

/* The rung an escalation climbs to: the one asked for, which must be heavier, else the next. */
static int next_rung(struct step *s, char next[40], struct zw_err *err)
{
	struct violation *v = s->v;
	const struct forbidden_rule *f = profile_forbidden(s->x->prof, v->behaviour);
	if (!f)
		return zw_err_clause(err, ZW_ERULE, "behaviour", v->clause,
		                     "《%s》已不再列出此禁止行为", s->x->prof->title);
	int cur = ladder_pos(f, v->sanction), len = ladder_len(f);
	if (s->t->sanction) {
		int pos = ladder_pos(f, s->t->sanction);
		if (pos < 0)
			return zw_err_clause(err, ZW_ERULE, "sanction", v->clause,
			                     "《%s》对“%s”规定的处理措施中没有“%s”",
			                     s->x->prof->title, v->behaviour_name, s->t->sanction);
		if (pos <= cur)
			return zw_errf(err, ZW_EINVALID, "sanction",
			               "升级处理须选择比当前（%s）更重的处理措施",
			               v->sanction_name);
		snprintf(next, 40, "%s", s->t->sanction);
		return 0;
	}
	if (cur + 1 >= len)
		return zw_err_clause(err, ZW_ERULE, "action", step_clause(v),
		                     "《%s》对“%s”规定的处理措施已是最重的一级%s%s",
		                     s->x->prof->title, v->behaviour_name,
		                     v->sanction_name ? "：" : "",
		                     v->sanction_name ? v->sanction_name : "");
	list_word(f->sanctions, cur + 1, next, 40);
	return 0;
}

static int g_climb(void *cs, struct zw_err *err)
{
	char next[40];
	int rc = next_rung(cs, next, err);
	if (!rc && sanction_act(next) == SA_REVOKE)
		return zw_errf(err, ZW_ECONFLICT, "sanction", "下一级处理措施为取消入网资格");
	return rc;
}

/* The case stands on the revoke rung already (a repeat offence, or a ladder that starts there)
 * and no other rung is asked for: escalating applies it. */
static bool applies_revoke(const struct step *s)
{
	return sanction_act(s->v->sanction) == SA_REVOKE && !s->t->sanction;
}

/* The revoke rung, the next one or the case's own: the unit's access can be revoked (it is
 * connected or suspended), or it is revoked already (by another case or by hand). */
static int g_revoke(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	char next[40] = "revoke", status[32] = "";
	int rc = applies_revoke(s) ? 0 : next_rung(s, next, err);
	if (!rc && sanction_act(next) != SA_REVOKE)
		return zw_errf(err, ZW_ECONFLICT, "sanction", "下一级处理措施不是取消入网资格");
	if (!rc)
		rc = unit_status(s, status, sizeof(status));
	if (rc || text_is(status, "已接入") || text_is(status, "暂停") ||
	    text_is(status, "已撤销入网资格"))
		return rc;
	return zw_err_clause(err, ZW_ECONFLICT, "action", step_clause(s->v),
	                     "单位当前为“%s”，不能取消入网资格", status);
}

static int g_cost(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	const struct forbidden_rule *f = profile_forbidden(s->x->prof, s->v->behaviour);
	if (f && f->cost_clause)
		return 0;
	return zw_err_clause(err, ZW_ERULE, "action", s->v->clause,
	                     "《%s》没有规定“%s”造成的维修费用由单位承担", s->x->prof->title,
	                     s->v->behaviour_name);
}

/* Effects: the step's work, once the row is chosen. */

static int e_isolate(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	struct violation *v = s->v;
	const char *scope = s->t->scope                                ? s->t->scope
	                    : sanction_act(v->sanction) == SA_TERMINAL ? "terminal"
	                                                               : "unit";
	if (sanction_act(v->sanction) == SA_TERMINAL && text_is(scope, "unit"))
		return zw_err_clause(err, ZW_ERULE, "scope", v->sanction_clause,
		                     "处理措施“%s”（%s）只断开终端，不能整体断开单位",
		                     v->sanction_name, v->sanction_clause);
	return isolate(s, scope);
}

static int e_widen(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	if (s->t->scope && !text_is(s->t->scope, "unit"))
		return zw_errf(err, ZW_ECONFLICT, "scope", "违规事项已断开终端");
	return isolate(s, "unit");
}

static int e_rectify(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	int rc = 0;
	if (profile_deadline(s->x->prof, "rectification"))
		rc = deadline_start_tx(s->sx, s->tx, "rectification", "violation", s->v->id,
		                       s->v->unit_id, s->now, &s->deadline_id, err);
	if (!rc && s->deadline_id)
		s->v->deadline_id = s->deadline_id;
	return rc;
}

static int e_verify(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	int64_t ids[16];
	size_t n = 0;
	int rc = store_open_deadlines(s->c, "violation", s->v->id, NULL, ids, 16, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = deadline_met_tx(s->sx, s->tx, ids[i], err);
	return rc;
}

static int e_reconnect(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	(void)err;
	int rc = lift(s);
	return rc ? rc : end_case(s, "resolved");
}

static int e_close(void *cs, struct zw_err *err)
{
	(void)err;
	return end_case(cs, "resolved");
}

static int e_dismiss(void *cs, struct zw_err *err)
{
	(void)err;
	return end_case(cs, "dismissed");
}

static int e_climb(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	char next[40];
	int rc = next_rung(s, next, err);
	if (!rc)
		set_rung(s->x->prof, s->v, next);
	return rc;
}

/* The revoke rung: the whole unit cut off, its access revoked (the case ends there; a new
 * access application brings the unit back, and then the case is reconnected). */
static int e_revoke(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	struct violation *v = s->v;
	int rc = applies_revoke(s) ? 0 : e_climb(s, err);
	if (!rc && !text_is(v->isolated_scope, "unit"))
		rc = isolate(s, "unit");
	if (rc == -ZW_ECONFLICT && strcmp(err->field, "scope") == 0) {
		zw_err_clear(err); /* nothing on the wire to cut: the revocation stands alone */
		rc = 0;
	}
	char why[400], status[32] = "";
	text_printf(why, sizeof(why), "违规事项 %lld：%s", (long long)v->id, v->behaviour_name);
	if (!rc)
		rc = unit_status(s, status, sizeof(status));
	if (!rc && !text_is(status, "已撤销入网资格"))
		rc = unit_set_status_tx(s->sx, s->tx, v->unit_id, "已撤销入网资格", step_clause(v),
		                        why, v->id, err);
	return rc ? rc : end_case(s, "resolved");
}

static int e_charge(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	int64_t fen;
	/* the amount's format is the field table's (REC_YUAN); charging needs one */
	if (!s->t->amount || parse_yuan(s->t->amount, &fen) < 0)
		return zw_errf(err, ZW_EINVALID, "amount",
		               "记录维修费用须写明金额（元），如 1280.50");
	s->v->repair_cost = fen;
	xstr_set(&s->v->cost_note, s->reason);
	const struct forbidden_rule *f = profile_forbidden(s->x->prof, s->v->behaviour);
	profile_first_clause(f->cost_clause, s->cost_clause, sizeof(s->cost_clause)); /* g_cost */
	s->cite = s->cost_clause; /* the clause that charges the repair (TB-16, JX-26) */
	return 0;
}

#define W        ACT_VIOLATION_WRITE
#define HANDLING "open notified isolated rectifying verified"
static const struct wf_row rows[] = {
    {"notify", "通知单位", "open", "notified", W, 0, NULL, NULL, NULL, NULL},
    {"isolate", "断网", "open notified", "isolated", W, 0, g_cuts, e_isolate,
     "the rung disconnects (terminal, unit or revoke); a terminal rung cuts only the terminal",
     NULL},
    {"isolate", "断网", "isolated", "isolated", W, 0, g_widen, e_widen,
     "widening: a terminal's isolation to the whole unit, when the rung disconnects units", NULL},
    {"rectify", "责令限期整改", "notified isolated", "rectifying", W, 0, NULL, e_rectify,
     "starts the profile's rectification deadline", NULL},
    {"verify", "核实整改", "rectifying", "verified", W, WF_REASON, NULL, e_verify,
     "meets the rectification deadline", NULL},
    {"reconnect", "恢复接入", "verified", "reconnected", W, 0, g_was_isolated, e_reconnect,
     "the case isolated something; lifts it", NULL},
    {"reconnect", "恢复接入", "revoked", "reconnected", W, 0, g_unit_back, e_reconnect,
     "the unit is connected again (a new access application)", NULL},
    {"close", "结案", "verified", "closed", W, WF_CONFIRM, g_never_isolated, e_close,
     "the case never isolated anything", NULL},
    {"close", "结案", "notified", "closed", W, WF_CONFIRM, g_warning, e_close,
     "a warning (the regulation gives no sanction)", NULL},
    {"escalate", "升级处理", HANDLING, NULL, ACT_VIOLATION_ESCALATE, WF_REASON, g_climb, e_climb,
     "a heavier rung of the ladder is left (the one asked for, or the next)", NULL},
    {"escalate", "升级处理", HANDLING, "revoked", ACT_VIOLATION_ESCALATE, WF_REASON, g_revoke,
     e_revoke,
     "the next rung is revoke, or the case stands on it already: the unit is cut off and its "
     "access revoked",
     NULL},
    {"dismiss", "排除（不构成违规）", "open notified", "dismissed", W, WF_REASON, NULL, e_dismiss,
     "not a violation after all", NULL},
    {"charge", "维修费用由单位承担", HANDLING " reconnected closed revoked", NULL, W, WF_REASON,
     g_cost, e_charge,
     "the profile charges the repair of this behaviour to the unit (cost_clause); the step "
     "cites that clause, not the sanction's",
     NULL},
};

const char *violation_state_at(size_t i, bool *open)
{
	if (i >= sizeof(states) / sizeof(states[0]) - 1)
		return NULL;
	/* HANDLING: the states the steps of a case still being handled start from */
	size_t n = strlen(states[i]);
	const char *h = HANDLING;
	*open = false;
	for (const char *p = strstr(h, states[i]); p; p = strstr(p + 1, states[i]))
		if ((p == h || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			*open = true;
	return states[i];
}
#undef W
#undef HANDLING

WORKFLOW_BIND(struct step, s->v->state, s->x->by, s->v->unit_id, step_clause(s->v), s->reason)

static int wf_set_state(void *cs, const char *to, struct zw_err *err)
{
	struct step *s = cs;
	(void)err;
	xstr_set(&s->v->state, to);
	return 0;
}

const struct workflow violation_workflow = {
    .name = "violation",
    .label = "违规事项",
    .states = states,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    WORKFLOW_GETTERS,
    .set_state = wf_set_state,
    .state_label = violation_state_label,
    .clause_doc = "the sanction's clause of the case's rung, else the clause of the forbidden "
                  "behaviour",
};

int violation_transition(const struct ctx *x, const struct violation_policy *vp, int64_t id,
                         const json_t *body, struct zw_err *err)
{
	struct vtr t = {0};
	uint64_t present = 0;
	int rc = rec_from_json(&violation_transition_schema, body, true, &t, &present, err);
	if (!rc && t.reason && !utf8_valid(t.reason, strlen(t.reason), true))
		rc = zw_errf(err, ZW_EINVALID, "reason", "理由含非法字符");
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct violation v = {0};
	struct principal sys = *x->by;
	sys.role = ROLE_SYSTEM;
	struct ctx sx = *x;
	sx.by = &sys;
	struct step s = {.x = x,
	                 .sx = &sx,
	                 .vp = vp,
	                 .tx = tx,
	                 .v = &v,
	                 .t = &t,
	                 .action = t.action,
	                 .reason = t.reason,
	                 .now = clock_now(),
	                 .err = err};
	if (!rc) {
		s.c = store_tx_conn(tx);
		rc = load(s.c, id, &v, err);
	}
	if (!rc && authz_check(x->by, ACT_VIOLATION_READ, v.unit_id, err))
		rc = -err->code;
	if (!rc && t.if_rev && t.if_rev != v.rev)
		rc = zw_errf(err, ZW_ESTALE, NULL, NULL);
	json_t *before = rc ? NULL : rec_to_json(&violation_schema, &v);
	if (!rc) {
		snprintf(s.from, sizeof(s.from), "%s", v.state);
		rc = workflow_step(&violation_workflow, &s, t.action, NULL, err);
	}
	if (!rc)
		rc = record(&s, before);
	if (tx)
		rc = rc || t.dry_run ? (store_rollback(tx), rc) : store_commit(tx, err);
	json_decref(before);
	rec_free(&violation_schema, &v);
	rec_free(&violation_transition_schema, &t);
	return rc;
}

/* A new case whose rung disconnects, isolated as soon as it opens (auto_isolate): the same
 * step, taken by the system. */
static int auto_isolate(struct step *s)
{
	struct step as = *s;
	as.x = s->sx;
	as.t = &no_input;
	snprintf(s->from, sizeof(s->from), "%s", s->v->state);
	return workflow_step(&violation_workflow, &as, "isolate", NULL, s->err);
}

/* ---- reading ---- */

/* The steps open to the caller now (the console's buttons): the table's. */
static json_t *open_actions(const struct ctx *x, struct sconn *c, struct violation *v)
{
	struct zw_err err = {0};
	struct step s = {.x = x, .sx = x, .c = c, .v = v, .t = &no_input, .err = &err};
	return workflow_actions(&violation_workflow, &s);
}
static json_t *ladder_json(const struct profile *p, const struct violation *v)
{
	json_t *a = json_array();
	const struct forbidden_rule *f = profile_forbidden(p, v->behaviour);
	char w[40];
	for (int i = 0; f && f->sanctions && list_word(f->sanctions, i, w, sizeof(w)); i++) {
		const struct sanction_rule *s = profile_sanction(p, w);
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", w, "name",
		                                   s ? s->name : w, "current",
		                                   text_is(w, v->sanction)));
	}
	return a;
}

int violation_detail(const struct ctx *x, int64_t id, json_t **out, struct zw_err *err)
{
	struct violation v = {0};
	int rc = registry_get(x, &violation_kind, id, &v, err);
	struct sconn *c = rc ? NULL : store_read(x->st, err);
	if (!rc && !c)
		rc = -ZW_EINTERNAL;
	json_t *o = NULL;
	if (!rc) {
		o = rec_to_json(&violation_schema, &v);
		json_t *events = json_array(), *iso = json_array(), *deadlines = json_array();
		rc = store_violation_events(c, id, events, err);
		if (!rc)
			rc = store_isolations_of(c, id, iso, err);
		if (!rc)
			rc = deadline_subject_list(c, "violation", id, deadlines, err);
		char yuan[32];
		snprintf(yuan, sizeof(yuan), "%lld.%02lld", (long long)(v.repair_cost / 100),
		         (long long)(v.repair_cost % 100));
		const struct forbidden_rule *f = profile_forbidden(x->prof, v.behaviour);
		json_object_set_new(o, "state_label", json_string(violation_state_label(v.state)));
		json_object_set_new(o, "repair_cost_yuan", json_string(yuan));
		json_object_set_new(o, "cost_to_unit", json_boolean(f && f->cost_clause));
		workflow_label_events(&violation_workflow, events, "立案");
		json_object_set_new(o, "events", events);
		json_object_set_new(o, "isolations", iso);
		json_object_set_new(o, "deadlines", deadlines);
		json_object_set_new(o, "ladder", ladder_json(x->prof, &v));
		json_object_set_new(o, "actions", open_actions(x, c, &v));
	}
	rec_free(&violation_schema, &v);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
