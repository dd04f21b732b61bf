#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/openapi.h"
#include "api/server.h"
#include "core/test.h"

/* The query parameters a route takes are the ones its OpenAPI operation documents. */
static void check_query_params(const char *path, const char *method, json_t *op)
{
	const struct route *rt = NULL;
	for (size_t i = 0; i < nroutes; i++)
		if (strcmp(routes[i].path, path) == 0 && strcasecmp(routes[i].method, method) == 0)
			rt = &routes[i];
	if (!rt)
		return;
	char documented[512] = "";
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(op, "parameters"), i, p)
	{
		const char *in = json_string_value(json_object_get(p, "in"));
		if (!in || strcmp(in, "query") != 0) /* a header, or a $ref to one */
			continue;
		const char *name = json_string_value(json_object_get(p, "name"));
		if (strcmp(rt->params, "*") == 0)
			continue;
		/* each documented one is accepted ... */
		char key[64];
		snprintf(key, sizeof(key), " %s ", name);
		char have[256];
		snprintf(have, sizeof(have), " %s ", rt->params);
		if (!strstr(have, key))
			fail_msg("%s %s documents ?%s, which the route refuses", method, path,
			         name);
		size_t n = strlen(documented);
		snprintf(documented + n, sizeof(documented) - n, "%s%s", n ? " " : "", name);
	}
	if (strcmp(rt->params, "*") == 0) {
		/* list endpoints document the paging parameters */
		const char *need[] = {"limit", "cursor", "sort"};
		for (int k = 0; k < 3; k++) {
			bool found = false;
			json_array_foreach(json_object_get(op, "parameters"), i, p) found |=
			    json_object_get(p, "name") &&
			    strcmp(json_string_value(json_object_get(p, "name")), need[k]) == 0;
			if (!found)
				fail_msg("%s %s does not document ?%s", method, path, need[k]);
		}
	} else if (strcmp(documented, rt->params) != 0) {
		/* ... and each accepted one is documented */
		fail_msg("%s %s: route takes \"%s\", document lists \"%s\"", method, path,
		         rt->params, documented);
	}
}

/* The OpenAPI document lists exactly the routes the server has, method by method: the
 * hand-written ones and those api/openapi.c writes from the registry kinds the rows name. */
static void test_openapi_in_step(void **state)
{
	(void)state;
	struct zw_err err = {0};
	json_t *doc = openapi_build(NULL, &err);
	if (!doc)
		fail_msg("openapi_build: %s", err.message);
	json_t *paths = json_object_get(doc, "paths");
	size_t documented = 0;
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item)
	{
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op)
		{
			documented++;
			bool found = false;
			for (size_t i = 0; i < nroutes; i++)
				found |= strcmp(routes[i].path, path) == 0 &&
				         strcasecmp(routes[i].method, method) == 0;
			if (!found)
				fail_msg("openapi.json documents %s %s, which is no route", method,
				         path);
			assert_non_null(json_object_get(op, "summary"));
			assert_non_null(json_object_get(op, "responses"));
			check_query_params(path, method, op);
		}
	}
	for (size_t i = 0; i < nroutes; i++) {
		char m[8];
		size_t k;
		for (k = 0; routes[i].method[k] && k < 7; k++)
			m[k] = (char)(routes[i].method[k] | 0x20);
		m[k] = 0;
		if (!json_object_get(json_object_get(paths, routes[i].path), m))
			fail_msg("route %s %s is missing from openapi.json", routes[i].method,
			         routes[i].path);
	}
	assert_int_equal(documented, nroutes);
	json_decref(doc);
}

static void test_match(void **state)
{
	(void)state;
	struct req r;
	memset(&r, 0, sizeof(r));
	assert_true(
	    route_match("/api/v1/units/{id}/contacts/{cid}", "/api/v1/units/12/contacts/3", &r));
	assert_int_equal(r.nparams, 2);
	assert_int_equal(r.params[0], 12);
	assert_int_equal(r.params[1], 3);
	assert_false(route_match("/api/v1/units/{id}", "/api/v1/units/abc", &r));
	assert_false(route_match("/api/v1/units/{id}", "/api/v1/units/0", &r));
	assert_false(route_match("/api/v1/units/{id}", "/api/v1/units/-1", &r));
	assert_false(route_match("/api/v1/units/{id}", "/api/v1/units/1/", &r));
	assert_false(route_match("/api/v1/units/{id}", "/api/v1/units/", &r));
	assert_true(
	    route_match("/api/v1/profile/clauses/{clause}", "/api/v1/profile/clauses/TB-13", &r));
	assert_string_equal(r.sparam, "TB-13");
}

int main(void)
{
	RUN(cmocka_unit_test(test_openapi_in_step), cmocka_unit_test(test_match));
}
