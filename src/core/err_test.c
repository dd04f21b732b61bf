#include <string.h>

#include "core/err.h"
#include "core/parse.h"
#include "core/test.h"

/* A message quoting a value cut to a length ("%.4s") never carries a split character: the
 * API answers it as JSON, which needs valid UTF-8 (it was a 500 before). */
static void test_cut_quote_stays_utf8(void **state)
{
	(void)state;
	struct zw_err err = {0};
	zw_errf(&err, ZW_EINVALID, "f\xe6\xb5", "“%.4s”不是有效的 IP 地址", "测测测");
	assert_true(utf8_valid(err.message, strlen(err.message), false));
	assert_true(utf8_valid(err.field, strlen(err.field), false));
	assert_non_null(strstr(err.message, "测?"));
	assert_string_equal(err.field, "f??");
	zw_err_clear(&err);
	zw_errf(&err, ZW_EINVALID, NULL, "%s", "ok 测试 \xf0\x9f\x98\x80 \xed\xa0\x80 \xc0\xaf");
	assert_string_equal(err.message, "ok 测试 \xf0\x9f\x98\x80 ??? ??");
}

int main(void)
{
	RUN(cmocka_unit_test(test_cut_quote_stays_utf8));
}
