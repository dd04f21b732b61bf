/* registry_api: list/get/create/patch/delete handlers for a registry kind, with the kind's
 * sort columns and list filters. */
#ifndef ZW_API_REGISTRY_API_H
#define ZW_API_REGISTRY_API_H

#include <stdbool.h>

#include "api/handlers.h"
#include "domain/registry.h"

struct reg_api {
	const struct registry_kind *k;
	const char *const *sorts;
	const struct list_filter_def *filters;
};

/* The list filters of filters on an enum field of sc (equality) name one of its values;
 * otherwise a 400 naming the parameter. */
int req_enum_filters(struct req *r, const struct rec_schema *sc,
                     const struct list_filter_def *filters, struct zw_err *err);
void reg_list(struct req *r, const struct reg_api *a);
void reg_get(struct req *r, const struct reg_api *a);
void reg_reply(struct req *r, const struct registry_kind *k, int status, int64_t id);
void reg_write(struct req *r, const struct reg_api *a, bool update);
void reg_delete(struct req *r, const struct reg_api *a);

#endif
