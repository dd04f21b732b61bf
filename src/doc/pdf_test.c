/* doc_pdf, read back with poppler's pdftotext and pdfinfo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/test.h"
#include "doc/doc.h"

#if defined(__SANITIZE_ADDRESS__)
#define ZW_TEST_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZW_TEST_LSAN 1
#endif
#endif
#ifdef ZW_TEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define MAX_PDF (64u << 20)

/* What a command prints; it must succeed. */
static char *run(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	struct buf b;
	buf_init(&b, MAX_PDF);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	assert_int_equal(pclose(f), 0);
	char *s = buf_take(&b, NULL);
	assert_non_null(s);
	return s;
}

static char *pdf_text(const char *path)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
	return run(cmd);
}

static int pdf_pages(const char *path)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
	char *info = run(cmd);
	const char *p = strstr(info, "\nPages:");
	assert_non_null(p);
	int n = atoi(p + strlen("\nPages:"));
	free(info);
	return n;
}

/* d as a PDF, read back: its text (returned) and its number of pages. */
static char *render(const struct doc *d, int *pages)
{
	struct buf b;
	char path[] = "/tmp/zwnet-pdf-test-XXXXXX";
	buf_init(&b, MAX_PDF);
	assert_int_equal(doc_pdf(d, &b), 0);
	assert_true(b.len > 5 && memcmp(b.p, "%PDF-", 5) == 0);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.p, b.len), (ssize_t)b.len);
	assert_int_equal(close(fd), 0);
	buf_free(&b);
	char *text = pdf_text(path);
	*pages = pdf_pages(path);
	unlink(path);
	return text;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" not in the PDF's text", needle);
}

static char *without_spaces(const char *s)
{
	char *t = strdup(s), *q = t;
	assert_non_null(t);
	for (; *s; s++)
		if (*s != ' ')
			*q++ = *s;
	*q = 0;
	return t;
}

/* pdftotext keeps or drops the narrow spaces around the digits of "第 1 页" as it likes */
static void assert_has_page_number(const char *text, const char *number)
{
	char *t = without_spaces(text), *n = without_spaces(number);
	assert_has(t, n);
	free(t);
	free(n);
}

/* The application form of TB 附件1, roughly: a label column spanning five rows, colspans, and
 * an opinion box with a date at its foot. */
static void form_table(struct doc *d)
{
	static const int widths[6] = {12, 14, 20, 14, 20, 20};
	struct doc_table *t = doc_table(d, 6, widths);
	doc_cell(d, t, 0, 0, 1, 1, DOC_LABEL, "申请单位");
	doc_cell(d, t, 0, 1, 1, 5, 0, "桐柏县数据局");
	doc_cell(d, t, 1, 0, 5, 1, DOC_LABEL, "申请内容");
	doc_cell(d, t, 1, 1, 1, 1, DOC_LABEL, "网络类型");
	doc_cell(d, t, 1, 2, 1, 1, 0, "电子政务外网");
	doc_cell(d, t, 1, 3, 1, 1, DOC_LABEL, "接入方式");
	doc_cell(d, t, 1, 4, 1, 2, 0, "光纤专线");
	doc_cell(d, t, 2, 1, 1, 1, DOC_LABEL, "带宽");
	doc_cell(d, t, 2, 2, 1, 1, 0, "100 Mbit/s");
	doc_cell(d, t, 2, 3, 1, 1, DOC_LABEL, "地址数量");
	doc_cell(d, t, 2, 4, 1, 2, 0, "8");
	doc_cell(d, t, 3, 1, 1, 1, DOC_LABEL, "用途");
	doc_cell(d, t, 3, 2, 1, 4, 0, "不动产登记业务系统访问省级平台");
	doc_cell(d, t, 4, 1, 1, 1, DOC_LABEL, "联系人");
	doc_cell(d, t, 4, 2, 1, 1, 0, "张三");
	doc_cell(d, t, 4, 3, 1, 1, DOC_LABEL, "电话");
	doc_cell(d, t, 4, 4, 1, 2, 0, "0377-12345678");
	doc_cell(d, t, 5, 1, 1, 1, DOC_LABEL, "备注");
	doc_cell(d, t, 5, 2, 1, 4, 0, "");
	doc_cell(d, t, 6, 0, 1, 1, DOC_LABEL, "单位意见");
	struct doc_cell *c = doc_cell(d, t, 6, 1, 1, 5, 0, "同意接入。\n（盖章）");
	assert_non_null(c);
	doc_cell_foot(d, c, "2026 年 11 月 23 日");
	c->min_lines = 4;
}

static void test_form_every_block(void **state)
{
	(void)state;
	struct doc d;
	int pages;
	doc_init(&d, "电子政务外网接入申请表");
	doc_set_footer(&d, "桐柏县电子政务外网 · 生成于 2026-11-23");
	doc_add(&d, DOC_CAPTION, 0, "附件1");
	doc_add(&d, DOC_TITLE, 0, "电子政务外网接入申请表");
	doc_add(&d, DOC_META, 0, "编号：TB-2026-0042　状态：已提交");
	doc_add(&d, DOC_PARA, DOC_INDENT,
	        "根据《桐柏县电子政务外网管理办法》，现申请接入电子政务外网。\n第二段。");
	doc_add(&d, DOC_PARA, DOC_BOLD | DOC_CENTER, "一、基本情况");
	form_table(&d);
	doc_add(&d, DOC_PAIR, 0, "甲方：桐柏县数据局\t乙方：桐柏县自然资源局");
	doc_add(&d, DOC_PARA, DOC_RIGHT, "右对齐的一行");
	doc_add(&d, DOC_SIGN, 0, "桐柏县数据局\n2026 年 11 月 24 日");
	doc_add(&d, DOC_NOTE, 0, "依据：TB-13 申请应在三个工作日内审核。");
	assert_false(d.broken);
	char *text = render(&d, &pages);
	assert_int_equal(pages, 1);
	assert_has(text, "电子政务外网接入申请表");
	assert_has(text, "附件1");
	assert_has(text, "桐柏县自然资源局");
	assert_has(text, "不动产登记业务系统访问省级平台");
	assert_has(text, "2026 年 11 月 23 日"); /* the foot; the signature says 24 */
	assert_has(text, "2026 年 11 月 24 日");
	assert_has(text, "桐柏县电子政务外网 · 生成于 2026-11-23");
	assert_has(text, "TB-13");
	assert_has(text, "TB-2026-0042");
	assert_has_page_number(text, "第 1 页 共 1 页");
	free(text);
	doc_free(&d);
}

/* Numbered sentences of 23 characters and 4 digits each, so that a lost line shows. */
static char *long_text(int sentences, const char *end)
{
	struct buf b;
	buf_init(&b, MAX_PDF);
	for (int i = 0; i < sentences; i++)
		assert_int_equal(
		    buf_printf(&b, "（%04d）建设内容包括网络接入、安全防护与运行维护。", i), 0);
	assert_int_equal(buf_puts(&b, end), 0);
	return buf_take(&b, NULL);
}

/* Every numbered sentence appears, in order. */
static void assert_sentences(const char *text, int sentences)
{
	const char *p = text;
	for (int i = 0; i < sentences; i++) {
		char num[16];
		snprintf(num, sizeof(num), "%04d", i);
		const char *q = strstr(p, num);
		if (!q)
			fail_msg("sentence %s lost", num);
		p = q + strlen(num);
	}
}

static void test_long_cell_splits_across_pages(void **state)
{
	(void)state;
	static const int widths[2] = {18, 82};
	struct doc d;
	int pages;
	char *plan = long_text(261, "CELLENDMARK"); /* 6000 characters */
	doc_init(&d, "方案");
	doc_set_footer(&d, "PAGEFOOTER");
	doc_add(&d, DOC_TITLE, 0, "接入方案");
	struct doc_table *t = doc_table(&d, 2, widths);
	doc_cell(&d, t, 0, 0, 1, 1, DOC_LABEL, "单位");
	doc_cell(&d, t, 0, 1, 1, 1, 0, "桐柏县数据局");
	doc_cell(&d, t, 1, 0, 2, 1, DOC_LABEL, "方案");
	doc_cell(&d, t, 1, 1, 1, 1, 0, plan);
	doc_cell_foot(&d, doc_cell(&d, t, 2, 1, 1, 1, 0, "审核意见：同意"), "FOOTMARK");
	doc_add(&d, DOC_PARA, 0, "TRAILINGPARAMARK");
	assert_false(d.broken);
	assert_true(strlen(plan) > 6000 * 3);
	char *text = render(&d, &pages);
	assert_true(pages >= 3);
	assert_sentences(text, 261);
	assert_has(text, "CELLENDMARK");
	assert_has(text, "FOOTMARK");
	assert_has(text, "TRAILINGPARAMARK");
	assert_true(strstr(text, "CELLENDMARK") < strstr(text, "TRAILINGPARAMARK"));
	/* the footer on every page, numbered */
	assert_int_equal(count(text, "PAGEFOOTER"), (size_t)pages);
	char last[64];
	snprintf(last, sizeof(last), "第 %d 页 共 %d 页", pages, pages);
	assert_has_page_number(text, last);
	free(text);
	free(plan);
	doc_free(&d);
}

static void test_long_paragraph_flows(void **state)
{
	(void)state;
	struct doc d;
	int pages;
	char *body = long_text(200, "\nPARAENDMARK");
	doc_init(&d, "长文");
	doc_add(&d, DOC_PARA, DOC_INDENT, body);
	doc_add(&d, DOC_SIGN, 0, "SIGNMARK");
	char *text = render(&d, &pages);
	assert_true(pages >= 2);
	assert_sentences(text, 200);
	assert_has(text, "PARAENDMARK");
	assert_has(text, "SIGNMARK");
	assert_has_page_number(text, "第 2 页 共");
	free(text);
	free(body);
	doc_free(&d);
}

static void test_text_is_not_markup(void **state)
{
	(void)state;
	static const int widths[1] = {100};
	struct doc d;
	int pages;
	doc_init(&d, "<b>&amp;");
	doc_add(&d, DOC_PARA, 0, "PARA<b>&amp;</b>");
	struct doc_table *t = doc_table(&d, 1, widths);
	doc_cell(&d, t, 0, 0, 1, 1, 0, "CELL<i>x</i>");
	char *text = render(&d, &pages);
	assert_has(text, "PARA<b>&amp;</b>");
	assert_has(text, "CELL<i>x</i>");
	free(text);
	doc_free(&d);
}

/* A builder's mistake, or the buffer's maximum reached while writing: an error, and nothing
 * half written. */
static void test_failures(void **state)
{
	(void)state;
	struct doc d;
	struct buf b;
	doc_init(&d, "失败");
	doc_add(&d, DOC_PARA, 0, "正文");
	buf_init(&b, MAX_PDF);
	d.broken = 1;
	assert_int_equal(doc_pdf(&d, &b), -1);
	assert_int_equal(b.len, 0);
	d.broken = 0;
	buf_free(&b);
	buf_init(&b, 100);
	assert_int_equal(doc_pdf(&d, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	buf_init(&b, MAX_PDF);
	assert_int_equal(doc_pdf(&d, &b), 0);
	assert_true(b.len > 100);
	buf_free(&b);
	doc_free(&d);
}

/* Several PDFs in one process lose nothing: what cairo, pango and fontconfig keep between PDFs
 * is released by doc_pdf_exit, and LeakSanitizer (tests/lsan.supp names no library) finds no
 * leak. Runs last: the caches are gone after it. */
static void test_many_pdfs_leave_nothing(void **state)
{
	(void)state;
	for (int i = 0; i < 6; i++) {
		struct doc d;
		struct buf b;
		doc_init(&d, "多份文档");
		doc_add(&d, DOC_TITLE, 0, "标题 Title");
		doc_add(&d, DOC_PARA, 0, i % 2 ? "正文，English 123" : "另一份正文：第二页");
		doc_add(&d, DOC_CAPTION, 0, "附件");
		buf_init(&b, MAX_PDF);
		assert_int_equal(doc_pdf(&d, &b), 0);
		buf_free(&b);
		doc_free(&d);
	}
	doc_pdf_exit();
	doc_pdf_exit(); /* a second call does nothing */
#ifdef ZW_TEST_LSAN
	assert_int_equal(__lsan_do_recoverable_leak_check(), 0);
#endif
}

int main(void)
{
	RUN(cmocka_unit_test(test_form_every_block),
	    cmocka_unit_test(test_long_cell_splits_across_pages),
	    cmocka_unit_test(test_long_paragraph_flows), cmocka_unit_test(test_text_is_not_markup),
	    cmocka_unit_test(test_failures), cmocka_unit_test(test_many_pdfs_leave_nothing));
}
