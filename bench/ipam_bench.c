/*
 * ipam_bench: the address plan at county scale and beyond.
 *
 * Seeds N allocations under one container (10.0.0.0/8 with /28s, and 2001:db8::/32 with
 * /64s) straight into the database, then measures through the domain functions the server
 * uses (transaction, pool, overlap check, usage, audit): the time to allocate the next free
 * block (median, p99), the one-off time to build a container's pool from its N children,
 * the owner index ("which unit owns this address") build time and lookups per second on one
 * core, and resident memory. Usage: ipam_bench [N] [M allocations timed] [lookups]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/inet.h"
#include "core/log.h"
#include "domain/ipam/ipam.h"
#include "watch/ipam_index.h"
#include "domain/ipam/ipam_pool.h"
#include "store/rec.h"
#include "store/ipam_sql.h"

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

static long rss_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key) + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static void die(const char *what, const struct zw_err *err)
{
	fprintf(stderr, "ipam_bench: %s: %s\n", what, err->message);
	exit(1);
}

/* N children of the container, written directly (the setup, not what is measured). */
static void seed(struct store *st, int64_t container, const char *cidr, int len, long n,
                 int64_t unit)
{
	struct zw_err err = {0};
	struct inet_prefix root;
	inet_parse_prefix(cidr, false, &root);
	struct ipam_pool *pool = ipam_pool_new(&root);
	struct store_tx *tx = NULL;
	char num[40];
	u128_format(inet_size(&(struct inet_prefix){root.family, (uint8_t)len, 0}), num);
	for (long i = 0; i < n; i++) {
		if (!tx && store_begin(st, &tx, &err))
			die("begin", &err);
		struct inet_prefix got;
		if (ipam_pool_take(pool, len, &got) < 0) {
			fprintf(stderr, "ipam_bench: %s is full after %ld\n", cidr, i);
			exit(1);
		}
		char c[INET_PREFIX_MAX];
		inet_format_prefix(&got, c);
		struct prefix p = {.cidr = c,
		                   .family = root.family,
		                   .length = len,
		                   .parent_id = container,
		                   .status = "active",
		                   .unit_id = unit,
		                   .dns = "",
		                   .description = "",
		                   .size = num,
		                   .used = "0"};
		int64_t id;
		if (store_prefix_insert(store_tx_conn(tx), &p, &got, clock_now(), &id, &err))
			die("insert", &err);
		if ((i + 1) % 50000 == 0 || i == n - 1) {
			u128 used = inet_size(&got) * (u128)(i + 1);
			if (i == n - 1 &&
			    ipam_adjust_usage(store_tx_conn(tx), container, used, +1, &err))
				die("usage", &err);
			if (store_commit(tx, &err))
				die("commit", &err);
			tx = NULL;
		}
	}
	ipam_pool_free(pool);
}

static void measure(struct store *st, const struct profile *prof, struct ipam_cache *cache,
                    int64_t container, int len, long m, int64_t unit, const char *label)
{
	struct principal by = {.role = ROLE_SYSTEM, .username = "bench", .source = "bench"};
	struct ctx x = {st, prof, &by};
	struct alloc_req r = {.unit_id = unit, .length = len};
	struct zw_err err = {0};
	int64_t id;
	double t0 = now_us();
	if (prefix_allocate(&x, cache, container, 0, &r, &id, &err))
		die("first allocation", &err);
	double first = now_us() - t0;
	double *t = malloc((size_t)m * sizeof(*t));
	for (long i = 0; i < m; i++) {
		double a = now_us();
		if (prefix_allocate(&x, cache, container, 0, &r, &id, &err))
			die("allocation", &err);
		t[i] = now_us() - a;
	}
	qsort(t, (size_t)m, sizeof(*t), cmp_d);
	printf("%-6s next free /%d: median %.1f us, p99 %.1f us over %ld allocations"
	       " (first one, building the pool: %.0f ms)\n",
	       label, len, t[m / 2], t[m * 99 / 100], m, first / 1000);
	free(t);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	long m = argc > 2 ? strtol(argv[2], NULL, 10) : 10000;
	long lookups = argc > 3 ? strtol(argv[3], NULL, 10) : 10000000;
	log_init(LOG_LVL_WARN, stderr);
	char path[64];
	snprintf(path, sizeof(path), "/tmp/zwnet-ipam-bench-%d.db", (int)getpid());
	struct zw_err err = {0};
	struct store *st;
	struct profile *prof;
	if (store_open(path, &st, &err) || profile_load("tongbai", &prof, &err))
		die("open", &err);
	struct principal by = {.role = ROLE_SYSTEM, .username = "bench", .source = "bench"};
	struct ctx x = {st, prof, &by};
	struct unit u = {.name = "压测单位", .type = "其他", .level = "县直"};
	int64_t unit, c4, c6;
	struct prefix p4 = {.cidr = "10.0.0.0/8", .status = "container"};
	struct prefix p6 = {.cidr = "2001:db8::/32", .status = "container"};
	if (unit_create(&x, &u, 0, &unit, &err) || prefix_create(&x, NULL, &p4, &c4, &err) ||
	    prefix_create(&x, NULL, &p6, &c6, &err))
		die("setup", &err);
	double t0 = now_us();
	seed(st, c4, "10.0.0.0/8", 28, n, unit);
	seed(st, c6, "2001:db8::/32", 64, n, unit);
	printf("seeded %ld IPv4 /28s and %ld IPv6 /64s in %.1f s\n", n, n, (now_us() - t0) / 1e6);
	struct ipam_cache *cache = ipam_cache_new();
	measure(st, prof, cache, c4, 28, m, unit, "IPv4");
	measure(st, prof, cache, c6, 64, m, unit, "IPv6");

	struct sconn *c = store_read(st, &err);
	struct owner_index *ix;
	t0 = now_us();
	if (!c || owner_index_build(c, &ix, &err))
		die("index", &err);
	printf("owner index: %zu IPv4 and %zu IPv6 prefixes built in %.0f ms\n", ix->n[0], ix->n[1],
	       (now_us() - t0) / 1000);
	uint64_t s = 88172645463325252ull, hits = 0;
	t0 = now_us();
	for (long i = 0; i < lookups; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		int64_t un, pid;
		u128 a = ((u128)10 << 24) | (s & 0xffffff); /* anywhere in 10/8 */
		hits += (uint64_t)owner_index_lookup(ix, 4, a, &un, &pid);
	}
	double secs = (now_us() - t0) / 1e6;
	printf("owner lookups: %.1f million per second on one core (%ld lookups, %.0f%% owned)\n",
	       (double)lookups / secs / 1e6, lookups, 100.0 * (double)hits / (double)lookups);
	printf("memory: resident %ld MiB, peak %ld MiB\n", rss_kb("VmRSS:") / 1024,
	       rss_kb("VmHWM:") / 1024);
	owner_index_free(ix);
	ipam_cache_free(cache);
	profile_free(prof);
	store_close(st);
	char p2[80];
	unlink(path);
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	return 0;
}
