/*
 * openapi: the OpenAPI document GET /api/v1/openapi.json serves, built from two sources.
 *
 * api/openapi.json (embedded) is written by hand: the paths, their parameters, the request
 * and answer schemas particular to an operation, and the shared answers (components.
 * responses). The routes naming a registry kind (api/routes.c) are not written there: each is
 * one of the kind's five operations (list, create, get, update, delete), described from the
 * route's summary and the kind's field table (the list's sorts and filters as the handler
 * takes them, api/registry_api.h); the document may only add answers to one (a 422). Every
 * registry kind has its components too (Zone, ZoneList, and ZoneCreate and ZonePatch when a
 * client writes it); a hand-written one refines them.
 *
 * The field tables (core/record.h) give every record's schemas: a component {"x-record":
 * "unit"} becomes the object a read answers, {"x-record": "unit", "x-mode": "create"} the body
 * a create accepts, "patch" the body an update accepts; {"x-list": "Unit"} a page of them.
 * Properties the hand-written component lists refine or add to the table's (a description, a
 * member a handler adds); a create's and an update's take the read component's refinements
 * first (ZoneCreate those of Zone). {"x-field": "user.username"} anywhere stands for one field
 * of a table as a create takes it (login, password bodies); {"x-vocab": "..."} for a
 * vocabulary of the county's profile; the component UnitStatusChange becomes one body per
 * status with what the move needs. Rules add the answers every operation shares, so no
 * operation lists them: 400 (every request has a query string), 401 and 403 unless the
 * operation is public (security: []), 404 when the path has a parameter, 412 when it takes
 * If-Match, 413 and 415 when it takes a body.
 */
#ifndef ZW_API_OPENAPI_H
#define ZW_API_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

struct profile;

/* The whole document, a new reference; NULL and err filled when the hand-written part is
 * broken (a marker naming no record, a bad embed). prof gives the county's vocabularies (the
 * agreement kinds, forbidden behaviours, clauses, the statuses a unit may be registered with);
 * without one those members stay open. */
json_t *openapi_build(const struct profile *prof, struct zw_err *err);
/* The document as JSON text, built on first use and kept for the process (thread-safe);
 * NULL when it cannot be built. */
const char *openapi_text(const struct profile *prof, size_t *len);

#endif
