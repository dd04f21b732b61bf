#include <stdlib.h>
#include <string.h>

#include "core/test.h"
#include "domain/ipam/ipam.h"
#include "domain/testdb.h"

/* The address plan is the whole CSV or a 413: under every maximum short of it, never a plan
 * that stops after some of its rows (the rows' writer stopped the scan, which took that for
 * the end of the rows and answered the CSV so far). */
static void test_plan_csv_whole_or_refused(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	static const char *const cidrs[] = {"10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16",
	                                    "2001:db8::/32"};
	struct zw_err err = {0};
	for (size_t i = 0; i < sizeof(cidrs) / sizeof(cidrs[0]); i++) {
		struct prefix p = {.cidr = (char *)cidrs[i], .status = (char *)"container"};
		int64_t id;
		if (prefix_create(&t.x, NULL, &p, &id, &err))
			fail_msg("%s: %s", cidrs[i], err.message);
	}
	struct buf whole;
	buf_init(&whole, 1u << 20);
	assert_int_equal(ipam_plan_csv(&t.x, &whole, &err), 0);
	for (size_t i = 0; i < sizeof(cidrs) / sizeof(cidrs[0]); i++)
		assert_non_null(strstr(whole.p, cidrs[i]));
	for (size_t max = 0; max < whole.len; max++) {
		struct buf b;
		buf_init(&b, max);
		zw_err_clear(&err);
		int rc = ipam_plan_csv(&t.x, &b, &err);
		if (rc != -ZW_ETOOLARGE)
			fail_msg("maximum %zu of %zu: rc %d, CSV:\n%s", max, whole.len, rc,
			         b.p ? b.p : "");
		assert_non_null(strstr(err.message, "地址规划"));
		buf_free(&b);
	}
	struct buf b;
	buf_init(&b, whole.len);
	assert_int_equal(ipam_plan_csv(&t.x, &b, &err), 0);
	assert_string_equal(b.p, whole.p);
	buf_free(&b);
	buf_free(&whole);
	testdb_close(&t);
}

int main(void)
{
	RUN(cmocka_unit_test(test_plan_csv_whole_or_refused));
}
