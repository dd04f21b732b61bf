#include <string.h>

#include "core/parse.h"
#include "core/test.h"

static void test_integers(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_int_equal(parse_i64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_i64("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(parse_i64("101", 0, 100, &v), -1);
	assert_int_equal(parse_i64("4x", 0, 100, &v), -1);
	assert_int_equal(parse_i64("", 0, 100, &v), -1);
	assert_int_equal(parse_i64(" 4", 0, 100, &v), -1);
	assert_int_equal(parse_i64("99999999999999999999", INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(v, -5); /* untouched on failure */
	uint32_t u;
	assert_int_equal(parse_u32("-1", 0, 10, &u), -1);
	assert_int_equal(parse_u32("+1", 0, 10, &u), -1);
	assert_int_equal(parse_u32("10", 0, 10, &u), 0);
}

static void test_dates(void **state)
{
	(void)state;
	int32_t d;
	char out[11];
	assert_int_equal(parse_date("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(parse_date("2024-02-29", &d), 0);
	format_date(d, out);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(parse_date("2026-02-29", &d), -1);
	assert_int_equal(parse_date("1900-02-29", &d), -1);
	assert_int_equal(parse_date("2000-02-29", &d), 0);
	assert_int_equal(parse_date("2026-13-01", &d), -1);
	assert_int_equal(parse_date("2026-1-01", &d), -1);
	assert_int_equal(parse_date("2026-11-31", &d), -1);
	/* Every day from 1990 to 2100 round-trips. */
	for (int32_t k = days_from_civil(1990, 1, 1); k < days_from_civil(2100, 1, 1); k++) {
		format_date(k, out);
		assert_int_equal(parse_date(out, &d), 0);
		assert_int_equal(d, k);
	}
}

static void test_times(void **state)
{
	(void)state;
	int64_t t;
	char out[32];
	assert_int_equal(parse_time("2026-11-23T08:00:00+08:00", &t), 0);
	format_time(t, out);
	assert_string_equal(out, "2026-11-23T00:00:00Z");
	assert_int_equal(parse_time("2026-11-23T00:00:00Z", &t), 0);
	assert_int_equal(parse_time("2026-11-23", &t), 0);
	assert_int_equal(parse_time("2026-11-23T24:00:00Z", &t), -1);
	assert_int_equal(parse_time("2026-11-23T10:00:00", &t), -1);
	assert_int_equal(parse_time("2026-11-23T10:00:00+8", &t), -1);
}

static void test_utf8(void **state)
{
	(void)state;
	const char *good = "桐柏县 abc";
	assert_true(utf8_valid(good, strlen(good), false));
	assert_int_equal(utf8_chars("桐柏县"), 3);
	assert_false(utf8_valid("\xc0\xaf", 2, false));         /* overlong '/' */
	assert_false(utf8_valid("\xe0\x80\xaf", 3, false));     /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3, false));     /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4, false)); /* past U+10FFFF */
	assert_false(utf8_valid("\xe6\xa1", 2, false));         /* truncated */
	assert_false(utf8_valid("a\x01", 2, false));
	assert_false(utf8_valid("a\nb", 3, false));
	assert_true(utf8_valid("a\nb", 3, true));
	assert_false(utf8_valid("a\0b", 3, true));
}

static void test_formats(void **state)
{
	(void)state;
	assert_true(mobile_cn_valid("13800001234"));
	assert_false(mobile_cn_valid("12800001234"));
	assert_false(mobile_cn_valid("1380000123"));
	assert_false(mobile_cn_valid("1380000123a"));
	assert_false(mobile_cn_valid("+8613800001234"));
	assert_true(email_valid("wang.li@example.com"));
	assert_false(email_valid("wang@li@example.com"));
	assert_false(email_valid("wang@example"));
	assert_false(email_valid("wang@.example.com"));
	assert_false(email_valid("wang@example..com"));
	assert_true(filename_valid("保密协议-扫描件.pdf"));
	assert_false(filename_valid("../etc/passwd"));
	assert_false(filename_valid("a/b.pdf"));
	assert_false(filename_valid("a\\b.pdf"));
	assert_false(filename_valid(".hidden"));
	assert_false(filename_valid(""));
	assert_false(filename_valid("a\nb.pdf"));
}

static void test_list_word(void **state)
{
	(void)state;
	char w[8];
	assert_true(list_word("authority, manager", 0, w, sizeof(w)));
	assert_string_equal(w, "authori"); /* cut to the buffer */
	assert_true(list_word(" authority ,manager", 1, w, sizeof(w)));
	assert_string_equal(w, "manager");
	assert_false(list_word("authority, manager", 2, w, sizeof(w)));
	assert_false(list_word("", 0, w, sizeof(w)));
	assert_false(list_word(NULL, 0, w, sizeof(w)));
	/* membership: whole words only, either separator, the end of the list too */
	assert_true(list_has("已提交 审核中", "审核中"));
	assert_true(list_has(" authority ,manager", "authority"));
	assert_false(list_has("已提交 审核中", "审核"));
	assert_false(list_has("open notified", "notifie"));
	assert_false(list_has(NULL, "open"));
}

static void test_mac(void **state)
{
	(void)state;
	const char *same[] = {"aa:bb:cc:0d:ee:ff", "AA-BB-CC-0D-EE-FF", "aabb.cc0d.eeff",
	                      "aabb-cc0d-eeff",    "AABBCC0DEEFF",      "Aa:bB:cC:0d:Ee:fF"};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		uint8_t m[6];
		char out[18];
		if (parse_mac(same[i], m) != 0)
			fail_msg("refused %s", same[i]);
		format_mac(m, out);
		assert_string_equal(out, "aa:bb:cc:0d:ee:ff");
	}
	const char *bad[] = {
	    "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:fg",    "aa:bb-cc:dd:ee:ff", "aabb.ccdd-eeff",
	    "aabbccddeef",    "aa:bb:cc:dd:ee:ff:00", "a:bb:cc:dd:ee:fff", "",
	    "gggggggggggg"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t m[6];
		if (parse_mac(bad[i], m) == 0)
			fail_msg("accepted %s", bad[i]);
	}
}

int main(void)
{
	RUN(cmocka_unit_test(test_integers), cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_times), cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_formats), cmocka_unit_test(test_mac),
	    cmocka_unit_test(test_list_word));
}
