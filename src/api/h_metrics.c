/* GET /api/v1/metrics: the server's numbers for Prometheus (text exposition format 0.0.4), for
 * a manager or a token of scope metrics. What is counted in memory is api/metrics.h's; what the
 * database holds is read at each scrape (domain/ops.h). */

#include "api/handlers.h"
#include "api/list_cache.h"
#include "api/metrics.h"
#include "core/clock.h"
#include "domain/ctx.h"
#include "domain/scheduler.h"

#ifndef ZWNET_VERSION
#define ZWNET_VERSION "0.1.0"
#endif

static void gauge(struct buf *b, const char *name, const char *help, int64_t v)
{
	metrics_head(b, name, "gauge", help);
	buf_printf(b, "%s %lld\n", name, (long long)v);
}

static void labelled(struct buf *b, const char *name, const char *label, const char *value,
                     int64_t v)
{
	buf_printf(b, "%s{%s=", name, label);
	metrics_label(b, value);
	buf_printf(b, "} %lld\n", (long long)v);
}

void h_metrics(struct req *r)
{
	struct server *s = r->srv;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct ops_gauges g;
	if (fail(r, ops_gauges(&x, &g, &err), &err))
		return;
	struct buf b;
	buf_init(&b, 4u << 20);
	buf_reserve(&b, 64u << 10);
	metrics_head(&b, "zwnet_build_info", "gauge", "The version of zwnet that runs (always 1).");
	buf_puts(&b, "zwnet_build_info{version=");
	metrics_label(&b, ZWNET_VERSION);
	buf_puts(&b, "} 1\n");
	gauge(&b, "zwnet_uptime_seconds", "Seconds since the server started.",
	      clock_now() - s->started_at);
	metrics_write(s->metrics, &b);

	const struct store_gauges *d = &g.db;
	gauge(&b, "zwnet_db_size_bytes", "Size of the database (page_count * page_size).",
	      d->page_count * d->page_size);
	gauge(&b, "zwnet_db_free_bytes",
	      "Bytes of the database in free pages (reused before the file grows).",
	      d->freelist_count * d->page_size);
	gauge(&b, "zwnet_db_wal_size_bytes",
	      "Size of the write-ahead log beside the database (0 when there is none).",
	      d->wal_bytes);

	/* the channels the scheduler delivers on: the inbox always, mail and webhook when set */
	const struct scheduler *sc = s->sched;
	bool mail = sc && sc->mail && sc->mail->smtp_url && *sc->mail->smtp_url;
	bool hook = sc && sc->hook && sc->hook->url && *sc->hook->url;
	metrics_head(&b, "zwnet_outbox_backlog", "gauge",
	             "Outbox events not yet delivered, by channel (retries included).");
	labelled(&b, "zwnet_outbox_backlog", "channel", "inbox", d->outbox_inbox);
	if (mail)
		labelled(&b, "zwnet_outbox_backlog", "channel", "mail", d->outbox_mail);
	if (hook)
		labelled(&b, "zwnet_outbox_backlog", "channel", "webhook", d->outbox_hook);
	if (mail || hook)
		metrics_head(&b, "zwnet_outbox_failed", "gauge",
		             "Outbox events given up on after every retry, by channel.");
	if (mail)
		labelled(&b, "zwnet_outbox_failed", "channel", "mail", d->outbox_mail_failed);
	if (hook)
		labelled(&b, "zwnet_outbox_failed", "channel", "webhook", d->outbox_hook_failed);

	int64_t lag = sc ? scheduler_lag_ms(sc, clock_mono_ms()) : -1;
	if (lag >= 0) {
		metrics_head(&b, "zwnet_scheduler_lag_seconds", "gauge",
		             "Seconds since the scheduler's last step ended (since it started, "
		             "before the first).");
		buf_printf(&b, "zwnet_scheduler_lag_seconds %lld.%03lld\n", (long long)(lag / 1000),
		           (long long)(lag % 1000));
		gauge(&b, "zwnet_scheduler_interval_seconds", "Seconds between scheduler steps.",
		      (int64_t)sc->interval);
	}

	uint64_t hits, misses;
	list_cache_counts(&hits, &misses);
	metrics_head(&b, "zwnet_list_cache_hits_total", "counter",
	             "Registry list answers served from the worker threads' cache.");
	buf_printf(&b, "zwnet_list_cache_hits_total %llu\n", (unsigned long long)hits);
	metrics_head(
	    &b, "zwnet_list_cache_misses_total", "counter",
	    "Registry list answers built (the database had changed, or not asked before).");
	buf_printf(&b, "zwnet_list_cache_misses_total %llu\n", (unsigned long long)misses);
	gauge(&b, "zwnet_findings_open", "Findings of the probes not yet judged.",
	      d->findings_open);
	metrics_head(&b, "zwnet_violations_open", "gauge",
	             "Violation cases still being handled, by state.");
	for (size_t i = 0; i < g.ncases; i++)
		labelled(&b, "zwnet_violations_open", "state", g.cases[i].key, g.cases[i].n);
	metrics_head(&b, "zwnet_applications_open", "gauge",
	             "Applications not yet completed, rejected or withdrawn, by status.");
	for (size_t i = 0; i < g.napplications; i++)
		labelled(&b, "zwnet_applications_open", "status", g.applications[i].key,
		         g.applications[i].n);

	if (buf_check(&b, &err, "运行指标")) {
		buf_free(&b);
		reply_error(r, &err);
		return;
	}
	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len, NULL);
	buf_free(&b);
}
