/*
 * outage: the server's watch over every connected unit's gateway (JX-19 定期检查网络运行状况,
 * JX-24, TB-8), and the outages it finds.
 *
 * Every round (outage_interval seconds) checks the gateway registered for each connected unit
 * (the first of its address blocks with one) by ICMP and, where set, a TCP port (wire/reach.h),
 * all at once. A unit is down after down_after failed checks in a row and up again after
 * up_after good ones; the outage runs from the first failed check to the first good one, so
 * the thresholds delay the alarm but never shorten the outage.
 *
 * A unit that goes down opens an outage and a fault ticket (channel 监测发现中断, reported at
 * the first failed check: the carrier's clocks run from when the line went dark), unless a
 * backbone ticket of the unit is open already (the outage is linked to it) or the unit's line
 * is in an agreed maintenance window (TB-12: a planned interruption is no fault). An outage that
 * outlasts its window is a fault from the window's end. When the gateway answers again the
 * outage ends and a ticket it opened is resolved by the system (recover), which meets its
 * clocks; the unit confirms or reopens it.
 *
 * What each unit looked like last (up/down since when, the latency, why not) is unit_health;
 * each hour's checks, failures and latency are kept 30 days (health_samples) for the trend.
 * A carrier's staff see the units on their lines, a unit its own (the kinds' scopes).
 *
 * The rounds run on their own thread, which may check from another network namespace
 * (outage_netns: a server whose extranet side is a namespace of its own) without moving the
 * rest of the server there.
 */
#ifndef ZW_DOMAIN_OPS_OUTAGE_H
#define ZW_DOMAIN_OPS_OUTAGE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/ctx.h"
#include "domain/registry.h"

struct outage {
	int64_t id, unit_id, line_id, carrier_id, ticket_id, maintenance_id;
	char *address, *state, *note;
	int64_t started_at, detected_at, ended_at, minutes;
	int64_t created_at, updated_at, rev;
};

struct unit_health {
	int64_t id, unit_id, line_id, carrier_id, outage_id;
	char *address, *state, *last_how, *last_error;
	int64_t since, fails, oks, first_fail_at, first_ok_at, last_at, last_rtt_us;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema outage_schema, unit_health_schema;
extern const struct registry_kind outage_kind, unit_health_kind;

struct outage_cfg {
	int interval;   /* seconds between rounds; 0: no rounds */
	int timeout_ms; /* each check's wait */
	int tcp_port;   /* also tried when ICMP gets no answer; 0: none */
	int down_after, up_after;
	const char *netns; /* check from /run/netns/<netns>; "" or NULL: the server's own */
};

struct outage_stats {
	int checked, up, down, no_address;
	int opened, ended, tickets;
};

/* One round at time now (Unix seconds), checking from the calling thread's namespace. */
int outage_round(const struct ctx *x, const struct outage_cfg *cfg, int64_t now,
                 struct outage_stats *st, struct zw_err *err);

/* What the rounds' thread last did, for the console (GET /outages/monitor). */
struct outage_status {
	bool enabled;           /* a thread runs the rounds */
	int64_t last_at;        /* the last round's start (Unix seconds); 0: none yet */
	int64_t last_ms;        /* how long it took */
	struct outage_stats st; /* what it found */
	char error[512];        /* why it failed (a zw_err message); "" when it did not */
};

struct outage_monitor {
	struct store *st;
	const struct profile *prof;
	struct outage_cfg cfg;
	/* private */
	struct outage_status status; /* under mu */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stopping, running;
};

/* The rounds' thread (nothing when cfg.interval is 0); a namespace that cannot be joined is an
 * error here, before the server starts. */
int outage_monitor_start(struct outage_monitor *m, struct zw_err *err);
void outage_monitor_stop(struct outage_monitor *m);
/* A copy of the monitor's status, taken under its lock. */
void outage_monitor_status(struct outage_monitor *m, struct outage_status *out);

#endif
