#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/test.h"
#include "core/xlsx.h"
#include "core/xlsx_write.h"

struct rows {
	struct buf out;
	int n, last;
};

static int collect(int line, char **f, size_t n, void *vctx)
{
	struct rows *r = vctx;
	r->n++;
	r->last = line;
	buf_printf(&r->out, "%d:", line);
	for (size_t i = 0; i < n; i++)
		buf_printf(&r->out, "%s%s", f[i], i + 1 < n ? "|" : "\n");
	return 0;
}

/* What the writer writes, the reader reads back: two sheets (one hidden), Chinese text, empty
 * cells, text that looks like numbers, characters XML cannot hold, a cell set twice, many
 * rows; the sheets in order with their names; the writer's drop-down and frozen row do not
 * disturb the reading. */
static void test_write_read(void **state)
{
	(void)state;
	struct xlsx_book *b = xlsx_book_new();
	int s = xlsx_sheet_add(b, "终端/登记:表", false);
	int h = xlsx_sheet_add(b, "选项", true);
	xlsx_cell(b, s, 0, 0, "MAC 地址", XLSX_HEAD);
	xlsx_cell(b, s, 0, 2, "使用人", XLSX_HEAD);
	xlsx_cell(b, s, 1, 0, "00:1a:2b:3c:4d:5e", 0);
	xlsx_cell(b, s, 1, 2, "张三 & <李四>", XLSX_WRAP);
	xlsx_cell(b, s, 2, 0, "0571", 0);
	xlsx_cell(b, s, 2, 1, "bad\x01\xff", 0);
	xlsx_cell(b, s, 2, 1, "second", 0);
	for (unsigned i = 3; i < 1203; i++) {
		char v[16];
		snprintf(v, sizeof(v), "r%u", i);
		xlsx_cell(b, s, i, 0, v, 0);
	}
	xlsx_cell(b, h, 0, 0, "是", 0);
	xlsx_freeze_rows(b, s, 1);
	xlsx_col_width(b, s, 0, 20);
	xlsx_list_validation(b, s, 1, 1, 100, "选项!$A$1:$A$2");
	struct buf out;
	buf_init(&out, 1u << 26);
	struct zw_err err = {0};
	assert_int_equal(xlsx_book_write(b, &out, &err), 0);
	xlsx_book_free(b);

	struct xlsx_sheet_info *sh;
	size_t n;
	assert_int_equal(xlsx_sheets(out.p, out.len, NULL, &sh, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(sh[0].name, "终端_登记_表");
	assert_false(sh[0].hidden);
	assert_string_equal(sh[1].name, "选项");
	assert_true(sh[1].hidden);
	xlsx_sheets_free(sh, n);

	struct rows r = {0};
	buf_init(&r.out, 1u << 20);
	assert_int_equal(xlsx_parse_sheet(out.p, out.len, NULL, 0, collect, &r, NULL, NULL, &err),
	                 0);
	assert_int_equal(r.n, 1203);
	assert_int_equal(r.last, 1203);
	assert_non_null(strstr(r.out.p, "1:MAC 地址||使用人\n2:00:1a:2b:3c:4d:5e||张三 & <李四>\n"
	                                "3:0571|second\n4:r3\n"));
	buf_free(&r.out);
	r = (struct rows){0};
	buf_init(&r.out, 1u << 20);
	assert_int_equal(xlsx_parse_sheet(out.p, out.len, NULL, 1, collect, &r, NULL, NULL, &err),
	                 0);
	assert_string_equal(r.out.p, "1:是\n");
	buf_free(&r.out);
	assert_int_not_equal(
	    xlsx_parse_sheet(out.p, out.len, NULL, 2, collect, &r, NULL, NULL, &err), 0);
	assert_string_equal(err.field, "sheet");
	buf_free(&out);
}

/* A sheet as a spreadsheet program writes it: merged ranges, a date style (built in and
 * custom), numbers with a fraction or an exponent that are whole. */
static void test_merges_dates_numbers(void **state)
{
	(void)state;
	const char *dir = getenv("ZWNET_SRCDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/fuzz/corpus/xlsx/s3.xlsx", dir ? dir : ".");
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char data[1 << 16];
	size_t len = fread(data, 1, sizeof(data), f);
	fclose(f);
	struct zw_err err = {0};
	struct rows r = {0};
	buf_init(&r.out, 1u << 20);
	struct xlsx_merge *m;
	size_t nm;
	/* sheet 0 is 填表说明; the data are on sheet 1 */
	assert_int_equal(xlsx_parse_sheet(data, len, NULL, 1, collect, &r, &m, &nm, &err), 0);
	assert_string_equal(r.out.p, "1:终端登记表\n"
	                             "2:单位|MAC|日期|VLAN|电话\n"
	                             "3:城关镇|a|2025-10-31|100|13800138000\n"
	                             "4:|b|2025-11-01 08:30|101\n");
	assert_int_equal(nm, 2);
	assert_int_equal(m[0].r1, 1);
	assert_int_equal(m[0].r2, 1);
	assert_int_equal(m[0].c1, 0);
	assert_int_equal(m[0].c2, 4);
	assert_int_equal(m[1].r1, 3);
	assert_int_equal(m[1].r2, 4);
	assert_int_equal(m[1].c1, 0);
	assert_int_equal(m[1].c2, 0);
	free(m);
	buf_free(&r.out);
}

int main(void)
{
	RUN(cmocka_unit_test(test_write_read), cmocka_unit_test(test_merges_dates_numbers));
}
