/* SQL of the unit register that the generic record functions (rec_sql.c) do not cover. */
#include "store/unit_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/record.h"
#include "store/query.h"
#include "store/rec.h"
#include "domain/workdays.h"
#include "domain/deadline.h"
#include "domain/notify/notify.h"
#include "core/xalloc.h"

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

int store_unit_access_approved(struct sconn *c, int64_t unit_id, bool *yes, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT 1 FROM applications WHERE unit_id = ? AND kind = 'access'"
	               " AND status IN ('实施中', '已办结') LIMIT 1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "access approved");
}

int store_unit_rows(struct sconn *c, const char *table, int64_t unit_id, int64_t *ids, size_t max,
                    size_t *n, struct zw_err *err)
{
	const char *sql =
	    strcmp(table, "addresses") == 0
	        ? "SELECT id FROM addresses WHERE unit_id = ?1 OR prefix_id IN"
	          " (SELECT id FROM prefixes WHERE unit_id = ?1) ORDER BY id"
	    : strcmp(table, "prefixes") == 0
	        ? "SELECT id FROM prefixes WHERE unit_id = ?1 ORDER BY length DESC, id"
	    : strcmp(table, "vlans") == 0 ? "SELECT id FROM vlans WHERE unit_id = ?1 ORDER BY id"
	    : strcmp(table, "lines") == 0
	        ? "SELECT id FROM lines WHERE unit_id = ?1 AND status <> '已拆除' ORDER BY id"
	        : NULL;
	if (!sql)
		return zw_errf(err, ZW_EINTERNAL, NULL, "unknown table %s", table);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) {
			sq_done(c, s);
			return zw_errf(err, ZW_ECONFLICT, NULL,
			               "单位的 %s 记录超过 %zu 条，请先分批处理", table, max);
		}
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "unit rows");
}

int store_unit_name(struct sconn *c, int64_t id, char *out, size_t n)
{
	*out = 0;
	struct zw_err err = {0};
	sqlite3_stmt *s = sq_prepare(c, "SELECT name FROM units WHERE id = ?", &err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sq_done(c, s);
	return *out ? 0 : -1;
}

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

int store_deadline_extension(struct sconn *c, int64_t id, int64_t *extension, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT extension FROM deadlines WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*extension = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, err, "extension");
}

int store_deadline_set_extension(struct sconn *c, int64_t id, int64_t extension, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "UPDATE deadlines SET extension = ? WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, extension);
	sqlite3_bind_int64(s, 2, id);
	return sq_exec_stmt(c, s, err);
}

int store_deadline_pause_row(struct sconn *c, int64_t id, int64_t at, const char *reason,
                             const char *by, bool close, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    close
	        ? "UPDATE deadline_pauses SET ended_at = ?2 WHERE deadline_id = ?1 AND ended_at = 0"
	        : "INSERT INTO deadline_pauses (deadline_id, started_at, reason, paused_by)"
	          " VALUES (?1, ?2, ?3, ?4)",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	if (!close) {
		sq_text(s, 3, reason);
		sq_text(s, 4, by);
	}
	return sq_exec_stmt(c, s, err);
}

int store_deadline_ids(struct sconn *c, const char *where, int64_t arg, int64_t *ids, size_t max,
                       size_t *n, struct zw_err *err)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT id FROM deadlines WHERE %s ORDER BY due_at, id", where);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++)
		sqlite3_bind_int64(s, i, arg);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "deadline ids");
}

int store_outbox_add(struct sconn *c, const char *kind, const struct deadline *d,
                     const char *payload, int64_t now, struct zw_err *err)
{
	return store_outbox_event(c, kind, d->subject_type, d->subject_id, d->unit_id, d->clause,
	                          payload, "", now, err);
}
