#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/test.h"

/* A failed append is sticky: a caller that does not check every append still cannot produce
 * "12389" from "123", "4567" (too long) and "89"; it finds the failure once, at the end. */
static void test_failure_is_sticky(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "123"), 0);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_puts(&b, "456789"), -1); /* 9 bytes past a maximum of 8 */
	assert_true(buf_failed(&b));
	assert_string_equal(b.p, "123");
	/* each kind of append fails from now on, though it would fit, and writes nothing */
	assert_int_equal(buf_puts(&b, "89"), -1);
	assert_int_equal(buf_append(&b, "8", 1), -1);
	assert_int_equal(buf_append(&b, "", 0), -1);
	assert_int_equal(buf_printf(&b, "%d", 8), -1);
	assert_int_equal(buf_reserve(&b, 1), -1);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.p, "123");
	assert_true(buf_failed(&b));
	/* reset starts again */
	buf_reset(&b);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_string_equal(b.p, "12345678");
	assert_int_equal(buf_printf(&b, "%s", "9"), -1);
	assert_true(buf_failed(&b));
	assert_string_equal(b.p, "12345678");
	/* so does init */
	buf_free(&b);
	assert_true(buf_failed(&b)); /* freeing forgets the bytes, not the failure */
	buf_init(&b, 8);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_puts(&b, "89"), 0);
	assert_string_equal(b.p, "89");
	buf_free(&b);
}

/* The fast paths (room left in the allocation) fail the same way. */
static void test_failure_with_room_left(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 100);
	assert_int_equal(buf_reserve(&b, 10), 0); /* 256 bytes allocated, capped at 101 */
	assert_int_equal(buf_printf(&b, "%s", "abc"), 0);
	char big[120];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(buf_printf(&b, "%s", big), -1);
	assert_string_equal(b.p, "abc");
	assert_int_equal(buf_append(&b, "d", 1), -1); /* inline path: room, but failed */
	assert_int_equal(buf_printf(&b, "d"), -1);
	assert_string_equal(b.p, "abc");
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

/* The first append past the maximum: no bytes at all, and still a text to take. */
static void test_take_after_failure(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "12345"), -1);
	assert_true(buf_failed(&b));
	size_t len = 9;
	char *s = buf_take(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	assert_false(buf_failed(&b)); /* taking resets */
	assert_int_equal(buf_puts(&b, "1234"), 0);
	free(buf_take(&b, NULL));
}

/* buf_check: the one check at the end, as the error the API answers (413, naming what). */
static void test_check(void **state)
{
	(void)state;
	struct buf b;
	struct zw_err err = {0};
	buf_init(&b, 16u << 20);
	buf_puts(&b, "ok");
	assert_int_equal(buf_check(&b, &err, "ACL 文本"), 0);
	assert_int_equal(err.code, 0);
	b.failed = true;
	assert_int_equal(buf_check(&b, &err, "ACL 文本"), -ZW_ETOOLARGE);
	assert_int_equal(zw_err_status(err.code), 413);
	assert_string_equal(err.message, "ACL 文本超过 16 MB 的上限");
	buf_free(&b);
	zw_err_clear(&err);
	buf_init(&b, 4096);
	buf_puts(&b, "a");
	static const char page[4096];
	buf_append(&b, page, sizeof(page)); /* one byte past the maximum */
	assert_int_equal(buf_check(&b, &err, "SQL"), -ZW_ETOOLARGE);
	assert_string_equal(err.message, "SQL超过 4 KB 的上限");
	buf_free(&b);
	zw_err_clear(&err);
	buf_init(&b, 10);
	buf_puts(&b, "12345678901");
	assert_int_equal(buf_check(&b, &err, "名称"), -ZW_ETOOLARGE);
	assert_string_equal(err.message, "名称超过 10 字节的上限");
	buf_free(&b);
}

/* A buffer without a maximum (SIZE_MAX) grows: its capacity is not cut to SIZE_MAX + 1 (0). */
static void test_unbounded(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, "%04d,", i), 0);
	assert_int_equal(b.len, 5000);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.p + 4995, "0999,", 6);
	assert_false(buf_failed(&b));
	buf_free(&b);
}

int main(void)
{
	RUN(cmocka_unit_test(test_failure_is_sticky), cmocka_unit_test(test_failure_with_room_left),
	    cmocka_unit_test(test_take_after_failure), cmocka_unit_test(test_check),
	    cmocka_unit_test(test_unbounded));
}
