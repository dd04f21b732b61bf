/* SQL of the loaded calendar years. */
#include "store/query.h"
#include "store/workdays_sql.h"

int store_calendar_years(struct sconn *c, int (*fn)(int year, const char *data, void *ctx),
                         void *ctx, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT year, data FROM calendar_years ORDER BY year", err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1), ctx);
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "calendar years");
}

int store_calendar_put(struct sconn *c, int year, const char *data, const char *by, int64_t now,
                       struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "INSERT INTO calendar_years (year, data, loaded_at, loaded_by)"
	                             " VALUES (?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET"
	                             " data = excluded.data, loaded_at = excluded.loaded_at,"
	                             " loaded_by = excluded.loaded_by",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int(s, 1, year);
	sq_text(s, 2, data);
	sqlite3_bind_int64(s, 3, now);
	sq_text(s, 4, by);
	return sq_exec_stmt(c, s, err);
}
