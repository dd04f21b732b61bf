#include <stdlib.h>

#include "core/test.h"
#include "domain/ipam/ipam.h"
#include "watch/ipam_index.h"
#include "domain/testdb.h"
#include "store/rec.h"

struct owned {
	struct inet_prefix p;
	int64_t unit;
};

/* The most specific owned prefix holding a, by brute force. */
static int64_t brute(const struct owned *o, size_t n, int family, u128 a)
{
	int best = -1;
	int64_t unit = 0;
	for (size_t i = 0; i < n; i++)
		if (inet_contains_addr(&o[i].p, family, a) && o[i].p.len > best) {
			best = o[i].p.len;
			unit = o[i].unit;
		}
	return unit;
}

static void test_lookup_matches_brute_force(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	int64_t units[4];
	for (int i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "单位%d", i);
		units[i] = testdb_unit(&t, name, NULL);
	}
	struct zw_err err = {0};
	struct ipam_cache *cache = ipam_cache_new();
	/* containers, one of them a unit's own (so owned prefixes nest) */
	struct prefix c1 = {.cidr = "10.0.0.0/16", .status = "container"};
	struct prefix c2 = {.cidr = "10.1.0.0/16", .status = "container", .unit_id = units[3]};
	struct prefix c6 = {.cidr = "2001:db8::/48", .status = "container"};
	int64_t id1, id2, id6, id;
	assert_int_equal(prefix_create(&t.x, cache, &c1, &id1, &err), 0);
	assert_int_equal(prefix_create(&t.x, cache, &c2, &id2, &err), 0);
	assert_int_equal(prefix_create(&t.x, cache, &c6, &id6, &err), 0);
	struct owned o[700];
	size_t n = 0;
	o[n++] = (struct owned){{4, 16, (u128)0x0a010000}, units[3]};
	srand(7);
	for (int i = 0; i < 600; i++) {
		int64_t parent = i % 3 == 0 ? id2 : i % 3 == 1 ? id1 : id6;
		struct alloc_req r = {.unit_id = units[rand() % 3],
		                      .length = parent == id6 ? 56 + rand() % 9 : 24 + rand() % 7};
		if (prefix_allocate(&t.x, cache, parent, 0, &r, &id, &err) != 0)
			fail_msg("allocate: %s", err.message);
		struct prefix got = {0};
		struct sconn *c = store_read(t.st, &err);
		assert_int_equal(
		    store_rec_get(c, "prefixes", &prefix_schema, id, NULL, 0, &got, &err), 0);
		inet_parse_prefix(got.cidr, false, &o[n].p);
		o[n++].unit = r.unit_id;
		rec_free(&prefix_schema, &got);
	}
	struct owner_index *ix;
	assert_int_equal(owner_index_build(store_read(t.st, &err), &ix, &err), 0);
	for (int i = 0; i < 200000; i++) {
		int v6 = i % 4 == 0;
		u128 a =
		    v6 ? (((u128)0x20010db8 << 96) | ((u128)(rand() & 0xffff) << 64) | (u128)rand())
		       : (u128)(0x0a000000u + ((unsigned)rand() & 0x3ffff));
		int64_t unit = 0, pid = 0;
		int hit = owner_index_lookup(ix, v6 ? 6 : 4, a, &unit, &pid);
		int64_t want = brute(o, n, v6 ? 6 : 4, a);
		assert_int_equal(hit, want != 0);
		assert_int_equal(unit, want);
	}
	owner_index_free(ix);
	ipam_cache_free(cache);
	testdb_close(&t);
}

int main(void)
{
	RUN(cmocka_unit_test(test_lookup_matches_brute_force));
}
