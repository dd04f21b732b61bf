#include <string.h>

#include "core/calendar.h"
#include "core/parse.h"
#include "core/test.h"

static void due(const char *from, int n, const char *want, bool want_prov)
{
	int32_t d;
	assert_int_equal(parse_date(from, &d), 0);
	bool prov;
	char got[11];
	format_date(calendar_add(d, n, &prov), got);
	if (strcmp(got, want) != 0 || prov != want_prov)
		fail_msg("%s + %d working days: %s%s, want %s%s", from, n, got,
		         prov ? " (provisional)" : "", want, want_prov ? " (provisional)" : "");
}

static void test_shipped_years(void **state)
{
	(void)state;
	struct zw_err err = {0};
	calendar_reset();
	assert_int_equal(calendar_load_shipped(&err), 0);
	/* the examples */
	due("2026-02-12", 3, "2026-02-24",
	    false); /* 02-14 make-up day, 02-15..23 Spring Festival */
	due("2026-09-30", 7, "2026-10-15", false); /* National Day, 10-10 make-up day */
	/* ordinary weeks and year boundaries */
	due("2026-11-23", 1, "2026-11-24", false);
	due("2026-11-27", 1, "2026-11-30", false); /* Friday -> Monday */
	due("2025-12-31", 1, "2026-01-04", false); /* 元旦 01-01..03; 01-04 is a Sunday worked */
	due("2024-12-31", 1, "2025-01-02", false);
	due("2026-12-30", 3, "2027-01-04", true); /* 2027's arrangement is not announced yet */
	const char *name;
	bool prov;
	int32_t d;
	parse_date("2026-02-14", &d);
	assert_true(calendar_is_working(d, &name, &prov));
	assert_string_equal(name, "春节");
	parse_date("2026-10-01", &d);
	assert_false(calendar_is_working(d, &name, &prov));
	assert_string_equal(name, "国庆节");
	assert_false(prov);
	assert_true(calendar_year_loaded(2026));
	assert_false(calendar_year_loaded(2027));
	assert_false(calendar_year_loaded(2022));
}

static int32_t day_of(const char *s)
{
	int32_t d;
	assert_int_equal(parse_date(s, &d), 0);
	return d;
}

/* What is left of a deadline counts the working days after today up to its due day: over the
 * National Day holiday, the 12 calendar days after 09-30 hold 4 working days (10-08, 10-09,
 * 10-10 made up, 10-12), over the Spring Festival the 11 after 02-13 hold 2 (02-14 made up, 02-24);
 * the due day itself leaves 0; and it undoes calendar_add on every day of the year. */
static void test_working_days_between(void **state)
{
	(void)state;
	struct zw_err err = {0};
	calendar_reset();
	assert_int_equal(calendar_load_shipped(&err), 0);
	assert_int_equal(calendar_between(day_of("2026-09-30"), day_of("2026-10-12")), 4);
	assert_int_equal(calendar_between(day_of("2026-02-13"), day_of("2026-02-24")), 2);
	assert_int_equal(calendar_between(day_of("2026-11-24"), day_of("2026-11-24")), 0);
	assert_int_equal(calendar_between(day_of("2026-11-25"), day_of("2026-11-24")), 0);
	assert_int_equal(calendar_between(day_of("2026-11-27"), day_of("2026-11-30")), 1);
	for (int32_t d = day_of("2026-01-01"); d <= day_of("2026-12-31"); d++)
		for (int n = 0; n <= 10; n++)
			if (calendar_between(d, calendar_add(d, n, NULL)) != n)
				fail_msg("day %d + %d working days: between says %d", (int)d, n,
				         calendar_between(d, calendar_add(d, n, NULL)));
}

static void test_loading_a_year(void **state)
{
	(void)state;
	struct zw_err err = {0};
	calendar_reset();
	calendar_load_shipped(&err);
	const char *y2027 = "{\"year\": 2027, \"days\": ["
	                    "{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true},"
	                    "{\"name\": \"测试\", \"date\": \"2027-01-04\", \"isOffDay\": true}]}";
	int year;
	assert_int_equal(calendar_load(y2027, strlen(y2027), &year, &err), 0);
	assert_int_equal(year, 2027);
	due("2026-12-30", 3, "2027-01-06", false); /* 12-31, 01-05, 01-06: 01-01 and 01-04 off */
	/* loading it again replaces, it does not add */
	const char *again =
	    "{\"year\": 2027, \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\","
	    " \"isOffDay\": true}]}";
	assert_int_equal(calendar_load(again, strlen(again), &year, &err), 0);
	due("2026-12-30", 3, "2027-01-05", false);
	const char *bad[] = {
	    "{\"year\": 2027}",
	    "{\"year\": 99999, \"days\": []}",
	    "{\"year\": 2027, \"days\": [{\"name\": \"x\", \"date\": \"2030-01-01\","
	    " \"isOffDay\": true}]}",
	    "{\"year\": 2027, \"days\": [{\"name\": \"x\", \"date\": \"2027-02-30\","
	    " \"isOffDay\": true}]}",
	    "{\"year\": 2027, \"days\": [{\"date\": \"2027-01-01\"}]}",
	    "not json"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zw_err_clear(&err);
		if (calendar_load(bad[i], strlen(bad[i]), &year, &err) == 0)
			fail_msg("accepted %s", bad[i]);
		assert_true(err.message[0] != 0);
	}
	due("2026-12-30", 3, "2027-01-05", false); /* refusals changed nothing */
}

int main(void)
{
	RUN(cmocka_unit_test(test_shipped_years), cmocka_unit_test(test_loading_a_year),
	    cmocka_unit_test(test_working_days_between));
}
