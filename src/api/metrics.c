#include "api/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/server.h"
#include "core/xalloc.h"
#include "domain/violation/finding.h"

/* The methods a request no route took is counted under; any other is "OTHER". */
static const char *const methods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                      "PATCH", "DELETE", "OPTIONS", "OTHER"};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* The upper bounds of the latency buckets: from a read answered from an index to an import
 * or an archive of a large unit. */
static const int64_t bucket_us[] = {5000,    10000,   25000,   50000,    100000,   250000,  500000,
                                    1000000, 2500000, 5000000, 10000000, 30000000, 60000000};
static const char *const bucket_le[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
                                        "1",     "2.5",  "5",     "10",   "30",  "60"};
#define NBUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))

/* A row of zwnet_http_requests_total: the statuses seen, each claimed by the first request
 * with it (0 = free), and their counts. */
struct row {
	_Atomic unsigned code[METRICS_STATUSES];
	_Atomic uint64_t n[METRICS_STATUSES];
	_Atomic uint64_t other;
};

/* A histogram of one route pattern: a count per bucket, not cumulative (+Inf last), so a
 * scrape sums them from one reading and its +Inf is its count. */
struct hist {
	_Atomic uint64_t n[NBUCKETS + 1];
	_Atomic uint64_t sum_us;
};

struct metrics {
	/* rows: one per route, then NMETHODS for "(none)" and NMETHODS for "(web)" */
	size_t nrows;
	struct row *rows;
	/* histograms: one per route, used by the first route of each path pattern (path_of),
	 * then "(none)" and "(web)" */
	size_t nhists;
	struct hist *hists;
	size_t *path_of;
	_Atomic uint64_t unanswered;
	_Atomic uint64_t batches, duplicates, observations, findings, findings_new, cases_new;
};

struct metrics *metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));
	m->nrows = nroutes + 2 * NMETHODS;
	m->rows = xcalloc(m->nrows, sizeof(*m->rows));
	m->nhists = nroutes + 2;
	m->hists = xcalloc(m->nhists, sizeof(*m->hists));
	m->path_of = xcalloc(nroutes ? nroutes : 1, sizeof(*m->path_of));
	for (size_t i = 0; i < nroutes; i++) {
		m->path_of[i] = i;
		for (size_t j = 0; j < i; j++)
			if (strcmp(routes[j].path, routes[i].path) == 0) {
				m->path_of[i] = j;
				break;
			}
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	free(m->rows);
	free(m->hists);
	free(m->path_of);
	free(m);
}

static size_t method_index(const char *method)
{
	for (size_t i = 0; i + 1 < NMETHODS; i++)
		if (method && strcmp(methods[i], method) == 0)
			return i;
	return NMETHODS - 1;
}

static void count_status(struct row *rw, unsigned status)
{
	for (size_t i = 0; i < METRICS_STATUSES; i++) {
		unsigned c = atomic_load(&rw->code[i]);
		if (c == 0) {
			unsigned free_slot = 0;
			c = atomic_compare_exchange_strong(&rw->code[i], &free_slot, status)
			        ? status
			        : free_slot;
		}
		if (c == status) {
			atomic_fetch_add_explicit(&rw->n[i], 1, memory_order_relaxed);
			return;
		}
	}
	atomic_fetch_add_explicit(&rw->other, 1, memory_order_relaxed);
}

void metrics_request(struct metrics *m, const struct route *rt, bool web, const char *method,
                     int status, int64_t us)
{
	if (!m)
		return;
	if (status <= 0 || status > 999) {
		atomic_fetch_add_explicit(&m->unanswered, 1, memory_order_relaxed);
		return;
	}
	size_t row, hist;
	if (rt && rt >= routes && rt < routes + nroutes) {
		row = (size_t)(rt - routes);
		hist = m->path_of[row];
	} else {
		row = nroutes + (web ? NMETHODS : 0) + method_index(method);
		hist = nroutes + (web ? 1 : 0);
	}
	count_status(&m->rows[row], (unsigned)status);
	struct hist *h = &m->hists[hist];
	size_t b = 0;
	while (b < NBUCKETS && us > bucket_us[b])
		b++;
	atomic_fetch_add_explicit(&h->n[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, us > 0 ? (uint64_t)us : 0, memory_order_relaxed);
}

void metrics_ingest(struct metrics *m, const struct ingest_result *res)
{
	if (!m)
		return;
	atomic_fetch_add_explicit(&m->batches, 1, memory_order_relaxed);
	if (res->duplicate) {
		atomic_fetch_add_explicit(&m->duplicates, 1, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&m->observations, res->accepted, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->findings, res->findings, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->findings_new, res->created, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->cases_new, res->violations, memory_order_relaxed);
}

void metrics_head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_label(struct buf *b, const char *value)
{
	buf_puts(b, "\"");
	for (const char *p = value; *p; p++) {
		if (*p == '\\')
			buf_puts(b, "\\\\");
		else if (*p == '"')
			buf_puts(b, "\\\"");
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else
			buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}

static void row_labels(struct buf *b, size_t row)
{
	const char *route, *method;
	if (row < nroutes) {
		route = routes[row].path;
		method = routes[row].method;
	} else {
		size_t k = row - nroutes;
		route = k < NMETHODS ? "(none)" : "(web)";
		method = methods[k % NMETHODS];
	}
	buf_puts(b, "route=");
	metrics_label(b, route);
	buf_puts(b, ",method=");
	metrics_label(b, method);
}

static const char *hist_route(size_t h)
{
	return h < nroutes ? routes[h].path : h == nroutes ? "(none)" : "(web)";
}

static void write_counter(struct buf *b, const char *name, const char *help, uint64_t v)
{
	metrics_head(b, name, "counter", help);
	buf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

void metrics_write(struct metrics *m, struct buf *b)
{
	metrics_head(b, "zwnet_http_requests_total", "counter",
	             "HTTP requests answered, by route pattern, method and status.");
	for (size_t r = 0; r < m->nrows; r++) {
		struct row *rw = &m->rows[r];
		for (size_t i = 0; i < METRICS_STATUSES; i++) {
			unsigned code = atomic_load(&rw->code[i]);
			uint64_t n = atomic_load_explicit(&rw->n[i], memory_order_relaxed);
			if (!code || !n)
				continue;
			buf_puts(b, "zwnet_http_requests_total{");
			row_labels(b, r);
			buf_printf(b, ",status=\"%u\"} %llu\n", code, (unsigned long long)n);
		}
		uint64_t other = atomic_load_explicit(&rw->other, memory_order_relaxed);
		if (other) {
			buf_puts(b, "zwnet_http_requests_total{");
			row_labels(b, r);
			buf_printf(b, ",status=\"other\"} %llu\n", (unsigned long long)other);
		}
	}
	write_counter(b, "zwnet_http_requests_unanswered_total",
	              "HTTP requests that got no answer (the body never came whole, the client "
	              "went away).",
	              atomic_load_explicit(&m->unanswered, memory_order_relaxed));
	metrics_head(b, "zwnet_http_request_duration_seconds", "histogram",
	             "Time from a request's headers to the end of its answer, by route pattern.");
	for (size_t h = 0; h < m->nhists; h++) {
		if (h < nroutes && m->path_of[h] != h)
			continue;
		uint64_t n[NBUCKETS + 1], count = 0;
		for (size_t i = 0; i <= NBUCKETS; i++) {
			n[i] = atomic_load_explicit(&m->hists[h].n[i], memory_order_relaxed);
			count += n[i];
		}
		if (!count)
			continue;
		uint64_t sum = atomic_load_explicit(&m->hists[h].sum_us, memory_order_relaxed);
		uint64_t cum = 0;
		for (size_t i = 0; i <= NBUCKETS; i++) {
			cum += n[i];
			buf_puts(b, "zwnet_http_request_duration_seconds_bucket{route=");
			metrics_label(b, hist_route(h));
			buf_printf(b, ",le=\"%s\"} %llu\n", i < NBUCKETS ? bucket_le[i] : "+Inf",
			           (unsigned long long)cum);
		}
		buf_puts(b, "zwnet_http_request_duration_seconds_sum{route=");
		metrics_label(b, hist_route(h));
		buf_printf(b, "} %llu.%06llu\n", (unsigned long long)(sum / 1000000),
		           (unsigned long long)(sum % 1000000));
		buf_puts(b, "zwnet_http_request_duration_seconds_count{route=");
		metrics_label(b, hist_route(h));
		buf_printf(b, "} %llu\n", (unsigned long long)count);
	}
	write_counter(b, "zwnet_observation_batches_total",
	              "Batches of observations the probes sent and the server took (duplicates "
	              "included).",
	              atomic_load_explicit(&m->batches, memory_order_relaxed));
	write_counter(b, "zwnet_observation_batches_duplicate_total",
	              "Batches sent again after a lost answer, recognised and not taken twice.",
	              atomic_load_explicit(&m->duplicates, memory_order_relaxed));
	write_counter(b, "zwnet_observations_ingested_total", "Observations taken from the probes.",
	              atomic_load_explicit(&m->observations, memory_order_relaxed));
	write_counter(b, "zwnet_findings_ingested_total",
	              "Findings the rules raised from the observations (new or seen again).",
	              atomic_load_explicit(&m->findings, memory_order_relaxed));
	write_counter(b, "zwnet_findings_created_total", "Findings opened from the observations.",
	              atomic_load_explicit(&m->findings_new, memory_order_relaxed));
	write_counter(b, "zwnet_violations_from_findings_total",
	              "Violation cases opened from the probes' findings.",
	              atomic_load_explicit(&m->cases_new, memory_order_relaxed));
}
