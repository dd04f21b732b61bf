#include "domain/ops/duty.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/xalloc.h"
#include "domain/org/account.h"
#include "store/duty_sql.h"
#include "store/rec.h"

/* ---- the shift ---- */

static const char *const states[] = {"planned", "on_duty", "handed_over", "cancelled", NULL};
static const char *const state_labels[] = {"待接班", "值班中", "已交班", "已取消", NULL};
static const char *const shifts[] = {"白班", "夜班", "全天", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct duty_shift, n, t, fl, lbl, max)
#define RO                    REC_READONLY
static const struct rec_field shift_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(day, REC_DATE, REC_REQUIRED | REC_FIXED | REC_SORT | REC_FILTER, "值班日期", 10),
    REC_FE(struct duty_shift, shift, REC_REQUIRED | REC_FIXED | REC_FILTER, "班次", shifts),
    F(user_id, REC_ID, REC_REQUIRED | REC_FIXED | REC_FILTER, "值班人", 0),
    REC_FEL(struct duty_shift, state, RO | REC_FILTER, "状态", states, state_labels),
    F(clause, REC_TEXT, RO, "依据条款", 32),
    F(handover_note, REC_TEXT, RO | REC_MULTILINE, "交接事项", 500),
    F(started_at, REC_TIME, RO, "接班时间", 0),
    F(ended_at, REC_TIME, RO, "交班时间", 0),
    REC_META(struct duty_shift),
};
#undef F
const struct rec_schema duty_shift_schema = {"duty_shift", shift_fields,
                                             sizeof(shift_fields) / sizeof(shift_fields[0]),
                                             sizeof(struct duty_shift)};

/* The person on duty is one of the center's: a manager or a duty officer (运维团队). */
static int shift_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                       struct zw_err *err)
{
	(void)x, (void)old;
	struct duty_shift *d = rec;
	struct user u = {0};
	int rc = store_rec_get(c, "users", &user_schema, d->user_id, NULL, 0, &u, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_EINVALID, "user_id", "用户不存在");
	} else if (!rc && (u.disabled ||
	                   (strcmp(u.role, "manager") != 0 && strcmp(u.role, "operator") != 0))) {
		rc = zw_errf(err, ZW_EINVALID, "user_id",
		             "值班人须为在用的网络管理单位或运维团队人员");
	}
	user_free(&u);
	return rc;
}

/* The person on duty by name: the roster is read by those who may not read every account. */
static int shift_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	const struct duty_shift *d = rec;
	struct user u = {0};
	int rc = store_rec_get(c, "users", &user_schema, d->user_id, NULL, 0, &u, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = 0;
	}
	if (!rc)
		json_object_set_new(o, "user_name",
		                    json_string(u.display_name && *u.display_name ? u.display_name
		                                : u.username                      ? u.username
		                                                                  : ""));
	user_free(&u);
	return rc;
}

const struct registry_kind duty_shift_kind = {
    .table = "duty_shifts",
    .object = "duty_shift",
    .label = "值班",
    .sc = &duty_shift_schema,
    .read = ACT_DUTY_READ,
    .write = ACT_DUTY_PLAN,
    .check = shift_check,
    .extra = shift_extra,
};

/* ---- the log ---- */

static const char *const results[] = {"正常", "异常", NULL};

#define E(n, t, fl, lbl, max) REC_F(struct duty_entry, n, t, fl, lbl, max)
static const struct rec_field entry_fields[] = {
    E(id, REC_ID, RO, "编号", 0),
    E(shift_id, REC_ID, REC_READONLY, "值班", 0),
    E(at, REC_TIME, RO | REC_SORT, "记录时间", 0),
    E(check_item, REC_TEXT, REC_FIXED | REC_NULLABLE, "检查项目", 100),
    REC_FE(struct duty_entry, result, REC_FIXED | REC_NULLABLE, "检查结果", results),
    E(seen, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_MULTILINE, "发现情况", 1000),
    E(done, REC_TEXT, REC_FIXED | REC_MULTILINE, "处理情况", 1000),
    E(ticket_id, REC_ID, REC_FIXED | REC_NULLABLE, "关联故障工单", 0),
    E(recorded_by, REC_TEXT, RO, "记录人", 80),
    REC_META(struct duty_entry),
};
#undef E
#undef RO
const struct rec_schema duty_entry_schema = {"duty_entry", entry_fields,
                                             sizeof(entry_fields) / sizeof(entry_fields[0]),
                                             sizeof(struct duty_entry)};

/* An entry goes into a shift on duty; a check is one of the profile's, with its result. */
static int entry_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                       struct zw_err *err)
{
	struct duty_entry *e = rec;
	if (old)
		return zw_errf(err, ZW_ECONFLICT, NULL, "值班日志不能修改，如有更正请另记一条");
	struct duty_shift d = {0};
	int rc = store_rec_get(c, "duty_shifts", &duty_shift_schema, e->shift_id, NULL, 0, &d, err);
	if (!rc && strcmp(d.state, "on_duty") != 0)
		rc = zw_errf(err, ZW_ECONFLICT, "shift_id",
		             "该班次当前为“%s”，只有值班中的班次可以记录",
		             rec_enum_label(rec_field(&duty_shift_schema, "state"), d.state));
	rec_free(&duty_shift_schema, &d);
	const char *checks = x->prof->has_duty ? x->prof->duty_checks : NULL;
	if (!rc && e->check_item && (!checks || !list_has(checks, e->check_item)))
		rc =
		    zw_errf(err, ZW_ERULE, "check_item", "“%s”不是本县办法规定的日常检查项目（%s）",
		            e->check_item, checks ? checks : "无");
	if (!rc && e->check_item && !e->result)
		rc = zw_errf(err, ZW_EINVALID, "result", "检查项目须记录检查结果（正常或异常）");
	if (!rc && !e->check_item && e->result)
		rc = zw_errf(err, ZW_EINVALID, "check_item", "检查结果须对应一个检查项目");
	if (!rc)
		rc = registry_ref(c, "tickets", "ticket_id", "故障工单", e->ticket_id, err);
	if (!rc) {
		e->at = clock_now();
		rec_set_str(&duty_entry_schema, e, "recorded_by", x->by->username);
		if (!e->done)
			rec_set_str(&duty_entry_schema, e, "done", "");
	}
	return rc;
}

const struct registry_kind duty_entry_kind = {
    .table = "duty_entries",
    .object = "duty_entry",
    .label = "值班日志",
    .sc = &duty_entry_schema,
    .read = ACT_DUTY_READ,
    .write = ACT_DUTY_WRITE,
    .parent = &duty_shift_kind,
    .parent_field = "shift_id",
    .whole_list = true,
    .check = entry_check,
};

/* ---- the shift's steps ---- */

struct dtr {
	char *action, *reason;
	int64_t if_rev;
	bool dry_run;
};
static const char *const actions[] = {"take_over", "hand_over", "cancel", NULL};
static const struct rec_field tr_fields[] = {
    REC_FE(struct dtr, action, REC_REQUIRED, "操作", actions),
    REC_F(struct dtr, reason, REC_TEXT, REC_MULTILINE, "交接事项或理由", 500),
    {"if_rev", REC_INT, 0, offsetof(struct dtr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    REC_F(struct dtr, dry_run, REC_BOOL, 0, "仅检查", 0),
};
const struct rec_schema duty_transition_schema = {
    "duty_transition", tr_fields, sizeof(tr_fields) / sizeof(tr_fields[0]), sizeof(struct dtr)};

static struct duty_shift *D(void *cs)
{
	return ((struct case_step *)cs)->rec;
}

static const char *duty_clause(const struct case_step *s)
{
	const struct duty_shift *d = s->rec;
	return d->clause ? d->clause : "";
}

static int e_plan(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	char clause[32] = "";
	if (s->x->prof->has_duty)
		profile_first_clause(s->x->prof->duty_clause, clause, sizeof(clause));
	rec_set_str(&duty_shift_schema, D(s), "clause", clause);
	rec_set_str(&duty_shift_schema, D(s), "handover_note", "");
	return 0;
}

/* Only the person on the roster takes the shift over (the system, for them). */
static int g_own(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (s->x->by->role == ROLE_SYSTEM || s->x->by->user_id == D(s)->user_id)
		return 0;
	return zw_errf(err, ZW_EFORBIDDEN, "action", "只有排班的值班人可以接班");
}

static int e_take_over(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	D(s)->started_at = s->now;
	return 0;
}

/* The profile's daily checks shift id's log does not hold yet: each appended to out (when
 * given), the first into first ("" when none is missing). */
static int missing_checks(const struct ctx *x, struct sconn *c, int64_t id, json_t *out,
                          char *first, size_t n, struct zw_err *err)
{
	const char *checks = x->prof->has_duty ? x->prof->duty_checks : NULL;
	char w[100];
	*first = 0;
	for (int i = 0; checks && list_word(checks, i, w, sizeof(w)); i++) {
		bool done = false;
		int rc = store_duty_checked(c, id, w, &done, err);
		if (rc)
			return rc;
		if (done)
			continue;
		if (!*first)
			snprintf(first, n, "%s", w);
		if (out)
			json_array_append_new(out, json_string(w));
	}
	return 0;
}

/* JX-19: the shift's log holds every daily check of the profile before it is handed over. */
static int g_checks(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	char w[100];
	int rc = s->c ? missing_checks(s->x, s->c, D(s)->id, NULL, w, sizeof(w), err) : 0;
	if (!rc && s->c && *w)
		rc = zw_err_clause(err, ZW_ERULE, "action", D(s)->clause,
		                   "依据%s，交班前须完成并记录日常检查：尚未记录“%s”", D(s)->clause,
		                   w);
	return rc;
}

static int e_hand_over(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	D(s)->ended_at = s->now;
	rec_set_str(&duty_shift_schema, D(s), "handover_note", s->reason ? s->reason : "");
	return 0;
}

#define PLAN  ACT_DUTY_PLAN
#define WRITE ACT_DUTY_WRITE
static const struct wf_row rows[] = {
    {"plan", "排班", "", "planned", PLAN, 0, NULL, e_plan, NULL, NULL},
    {"take_over", "接班", "planned", "on_duty", WRITE, 0, g_own, e_take_over,
     "the person on the roster", NULL},
    {"hand_over", "交班", "on_duty", "handed_over", WRITE, 0, g_checks, e_hand_over,
     "every daily check of the profile's [duty] recorded in the shift's log", NULL},
    {"cancel", "取消排班", "planned", "cancelled", PLAN, WF_REASON, NULL, NULL, NULL, NULL},
};
#undef PLAN
#undef WRITE

static const char *duty_state_label(const char *state)
{
	return rec_enum_label(rec_field(&duty_shift_schema, "state"), state);
}

const struct workflow duty_workflow = {
    .name = "duty_shift",
    .label = "值班",
    .states = states,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    CASE_GETTERS,
    .state_label = duty_state_label,
    .clause_doc = "the profile's [duty] clause (JX-19)",
};

static int duty_notice(struct case_step *s, json_t *payload, char *roles, size_t n)
{
	char summary[64];
	snprintf(summary, sizeof(summary), "%s %s", D(s)->day, D(s)->shift);
	json_object_set_new(payload, "summary", json_string(summary));
	snprintf(roles, n, "operator");
	return 0;
}

/* The log, whole, with the shift. */
static int duty_detail(const struct ctx *x, struct sconn *c, const void *rec, json_t *o,
                       struct zw_err *err)
{
	const struct duty_shift *d = rec;
	struct list_query q = {0};
	json_t *entries = registry_list_all(x, &duty_entry_kind, d->id, &q, err);
	if (!entries)
		return -err->code;
	json_object_set_new(o, "entries", entries);
	json_t *checks = json_array();
	char w[100];
	for (int i = 0; x->prof->has_duty && list_word(x->prof->duty_checks, i, w, sizeof(w)); i++)
		json_array_append_new(checks, json_string(w));
	json_object_set_new(o, "checks", checks);
	json_t *missing = json_array();
	json_object_set_new(o, "missing_checks", missing);
	char first[100];
	return missing_checks(x, c, d->id, missing, first, sizeof(first), err);
}

const struct case_type duty_case = {
    .k = &duty_shift_kind,
    .w = &duty_workflow,
    .input = &duty_transition_schema,
    .create_action = "plan",
    .created_label = "排班",
    .clause = duty_clause,
    .notice = duty_notice,
    .detail = duty_detail,
};
