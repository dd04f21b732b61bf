#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/test.h"
#include "domain/violation/acl.h"

/* A case isolated by every kind of rule: the lines differ in length, so a buffer a little short
 * of the whole text fails on a long line that a later short one ("quit", "return") would fit. */
static json_t *detail(void)
{
	json_t *d = json_loads(
	    "{\"id\": 7, \"unit_id\": 3, \"clause\": \"TB-9\", \"sanction_clause\": null,"
	    " \"isolations\": ["
	    "  {\"id\": 1, \"kind\": \"ip4\", \"value\": \"10.0.0.5\", \"lifted\": null},"
	    "  {\"id\": 2, \"kind\": \"ip6\", \"value\": \"2001:db8:1:2:3:4:5:6\", \"lifted\": "
	    "null},"
	    "  {\"id\": 3, \"kind\": \"mac\", \"value\": \"00:11:22:33:44:55\", \"lifted\": null},"
	    "  {\"id\": 4, \"kind\": \"net4\", \"value\": \"10.1.0.0/24\", \"lifted\": null},"
	    "  {\"id\": 5, \"kind\": \"net6\", \"value\": \"2001:db8:ff::/48\", \"lifted\": null},"
	    "  {\"id\": 6, \"kind\": \"ip4\", \"value\": \"192.168.100.200\", \"lifted\": null}]}",
	    0, NULL);
	assert_non_null(d);
	return d;
}

/* The text a switch is given is the whole text or nothing: under every maximum short of it, the
 * generator fails with 413 naming the ACL, never answers a text with a deny rule missing. */
static void test_short_buffer_fails_whole(void **state)
{
	(void)state;
	json_t *d = detail();
	static const char *const vendors[] = {"vrp", "comware", "ios"};
	static const char *const ops[] = {"apply", "remove"};
	for (size_t vi = 0; vi < 3; vi++)
		for (size_t oi = 0; oi < 2; oi++) {
			struct zw_err err = {0};
			struct buf whole;
			buf_init(&whole, 1u << 20);
			assert_int_equal(acl_render_detail(d, vendors[vi], ops[oi], &whole, &err),
			                 0);
			assert_true(whole.len > 300);
			for (size_t max = 0; max < whole.len; max++) {
				struct buf b;
				buf_init(&b, max);
				zw_err_clear(&err);
				int rc = acl_render_detail(d, vendors[vi], ops[oi], &b, &err);
				if (rc != -ZW_ETOOLARGE)
					fail_msg("%s %s, maximum %zu of %zu: rc %d, text:\n%s",
					         vendors[vi], ops[oi], max, whole.len, rc,
					         b.p ? b.p : "");
				assert_int_equal(zw_err_status(err.code), 413);
				assert_non_null(strstr(err.message, "ACL"));
				buf_free(&b);
			}
			struct buf b;
			buf_init(&b, whole.len); /* exactly the text: fits */
			assert_int_equal(acl_render_detail(d, vendors[vi], ops[oi], &b, &err), 0);
			assert_string_equal(b.p, whole.p);
			buf_free(&b);
			buf_free(&whole);
		}
	json_decref(d);
}

/* The whole text holds a deny rule for each isolation (both directions) and ends the session. */
static void test_whole_text(void **state)
{
	(void)state;
	json_t *d = detail();
	struct zw_err err = {0};
	struct buf b;
	buf_init(&b, 1u << 20);
	assert_int_equal(acl_render_detail(d, "vrp", "apply", &b, &err), 0);
	static const char *const want[] = {
	    "# zwnet violation 7 unit 3 TB-9 isolate\n",
	    " rule 10 deny ip source 10.0.0.5 0\n",
	    " rule 15 deny ip destination 10.0.0.5 0\n",
	    " rule 20 deny ipv6 source 2001:db8:1:2:3:4:5:6/128\n",
	    " rule 30 deny source-mac 0011-2233-4455 ffff-ffff-ffff\n",
	    " rule 40 deny ip source 10.1.0.0 0.0.0.255\n",
	    " rule 55 deny ipv6 destination 2001:db8:ff::/48\n",
	    " rule 65 deny ip destination 192.168.100.200 0\n"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(b.p, want[i]))
			fail_msg("no \"%s\" in:\n%s", want[i], b.p);
	assert_int_equal(strcmp(b.p + b.len - strlen("quit\nreturn\n"), "quit\nreturn\n"), 0);
	buf_free(&b);
	json_decref(d);
}

int main(void)
{
	RUN(cmocka_unit_test(test_short_buffer_fails_whole), cmocka_unit_test(test_whole_text));
}
