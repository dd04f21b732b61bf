#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/test.h"
#include "core/text.h"

static void key_is(const char *in, const char *want)
{
	char *k;
	if (text_nfkc_key(in, &k) != 0)
		fail_msg("no key for \"%s\"", in);
	if (strcmp(k, want) != 0)
		fail_msg("key of \"%s\" is \"%s\", want \"%s\"", in, k, want);
	free(k);
}

static void test_keys(void **state)
{
	(void)state;
	/* full-width brackets, letters and digits are their ASCII forms */
	key_is("城关镇（一）", "城关镇(一)");
	key_is("城关镇(一)", "城关镇(一)");
	key_is("ＡＢＣ", "abc");
	key_is("ABC", "abc");
	key_is("第１中学", "第1中学");
	/* blanks: U+3000, NBSP, tabs; runs are one space, none at the ends */
	key_is("  县\u3000\u3000财政局 ", "县财政局");
	key_is("县\u00a0财政局", "县财政局");
	key_is("A\t \tB", "a b");
	key_is("Tongbai\u3000\u00a0ISP", "tongbai isp");
	key_is("ABC 公司", "abc公司");
	key_is("中国 Mobile", "中国mobile");
	/* Kangxi radicals and CJK compatibility ideographs are the ideographs */
	key_is("桐柏县\u2f54利局", "桐柏县水利局");
	key_is("\uf900", "\u8c48");
	/* compatibility characters and composed forms */
	key_is("㈱", "(株)");
	key_is("e\u0301", "\u00e9");
	key_is("Ⅻ", "xii");
	/* default-ignorable characters drop out of the key */
	key_is("城\u200b关\u200d镇", "城关镇");
	key_is("", "");
	key_is(" \u3000 ", "");
	/* not UTF-8 */
	char *k = (char *)1;
	assert_int_equal(text_nfkc_key("\xff\xfe", &k), -1);
	assert_null(k);
}

static void refused(const char *s, const char *want)
{
	struct zw_err err = {0};
	if (text_name_check(s, "name", "单位名称", &err) == 0)
		fail_msg("accepted \"%s\"", s);
	assert_int_equal(err.code, ZW_EINVALID);
	assert_string_equal(err.field, "name");
	if (!strstr(err.message, want))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", s, err.message, want);
}

static void test_names(void **state)
{
	(void)state;
	struct zw_err err = {0};
	const char *good[] = {"城关镇人民政府",
	                      "县财政局（国库科）",
	                      "ＡＢＣ公司",
	                      "张 三",
	                      " 前后空格 ",
	                      "O'Brien",
	                      "",
	                      "\U00020000字"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (text_name_check(good[i], "name", "单位名称", &err) != 0)
			fail_msg("refused \"%s\": %s", good[i], err.message);
	refused(" ", "空格");
	refused("\u3000\u3000", "空格");
	refused("\u00a0", "空格");
	refused("\u200b", "不可见");
	refused("\u200b\u200c\u200d", "不可见");
	refused("县\ufeff财政局", "U+FEFF");
	refused("县\u00ad财政局", "不可见");
	refused("\u3164", "不可见");
	refused("县\u2028财政局", "不可见");
	refused("\u202e局政财县", "方向");
	refused("县\u2066财政局\u2069", "U+2066");
	refused("县\u200f财政局", "方向");
	refused("县\u061c财政局", "方向");
	refused("县\xc2\x85财政局", "控制");
	refused("县\xc2\x9b财政局", "控制");
	refused("县\t财政局", "控制");
	refused("\xff", "UTF-8");
}

static void test_trim(void **state)
{
	(void)state;
	const char *p;
	size_t n;
	text_trim("\u3000 县财政局\u00a0 ", &p, &n);
	assert_int_equal(n, strlen("县财政局"));
	assert_memory_equal(p, "县财政局", n);
	text_trim("张 三", &p, &n);
	assert_int_equal(n, strlen("张 三"));
	text_trim("   ", &p, &n);
	assert_int_equal(n, 0);
	text_trim("", &p, &n);
	assert_int_equal(n, 0);
}

/* A cut never splits a character: ASCII, 2-, 3- and 4-byte characters at every cut. */
static void test_utf8_cut(void **state)
{
	(void)state;
	const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"
	                "b"; /* a é 中 😀 b */
	static const size_t want[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 11, 11, 11};
	for (size_t max = 0; max < sizeof(want) / sizeof(want[0]); max++)
		assert_int_equal(utf8_cut(s, max), want[max]);
	assert_int_equal(utf8_cut("", 5), 0);
	char buf[64];
	snprintf(buf, sizeof(buf), "“%.*s”", CUT("城关镇人民政府", 8));
	assert_string_equal(buf, "“城关”");
}

int main(void)
{
	RUN(cmocka_unit_test(test_keys), cmocka_unit_test(test_names), cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_utf8_cut));
}
