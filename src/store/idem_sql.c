#include "store/idem_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static void copy_col(sqlite3_stmt *s, int col, char *out, size_t n)
{
	const char *v = (const char *)sqlite3_column_text(s, col);
	snprintf(out, n, "%s", v ? v : "");
}

int store_idem_claim(struct store *st, const char *who, const char *key, const char *hash,
                     const char *boot, int64_t now, int64_t since, struct idem_row *row,
                     struct zw_err *err)
{
	memset(row, 0, sizeof(*row));
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	struct sconn *c = store_tx_conn(tx);
	sqlite3_stmt *s = sq_prepare(c,
	                             "DELETE FROM idempotency WHERE who = ?1 AND key = ?2 AND "
	                             "created_at < ?3",
	                             err);
	if (!s) {
		store_rollback(tx);
		return -ZW_EINTERNAL;
	}
	sq_text(s, 1, who);
	sq_text(s, 2, key);
	sqlite3_bind_int64(s, 3, since);
	rc = sq_exec_stmt(c, s, err);
	int found = 0;
	if (!rc) {
		s = sq_prepare(c,
		               "SELECT request_hash, boot, created_at, status, content_type, body "
		               "FROM idempotency WHERE who = ?1 AND key = ?2",
		               err);
		rc = s ? 0 : -ZW_EINTERNAL;
	}
	if (!rc) {
		sq_text(s, 1, who);
		sq_text(s, 2, key);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW) {
			found = 1;
			copy_col(s, 0, row->hash, sizeof(row->hash));
			copy_col(s, 1, row->boot, sizeof(row->boot));
			row->created = sqlite3_column_int64(s, 2);
			row->status = sqlite3_column_int(s, 3);
			copy_col(s, 4, row->type, sizeof(row->type));
			if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
				row->len = (size_t)sqlite3_column_bytes(s, 5);
				row->body = malloc(row->len + 1);
				if (!row->body)
					abort();
				if (row->len)
					memcpy(row->body, sqlite3_column_blob(s, 5), row->len);
				row->body[row->len] = 0;
			}
		} else if (step != SQLITE_DONE) {
			rc = sq_fail(c, err, "idempotency");
		}
		sq_done(c, s);
	}
	if (!rc && !found) {
		s = sq_prepare(c,
		               "INSERT INTO idempotency (who, key, request_hash, boot, created_at, "
		               "status) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
		               err);
		rc = s ? 0 : -ZW_EINTERNAL;
		if (s) {
			sq_text(s, 1, who);
			sq_text(s, 2, key);
			sq_text(s, 3, hash);
			sq_text(s, 4, boot);
			sqlite3_bind_int64(s, 5, now);
			rc = sq_exec_stmt(c, s, err);
		}
	}
	if (rc) {
		store_rollback(tx);
		free(row->body);
		row->body = NULL;
		return rc;
	}
	rc = store_commit(tx, err);
	return rc ? rc : found;
}

/* One value to bind: text (NULL binds NULL), an integer, or bytes. */
struct bind {
	enum { B_TEXT, B_INT, B_BLOB } type;
	const char *text;
	int64_t i;
	size_t len;
};

/* Run one statement in a transaction of its own; how many rows it changed, or -code. */
static int one_statement(struct store *st, const char *sql, const struct bind *b, int nb,
                         struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	struct sconn *c = store_tx_conn(tx);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	rc = s ? 0 : -ZW_EINTERNAL;
	for (int i = 0; s && i < nb; i++)
		if (b[i].type == B_INT)
			sqlite3_bind_int64(s, i + 1, b[i].i);
		else if (b[i].type == B_BLOB && b[i].text)
			sqlite3_bind_blob(s, i + 1, b[i].text, (int)b[i].len, SQLITE_STATIC);
		else
			sq_text(s, i + 1, b[i].text);
	if (s)
		rc = sq_exec_stmt(c, s, err);
	int n = rc ? 0 : sqlite3_changes(c->db);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	rc = store_commit(tx, err);
	return rc ? rc : n;
}

int store_idem_finish(struct store *st, const char *who, const char *key, int status,
                      const char *type, const char *body, size_t len, struct zw_err *err)
{
	const struct bind b[] = {{B_TEXT, who, 0, 0},
	                         {B_TEXT, key, 0, 0},
	                         {B_INT, NULL, status, 0},
	                         {B_TEXT, type, 0, 0},
	                         {B_BLOB, body, 0, len}};
	int rc = one_statement(st,
	                       "UPDATE idempotency SET status = ?3, content_type = ?4, body = ?5 "
	                       "WHERE who = ?1 AND key = ?2",
	                       b, 5, err);
	return rc < 0 ? rc : 0;
}

int store_idem_release(struct store *st, const char *who, const char *key, struct zw_err *err)
{
	const struct bind b[] = {{B_TEXT, who, 0, 0}, {B_TEXT, key, 0, 0}};
	int rc = one_statement(
	    st, "DELETE FROM idempotency WHERE who = ?1 AND key = ?2 AND status = 0", b, 2, err);
	return rc < 0 ? rc : 0;
}

static int expire(struct store *st, const char *sql, int64_t since, struct zw_err *err)
{
	const struct bind b[] = {{B_INT, NULL, since, 0}};
	return one_statement(st, sql, b, 1, err);
}

int store_idem_expire(struct store *st, int64_t since, struct zw_err *err)
{
	return expire(st, "DELETE FROM idempotency WHERE created_at < ?1", since, err);
}

int store_probe_runs_expire(struct store *st, int64_t since, struct zw_err *err)
{
	return expire(st, "DELETE FROM probe_runs WHERE seen_at < ?1", since, err);
}
