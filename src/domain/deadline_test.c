#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/parse.h"
#include "core/test.h"
#include "domain/deadline.h"
#include "domain/testdb.h"
#include "store/rec.h"

static int64_t at(const char *rfc3339)
{
	int64_t t;
	assert_int_equal(parse_time(rfc3339, &t), 0);
	return t;
}

static int64_t start(struct testdb *t, const char *rule, const char *when)
{
	struct store_tx *tx;
	struct zw_err err = {0};
	int64_t id;
	assert_int_equal(store_begin(t->st, &tx, &err), 0);
	if (deadline_start_tx(&t->x, tx, rule, "application", 1, 0, at(when), &id, &err) != 0)
		fail_msg("start: %s", err.message);
	assert_int_equal(store_commit(tx, &err), 0);
	return id;
}

static struct deadline get(struct testdb *t, int64_t id)
{
	struct deadline d = {0};
	struct zw_err err = {0};
	assert_int_equal(store_rec_get(store_read(t->st, &err), "deadlines", &deadline_schema, id,
	                               NULL, 0, &d, &err),
	                 0);
	return d;
}

static void test_working_days_reminder_breach_once(void **state)
{
	(void)state;
	struct testdb t;
	struct zw_err err = {0};
	calendar_reset();
	calendar_load_shipped(&err);
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	/* TB-13: review within 3 working days; submitted Thursday 2026-02-12, 10:00 Beijing */
	int64_t id = start(&t, "access_review", "2026-02-12T10:00:00+08:00");
	struct deadline d = get(&t, id);
	assert_string_equal(d.due_date, "2026-02-24");
	assert_string_equal(d.clause, "TB-13");
	assert_true(d.due_at == at("2026-02-24T23:59:59+08:00"));
	assert_false(d.provisional);
	rec_free(&deadline_schema, &d);
	/* nothing yet; the reminder comes one working day before (02-14 is worked, but the
	 * working day before 02-24 is 02-14 itself: 15..23 are the holiday) */
	assert_int_equal(deadline_tick(t.st, at("2026-02-13T09:00:00+08:00"), 1, 2, &err), 0);
	assert_int_equal(deadline_tick(t.st, at("2026-02-14T09:00:00+08:00"), 1, 2, &err), 1);
	assert_int_equal(deadline_tick(t.st, at("2026-02-20T09:00:00+08:00"), 1, 2, &err), 0);
	/* due day still open; the next morning it is breached, once */
	assert_int_equal(deadline_tick(t.st, at("2026-02-24T23:00:00+08:00"), 1, 2, &err), 0);
	assert_int_equal(deadline_tick(t.st, at("2026-02-25T00:30:00+08:00"), 1, 2, &err), 1);
	assert_int_equal(deadline_tick(t.st, at("2026-02-26T00:30:00+08:00"), 1, 2, &err), 0);
	d = get(&t, id);
	assert_string_equal(d.status, "breached");
	rec_free(&deadline_schema, &d);
	struct sconn *c = store_read(t.st, &err);
	assert_int_equal(store_count(c, "outbox"), 2);
	testdb_close(&t);
}

static void test_pause_extends_by_working_days(void **state)
{
	(void)state;
	struct testdb t;
	struct zw_err err = {0};
	calendar_reset();
	calendar_load_shipped(&err);
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	/* TB-13: the carrier connects within 7 working days, extendable */
	int64_t id = start(&t, "access_implement", "2026-11-02T10:00:00+08:00"); /* a Monday */
	struct deadline d = get(&t, id);
	assert_string_equal(d.due_date, "2026-11-11");
	rec_free(&deadline_schema, &d);
	/* review deadlines may not be paused under TB-13 */
	int64_t review = start(&t, "access_review", "2026-11-02T10:00:00+08:00");
	assert_int_equal(deadline_pause(&t.x, review, "单位未准备好", &err), -ZW_ERULE);
	zw_err_clear(&err);
	assert_int_equal(deadline_pause(&t.x, id, "", &err), -ZW_EINVALID);
	zw_err_clear(&err);
	/* paused on Wednesday 11-04, resumed Monday 11-09: Thu, Fri, Mon were lost (3) */
	setenv("ZWNET_NOW", "2026-11-04T09:00:00+08:00", 1);
	clock_init_from_env();
	assert_int_equal(deadline_pause(&t.x, id, "使用单位机房尚未完工", &err), 0);
	assert_int_equal(deadline_pause(&t.x, id, "again", &err), -ZW_ECONFLICT);
	zw_err_clear(&err);
	/* a paused deadline is never breached (the running review is, once) */
	assert_int_equal(deadline_tick(t.st, at("2026-12-31T00:00:00+08:00"), 1, 2, &err), 1);
	d = get(&t, review);
	assert_string_equal(d.status, "breached");
	rec_free(&deadline_schema, &d);
	d = get(&t, id);
	assert_string_equal(d.status, "paused");
	rec_free(&deadline_schema, &d);
	setenv("ZWNET_NOW", "2026-11-09T09:00:00+08:00", 1);
	clock_init_from_env();
	assert_int_equal(deadline_resume(&t.x, id, &err), 0);
	d = get(&t, id);
	assert_string_equal(d.status, "running");
	assert_string_equal(d.due_date, "2026-11-16");
	rec_free(&deadline_schema, &d);
	struct store_tx *tx;
	assert_int_equal(store_begin(t.st, &tx, &err), 0);
	assert_int_equal(deadline_met_tx(&t.x, tx, id, &err), 0);
	assert_int_equal(store_commit(tx, &err), 0);
	d = get(&t, id);
	assert_string_equal(d.status, "met");
	rec_free(&deadline_schema, &d);
	unsetenv("ZWNET_NOW");
	testdb_close(&t);
}

static void test_provisional_recomputed(void **state)
{
	(void)state;
	struct testdb t;
	struct zw_err err = {0};
	calendar_reset();
	calendar_load_shipped(&err);
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	int64_t id = start(&t, "access_review", "2026-12-30T10:00:00+08:00");
	struct deadline d = get(&t, id);
	assert_string_equal(d.due_date, "2027-01-04");
	assert_true(d.provisional);
	rec_free(&deadline_schema, &d);
	const char *y = "{\"year\": 2027, \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\","
	                " \"isOffDay\": true}]}";
	int year;
	assert_int_equal(calendar_load(y, strlen(y), &year, &err), 0);
	assert_int_equal(deadline_recompute(t.st, &err), 0);
	d = get(&t, id);
	assert_string_equal(d.due_date, "2027-01-05");
	assert_false(d.provisional);
	rec_free(&deadline_schema, &d);
	testdb_close(&t);
}

static void test_hours(void **state)
{
	(void)state;
	struct testdb t;
	struct zw_err err = {0};
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	/* TB-12: a county unit's fault is repaired within 2 hours, on the wall clock (a Saturday
	 * night counts like any other) */
	int64_t id = start(&t, "repair:county", "2026-11-21T22:00:00+08:00");
	struct deadline d = get(&t, id);
	assert_true(d.due_at == at("2026-11-22T00:00:00+08:00"));
	assert_null(d.due_date);
	assert_string_equal(d.basis, "hours");
	assert_string_equal(d.clause, "TB-12");
	rec_free(&deadline_schema, &d);
	int64_t resp = start(&t, "respond:county", "2026-11-21T22:00:00+08:00");
	d = get(&t, resp);
	assert_true(d.due_at == at("2026-11-21T23:00:00+08:00"));
	rec_free(&deadline_schema, &d);
	/* reminders 2 hours before an hours deadline, but at most half the clock ahead: the
	 * 1-hour response at 22:30 (not as it starts), the 2-hour repair at 23:00 */
	assert_int_equal(deadline_tick(t.st, at("2026-11-21T22:15:00+08:00"), 1, 2, &err), 0);
	assert_int_equal(deadline_tick(t.st, at("2026-11-21T22:30:00+08:00"), 1, 2, &err), 1);
	assert_int_equal(deadline_tick(t.st, at("2026-11-21T22:59:00+08:00"), 1, 2, &err), 0);
	/* 23:30: the response breached, the repair reminded */
	assert_int_equal(deadline_tick(t.st, at("2026-11-21T23:30:00+08:00"), 1, 2, &err), 2);
	struct store_tx *tx;
	assert_int_equal(store_begin(t.st, &tx, &err), 0);
	assert_int_equal(
	    deadline_start_tx(&t.x, tx, "repair:nowhere", "ticket", 1, 0, 0, &id, &err),
	    -ZW_EINTERNAL);
	store_rollback(tx);
	testdb_close(&t);
}

/* A scheduler that was off for long meets more breaches than one page: each call takes a
 * page and says whether more wait, until none do; none is raised twice. */
static void test_breaches_page_by_page(void **state)
{
	(void)state;
	struct testdb t;
	struct zw_err err = {0};
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	for (int i = 0; i < 600; i++)
		start(&t, "repair:county", "2026-11-21T08:00:00+08:00");
	bool more = false;
	int64_t later = at("2026-11-23T09:00:00+08:00");
	assert_int_equal(deadline_tick_more(t.st, later, 1, 2, &more, &err), 512);
	assert_true(more);
	assert_int_equal(deadline_tick_more(t.st, later, 1, 2, &more, &err), 88);
	assert_false(more);
	assert_int_equal(deadline_tick_more(t.st, later, 1, 2, &more, &err), 0);
	assert_false(more);
	testdb_close(&t);
}

int main(void)
{
	RUN(cmocka_unit_test(test_working_days_reminder_breach_once),
	    cmocka_unit_test(test_pause_extends_by_working_days),
	    cmocka_unit_test(test_provisional_recomputed), cmocka_unit_test(test_hours),
	    cmocka_unit_test(test_breaches_page_by_page));
}
