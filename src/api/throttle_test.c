#include <stdio.h>

#include "api/throttle.h"
#include "core/test.h"

static void test_window(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(4, 60);
	assert_non_null(t);
	for (int i = 0; i < 5; i++)
		throttle_fail(t, "u:admin", 1000);
	assert_int_equal(throttle_count(t, "u:admin", 2000), 5);
	assert_int_equal(throttle_count(t, "u:other", 2000), 0);
	assert_int_equal(throttle_retry_after(t, "u:admin", 2000), 59);
	/* The window ends: the count starts again. */
	assert_int_equal(throttle_count(t, "u:admin", 61000), 0);
	throttle_fail(t, "u:admin", 62000);
	throttle_clear(t, "u:admin");
	assert_int_equal(throttle_count(t, "u:admin", 62000), 0);
	/* Bounded: more keys than slots reuse the oldest. */
	for (int i = 0; i < 10; i++) {
		char k[16];
		snprintf(k, sizeof(k), "ip:%d", i);
		throttle_fail(t, k, 70000 + i);
	}
	assert_int_equal(throttle_count(t, "ip:9", 70010), 1);
	assert_int_equal(throttle_count(t, "ip:0", 70010), 0);
	throttle_free(t);
}

int main(void)
{
	RUN(cmocka_unit_test(test_window));
}
