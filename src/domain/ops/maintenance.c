#include "domain/ops/maintenance.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/inventory/assets.h"
#include "store/maintenance_sql.h"
#include "store/notify_sql.h"
#include "store/rec.h"

static const char *const states[] = {"filed", "approved", "rejected", "cancelled", "done", NULL};
static const char *const state_labels[] = {"待同意", "已同意", "未同意", "已撤销", "已完成", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct maintenance, n, t, fl, lbl, max)
#define RO                    REC_READONLY
static const struct rec_field maintenance_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(carrier_id, REC_ID, REC_FIXED | REC_FILTER, "运营商", 0),
    F(starts_at, REC_TIME, REC_REQUIRED | REC_FIXED | REC_SORT | REC_RANGE, "中断开始时间", 0),
    F(ends_at, REC_TIME, REC_REQUIRED | REC_FIXED, "中断结束时间", 0),
    F(reason, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_NAME | REC_SEARCH, "运维作业内容", 200),
    F(detail, REC_TEXT, REC_FIXED | REC_MULTILINE, "影响说明", 2000),
    REC_FEL(struct maintenance, state, RO | REC_FILTER, "状态", states, state_labels),
    F(clause, REC_TEXT, RO, "依据条款", 32),
    {"lead_minutes", REC_INT, RO, offsetof(struct maintenance, lead_minutes), "提前报备（分钟）", 0,
     NULL, 0, INT64_MAX, NULL, NULL},
    REC_META(struct maintenance),
};
#undef F
#undef RO
const struct rec_schema maintenance_schema = {
    "maintenance", maintenance_fields, sizeof(maintenance_fields) / sizeof(maintenance_fields[0]),
    sizeof(struct maintenance)};

/* The lines it interrupts, with their units, in lists and answers alike. */
static int maintenance_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	const struct maintenance *m = rec;
	json_t *lines = json_array();
	int rc = store_maintenance_lines(c, m->id, lines, err);
	json_object_set_new(o, "lines", lines);
	return rc;
}

const struct registry_kind maintenance_kind = {
    .table = "maintenances",
    .object = "maintenance",
    .label = "停机维护通知",
    .sc = &maintenance_schema,
    .read = ACT_MAINTENANCE_READ,
    .write = ACT_MAINTENANCE_FILE,
    .carrier_field = "carrier_id",
    .extra = maintenance_extra,
};

struct mtr {
	char *action, *reason;
	int64_t if_rev;
	bool dry_run;
};
static const char *const actions[] = {"approve", "reject", "cancel", "complete", NULL};
static const struct rec_field tr_fields[] = {
    REC_FE(struct mtr, action, REC_REQUIRED, "操作", actions),
    REC_F(struct mtr, reason, REC_TEXT, REC_MULTILINE, "理由", 500),
    {"if_rev", REC_INT, 0, offsetof(struct mtr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    REC_F(struct mtr, dry_run, REC_BOOL, 0, "仅检查", 0),
};
const struct rec_schema maintenance_transition_schema = {"maintenance_transition", tr_fields,
                                                         sizeof(tr_fields) / sizeof(tr_fields[0]),
                                                         sizeof(struct mtr)};

static struct maintenance *M(void *cs)
{
	return ((struct case_step *)cs)->rec;
}

static const char *maintenance_clause(const struct case_step *s)
{
	const struct maintenance *m = s->rec;
	return m->clause ? m->clause : "";
}

/* ---- the lines, from the body ---- */

struct lines {
	int64_t *id, *unit;
	size_t n, cap;
};

static void lines_free(void *p)
{
	struct lines *l = p;
	if (!l)
		return;
	free(l->id);
	free(l->unit);
	free(l);
}

static int line_add(struct lines *l, int64_t id, int64_t unit)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->id[i] == id)
			return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->id = xreallocarray(l->id, l->cap, sizeof(*l->id));
		l->unit = xreallocarray(l->unit, l->cap, sizeof(*l->unit));
	}
	l->id[l->n] = id;
	l->unit[l->n++] = unit;
	return 0;
}

struct unit_lines {
	struct case_step *s;
	struct lines *l;
	int64_t unit;
};

static int add_unit_line(int64_t line, void *arg)
{
	struct unit_lines *u = arg;
	return line_add(u->l, line, u->unit);
}

#define MAX_LINES 500

/* An array of ids, each a positive integer, at most MAX_LINES. */
static int ids_of(const json_t *v, const char *name, struct zw_err *err)
{
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > MAX_LINES)
		return zw_errf(err, ZW_EINVALID, name, "%s 应为 1 到 %d 个编号的数组", name,
		               MAX_LINES);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) if (!json_is_integer(e) ||
	                                json_integer_value(e) <=
	                                    0) return zw_errf(err, ZW_EINVALID, name,
	                                                      "%s 的第 %zu 项不是编号", name,
	                                                      i + 1);
	return 0;
}

/* The carrier (a carrier's staff file for their own) and the lines it interrupts: given by
 * line (the carrier's) or by unit (the carrier's lines in use serving it). */
static int take_lines(struct case_step *s, const json_t *members)
{
	struct maintenance *m = M(s);
	const json_t *lv = json_object_get(members, "line_ids"),
	             *uv = json_object_get(members, "unit_ids");
	int rc = ids_of(lv, "line_ids", s->err);
	if (!rc)
		rc = ids_of(uv, "unit_ids", s->err);
	if (rc)
		return rc;
	if (s->x->by->role == ROLE_CARRIER) {
		if (m->carrier_id && m->carrier_id != s->x->by->carrier_id)
			return zw_errf(s->err, ZW_EINVALID, "carrier_id", "只能为本运营商报备");
		m->carrier_id = s->x->by->carrier_id;
	}
	if (!m->carrier_id)
		return zw_errf(s->err, ZW_EINVALID, "carrier_id", "请选择实施运维作业的运营商");
	rc = registry_ref(s->c, "carriers", "carrier_id", "运营商", m->carrier_id, s->err);
	if (!rc && !lv && !uv)
		return zw_errf(s->err, ZW_EINVALID, "line_ids",
		               "请写明中断的线路（line_ids）或受影响的单位（unit_ids）");
	struct lines *l = xcalloc(1, sizeof(*l));
	s->priv = l;
	s->priv_free = lines_free;
	size_t i;
	json_t *e;
	json_array_foreach(lv, i, e)
	{
		if (rc)
			break;
		struct line ln = {0};
		rc = store_rec_get(s->c, "lines", &line_schema, json_integer_value(e), NULL, 0, &ln,
		                   s->err);
		if (rc == -ZW_ENOTFOUND) {
			zw_err_clear(s->err);
			rc = zw_errf(s->err, ZW_EINVALID, "line_ids", "线路 %lld 不存在",
			             (long long)json_integer_value(e));
		} else if (!rc && ln.carrier_id != m->carrier_id) {
			rc = zw_errf(s->err, ZW_EINVALID, "line_ids", "线路 %s 不由该运营商维护",
			             ln.circuit_id);
		}
		if (!rc)
			line_add(l, ln.id, ln.unit_id);
		rec_free(&line_schema, &ln);
	}
	json_array_foreach(uv, i, e)
	{
		if (rc)
			break;
		int64_t unit = json_integer_value(e);
		rc = registry_ref(s->c, "units", "unit_ids", "单位", unit, s->err);
		struct unit_lines u = {s, l, unit};
		int n = 0;
		if (!rc)
			rc = store_carrier_unit_lines(s->c, m->carrier_id, unit, add_unit_line, &u,
			                              &n, s->err);
		if (!rc && !n)
			rc = zw_errf(s->err, ZW_EINVALID, "unit_ids",
			             "单位 %lld 没有该运营商维护的在用线路", (long long)unit);
	}
	return rc;
}

static int maintenance_opened(struct case_step *s)
{
	struct lines *l = s->priv;
	int rc = 0;
	for (size_t i = 0; l && i < l->n && !rc; i++)
		rc = store_maintenance_line_add(s->c, M(s)->id, l->id[i], l->unit[i], s->err);
	return rc;
}

/* ---- guards and effects ---- */

static const char *clause_of(const struct profile *p, char out[32])
{
	*out = 0;
	if (p->maintenance_clause)
		profile_first_clause(p->maintenance_clause, out, 32);
	return out;
}

static bool needs_approval(const struct case_step *s)
{
	return !s->x->prof->has_maintenance || s->x->prof->maintenance_approval;
}

static int g_approval(void *cs, struct zw_err *err)
{
	(void)err;
	return needs_approval(cs) ? 0 : zw_errf(err, ZW_ECONFLICT, "action", "本县办法不要求同意");
}

static int g_no_approval(void *cs, struct zw_err *err)
{
	(void)err;
	return needs_approval(cs) ? zw_errf(err, ZW_ECONFLICT, "action", "须经管理单位同意") : 0;
}

/* TB-12: filed at least notice_hours before the interruption starts. */
static int e_file(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct maintenance *m = M(s);
	char clause[32];
	rec_set_str(&maintenance_schema, m, "clause", clause_of(s->x->prof, clause));
	if (!m->detail)
		m->detail = xstrdup("");
	if (m->ends_at <= m->starts_at)
		return zw_errf(err, ZW_EINVALID, "ends_at", "中断结束时间应晚于开始时间");
	int64_t lead = m->starts_at - s->now;
	m->lead_minutes = lead > 0 ? lead / 60 : 0;
	int hours = s->x->prof->has_maintenance ? s->x->prof->maintenance_notice_hours : 0;
	if (lead < (int64_t)hours * 3600)
		return zw_err_clause(
		    err, ZW_ERULE, "starts_at", m->clause,
		    "依据%s，因运维作业需要中断网络的，应至少提前 %d 小时报管理单位"
		    "（距中断开始只有 %lld 分钟）",
		    m->clause, hours, (long long)(lead > 0 ? lead / 60 : 0));
	return 0;
}

static int g_not_started(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (s->now < M(s)->starts_at)
		return 0;
	return zw_err_clause(err, ZW_ECONFLICT, "action", M(s)->clause,
	                     "中断开始时间已过，不能再同意；须征得同意后方可实施，请重新报备");
}

static int g_started(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (s->now >= M(s)->starts_at)
		return 0;
	return zw_errf(err, ZW_ECONFLICT, "action", "维护尚未开始");
}

/* "2026-12-04 10:00:00 至 12:00:00 中断网络：<reason>", what every notice of it names. */
static void window_text(const struct maintenance *m, char *out, size_t n)
{
	char from[24], to[24];
	clock_format_cn(m->starts_at, from, sizeof(from));
	clock_format_cn(m->ends_at, to, sizeof(to));
	text_printf(out, n, "%s 至 %s 中断网络：%s", from, to, m->reason);
}

struct tell {
	struct case_step *s;
	const char *payload;
};

static int tell_unit(int64_t unit, void *arg)
{
	struct tell *t = arg;
	struct case_step *s = t->s;
	return store_outbox_event(s->c, "maintenance.approve", "maintenance", M(s)->id, unit,
	                          M(s)->clause, t->payload, "units_only", s->now, s->err);
}

/* The units on its lines are told (the managers, the carrier and the duty officers hear of
 * the step itself). */
static int e_approve(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	char summary[400];
	window_text(M(s), summary, sizeof(summary));
	json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)M(s)->id, "action",
	                      "approve", "summary", summary, "state_label", "已同意", "detail", "");
	char *payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	struct tell t = {s, payload};
	int rc = store_maintenance_units(s->c, M(s)->id, tell_unit, &t, err);
	free(payload);
	return rc;
}

#define FILE_   ACT_MAINTENANCE_FILE
#define APPROVE ACT_MAINTENANCE_APPROVE
static const struct wf_row rows[] = {
    {"file", "报备", "", "filed", FILE_, 0, g_approval, e_file,
     "at least [maintenance] notice_hours before the start; awaits the manager's agreement", NULL},
    {"file", "报备", "", "approved", FILE_, 0, g_no_approval, e_file,
     "at least notice_hours ahead, where the profile wants no agreement", NULL},
    {"approve", "同意", "filed", "approved", APPROVE, 0, g_not_started, e_approve,
     "before the start; the units on its lines are told", NULL},
    {"reject", "不同意", "filed", "rejected", APPROVE, WF_REASON, NULL, NULL, NULL, NULL},
    {"cancel", "撤销", "filed approved", "cancelled", FILE_, WF_REASON, NULL, NULL, NULL, NULL},
    {"complete", "维护完成", "approved", "done", FILE_, 0, g_started, NULL, "the window has begun",
     NULL},
};
#undef FILE_
#undef APPROVE

static const char *maintenance_state_label(const char *state)
{
	return rec_enum_label(rec_field(&maintenance_schema, "state"), state);
}

const struct workflow maintenance_workflow = {
    .name = "maintenance",
    .label = "停机维护通知",
    .states = states,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    CASE_GETTERS,
    .state_label = maintenance_state_label,
    .clause_doc = "the profile's [maintenance] clause (TB-12)",
};

static int maintenance_notice(struct case_step *s, json_t *payload, char *roles, size_t n)
{
	char summary[400];
	window_text(M(s), summary, sizeof(summary));
	json_object_set_new(payload, "summary", json_string(summary));
	snprintf(roles, n, "operator,carrier:%lld", (long long)M(s)->carrier_id);
	return 0;
}

static const char *const takes[] = {"line_ids", "unit_ids", NULL};

const struct case_type maintenance_case = {
    .k = &maintenance_kind,
    .w = &maintenance_workflow,
    .input = &maintenance_transition_schema,
    .create_action = "file",
    .created_label = "报备",
    .clause = maintenance_clause,
    .takes = takes,
    .take = take_lines,
    .opened = maintenance_opened,
    .notice = maintenance_notice,
};
