/*
 * outage_bench: the outage check at county scale and beyond (issue 17: 1,000 units checked
 * every minute). Run by bench/outage.sh inside a network namespace whose veth leads to another
 * where every address of 10.250.0.0/16 answers and 10.251.0.0/16 is silently dropped.
 *
 * Makes N connected units (each on a line, with an address block and its gateway), a tenth of
 * them behind the dropped range, then times reach_check alone (the wire) and whole rounds of
 * outage_round (the wire and the database): the first (every health row new), the steady ones,
 * and the one where the silent tenth goes down (outages and fault tickets opened in the round's
 * transaction). Usage: outage_bench [N]   (default 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/inventory/assets.h"
#include "domain/ipam/ipam.h"
#include "domain/ops/outage.h"
#include "domain/org/unit.h"
#include "domain/registry.h"
#include "wire/reach.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void die(const char *what, const struct zw_err *err)
{
	fprintf(stderr, "outage_bench: %s: %s\n", what, err->message);
	exit(1);
}

/* unit i's block: a /29 of 10.250/16 (answering) or, for every tenth, of 10.251/16 (silent) */
static void block_of(long i, char *cidr, char *gw, size_t len)
{
	int net = i % 10 == 9 ? 251 : 250;
	long base = i * 8;
	snprintf(cidr, len, "10.%d.%ld.%ld/29", net, base / 256, base % 256);
	snprintf(gw, len, "10.%d.%ld.%ld", net, base / 256, base % 256 + 1);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	if (n < 10 || n > 8000) {
		fprintf(stderr, "outage_bench: N from 10 to 8000\n");
		return 2;
	}
	log_init(LOG_LVL_WARN, stderr);
	char path[64];
	snprintf(path, sizeof(path), "/tmp/zwnet-outage-bench-%d.db", (int)getpid());
	struct zw_err err = {0};
	struct store *st;
	struct profile *prof;
	if (store_open(path, &st, &err) || profile_load("tongbai", &prof, &err))
		die("open", &err);
	struct principal by = {.role = ROLE_SYSTEM, .username = "bench", .source = "bench"};
	struct ctx x = {st, prof, &by};
	struct ipam_cache *cache = ipam_cache_new();
	struct carrier cr = {.name = "压测运营商"};
	int64_t carrier;
	if (registry_create(&x, &carrier_kind, &cr, &carrier, &err))
		die("carrier", &err);
	double t0 = now_ms();
	for (long i = 0; i < n; i++) {
		char name[32], circuit[32], cidr[32], gw[32];
		snprintf(name, sizeof(name), "压测单位%04ld", i);
		snprintf(circuit, sizeof(circuit), "BENCH-%04ld", i);
		block_of(i, cidr, gw, sizeof(cidr));
		struct unit u = {.name = name, .type = "其他", .level = "县直", .status = "申请中"};
		int64_t uid, lid, pid;
		if (registry_create(&x, &unit_kind, &u, &uid, &err))
			die("unit", &err);
		struct line l = {.carrier_id = carrier,
		                 .unit_id = uid,
		                 .circuit_id = circuit,
		                 .bandwidth_mbps = 100,
		                 .payer = "管理单位",
		                 .status = "在用"};
		struct prefix p = {.cidr = cidr, .status = "active", .unit_id = uid, .gateway = gw};
		if (registry_create(&x, &line_kind, &l, &lid, &err) ||
		    prefix_create(&x, cache, &p, &pid, &err))
			die(name, &err);
	}
	/* connected without N approved access applications (TB-13's gate): a fixture, not a path */
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "UPDATE units SET status = '已接入'", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "outage_bench: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_close(db);
	printf("made %ld connected units with lines and gateways in %.1f s\n", n,
	       (now_ms() - t0) / 1e3);

	struct outage_cfg cfg = {
	    .interval = 60, .timeout_ms = 1000, .tcp_port = 0, .down_after = 3, .up_after = 2};

	/* the wire alone: every gateway in one burst */
	struct reach_target *a = calloc((size_t)n, sizeof(*a));
	for (long i = 0; i < n; i++) {
		char cidr[32];
		block_of(i, cidr, a[i].addr, sizeof(a[i].addr));
	}
	struct reach_opts o = {.timeout_ms = cfg.timeout_ms};
	t0 = now_ms();
	int up = reach_check(a, (size_t)n, &o);
	double wire = now_ms() - t0;
	int64_t rtt_max = 0;
	for (long i = 0; i < n; i++)
		rtt_max = a[i].up && a[i].rtt_us > rtt_max ? a[i].rtt_us : rtt_max;
	printf("reach_check of %ld gateways: %d answered, %ld silent, in %.0f ms (the silent wait "
	       "out the %d ms timeout); slowest answer %.2f ms\n",
	       n, up, n - up, wire, cfg.timeout_ms, (double)rtt_max / 1e3);
	free(a);
	if (up != n - n / 10) {
		fprintf(stderr,
		        "outage_bench: expected %ld to answer: is the namespace set up "
		        "(bench/outage.sh)?\n",
		        n - n / 10);
		return 1;
	}

	/* whole rounds, a minute apart on the clock */
	int64_t now = clock_now();
	double worst = 0, sum = 0;
	for (int r = 1; r <= 6; r++) {
		struct outage_stats s;
		t0 = now_ms();
		if (outage_round(&x, &cfg, now + 60 * r, &s, &err))
			die("round", &err);
		double d = now_ms() - t0;
		printf("round %d: %.0f ms (the database %.0f ms): %d checked, %d up, %d down, %d "
		       "outage(s) began, %d ticket(s)\n",
		       r, d, d - wire, s.checked, s.up, s.down, s.opened, s.tickets);
		if (r > 1) {
			worst = d > worst ? d : worst;
			sum += d;
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%ld units: a round every minute needs %.1f%% of it at worst (%.0f ms, mean %.0f "
	       "ms); peak RSS %ld MiB\n",
	       n, worst / 600, worst, sum / 5, ru.ru_maxrss / 1024);
	ipam_cache_free(cache);
	store_close(st);
	unlink(path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}
