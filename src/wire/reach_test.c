#include <stdio.h>
#include <string.h>

#include "core/test.h"
#include "wire/reach.h"

/* Loopback only: every 127.0.0.0/8 address is this host's and answers the echo. */
static void test_many_on_loopback(void **state)
{
	(void)state;
	enum { N = 600 };
	static struct reach_target t[N + 2];
	for (int i = 0; i < N; i++)
		snprintf(t[i].addr, sizeof(t[i].addr), "127.0.%d.%d", i / 250, i % 250 + 1);
	snprintf(t[N].addr, sizeof(t[N].addr), "::1");
	snprintf(t[N + 1].addr, sizeof(t[N + 1].addr), "10.1.1");
	struct reach_opts o = {.timeout_ms = 2000};
	int up = reach_check(t, N + 2, &o);
	assert_int_equal(up, N + 1);
	for (int i = 0; i <= N; i++) {
		assert_true(t[i].up);
		assert_string_equal(t[i].how, "icmp");
		assert_true(t[i].rtt_us >= 0 && t[i].rtt_us < 2000000);
	}
	assert_false(t[N + 1].up);
	assert_non_null(strstr(t[N + 1].error, "不是 IP 地址"));
}

int main(void)
{
	RUN(cmocka_unit_test(test_many_on_loopback));
}
