#include <string.h>

#include "core/conf.h"
#include "core/test.h"

static int parse(const char *text, struct conf_doc *doc, struct zw_err *err)
{
	memset(err, 0, sizeof(*err));
	return conf_parse("t.conf", text, strlen(text), doc, err);
}

static void test_syntax(void **state)
{
	(void)state;
	struct conf_doc doc;
	struct zw_err err;
	const char *text = "# comment\n"
	                   "top = 1\n"
	                   "[clause TB-13]\n"
	                   "article = 13\n"
	                   "text = <<END\n"
	                   "  第十三条 line one\n"
	                   "line two\n"
	                   "END\n"
	                   "summary =   spaced value  \n";
	assert_int_equal(parse(text, &doc, &err), 0);
	assert_int_equal(doc.n, 2);
	assert_string_equal(conf_str(&doc.sections[0], "top", ""), "1");
	const struct conf_section *s = &doc.sections[1];
	assert_string_equal(s->type, "clause");
	assert_string_equal(s->name, "TB-13");
	assert_int_equal(s->line, 3);
	assert_string_equal(conf_str(s, "text", ""), "  第十三条 line one\nline two");
	assert_int_equal(conf_get(s, "text")->line, 5);
	assert_string_equal(conf_str(s, "summary", ""), "spaced value");
	conf_free(&doc);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	struct conf_doc doc;
	struct zw_err err;
	assert_int_not_equal(parse("a = 1\n[broken\n", &doc, &err), 0);
	assert_non_null(strstr(err.message, "t.conf:2:"));
	conf_free(&doc);
	assert_int_not_equal(parse("a = 1\nno equals here\n", &doc, &err), 0);
	assert_non_null(strstr(err.message, "t.conf:2:"));
	conf_free(&doc);
	assert_int_not_equal(parse("[x]\nt = <<EOT\nnever closed\n", &doc, &err), 0);
	assert_non_null(strstr(err.message, "t.conf:2:"));
	conf_free(&doc);
	assert_int_not_equal(parse("a = \xff\n", &doc, &err), 0);
	conf_free(&doc);
}

static const struct conf_key keys[] = {{"n", CONF_INT, true, false},
                                       {"d", CONF_DATE, false, false},
                                       {"b", CONF_BOOL, false, false},
                                       {"m", CONF_TEXT, false, true},
                                       {NULL, 0, 0, 0}};
static const struct conf_schema schemas[] = {{"item", true, 1, 2, keys}, {NULL, 0, 0, 0, NULL}};

static void want_check(const char *text, const char *where)
{
	struct conf_doc doc;
	struct zw_err err;
	int rc = parse(text, &doc, &err);
	if (rc == 0)
		rc = conf_check(&doc, schemas, &err);
	if (!where) {
		assert_int_equal(rc, 0);
	} else {
		assert_int_not_equal(rc, 0);
		if (!strstr(err.message, where))
			fail_msg("expected %s in %s", where, err.message);
	}
	conf_free(&doc);
}

static void test_schema(void **state)
{
	(void)state;
	want_check("[item a]\nn = 1\nm = x\nm = y\n", NULL);
	want_check("[item a]\nn = 1\nzz = 2\n", "t.conf:3:");
	want_check("[item a]\nd = 2026-01-01\n", "t.conf:1:");        /* missing n */
	want_check("[item a]\nn = x\n", "t.conf:2:");                 /* type */
	want_check("[item a]\nn = 1\nd = 2026-02-30\n", "t.conf:3:"); /* bad date */
	want_check("[item a]\nn = 1\nb = maybe\n", "t.conf:3:");
	want_check("[item a]\nn = 1\nn = 2\n", "t.conf:3:");           /* duplicate */
	want_check("[item a]\nn = 1\n[item a]\nn = 2\n", "t.conf:3:"); /* duplicate section */
	want_check("[other]\n", "t.conf:1:");
	want_check("[item]\nn = 1\n", "t.conf:1:"); /* needs a name */
	want_check("[item a]\nn=1\n[item b]\nn=1\n[item c]\nn=1\n", "t.conf:5:");
	want_check("x = 1\n[item a]\nn = 1\n", "t.conf:1:");
}

static void test_split(void **state)
{
	(void)state;
	char v[] = " TB-13 , TB-15,,TB-6 ";
	char *items[8];
	assert_int_equal(conf_split(v, items, 8), 3);
	assert_string_equal(items[0], "TB-13");
	assert_string_equal(items[2], "TB-6");
}

int main(void)
{
	RUN(cmocka_unit_test(test_syntax), cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_schema), cmocka_unit_test(test_split));
}
