#include "domain/ops/change.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/xalloc.h"

static const char *const states[] = {"submitted",   "approved",  "rejected", "done",
                                     "rolled_back", "cancelled", NULL};
static const char *const state_labels[] = {"待审批", "已批准", "未批准", "已实施",
                                           "已回退", "已撤销", NULL};
static const char *const kinds[] = {"system", "device", "other", NULL};
static const char *const kind_labels[] = {"信息系统", "网络设备", "其他", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct change, n, t, fl, lbl, max)
#define RO                    REC_READONLY
static const struct rec_field change_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(unit_id, REC_ID, REC_REQUIRED | REC_FIXED | REC_FILTER, "单位", 0),
    REC_FEL(struct change, kind, REC_REQUIRED | REC_FIXED | REC_FILTER, "变更对象类别", kinds,
            kind_labels),
    F(subject, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_NAME | REC_SEARCH, "变更对象", 200),
    F(description, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_MULTILINE, "变更内容", 2000),
    F(emergency_measures, REC_TEXT, REC_FIXED | REC_MULTILINE, "应急措施", 2000),
    F(rollback_plan, REC_TEXT, REC_FIXED | REC_MULTILINE, "回退方案", 2000),
    F(planned_at, REC_TIME, REC_REQUIRED | REC_FIXED | REC_SORT | REC_RANGE, "计划实施时间", 0),
    REC_FEL(struct change, state, RO | REC_FILTER, "状态", states, state_labels),
    F(clause, REC_TEXT, RO, "依据条款", 32),
    F(outcome, REC_TEXT, RO | REC_MULTILINE, "实施结果", 500),
    F(executed_at, REC_TIME, RO, "实施时间", 0),
    REC_META(struct change),
};
#undef F
#undef RO
const struct rec_schema change_schema = {"change", change_fields,
                                         sizeof(change_fields) / sizeof(change_fields[0]),
                                         sizeof(struct change)};

static int change_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                        struct zw_err *err)
{
	(void)x, (void)old;
	return registry_ref(c, "units", "unit_id", "单位", ((struct change *)rec)->unit_id, err);
}

const struct registry_kind change_kind = {
    .table = "changes",
    .object = "change",
    .label = "变更记录",
    .sc = &change_schema,
    .read = ACT_CHANGE_READ,
    .write = ACT_CHANGE_WRITE,
    .unit_field = "unit_id",
    .check = change_check,
};

struct ctr {
	char *action, *reason, *emergency_measures, *rollback_plan;
	int64_t if_rev;
	bool dry_run;
};
static const char *const actions[] = {"revise",    "approve", "reject", "execute",
                                      "roll_back", "cancel",  NULL};
static const struct rec_field tr_fields[] = {
    REC_FE(struct ctr, action, REC_REQUIRED, "操作", actions),
    REC_F(struct ctr, reason, REC_TEXT, REC_MULTILINE, "理由", 500),
    REC_F(struct ctr, emergency_measures, REC_TEXT, REC_MULTILINE, "应急措施", 2000),
    REC_F(struct ctr, rollback_plan, REC_TEXT, REC_MULTILINE, "回退方案", 2000),
    {"if_rev", REC_INT, 0, offsetof(struct ctr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    REC_F(struct ctr, dry_run, REC_BOOL, 0, "仅检查", 0),
};
const struct rec_schema change_transition_schema = {
    "change_transition", tr_fields, sizeof(tr_fields) / sizeof(tr_fields[0]), sizeof(struct ctr)};

static struct change *C(void *cs)
{
	return ((struct case_step *)cs)->rec;
}

static const char *change_clause(const struct case_step *s)
{
	const struct change *c = s->rec;
	return c->clause ? c->clause : "";
}

static bool blank(const char *s)
{
	return !s || !*s;
}

static int e_submit(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct change *c = C(s);
	(void)err;
	char clause[32] = "";
	if (s->x->prof->has_change_control)
		profile_first_clause(s->x->prof->change_clause, clause, sizeof(clause));
	rec_set_str(&change_schema, c, "clause", clause);
	static const char *const texts[] = {"emergency_measures", "rollback_plan", "outcome"};
	for (size_t i = 0; i < 3; i++)
		if (!rec_get_str(&change_schema, c, texts[i]))
			rec_set_str(&change_schema, c, texts[i], "");
	return 0;
}

/* SS-24: what the profile requires is there before the change is approved. */
static int g_plans(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	const char *req = s->x->prof->has_change_control ? s->x->prof->change_requires : NULL;
	char w[40];
	for (int i = 0; req && list_word(req, i, w, sizeof(w)); i++)
		if (blank(rec_get_str(&change_schema, C(s), w))) {
			const struct rec_field *f = rec_field(&change_schema, w);
			return zw_err_clause(err, ZW_ERULE, w, C(s)->clause,
			                     "依据%s，变更须制定%s后方可批准（请先补充）",
			                     C(s)->clause, f ? f->label : w);
		}
	return 0;
}

static int e_revise(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	const struct ctr *in = s->in;
	if (blank(in->emergency_measures) && blank(in->rollback_plan))
		return zw_errf(err, ZW_EINVALID, "rollback_plan", "请填写应急措施或回退方案");
	size_t n = 0;
	if (!blank(in->emergency_measures)) {
		rec_set_str(&change_schema, C(s), "emergency_measures", in->emergency_measures);
		n += (size_t)snprintf(s->detail + n, sizeof(s->detail) - n, "补充应急措施");
	}
	if (!blank(in->rollback_plan)) {
		rec_set_str(&change_schema, C(s), "rollback_plan", in->rollback_plan);
		snprintf(s->detail + n, sizeof(s->detail) - n, "%s补充回退方案", n ? "、" : "");
	}
	return 0;
}

static int e_done(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	rec_set_str(&change_schema, C(s), "outcome", s->reason);
	C(s)->executed_at = s->now;
	return 0;
}

#define W ACT_CHANGE_WRITE
#define A ACT_CHANGE_APPROVE
static const struct wf_row rows[] = {
    {"submit", "提交", "", "submitted", W, 0, NULL, e_submit, NULL, NULL},
    {"revise", "补充应急措施和回退方案", "submitted", NULL, W, 0, NULL, e_revise,
     "emergency_measures or rollback_plan given", NULL},
    {"approve", "批准", "submitted", "approved", A, 0, g_plans, NULL,
     "the record carries what [change_control] requires (SS-24: emergency measures and a "
     "rollback plan)",
     NULL},
    {"reject", "不批准", "submitted", "rejected", A, WF_REASON, NULL, NULL, NULL, NULL},
    {"execute", "已实施", "approved", "done", W, WF_REASON, NULL, e_done,
     "the reason is the outcome", NULL},
    {"roll_back", "已回退", "approved", "rolled_back", W, WF_REASON, NULL, e_done,
     "carried out and rolled back by its plan; the reason is what happened", NULL},
    {"cancel", "撤销", "submitted approved", "cancelled", W, WF_REASON, NULL, NULL, NULL, NULL},
};
#undef W
#undef A

static const char *change_state_label(const char *state)
{
	return rec_enum_label(rec_field(&change_schema, "state"), state);
}

const struct workflow change_workflow = {
    .name = "change",
    .label = "变更记录",
    .states = states,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    CASE_GETTERS,
    .state_label = change_state_label,
    .clause_doc = "the profile's [change_control] clause (SS-24)",
};

static int change_notice(struct case_step *s, json_t *payload, char *roles, size_t n)
{
	json_object_set_new(payload, "summary", json_string(C(s)->subject));
	snprintf(roles, n, "operator");
	return 0;
}

const struct case_type change_case = {
    .k = &change_kind,
    .w = &change_workflow,
    .input = &change_transition_schema,
    .create_action = "submit",
    .created_label = "提交",
    .clause = change_clause,
    .notice = change_notice,
};
