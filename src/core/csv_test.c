#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/test.h"

struct rows {
	char out[2048];
	int lines[16];
	int n;
};

static int collect(int line, char **f, size_t n, void *vctx)
{
	struct rows *r = vctx;
	r->lines[r->n++] = line;
	for (size_t i = 0; i < n; i++) {
		strcat(r->out, f[i]);
		strcat(r->out, i + 1 < n ? "|" : "\n");
	}
	return 0;
}

static void expect(const char *in, const char *out, int rc_want)
{
	struct rows r;
	memset(&r, 0, sizeof(r));
	struct zw_err err = {0};
	int rc = csv_parse(in, strlen(in), collect, &r, &err);
	if ((rc != 0) != rc_want)
		fail_msg("rc %d for %s (%s)", rc, in, err.message);
	if (!rc_want)
		assert_string_equal(r.out, out);
}

static void test_csv(void **state)
{
	(void)state;
	expect("a,b,c\n1,2,3\n", "a|b|c\n1|2|3\n", 0);
	expect("\xEF\xBB\xBFname,mac\r\nx,\"aa:bb\"\r\n", "name|mac\nx|aa:bb\n", 0);
	expect("a,\"b,c\",\"d\"\"e\"\n", "a|b,c|d\"e\n", 0);
	expect("a,\"line1\nline2\",c\n", "a|line1\nline2|c\n", 0);
	expect("a,b\n\n1,2", "a|b\n1|2\n", 0); /* blank line skipped, no final newline */
	expect("a,,c\n", "a||c\n", 0);
	expect("\"unclosed,1\n", "", 1);
	expect("\"a\"b,1\n", "", 1);
	expect("a,\xff\n", "", 1);
	struct rows r;
	memset(&r, 0, sizeof(r));
	struct zw_err err = {0};
	assert_int_equal(csv_parse("h\n\"x\ny\"\nz\n", 9, collect, &r, &err), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.lines[2], 4); /* the record after a two-line cell starts on line 4 */
}

int main(void)
{
	RUN(cmocka_unit_test(test_csv));
}
