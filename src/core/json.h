/* json: parsing request bodies strictly (duplicates, NUL, depth and size refused). */
#ifndef ZW_CORE_JSON_H
#define ZW_CORE_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* Parse a request body; on failure err says where (line and column) and why. */
json_t *json_parse_body(const char *body, size_t len, struct zw_err *err);
/* Compact UTF-8 serialisation; caller frees. */
char *json_compact(const json_t *v);

#endif
