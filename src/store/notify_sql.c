/* SQL of the outbox fan-out and the in-app inbox (domain/notify.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/notify/notify.h"
#include "store/store_int.h"
#include "store/notify_sql.h"

void outbox_row_free(struct outbox_row *o)
{
	free(o->kind);
	free(o->subject_type);
	free(o->clause);
	free(o->payload);
	free(o->roles);
	memset(o, 0, sizeof(*o));
}

#define OUTBOX_COLS                                                                                \
	"id, kind, subject_type, subject_id, unit_id, clause, payload, created_at, roles"

/* Rows of a SELECT OUTBOX_COLS[, attempts] statement; gives the statement back. */
static int read_rows(struct sconn *c, sqlite3_stmt *s, struct outbox_row *rows, size_t max,
                     size_t *n, struct zw_err *err)
{
	int rc;
	bool attempts = sqlite3_column_count(s) > 9;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct outbox_row *o = &rows[(*n)++];
		o->id = sqlite3_column_int64(s, 0);
		o->kind = sq_dup(s, 1);
		o->subject_type = sq_dup(s, 2);
		o->subject_id = sqlite3_column_int64(s, 3);
		o->unit_id = sqlite3_column_int64(s, 4);
		o->clause = sq_dup(s, 5);
		o->payload = sq_dup(s, 6);
		o->created_at = sqlite3_column_int64(s, 7);
		o->roles = sq_dup(s, 8);
		o->attempts = attempts ? sqlite3_column_int64(s, 9) : 0;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "outbox");
}

int store_outbox_unfanned(struct sconn *c, struct outbox_row *rows, size_t max, size_t *n,
                          struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT " OUTBOX_COLS " FROM outbox WHERE inbox_at = 0 ORDER BY id LIMIT ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, (int64_t)max);
	return read_rows(c, s, rows, max, n, err);
}

int store_inbox_fanout(struct sconn *c, const struct outbox_row *o, const char *title,
                       const char *body, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "INSERT OR IGNORE INTO inbox (user_id, outbox_id, created_at, kind, title, body, "
	    "clause,"
	    " subject_type, subject_id, unit_id)"
	    " SELECT id, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM users WHERE disabled = 0 AND"
	    " ((role = 'manager' AND instr(',' || ?10 || ',', ',units_only,') = 0)"
	    "  OR (role = 'unit_admin' AND unit_id = ?9)"
	    "  OR instr(',' || ?10 || ',', ',' || role || ',') > 0"
	    "  OR (carrier_id IS NOT NULL AND"
	    "      instr(',' || ?10 || ',', ',' || role || ':' || carrier_id || ',') > 0))",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, o->id);
	sqlite3_bind_int64(s, 2, now);
	sq_text(s, 3, o->kind);
	sq_text(s, 4, title);
	sq_text(s, 5, body);
	sq_text(s, 6, o->clause);
	sq_text(s, 7, o->subject_type);
	sqlite3_bind_int64(s, 8, o->subject_id);
	sq_id(s, 9, o->unit_id);
	sq_text(s, 10, o->roles ? o->roles : "");
	int rc = sq_exec_stmt(c, s, err);
	if (rc)
		return rc;
	s = sq_prepare(c, "UPDATE outbox SET inbox_at = ?2 WHERE id = ?1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, o->id);
	sqlite3_bind_int64(s, 2, now);
	return sq_exec_stmt(c, s, err);
}

static void set_text(json_t *o, const char *k, sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	json_object_set_new(o, k, v ? json_string((const char *)v) : json_null());
}

int store_inbox_list(struct sconn *c, int64_t user_id, bool unread_only, int64_t cursor, int limit,
                     json_t *items, int64_t *unread, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT id, created_at, kind, title, body, clause, subject_type, subject_id, unit_id,"
	    " read_at FROM inbox WHERE user_id = ?1 AND (?2 = 0 OR id < ?2) AND"
	    " (?3 = 0 OR read_at = 0) ORDER BY id DESC LIMIT ?4",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, cursor);
	sqlite3_bind_int(s, 3, unread_only);
	sqlite3_bind_int(s, 4, limit);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(sqlite3_column_int64(s, 0)));
		char at[32];
		format_time(sqlite3_column_int64(s, 1), at);
		json_object_set_new(o, "created_at", json_string(at));
		set_text(o, "kind", s, 2);
		set_text(o, "title", s, 3);
		set_text(o, "body", s, 4);
		set_text(o, "clause", s, 5);
		set_text(o, "subject_type", s, 6);
		json_object_set_new(o, "subject_id", json_integer(sqlite3_column_int64(s, 7)));
		json_object_set_new(o, "unit_id",
		                    sqlite3_column_type(s, 8) == SQLITE_NULL
		                        ? json_null()
		                        : json_integer(sqlite3_column_int64(s, 8)));
		int64_t read_at = sqlite3_column_int64(s, 9);
		if (read_at)
			format_time(read_at, at);
		json_object_set_new(o, "read_at", read_at ? json_string(at) : json_null());
		json_array_append_new(items, o);
	}
	sq_done(c, s);
	if (rc != SQLITE_DONE)
		return sq_fail(c, err, "inbox");
	s = sq_prepare(c, "SELECT count(*) FROM inbox WHERE user_id = ? AND read_at = 0", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, user_id);
	rc = sqlite3_step(s);
	*unread = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, err, "inbox count");
}

int store_inbox_read(struct sconn *c, int64_t user_id, int64_t id, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "UPDATE inbox SET read_at = CASE read_at WHEN 0 THEN ?3 ELSE read_at END"
	               " WHERE id = ?1 AND user_id = ?2",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int64(s, 3, now);
	int rc = sq_exec_stmt(c, s, err);
	return rc ? rc : sqlite3_changes(c->db) > 0;
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
		text_printf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sq_done(c, s);
	return *out ? 0 : -1;
}

static const char *const chan_prefix[] = {[OUTBOX_MAIL] = "", [OUTBOX_HOOK] = "hook_"};

int store_outbox_due(struct sconn *c, enum outbox_channel ch, int64_t now, struct outbox_row *rows,
                     size_t max, size_t *n, struct zw_err *err)
{
	const char *p = chan_prefix[ch];
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "SELECT " OUTBOX_COLS ", %sattempts FROM outbox WHERE %sstatus = 'pending' AND"
	         " %snext_attempt_at <= ? ORDER BY id LIMIT ?",
	         p, p, p);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	return read_rows(c, s, rows, max, n, err);
}

/* Append the addresses s yields (column 0) to the comma list out, each once. */
static int append_emails(struct sconn *c, sqlite3_stmt *s, char *out, size_t n, struct zw_err *err)
{
	size_t len = strlen(out);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(s, 0);
		size_t el = strlen(e);
		bool have = false;
		for (const char *p = out; !have && (p = strstr(p, e)); p += el)
			have = (p == out || p[-1] == ',') && (p[el] == ',' || p[el] == 0);
		if (have)
			continue;
		int w = snprintf(out + len, n - len, "%s%s", len ? "," : "", e);
		if (w < 0 || (size_t)w >= n - len) {
			sq_done(c, s);
			return zw_errf(err, ZW_EINTERNAL, NULL, "收件人过多");
		}
		len += (size_t)w;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "emails");
}

int store_unit_emails(struct sconn *c, int64_t unit_id, char *out, size_t n, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT DISTINCT email FROM contacts WHERE unit_id = ? AND"
	                             " email != '' ORDER BY email",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	return append_emails(c, s, out, n, err);
}

int store_outbox_user_emails(struct sconn *c, int64_t outbox_id, const char *topic, char *out,
                             size_t n, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT DISTINCT u.email FROM inbox i JOIN users u ON u.id = i.user_id"
	               " WHERE i.outbox_id = ?1 AND u.disabled = 0 AND u.email != '' AND"
	               " instr(',' || u.mail_topics || ',', ',' || ?2 || ',') > 0 ORDER BY u.email",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, outbox_id);
	sq_text(s, 2, topic);
	return append_emails(c, s, out, n, err);
}

int store_inbox_read_all(struct sconn *c, int64_t user_id, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c, "UPDATE inbox SET read_at = ?2 WHERE user_id = ?1 AND read_at = 0", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, now);
	int rc = sq_exec_stmt(c, s, err);
	return rc ? rc : sqlite3_changes(c->db);
}

int store_user_mail_get(struct sconn *c, int64_t user_id, char **email, char **topics,
                        struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT email, mail_topics FROM users WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, user_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*email = xstrdup((const char *)sqlite3_column_text(s, 0));
		*topics = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sq_done(c, s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, "用户不存在")
	                         : sq_fail(c, err, "user mail");
}

int store_user_mail_set(struct sconn *c, int64_t user_id, const char *email, const char *topics,
                        int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "UPDATE users SET email = ?2, mail_topics = ?3, updated_at = ?4,"
	               " rev = rev + 1 WHERE id = ?1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, user_id);
	sq_text(s, 2, email);
	sq_text(s, 3, topics);
	sqlite3_bind_int64(s, 4, now);
	return sq_exec_stmt(c, s, err);
}

int store_outbox_result(struct sconn *c, enum outbox_channel ch, int64_t id, const char *status,
                        int64_t attempts, int64_t next_at, const char *error, int64_t now,
                        struct zw_err *err)
{
	const char *p = chan_prefix[ch];
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "UPDATE outbox SET %sstatus = ?2, %sattempts = ?3, %snext_attempt_at = ?4,"
	         " %slast_error = ?5, %ssent_at = CASE ?2 WHEN 'sent' THEN ?6 ELSE %ssent_at END"
	         " WHERE id = ?1",
	         p, p, p, p, p, p);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sq_text(s, 2, status);
	sqlite3_bind_int64(s, 3, attempts);
	sqlite3_bind_int64(s, 4, next_at);
	sq_text(s, 5, error);
	sqlite3_bind_int64(s, 6, now);
	return sq_exec_stmt(c, s, err);
}

int store_outbox_event(struct sconn *c, const char *kind, const char *subject_type,
                       int64_t subject_id, int64_t unit_id, const char *clause, const char *payload,
                       const char *roles, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO outbox (created_at, kind, subject_type, subject_id,"
	               " unit_id, clause, payload, next_attempt_at, roles)"
	               " VALUES (?,?,?,?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, now);
	sq_text(s, 2, kind);
	sq_text(s, 3, subject_type);
	sqlite3_bind_int64(s, 4, subject_id);
	sq_id(s, 5, unit_id);
	sq_text(s, 6, clause);
	sq_text(s, 7, payload);
	sqlite3_bind_int64(s, 8, now);
	sq_text(s, 9, roles ? roles : "");
	return sq_exec_stmt(c, s, err);
}

int store_outbox_clear(struct sconn *c, struct zw_err *err)
{
	return sq_exec(c, "DELETE FROM outbox WHERE inbox_at = 0", err);
}
