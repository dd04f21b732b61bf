/* registry_api: the list/get/create/patch/delete handlers of every registry kind. A route row
 * names the handler and the kind (api/routes.c); what a list takes comes from the kind's field
 * table (core/record.h: REC_SORT, REC_FILTER, REC_SEARCH, REC_RANGE), and the OpenAPI
 * document states the same (api/openapi.c). */
#ifndef ZW_API_REGISTRY_API_H
#define ZW_API_REGISTRY_API_H

#include <stdbool.h>

#include "api/handlers.h"
#include "domain/export.h"
#include "domain/registry.h"

/* One query parameter of a kind's list besides limit, cursor and sort. */
struct list_param {
	char name[48];             /* "status", "q", "due_before" */
	const struct rec_field *f; /* the field it compares */
	enum lq_op op;
};
/* The filters of k's list: the equality filters and time ranges in field order, then ?q=.
 * Returns how many (at most max are written). */
size_t list_params(const struct registry_kind *k, struct list_param *out, size_t max);
/* The columns k's list sorts by: id, then the REC_SORT fields; NULL-terminated, at most max
 * entries with the NULL. Returns how many. */
size_t list_sorts(const struct registry_kind *k, const char **out, size_t max);

/* The list filters of filters on an enum field of sc (equality) name one of its values;
 * otherwise a 400 naming the parameter. */
int req_enum_filters(struct req *r, const struct rec_schema *sc,
                     const struct list_filter_def *filters, struct zw_err *err);

/* Answer with k's list under q as the sheet ?format= names (csv, xlsx: domain/export.h): every
 * page, the same filters and sort. */
void list_export(struct req *r, const struct ctx *x, const struct registry_kind *k, int64_t parent,
                 const struct list_query *q);

/* Answer with a sheet out in format f as a file named "<title>-<today>.<ext>". */
void reply_sheet(struct req *r, const char *title, enum export_format f, const struct buf *out);

/* The handlers of a route row's kind (r->kind). */
void reg_list(struct req *r);
void reg_get(struct req *r);
void reg_create(struct req *r);
void reg_patch(struct req *r);
void reg_delete(struct req *r);
/* Answer with object id of kind k (under the route's parent) as the caller may see it, with the
 * kind's actions (status 200 or 201). */
void reg_reply(struct req *r, const struct registry_kind *k, int status, int64_t id);

#endif
