#include <stdlib.h>
#include <string.h>

#include "store/audit_sql.h"
#include "store/query.h"

int store_audit_head(struct sconn *c, int64_t *id, char hash[65], struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	*id = 0;
	hash[0] = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		const unsigned char *h = sqlite3_column_text(s, 1);
		snprintf(hash, 65, "%s", h ? (const char *)h : "");
	} else if (rc != SQLITE_DONE) {
		sq_done(c, s);
		return sq_fail(c, err, "audit head");
	}
	sq_done(c, s);
	return 0;
}

int store_audit_insert(struct sconn *c, struct audit_entry *e, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "INSERT INTO audit (id, at, actor, actor_id, role, source, request_id, action,"
	    " object_type, object_id, unit_id, before, after, clause, prev_hash, hash)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_int64(s, 2, e->at);
	sq_text(s, 3, e->actor);
	sq_id(s, 4, e->actor_id);
	sq_text(s, 5, e->role);
	sq_text(s, 6, e->source);
	sq_text(s, 7, e->request_id);
	sq_text(s, 8, e->action);
	sq_text(s, 9, e->object_type);
	sq_text(s, 10, e->object_id);
	sq_id(s, 11, e->unit_id);
	sq_text(s, 12, e->before);
	sq_text(s, 13, e->after);
	sq_text(s, 14, e->clause);
	sq_text(s, 15, e->prev_hash);
	sq_text(s, 16, e->hash);
	int rc = sq_exec_stmt(c, s, err);
	if (rc)
		return rc;
	char head[120];
	snprintf(head, sizeof(head), "%lld:%s", (long long)e->id, e->hash);
	s = sq_prepare(c,
	               "INSERT INTO meta (key, value) VALUES ('audit_head', ?)"
	               " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, head);
	return sq_exec_stmt(c, s, err);
}

#define AUDIT_COLS                                                                                 \
	"id, at, actor, actor_id, role, source, request_id, action, object_type, object_id,"       \
	" unit_id, before, after, clause, prev_hash, hash"

static void row_to_entry(sqlite3_stmt *s, struct audit_entry *e)
{
	e->id = sqlite3_column_int64(s, 0);
	e->at = sqlite3_column_int64(s, 1);
	e->actor = sq_dup(s, 2);
	e->actor_id = sqlite3_column_int64(s, 3);
	e->role = sq_dup(s, 4);
	e->source = sq_dup(s, 5);
	e->request_id = sq_dup(s, 6);
	e->action = sq_dup(s, 7);
	e->object_type = sq_dup(s, 8);
	e->object_id = sq_dup(s, 9);
	e->unit_id = sqlite3_column_int64(s, 10);
	e->before = sq_dup(s, 11);
	e->after = sq_dup(s, 12);
	e->clause = sq_dup(s, 13);
	e->prev_hash = sq_dup(s, 14);
	e->hash = sq_dup(s, 15);
}

int store_audit_scan(struct sconn *c, audit_row_fn fn, void *ctx, struct zw_err *err)
{
	/* Walk in rowid order but read the id column as stored: a reordered table shows up. */
	sqlite3_stmt *s = sq_prepare(c, "SELECT " AUDIT_COLS " FROM audit ORDER BY rowid", err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_entry e = {0};
		row_to_entry(s, &e);
		stop = fn(&e, ctx);
		audit_entry_free(&e);
	}
	if (!stop && rc != SQLITE_DONE) {
		sq_done(c, s);
		return sq_fail(c, err, "audit scan");
	}
	sq_done(c, s);
	return stop;
}

int store_audit_meta_head(struct sconn *c, int64_t *id, char hash[65], struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT value FROM meta WHERE key = 'audit_head'", err);
	if (!s)
		return -ZW_EINTERNAL;
	*id = 0;
	hash[0] = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		const char *colon = v ? strchr(v, ':') : NULL;
		if (colon) {
			*id = strtoll(v, NULL, 10);
			snprintf(hash, 65, "%s", colon + 1);
		}
	}
	sq_done(c, s);
	return 0;
}

int store_audit_triggers_ok(struct sconn *c)
{
	sqlite3_stmt *s;
	int n = 0;
	if (sqlite3_prepare_v2(
	        c->db,
	        "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN"
	        " ('audit_no_update', 'audit_no_delete')",
	        -1, &s, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n == 2;
}

struct list_ctx {
	audit_row_fn fn;
	void *ctx;
};

static int list_row(sqlite3_stmt *s, void *ctx)
{
	struct list_ctx *l = ctx;
	struct audit_entry e = {0};
	row_to_entry(s, &e);
	int rc = l->fn(&e, l->ctx);
	audit_entry_free(&e);
	return rc;
}

int store_audit_list(struct sconn *c, const struct list_query *q, audit_row_fn fn, void *ctx,
                     struct list_page *page, struct zw_err *err)
{
	struct list_ctx l = {fn, ctx};
	return sq_list(c, AUDIT_COLS, "audit", q, list_row, &l, page, err);
}

void audit_entry_free(struct audit_entry *e)
{
	free(e->actor);
	free(e->role);
	free(e->source);
	free(e->request_id);
	free(e->action);
	free(e->object_type);
	free(e->object_id);
	free(e->before);
	free(e->after);
	free(e->clause);
	free(e->prev_hash);
	free(e->hash);
	memset(e, 0, sizeof(*e));
}
