#include "domain/ops/plan.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/deadline.h"
#include "store/deadline_sql.h"
#include "store/plan_sql.h"
#include "store/rec.h"

static const char *const states[] = {"draft", "filing", "in_force", "retired", NULL};
static const char *const state_labels[] = {"草拟", "报备中", "施行中", "已废止", NULL};
static const char *const kinds[] = {"emergency", "disaster_recovery", NULL};
static const char *const kind_labels[] = {"应急预案", "灾难恢复预案", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct plan, n, t, fl, lbl, max)
#define RO                    REC_READONLY
static const struct rec_field plan_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(unit_id, REC_ID, REC_NULLABLE | REC_FIXED | REC_FILTER, "单位", 0),
    REC_FEL(struct plan, kind, REC_REQUIRED | REC_FIXED | REC_FILTER, "预案类别", kinds,
            kind_labels),
    F(title, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_NAME | REC_SEARCH, "预案名称", 200),
    F(version, REC_TEXT, REC_FIXED, "版本", 40),
    F(scope, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_MULTILINE, "适用范围", 2000),
    F(measures, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_MULTILINE, "应急响应和处理措施", 8000),
    F(recovery, REC_TEXT, REC_FIXED | REC_MULTILINE, "灾难恢复策略", 8000),
    REC_FEL(struct plan, state, RO | REC_FILTER, "状态", states, state_labels),
    F(clause, REC_TEXT, RO, "依据条款", 32),
    F(filing_authority, REC_TEXT, RO, "备案机关", 200),
    F(filing_no, REC_TEXT, RO, "备案编号", 100),
    F(filed_on, REC_DATE, RO | REC_NULLABLE, "备案日期", 10),
    F(effective_at, REC_TIME, RO | REC_SORT, "施行时间", 0),
    F(reviewed_at, REC_TIME, RO, "最近复审时间", 0),
    REC_META(struct plan),
};
#undef F
const struct rec_schema plan_schema = {
    "plan", plan_fields, sizeof(plan_fields) / sizeof(plan_fields[0]), sizeof(struct plan)};

#define F(n, t, fl, lbl, max) REC_F(struct plan_drill, n, t, fl, lbl, max)
static const struct rec_field drill_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(plan_id, REC_ID, RO, "预案", 0),
    F(drilled_on, REC_DATE, REC_REQUIRED | REC_FIXED | REC_PAST, "演练日期", 10),
    F(scenario, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_NAME, "演练场景", 500),
    F(participants, REC_TEXT, REC_REQUIRED | REC_FIXED, "参加人员", 500),
    F(result, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_MULTILINE, "演练情况", 4000),
    F(problems, REC_TEXT, REC_FIXED | REC_MULTILINE, "发现的问题", 4000),
    F(improvements, REC_TEXT, REC_FIXED | REC_MULTILINE, "改进措施", 4000),
    REC_META(struct plan_drill),
};
#undef F
#undef RO
const struct rec_schema plan_drill_schema = {"plan_drill", drill_fields,
                                             sizeof(drill_fields) / sizeof(drill_fields[0]),
                                             sizeof(struct plan_drill)};

/* The plan's clocks (review, drill) as the deadlines show them, and its last drill's day. */
static int plan_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	const struct plan *p = rec;
	json_t *clocks = json_array();
	int rc = deadline_subject_list(c, "plan", p->id, clocks, err);
	json_object_set_new(o, "clocks", clocks);
	char day[11] = "";
	if (!rc)
		rc = store_plan_last_drill(c, p->id, day, err);
	json_object_set_new(o, "last_drill_on", *day ? json_string(day) : json_null());
	return rc;
}

static int plan_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                      struct zw_err *err)
{
	(void)x, (void)old;
	const struct plan *p = rec;
	return p->unit_id ? registry_ref(c, "units", "unit_id", "单位", p->unit_id, err) : 0;
}

const struct registry_kind plan_kind = {
    .table = "plans",
    .object = "plan",
    .label = "应急预案",
    .sc = &plan_schema,
    .read = ACT_PLAN_READ,
    .write = ACT_PLAN_WRITE,
    .unit_field = "unit_id",
    .check = plan_check,
    .extra = plan_extra,
};

/* ---- the clocks: a review and a drill every so often, where the profile sets them ---- */

/* The plan's running clock of rule met (none running: nothing), and the next one started from
 * now, when the profile has the rule. */
static int restart(const struct ctx *x, struct store_tx *tx, const struct plan *p, const char *rule,
                   int64_t now, struct zw_err *err)
{
	int64_t ids[4];
	size_t n = 0;
	int rc = store_open_deadlines(store_tx_conn(tx), "plan", p->id, rule, ids, 4, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = deadline_met_tx(x, tx, ids[i], err);
	int64_t id;
	if (!rc && profile_deadline(x->prof, rule))
		rc = deadline_start_tx(x, tx, rule, "plan", p->id, p->unit_id, now, &id, err);
	return rc;
}

/* A drill recorded: the plan must be in force, and its drill clock starts again. */
static int drill_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                       struct zw_err *err)
{
	(void)old;
	const struct plan_drill *d = rec;
	struct plan p = {0};
	int rc = store_rec_get(c, "plans", &plan_schema, d->plan_id, NULL, 0, &p, err);
	if (!rc && !text_is(p.state, "in_force")) {
		char cl[32] = "";
		if (x->prof->has_plans)
			profile_first_clause(x->prof->plans_clause, cl, sizeof(cl));
		rc = zw_err_clause(err, ZW_ECONFLICT, "plan_id", cl,
		                   "预案“%s”尚未施行（%s），施行后方可记录演练", p.title,
		                   rec_enum_label(rec_field(&plan_schema, "state"), p.state));
	}
	rec_free(&plan_schema, &p);
	return rc;
}

static int drill_after(const struct ctx *x, struct store_tx *tx, const void *rec, const void *old,
                       struct zw_err *err)
{
	const struct plan_drill *d = rec;
	if (!d || old)
		return 0;
	struct plan p = {0};
	int rc =
	    store_rec_get(store_tx_conn(tx), "plans", &plan_schema, d->plan_id, NULL, 0, &p, err);
	if (!rc)
		rc = restart(x, tx, &p, "plan_drill", clock_now(), err);
	rec_free(&plan_schema, &p);
	return rc;
}

static void drill_clause(const struct ctx *x, const void *rec, const void *old, char out[32])
{
	(void)rec, (void)old;
	if (x->prof->has_plans)
		profile_first_clause(x->prof->plans_clause, out, 32);
}

const struct registry_kind plan_drill_kind = {
    .table = "plan_drills",
    .object = "plan_drill",
    .label = "预案演练记录",
    .sc = &plan_drill_schema,
    .read = ACT_PLAN_READ,
    .write = ACT_PLAN_WRITE,
    .parent = &plan_kind,
    .parent_field = "plan_id",
    .whole_list = true,
    .check = drill_check,
    .after = drill_after,
    .clause = drill_clause,
};

/* ---- the steps ---- */

struct ptr {
	char *action, *reason, *filing_no, *filed_on;
	int64_t if_rev;
	bool dry_run;
};
static const char *const actions[] = {
    "publish", "submit_filing", "record_filing", "return_filing", "review", "retire", NULL};
static const struct rec_field tr_fields[] = {
    REC_FE(struct ptr, action, REC_REQUIRED, "操作", actions),
    REC_F(struct ptr, reason, REC_TEXT, REC_MULTILINE, "理由", 500),
    REC_F(struct ptr, filing_no, REC_TEXT, 0, "备案编号", 100),
    REC_F(struct ptr, filed_on, REC_DATE, REC_PAST, "备案日期", 10),
    {"if_rev", REC_INT, 0, offsetof(struct ptr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    REC_F(struct ptr, dry_run, REC_BOOL, 0, "仅检查", 0),
};
const struct rec_schema plan_transition_schema = {
    "plan_transition", tr_fields, sizeof(tr_fields) / sizeof(tr_fields[0]), sizeof(struct ptr)};

static struct plan *P(void *cs)
{
	return ((struct case_step *)cs)->rec;
}

static const char *plan_clause(const struct case_step *s)
{
	const struct plan *p = s->rec;
	return p->clause ? p->clause : "";
}

/* The authority the manager's own plans are filed with, or NULL (a unit's plan, or a profile
 * that names none). */
static const struct organisation *filed_with(const struct case_step *s)
{
	const struct profile *prof = s->x->prof;
	if (!prof->has_plans || !prof->plans_filing || P((void *)s)->unit_id)
		return NULL;
	return profile_org(prof, prof->plans_filing);
}

static int e_draft(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	char clause[32] = "";
	if (s->x->prof->has_plans)
		profile_first_clause(s->x->prof->plans_clause, clause, sizeof(clause));
	rec_set_str(&plan_schema, P(s), "clause", clause);
	static const char *const texts[] = {"version", "recovery", "filing_authority", "filing_no"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!rec_get_str(&plan_schema, P(s), texts[i]))
			rec_set_str(&plan_schema, P(s), texts[i], "");
	return 0;
}

/* JX-18: the manager's plan is filed with the authority before it takes effect. */
static int g_unfiled(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	const struct organisation *o = filed_with(s);
	if (!o)
		return 0;
	return zw_err_clause(err, ZW_ERULE, "action", P(s)->clause,
	                     "依据%s，预案须报%s备案：请先报备，登记备案后施行", P(s)->clause,
	                     o->name);
}

static int g_files(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (filed_with(s))
		return 0;
	return zw_err_clause(err, ZW_ERULE, "action", P(s)->clause,
	                     P(s)->unit_id ? "单位的预案无须报备，发布即施行"
	                                   : "本县办法未规定预案须报哪个机关备案，发布即施行");
}

static int e_submit_filing(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	const struct organisation *o = filed_with(s);
	rec_set_str(&plan_schema, P(s), "filing_authority", o ? o->name : "");
	snprintf(s->detail, sizeof(s->detail), "报%s备案", o ? o->name : "");
	return 0;
}

/* In force from now: the review and drill clocks start. */
static int take_effect(struct case_step *s)
{
	P(s)->effective_at = s->now;
	int rc = restart(s->sx, s->tx, P(s), "plan_review", s->now, s->err);
	return rc ? rc : restart(s->sx, s->tx, P(s), "plan_drill", s->now, s->err);
}

static int e_publish(void *cs, struct zw_err *err)
{
	(void)err;
	return take_effect(cs);
}

static int e_filed(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	const struct ptr *in = s->in;
	if (!in->filing_no || !*in->filing_no)
		return zw_errf(err, ZW_EINVALID, "filing_no", "请填写%s出具的备案编号",
		               P(s)->filing_authority);
	if (!in->filed_on)
		return zw_errf(err, ZW_EINVALID, "filed_on", "请填写备案日期");
	rec_set_str(&plan_schema, P(s), "filing_no", in->filing_no);
	rec_set_str(&plan_schema, P(s), "filed_on", in->filed_on);
	snprintf(s->detail, sizeof(s->detail), "%s备案，编号 %s，日期 %s", P(s)->filing_authority,
	         in->filing_no, in->filed_on);
	return take_effect(s);
}

static int e_review(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	P(s)->reviewed_at = s->now;
	return restart(s->sx, s->tx, P(s), "plan_review", s->now, s->err);
}

static int e_retire(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	int64_t ids[8];
	size_t n = 0;
	int rc = store_open_deadlines(s->c, "plan", P(s)->id, NULL, ids, 8, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = deadline_cancel_tx(s->sx, s->tx, ids[i], err);
	return rc;
}

#define W ACT_PLAN_WRITE
static const struct wf_row rows[] = {
    {"draft", "起草", "", "draft", W, 0, NULL, e_draft, NULL, NULL},
    {"publish", "发布施行", "draft", "in_force", W, 0, g_unfiled, e_publish,
     "not the manager's own plan where [emergency_plans] names a filing_authority (JX-18: filed "
     "first); starts [deadline plan_review] and [deadline plan_drill] where the profile has them",
     NULL},
    {"submit_filing", "报备", "draft", "filing", W, 0, g_files, e_submit_filing,
     "the manager's own plan, where [emergency_plans] names a filing_authority", NULL},
    {"record_filing", "登记备案", "filing", "in_force", W, 0, NULL, e_filed,
     "filing_no and filed_on given (the authority's number and date); starts the clocks", NULL},
    {"return_filing", "备案退回", "filing", "draft", W, WF_REASON, NULL, NULL, NULL, NULL},
    {"review", "复审", "in_force", NULL, W, WF_REASON, NULL, e_review,
     "the reason is the review's conclusion; [deadline plan_review] starts again", NULL},
    {"retire", "废止", "draft filing in_force", "retired", W, WF_REASON | WF_CONFIRM, NULL,
     e_retire, "its clocks stop", NULL},
};
#undef W

static const char *plan_state_label(const char *state)
{
	return rec_enum_label(rec_field(&plan_schema, "state"), state);
}

const struct workflow plan_workflow = {
    .name = "plan",
    .label = "应急预案",
    .states = states,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    CASE_GETTERS,
    .state_label = plan_state_label,
    .clause_doc = "the profile's [emergency_plans] clause (JX-18, LN-13)",
};

static int plan_notice(struct case_step *s, json_t *payload, char *roles, size_t n)
{
	json_object_set_new(payload, "summary", json_string(P(s)->title));
	/* the authority it is filed with reads the filing */
	snprintf(roles, n, "%s", text_is(s->action, "submit_filing") ? "supervisor" : "");
	return 0;
}

const struct case_type plan_case = {
    .k = &plan_kind,
    .w = &plan_workflow,
    .input = &plan_transition_schema,
    .create_action = "draft",
    .created_label = "起草",
    .clause = plan_clause,
    .notice = plan_notice,
};

/* ---- the units without a plan (LN-13(二)) ---- */

json_t *plans_missing(const struct ctx *x, struct zw_err *err)
{
	enum scope s = authz_scope(x->by, ACT_PLAN_READ);
	if (s == SCOPE_NONE) {
		authz_check(x->by, ACT_PLAN_READ, 0, err);
		return NULL;
	}
	const struct profile *p = x->prof;
	char cl[32] = "";
	if (p->has_plans)
		profile_first_clause(p->plans_clause, cl, sizeof(cl));
	json_t *items = json_array();
	struct sconn *c = store_read(x->st, err);
	if (!c || (p->has_plans && p->plans_every_unit &&
	           store_plans_missing(c, s == SCOPE_OWN_UNIT ? x->by->unit_id : 0, items, err))) {
		json_decref(items);
		return NULL;
	}
	return json_pack("{s:o, s:b, s:s, s:n}", "items", items, "required",
	                 p->has_plans && p->plans_every_unit, "clause", cl, "next_cursor");
}
