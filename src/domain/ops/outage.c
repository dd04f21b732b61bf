#include "domain/ops/outage.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/mutant.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/case.h"
#include "domain/ops/maintenance.h"
#include "domain/ops/ticket.h"
#include "store/maintenance_sql.h"
#include "store/outage_sql.h"
#include "store/rec.h"
#include "wire/reach.h"

/* ---- the records ---- */

#define RO REC_READONLY
static const char *const outage_states[] = {"open", "ended", NULL};
static const char *const outage_state_labels[] = {"中断中", "已恢复", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct outage, n, t, fl, lbl, max)
static const struct rec_field outage_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(unit_id, REC_ID, RO | REC_FILTER, "单位", 0),
    F(line_id, REC_ID, RO | REC_NULLABLE, "线路", 0),
    F(carrier_id, REC_ID, RO | REC_NULLABLE | REC_FILTER, "运营商", 0),
    F(address, REC_TEXT, RO, "监测地址", 45),
    REC_FEL(struct outage, state, RO | REC_FILTER, "状态", outage_states, outage_state_labels),
    F(started_at, REC_TIME, RO | REC_SORT | REC_RANGE, "中断开始时间", 0),
    F(detected_at, REC_TIME, RO, "发现时间", 0),
    F(ended_at, REC_TIME, RO, "恢复时间", 0),
    F(minutes, REC_INT, RO, "中断时长（分钟）", 0),
    F(ticket_id, REC_ID, RO | REC_NULLABLE, "故障工单", 0),
    F(maintenance_id, REC_ID, RO | REC_NULLABLE, "停机维护通知", 0),
    F(note, REC_TEXT, RO, "说明", 500),
    REC_META(struct outage),
};
#undef F
const struct rec_schema outage_schema = {"outage", outage_fields,
                                         sizeof(outage_fields) / sizeof(outage_fields[0]),
                                         sizeof(struct outage)};

const struct registry_kind outage_kind = {
    .table = "outages",
    .object = "outage",
    .label = "中断记录",
    .sc = &outage_schema,
    .read = ACT_TICKET_READ,
    .write = ACT_TICKET_DISPATCH, /* none: only the check writes them, and has no route */
    .unit_field = "unit_id",
    .carrier_field = "carrier_id",
};

static const char *const health_states[] = {"unknown", "up", "down", NULL};
static const char *const health_state_labels[] = {"未检测", "正常", "中断", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct unit_health, n, t, fl, lbl, max)
static const struct rec_field health_fields[] = {
    F(id, REC_ID, RO, "编号", 0),
    F(unit_id, REC_ID, RO | REC_FILTER, "单位", 0),
    F(line_id, REC_ID, RO | REC_NULLABLE, "线路", 0),
    F(carrier_id, REC_ID, RO | REC_NULLABLE | REC_FILTER, "运营商", 0),
    F(address, REC_TEXT, RO, "监测地址", 45),
    REC_FEL(struct unit_health, state, RO | REC_FILTER | REC_SORT, "状态", health_states,
            health_state_labels),
    F(since, REC_TIME, RO | REC_SORT, "状态起始时间", 0),
    F(fails, REC_INT, RO, "连续未应答次数", 0),
    F(oks, REC_INT, RO, "连续应答次数", 0),
    F(first_fail_at, REC_TIME, RO, "本轮首次未应答", 0),
    F(first_ok_at, REC_TIME, RO, "本轮首次应答", 0),
    F(last_at, REC_TIME, RO, "最近检测时间", 0),
    F(last_rtt_us, REC_INT, RO, "最近往返时延（微秒）", 0),
    F(last_how, REC_TEXT, RO, "应答方式", 8),
    F(last_error, REC_TEXT, RO, "未应答原因", 96),
    F(outage_id, REC_ID, RO | REC_NULLABLE, "当前中断", 0),
    REC_META(struct unit_health),
};
#undef F
#undef RO
const struct rec_schema unit_health_schema = {"unit_health", health_fields,
                                              sizeof(health_fields) / sizeof(health_fields[0]),
                                              sizeof(struct unit_health)};

/* The last 24 hours, hour by hour, with every answer: the latency trend. */
static int health_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	const struct unit_health *h = rec;
	int64_t now = clock_now();
	json_t *trend = json_array();
	int rc = store_health_trend(c, h->unit_id, now - now % 3600 - 23 * 3600, trend, err);
	json_object_set_new(o, "trend", trend);
	return rc;
}

const struct registry_kind unit_health_kind = {
    .table = "unit_health",
    .object = "unit_health",
    .label = "网络运行状况",
    .sc = &unit_health_schema,
    .read = ACT_TICKET_READ,
    .write = ACT_TICKET_DISPATCH, /* none: only the check writes it, and has no route */
    .unit_field = "unit_id",
    .carrier_field = "carrier_id",
    .extra = health_extra,
};

/* ---- a round ---- */

struct round {
	const struct ctx *x;
	const struct outage_cfg *cfg;
	struct store_tx *tx;
	struct sconn *c;
	int64_t now;
	struct outage_stats *st;
	struct zw_err *err;
};

/* The fault ticket of an outage reported at `at`: the unit's open backbone ticket when it has
 * one (the outage joins it), else a new one the check reports. */
static int open_ticket(struct round *r, const struct outage_target *t, struct outage *o,
                       const struct unit_health *h, int64_t at)
{
	int64_t open = 0;
	int rc = store_open_backbone_ticket(r->c, t->unit_id, &open, r->err);
	if (rc)
		return rc;
	char note[300], when[32];
	if (open) {
		o->ticket_id = open;
		text_printf(note, sizeof(note), "并入已报修的故障工单 %lld", (long long)open);
		xstr_set(&o->note, note);
		return 0;
	}
	struct ticket k = {.unit_id = t->unit_id, .line_id = t->line_id, .reported_at = at};
	char summary[200], detail[400];
	text_printf(summary, sizeof(summary), "监测发现中断：网关 %s 不可达", t->address);
	clock_format_cn_min(o->started_at, when, sizeof(when));
	text_printf(detail, sizeof(detail), "自 %s 起连续 %lld 次检测未应答（%s）", when,
	            (long long)h->fails, h->last_error ? h->last_error : "");
	xstr_set(&k.location, "backbone");
	xstr_set(&k.summary, summary);
	xstr_set(&k.detail, detail);
	xstr_set(&k.reporter, "中断监测");
	xstr_set(&k.channel, "outage");
	int64_t id = 0;
	rc = case_create_tx(r->x, &ticket_case, r->tx, &k, NULL, r->now, &id, r->err);
	rec_free(&ticket_schema, &k);
	if (!rc) {
		o->ticket_id = id;
		r->st->tickets++;
	}
	return rc;
}

static int open_outage(struct round *r, const struct outage_target *t, struct unit_health *h)
{
	struct outage o = {.unit_id = t->unit_id,
	                   .line_id = t->line_id,
	                   .carrier_id = t->carrier_id,
	                   .started_at = h->first_fail_at,
	                   .detected_at = r->now};
	xstr_set(&o.address, t->address);
	xstr_set(&o.state, "open");
	xstr_set(&o.note, "");
	int64_t window = 0, ends = 0;
	int rc = store_maintenance_window(r->c, t->line_id, t->line_id ? 0 : t->unit_id,
	                                  h->first_fail_at, &window, &ends, r->err);
	if (!rc && window && !ZW_MUTANT("tb12_window_holds")) { /* TB-12: planned, no fault */
		char note[300], when[32];
		o.maintenance_id = window;
		clock_format_cn_min(ends, when, sizeof(when));
		text_printf(
		    note, sizeof(note),
		    "处于已同意的停机维护（通知 %lld）期间；%s 维护结束后仍中断的按故障处理",
		    (long long)window, when);
		xstr_set(&o.note, note);
	} else if (!rc) {
		rc = open_ticket(r, t, &o, h, h->first_fail_at);
	}
	int64_t id = 0;
	if (!rc)
		rc = store_rec_insert(r->c, "outages", &outage_schema, &o, r->now, &id, r->err);
	if (!rc) {
		h->outage_id = id;
		r->st->opened++;
	}
	rec_free(&outage_schema, &o);
	return rc;
}

/* A planned outage that outlasts its window (or whose window was withdrawn) is a fault from
 * the window's end (from now, for a withdrawn one). */
static int past_window(struct round *r, const struct outage_target *t, struct unit_health *h)
{
	struct outage o = {0};
	int rc = store_rec_get(r->c, "outages", &outage_schema, h->outage_id, NULL, 0, &o, r->err);
	if (rc || o.ticket_id || !o.maintenance_id) {
		rec_free(&outage_schema, &o);
		return rc;
	}
	struct maintenance m = {0};
	rc = store_rec_get(r->c, "maintenances", &maintenance_schema, o.maintenance_id, NULL, 0, &m,
	                   r->err);
	int64_t from = 0;
	if (!rc && !text_is(m.state, "approved") && !text_is(m.state, "done"))
		from = r->now;
	else if (!rc && r->now >= m.ends_at)
		from = m.ends_at;
	if (!rc && from) {
		rc = open_ticket(r, t, &o, h, from);
		char note[400];
		if (!rc) {
			text_printf(note, sizeof(note), "%s；超出停机维护时间仍中断，按故障处理",
			            o.note ? o.note : "");
			xstr_set(&o.note, note);
			rc = store_rec_update(r->c, "outages", &outage_schema, &o, r->now, r->err);
		}
	}
	rec_free(&maintenance_schema, &m);
	rec_free(&outage_schema, &o);
	return rc;
}

/* The gateway answers again: the outage ends at the first good check; a ticket the check
 * opened is resolved by it, its clocks met. */
static int end_outage(struct round *r, struct unit_health *h)
{
	struct outage o = {0};
	int rc = store_rec_get(r->c, "outages", &outage_schema, h->outage_id, NULL, 0, &o, r->err);
	if (!rc) {
		xstr_set(&o.state, "ended");
		o.ended_at = h->first_ok_at;
		o.minutes = (o.ended_at - o.started_at + 59) / 60;
		rc = store_rec_update(r->c, "outages", &outage_schema, &o, r->now, r->err);
	}
	struct ticket k = {0};
	if (!rc && o.ticket_id)
		rc = store_rec_get(r->c, "tickets", &ticket_schema, o.ticket_id, NULL, 0, &k,
		                   r->err);
	if (!rc && text_is(k.channel, "outage") &&
	    (text_is(k.state, "reported") || text_is(k.state, "dispatched") ||
	     text_is(k.state, "repairing") || text_is(k.state, "paused"))) {
		char why[200], when[32];
		clock_format_cn_min(o.ended_at, when, sizeof(when));
		text_printf(why, sizeof(why), "监测到网关于 %s 恢复应答，中断 %lld 分钟", when,
		            (long long)o.minutes);
		rc = case_transition_tx(r->x, &ticket_case, r->tx, o.ticket_id, "recover", why,
		                        r->now, r->err);
	}
	if (!rc) {
		h->outage_id = 0;
		r->st->ended++;
	}
	rec_free(&ticket_schema, &k);
	rec_free(&outage_schema, &o);
	return rc;
}

static int apply(struct round *r, const struct outage_target *t, const struct reach_target *a,
                 struct unit_health *h)
{
	const struct outage_cfg *cfg = r->cfg;
	h->last_at = r->now;
	h->line_id = t->line_id;
	h->carrier_id = t->carrier_id;
	xstr_set(&h->address, t->address);
	int rc = 0;
	if (a->up) {
		h->last_rtt_us = a->rtt_us;
		xstr_set(&h->last_how, a->how);
		xstr_set(&h->last_error, "");
		h->fails = 0;
		if (h->oks++ == 0)
			h->first_ok_at = r->now;
		bool down = text_is(h->state, "down");
		if (text_is(h->state, "unknown") || (down && h->oks >= cfg->up_after)) {
			xstr_set(&h->state, "up");
			h->since = down ? h->first_ok_at : r->now;
			if (down && h->outage_id)
				rc = end_outage(r, h);
		}
		r->st->up++;
	} else {
		xstr_set(&h->last_how, "");
		xstr_set(&h->last_error, a->error);
		h->oks = 0;
		if (h->fails++ == 0)
			h->first_fail_at = r->now;
		if (!text_is(h->state, "down") && h->fails >= cfg->down_after) {
			xstr_set(&h->state, "down");
			h->since = h->first_fail_at;
			rc = open_outage(r, t, h);
		} else if (text_is(h->state, "down") && h->outage_id) {
			rc = past_window(r, t, h);
		}
		r->st->down++;
	}
	return rc;
}

/* A connected unit with no gateway registered is not checked, and says why in its row, so
 * the list of units watched has no silent gap. A unit down when its gateway was taken away
 * stays down until one is registered and answers. Whether the row changed. */
static bool unwatched(struct round *r, const struct outage_target *t, struct unit_health *h)
{
	static const char why[] = "未登记网关地址：请在地址规划中为该单位的地址段填写网关";
	r->st->no_address++;
	if (text_is(h->state, "down"))
		return false;
	if (h->id && text_is(h->state, "unknown") && text_is(h->last_error, why) &&
	    h->line_id == t->line_id && h->carrier_id == t->carrier_id)
		return false;
	xstr_set(&h->state, "unknown");
	xstr_set(&h->address, "");
	xstr_set(&h->last_how, "");
	xstr_set(&h->last_error, why);
	h->line_id = t->line_id;
	h->carrier_id = t->carrier_id;
	h->fails = h->oks = 0;
	h->since = r->now;
	return true;
}

int outage_round(const struct ctx *x, const struct outage_cfg *cfg, int64_t now,
                 struct outage_stats *st, struct zw_err *err)
{
	memset(st, 0, sizeof(*st));
	struct sconn *rc_conn = store_read(x->st, err);
	if (!rc_conn)
		return -ZW_EINTERNAL;
	struct outage_target *t = NULL;
	size_t n = 0;
	int rc = store_outage_targets(rc_conn, &t, &n, err);
	if (rc)
		return rc;
	struct reach_target *a = xcalloc(n ? n : 1, sizeof(*a));
	size_t *of = xcalloc(n ? n : 1, sizeof(*of)), m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!t[i].address[0])
			continue; /* counted by unwatched() */
		snprintf(a[m].addr, sizeof(a[m].addr), "%s", t[i].address);
		of[m++] = i;
	}
	struct reach_opts o = {.timeout_ms = cfg->timeout_ms, .tcp_port = cfg->tcp_port};
	if (m)
		reach_check(a, m, &o); /* no socket at all: every target says why, and is down */
	struct store_tx *tx = NULL;
	rc = n ? store_begin(x->st, &tx, err) : 0;
	struct round r = {.x = x, .cfg = cfg, .tx = tx, .now = now, .st = st, .err = err};
	r.c = tx ? store_tx_conn(tx) : NULL;
	for (size_t i = 0, k = 0; !rc && i < n; i++) {
		const struct outage_target *u = &t[i];
		const struct reach_target *ra = k < m && of[k] == i ? &a[k++] : NULL;
		struct unit_health h = {0};
		if (u->health_id)
			rc = store_rec_get(r.c, "unit_health", &unit_health_schema, u->health_id,
			                   NULL, 0, &h, err);
		else
			xstr_set(&h.state, "unknown"), h.unit_id = u->unit_id;
		bool write = true;
		if (!rc && ra)
			rc = apply(&r, u, ra, &h);
		else if (!rc)
			write = unwatched(&r, u, &h);
		int64_t id;
		if (!rc && write)
			rc = u->health_id
			         ? store_rec_update(r.c, "unit_health", &unit_health_schema, &h,
			                            now, err)
			         : store_rec_insert(r.c, "unit_health", &unit_health_schema, &h,
			                            now, &id, err);
		if (!rc && ra)
			rc = store_health_sample(r.c, u->unit_id, now - now % 3600, ra->up,
			                         ra->rtt_us, err);
		rec_free(&unit_health_schema, &h);
		if (ra)
			st->checked++;
	}
	/* once an hour: the samples older than 30 days go */
	if (!rc && tx && now % 3600 < (cfg->interval > 0 ? cfg->interval : 60))
		rc = store_health_prune(r.c, now - now % 3600 - 30 * 86400, err);
	if (tx)
		rc = rc ? (store_rollback(tx), rc) : store_commit(tx, err);
	free(of);
	free(a);
	free(t);
	return rc;
}

/* ---- the thread ---- */

static void *run(void *arg)
{
	struct outage_monitor *m = arg;
	struct principal sys = {.role = ROLE_SYSTEM};
	snprintf(sys.username, sizeof(sys.username), "outage-check");
	snprintf(sys.source, sizeof(sys.source), "outage-check");
	struct ctx x = {.st = m->st, .prof = m->prof, .by = &sys};
	pthread_mutex_lock(&m->mu);
	while (!m->stopping) {
		pthread_mutex_unlock(&m->mu);
		struct zw_err err = {0};
		struct outage_stats st;
		int64_t at = clock_now();
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = outage_round(&x, &m->cfg, at, &st, &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc < 0)
			log_warnx("outage check: %s", err.message);
		else if (st.opened || st.ended)
			log_info(
			    "outage check: %d checked, %d down, %d outage(s) began, %d ended, %d "
			    "ticket(s) opened",
			    st.checked, st.down, st.opened, st.ended, st.tickets);
		pthread_mutex_lock(&m->mu);
		m->status.last_at = at;
		m->status.last_ms =
		    (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		m->status.st = st;
		snprintf(m->status.error, sizeof(m->status.error), "%s", rc < 0 ? err.message : "");
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += m->cfg.interval;
		while (!m->stopping && pthread_cond_timedwait(&m->cv, &m->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

struct joined {
	struct outage_monitor *m;
	int fd;
};

/* The thread joins the namespace first: only it moves, the server's other threads stay. */
static void *start(void *arg)
{
	struct joined *j = arg;
	struct outage_monitor *m = j->m;
	int rc = j->fd >= 0 && setns(j->fd, CLONE_NEWNET) < 0 ? -errno : 0;
	if (j->fd >= 0)
		close(j->fd);
	pthread_mutex_lock(&m->mu);
	m->running = rc == 0;
	m->stopping = rc != 0;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	free(j);
	if (rc) {
		log_warnx("outage check: cannot enter network namespace %s: %s", m->cfg.netns,
		          strerror(-rc));
		return NULL;
	}
	return run(m);
}

void outage_monitor_status(struct outage_monitor *m, struct outage_status *out)
{
	memset(out, 0, sizeof(*out));
	if (!m->running)
		return; /* no thread: no lock either (outage_monitor_start) */
	pthread_mutex_lock(&m->mu);
	*out = m->status;
	pthread_mutex_unlock(&m->mu);
	out->enabled = true;
}

int outage_monitor_start(struct outage_monitor *m, struct zw_err *err)
{
	m->stopping = m->running = false;
	memset(&m->status, 0, sizeof(m->status));
	if (m->cfg.interval <= 0)
		return 0;
	int fd = -1;
	if (m->cfg.netns && *m->cfg.netns) {
		char path[300];
		snprintf(path, sizeof(path), "/run/netns/%s", m->cfg.netns);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return zw_errf(err, ZW_EINVALID, "outage_netns",
			               "网络命名空间 %s 不存在：%s", m->cfg.netns, strerror(errno));
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&m->mu, NULL);
	struct joined *j = xcalloc(1, sizeof(*j));
	j->m = m;
	j->fd = fd;
	bool waiting = true;
	if (pthread_create(&m->thread, NULL, start, j) != 0) {
		if (fd >= 0)
			close(fd);
		free(j);
		waiting = false;
	}
	pthread_mutex_lock(&m->mu);
	while (waiting && !m->running && !m->stopping)
		pthread_cond_wait(&m->cv, &m->mu);
	bool ok = m->running;
	pthread_mutex_unlock(&m->mu);
	if (!ok) {
		if (waiting)
			pthread_join(m->thread, NULL);
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
		return zw_errf(err, ZW_EINVALID, "outage_netns",
		               "无法启动中断监测（网络命名空间 %s）",
		               m->cfg.netns ? m->cfg.netns : "");
	}
	return 0;
}

void outage_monitor_stop(struct outage_monitor *m)
{
	if (!m->running)
		return;
	pthread_mutex_lock(&m->mu);
	m->stopping = true;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	pthread_join(m->thread, NULL);
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
	m->running = false;
}
