#include "store/plan_sql.h"

#include <sqlite3.h>
#include <stdio.h>

#include "store/store_int.h"

int store_plan_last_drill(struct sconn *c, int64_t plan_id, char day[11], struct zw_err *err)
{
	day[0] = '\0';
	sqlite3_stmt *s =
	    sq_prepare(c, "SELECT MAX(drilled_on) FROM plan_drills WHERE plan_id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, plan_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT)
		snprintf(day, 11, "%s", (const char *)sqlite3_column_text(s, 0));
	sq_done(c, s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, err, "last drill");
}

int store_plans_missing(struct sconn *c, int64_t unit_id, json_t *arr, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT u.id, u.name, u.level FROM units u WHERE (?1 = 0 OR u.id = ?1)"
	               " AND u.status IN ('已接入', '暂停') AND NOT EXISTS (SELECT 1 FROM plans p"
	               "  WHERE p.unit_id = u.id AND p.kind = 'emergency' AND p.state = 'in_force')"
	               " ORDER BY u.id",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr,
		                      json_pack("{s:I, s:s, s:s?}", "unit_id",
		                                (json_int_t)sqlite3_column_int64(s, 0), "name",
		                                (const char *)sqlite3_column_text(s, 1), "level",
		                                (const char *)sqlite3_column_text(s, 2)));
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "plans missing");
}
