#include "api/openapi.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/record.h"
#include "domain/account.h"
#include "domain/address.h"
#include "domain/application.h"
#include "domain/assets.h"
#include "domain/deadline.h"
#include "domain/finding.h"
#include "domain/ipam.h"
#include "domain/terminal.h"
#include "domain/unit.h"
#include "domain/violation.h"

/* The records whose schemas the document takes from their field tables. */
static const struct rec_schema *const records[] = {
    &unit_schema,     &contact_schema,  &agreement_schema,   &user_schema,    &zone_schema,
    &vlan_schema,     &prefix_schema,   &terminal_schema,    &address_schema, &carrier_schema,
    &line_schema,     &device_schema,   &domain_name_schema, &port_schema,    &application_schema,
    &app_port_schema, &deadline_schema, &violation_schema,   &finding_schema,
};

enum mode { M_READ, M_CREATE, M_PATCH };

/* What rec_from_json lets through, as regular expressions a client can apply: text without
 * control characters (newlines and tabs too for multiline fields), dates and times as
 * parse_date and parse_time read them, and the two formats record.c checks. */
#define PAT_TEXT      "^[^\\x00-\\x1f\\x7f]*$"
#define PAT_MULTILINE "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
/* a name (REC_NAME, core/text.h): not blanks only; no control, bidi or invisible character
 * (the format characters of the BMP, line and paragraph separators, Hangul fillers) */
#define PAT_NAME                                                                                   \
	"^(?!\\s*$)[^\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u08e2"     \
	"\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u3164" \
	"\\ufeff\\uffa0\\ufff9-\\ufffb]*$"
#define PAT_DATE "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
#define PAT_TIME                                                                                   \
	"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-" \
	"9]"                                                                                       \
	":[0-5][0-9](Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"
#define PAT_MOBILE "^1[3-9][0-9]{9}$"
#define PAT_EMAIL                                                                                  \
	"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9][A-Za-z0-9-]*(\\.[A-Za-z0-9-]+)+$"

static bool is_text(enum rec_type t)
{
	return t == REC_TEXT || t == REC_ENUM || t == REC_DATE || t == REC_MOBILE || t == REC_EMAIL;
}

static json_t *str_array(const char *const *v)
{
	json_t *a = json_array();
	for (; v && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *field_schema(const struct rec_field *f, enum mode m)
{
	json_t *o = json_object();
	bool req = m != M_READ;
	size_t max = f->maxchars ? f->maxchars : 200;
	bool nullable = m == M_READ ? !(f->flags & REC_REQUIRED) || !is_text(f->type)
	                            : (f->flags & REC_NULLABLE) && !(f->flags & REC_REQUIRED);
	switch (f->type) {
	case REC_ENUM:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "enum", str_array(f->enums));
		break;
	case REC_TEXT:
	case REC_DATE:
	case REC_MOBILE:
	case REC_EMAIL:
		json_object_set_new(o, "type", json_string("string"));
		if (f->type == REC_DATE)
			json_object_set_new(o, "format", json_string("date"));
		if (f->type == REC_EMAIL)
			json_object_set_new(o, "format", json_string("email"));
		if (!req)
			break;
		json_object_set_new(
		    o, "maxLength",
		    json_integer((json_int_t)(f->type == REC_EMAIL && max > 254 ? 254 : max)));
		/* a write-only secret cannot be empty either (assets.c: "" is refused) */
		if ((f->flags & (REC_REQUIRED | REC_WRITEONLY)) && f->type == REC_TEXT)
			json_object_set_new(o, "minLength", json_integer(1));
		json_object_set_new(o, "pattern",
		                    json_string(f->type == REC_DATE          ? PAT_DATE
		                                : f->type == REC_MOBILE      ? PAT_MOBILE
		                                : f->type == REC_EMAIL       ? PAT_EMAIL
		                                : (f->flags & REC_MULTILINE) ? PAT_MULTILINE
		                                : (f->flags & REC_NAME)      ? PAT_NAME
		                                                             : PAT_TEXT));
		break;
	case REC_ID:
		json_object_set_new(o, "type", json_string("integer"));
		if (req)
			json_object_set_new(o, "minimum", json_integer(1));
		break;
	case REC_INT:
		json_object_set_new(o, "type", json_string("integer"));
		if (!req) /* a read shows what is stored: 0 for "not given", say */
			break;
		json_object_set_new(o, "minimum", json_integer(f->min));
		json_object_set_new(o, "maximum", json_integer(f->max));
		break;
	case REC_BOOL:
		json_object_set_new(o, "type", json_string("boolean"));
		nullable = false;
		break;
	case REC_TIME:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "format", json_string("date-time"));
		if (req)
			json_object_set_new(o, "pattern", json_string(PAT_TIME));
		break;
	case REC_REAL:
		json_object_set_new(o, "type", json_string("number"));
		break;
	}
	if (m == M_READ && f->type == REC_INT)
		nullable = false;
	if (nullable)
		json_object_set_new(o, "nullable", json_true());
	if (f->flags & REC_READONLY)
		json_object_set_new(o, "readOnly", json_true());
	if (f->flags & REC_WRITEONLY)
		json_object_set_new(o, "writeOnly", json_true());
	json_object_set_new(o, "description", json_string(f->label));
	return o;
}

/* The object schema of a record in a mode: what a read answers (every member, always
 * present, nothing else), what a create or an update accepts (unknown members refused). */
static json_t *record_schema(const struct rec_schema *sc, enum mode m)
{
	json_t *props = json_object(), *required = json_array();
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		if (m == M_READ && (f->flags & REC_WRITEONLY))
			continue;
		if (m != M_READ && (f->flags & REC_READONLY))
			continue;
		if (m == M_PATCH && (f->flags & REC_FIXED))
			continue;
		json_object_set_new(props, f->name, field_schema(f, m));
		if (m == M_READ || (m == M_CREATE && (f->flags & REC_REQUIRED)))
			json_array_append_new(required, json_string(f->name));
		if (m == M_READ && f->codes) {
			char key[80];
			snprintf(key, sizeof(key), "%s_code", f->name);
			json_t *c = json_pack("{s:s, s:o, s:b, s:b, s:s}", "type", "string", "enum",
			                      str_array(f->codes), "nullable", 1, "readOnly", 1,
			                      "description", "取值的英文代码");
			json_object_set_new(props, key, c);
			json_array_append_new(required, json_string(key));
		}
	}
	json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
	                      "additionalProperties", 0);
	if (json_array_size(required))
		json_object_set_new(o, "required", required);
	else
		json_decref(required);
	return o;
}

/* An application's body depends on its kind (application.c's table of kinds): one schema per
 * kind, with the fields that kind accepts and those it requires (filled in). */
static json_t *application_create(void)
{
	json_t *all = record_schema(&application_schema, M_CREATE);
	json_t *props = json_object_get(all, "properties");
	json_t *kinds = application_kinds_json(), *one = json_array();
	size_t i, j;
	json_t *k, *w;
	json_array_foreach(kinds, i, k)
	{
		const char *kind = json_string_value(json_object_get(k, "kind"));
		json_t *p = json_object(), *req = json_pack("[s, s]", "kind", "unit_id");
		json_t *kp = json_deep_copy(json_object_get(props, "kind"));
		json_object_set_new(kp, "enum", json_pack("[s]", kind));
		json_object_set_new(p, "kind", kp);
		json_object_set(p, "unit_id", json_object_get(props, "unit_id"));
		json_array_foreach(json_object_get(k, "fields"), j, w)
		{
			json_t *fs = json_object_get(props, json_string_value(w));
			if (fs)
				json_object_set_new(p, json_string_value(w), json_deep_copy(fs));
		}
		json_array_foreach(json_object_get(k, "required"), j, w)
		{
			json_t *fs = json_object_get(p, json_string_value(w));
			json_array_append(req, w);
			if (fs && json_object_get(fs, "maxLength"))
				json_object_set_new(fs, "minLength", json_integer(1));
			if (fs)
				json_object_del(fs, "nullable");
		}
		if (strcmp(kind, "port") == 0) {
			json_object_set_new(p, "ports",
			                    json_pack("{s:s, s:i, s:i, s:{s:s}, s:s}", "type",
			                              "array", "minItems", 1, "maxItems", 64,
			                              "items", "$ref",
			                              "#/components/schemas/ApplicationPortCreate",
			                              "description", "申请开放的端口"));
			json_array_append_new(req, json_string("ports"));
		}
		json_array_append_new(one, json_pack("{s:s, s:s, s:o, s:o, s:b}", "title", kind,
		                                     "type", "object", "properties", p, "required",
		                                     req, "additionalProperties", 0));
	}
	json_decref(kinds);
	json_decref(all);
	return json_pack("{s:o, s:{s:s}}", "oneOf", one, "discriminator", "propertyName", "kind");
}

static const struct rec_schema *record_named(const char *name)
{
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (strcmp(records[i]->object, name) == 0)
			return records[i];
	return NULL;
}

/* One component with a marker, expanded; the hand-written members refine the table's. */
static json_t *expand_component(const char *name, json_t *hand, struct zw_err *err)
{
	const char *rec = json_string_value(json_object_get(hand, "x-record"));
	const char *list = json_string_value(json_object_get(hand, "x-list"));
	json_t *o;
	if (list) {
		char ref[128];
		snprintf(ref, sizeof(ref), "#/components/schemas/%s", list);
		o = json_pack("{s:s, s:[s, s], s:{s:{s:s, s:{s:s}}, s:{s:s, s:b}}, s:b}", "type",
		              "object", "required", "items", "next_cursor", "properties", "items",
		              "type", "array", "items", "$ref", ref, "next_cursor", "type",
		              "string", "nullable", 1, "additionalProperties", 0);
	} else if (rec) {
		const struct rec_schema *sc = record_named(rec);
		const char *mode = json_string_value(json_object_get(hand, "x-mode"));
		enum mode m = !mode ? M_READ : strcmp(mode, "create") == 0 ? M_CREATE : M_PATCH;
		if (!sc || (mode && strcmp(mode, "create") != 0 && strcmp(mode, "patch") != 0)) {
			zw_errf(err, ZW_EINTERNAL, name, "openapi.json: %s names no record (%s %s)",
			        name, rec, mode ? mode : "");
			return NULL;
		}
		o = sc == &application_schema && m == M_CREATE ? application_create()
		                                               : record_schema(sc, m);
	} else {
		return json_incref(hand);
	}
	json_t *props = json_object_get(o, "properties");
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(hand, "properties"), key, v)
	{
		json_t *have = json_object_get(props, key);
		if (have && json_is_object(v))
			json_object_update(have, v);
		else if (json_object_get(v, "type") || json_object_get(v, "$ref"))
			json_object_set(props, key, v); /* a member the handler adds */
		/* else: it refines a field this mode leaves out (a fixed one in an update) */
	}
	json_t *req = json_object_get(o, "required");
	size_t i;
	json_array_foreach(json_object_get(hand, "required"), i, v)
	{
		if (!req) {
			req = json_array();
			json_object_set_new(o, "required", req);
		}
		json_array_append(req, v);
	}
	json_object_foreach(hand, key,
	                    v) if (strncmp(key, "x-", 2) != 0 && strcmp(key, "properties") != 0 &&
	                           strcmp(key, "required") != 0) json_object_set(o, key, v);
	return o;
}

/* A list's filter named after a field of the listed record takes that field's values. */
static json_t *query_schema(const struct rec_field *f)
{
	switch (f->type) {
	case REC_ENUM:
		return json_pack("{s:s, s:o}", "type", "string", "enum", str_array(f->enums));
	case REC_ID:
		return json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
	case REC_INT:
		return json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum",
		                 (json_int_t)f->min, "maximum", (json_int_t)f->max);
	case REC_TEXT:
	case REC_MOBILE:
	case REC_EMAIL:
		/* at most 200 bytes of UTF-8 (req_list_query), so 66 Chinese characters */
		return json_pack("{s:s, s:i, s:s}", "type", "string", "maxLength", 66, "pattern",
		                 PAT_TEXT);
	default:
		return NULL;
	}
}

static void query_from_fields(json_t *schemas, json_t *op)
{
	json_t *s = json_object_get(json_object_get(op, "responses"), "200");
	s = json_object_get(json_object_get(json_object_get(s, "content"), "application/json"),
	                    "schema");
	const char *ref = json_string_value(json_object_get(s, "$ref"));
	const char *pre = "#/components/schemas/";
	if (!ref || strncmp(ref, pre, strlen(pre)) != 0)
		return;
	const char *item = json_string_value(
	    json_object_get(json_object_get(schemas, ref + strlen(pre)), "x-list"));
	const char *rec =
	    item ? json_string_value(json_object_get(json_object_get(schemas, item), "x-record"))
	         : NULL;
	const struct rec_schema *sc = rec ? record_named(rec) : NULL;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(op, "parameters"), i, p)
	{
		const char *in = json_string_value(json_object_get(p, "in"));
		const char *name = json_string_value(json_object_get(p, "name"));
		const struct rec_field *f =
		    sc && name && in && strcmp(in, "query") == 0 ? rec_field(sc, name) : NULL;
		json_t *qs = f ? query_schema(f) : NULL;
		if (qs)
			json_object_set_new(p, "schema", qs);
	}
}

static void add_response(json_t *responses, const char *status, const char *name)
{
	if (json_object_get(responses, status))
		return;
	char ref[96];
	snprintf(ref, sizeof(ref), "#/components/responses/%s", name);
	json_object_set_new(responses, status, json_pack("{s:s}", "$ref", ref));
}

/* The answers every operation shares, by rule (see openapi.h). */
static void add_common(const char *path, const char *method, json_t *op)
{
	json_t *rs = json_object_get(op, "responses");
	if (!rs) {
		rs = json_object();
		json_object_set_new(op, "responses", rs);
	}
	add_response(rs, "400", "BadRequest");
	json_t *sec = json_object_get(op, "security");
	if (!(json_is_array(sec) && json_array_size(sec) == 0)) {
		add_response(rs, "401", "Unauthenticated");
		add_response(rs, "403", "Forbidden");
	}
	if (strchr(path, '{'))
		add_response(rs, "404", "NotFound");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(op, "parameters"), i, p)
	{
		const char *ref = json_string_value(json_object_get(p, "$ref"));
		const char *name = json_string_value(json_object_get(p, "name"));
		if ((ref && strcmp(ref, "#/components/parameters/IfMatch") == 0) ||
		    (name && strcmp(name, "If-Match") == 0))
			add_response(rs, "412", "Stale");
	}
	json_t *body = json_object_get(op, "requestBody");
	if (body) {
		add_response(rs, "413", "TooLarge");
		add_response(rs, "415", "UnsupportedMediaType");
	}
	/* a record written: a unique member taken, or a reference still in use */
	const char *ref = json_string_value(json_object_get(
	    json_object_get(json_object_get(json_object_get(body, "content"), "application/json"),
	                    "schema"),
	    "$ref"));
	size_t n = ref ? strlen(ref) : 0;
	if ((n > 6 && strcmp(ref + n - 6, "Create") == 0) ||
	    (n > 5 && strcmp(ref + n - 5, "Patch") == 0) || strcmp(method, "delete") == 0)
		add_response(rs, "409", "Conflict");
}

json_t *openapi_build(struct zw_err *err)
{
	const struct embed_file *f = embed_find("api/openapi.json");
	json_error_t je;
	json_t *doc = f ? json_loadb(f->data, f->size, 0, &je) : NULL;
	if (!doc) {
		zw_errf(err, ZW_EINTERNAL, NULL, "openapi.json: %s", f ? je.text : "not embedded");
		return NULL;
	}
	json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		json_t *get = json_object_get(item, "get");
		if (get)
			query_from_fields(schemas, get);
	}
	const char *name;
	json_t *hand;
	void *tmp;
	json_object_foreach_safe(schemas, tmp, name, hand)
	{
		json_t *o = expand_component(name, hand, err);
		if (!o) {
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(schemas, name, o);
	}
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) add_common(path, method, op);
	}
	return doc;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *text;
static size_t text_len;

static void build_text(void)
{
	struct zw_err err = {0};
	json_t *doc = openapi_build(&err);
	if (!doc)
		return;
	text = json_dumps(doc, JSON_COMPACT);
	text_len = text ? strlen(text) : 0;
	json_decref(doc);
}

const char *openapi_text(size_t *len)
{
	pthread_once(&once, build_text);
	*len = text_len;
	return text;
}
