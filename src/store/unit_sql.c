/* SQL of the unit register that the generic record functions (rec_sql.c) do not cover. */
#include "store/unit_sql.h"

#include "core/parse.h"
#include "store/store_int.h"

int store_unit_history_add(struct sconn *c, int64_t unit_id, const char *from, const char *to,
                           const char *clause, const char *reason, const char *actor, int64_t at,
                           struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO unit_status_history (unit_id, from_status,"
	               " to_status, clause, reason, actor, at) VALUES (?,?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sq_text(s, 2, from);
	sq_text(s, 3, to);
	sq_text(s, 4, clause);
	sq_text(s, 5, reason ? reason : "");
	sq_text(s, 6, actor);
	sqlite3_bind_int64(s, 7, at);
	return sq_exec_stmt(c, s, err);
}

int store_unit_by_name_key(struct sconn *c, const char *key, int64_t except, int64_t *id,
                           char **name, struct zw_err *err)
{
	*id = 0;
	*name = NULL;
	sqlite3_stmt *s =
	    sq_prepare(c, "SELECT id, name FROM units WHERE name_key = ? AND id != ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, key);
	sqlite3_bind_int64(s, 2, except);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*name = sq_dup(s, 1);
	}
	sq_done(c, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, err, "unit by name key");
	return 0;
}

int store_unit_set_name_key(struct sconn *c, int64_t id, const char *key, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "UPDATE units SET name_key = ? WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, key);
	sqlite3_bind_int64(s, 2, id);
	return sq_exec_stmt(c, s, err);
}

int store_unit_history(struct sconn *c, int64_t unit_id, json_t *items, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, from_status, to_status, clause, reason, actor, at"
	                             " FROM unit_status_history WHERE unit_id = ? ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char ts[32];
		format_time(sqlite3_column_int64(s, 6), ts);
		const char *from = (const char *)sqlite3_column_text(s, 1);
		const char *clause = (const char *)sqlite3_column_text(s, 3);
		json_array_append_new(
		    items, json_pack("{s:I, s:o, s:s, s:o, s:s, s:s, s:s}", "id",
		                     (json_int_t)sqlite3_column_int64(s, 0), "from",
		                     from ? json_string(from) : json_null(), "to",
		                     (const char *)sqlite3_column_text(s, 2), "clause",
		                     clause ? json_string(clause) : json_null(), "reason",
		                     (const char *)sqlite3_column_text(s, 4), "actor",
		                     (const char *)sqlite3_column_text(s, 5), "at", ts));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "history");
}

int store_unit_kinds(struct sconn *c, int64_t unit_id, bool connected_only,
                     int (*fn)(int64_t id, const char *name, const char *status, const char *kinds,
                               void *ctx),
                     void *ctx, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT u.id, u.name, u.status,"
	               " (SELECT group_concat(kind, ',') FROM agreements a WHERE a.unit_id = u.id)"
	               " FROM units u WHERE (?1 = 0 OR u.id = ?1)"
	               " AND (?2 = 0 OR u.status IN ('已接入', '暂停')) ORDER BY u.id",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int(s, 2, connected_only);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
		   (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
		   ctx);
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "unit kinds");
}
