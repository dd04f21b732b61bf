/*
 * tickets_bench: fault tickets at county scale and beyond (issue 17: 10,000 open tickets with
 * their clocks, one scheduler step under 50 ms).
 *
 * Reports N backbone faults through the case engine (each its own transaction: the record,
 * two clocks, the event, the audit entry, the notice), then measures the scheduler's deadline
 * step (deadline_tick_more) when nothing is due and when every clock has run out (each step
 * breaches up to 512 and tells of each), and one page of 50 tickets with their clocks as the
 * API lists them. Usage: tickets_bench [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/case.h"
#include "domain/deadline.h"
#include "domain/inventory/assets.h"
#include "domain/ops/ticket.h"
#include "domain/org/unit.h"
#include "domain/registry.h"

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void die(const char *what, const struct zw_err *err)
{
	fprintf(stderr, "tickets_bench: %s: %s\n", what, err->message);
	exit(1);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	log_init(LOG_LVL_WARN, stderr);
	char path[64];
	snprintf(path, sizeof(path), "/tmp/zwnet-tickets-bench-%d.db", (int)getpid());
	struct zw_err err = {0};
	struct store *st;
	struct profile *prof;
	if (store_open(path, &st, &err) || profile_load("tongbai", &prof, &err))
		die("open", &err);
	struct principal by = {.role = ROLE_SYSTEM, .username = "bench", .source = "bench"};
	struct ctx x = {st, prof, &by};
	/* 100 county units, each on a line of one carrier */
	struct carrier cr = {.name = "压测运营商"};
	int64_t carrier, units[100];
	if (registry_create(&x, &carrier_kind, &cr, &carrier, &err))
		die("carrier", &err);
	for (int i = 0; i < 100; i++) {
		char name[32], circuit[32];
		snprintf(name, sizeof(name), "压测单位%03d", i);
		snprintf(circuit, sizeof(circuit), "BENCH-%03d", i);
		struct unit u = {.name = name, .type = "其他", .level = "县直", .status = "申请中"};
		struct line l = {.carrier_id = carrier,
		                 .circuit_id = circuit,
		                 .bandwidth_mbps = 100,
		                 .payer = "管理单位",
		                 .status = "在用"};
		if (registry_create(&x, &unit_kind, &u, &units[i], &err))
			die("unit", &err);
		l.unit_id = units[i];
		int64_t lid;
		if (registry_create(&x, &line_kind, &l, &lid, &err))
			die("line", &err);
	}
	double t0 = now_us();
	for (long i = 0; i < n; i++) {
		json_t *b = json_pack("{s:I, s:s, s:s}", "unit_id", (json_int_t)units[i % 100],
		                      "location", "backbone", "summary", "线路中断");
		int64_t id;
		if (case_create(&x, &ticket_case, b, &id, &err))
			die("report", &err);
		json_decref(b);
	}
	double made = now_us() - t0;
	printf("reported %ld tickets (%ld clocks) in %.1f s: %.2f ms each\n", n, 2 * n, made / 1e6,
	       made / 1e3 / (double)n);

	/* the step when nothing is due: what the scheduler does every interval */
	double t[21];
	bool more = false;
	for (int i = 0; i < 21; i++) {
		double a = now_us();
		if (deadline_tick_more(st, clock_now(), 1, 1, &more, &err) < 0)
			die("tick", &err);
		t[i] = now_us() - a;
	}
	qsort(t, 21, sizeof(*t), cmp_d);
	printf("scheduler step, %ld open tickets, nothing due: median %.2f ms, worst %.2f ms\n", n,
	       t[10] / 1e3, t[20] / 1e3);

	/* one page of the list with the clocks, as GET /tickets?limit=50 reads it */
	double l[21];
	for (int i = 0; i < 21; i++) {
		struct list_query q = {.limit = 50, .sort = "id", .sort_int = true};
		struct buf out;
		buf_init(&out, 16u << 20);
		struct list_page page;
		double a = now_us();
		if (registry_list(&x, &ticket_kind, &q, &out, &page, &err))
			die("list", &err);
		l[i] = now_us() - a;
		buf_free(&out);
	}
	qsort(l, 21, sizeof(*l), cmp_d);
	printf("one page of 50 tickets with their clocks: median %.2f ms, worst %.2f ms\n",
	       l[10] / 1e3, l[20] / 1e3);

	/* every clock run out (the server was off for three hours): page by page */
	int64_t later = clock_now() + 3 * 3600;
	double worst = 0, total = 0;
	int steps = 0, events = 0;
	do {
		double a = now_us();
		int k = deadline_tick_more(st, later, 1, 1, &more, &err);
		if (k < 0)
			die("tick", &err);
		double d = now_us() - a;
		worst = d > worst ? d : worst;
		total += d;
		steps++;
		events += k;
	} while (more);
	printf("catching up %d breaches and reminders: %d steps, %.1f ms each on average, worst "
	       "%.1f ms\n",
	       events, steps, total / steps / 1e3, worst / 1e3);
	store_close(st);
	unlink(path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}
