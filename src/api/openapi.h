/*
 * openapi: the OpenAPI document GET /api/v1/openapi.json serves, built from two sources.
 *
 * api/openapi.json (embedded) is written by hand: the paths, their parameters, the request
 * and answer schemas particular to an operation, and the shared answers (components.
 * responses). The field tables (core/record.h) give every record's schemas: a component
 * {"x-record": "unit"} becomes the object a read answers, {"x-record": "unit", "x-mode":
 * "create"} the body a create accepts, "patch" the body an update accepts; {"x-list": "Unit"}
 * a page of them. Properties the hand-written component lists refine or add to the table's
 * (a pattern the domain checks, a member a handler adds). Rules add the answers every
 * operation shares, so no operation lists them: 400 (every request has a query string),
 * 401 and 403 unless the operation is public (security: []), 404 when the path has a
 * parameter, 412 when it takes If-Match, 413 and 415 when it takes a body.
 */
#ifndef ZW_API_OPENAPI_H
#define ZW_API_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* The whole document, a new reference; NULL and err filled when the hand-written part is
 * broken (a marker naming no record, a bad embed). */
json_t *openapi_build(struct zw_err *err);
/* The document as JSON text, built on first use and kept for the process (thread-safe);
 * NULL when it cannot be built. */
const char *openapi_text(size_t *len);

#endif
