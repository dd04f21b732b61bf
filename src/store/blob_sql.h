/* blob_sql: uploaded files kept by content in the blobs table (domain/blob.h). */
#ifndef ZW_STORE_BLOB_SQL_H
#define ZW_STORE_BLOB_SQL_H

#include <stddef.h>

#include "core/err.h"
#include "store/store.h"

/* Store data under sha unless a blob of that sha is there already. */
int store_blob_put(struct sconn *c, const char *sha, const void *data, size_t len, const char *mime,
                   struct zw_err *err);
/* *data is malloc'd; caller frees. */
int store_blob_get(struct sconn *c, const char *sha, void **data, size_t *len, char mime[64],
                   struct zw_err *err);

#endif
