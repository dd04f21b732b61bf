/* backup_sql: whole-file copies of the database and what a copy holds. */
#ifndef ZW_STORE_BACKUP_SQL_H
#define ZW_STORE_BACKUP_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* A consistent copy of the database into path, which must not exist: VACUUM INTO on a read
 * connection, so it reads one snapshot while the server goes on writing, and the copy holds
 * every transaction committed before it began and none after. */
int store_snapshot(struct store *st, const char *path, struct zw_err *err);

struct store_file_info {
	int schema;            /* PRAGMA user_version */
	int64_t audit_head_id; /* meta audit_head: the newest audit entry */
	char audit_head[65];
	char profile[64];  /* meta profile */
	char problem[256]; /* why the file is not intact ("" when it is) */
};
/* Open a database file read-only and read what it holds: each table with its number of rows
 * (fn, in name order), the schema version, the audit chain's head and the profile. With
 * integrity, also PRAGMA integrity_check (info->problem names the first fault). */
int store_file_inspect(const char *path, bool integrity,
                       void (*fn)(void *arg, const char *table, int64_t rows), void *arg,
                       struct store_file_info *info, struct zw_err *err);

/* How many rows of table hold a value of column starting with prefix, and one of them
 * (*one, caller frees; NULL when none). table and column are the program's own names. */
int store_prefixed(struct sconn *c, const char *table, const char *column, const char *prefix,
                   int64_t *count, char **one, struct zw_err *err);

#endif
