/*
 * watch_bench: the rules on the wire, on one core, against a county's registers.
 *
 * Opens a database prepared by bench/watch.sh (units with their subnets, terminals with
 * their addresses), builds the rules' index the way the server does, and runs N observations
 * through watch_observe in the server's chunks of 256: 90% ARP replies of registered
 * terminals at their own address, 5% at another address of their unit (私改IP), 5% from MACs
 * in no register. Prints the index build time, observations per second and findings raised.
 * Usage: watch_bench DB [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "store/store.h"
#include "watch/watch.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct term {
	uint8_t mac[6];
	u128 ip;
};

/* The registered terminals, read back from the database the script filled. */
static struct term *terminals(const char *db, size_t *n)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd),
	         "sqlite3 -separator ' ' '%s' 'SELECT mac, ip FROM terminals"
	         " WHERE ip IS NOT NULL'",
	         db);
	FILE *p = popen(cmd, "r");
	size_t cap = 1024;
	struct term *v = malloc(cap * sizeof(*v));
	char mac[32], ip[64];
	*n = 0;
	while (p && fscanf(p, "%31s %63s", mac, ip) == 2) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		unsigned b[6];
		int fam;
		if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) !=
		        6 ||
		    inet_parse_addr(ip, &fam, &v[*n].ip) < 0)
			continue;
		for (int i = 0; i < 6; i++)
			v[*n].mac[i] = (uint8_t)b[i];
		++*n;
	}
	if (p)
		pclose(p);
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: watch_bench DB [N]\n");
		return 2;
	}
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 5000000;
	log_init(LOG_LVL_WARN, stderr);
	struct zw_err err = {0};
	struct store *st;
	if (store_open(argv[1], &st, &err)) {
		fprintf(stderr, "watch_bench: %s\n", err.message);
		return 1;
	}
	size_t nt;
	struct term *t = terminals(argv[1], &nt);
	if (!nt) {
		fprintf(stderr, "watch_bench: no terminals with addresses in %s\n", argv[1]);
		return 1;
	}
	struct watch w;
	struct watch_params wp;
	watch_params_default(&wp);
	watch_init(&w, &wp, "");
	double t0 = now_s();
	if (watch_refresh(&w, st, &err)) {
		fprintf(stderr, "watch_bench: %s\n", err.message);
		return 1;
	}
	double built = now_s() - t0;
	/* the observations, made before the clock starts */
	struct obs *o = calloc((size_t)n, sizeof(*o));
	uint64_t x = 88172645463325252ull;
	for (long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		const struct term *r = &t[x % nt];
		struct obs *b = &o[i];
		b->kind = OBS_ARP;
		b->op = OBS_OP_REPLY;
		b->family = 4;
		b->has_mac = b->has_ip = true;
		b->at_us = 1795000000000000 + i * 10; /* 100,000 per second of wire time */
		memcpy(b->mac, r->mac, 6);
		b->ip = r->ip;
		int kind = (int)((x >> 32) % 100);
		if (kind < 5)
			b->ip = r->ip + 100; /* another address of its unit's subnet */
		else if (kind < 10)
			b->mac[0] = 0x0a, b->mac[5] ^= 0x5a; /* in no register */
	}
	struct finding *found = malloc(256 * WATCH_MAX_PER_OBS * sizeof(*found));
	size_t raised = 0;
	t0 = now_s();
	for (long at = 0; at < n; at += 256) {
		size_t k = n - at < 256 ? (size_t)(n - at) : 256, nf, over;
		watch_observe(&w, NULL, o + at, k, NULL, found, 256 * WATCH_MAX_PER_OBS, &nf,
		              &over);
		raised += nf;
	}
	double secs = now_s() - t0;
	printf(
	    "rules engine: %zu terminals indexed in %.0f ms; %ld observations in %.2f s on one core"
	    " = %.2f million/s (target >= 1); %zu findings raised\n",
	    nt, built * 1000, n, secs, (double)n / secs / 1e6, raised);
	free(found);
	free(o);
	free(t);
	watch_free(&w);
	store_close(st);
	return 0;
}
