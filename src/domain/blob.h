/*
 * blob: uploaded files stored by content (SHA-256) inside the database, so a scan commits with
 * the record that names it, and the same file uploaded twice is kept once. The type is decided
 * by the bytes (magic numbers), never by the client's name for it.
 */
#ifndef ZW_DOMAIN_BLOB_H
#define ZW_DOMAIN_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* "application/pdf", "image/png", "image/jpeg", or NULL when the bytes are none of these. */
const char *blob_sniff(const void *data, size_t len);
int blob_put(struct sconn *c, const void *data, size_t len, const char *mime, char sha_out[65],
             struct zw_err *err);
/* *data is malloc'd; caller frees. */
int blob_get(struct sconn *c, const char *sha, void **data, size_t *len, char mime[64],
             struct zw_err *err);

#endif
