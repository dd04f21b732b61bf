#include <string.h>

#include "core/inet.h"
#include "core/test.h"

static void prefix_ok(const char *in, const char *out, int len)
{
	struct inet_prefix p;
	char s[INET_PREFIX_MAX];
	if (inet_parse_prefix(in, false, &p) != 0)
		fail_msg("refused %s", in);
	inet_format_prefix(&p, s);
	assert_string_equal(s, out);
	assert_int_equal(p.len, len);
}

static void test_parse(void **state)
{
	(void)state;
	prefix_ok("10.0.0.0/8", "10.0.0.0/8", 8);
	prefix_ok("0.0.0.0/0", "0.0.0.0/0", 0);
	prefix_ok("192.168.1.7/32", "192.168.1.7/32", 32);
	prefix_ok("2001:DB8::/32", "2001:db8::/32", 32);
	prefix_ok("2001:db8:0:0:0:0:0:0/48", "2001:db8::/48", 48);
	struct inet_prefix p;
	const char *bad[] = {"10.0.0.1/8",     "10.0.0.0/33",  "10.0.0/8",        "010.0.0.0/8",
	                     "10.0.0.0/08",    "10.0.0.0",     "10.0.0.0/",       "10.0.0.256/32",
	                     "2001:db8::/129", "::/0",         "fe80::1%eth0/64", "10.0.0.0/-1",
	                     " 10.0.0.0/8",    "1.2.3.4.5/32", "2001:db8::1/64"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (inet_parse_prefix(bad[i], false, &p) == 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(inet_parse_prefix("10.1.2.3/8", true, &p), 0);
	char s[INET_PREFIX_MAX];
	inet_format_prefix(&p, s);
	assert_string_equal(s, "10.0.0.0/8");
}

static void test_math(void **state)
{
	(void)state;
	struct inet_prefix a, b, c;
	inet_parse_prefix("10.0.0.0/8", false, &a);
	inet_parse_prefix("10.20.0.0/16", false, &b);
	inet_parse_prefix("11.0.0.0/8", false, &c);
	assert_true(inet_contains(&a, &b));
	assert_false(inet_contains(&b, &a));
	assert_false(inet_overlap(&a, &c));
	assert_true(inet_overlap(&a, &b));
	assert_int_equal(inet_len_for_hosts(4, 1), 29);
	assert_int_equal(inet_len_for_hosts(4, 5), 29);
	assert_int_equal(inet_len_for_hosts(4, 6), 28);
	assert_int_equal(inet_len_for_hosts(4, 253), 24);
	assert_int_equal(inet_len_for_hosts(4, 254), 23);
	assert_int_equal(inet_len_for_hosts(6, 1000), 64);
	assert_int_equal(inet_len_for_hosts(4, 0), -1);
	uint8_t bytes[16];
	inet_to_bytes(b.net, bytes);
	assert_true(inet_from_bytes(bytes) == b.net);
	char n[40];
	u128_format((u128)1 << 100, n);
	assert_string_equal(n, "1267650600228229401496703205376");
}

int main(void)
{
	RUN(cmocka_unit_test(test_parse), cmocka_unit_test(test_math));
}
