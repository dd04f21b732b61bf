#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api/openapi.h"
#include "api/registry_api.h"
#include "core/embed.h"
#include "core/record.h"
#include "core/test.h"
#include "domain/org/account.h"
#include "domain/ipam/address.h"
#include "domain/inventory/assets.h"
#include "domain/ipam/ipam.h"
#include "domain/inventory/terminal.h"
#include "domain/org/unit.h"

/* Every "$ref" in v points at something the document has. */
static void check_refs(json_t *doc, json_t *v, const char *where)
{
	if (json_is_object(v)) {
		const char *ref = json_string_value(json_object_get(v, "$ref"));
		if (ref) {
			if (strncmp(ref, "#/", 2) != 0)
				fail_msg("%s: $ref %s is not local", where, ref);
			json_t *at = doc;
			char part[128];
			for (const char *p = ref + 2; *p && at;) {
				size_t n = strcspn(p, "/");
				snprintf(part, sizeof(part), "%.*s", (int)n, p);
				at = json_object_get(at, part);
				p += n + (p[n] == '/');
			}
			if (!at)
				fail_msg("%s: $ref %s resolves to nothing", where, ref);
		}
		const char *k;
		json_t *c;
		json_object_foreach(v, k, c) check_refs(doc, c, where);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c) check_refs(doc, c, where);
	}
}

/* The document builds, no marker is left, every reference resolves and every operation
 * documents a success and the shared answers its rules give it. */
static void test_document_whole(void **state)
{
	(void)state;
	struct zw_err err = {0};
	json_t *doc = openapi_build(NULL, &err);
	if (!doc)
		fail_msg("openapi_build: %s", err.message);
	check_refs(doc, doc, "openapi.json");
	char *text = json_dumps(doc, 0);
	assert_null(strstr(text, "\"x-record\""));
	assert_null(strstr(text, "\"x-list\""));
	assert_null(strstr(text, "\"x-field\""));
	assert_null(strstr(text, "\"x-type\""));
	assert_null(strstr(text, "\"x-vocab\""));
	free(text);
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op)
		{
			json_t *rs = json_object_get(op, "responses");
			bool ok = false;
			const char *st;
			json_t *r;
			json_object_foreach(rs, st, r) ok |= st[0] == '2';
			if (!ok)
				fail_msg("%s %s documents no success", method, path);
			if (!json_object_get(rs, "400"))
				fail_msg("%s %s: no 400", method, path);
			json_t *sec = json_object_get(op, "security");
			bool public = json_is_array(sec) && json_array_size(sec) == 0;
			if (!public && !json_object_get(rs, "401"))
				fail_msg("%s %s: no 401", method, path);
			if (strchr(path, '{') && !json_object_get(rs, "404"))
				fail_msg("%s %s: no 404", method, path);
			if (json_object_get(op, "requestBody") && !json_object_get(rs, "415"))
				fail_msg("%s %s: no 415", method, path);
		}
	}
	json_decref(doc);
}

/* The unit schemas follow unit_schema: a read lists every member (with the *_code of an enum
 * that has codes) and nothing else, null where the server may write null; a create requires
 * what the table requires and refuses read-only members; an update omits fixed ones. */
static void test_unit_from_table(void **state)
{
	(void)state;
	struct zw_err err = {0};
	json_t *doc = openapi_build(NULL, &err);
	assert_non_null(doc);
	json_t *s = json_object_get(json_object_get(doc, "components"), "schemas");
	json_t *read = json_object_get(s, "Unit"), *create = json_object_get(s, "UnitCreate");
	json_t *patch = json_object_get(s, "UnitPatch");
	assert_non_null(read);
	assert_non_null(create);
	assert_non_null(patch);
	json_t *rp = json_object_get(read, "properties"),
	       *cp = json_object_get(create, "properties");
	assert_true(json_is_false(json_object_get(read, "additionalProperties")));
	assert_true(json_is_false(json_object_get(create, "additionalProperties")));
	for (size_t i = 0; i < unit_schema.nfields; i++) {
		const struct rec_field *f = &unit_schema.fields[i];
		json_t *p = json_object_get(rp, f->name);
		if (!p)
			fail_msg("Unit lacks %s", f->name);
		if (f->codes) {
			char key[80];
			snprintf(key, sizeof(key), "%s_code", f->name);
			assert_non_null(json_object_get(rp, key));
		}
		bool nullable = json_is_true(json_object_get(p, "nullable"));
		if (!(f->flags & REC_REQUIRED) && f->type != REC_BOOL && f->type != REC_INT)
			assert_true(nullable);
		json_t *c = json_object_get(cp, f->name);
		if (f->flags & REC_READONLY)
			assert_null(c);
		else if (f->type == REC_TEXT)
			assert_int_equal(json_integer_value(json_object_get(c, "maxLength")),
			                 f->maxchars ? f->maxchars : 200);
	}
	/* every field is always there; the one member that is not a field (the actions a unit's
	 * own page offers) only on one unit */
	assert_non_null(json_object_get(rp, "actions"));
	assert_int_equal(json_object_size(rp) - 1,
	                 json_array_size(json_object_get(read, "required")));
	bool name_required = false;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(create, "required"), i, v) name_required |=
	    strcmp(json_string_value(v), "name") == 0;
	assert_true(name_required);
	assert_null(json_object_get(patch, "required"));
	json_decref(doc);
}

/* A field in a format carries the pattern of its type (core/record.c), in every record. */
static void test_patterns_from_types(void **state)
{
	(void)state;
	struct zw_err err = {0};
	json_t *doc = openapi_build(NULL, &err);
	assert_non_null(doc);
	json_t *s = json_object_get(json_object_get(doc, "components"), "schemas");
	const struct {
		const char *component, *member;
		const struct rec_schema *sc;
	} want[] = {{"TerminalCreate", "mac", &terminal_schema},
	            {"TerminalCreate", "ip", &terminal_schema},
	            {"PrefixCreate", "cidr", &prefix_schema},
	            {"PrefixPatch", "dns", &prefix_schema},
	            {"AddressCreate", "hostname", &address_schema},
	            {"DomainNameCreate", "name", &domain_name_schema},
	            {"ZoneCreate", "code", &zone_schema},
	            {"UserCreate", "username", &user_schema},
	            {"DeviceCreate", "mgmt_ip", &device_schema}};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_t *p = json_object_get(
		    json_object_get(json_object_get(s, want[i].component), "properties"),
		    want[i].member);
		const char *got = json_string_value(json_object_get(p, "pattern"));
		const char *pat = rec_pattern(rec_field(want[i].sc, want[i].member), NULL);
		if (!got || strcmp(got, pat) != 0)
			fail_msg("%s.%s: pattern %s", want[i].component, want[i].member,
			         got ? got : "(none)");
	}
	/* the password of a new user is the policy's field */
	json_t *pw = json_object_get(
	    json_object_get(json_object_get(s, "UserCreate"), "properties"), "password");
	assert_string_equal(json_string_value(json_object_get(pw, "pattern")),
	                    rec_pattern(&password_schema.fields[0], NULL));
	assert_int_equal(json_integer_value(json_object_get(pw, "minLength")), 8);
	json_decref(doc);
}

static json_t *path_op(json_t *doc, const struct route *rt)
{
	char m[8];
	size_t k;
	for (k = 0; rt->method[k] && k < 7; k++)
		m[k] = (char)(rt->method[k] | 0x20);
	m[k] = 0;
	return json_object_get(json_object_get(json_object_get(doc, "paths"), rt->path), m);
}

/* A list's parameters, space-separated in the document's order. */
static void param_names(json_t *op, char *out, size_t n)
{
	size_t i;
	json_t *p;
	out[0] = 0;
	json_array_foreach(json_object_get(op, "parameters"), i, p)
	{
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", len ? " " : "",
		         json_string_value(json_object_get(p, "name")));
	}
}

/* The operations of the routes naming a registry kind are the tables': the summary is the
 * route's, a list documents exactly what its handler takes (limit, cursor, the sorts and
 * filters of the field table, api/registry_api.h), each enum filter the field's values. The
 * hand-written document only adds answers to them, so it restates nothing that could drift. */
static void test_kind_operations_from_tables(void **state)
{
	(void)state;
	struct zw_err err = {0};
	json_t *doc = openapi_build(NULL, &err);
	const struct embed_file *f = embed_find("api/openapi.json");
	json_t *hand = f ? json_loadb(f->data, f->size, 0, NULL) : NULL;
	assert_non_null(doc);
	assert_non_null(hand);
	size_t kinds = 0;
	for (size_t i = 0; i < nroutes; i++) {
		const struct route *rt = &routes[i];
		if (!rt->kind)
			continue;
		kinds++;
		json_t *op = path_op(doc, rt), *h = path_op(hand, rt);
		if (!op)
			fail_msg("%s %s is not documented", rt->method, rt->path);
		assert_string_equal(json_string_value(json_object_get(op, "summary")), rt->summary);
		const char *key;
		json_t *v;
		json_object_foreach(h, key, v) if (strcmp(key, "responses") != 0)
		    fail_msg("api/openapi.json restates %s of %s %s", key, rt->method, rt->path);
		if (strcmp(rt->method, "GET") != 0 || strchr(rt->path, '{'))
			continue;
		char want[512] = "limit cursor format sort", got[512];
		struct list_param ps[32];
		size_t np = list_params(rt->kind, ps, 32);
		for (size_t j = 0; j < np; j++) {
			size_t len = strlen(want);
			int w = snprintf(want + len, sizeof(want) - len, " %s", ps[j].name);
			assert_true(w > 0 && (size_t)w < sizeof(want) - len);
		}
		param_names(op, got, sizeof(got));
		if (strcmp(want, got) != 0)
			fail_msg("GET %s documents \"%s\", takes \"%s\"", rt->path, got, want);
		const char *sorts[64];
		size_t ns = list_sorts(rt->kind, sorts, 64);
		size_t j;
		json_t *p;
		json_array_foreach(json_object_get(op, "parameters"), j, p)
		{
			json_t *s = json_object_get(p, "schema");
			const char *name = json_string_value(json_object_get(p, "name"));
			const struct rec_field *rf = rec_field(rt->kind->sc, name);
			size_t nenum = 0;
			for (const char *const *e = rf ? rf->enums : NULL; e && *e; e++)
				nenum++;
			if (strcmp(name, "sort") == 0)
				assert_int_equal(json_array_size(json_object_get(s, "enum")),
				                 2 * ns);
			else if (rf && rf->type == REC_ENUM && (rf->flags & REC_FILTER))
				assert_int_equal(json_array_size(json_object_get(s, "enum")),
				                 nenum);
		}
	}
	assert_true(kinds > 50);
	/* every kind has its components: a read, a page, and a create and an update when a
	 * client writes it */
	json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	static const struct {
		const char *object, *read, *list, *create;
	} named[] = {{"zone", "Zone", "ZoneList", "ZoneCreate"},
	             {"domain_name", "DomainName", "DomainNameList", "DomainNamePatch"},
	             {"probe", "Probe", "ProbeList", NULL},
	             {"deadline", "Deadline", "DeadlineList", NULL}};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		assert_non_null(json_object_get(schemas, named[i].read));
		assert_non_null(json_object_get(schemas, named[i].list));
		if (named[i].create)
			assert_non_null(json_object_get(schemas, named[i].create));
	}
	assert_null(json_object_get(schemas, "DeadlineCreate"));
	json_decref(hand);
	json_decref(doc);
}

int main(void)
{
	RUN(cmocka_unit_test(test_document_whole), cmocka_unit_test(test_unit_from_table),
	    cmocka_unit_test(test_patterns_from_types),
	    cmocka_unit_test(test_kind_operations_from_tables));
}
