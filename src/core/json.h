/* json: parsing request bodies strictly (duplicates, NUL, depth and size refused). */
#ifndef ZW_CORE_JSON_H
#define ZW_CORE_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#include "core/err.h"

/* Parse a request body; on failure err says where (line and column) and why. */
json_t *json_parse_body(const char *body, size_t len, struct zw_err *err);
/* Append s as a JSON string literal (quotes, escapes; UTF-8 passes through). */
int json_write_str(struct buf *b, const char *s);
/* The same for n bytes (no NUL among them). */
int json_write_strn(struct buf *b, const char *s, size_t n);
/* A 64-bit hash of bytes for ETags (not cryptographic: it only tells versions apart). */
uint64_t hash64(const void *data, size_t len);

/* Compact UTF-8 serialisation; caller frees. */
char *json_compact(const json_t *v);

#endif
