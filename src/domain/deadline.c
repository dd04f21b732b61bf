#include "domain/deadline.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/parse.h"
#include "domain/audit.h"
#include "store/rec.h"
#include "domain/registry.h"
#include "core/xalloc.h"
#include "store/notify_sql.h"
#include "store/deadline_sql.h"

/* what a deadline runs for: the records deadline_start_tx is called with, by their names */
static const char *const subjects[] = {"application", "unit", "violation", "ticket", "plan", NULL};
static const char *const subject_labels[] = {"申请",     "单位",     "违规事项",
                                             "故障工单", "应急预案", NULL};
static const char *const bases[] = {"working_days", "hours", NULL};
static const char *const basis_labels[] = {"工作日", "小时", NULL};
static const char *const statuses[] = {"running", "paused", "met", "breached", "cancelled", NULL};
static const char *const status_labels[] = {"进行中", "已暂停", "已按期完成",
                                            "已超期", "已取消", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct deadline, n, t, fl, lbl, max)
static const struct rec_field deadline_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    REC_FEL(struct deadline, subject_type, REC_READONLY | REC_FILTER, "事项类型", subjects,
            subject_labels),
    F(subject_id, REC_ID, REC_READONLY | REC_FILTER, "事项", 0),
    F(unit_id, REC_ID, REC_READONLY | REC_FILTER, "单位", 0),
    F(rule, REC_TEXT, REC_READONLY | REC_FILTER, "期限规则", 40),
    F(clause, REC_TEXT, REC_READONLY, "依据条款", 32),
    REC_FEL(struct deadline, basis, REC_READONLY, "计时方式", bases, basis_labels),
    F(amount, REC_INT, REC_READONLY, "时限", 0),
    F(started_at, REC_TIME, REC_READONLY, "起算时间", 0),
    F(due_at, REC_TIME, REC_READONLY | REC_SORT | REC_RANGE, "到期时间", 0),
    F(due_date, REC_DATE, REC_READONLY | REC_NULLABLE, "到期日", 10),
    F(provisional, REC_BOOL, REC_READONLY, "暂定", 0),
    REC_FEL(struct deadline, status, REC_READONLY | REC_FILTER, "状态", statuses, status_labels),
    F(paused_at, REC_TIME, REC_READONLY, "暂停时间", 0),
    F(met_at, REC_TIME, REC_READONLY, "完成时间", 0),
    F(breached_at, REC_TIME, REC_READONLY, "超期时间", 0),
    F(reminded_at, REC_TIME, REC_READONLY, "提醒时间", 0),
    REC_META(struct deadline),
};
#undef F
const struct rec_schema deadline_schema = {"deadline", deadline_fields,
                                           sizeof(deadline_fields) / sizeof(deadline_fields[0]),
                                           sizeof(struct deadline)};

int64_t deadline_day_end(int32_t day)
{
	return (int64_t)(day + 1) * 86400 - 8 * 3600 - 1; /* 23:59:59 at UTC+8 */
}

static int32_t local_day(int64_t t)
{
	return (int32_t)((t + 8 * 3600) / 86400);
}

static void set_due_day(struct deadline *d, int32_t day, bool prov)
{
	char s[11];
	format_date(day, s);
	free(d->due_date);
	d->due_date = xstrdup(s);
	d->due_at = deadline_day_end(day);
	d->provisional = prov;
}

static int audit_deadline(struct store_tx *tx, const struct principal *by, const char *action,
                          const struct deadline *d, const json_t *before, struct zw_err *err)
{
	json_t *after = rec_to_json(&deadline_schema, d);
	int rc = audit_append(tx, by, action, "deadline", d->id, d->unit_id, before, after,
	                      d->clause, err);
	json_decref(after);
	return rc;
}

int deadline_start_tx(const struct ctx *x, struct store_tx *tx, const char *rule,
                      const char *subject_type, int64_t subject_id, int64_t unit_id, int64_t at,
                      int64_t *id, struct zw_err *err)
{
	/* a deadline rule of the profile, or a fault SLA: "respond:<class>", "repair:<class>" */
	const struct deadline_rule *r = profile_deadline(x->prof, rule);
	struct deadline_rule sla = {0};
	bool respond = strncmp(rule, "respond:", 8) == 0, repair = strncmp(rule, "repair:", 7) == 0;
	for (size_t i = 0; !r && (respond || repair) && i < x->prof->nslas; i++)
		if (strcmp(x->prof->slas[i].key, rule + (respond ? 8 : 7)) == 0) {
			sla.key = rule;
			sla.clause = x->prof->slas[i].clause;
			sla.hours = respond ? x->prof->slas[i].respond_hours
			                    : x->prof->slas[i].repair_hours;
			if (sla.hours)
				r = &sla;
		}
	if (!r)
		return zw_errf(err, ZW_EINTERNAL, NULL, "《%s》没有规定期限“%s”", x->prof->title,
		               rule);
	char clause[32];
	profile_first_clause(r->clause, clause, sizeof(clause));
	struct deadline d = {.subject_id = subject_id, .unit_id = unit_id, .started_at = at};
	d.subject_type = xstrdup(subject_type);
	d.rule = xstrdup(rule);
	d.clause = xstrdup(clause);
	d.basis = xstrdup(r->working_days ? "working_days" : "hours");
	d.status = xstrdup("running");
	d.amount = r->working_days ? r->working_days : r->hours;
	if (r->working_days) {
		bool prov;
		int32_t due = calendar_add(local_day(at), r->working_days, &prov);
		set_due_day(&d, due, prov);
	} else {
		d.due_at = at + (int64_t)r->hours * 3600;
	}
	int rc = store_rec_insert(store_tx_conn(tx), "deadlines", &deadline_schema, &d, clock_now(),
	                          id, err);
	if (!rc) {
		d.id = *id;
		rc = audit_deadline(tx, x->by, "deadline.start", &d, NULL, err);
	}
	rec_free(&deadline_schema, &d);
	return rc;
}

static int load(struct store_tx *tx, int64_t id, struct deadline *d, struct zw_err *err)
{
	int rc =
	    store_rec_get(store_tx_conn(tx), "deadlines", &deadline_schema, id, NULL, 0, d, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_ENOTFOUND, NULL, "期限不存在");
	}
	return rc;
}

static int save(struct store_tx *tx, const struct principal *by, const char *action,
                struct deadline *d, const json_t *before, struct zw_err *err)
{
	int rc =
	    store_rec_update(store_tx_conn(tx), "deadlines", &deadline_schema, d, clock_now(), err);
	return rc ? rc : audit_deadline(tx, by, action, d, before, err);
}

static int in_tx(const struct ctx *x,
                 int (*fn)(const struct ctx *, struct store_tx *, void *, struct zw_err *),
                 void *arg, struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	rc = fn(x, tx, arg, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

struct pause_arg {
	int64_t id;
	const char *reason;
};

static int do_pause(const struct ctx *x, struct store_tx *tx, void *varg, struct zw_err *err)
{
	struct pause_arg *a = varg;
	struct deadline d = {0};
	int rc = load(tx, a->id, &d, err);
	json_t *before = NULL;
	if (!rc && strcmp(d.status, "running") != 0)
		rc = zw_errf(err, ZW_ECONFLICT, "status", "只有计时中的期限可以暂停（当前为 %s）",
		             d.status);
	if (!rc) {
		/* a fault's repair clock stops only for the profile's pause reasons, which its
		 * ticket checks (domain/ops/ticket.c) */
		const struct deadline_rule *r = profile_deadline(x->prof, d.rule);
		bool repair = strncmp(d.rule, "repair:", 7) == 0 && x->prof->npauses > 0;
		if (!repair && (!r || !r->pausable))
			rc = zw_err_clause(err, ZW_ERULE, "status", d.clause,
			                   "依据%s，该期限不能暂停或延长", d.clause);
	}
	if (!rc) {
		before = rec_to_json(&deadline_schema, &d);
		free(d.status);
		d.status = xstrdup("paused");
		d.paused_at = clock_now();
		rc = store_deadline_pause_row(store_tx_conn(tx), d.id, d.paused_at, a->reason,
		                              x->by->username, false, err);
	}
	if (!rc)
		rc = save(tx, x->by, "deadline.pause", &d, before, err);
	json_decref(before);
	rec_free(&deadline_schema, &d);
	return rc;
}

int deadline_pause(const struct ctx *x, int64_t id, const char *reason, struct zw_err *err)
{
	if (authz_check(x->by, ACT_DEADLINE_WRITE, 0, err))
		return -err->code;
	if (!reason || !*reason || utf8_chars(reason) > 500 ||
	    !utf8_valid(reason, strlen(reason), true))
		return zw_errf(err, ZW_EINVALID, "reason", "请说明暂停的原因（最多 500 字）");
	struct pause_arg a = {id, reason};
	return in_tx(x, do_pause, &a, err);
}

static int do_resume(const struct ctx *x, struct store_tx *tx, void *varg, struct zw_err *err)
{
	int64_t id = *(int64_t *)varg, ext = 0;
	struct deadline d = {0};
	int rc = load(tx, id, &d, err);
	json_t *before = NULL;
	if (!rc && strcmp(d.status, "paused") != 0)
		rc = zw_errf(err, ZW_ECONFLICT, "status", "只有暂停中的期限可以恢复计时");
	if (!rc)
		rc = store_deadline_extension(store_tx_conn(tx), id, &ext, err);
	if (!rc) {
		before = rec_to_json(&deadline_schema, &d);
		int64_t now = clock_now();
		if (strcmp(d.basis, "hours") == 0) {
			int64_t lost = now - d.paused_at;
			d.due_at += lost;
			ext += lost;
		} else {
			/* the working days the pause covered move the due day by as many */
			int32_t from = local_day(d.paused_at), to = local_day(now);
			int64_t lost = 0;
			for (int32_t day = from + 1; day <= to; day++)
				lost += calendar_is_working(day, NULL, NULL);
			ext += lost;
			bool prov;
			int32_t due =
			    calendar_add(local_day(d.started_at), (int)(d.amount + ext), &prov);
			set_due_day(&d, due, prov);
		}
		free(d.status);
		d.status = xstrdup("running");
		d.paused_at = 0;
		rc = store_deadline_set_extension(store_tx_conn(tx), id, ext, err);
		if (!rc)
			rc = store_deadline_pause_row(store_tx_conn(tx), id, now, NULL, NULL, true,
			                              err);
	}
	if (!rc)
		rc = save(tx, x->by, "deadline.resume", &d, before, err);
	json_decref(before);
	rec_free(&deadline_schema, &d);
	return rc;
}

int deadline_resume(const struct ctx *x, int64_t id, struct zw_err *err)
{
	if (authz_check(x->by, ACT_DEADLINE_WRITE, 0, err))
		return -err->code;
	return in_tx(x, do_resume, &id, err);
}

int deadline_pause_tx(const struct ctx *x, struct store_tx *tx, int64_t id, const char *reason,
                      struct zw_err *err)
{
	struct pause_arg a = {id, reason};
	return do_pause(x, tx, &a, err);
}

int deadline_resume_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err)
{
	return do_resume(x, tx, &id, err);
}

static int outbox_event(struct store_tx *tx, const char *kind, const struct deadline *d,
                        int64_t now, struct zw_err *err);

/* End a running or paused deadline as met or cancelled. A breached one that is met late keeps
 * its status and learns when it was met. */
static int finish(const struct ctx *x, struct store_tx *tx, int64_t id, bool cancel,
                  struct zw_err *err)
{
	struct deadline d = {0};
	int rc = load(tx, id, &d, err);
	json_t *before = NULL;
	bool open = !rc && (strcmp(d.status, "running") == 0 || strcmp(d.status, "paused") == 0);
	bool late = !rc && !cancel && strcmp(d.status, "breached") == 0 && !d.met_at;
	if (!rc && !open && !late)
		rc = zw_errf(err, ZW_ECONFLICT, "status", "该期限已结束（%s）", d.status);
	if (!rc) {
		before = rec_to_json(&deadline_schema, &d);
		if (strcmp(d.status, "paused") == 0)
			rc = store_deadline_pause_row(store_tx_conn(tx), id, clock_now(), NULL,
			                              NULL, true, err);
		int64_t now = clock_now();
		if (open) {
			/* met after the due time, before the scheduler noticed: still a breach */
			bool overdue = !cancel && now > d.due_at;
			free(d.status);
			d.status = xstrdup(cancel ? "cancelled" : overdue ? "breached" : "met");
			if (overdue)
				d.breached_at = now;
		}
		if (!cancel)
			d.met_at = now;
		d.paused_at = 0;
		if (!rc)
			rc = save(tx, x->by, cancel ? "deadline.cancel" : "deadline.met", &d,
			          before, err);
		/* a breach found here (the scheduler off or not yet round) is told like one the
		 * scheduler finds: exactly once, in the transaction that records it */
		if (!rc && open && strcmp(d.status, "breached") == 0)
			rc = outbox_event(tx, "deadline.breached", &d, now, err);
	}
	json_decref(before);
	rec_free(&deadline_schema, &d);
	return rc;
}

int deadline_reopen_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err)
{
	struct deadline d = {0};
	int rc = load(tx, id, &d, err);
	if (!rc && !d.met_at)
		rc = zw_errf(err, ZW_ECONFLICT, "status", "该期限尚未办结（%s）", d.status);
	json_t *before = rc ? NULL : rec_to_json(&deadline_schema, &d);
	int64_t now = clock_now();
	bool breach = false;
	if (!rc) {
		d.met_at = 0;
		if (strcmp(d.status, "met") == 0) {
			breach = now > d.due_at;
			free(d.status);
			d.status = xstrdup(breach ? "breached" : "running");
			if (breach)
				d.breached_at = now;
		}
		rc = save(tx, x->by, "deadline.reopen", &d, before, err);
	}
	if (!rc && breach)
		rc = outbox_event(tx, "deadline.breached", &d, now, err);
	json_decref(before);
	rec_free(&deadline_schema, &d);
	return rc;
}

int deadline_rerule_tx(const struct ctx *x, struct store_tx *tx, int64_t id, const char *rule,
                       struct zw_err *err)
{
	const struct sla_rule *r =
	    strncmp(rule, "repair:", 7) == 0 ? profile_sla(x->prof, rule + 7) : NULL;
	if (!r)
		return zw_errf(err, ZW_EINTERNAL, NULL, "《%s》没有规定期限“%s”", x->prof->title,
		               rule);
	struct deadline d = {0};
	int64_t ext = 0;
	int rc = load(tx, id, &d, err);
	if (!rc && strcmp(d.basis, "hours") != 0)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, "期限 %lld 不按小时计", (long long)id);
	if (!rc && d.met_at)
		rc = zw_errf(err, ZW_ECONFLICT, "status", "该期限已办结（%s）", d.status);
	if (!rc)
		rc = store_deadline_extension(store_tx_conn(tx), id, &ext, err);
	json_t *before = rc ? NULL : rec_to_json(&deadline_schema, &d);
	if (!rc) {
		char clause[32];
		profile_first_clause(r->clause, clause, sizeof(clause));
		free(d.rule);
		d.rule = xstrdup(rule);
		free(d.clause);
		d.clause = xstrdup(clause);
		d.amount = r->repair_hours;
		/* from the start, with every pause so far: the class was the fault's all along */
		d.due_at = d.started_at + (int64_t)r->repair_hours * 3600 + ext;
		d.reminded_at = 0;
		if (strcmp(d.status, "breached") == 0 && d.due_at > clock_now()) {
			free(d.status);
			d.status = xstrdup("running");
			d.breached_at = 0;
		}
		rc = save(tx, x->by, "deadline.rerule", &d, before, err);
	}
	json_decref(before);
	rec_free(&deadline_schema, &d);
	return rc;
}

int deadline_met_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err)
{
	return finish(x, tx, id, false, err);
}

int deadline_cancel_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err)
{
	return finish(x, tx, id, true, err);
}

/* The day `n` working days before `day`. */
static int32_t working_days_before(int32_t day, int n)
{
	while (n > 0) {
		day--;
		if (calendar_is_working(day, NULL, NULL))
			n--;
	}
	return day;
}

/* An outbox event about the deadline's subject; the payload is the deadline as the API shows
 * it, so a notice can say which rule, which clause and when. */
static int outbox_event(struct store_tx *tx, const char *kind, const struct deadline *d,
                        int64_t now, struct zw_err *err)
{
	json_t *j = rec_to_json(&deadline_schema, d);
	char *payload = json_dumps(j, JSON_COMPACT); /* a tree we built: cannot fail */
	json_decref(j);
	char roles[64] = "";
	int rc = store_deadline_roles(store_tx_conn(tx), d->subject_type, d->subject_id, roles,
	                              sizeof(roles), err);
	if (!rc)
		rc = store_outbox_event(store_tx_conn(tx), kind, d->subject_type, d->subject_id,
		                        d->unit_id, d->clause, payload, roles, now, err);
	free(payload);
	return rc;
}

int deadline_tick_more(struct store *st, int64_t now, int reminder_wd, int reminder_hours,
                       bool *more, struct zw_err *err)
{
	struct principal sched = {.role = ROLE_SYSTEM};
	snprintf(sched.username, sizeof(sched.username), "system:scheduler");
	snprintf(sched.source, sizeof(sched.source), "scheduler");
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err), events = 0;
	if (rc)
		return rc;
	/* At most 512 of each per tick, soonest first, so one tick's transaction stays short: the
	 * breaches left over are the next tick's, seconds later; reminders go soonest first, so a
	 * deadline left out is one not yet close. */
	int64_t ids[512];
	size_t n = 0;
	/* breaches: running deadlines whose time has passed */
	bool more_b = false, more_r = false;
	size_t reminded = 0;
	rc = store_deadline_ids(store_tx_conn(tx), "status = 'running' AND due_at < ?", now, ids,
	                        512, &n, &more_b, err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct deadline d = {0};
		rc = load(tx, ids[i], &d, err);
		json_t *before = rc ? NULL : rec_to_json(&deadline_schema, &d);
		if (!rc) {
			free(d.status);
			d.status = xstrdup("breached");
			d.breached_at = now;
			rc = save(tx, &sched, "deadline.breach", &d, before, err);
		}
		if (!rc)
			rc = outbox_event(tx, "deadline.breached", &d, now, err);
		events += !rc;
		json_decref(before);
		rec_free(&deadline_schema, &d);
	}
	/* reminders: once, when the deadline comes close */
	n = 0;
	if (!rc)
		rc = store_deadline_ids(store_tx_conn(tx),
		                        "status = 'running' AND reminded_at = 0 AND due_at >= ?",
		                        now, ids, 512, &n, &more_r, err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct deadline d = {0};
		rc = load(tx, ids[i], &d, err);
		bool due_soon = false;
		if (!rc && strcmp(d.basis, "hours") == 0) {
			/* at most half the clock ahead: a one-hour response clock is not reminded
			 * of as it starts (the report itself told of it) but half an hour before */
			int64_t ahead = (int64_t)reminder_hours * 3600;
			if (ahead > d.amount * 1800)
				ahead = d.amount * 1800;
			due_soon = now >= d.due_at - ahead;
		} else if (!rc && d.due_date) {
			int32_t due;
			if (parse_date(d.due_date, &due) == 0)
				due_soon = local_day(now) >= working_days_before(due, reminder_wd);
		}
		if (!rc && due_soon) {
			json_t *before = rec_to_json(&deadline_schema, &d);
			d.reminded_at = now;
			rc = save(tx, &sched, "deadline.remind", &d, before, err);
			if (!rc)
				rc = outbox_event(tx, "deadline.reminder", &d, now, err);
			events += !rc;
			reminded += !rc;
			json_decref(before);
		}
		rec_free(&deadline_schema, &d);
	}
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	rc = store_commit(tx, err);
	/* more breaches wait; reminders past the 512 soonest do only when all of those were due */
	if (more)
		*more = !rc && (more_b || (more_r && reminded == n));
	return rc ? rc : events;
}

int deadline_tick(struct store *st, int64_t now, int reminder_wd, int reminder_hours,
                  struct zw_err *err)
{
	return deadline_tick_more(st, now, reminder_wd, reminder_hours, NULL, err);
}

int deadline_recompute(struct store *st, struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	int64_t *ids = NULL; /* all of them: a county's years of deadlines are never cut short */
	size_t n = 0;
	rc = store_deadline_ids_all(store_tx_conn(tx),
	                            "provisional = 1 AND status IN ('running', 'paused')", &ids, &n,
	                            err);
	struct principal sys = {.role = ROLE_SYSTEM};
	snprintf(sys.username, sizeof(sys.username), "system:calendar");
	for (size_t i = 0; !rc && i < n; i++) {
		struct deadline d = {0};
		int64_t ext = 0;
		rc = load(tx, ids[i], &d, err);
		if (!rc)
			rc = store_deadline_extension(store_tx_conn(tx), ids[i], &ext, err);
		if (!rc) {
			json_t *before = rec_to_json(&deadline_schema, &d);
			bool prov;
			int32_t due =
			    calendar_add(local_day(d.started_at), (int)(d.amount + ext), &prov);
			set_due_day(&d, due, prov);
			rc = save(tx, &sys, "deadline.recompute", &d, before, err);
			json_decref(before);
		}
		rec_free(&deadline_schema, &d);
	}
	free(ids);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

/* What is left of a running working-day deadline by the county's calendar, as the console
 * says it ("剩余 N 个工作日"; 0: due today); null for any other, or once its day has passed. */
static int deadline_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	(void)c;
	(void)err;
	const struct deadline *d = rec;
	int32_t due, today = clock_today_cn();
	bool counts = d->status && strcmp(d->status, "running") == 0 && d->basis &&
	              strcmp(d->basis, "working_days") == 0 && d->due_date &&
	              parse_date(d->due_date, &due) == 0 && due >= today;
	json_object_set_new(o, "working_days_left",
	                    counts ? json_integer(calendar_between(today, due)) : json_null());
	return 0;
}

const struct registry_kind deadline_kind = {
    .table = "deadlines",
    .object = "deadline",
    .label = "期限",
    .sc = &deadline_schema,
    .read = ACT_DEADLINE_READ,
    .write = ACT_DEADLINE_WRITE,
    .unit_field = "unit_id",
    .extra = deadline_extra,
};

int deadline_payload(struct sconn *c, int64_t id, json_t *payload, struct zw_err *err)
{
	struct deadline d = {0};
	int rc = store_rec_get(c, "deadlines", &deadline_schema, id, NULL, 0, &d, err);
	if (!rc) {
		json_object_set_new(payload, "rule", json_string(d.rule));
		json_object_set_new(payload, "due_at", json_integer(d.due_at));
		if (d.due_date)
			json_object_set_new(payload, "due_date", json_string(d.due_date));
	}
	rec_free(&deadline_schema, &d);
	return rc;
}

static int subject_row(const void *rec, void *ctx)
{
	json_t *o = rec_to_json(&deadline_schema, rec);
	deadline_extra(NULL, rec, o, NULL);
	json_array_append_new(ctx, o);
	return 0;
}

int deadline_subject_list(struct sconn *c, const char *subject_type, int64_t subject_id,
                          json_t *out, struct zw_err *err)
{
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true, .nf = 2};
	q.f[0] = (struct lq_filter){.col = "subject_type", .val = subject_type, .op = LQ_EQ};
	q.f[1] = (struct lq_filter){.col = "subject_id", .ival = subject_id, .op = LQ_EQ_INT};
	struct list_page page = {0};
	do { /* every page: a case's deadlines are never cut short */
		int rc = store_rec_scan(c, "deadlines", &deadline_schema, &q, subject_row, out,
		                        &page, err);
		if (rc)
			return rc;
		if (page.more && (rc = list_cursor_decode(page.next_cursor, &q, err)))
			return rc;
	} while (page.more);
	return 0;
}

int deadline_open_of(struct sconn *c, const char *subject_type, int64_t subject_id, json_t **out,
                     struct zw_err *err)
{
	*out = NULL;
	json_t *all = json_array();
	int rc = deadline_subject_list(c, subject_type, subject_id, all, err);
	static const char *const order[] = {"breached", "running", "paused"};
	for (size_t k = 0; !rc && !*out && k < 3; k++) {
		size_t i;
		json_t *d, *best = NULL;
		json_array_foreach(all, i, d)
		{
			const char *st = json_string_value(json_object_get(d, "status"));
			if (!st || strcmp(st, order[k]) != 0 ||
			    (k == 0 && !json_is_null(json_object_get(d, "met_at"))))
				continue;
			/* RFC 3339 UTC times of one form: their text sorts as they do */
			if (!best || strcmp(json_string_value(json_object_get(d, "due_at")),
			                    json_string_value(json_object_get(best, "due_at"))) < 0)
				best = d;
		}
		if (best)
			*out = json_incref(best);
	}
	json_decref(all);
	return rc;
}
