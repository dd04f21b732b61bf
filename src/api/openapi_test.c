#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api/openapi.h"
#include "core/record.h"
#include "core/test.h"
#include "domain/account.h"
#include "domain/address.h"
#include "domain/assets.h"
#include "domain/ipam.h"
#include "domain/terminal.h"
#include "domain/unit.h"

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
	assert_int_equal(json_object_size(rp), json_array_size(json_object_get(read, "required")));
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

int main(void)
{
	RUN(cmocka_unit_test(test_document_whole), cmocka_unit_test(test_unit_from_table),
	    cmocka_unit_test(test_patterns_from_types));
}
