/* SQL of the imports (domain/import.c) beyond the record tables' own. */
#include "store/import_sql.h"

#include "core/xalloc.h"
#include "store/store_int.h"

int store_lookup_id(struct sconn *c, const char *sql, const char *arg, int64_t *id)
{
	sqlite3_stmt *s = sq_prepare(c, sql, NULL);
	if (!s)
		return 0;
	sq_text(s, 1, arg);
	int n = 0;
	while (n < 2 && sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		n++;
	}
	sq_done(c, s);
	return n;
}

char *store_lookup_text(struct sconn *c, const char *sql, int64_t id)
{
	sqlite3_stmt *s = sq_prepare(c, sql, NULL);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	char *out = NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		out = xstrdup((const char *)sqlite3_column_text(s, 0));
	sq_done(c, s);
	return out;
}
