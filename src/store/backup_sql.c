#include "store/backup_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "store/store_int.h"

int store_snapshot(struct store *st, const char *path, struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	sqlite3_stmt *s = sq_prepare(c, "VACUUM INTO ?1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, path);
	int rc = sq_exec_stmt(c, s, err);
	return rc;
}

static int inspect(sqlite3 *db, bool integrity,
                   void (*fn)(void *arg, const char *table, int64_t rows), void *arg,
                   struct store_file_info *info, struct zw_err *err)
{
	sqlite3_stmt *s = NULL;
	if (integrity) {
		if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &s, NULL) != SQLITE_OK)
			goto fail;
		if (sqlite3_step(s) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(s, 0);
			if (v && strcmp(v, "ok") != 0)
				text_printf(info->problem, sizeof(info->problem), "%s", v);
		} else {
			goto fail;
		}
		sqlite3_finalize(s);
		s = NULL;
		if (info->problem[0])
			return 0;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto fail;
	info->schema = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db,
	                       "SELECT key, value FROM meta WHERE key IN ('audit_head', 'profile')",
	                       -1, &s, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		if (!k || !v)
			continue;
		const char *colon = strchr(v, ':');
		if (strcmp(k, "audit_head") == 0 && colon) {
			info->audit_head_id = strtoll(v, NULL, 10);
			snprintf(info->audit_head, sizeof(info->audit_head), "%s", colon + 1);
		} else if (strcmp(k, "profile") == 0) {
			snprintf(info->profile, sizeof(info->profile), "%s", v);
		}
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db,
	                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
	                       "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
	                       -1, &s, NULL) != SQLITE_OK)
		goto fail;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		sqlite3_stmt *n = NULL;
		/* a table's name is the program's own, but quote it as SQL does */
		char *q = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", t);
		int prc = q ? sqlite3_prepare_v2(db, q, -1, &n, NULL) : SQLITE_NOMEM;
		sqlite3_free(q);
		if (prc != SQLITE_OK || sqlite3_step(n) != SQLITE_ROW) {
			sqlite3_finalize(n);
			rc = -1;
			break;
		}
		if (fn)
			fn(arg, t, sqlite3_column_int64(n, 0));
		sqlite3_finalize(n);
	}
	sqlite3_finalize(s);
	if (rc)
		goto fail_noclose;
	return 0;
fail:
	sqlite3_finalize(s);
fail_noclose:
	return zw_errf(err, ZW_EINVALID, NULL, "数据库文件无法读取：%s", sqlite3_errmsg(db));
}

int store_file_inspect(const char *path, bool integrity,
                       void (*fn)(void *arg, const char *table, int64_t rows), void *arg,
                       struct store_file_info *info, struct zw_err *err)
{
	memset(info, 0, sizeof(*info));
	sqlite3 *db = NULL;
	/* immutable: nothing writes a backup, and no -wal or -shm file appears beside it */
	struct buf uri;
	buf_init(&uri, SQ_URI_MAX);
	sq_file_uri(path, "mode=ro&immutable=1", &uri);
	int rc = 0;
	if (sqlite3_open_v2(uri.p ? uri.p : "", &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	                    NULL) != SQLITE_OK)
		rc = zw_errf(err, ZW_EINVALID, NULL, "无法打开数据库文件 %s：%s", path,
		             db ? sqlite3_errmsg(db) : "内存不足");
	buf_free(&uri);
	if (!rc)
		rc = inspect(db, integrity, fn, arg, info, err);
	sqlite3_close(db);
	return rc;
}

int store_prefixed(struct sconn *c, const char *table, const char *column, const char *prefix,
                   int64_t *count, char **one, struct zw_err *err)
{
	*count = 0;
	*one = NULL;
	char *sql =
	    sqlite3_mprintf("SELECT count(*), min(\"%w\") FROM \"%w\" WHERE substr(\"%w\", 1, "
	                    "length(?1)) = ?1",
	                    column, table, column);
	sqlite3_stmt *s = sql ? sq_prepare(c, sql, err) : NULL;
	sqlite3_free(sql);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, prefix);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*count = sqlite3_column_int64(s, 0);
		*one = sq_dup(s, 1);
	} else {
		rc = sq_fail(c, err, "sealed");
	}
	sq_done(c, s);
	return rc;
}
