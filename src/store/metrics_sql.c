/* SQL of the metrics (api/metrics.h): counts the indexes answer, and the file sizes. */
#include "store/metrics_sql.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store_int.h"

static int one(struct sconn *c, const char *sql, int64_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "metrics");
}

static int groups(struct sconn *c, const char *sql, struct store_group *g, size_t *n,
                  struct zw_err *err)
{
	*n = 0;
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < STORE_GROUPS_MAX) {
		const unsigned char *k = sqlite3_column_text(s, 0);
		snprintf(g[*n].key, sizeof(g[*n].key), "%s", k ? (const char *)k : "");
		g[*n].n = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "metrics");
}

int store_gauges_read(struct sconn *c, struct store_gauges *g, struct zw_err *err)
{
	memset(g, 0, sizeof(*g));
	int rc = one(c, "PRAGMA page_count", &g->page_count, err);
	if (!rc)
		rc = one(c, "PRAGMA page_size", &g->page_size, err);
	if (!rc)
		rc = one(c, "PRAGMA freelist_count", &g->freelist_count, err);
	if (!rc)
		rc =
		    one(c, "SELECT count(*) FROM outbox WHERE inbox_at = 0", &g->outbox_inbox, err);
	if (!rc)
		rc = one(c, "SELECT count(*) FROM outbox WHERE status = 'pending'", &g->outbox_mail,
		         err);
	if (!rc)
		rc = one(c, "SELECT count(*) FROM outbox WHERE hook_status = 'pending'",
		         &g->outbox_hook, err);
	if (!rc)
		rc = one(c, "SELECT count(*) FROM outbox WHERE status = 'failed'",
		         &g->outbox_mail_failed, err);
	if (!rc)
		rc = one(c, "SELECT count(*) FROM outbox WHERE hook_status = 'failed'",
		         &g->outbox_hook_failed, err);
	if (!rc)
		rc = one(c, "SELECT count(*) FROM findings WHERE status = 'open'",
		         &g->findings_open, err);
	if (!rc)
		rc = groups(c,
		            "SELECT state, count(*) FROM violations GROUP BY state ORDER BY state",
		            g->violations, &g->nviolations, err);
	if (!rc)
		rc = groups(
		    c, "SELECT status, count(*) FROM applications GROUP BY status ORDER BY status",
		    g->applications, &g->napplications, err);
	if (rc)
		return rc;
	const char *db = sqlite3_db_filename(c->db, "main");
	char wal[4096];
	struct stat sb;
	if (db && *db && snprintf(wal, sizeof(wal), "%s-wal", db) < (int)sizeof(wal) &&
	    stat(wal, &sb) == 0)
		g->wal_bytes = (int64_t)sb.st_size;
	return 0;
}
