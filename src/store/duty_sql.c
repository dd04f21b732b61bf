#include "store/duty_sql.h"

#include <sqlite3.h>

#include "store/store_int.h"

int store_duty_checked(struct sconn *c, int64_t shift, const char *item, bool *done,
                       struct zw_err *err)
{
	*done = false;
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT 1 FROM duty_entries WHERE shift_id = ? AND check_item = ? LIMIT 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, shift);
	sq_text(s, 2, item);
	int rc = sqlite3_step(s);
	*done = rc == SQLITE_ROW;
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "duty checks");
}
