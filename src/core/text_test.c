#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/parse.h"
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

/* A cut never splits a character: ASCII, 2-, 3- and 4-byte characters at every cut, max 0,
 * strings shorter than max. */
static void test_utf8_cut(void **state)
{
	(void)state;
	const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"
	                "b"; /* a é 中 😀 b */
	static const size_t want[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 11, 11, 11};
	for (size_t max = 0; max < sizeof(want) / sizeof(want[0]); max++)
		if (utf8_cut(s, max) != want[max])
			fail_msg("utf8_cut(s, %zu) = %zu, want %zu", max, utf8_cut(s, max),
			         want[max]);
	assert_int_equal(utf8_cut("", 0), 0);
	assert_int_equal(utf8_cut("", 5), 0);
	assert_int_equal(utf8_cut("abc", 0), 0);
	assert_int_equal(utf8_cut("abc", 2), 2);
	assert_int_equal(utf8_cut("abc", 3), 3);
	assert_int_equal(utf8_cut("abc", 100), 3);
	assert_int_equal(utf8_cut("中", 2), 0);
	assert_int_equal(utf8_cut("中", 3), 3);
	char buf[64];
	snprintf(buf, sizeof(buf), "“%.*s”", CUT("城关镇人民政府", 8));
	assert_string_equal(buf, "“城关”");
	/* the issue: a long Chinese title quoted to 40 bytes keeps 13 characters, not 13⅓ */
	const char *title = "县政务服务和大数据管理局网络安全管理员";
	assert_int_equal(utf8_cut(title, 40), 39);
}

/* A buffer of exactly max bytes with no NUL: nothing at or past max is read (ASan sees a read
 * past the allocation), and the answer is the same as for the NUL-terminated text. */
static void test_utf8_cut_unterminated(void **state)
{
	(void)state;
	const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"
	                "b";
	for (size_t max = 1; max <= strlen(s); max++) {
		char *b = malloc(max);
		assert_non_null(b);
		memcpy(b, s, max);
		if (utf8_cut(b, max) != utf8_cut(s, max))
			fail_msg("unterminated cut at %zu: %zu, want %zu", max, utf8_cut(b, max),
			         utf8_cut(s, max));
		free(b);
	}
}

/* Bytes that are not UTF-8 count one each: a cut keeps them rather than dropping what follows,
 * and drops a lead byte whose character does not fit. */
static void test_utf8_cut_invalid(void **state)
{
	(void)state;
	assert_int_equal(utf8_cut("\x80\x80\x80\x80\x80", 4), 4); /* continuation bytes only */
	assert_int_equal(utf8_cut("a\x80", 2), 2);                /* stray continuation */
	assert_int_equal(utf8_cut("ab\xe4", 3), 2);               /* lead byte at the end */
	assert_int_equal(utf8_cut("\xff\xfe", 1), 1);             /* never a lead byte */
	assert_int_equal(utf8_cut("\xc0\xaf", 1), 1);             /* overlong lead */
	assert_int_equal(utf8_cut("\xe4\xb8\xad\x80", 4), 4);     /* one continuation too many */
}

static bool valid(const char *s)
{
	return utf8_valid(s, strlen(s), false);
}

/* text_printf into every buffer size: the text kept is a prefix ending on a whole character,
 * as long as one can be, and the return value is the length of the whole text. */
static void test_text_printf(void **state)
{
	(void)state;
	const char *unit = "A县城关镇人民政府😀é";
	char whole[128];
	int len = snprintf(whole, sizeof(whole), "单位“%s”已存在", unit);
	for (size_t size = 1; size <= (size_t)len + 1; size++) {
		char buf[128];
		memset(buf, 'x', sizeof(buf));
		int n = text_printf(buf, size, "单位“%s”已存在", unit);
		assert_int_equal(n, len);
		size_t kept = strlen(buf);
		if (kept >= size || !valid(buf) || strncmp(buf, whole, kept) != 0 ||
		    kept != utf8_cut(whole, size - 1))
			fail_msg("size %zu kept \"%s\" (%zu bytes)", size, buf, kept);
	}
	char one[4];
	assert_int_equal(text_printf(one, sizeof(one), "%s", "中文"), 6);
	assert_string_equal(one, "中");
	assert_int_equal(text_printf(one, 0, "%s", "中文"), 6);
	assert_int_equal(text_printf(one, 2, "%s", "中文"), 6);
	assert_string_equal(one, "");
}

int main(void)
{
	RUN(cmocka_unit_test(test_keys), cmocka_unit_test(test_names), cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_utf8_cut), cmocka_unit_test(test_utf8_cut_unterminated),
	    cmocka_unit_test(test_utf8_cut_invalid), cmocka_unit_test(test_text_printf));
}
