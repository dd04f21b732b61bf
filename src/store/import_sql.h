/* import_sql: the lookups of an import (domain/import.c) beyond the record tables' own. */
#ifndef ZW_STORE_IMPORT_SQL_H
#define ZW_STORE_IMPORT_SQL_H

#include <stdint.h>

#include "store/store.h"

/* Run a one-parameter lookup returning ids: 1 when exactly one row, 0 none, 2 several. */
int store_lookup_id(struct sconn *c, const char *sql, const char *arg, int64_t *id);

/* The text of the first column of a one-parameter lookup by id (malloc'd), or NULL. */
char *store_lookup_text(struct sconn *c, const char *sql, int64_t id);

#endif
