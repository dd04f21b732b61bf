#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "api/conn_guard.h"
#include "core/test.h"

static struct conn_source v4(const char *a)
{
	struct sockaddr_in in = {0};
	in.sin_family = AF_INET;
	in.sin_port = htons(40000);
	assert_int_equal(inet_pton(AF_INET, a, &in.sin_addr), 1);
	struct conn_source k;
	assert_int_equal(conn_source_of((struct sockaddr *)&in, sizeof(in), &k), 0);
	return k;
}

static struct conn_source v6(const char *a, uint16_t port)
{
	struct sockaddr_in6 in = {0};
	in.sin6_family = AF_INET6;
	in.sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, a, &in.sin6_addr), 1);
	struct conn_source k;
	assert_int_equal(conn_source_of((struct sockaddr *)&in, sizeof(in), &k), 0);
	return k;
}

static bool same(struct conn_source a, struct conn_source b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void test_source_keys(void **state)
{
	(void)state;
	char t[48];
	/* IPv4: one source per address */
	assert_true(same(v4("192.0.2.7"), v4("192.0.2.7")));
	assert_false(same(v4("192.0.2.7"), v4("192.0.2.8")));
	conn_source_text((struct conn_source[]){v4("192.0.2.7")}, t);
	assert_string_equal(t, "192.0.2.7");
	/* IPv6: one source per /64, whatever the interface identifier and port */
	assert_true(same(v6("2001:db8:1:2::1", 1), v6("2001:db8:1:2:ffff:ffff:ffff:ffff", 2)));
	assert_true(same(v6("2001:db8:1:2:aa:bb:cc:dd", 1), v6("2001:db8:1:2::", 1)));
	assert_false(same(v6("2001:db8:1:2::1", 1), v6("2001:db8:1:3::1", 1)));
	assert_false(same(v6("2001:db8:1:2::1", 1), v6("2001:db9:1:2::1", 1)));
	conn_source_text((struct conn_source[]){v6("2001:db8:1:2:aa:bb:cc:dd", 1)}, t);
	assert_string_equal(t, "2001:db8:1:2::/64");
	assert_true(same(v6("::1", 1), v6("::2", 1))); /* ::/64 */
	/* an IPv4-mapped address is its IPv4 host, not the /64 ::ffff:0:0 that all of them share */
	assert_true(same(v6("::ffff:192.0.2.7", 1), v4("192.0.2.7")));
	assert_false(same(v6("::ffff:192.0.2.7", 1), v6("::ffff:192.0.2.8", 1)));
	/* an IPv6 /64 whose first bytes spell an IPv4 address is not that address */
	assert_false(same(v6("c000:207::", 1), v4("192.0.2.7")));
	/* neither IPv4 nor IPv6, or too short */
	struct sockaddr sa = {.sa_family = AF_UNIX};
	struct conn_source k;
	assert_int_equal(conn_source_of(&sa, sizeof(sa), &k), -1);
	assert_int_equal(conn_source_of(NULL, 0, &k), -1);
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	assert_int_equal(conn_source_of((struct sockaddr *)&in6, 8, &k), -1);
}

static void test_source_table(void **state)
{
	(void)state;
	struct source_table *t = source_table_new(16);
	assert_non_null(t);
	struct conn_source a = v4("192.0.2.1"), b = v6("2001:db8::1", 1), c = v6("2001:db8::2", 1);
	assert_int_equal(source_table_add(t, &a), 1);
	assert_int_equal(source_table_add(t, &a), 2);
	assert_int_equal(source_table_add(t, &b), 1);
	assert_int_equal(source_table_add(t, &c), 2); /* b and c: one /64 */
	assert_int_equal(source_table_size(t), 2);
	assert_int_equal(source_table_get(t, &a), 2);
	source_table_del(t, &a);
	source_table_del(t, &a);
	assert_int_equal(source_table_get(t, &a), 0);
	assert_int_equal(source_table_size(t), 1); /* a's entry is gone */
	/* letting go of a source not counted: the counts have drifted, abort naming the check */
	assert_aborts(source_table_del(t, &a), "conn_guard.c:");
	assert_aborts(source_table_del(t, &a), "invariant broken: n && n->count > 0");
	assert_int_equal(source_table_get(t, &b), 2);
	/* many sources in few buckets: chains, and each leaves when its count is 0 */
	char ip[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 256, i % 256);
		struct conn_source k = v4(ip);
		assert_int_equal(source_table_add(t, &k), 1);
	}
	assert_int_equal(source_table_size(t), 3001);
	for (int i = 0; i < 3000; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 256, i % 256);
		struct conn_source k = v4(ip);
		assert_int_equal(source_table_get(t, &k), 1);
		source_table_del(t, &k);
	}
	assert_int_equal(source_table_size(t), 1);
	source_table_free(t); /* frees what is left (LeakSanitizer checks) */
	source_table_free(NULL);
}

static void test_guard_accept_policy(void **state)
{
	(void)state;
	/* without MHD: the accept policy against counts the table holds */
	struct conn_guard_cfg cfg = {
	    .header_timeout = 10, .request_timeout = 60, .max_per_source = 2};
	struct conn_guard *g = conn_guard_new(&cfg);
	assert_non_null(g);
	struct sockaddr_in in = {.sin_family = AF_INET};
	inet_pton(AF_INET, "192.0.2.1", &in.sin_addr);
	assert_int_equal(conn_guard_accept(g, (struct sockaddr *)&in, sizeof(in)), MHD_YES);
	struct sockaddr sa = {.sa_family = AF_UNIX};
	assert_int_equal(conn_guard_accept(g, &sa, sizeof(sa)), MHD_YES); /* no source to count */
	size_t conns, sources;
	conn_guard_counts(g, &conns, &sources);
	assert_int_equal(conns, 0); /* the policy counts nothing: STARTED does */
	assert_int_equal(sources, 0);
	conn_guard_free(g);
	conn_guard_free(NULL);
}

int main(void)
{
	RUN(cmocka_unit_test(test_source_keys), cmocka_unit_test(test_source_table),
	    cmocka_unit_test(test_guard_accept_policy));
}
