/* SQL of deadlines beyond the generic record functions. */
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/deadline_sql.h"
#include "store/query.h"

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
                       size_t *n, bool *more, struct zw_err *err)
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
	*more = false;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) {
			*more = true;
			break;
		}
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "deadline ids");
}

int store_open_deadlines(struct sconn *c, const char *subject_type, int64_t subject_id,
                         const char *rule, int64_t *ids, size_t max, size_t *n, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id FROM deadlines WHERE subject_type = ?1 AND"
	                             " subject_id = ?2 AND status IN ('running', 'paused') AND"
	                             " (?3 IS NULL OR rule = ?3) ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, subject_type);
	sqlite3_bind_int64(s, 2, subject_id);
	sq_text(s, 3, rule);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) { /* never cut short: a step would leave the rest running */
			sq_done(c, s);
			return zw_errf(err, ZW_ECONFLICT, NULL,
			               "该事项进行中的期限超过 %zu 个，请先在期限页处理", max);
		}
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "open deadlines");
}

int store_deadline_ids_all(struct sconn *c, const char *where, int64_t **ids, size_t *n,
                           struct zw_err *err)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT id FROM deadlines WHERE %s ORDER BY id", where);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "deadline ids");
}

int store_deadline_roles(struct sconn *c, const char *subject_type, int64_t subject_id, char *out,
                         size_t n, struct zw_err *err)
{
	*out = 0;
	if (!subject_type || strcmp(subject_type, "ticket") != 0)
		return 0;
	sqlite3_stmt *s = sq_prepare(c, "SELECT carrier_id FROM tickets WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, subject_id);
	int rc = sqlite3_step(s);
	int64_t carrier = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, err, "deadline roles");
	if (carrier)
		snprintf(out, n, "operator,carrier:%lld", (long long)carrier);
	else
		snprintf(out, n, "operator");
	return 0;
}
