/* SQL of the blobs table: content-addressed files (scans, evidence). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/query.h"
#include "store/blob_sql.h"

int store_blob_put(struct sconn *c, const char *sha, const void *data, size_t len, const char *mime,
                   struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO blobs (sha256, size, mime, data, created_at)"
	               " VALUES (?,?,?,?, unixepoch()) ON CONFLICT (sha256) DO NOTHING",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, sha);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)len);
	sq_text(s, 3, mime);
	sqlite3_bind_blob64(s, 4, data, len, SQLITE_TRANSIENT);
	return sq_exec_stmt(c, s, err);
}

int store_blob_get(struct sconn *c, const char *sha, void **data, size_t *len, char mime[64],
                   struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT data, mime FROM blobs WHERE sha256 = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, sha);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sq_done(c, s);
		return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, "文件不存在")
		                         : sq_fail(c, err, "blob get");
	}
	size_t n = (size_t)sqlite3_column_bytes(s, 0);
	*data = xmalloc(n);
	memcpy(*data, sqlite3_column_blob(s, 0), n);
	*len = n;
	snprintf(mime, 64, "%s", (const char *)sqlite3_column_text(s, 1));
	sq_done(c, s);
	return 0;
}
