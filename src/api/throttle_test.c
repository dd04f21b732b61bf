#include <stdio.h>

#include "api/throttle.h"
#include "core/inet.h"
#include "core/test.h"

static const struct throttle_cfg cfg = {
    .slots = 64,
    .pair_free = 5,
    .source_free = 20,
    .base_delay_s = 15,
    .max_delay_s = 900,
    .window_s = 900,
};

static enum throttle_verdict check(struct throttle *t, const char *acct, const char *src,
                                   int64_t now, unsigned *wait)
{
	unsigned w;
	enum throttle_verdict v = throttle_check(t, acct, src, now, &w);
	if (wait)
		*wait = w;
	return v;
}

/* Five wrong passwords from one place lock that place out of the account, not the account:
 * the real user from elsewhere gets in. */
static void test_pair_not_account(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(&cfg);
	struct throttle_fail_info fi;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(check(t, "admin", "10.0.0.66", 1000, NULL), THR_OK);
		throttle_fail(t, "admin", "10.0.0.66", 1000, &fi);
		assert_int_equal(fi.locked_s, 0);
	}
	assert_int_equal(check(t, "admin", "10.0.0.66", 1000, NULL), THR_OK);
	throttle_fail(t, "admin", "10.0.0.66", 1000, &fi); /* the fifth locks */
	assert_int_equal(fi.pair_failures, 5);
	assert_int_equal(fi.locked_s, 15);
	unsigned wait;
	assert_int_equal(check(t, "admin", "10.0.0.66", 2000, &wait), THR_LOCKED);
	assert_int_equal(wait, 14);
	assert_int_equal(check(t, "admin", "10.0.0.7", 2000, NULL), THR_OK);
	assert_int_equal(check(t, "ops", "10.0.0.66", 2000, NULL), THR_OK);
	throttle_free(t);
}

/* Each failure past the free ones doubles the lock, up to the longest. */
static void test_growing_delay(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(&cfg);
	struct throttle_fail_info fi;
	int64_t now = 0;
	unsigned want[] = {0, 0, 0, 0, 15, 30, 60, 120, 240, 480, 900, 900};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned wait;
		assert_int_equal(check(t, "admin", "10.0.0.66", now, &wait), THR_OK);
		throttle_fail(t, "admin", "10.0.0.66", now, &fi);
		assert_int_equal(fi.locked_s, want[i]);
		now += (int64_t)fi.locked_s * 1000; /* wait the lock out */
	}
	/* a correct password starts the pair afresh */
	throttle_success(t, "admin", "10.0.0.66");
	throttle_fail(t, "admin", "10.0.0.66", now, &fi);
	assert_int_equal(fi.pair_failures, 1);
	/* forgotten a window after the last failure */
	throttle_fail(t, "ops", "10.0.0.66", now, &fi);
	throttle_fail(t, "ops", "10.0.0.66", now + 900 * 1000, &fi);
	assert_int_equal(fi.pair_failures, 1);
	throttle_free(t);
}

/* A source guessing across many accounts is locked as a whole. */
static void test_source_spray(void **state)
{
	(void)state;
	struct throttle_cfg c = cfg;
	c.slots = 4096;
	struct throttle *t = throttle_new(&c);
	struct throttle_fail_info fi;
	for (int i = 0; i < 20; i++) {
		char name[16];
		snprintf(name, sizeof(name), "u%d", i);
		assert_int_equal(check(t, name, "10.0.0.66", 0, NULL), THR_OK);
		throttle_fail(t, name, "10.0.0.66", 0, &fi);
	}
	assert_int_equal(fi.source_failures, 20);
	assert_int_equal(fi.locked_s, 15);
	assert_int_equal(check(t, "admin", "10.0.0.66", 1000, NULL), THR_LOCKED);
	assert_int_equal(check(t, "admin", "10.0.0.67", 1000, NULL), THR_OK);
	throttle_free(t);
}

/* A full table never forgets a live lock: it refuses new pairs instead. */
static void test_full_table_keeps_locks(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(&cfg); /* 64 slots, 48 live at most */
	struct throttle_fail_info fi;
	for (int i = 0; i < 5; i++)
		throttle_fail(t, "admin", "10.0.0.66", 0, &fi);
	assert_int_equal(fi.locked_s, 15);
	int full = 0;
	for (int i = 0; i < 200; i++) {
		char name[16], src[32];
		snprintf(name, sizeof(name), "x%d", i);
		snprintf(src, sizeof(src), "10.1.%d.%d", i / 250, i % 250);
		if (check(t, name, src, 1000, NULL) == THR_FULL) {
			full++;
			continue;
		}
		throttle_fail(t, name, src, 1000, &fi);
	}
	assert_true(full > 0);
	assert_true(throttle_used(t) <= 48);
	assert_int_equal(check(t, "admin", "10.0.0.66", 2000, NULL), THR_LOCKED);
	/* once the entries' window has passed their slots serve again */
	int64_t later = (int64_t)(15 + 900 + 1) * 1000;
	assert_int_equal(check(t, "new", "10.9.9.9", later, NULL), THR_OK);
	throttle_free(t);
}

static void test_refusals_logged_sparingly(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(&cfg);
	struct throttle_fail_info fi;
	for (int i = 0; i < 6; i++)
		throttle_fail(t, "admin", "10.0.0.66", 0, &fi);
	unsigned n;
	assert_true(throttle_refused(t, "admin", "10.0.0.66", 100, &n));
	assert_int_equal(n, 1);
	for (int i = 0; i < 9; i++)
		assert_false(throttle_refused(t, "admin", "10.0.0.66", 200 + i, &n));
	assert_true(throttle_refused(t, "admin", "10.0.0.66", 60100, &n));
	assert_int_equal(n, 10);
	throttle_free(t);
}

static void test_source_key(void **state)
{
	(void)state;
	char a[INET_PREFIX_MAX], b[INET_PREFIX_MAX];
	inet_source_key("2001:db8:1:2::1", a);
	inet_source_key("2001:db8:1:2:ffff:1:2:3", b);
	assert_string_equal(a, "2001:db8:1:2::/64");
	assert_string_equal(a, b);
	inet_source_key("2001:db8:1:3::1", b);
	assert_string_not_equal(a, b);
	inet_source_key("10.1.2.3", a);
	assert_string_equal(a, "10.1.2.3");
	inet_source_key("::ffff:10.1.2.3", b);
	assert_string_equal(b, "10.1.2.3");
	inet_source_key("?", a);
	assert_string_equal(a, "?");
}

int main(void)
{
	RUN(cmocka_unit_test(test_pair_not_account), cmocka_unit_test(test_growing_delay),
	    cmocka_unit_test(test_source_spray), cmocka_unit_test(test_full_table_keeps_locks),
	    cmocka_unit_test(test_refusals_logged_sparingly), cmocka_unit_test(test_source_key));
}
