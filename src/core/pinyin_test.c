#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/pinyin.h"
#include "core/test.h"

static void initials(const char *s, const char *want)
{
	char got[64];
	pinyin_initials(s, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("pinyin_initials(\"%s\") = \"%s\", want \"%s\"", s, got, want);
}

static void test_names(void **state)
{
	(void)state;
	initials("城关镇", "cgz");
	initials("县教育局", "xjyj");
	initials("桐柏县城关镇人民政府", "tbxcgzrmzf");
	/* ASCII letters and digits kept and lowered; blanks, punctuation and other scripts not */
	initials("第1高级中学（A区）", "d1gjzxaq");
	initials("ABC 政务外网-2", "abczwww2");
	initials("Ωé ", "");
	initials("", "");
	/* Extension A has readings too; a character without one gives nothing */
	assert_int_equal(pinyin_initial(0x3400), 'q'); /* 㐀 qiū */
	assert_int_equal(pinyin_initial(0x4DC0), 0);   /* ䷀, a hexagram */
	assert_int_equal(pinyin_initial('a'), 0);
	assert_int_equal(pinyin_initial(0x20000), 0); /* Extension B: not in the table */
}

static void test_bounded_and_invalid(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(pinyin_initials("城关镇人民政府", out, sizeof(out)), 3);
	assert_string_equal(out, "cgz");
	assert_int_equal(pinyin_initials("城关", out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(pinyin_initials("x", out, 0), 0);
	/* a broken sequence is skipped, what follows is read */
	initials("\xe5\x9f\x8e\xe5\x85", "c");
	initials("\xff城\xc0\xaf关\xed\xa0\x80镇", "cgz");
}

/* Every row of the shipped table is well formed and the table covers both blocks whole. */
static void test_table(void **state)
{
	(void)state;
	const struct embed_file *f = embed_find("data/pinyin/initials.tsv");
	assert_non_null(f);
	unsigned next = 0x3400, rows = 0, none = 0;
	for (const char *p = f->data; *p;) {
		const char *eol = strchr(p, '\n');
		assert_non_null(eol);
		if (*p != '#') {
			char *tab;
			unsigned cp = (unsigned)strtoul(p, &tab, 16);
			assert_true(tab > p && *tab == '\t');
			if (cp == 0x4E00 && next == 0x4DC0)
				next = 0x4E00;
			assert_int_equal(cp, next);
			for (const char *q = tab + 1; q < eol; q++) {
				assert_true((*q >= 'a' && *q <= 'z') || *q == '-');
				none += *q == '-';
				next++;
			}
			rows++;
		}
		p = eol + 1;
	}
	assert_int_equal(next, 0xA000);
	assert_true(rows > 400);
	assert_true(none < 2000); /* most characters have a reading */
}

int main(void)
{
	RUN(cmocka_unit_test(test_names), cmocka_unit_test(test_bounded_and_invalid),
	    cmocka_unit_test(test_table));
}
