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

/* A field or message longer than its buffer ends with the last whole character that fits, not
 * with a split one patched to '?'. */
static void test_long_text_cut_between_characters(void **state)
{
	(void)state;
	char name[700] = "A";
	for (size_t i = 0; i < 200; i++)
		strcat(name, "镇");
	struct zw_err err = {0};
	zw_errf(&err, ZW_ECONFLICT, name, "单位名称“%s”已存在", name);
	assert_int_equal(strlen(err.field), 1 + 20 * 3);
	assert_memory_equal(err.field, name, strlen(err.field));
	assert_null(strchr(err.message, '?'));
	assert_true(utf8_valid(err.message, strlen(err.message), false));
	assert_true(strlen(err.message) > sizeof(err.message) - 4);
}

int main(void)
{
	RUN(cmocka_unit_test(test_cut_quote_stays_utf8),
	    cmocka_unit_test(test_long_text_cut_between_characters));
}
