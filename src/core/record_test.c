#include <stdlib.h>
#include <string.h>

#include "core/record.h"
#include "core/test.h"
#include "domain/unit.h"

static int check(const char *json, bool create, const char *field)
{
	json_error_t je;
	json_t *o = json_loads(json, 0, &je);
	assert_non_null(o);
	struct contact c = {0};
	struct zw_err err = {0};
	uint64_t present;
	int rc = rec_from_json(&contact_schema, o, create, &c, &present, &err);
	json_decref(o);
	contact_free(&c);
	if (field) {
		assert_int_not_equal(rc, 0);
		if (strcmp(err.field, field) != 0)
			fail_msg("field %s, wanted %s (%s)", err.field, field, err.message);
		assert_true(err.message[0] != 0);
	} else if (rc) {
		fail_msg("unexpected error on %s: %s", err.field, err.message);
	}
	return rc;
}

static void test_contact_fields(void **state)
{
	(void)state;
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\",\"mobile\":\"13800001234\"}", true, NULL);
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\"}", true, "mobile");
	check("{\"role\":\"保安\",\"name\":\"王丽\",\"mobile\":\"13800001234\"}", true, "role");
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\",\"mobile\":\"1380000\"}", true, "mobile");
	check("{\"role\":\"安全联系人\",\"name\":123,\"mobile\":\"13800001234\"}", true, "name");
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\",\"mobile\":\"13800001234\",\"x\":1}",
	      true, "x");
	check("{\"id\":5}", false, "id");
	check("{\"email\":\"not-an-email\"}", false, "email");
	check("{\"name\":\"\"}", false, "name");
	check("{\"name\":null}", false, "name");
	check("{\"name\":\"a\\u0001b\"}", false, "name");
	/* 31 characters is one too many for a name (30). */
	check("{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"}",
	      false, "name");
	check("{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\"}", false,
	      NULL);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct unit u = {.id = 3,
	                 .name = "桐柏县财政局",
	                 .type = "党政机关",
	                 .level = "县直",
	                 .status = "已接入",
	                 .rev = 2};
	json_t *o = rec_to_json(&unit_schema, &u);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "桐柏县财政局");
	assert_true(json_is_null(json_object_get(o, "parent_id")));
	assert_int_equal(json_integer_value(json_object_get(o, "rev")), 2);
	json_decref(o);
}

/* The text writer and the jansson path give the same object, escapes included. */
static void test_text_writer_matches(void **state)
{
	(void)state;
	struct unit u = {.id = 3,
	                 .name = "桐柏县\"财政\\局\n\t\x01",
	                 .type = "党政机关",
	                 .level = "县直",
	                 .address = "人民路 </script>",
	                 .status = "已接入",
	                 .status_at = 1790000000,
	                 .parent_id = 9,
	                 .rev = 2};
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(rec_write_json(&b, &unit_schema, &u), 0);
	json_error_t je;
	json_t *parsed = json_loadb(b.p, b.len, 0, &je);
	if (!parsed)
		fail_msg("not JSON: %s (%s)", b.p, je.text);
	json_t *want = rec_to_json(&unit_schema, &u);
	assert_true(json_equal(parsed, want));
	json_decref(parsed);
	json_decref(want);
	buf_free(&b);
}

int main(void)
{
	RUN(cmocka_unit_test(test_contact_fields), cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_text_writer_matches));
}
