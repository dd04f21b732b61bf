#include "domain/scheduler.h"

#include <curl/curl.h>
#include <errno.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/deadline.h"
#include "domain/notify/notify.h"

static void step(struct scheduler *s)
{
	/* a tick handles a page of breaches and reminders: catch up after a long stop */
	for (bool more = true; more;) {
		struct zw_err err = {0};
		more = false;
		int n = deadline_tick_more(s->st, clock_now(), s->reminder_working_days,
		                           s->reminder_hours, &more, &err);
		if (n < 0)
			log_warnx("scheduler: %s", err.message);
		else if (n > 0)
			log_info("scheduler: %d deadline event(s) raised", n);
	}
	if (s->ops) {
		struct zw_err err = {0};
		if (ops_step(s->st, s->ops, clock_now(), &err) < 0)
			log_warnx("scheduler: %s", err.message);
	}
	for (int n = 256; n >= 256;) {
		struct zw_err err = {0};
		n = notify_fanout(s->st, s->prof, clock_now(), &err);
		if (n < 0)
			log_warnx("scheduler: inbox: %s", err.message);
	}
	if (s->mail && *s->mail->smtp_url) {
		struct zw_err err = {0};
		int n = mail_deliver(s->st, s->prof, s->mail, clock_now(), &err);
		if (n < 0)
			log_warnx("scheduler: mail: %s", err.message);
		else if (n > 0)
			log_info("scheduler: %d mail(s) sent", n);
	}
	if (s->hook && *s->hook->url) {
		struct zw_err err = {0};
		int n = webhook_deliver(s->st, s->prof, s->hook, clock_now(), &err);
		if (n < 0)
			log_warnx("scheduler: webhook: %s", err.message);
	}
}

static void *run(void *arg)
{
	struct scheduler *s = arg;
	pthread_mutex_lock(&s->mu);
	/* the first step ran in scheduler_start: wait, then step */
	for (bool first = true; !s->stopping; first = false) {
		if (!first) {
			pthread_mutex_unlock(&s->mu);
			step(s);
			atomic_store(&s->last_step_ms, clock_mono_ms());
			pthread_mutex_lock(&s->mu);
		}
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += s->interval;
		while (!s->stopping) {
			int rc = pthread_cond_timedwait(&s->cv, &s->mu, &until);
			if (rc == ETIMEDOUT)
				break;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int scheduler_start(struct scheduler *s, struct zw_err *err)
{
	s->stopping = s->running = false;
	if (!s->interval)
		return 0;
	if (((s->mail && *s->mail->smtp_url) || (s->hook && *s->hook->url)) &&
	    curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return zw_errf(err, ZW_EINTERNAL, NULL, "无法初始化 libcurl");
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&s->mu, NULL);
	/* the first step before the server answers anyone: what was due while it was stopped
	 * (breaches, the day's backup and notice) is done before its first request, not beside
	 * it */
	step(s);
	atomic_store(&s->last_step_ms, clock_mono_ms());
	if (pthread_create(&s->thread, NULL, run, s) != 0) {
		atomic_store(&s->last_step_ms, 0);
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		return zw_errf(err, ZW_EINTERNAL, NULL, "无法启动定时任务线程");
	}
	s->running = true;
	return 0;
}

void scheduler_stop(struct scheduler *s)
{
	if (!s->running)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	atomic_store(&s->last_step_ms, 0);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	s->running = false;
}

int64_t scheduler_lag_ms(const struct scheduler *s, int64_t now_ms)
{
	int64_t at = atomic_load(&s->last_step_ms);
	if (!at)
		return -1;
	return now_ms > at ? now_ms - at : 0;
}
