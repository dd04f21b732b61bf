#include <string.h>

#include "core/parse.h"

#include "domain/org/account.h"
#include "store/query.h"
#include "store/account_sql.h"

#define USER_COLS                                                                                  \
	"id, username, display_name, role, unit_id, disabled, created_at, updated_at, rev, "       \
	"carrier_id"

static void row_user(sqlite3_stmt *s, struct user *u)
{
	u->id = sqlite3_column_int64(s, 0);
	u->username = sq_dup(s, 1);
	u->display_name = sq_dup(s, 2);
	u->role = sq_dup(s, 3);
	u->unit_id = sqlite3_column_int64(s, 4);
	u->disabled = sqlite3_column_int(s, 5) != 0;
	u->created_at = sqlite3_column_int64(s, 6);
	u->updated_at = sqlite3_column_int64(s, 7);
	u->rev = sqlite3_column_int64(s, 8);
	u->carrier_id = sqlite3_column_int64(s, 9);
}

int store_user_insert(struct sconn *c, const struct user *u, const char *pwhash, int64_t now,
                      int64_t *id, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO users (username, display_name, role, unit_id, pwhash,"
	               " disabled, created_at, updated_at, password_at, carrier_id)"
	               " VALUES (?,?,?,?,?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, u->username);
	sq_text(s, 2, u->display_name ? u->display_name : "");
	sq_text(s, 3, u->role);
	sq_id(s, 4, u->unit_id);
	sq_text(s, 5, pwhash);
	sqlite3_bind_int(s, 6, u->disabled);
	sqlite3_bind_int64(s, 7, now);
	sqlite3_bind_int64(s, 8, now);
	sqlite3_bind_int64(s, 9, now);
	sq_id(s, 10, u->carrier_id);
	int rc = sq_exec_stmt(c, s, err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

int store_user_get(struct sconn *c, int64_t id, const char *username, struct user *u, char **pwhash,
                   struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               username ? "SELECT " USER_COLS ", pwhash FROM users WHERE username = ?"
	                        : "SELECT " USER_COLS ", pwhash FROM users WHERE id = ?",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	if (username)
		sq_text(s, 1, username);
	else
		sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		row_user(s, u);
		if (pwhash)
			*pwhash = sq_dup(s, 10);
		sq_done(c, s);
		return 0;
	}
	sq_done(c, s);
	if (rc != SQLITE_DONE)
		return sq_fail(c, err, "user get");
	return zw_errf(err, ZW_ENOTFOUND, NULL, "用户不存在");
}

int store_user_update(struct sconn *c, const struct user *u, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE users SET display_name = ?, role = ?, unit_id = ?,"
	                             " disabled = ?, updated_at = ?, rev = rev + 1,"
	                             " carrier_id = ?7 WHERE id = ?6",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, u->display_name ? u->display_name : "");
	sq_text(s, 2, u->role);
	sq_id(s, 3, u->unit_id);
	sqlite3_bind_int(s, 4, u->disabled);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, u->id);
	sq_id(s, 7, u->carrier_id);
	return sq_exec_stmt(c, s, err);
}

int store_user_set_password(struct sconn *c, int64_t id, const char *pwhash, int64_t now,
                            struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE users SET pwhash = ?, password_at = ?, updated_at = ?,"
	                             " rev = rev + 1 WHERE id = ?",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, pwhash);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, id);
	return sq_exec_stmt(c, s, err);
}

int store_session_insert(struct sconn *c, const char *token_hash, int64_t user_id, const char *csrf,
                         const char *source, int64_t now, int64_t expires, struct zw_err *err)
{
	/* Expired sessions are swept whenever a new one opens. */
	sqlite3_stmt *s = sq_prepare(c, "DELETE FROM sessions WHERE expires_at <= ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, now);
	int rc = sq_exec_stmt(c, s, err);
	if (rc)
		return rc;
	s = sq_prepare(c,
	               "INSERT INTO sessions (token_hash, user_id, csrf, source, created_at,"
	               " expires_at) VALUES (?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, user_id);
	sq_text(s, 3, csrf);
	sq_text(s, 4, source);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, expires);
	return sq_exec_stmt(c, s, err);
}

int store_sessions_end(struct sconn *c, int64_t user_id, const char *token_hash,
                       const char *keep_hash, enum token_revoke revoke, struct sessions_ended *out,
                       struct zw_err *err)
{
	sqlite3_stmt *s;
	if (token_hash) {
		s = sq_prepare(c, "DELETE FROM sessions WHERE token_hash = ?", err);
		if (s)
			sq_text(s, 1, token_hash);
	} else {
		s = sq_prepare(c, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?",
		               err);
		if (s) {
			sqlite3_bind_int64(s, 1, user_id);
			sq_text(s, 2, keep_hash ? keep_hash : "");
		}
	}
	if (!s)
		return -ZW_EINTERNAL;
	int rc = sq_exec_stmt(c, s, err);
	if (out)
		out->sessions = rc ? 0 : sqlite3_changes(c->db);
	if (rc || revoke == REVOKE_NONE)
		return rc;
	s = sq_prepare(c,
	               revoke == REVOKE_ALL
	                   ? "UPDATE api_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0"
	                   : "UPDATE api_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0"
	                     " AND scope = 'all'",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, user_id);
	rc = sq_exec_stmt(c, s, err);
	if (out)
		out->tokens = rc ? 0 : sqlite3_changes(c->db);
	return rc;
}

int store_token_lookup(struct sconn *c, const char *token_hash, int64_t now,
                       struct token_found *out, char csrf[40], struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT user_id, csrf, 1, 'all', 0, 0, expires_at FROM sessions WHERE token_hash = ?1"
	    " AND expires_at > ?2"
	    " UNION ALL SELECT user_id, '', 0, scope, id, coalesce(expires_at, 0), 0 FROM "
	    "api_tokens"
	    " WHERE token_hash = ?1 AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?2)",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->user_id = sqlite3_column_int64(s, 0);
		const unsigned char *t = sqlite3_column_text(s, 1);
		snprintf(csrf, 40, "%s", t ? (const char *)t : "");
		out->is_session = sqlite3_column_int(s, 2) != 0;
		const unsigned char *sc = sqlite3_column_text(s, 3);
		size_t need = (size_t)snprintf(out->scope, sizeof(out->scope), "%s",
		                               sc ? (const char *)sc : "");
		out->token_id = sqlite3_column_int64(s, 4);
		out->expires_at = sqlite3_column_int64(s, 5);
		out->session_exp = sqlite3_column_int64(s, 6);
		sq_done(c, s);
		/* A scope longer than every scope name together is not one the table's CHECK let
		 * in. */
		return need >= sizeof(out->scope) ? zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL)
		                                  : 0;
	}
	sq_done(c, s);
	if (rc != SQLITE_DONE)
		return sq_fail(c, err, "token lookup");
	return zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
}

int store_token_insert(struct sconn *c, const char *token_hash, int64_t user_id, const char *name,
                       const char *scope, int64_t now, int64_t expires, int64_t *id,
                       struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO api_tokens (token_hash, user_id, name, created_at,"
	               " expires_at, scope) VALUES (?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, user_id);
	sq_text(s, 3, name);
	sqlite3_bind_int64(s, 4, now);
	sq_id(s, 5, expires);
	sq_text(s, 6, scope);
	int rc = sq_exec_stmt(c, s, err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

int store_token_get(struct sconn *c, int64_t id, int64_t *user_id, bool *revoked,
                    struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c, "SELECT user_id, revoked FROM api_tokens WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(s, 0);
		*revoked = sqlite3_column_int(s, 1) != 0;
		sq_done(c, s);
		return 0;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, "令牌不存在")
	                         : sq_fail(c, err, "token get");
}

int store_token_revoke(struct sconn *c, int64_t id, int64_t user_id, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c, "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	return sq_exec_stmt(c, s, err);
}

int store_token_list(struct sconn *c, int64_t user_id, json_t *items, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               user_id ? "SELECT id, user_id, name, created_at, expires_at, revoked, scope"
	                         " FROM api_tokens WHERE user_id = ? ORDER BY id"
	                       : "SELECT id, user_id, name, created_at, expires_at, revoked, scope"
	                         " FROM api_tokens ORDER BY id",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	if (user_id)
		sqlite3_bind_int64(s, 1, user_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char ts[32], es[32];
		format_time(sqlite3_column_int64(s, 3), ts);
		format_time(sqlite3_column_int64(s, 4), es);
		json_array_append_new(
		    items, json_pack("{s:I, s:I, s:s, s:s, s:o, s:b, s:s}", "id",
		                     (json_int_t)sqlite3_column_int64(s, 0), "user_id",
		                     (json_int_t)sqlite3_column_int64(s, 1), "name",
		                     (const char *)sqlite3_column_text(s, 2), "created_at", ts,
		                     "expires_at",
		                     sqlite3_column_type(s, 4) == SQLITE_NULL ? json_null()
		                                                              : json_string(es),
		                     "revoked", sqlite3_column_int(s, 5) != 0, "scope",
		                     (const char *)sqlite3_column_text(s, 6)));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "token list");
}
