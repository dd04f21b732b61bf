/*
 * metrics: what the server counts in memory for GET /api/v1/metrics (api/h_metrics.c), in the
 * Prometheus text exposition format 0.0.4.
 *
 * Every answered request is counted by its route's pattern ("/api/v1/units/{id}", never the
 * URL it came with), method and status, and timed by its route (a histogram). The tables are
 * fixed when the server starts: a row per route of the static table (api/routes.c), and for
 * the requests no route took a row per method under route "(none)" (and "(web)" for the
 * console's files), so no label takes a value a client chose. A row keeps the first
 * METRICS_STATUSES statuses it sees, the rest are counted under status "other". Counting is
 * lock-free (atomics): a request waits for nothing.
 *
 * The probes' batches are counted too: observations taken, findings recorded and opened, cases
 * opened, batches sent again. All counters start at 0 with the process.
 */
#ifndef ZW_API_METRICS_H
#define ZW_API_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

struct route;
struct ingest_result;
struct metrics;

#define METRICS_STATUSES 16

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One request done: rt its route, or NULL when none took it (web: it was for the console's
 * files); method as the client sent it; us how long from its headers to the end of its answer.
 * status 0: it got no answer (its body never came whole, its client went away), counted apart
 * (zwnet_http_requests_unanswered_total) and not timed. */
void metrics_request(struct metrics *m, const struct route *rt, bool web, const char *method,
                     int status, int64_t us);
/* One batch of observations taken (or, duplicate, recognised as sent before). */
void metrics_ingest(struct metrics *m, const struct ingest_result *res);

/* The counters and histograms, as exposition text appended to b. */
void metrics_write(struct metrics *m, struct buf *b);

/* A metric's HELP and TYPE lines. */
void metrics_head(struct buf *b, const char *name, const char *type, const char *help);
/* A label value as the format quotes it (backslash, double quote and newline escaped). */
void metrics_label(struct buf *b, const char *value);

#endif
