#include "store/case_sql.h"

#include <sqlite3.h>

#include "core/parse.h"
#include "store/store_int.h"

int store_case_event(struct sconn *c, const struct case_event *e, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO case_events (kind, case_id, at, action, from_state,"
	               " to_state, actor, actor_role, reason, clause, detail)"
	               " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, e->kind);
	sqlite3_bind_int64(s, 2, e->case_id);
	sqlite3_bind_int64(s, 3, e->at);
	sq_text(s, 4, e->action);
	sq_text(s, 5, e->from ? e->from : "");
	sq_text(s, 6, e->to ? e->to : "");
	sq_text(s, 7, e->actor);
	sq_text(s, 8, e->role);
	sq_text(s, 9, e->reason ? e->reason : "");
	sq_text(s, 10, e->clause ? e->clause : "");
	sq_text(s, 11, e->detail ? e->detail : "");
	return sq_exec_stmt(c, s, err);
}

static const char *col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	return v ? v : "";
}

int store_case_events(struct sconn *c, const char *kind, int64_t case_id, json_t *out,
                      struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT id, at, action, from_state, to_state, actor, actor_role,"
	               " reason, clause, detail FROM case_events"
	               " WHERE kind = ? AND case_id = ? ORDER BY id",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, kind);
	sqlite3_bind_int64(s, 2, case_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char at[32];
		format_time(sqlite3_column_int64(s, 1), at);
		json_array_append_new(
		    out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		                   (json_int_t)sqlite3_column_int64(s, 0), "at", at, "action",
		                   col(s, 2), "from_state", col(s, 3), "to_state", col(s, 4),
		                   "actor", col(s, 5), "actor_role", col(s, 6), "reason", col(s, 7),
		                   "clause", col(s, 8), "detail", col(s, 9)));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "case events");
}
