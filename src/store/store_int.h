/* store internals: shared by the files of src/store only. */
#ifndef ZW_STORE_INT_H
#define ZW_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

struct sconn {
	sqlite3 *db;
};

int sq_fail(struct sconn *c, struct zw_err *err, const char *what);
/* Prepare or fail with err filled. */
sqlite3_stmt *sq_prepare(struct sconn *c, const char *sql, struct zw_err *err);
/* Bind helpers: NULL text binds SQL NULL; id 0 binds NULL. */
void sq_text(sqlite3_stmt *s, int i, const char *v);
void sq_id(sqlite3_stmt *s, int i, int64_t v);
char *sq_dup(sqlite3_stmt *s, int col); /* NULL for SQL NULL */
/* Run a statement that returns no rows; maps constraint failures to ZW_ECONFLICT. */
int sq_exec_stmt(struct sconn *c, sqlite3_stmt *s, struct zw_err *err);
int sq_exec(struct sconn *c, const char *sql, struct zw_err *err);

int store_migrate(sqlite3 *db, struct zw_err *err);

#endif
