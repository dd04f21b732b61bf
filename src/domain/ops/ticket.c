#include "domain/ops/ticket.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/deadline.h"
#include "domain/inventory/assets.h"
#include "domain/org/unit.h"
#include "store/rec.h"
#include "store/maintenance_sql.h"
#include "store/ticket_sql.h"

/* ---- the record ---- */

static const char *const states[] = {"reported", "dispatched", "repairing", "paused",    "resolved",
                                     "closed",   "cancelled",  "self",      "assisting", NULL};
static const char *const state_labels[] = {"待派单",     "已派单", "维修中", "暂停计时",
                                           "已修复",     "已关闭", "已撤销", "单位自行处理",
                                           "商请协助中", NULL};
static const char *const locations[] = {"backbone", "lan", NULL};
static const char *const location_labels[] = {"骨干网络或线路", "本单位局域网", NULL};
static const char *const channels[] = {"console", "phone", "outage", NULL};
static const char *const channel_labels[] = {"网上报修", "电话报修", "监测发现中断", NULL};

#define F(n, t, fl, lbl, max)        REC_F(struct ticket, n, t, fl, lbl, max)
#define FE(n, fl, lbl, vals, labels) REC_FEL(struct ticket, n, fl, lbl, vals, labels)
#define RO                           REC_READONLY
static const struct rec_field ticket_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(unit_id, REC_ID, REC_REQUIRED | REC_FIXED | REC_FILTER, "报修单位", 0),
    FE(location, REC_REQUIRED | REC_FIXED | REC_FILTER, "故障位置", locations, location_labels),
    F(line_id, REC_ID, REC_FIXED | REC_NULLABLE | REC_FILTER, "故障线路", 0),
    F(summary, REC_TEXT, REC_REQUIRED | REC_FIXED | REC_NAME | REC_SEARCH, "故障现象", 200),
    F(detail, REC_TEXT, REC_FIXED | REC_MULTILINE, "故障描述", 2000),
    F(reporter, REC_TEXT, REC_FIXED | REC_NAME, "报修人", 50),
    F(reporter_phone, REC_TEXT, REC_FIXED, "报修电话", 30),
    FE(channel, REC_FIXED | REC_FILTER, "报修方式", channels, channel_labels),
    FE(state, RO | REC_FILTER | REC_SORT, "状态", states, state_labels),
    F(carrier_id, REC_ID, RO | REC_FILTER, "承修运营商", 0),
    F(site_class, REC_TEXT, RO | REC_NULLABLE | REC_FILTER, "故障类别", 40),
    F(site_class_name, REC_TEXT, RO | REC_NULLABLE, "故障类别名称", 100),
    F(clause, REC_TEXT, RO, "依据条款", 32),
    F(pause_reason, REC_TEXT, RO | REC_NULLABLE, "暂停事由", 40),
    F(cause, REC_TEXT, RO | REC_MULTILINE, "故障原因及处理情况", 500),
    F(reported_at, REC_TIME, RO | REC_SORT | REC_RANGE, "报修时间", 0),
    F(dispatched_at, REC_TIME, RO, "派单时间", 0),
    F(responded_at, REC_TIME, RO, "响应时间", 0),
    F(resolved_at, REC_TIME, RO, "修复时间", 0),
    F(closed_at, REC_TIME, RO, "关闭时间", 0),
    F(respond_deadline_id, REC_ID, RO, "响应时限", 0),
    F(repair_deadline_id, REC_ID, RO, "修复时限", 0),
    REC_META(struct ticket),
};
#undef F
#undef FE
#undef RO

const struct rec_schema ticket_schema = {"ticket", ticket_fields,
                                         sizeof(ticket_fields) / sizeof(ticket_fields[0]),
                                         sizeof(struct ticket)};

/* A ticket names a unit that exists and a line of that unit. */
static int ticket_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                        struct zw_err *err)
{
	(void)x, (void)old;
	struct ticket *t = rec;
	int rc = registry_ref(c, "units", "unit_id", "单位", t->unit_id, err);
	if (rc || !t->line_id)
		return rc;
	struct line l = {0};
	rc = store_rec_get(c, "lines", &line_schema, t->line_id, NULL, 0, &l, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_EINVALID, "line_id", "线路不存在");
	} else if (!rc && l.unit_id != t->unit_id) {
		rc = zw_errf(err, ZW_EINVALID, "line_id", "该线路不是报修单位的线路");
	}
	rec_free(&line_schema, &l);
	return rc;
}

/* What a ticket carries besides its fields: its clocks as the deadlines show them (rule,
 * clause, due_at, status, working_days_left aside), in lists and answers alike. */
static int ticket_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	const struct ticket *t = rec;
	json_t *clocks = json_array();
	int rc = deadline_subject_list(c, "ticket", t->id, clocks, err);
	json_object_set_new(o, "clocks", clocks);
	return rc;
}

const struct registry_kind ticket_kind = {
    .table = "tickets",
    .object = "ticket",
    .label = "故障工单",
    .sc = &ticket_schema,
    .read = ACT_TICKET_READ,
    .write = ACT_TICKET_REPORT,
    .unit_field = "unit_id",
    .carrier_field = "carrier_id",
    .check = ticket_check,
    .extra = ticket_extra,
};

/* ---- a step's body ---- */

struct ttr {
	char *action, *reason, *pause_reason, *site_class;
	int64_t carrier_id, if_rev;
	bool dry_run;
};
static const char *const actions[] = {"dispatch",   "respond",  "pause",   "resume", "reassign",
                                      "reclassify", "resolve",  "confirm", "reopen", "cancel",
                                      "ask_help",   "relocate", "recover", NULL};
static const struct rec_field tr_fields[] = {
    REC_FE(struct ttr, action, REC_REQUIRED, "操作", actions),
    REC_F(struct ttr, reason, REC_TEXT, REC_MULTILINE, "理由", 500),
    REC_F(struct ttr, carrier_id, REC_ID, 0, "承修运营商", 0),
    REC_F(struct ttr, pause_reason, REC_CODE, 0, "暂停事由", 40),
    REC_F(struct ttr, site_class, REC_CODE, 0, "故障类别", 40),
    {"if_rev", REC_INT, 0, offsetof(struct ttr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    REC_F(struct ttr, dry_run, REC_BOOL, 0, "仅检查", 0),
};
const struct rec_schema ticket_transition_schema = {
    "ticket_transition", tr_fields, sizeof(tr_fields) / sizeof(tr_fields[0]), sizeof(struct ttr)};

/* ---- the clocks ---- */

static struct ticket *T(void *cs)
{
	return ((struct case_step *)cs)->rec;
}

static const struct ttr *IN(void *cs)
{
	return ((struct case_step *)cs)->in;
}

/* The case's clause: the class's (TB-12) while the carrier's clocks run on it, the LAN rule's
 * (TB-11) for the unit's own fault, else the profile's reporting rule. */
static void set_clause(const struct profile *p, struct ticket *t)
{
	const struct sla_rule *r =
	    text_is(t->location, "backbone") ? profile_sla(p, t->site_class) : NULL;
	const char *list = r ? r->clause
	                   : text_is(t->location, "lan") && p->fault_lan_clause
	                       ? p->fault_lan_clause
	                       : p->fault_report_clause;
	char first[32] = "";
	if (list)
		profile_first_clause(list, first, sizeof(first));
	xstr_set(&t->clause, first);
}

static const char *ticket_clause(const struct case_step *s)
{
	const struct ticket *t = s->rec;
	return t->clause ? t->clause : "";
}

static void set_class(const struct profile *p, struct ticket *t, const struct sla_rule *r)
{
	xstr_set(&t->site_class, r ? r->key : NULL);
	xstr_set(&t->site_class_name, r ? r->name : NULL);
	set_clause(p, t);
}

/* The class of the unit's faults, from its level (单位层级). */
static int unit_class(struct case_step *s, const struct sla_rule **r)
{
	struct unit u = {0};
	int rc = store_rec_get(s->c, "units", &unit_schema, T(s)->unit_id, NULL, 0, &u, s->err);
	*r = rc ? NULL : profile_sla_of_level(s->x->prof, u.level);
	unit_free(&u);
	return rc;
}

/* The carrier's clocks from `at` (the report): response and repair by the ticket's class. A
 * ticket of no class (a level no class names) runs none until it is classified. */
static int start_clocks(struct case_step *s, int64_t at)
{
	struct ticket *t = T(s);
	const struct sla_rule *r = profile_sla(s->x->prof, t->site_class);
	if (!r)
		return 0;
	char rule[64];
	int rc = 0;
	if (r->respond_hours && !t->respond_deadline_id) {
		snprintf(rule, sizeof(rule), "respond:%s", r->key);
		rc = deadline_start_tx(s->sx, s->tx, rule, "ticket", t->id, t->unit_id, at,
		                       &t->respond_deadline_id, s->err);
	}
	if (!rc && !t->repair_deadline_id) {
		snprintf(rule, sizeof(rule), "repair:%s", r->key);
		rc = deadline_start_tx(s->sx, s->tx, rule, "ticket", t->id, t->unit_id, at,
		                       &t->repair_deadline_id, s->err);
	}
	return rc;
}

/* A clock met, if it runs (a class without a response time has none). */
static int meet(struct case_step *s, int64_t id)
{
	return id ? deadline_met_tx(s->sx, s->tx, id, s->err) : 0;
}

static int cancel_clocks(struct case_step *s)
{
	struct ticket *t = T(s);
	int64_t ids[2] = {t->respond_deadline_id, t->repair_deadline_id};
	int rc = 0;
	for (int i = 0; i < 2 && !rc; i++) {
		if (!ids[i])
			continue;
		rc = deadline_cancel_tx(s->sx, s->tx, ids[i], s->err);
		if (rc == -ZW_ECONFLICT) { /* met or breached already: it stands as it ended */
			zw_err_clear(s->err);
			rc = 0;
		}
	}
	return rc;
}

static int carrier_name(struct case_step *s, int64_t id, char *out, size_t n)
{
	struct carrier cr = {0};
	int rc = store_rec_get(s->c, "carriers", &carrier_schema, id, NULL, 0, &cr, s->err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(s->err);
		rc = zw_errf(s->err, ZW_EINVALID, "carrier_id", "运营商不存在");
	}
	if (!rc)
		text_printf(out, n, "%s", cr.name);
	rec_free(&carrier_schema, &cr);
	return rc;
}

/* ---- guards ---- */

/* TB-11: a LAN fault is the unit's own when the profile says so; every other goes to the
 * manager. */
static bool unit_solves(const struct case_step *s)
{
	return text_is(((const struct ticket *)s->rec)->location, "lan") &&
	       s->x->prof->fault_lan_clause;
}

static int g_to_manager(void *cs, struct zw_err *err)
{
	(void)err;
	return unit_solves(cs)
	           ? zw_errf(err, ZW_ECONFLICT, "location", "本单位局域网故障由单位自行解决")
	           : 0;
}

static int g_unit_solves(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (unit_solves(s))
		return 0;
	return zw_errf(err, ZW_ECONFLICT, "location", "骨干网络或线路故障由管理单位组织运营商处理");
}

static int g_pause(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (!s->x->prof->npauses)
		return zw_err_clause(err, ZW_ERULE, "action", ticket_clause(s),
		                     "《%s》没有规定可暂停修复计时的事由", s->x->prof->title);
	return 0;
}

/* Only the outage check itself says that an outage it opened a ticket for is over. */
static int g_system(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	if (s->x->by->role == ROLE_SYSTEM && text_is(T(s)->channel, "outage"))
		return 0;
	return zw_errf(err, ZW_EFORBIDDEN, "action", "只有中断监测可以确认监测到的恢复");
}

/* "key（name）" appended to the list of what the profile allows, for a refusal's message. */
static void choice(struct buf *b, const char *key, const char *name)
{
	buf_printf(b, "%s%s（%s）", b->len ? "、" : "", key, name);
}

/* ---- effects ---- */

static int e_report(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	if (text_is(t->channel, "outage") && s->x->by->role != ROLE_SYSTEM)
		return zw_errf(err, ZW_EINVALID, "channel", "“监测发现中断”的工单只由中断监测开立");
	if (!t->channel)
		xstr_set(&t->channel, s->x->by->role == ROLE_UNIT_ADMIN ? "console" : "phone");
	if (!t->reporter)
		xstr_set(&t->reporter, s->x->by->username);
	if (!t->reporter_phone)
		xstr_set(&t->reporter_phone, "");
	if (!t->detail)
		xstr_set(&t->detail, "");
	xstr_set(&t->cause, "");
	if (!t->reported_at)
		t->reported_at = s->now;
	int rc = 0;
	if (!unit_solves(s) && !t->line_id) { /* the unit's line, when it has exactly one */
		int n;
		rc = store_unit_lines(s->c, t->unit_id, &t->line_id, &n, err);
		if (n != 1)
			t->line_id = 0;
	}
	const struct sla_rule *r = NULL;
	if (!rc && !unit_solves(s))
		rc = unit_class(s, &r);
	if (!rc)
		set_class(s->x->prof, t, r);
	return rc;
}

/* Once the ticket has its id: the clocks from the report (a backbone fault); from the end of
 * an agreed maintenance window of its line when it was reported in one (TB-12: the
 * interruption was planned). */
static int ticket_opened(struct case_step *s)
{
	struct ticket *t = T(s);
	if (unit_solves(s))
		return 0;
	int64_t window = 0, ends = 0;
	int rc = store_maintenance_window(s->c, t->line_id, t->line_id ? 0 : t->unit_id,
	                                  t->reported_at, &window, &ends, s->err);
	if (!rc && window)
		text_printf(s->detail, sizeof(s->detail),
		            "报修时处于已同意的停机维护（通知 %lld）期间，计时自维护结束时起",
		            (long long)window);
	return rc ? rc : start_clocks(s, window ? ends : t->reported_at);
}

static int e_dispatch(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	int64_t carrier = IN(s)->carrier_id;
	if (!carrier && t->line_id) {
		struct line l = {0};
		int rc = store_rec_get(s->c, "lines", &line_schema, t->line_id, NULL, 0, &l, err);
		carrier = rc ? 0 : l.carrier_id;
		rec_free(&line_schema, &l);
		if (rc)
			return rc;
	}
	if (!carrier)
		return zw_errf(err, ZW_EINVALID, "carrier_id",
		               "请选择承修的网络运营商（该故障没有登记线路）");
	char name[256];
	int rc = carrier_name(s, carrier, name, sizeof(name));
	if (!rc) {
		t->carrier_id = carrier;
		t->dispatched_at = s->now;
		text_printf(s->detail, sizeof(s->detail), "派单给%s", name);
	}
	return rc;
}

static int e_reassign(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	int64_t carrier = IN(s)->carrier_id;
	if (!carrier)
		return zw_errf(err, ZW_EINVALID, "carrier_id", "请选择改派的网络运营商");
	if (carrier == t->carrier_id)
		return zw_errf(err, ZW_EINVALID, "carrier_id", "该工单已由此运营商承修");
	char name[256];
	int rc = carrier_name(s, carrier, name, sizeof(name));
	if (!rc) { /* the clocks and a pause run on: TTR from the report, a pause with its reason */
		t->carrier_id = carrier;
		text_printf(s->detail, sizeof(s->detail), "改派给%s", name);
	}
	return rc;
}

static int e_respond(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	T(s)->responded_at = s->now;
	return meet(s, T(s)->respond_deadline_id);
}

static int e_pause(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	const struct pause_rule *r = profile_pause(s->x->prof, IN(s)->pause_reason);
	if (!r) {
		struct buf b;
		buf_init(&b, SIZE_MAX);
		for (size_t i = 0; i < s->x->prof->npauses; i++)
			choice(&b, s->x->prof->pauses[i].key, s->x->prof->pauses[i].name);
		int rc = zw_err_clause(err, ZW_ERULE, "pause_reason", ticket_clause(s),
		                       "《%s》只允许因以下事由暂停修复计时：%s", s->x->prof->title,
		                       b.p ? b.p : "（无）");
		buf_free(&b);
		return rc;
	}
	char why[700];
	text_printf(why, sizeof(why), "%s：%s", r->name, s->reason);
	int rc = t->repair_deadline_id
	             ? deadline_pause_tx(s->sx, s->tx, t->repair_deadline_id, why, err)
	             : 0;
	if (!rc) {
		xstr_set(&t->pause_reason, r->key);
		text_printf(s->detail, sizeof(s->detail), "暂停事由：%s（%s）", r->name, r->clause);
	}
	return rc;
}

static int e_resume(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	int rc = t->repair_deadline_id
	             ? deadline_resume_tx(s->sx, s->tx, t->repair_deadline_id, err)
	             : 0;
	if (!rc)
		xstr_set(&t->pause_reason, NULL);
	return rc;
}

static int e_reclassify(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	const struct sla_rule *r = profile_sla(s->x->prof, IN(s)->site_class);
	if (!r) {
		struct buf b;
		buf_init(&b, SIZE_MAX);
		for (size_t i = 0; i < s->x->prof->nslas; i++)
			choice(&b, s->x->prof->slas[i].key, s->x->prof->slas[i].name);
		int rc = zw_err_clause(err, ZW_ERULE, "site_class", ticket_clause(s),
		                       "《%s》规定的故障类别为：%s", s->x->prof->title,
		                       b.p ? b.p : "（无）");
		buf_free(&b);
		return rc;
	}
	if (text_is(r->key, t->site_class))
		return zw_errf(err, ZW_EINVALID, "site_class", "该工单已是“%s”", r->name);
	text_printf(s->detail, sizeof(s->detail), "故障类别由“%s”调整为“%s”",
	            t->site_class_name ? t->site_class_name : "未定", r->name);
	set_class(s->x->prof, t, r);
	char rule[64];
	snprintf(rule, sizeof(rule), "repair:%s", r->key);
	if (!t->repair_deadline_id) /* a ticket of no class gets its clocks from the report */
		return start_clocks(s, t->reported_at);
	return deadline_rerule_tx(s->sx, s->tx, t->repair_deadline_id, rule, err);
}

static int e_resolve(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	(void)err;
	xstr_set(&t->cause, s->reason);
	t->resolved_at = s->now;
	int rc = t->respond_deadline_id && !t->responded_at ? meet(s, t->respond_deadline_id) : 0;
	if (!t->responded_at)
		t->responded_at = s->now;
	return rc ? rc : meet(s, t->repair_deadline_id);
}

static int e_reopen(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	t->resolved_at = 0;
	return t->repair_deadline_id ? deadline_reopen_tx(s->sx, s->tx, t->repair_deadline_id, err)
	                             : 0;
}

static int e_close(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	T(s)->closed_at = s->now;
	return 0;
}

static int e_cancel(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	(void)err;
	T(s)->closed_at = s->now;
	return cancel_clocks(s);
}

/* The unit's "LAN" fault is the backbone's after all: the manager takes it, the carrier's
 * clocks from now (the carrier learns of it now). */
static int e_relocate(void *cs, struct zw_err *err)
{
	struct case_step *s = cs;
	struct ticket *t = T(s);
	xstr_set(&t->location, "backbone");
	int n = 1, rc = 0;
	if (!t->line_id)
		rc = store_unit_lines(s->c, t->unit_id, &t->line_id, &n, err);
	if (n != 1)
		t->line_id = 0;
	const struct sla_rule *r = NULL;
	if (!rc)
		rc = unit_class(s, &r);
	if (!rc) {
		set_class(s->x->prof, t, r);
		rc = start_clocks(s, s->now);
	}
	return rc;
}

/* ---- the table ---- */

#define REPORT   ACT_TICKET_REPORT
#define DISPATCH ACT_TICKET_DISPATCH
#define REPAIR   ACT_TICKET_REPAIR
#define OPEN     "reported dispatched repairing paused"
static const struct wf_row rows[] = {
    {"report", "报修", "", "reported", REPORT, 0, g_to_manager, e_report,
     "a fault of the backbone or the line (or any fault, where the profile names no LAN rule): "
     "the carrier's clocks start at the report",
     NULL},
    {"report", "报修", "", "self", REPORT, 0, g_unit_solves, e_report,
     "a fault of the unit's own LAN, which the unit solves (TB-11)", NULL},
    {"dispatch", "派单", "reported", "dispatched", DISPATCH, 0, NULL, e_dispatch,
     "the carrier of the fault's line, or the one named", NULL},
    {"respond", "响应", "dispatched", "repairing", REPAIR, 0, NULL, e_respond,
     "meets the response clock", NULL},
    {"pause", "暂停计时", "repairing", "paused", REPAIR, WF_REASON, g_pause, e_pause,
     "only for a reason of the profile's [fault_pause] (pause_reason)", NULL},
    {"resume", "恢复计时", "paused", "repairing", REPAIR, 0, NULL, e_resume,
     "the repair clock moves by the pause", NULL},
    {"reassign", "改派", "dispatched repairing paused", NULL, DISPATCH, WF_REASON, NULL, e_reassign,
     "another carrier; the clocks and a pause run on", NULL},
    {"reclassify", "调整故障类别", OPEN, NULL, DISPATCH, WF_REASON, NULL, e_reclassify,
     "another class of the profile's [sla] (site_class): the repair clock due from the report "
     "by its hours",
     NULL},
    {"resolve", "修复完成", "repairing", "resolved", REPAIR, WF_REASON, NULL, e_resolve,
     "meets the repair clock; the reason is the fault's cause and what was done", NULL},
    {"recover", "监测恢复", OPEN, "resolved", REPAIR, WF_REASON, g_system, e_resolve,
     "the outage check saw the unit's gateway answer again (a ticket it opened): the clocks "
     "are met then; the unit confirms or reopens",
     NULL},
    {"resolve", "处理完毕", "self assisting", "resolved", REPORT, WF_REASON, NULL, e_resolve,
     "the unit's own fault solved", NULL},
    {"confirm", "确认修复", "resolved", "closed", REPORT, WF_CONFIRM, NULL, e_close, NULL, NULL},
    {"reopen", "未修复", "resolved", "repairing", REPORT, WF_REASON, g_to_manager, e_reopen,
     "the same repair clock runs again, due where it was", NULL},
    {"reopen", "未修复", "resolved", "self", REPORT, WF_REASON, g_unit_solves, e_reopen, NULL,
     NULL},
    {"cancel", "撤销报修", "reported dispatched self assisting", "cancelled", REPORT,
     WF_REASON | WF_CONFIRM, NULL, e_cancel, "the clocks are cancelled", NULL},
    {"ask_help", "商请协助", "self", "assisting", REPORT, 0, NULL, NULL,
     "the unit asks the manager for help (TB-11)", NULL},
    {"relocate", "转为骨干网络故障", "self assisting", "reported", DISPATCH, WF_REASON, NULL,
     e_relocate, "the manager takes it; the carrier's clocks from now", NULL},
};
#undef REPORT
#undef DISPATCH
#undef REPAIR
#undef OPEN

static const char *ticket_state_label(const char *state)
{
	return rec_enum_label(rec_field(&ticket_schema, "state"), state);
}

const struct workflow ticket_workflow = {
    .name = "ticket",
    .label = "故障工单",
    .states = states,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    CASE_GETTERS,
    .state_label = ticket_state_label,
    .clause_doc = "the clause of the ticket's class ([sla], TB-12) while the carrier's clocks "
                  "run, of the LAN rule (lan_clause, TB-11) for a unit's own fault, else the "
                  "profile's reporting rule ([faults] report_clause)",
};

/* The carrier's staff and the duty officers hear of every step; the payload names the
 * fault. */
static int ticket_notice(struct case_step *s, json_t *payload, char *roles, size_t n)
{
	struct ticket *t = T(s);
	json_object_set_new(payload, "summary", json_string(t->summary ? t->summary : ""));
	json_object_set_new(payload, "location", json_string(t->location ? t->location : ""));
	if (t->carrier_id)
		snprintf(roles, n, "operator,carrier:%lld", (long long)t->carrier_id);
	else
		snprintf(roles, n, "operator");
	return 0;
}

const struct case_type ticket_case = {
    .k = &ticket_kind,
    .w = &ticket_workflow,
    .input = &ticket_transition_schema,
    .create_action = "report",
    .created_label = "报修",
    .clause = ticket_clause,
    .opened = ticket_opened,
    .notice = ticket_notice,
};
