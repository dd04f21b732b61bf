/* blob_sql: the blobs table (files kept by content). */
#ifndef ZW_STORE_BLOB_SQL_H
#define ZW_STORE_BLOB_SQL_H

#include <stddef.h>

#include "core/err.h"
#include "store/store.h"

int store_blob_put(struct sconn *c, const char *sha, const void *data, size_t len, const char *mime,
                   struct zw_err *err);
int store_blob_get(struct sconn *c, const char *sha, void **data, size_t *len, char mime[64],
                   struct zw_err *err);

#endif
