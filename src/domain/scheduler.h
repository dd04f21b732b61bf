/*
 * scheduler: the one background thread of `zwnet serve` that acts on time, not on requests.
 * Every interval it runs deadline_tick (breaches and reminders, each an outbox event) and
 * ops_step (the daily backup and notice, the disk check). scheduler_start runs the first
 * step itself, before the server takes requests. All
 * its state is in the database, so a restart neither loses nor repeats an event; stopping
 * wakes it at once and waits for a step in progress to finish. How long ago the last step
 * ended is kept for the metrics (GET /metrics: zwnet_scheduler_lag_seconds).
 */
#ifndef ZW_DOMAIN_SCHEDULER_H
#define ZW_DOMAIN_SCHEDULER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/notify/mail.h"
#include "domain/notify/webhook.h"
#include "domain/ops.h"
#include "policy/profile.h"
#include "store/store.h"

struct scheduler {
	struct store *st;
	const struct profile *prof;
	const struct mail_cfg *mail;    /* the e-mail channel, or NULL/"" url for none */
	const struct webhook_cfg *hook; /* the webhook channel, likewise */
	unsigned interval;              /* seconds between steps; 0 = never started */
	int reminder_working_days;      /* remind this many working days before the due day */
	int reminder_hours;             /* ... and this many hours before an hours deadline */
	const struct ops_cfg *ops;      /* the daily backup and notice, the disk check; or NULL */
	/* private */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stopping, running;
	/* CLOCK_MONOTONIC ms when the last step ended (when the thread started, before its
	 * first), 0 while no thread runs; read from other threads (scheduler_lag_ms) */
	_Atomic int64_t last_step_ms;
};

int scheduler_start(struct scheduler *s, struct zw_err *err);
void scheduler_stop(struct scheduler *s);
/* Milliseconds from the end of the last step to now_ms (clock_mono_ms), or -1 when the
 * scheduler does not run (interval 0, or stopped). A step that hangs shows as a lag that grows
 * past the interval. Any thread may ask. */
int64_t scheduler_lag_ms(const struct scheduler *s, int64_t now_ms);

#endif
