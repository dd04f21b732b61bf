#include "api/openapi.h"
#include "domain/import_kind.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/registry_api.h"
#include "core/embed.h"
#include "core/record.h"
#include "domain/export.h"
#include "domain/notify/notify.h"
#include "domain/org/account.h"
#include "domain/access/application.h"
#include "domain/violation/finding.h"
#include "domain/org/unit.h"
#include "domain/ops/change.h"
#include "domain/ops/duty.h"
#include "domain/ops/maintenance.h"
#include "domain/ops/plan.h"
#include "domain/ops/ticket.h"
#include "domain/violation/violation.h"
#include "wire/obs.h"
#include "policy/authz.h"
#include "policy/profile.h"

/* The records whose schemas the document takes from their field tables besides the registry
 * kinds' (domain/registry.c). */
static const struct rec_schema *const records[] = {
    &app_port_schema,
    &violation_transition_schema,
    &finding_transition_schema,
    &password_schema,
    &application_transition_schema,
    &ticket_transition_schema,
    &maintenance_transition_schema,
    &change_transition_schema,
    &duty_transition_schema,
    &plan_transition_schema,
};

enum mode { M_READ, M_CREATE, M_PATCH };

/* The pattern of plain text (no control characters), for query strings. */
static const char *text_pattern(void)
{
	static const struct rec_field plain = {.name = "", .type = REC_TEXT, .label = ""};
	return rec_pattern(&plain, NULL);
}

#define is_text rec_is_text

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
	case REC_ENUM: /* values that are codes carry their Chinese names, in the same order */
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "enum", str_array(f->enums));
		if (f->labels)
			json_object_set_new(o, "x-labels", str_array(f->labels));
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
			json_object_set_new(o, "pattern", json_string(rec_pattern(f, NULL)));
		break;
	case REC_REAL:
		json_object_set_new(o, "type", json_string("number"));
		break;
	default: { /* text: its length and the pattern of its type (core/record.c) */
		static const char *const formats[] = {[REC_DATE] = "date",
		                                      [REC_EMAIL] = "email",
		                                      [REC_IP] = "ip",
		                                      [REC_IPS] = "ip-list",
		                                      [REC_CIDR] = "cidr",
		                                      [REC_MAC] = "mac",
		                                      [REC_HOSTNAME] = "hostname",
		                                      [REC_DOMAIN] = "hostname",
		                                      [REC_PASSWORD] = "password"};
		json_object_set_new(o, "type", json_string("string"));
		if ((size_t)f->type < sizeof(formats) / sizeof(formats[0]) && formats[f->type])
			json_object_set_new(o, "format", json_string(formats[f->type]));
		if (!req)
			break;
		json_object_set_new(
		    o, "maxLength",
		    json_integer((json_int_t)(f->type == REC_EMAIL && max > 254 ? 254 : max)));
		if (rec_min_chars(f))
			json_object_set_new(o, "minLength",
			                    json_integer((json_int_t)rec_min_chars(f)));
		json_object_set_new(o, "pattern", json_string(rec_pattern(f, NULL)));
		if (f->flags & REC_PAST) /* no JSON Schema keyword compares with today */
			json_object_set_new(o, "x-not-after", json_string("today"));
		break;
	}
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
	for (const struct registry_entry *e = registry_kinds; e->k; e++)
		if (strcmp(e->k->object, name) == 0)
			return e->k->sc;
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (strcmp(records[i]->object, name) == 0)
			return records[i];
	return NULL;
}

/* The component of a record in a mode: its object in CamelCase and the suffix ("Zone",
 * "DomainNameCreate", "VlanList"). */
static void component_name(const char *object, const char *suffix, char out[80])
{
	size_t o = 0;
	for (const char *p = object; *p && o + 1 < 60; p++) {
		if (*p == '_')
			continue;
		out[o++] = p == object || p[-1] == '_' ? (char)(*p & ~0x20) : *p;
	}
	snprintf(out + o, 80 - o, "%s", suffix);
}

/* Every registry kind has its components: what a read answers, a page of them and, when a
 * client writes it, the bodies of a create and an update. A hand-written one stays (it
 * refines the table's). */
static void kind_components(json_t *schemas)
{
	char name[80], other[80];
	for (const struct registry_entry *e = registry_kinds; e->k; e++) {
		const char *obj = e->k->object;
		component_name(obj, "", name);
		if (!json_object_get(schemas, name))
			json_object_set_new(schemas, name, json_pack("{s:s}", "x-record", obj));
		component_name(obj, "List", other);
		if (!json_object_get(schemas, other))
			json_object_set_new(schemas, other, json_pack("{s:s}", "x-list", name));
		for (int m = 0; m < 2 && rec_writable(e->k->sc); m++) {
			component_name(obj, m ? "Patch" : "Create", other);
			if (!json_object_get(schemas, other))
				json_object_set_new(schemas, other,
				                    json_pack("{s:s, s:s}", "x-record", obj,
				                              "x-mode", m ? "patch" : "create"));
		}
	}
}

/* Refine o's properties with those of hand: a member o has is updated, one it lacks is added
 * when add and it is a schema of its own (a member the handler adds). */
static void refine_properties(json_t *o, const json_t *hand, bool add)
{
	json_t *props = json_object_get(o, "properties");
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(hand, "properties"), key, v)
	{
		json_t *have = json_object_get(props, key);
		if (have && json_is_object(v))
			json_object_update(have, v);
		else if (add && (json_object_get(v, "type") || json_object_get(v, "$ref") ||
		                 json_object_get(v, "x-field")))
			json_object_set(props, key, v); /* a member the handler adds */
		/* else: it refines a field this mode leaves out (a fixed one in an update) */
	}
}

/* One component with a marker, expanded; the hand-written members refine the table's, and a
 * create's or an update's take the record's read component's (all, the hand-written
 * components before any is expanded) first. */
static json_t *expand_component(const char *name, json_t *hand, const json_t *all,
                                struct zw_err *err)
{
	const char *rec = json_string_value(json_object_get(hand, "x-record"));
	const char *list = json_string_value(json_object_get(hand, "x-list"));
	json_t *o;
	if (list) {
		char ref[128];
		snprintf(ref, sizeof(ref), "#/components/schemas/%s", list);
		o = json_pack("{s:s, s:[s, s], s:{s:{s:s, s:{s:s}}, s:{s:s, s:b}, s:{s:s, s:i, "
		              "s:s}}, s:b}",
		              "type", "object", "required", "items", "next_cursor", "properties",
		              "items", "type", "array", "items", "$ref", ref, "next_cursor", "type",
		              "string", "nullable", 1, "total", "type", "integer", "minimum", 0,
		              "description", "筛选条件选中的记录总数（分页列表）",
		              "additionalProperties", 0);
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
		if (mode) {
			char read[80];
			component_name(rec, "", read);
			if (strcmp(read, name) != 0)
				refine_properties(o, json_object_get(all, read), false);
		}
	} else {
		return json_incref(hand);
	}
	refine_properties(o, hand, true);
	const char *key;
	json_t *v;
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
	case REC_ENUM: {
		json_t *o = json_pack("{s:s, s:o}", "type", "string", "enum", str_array(f->enums));
		if (f->labels)
			json_object_set_new(o, "x-labels", str_array(f->labels));
		return o;
	}
	case REC_ID:
		return json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
	case REC_INT:
		if (f->min >= f->max) /* a figure the server computes: no range declared */
			return json_pack("{s:s}", "type", "integer");
		return json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum",
		                 (json_int_t)f->min, "maximum", (json_int_t)f->max);
	case REC_TEXT:
	case REC_MOBILE:
	case REC_EMAIL:
		/* at most 200 bytes of UTF-8 (req_list_query), so 66 Chinese characters */
		return json_pack("{s:s, s:i, s:s}", "type", "string", "maxLength", 66, "pattern",
		                 text_pattern());
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

/* ---- hand-written schemas that take a field of a table: {"x-field": "user.username"} ---- */

static const struct rec_field *field_named(const char *ref)
{
	const char *dot = ref ? strchr(ref, '.') : NULL;
	char rec[64];
	if (!dot || (size_t)(dot - ref) >= sizeof(rec))
		return NULL;
	memcpy(rec, ref, (size_t)(dot - ref));
	rec[dot - ref] = 0;
	const struct rec_schema *sc = record_named(rec);
	return sc ? rec_field(sc, dot + 1) : NULL;
}

/* A field of no table with a type of the tables ({"x-type": "ip"}); its length is the
 * marker's maxLength (or 200). */
static bool anon_field(const json_t *marker, struct rec_field *f)
{
	const char *t = json_string_value(json_object_get(marker, "x-type"));
	json_t *max = json_object_get(marker, "maxLength");
	for (int i = 0; t && i < REC_TYPE_COUNT; i++)
		if (strcmp(rec_type_name((enum rec_type)i), t) == 0 &&
		    (i == REC_TEXT || strcmp(t, "text") != 0)) {
			*f = (struct rec_field){.name = "", .type = (enum rec_type)i, .label = ""};
			f->maxchars = json_is_integer(max) ? (size_t)json_integer_value(max) : 200;
			return true;
		}
	return false;
}

/* The schema a marker {"x-field": "user.username"} or {"x-type": "ip"} stands for: the
 * field's as a create takes it, refined by the marker's other members. *o stays NULL for a
 * schema that is no marker. */
static int marker_schema(const json_t *c, json_t **o, struct zw_err *err)
{
	*o = NULL;
	const char *ref = json_string_value(json_object_get(c, "x-field"));
	if (!ref && !json_object_get(c, "x-type"))
		return 0;
	struct rec_field anon;
	const struct rec_field *f = ref ? field_named(ref) : anon_field(c, &anon) ? &anon : NULL;
	if (!f)
		return zw_errf(err, ZW_EINTERNAL, NULL, "openapi.json: %s names no field or type",
		               ref ? ref : "x-type");
	*o = field_schema(f, M_CREATE);
	json_object_del(*o, "nullable");
	if (!ref)
		json_object_del(*o, "description");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)c, k, v) if (strncmp(k, "x-", 2) != 0)
	    json_object_set(*o, k, v);
	return 0;
}

static int expand_fields(json_t *v, struct zw_err *err);

/* A child c: *repl the schema its marker stands for (NULL when it is none, then its own
 * children are expanded). */
static int expand_child(json_t *c, json_t **repl, struct zw_err *err)
{
	if (marker_schema(c, repl, err) < 0)
		return -1;
	return *repl ? 0 : expand_fields(c, err);
}

/* Replace every marker under v by the schema it stands for. */
static int expand_fields(json_t *v, struct zw_err *err)
{
	json_t *c, *o;
	if (json_is_array(v)) {
		size_t i;
		json_array_foreach(v, i, c)
		{
			if (expand_child(c, &o, err) < 0)
				return -1;
			if (o)
				json_array_set_new(v, i, o);
		}
	} else if (json_is_object(v)) {
		const char *key;
		json_object_foreach(v, key, c)
		{
			if (expand_child(c, &o, err) < 0)
				return -1;
			if (o)
				json_object_set_new(v, key, o);
		}
	}
	return 0;
}

/* ---- the county's vocabularies: {"x-vocab": "agreement_kinds"} becomes an enum ---- */

/* Every text token_scope_parse reads but "all": the scopes, each at most once, in any order. */
static void scope_texts(json_t *a, unsigned used, char *text, size_t len)
{
	if (len)
		json_array_append_new(a, json_string(text));
	for (int i = 0; i < TSCOPE_COUNT; i++) {
		const char *n = token_scope_name(i);
		if ((used & (1u << i)) || len + strlen(n) + 2 > TOKEN_SCOPE_TEXT)
			continue;
		int w = snprintf(text + len, TOKEN_SCOPE_TEXT - len, "%s%s", len ? " " : "", n);
		scope_texts(a, used | (1u << i), text, len + (size_t)w);
		text[len] = 0;
	}
}

static json_t *vocab(const struct profile *p, const char *name)
{
	json_t *a = json_array();
	const struct import_kind *ik;
	if (strcmp(name, "token_scopes") == 0) {
		char text[TOKEN_SCOPE_TEXT] = "";
		json_array_append_new(a, json_string("all"));
		scope_texts(a, 0, text, 0);
	} else if (strcmp(name, "import_kinds") == 0) {
		for (size_t i = 0; (ik = import_kind_at(i)); i++)
			json_array_append_new(a, json_string(ik->name));
	} else if (strcmp(name, "notify_topics") == 0) {
		for (size_t i = 0; i < notify_ntopics; i++)
			json_array_append_new(a, json_string(notify_topics[i].code));
	} else if (!p) {
		return a; /* without a profile (unit tests) the county's vocabularies stay open */
	} else if (strcmp(name, "agreement_kinds") == 0) {
		for (size_t i = 0; i < p->nagreements; i++)
			if (strcmp(p->agreements[i].party, "unit") == 0)
				json_array_append_new(a, json_string(p->agreements[i].key));
	} else if (strcmp(name, "forbidden") == 0) {
		for (size_t i = 0; i < p->nforbidden; i++)
			json_array_append_new(a, json_string(p->forbidden[i].code));
	} else if (strcmp(name, "clauses") == 0) {
		for (size_t i = 0; i < p->nclauses; i++)
			json_array_append_new(a, json_string(p->clauses[i].id));
	} else if (strcmp(name, "unit_statuses_registered") == 0) {
		/* a unit registered with a status needs the profile's clause for it (unit.c) */
		for (int i = 0; unit_status_values[i]; i++) {
			const char *s = unit_status_values[i];
			if (strcmp(s, "申请中") == 0 ||
			    profile_unit_status_clause(p, unit_status_code(s)))
				json_array_append_new(a, json_string(s));
		}
	} else {
		json_decref(a);
		return NULL;
	}
	return a;
}

static int expand_vocab(json_t *v, const struct profile *p, struct zw_err *err)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c) if (expand_vocab(c, p, err) < 0) return -1;
		return 0;
	}
	if (!json_is_object(v))
		return 0;
	const char *name = json_string_value(json_object_get(v, "x-vocab"));
	if (name) {
		json_t *e = vocab(p, name);
		if (!e) {
			zw_errf(err, ZW_EINTERNAL, name, "openapi.json: no vocabulary %s", name);
			return -1;
		}
		/* without a profile (unit tests) the county's vocabularies stay open */
		if (p || strcmp(name, "token_scopes") == 0 || strcmp(name, "import_kinds") == 0 ||
		    strcmp(name, "notify_topics") == 0)
			json_object_set_new(v, "enum", e);
		else
			json_decref(e);
		json_object_del(v, "x-vocab");
	}
	const char *key;
	json_t *c;
	json_object_foreach(v, key, c) if (expand_vocab(c, p, err) < 0) return -1;
	return 0;
}

/* POST /units/{id}/status: one body per status, with what a move to it needs (a reason for
 * 暂停 and 已撤销入网资格; a clause where the county's profile gives none). */
static json_t *unit_status_body(const struct profile *p, json_t *hand)
{
	json_t *props = json_object_get(hand, "properties"), *one = json_array();
	for (int i = 0; unit_status_values[i]; i++) {
		const char *s = unit_status_values[i];
		json_t *pp = json_deep_copy(props), *req = json_pack("[s]", "status");
		json_object_set_new(json_object_get(pp, "status"), "enum", json_pack("[s]", s));
		if (unit_status_needs_reason(s)) {
			json_object_set_new(json_object_get(pp, "reason"), "minLength",
			                    json_integer(1));
			json_array_append_new(req, json_string("reason"));
		}
		if (p && !profile_unit_status_clause(p, unit_status_code(s)))
			json_array_append_new(req, json_string("clause"));
		json_array_append_new(one, json_pack("{s:s, s:s, s:o, s:o, s:b}", "title", s,
		                                     "type", "object", "properties", pp, "required",
		                                     req, "additionalProperties", 0));
	}
	return json_pack("{s:o, s:{s:s}}", "oneOf", one, "discriminator", "propertyName", "status");
}

/* ---- observations (wire/obs.c): one schema per kind, address family and, for ARP and ND,
 * whether it is a probe (which needs no ip) ---- */

static bool takes(enum obs_kind k, const char *m)
{
	char pat[40];
	snprintf(pat, sizeof(pat), " %s ", m);
	return strstr(obs_members(k), pat) != NULL;
}

static json_t *observation_variant(enum obs_kind k, int family, int probe)
{
	static const struct rec_field time_field = {.name = "", .type = REC_TIME, .label = ""};
	/* obs_parse_time: RFC 3339 with up to six digits of fractions */
	char at[1024];
	const char *t = rec_pattern(&time_field, NULL), *z = strstr(t, "(Z|");
	snprintf(at, sizeof(at), "%.*s(\\.[0-9]{1,6})?%s", (int)(z - t), t, z);
	json_t *p = json_object(), *req = json_pack("[s, s]", "kind", "at");
	json_object_set_new(p, "kind",
	                    json_pack("{s:s, s:[s]}", "type", "string", "enum", obs_kind_name(k)));
	json_object_set_new(
	    p, "at",
	    json_pack("{s:s, s:s, s:s}", "type", "string", "format", "date-time", "pattern", at));
	enum obs_op op = probe == 1 ? OBS_OP_PROBE : OBS_OP_NONE;
	if (takes(k, "op")) {
		json_t *ops = json_array();
		for (int i = 1; i < OBS_OP_COUNT; i++)
			if (probe < 0 || (probe == 1) == (i == OBS_OP_PROBE))
				json_array_append_new(ops,
				                      json_string(obs_op_name((enum obs_op)i)));
		json_object_set_new(p, "op",
		                    json_pack("{s:s, s:o}", "type", "string", "enum", ops));
		if (probe == 1)
			json_array_append_new(req, json_string("op"));
	}
	const char *ip = rec_ip_pattern(family);
	static const char *const addrs[] = {"ip", "target", "server", "router"};
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		if (takes(k, addrs[i]))
			json_object_set_new(
			    p, addrs[i], json_pack("{s:s, s:s}", "type", "string", "pattern", ip));
	if (takes(k, "mac"))
		json_object_set_new(
		    p, "mac",
		    json_pack("{s:s, s:s}", "type", "string", "pattern", rec_mac_any_pattern()));
	if (takes(k, "server_mac"))
		json_object_set_new(
		    p, "server_mac",
		    json_pack("{s:s, s:s}", "type", "string", "pattern", rec_mac_any_pattern()));
	if (takes(k, "dns"))
		json_object_set_new(p, "dns",
		                    json_pack("{s:s, s:i, s:{s:s, s:s}}", "type", "array",
		                              "maxItems", 2, "items", "type", "string", "pattern",
		                              ip));
	struct {
		const char *name;
		json_int_t lo, hi;
	} ints[] = {{"vlan", 0, 4094}, {"port", 1, 65535}, {"device_id", 1, INT64_MAX}};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (takes(k, ints[i].name))
			json_object_set_new(p, ints[i].name,
			                    json_pack("{s:s, s:I, s:I}", "type", "integer",
			                              "minimum", ints[i].lo, "maximum",
			                              ints[i].hi));
	/* texts of at most 31 and 255 bytes: printable ASCII, so that characters are bytes */
	struct {
		const char *name;
		int max;
	} texts[] = {{"iface", 31}, {"hostname", 255}, {"vendor_class", 255}};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (takes(k, texts[i].name))
			json_object_set_new(
			    p, texts[i].name,
			    json_pack("{s:s, s:i, s:i, s:s}", "type", "string", "minLength",
			              obs_required(k, op, texts[i].name) ? 1 : 0, "maxLength",
			              texts[i].max, "pattern", "^[\\x20-\\x7e]*$"));
	if (takes(k, "prl"))
		json_object_set_new(
		    p, "prl",
		    json_pack(
		        "{s:s, s:s}", "type", "string", "pattern",
		        "^([1-9]?[0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])(,([1-9]?[0-9]|1[0-9][0-9]"
		        "|2[0-4][0-9]|25[0-5])){0,254}$"));
	if (takes(k, "expires")) {
		static const struct rec_field tf = {.name = "", .type = REC_TIME, .label = ""};
		json_object_set_new(p, "expires",
		                    json_pack("{s:s, s:s, s:b}", "type", "string", "pattern",
		                              rec_pattern(&tf, NULL), "nullable", 1));
	}
	static const char *const all[] = {"mac", "ip", "target", "port", "device_id", "iface"};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (takes(k, all[i]) && obs_required(k, op, all[i]))
			json_array_append_new(req, json_string(all[i]));
	char title[40];
	snprintf(title, sizeof(title), "%s IPv%d%s", obs_kind_name(k), family,
	         probe == 1 ? " probe" : "");
	return json_pack("{s:s, s:s, s:o, s:o, s:b}", "title", title, "type", "object",
	                 "properties", p, "required", req, "additionalProperties", 0);
}

/* Every address of one observation is of one family (obs_from_json): a variant per family. */
static json_t *observation_schema(json_t *hand)
{
	json_t *any = json_array();
	for (int k = 0; k < OBS_KIND_COUNT; k++)
		for (int fam = 4; fam <= 6; fam += 2) {
			bool split = obs_required((enum obs_kind)k, OBS_OP_NONE, "ip") !=
			             obs_required((enum obs_kind)k, OBS_OP_PROBE, "ip");
			json_array_append_new(
			    any, observation_variant((enum obs_kind)k, fam, split ? 0 : -1));
			if (split)
				json_array_append_new(
				    any, observation_variant((enum obs_kind)k, fam, 1));
		}
	json_t *o = json_pack("{s:o}", "anyOf", any);
	json_t *d = json_object_get(hand, "description");
	if (d)
		json_object_set(o, "description", d);
	return o;
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
	/* every signed-in POST takes an Idempotency-Key (api/idempotency.c); a write may meet a
	 * full disk */
	if (strcmp(method, "post") == 0 && !(json_is_array(sec) && json_array_size(sec) == 0)) {
		json_t *ps = json_object_get(op, "parameters");
		if (!ps) {
			ps = json_array();
			json_object_set_new(op, "parameters", ps);
		}
		json_array_append_new(
		    ps, json_pack("{s:s}", "$ref", "#/components/parameters/IdempotencyKey"));
		add_response(rs, "409", "Conflict");
	}
	if (strcmp(method, "get") != 0)
		add_response(rs, "507", "InsufficientStorage");
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

/* ---- the operations of the routes naming a registry kind (api/routes.c) ---- */

enum kind_op { OP_NONE, OP_LIST, OP_CREATE, OP_GET, OP_PATCH, OP_DELETE };

static int path_params(const char *path)
{
	int n = 0;
	for (; *path; path++)
		n += *path == '{';
	return n;
}

/* Which of a kind's five operations a route is: GET or POST on the collection, GET, PATCH or
 * DELETE on one object (its id the last segment). The collection of a kind with a parent lies
 * under the parent's object (/units/{id}/contacts). */
static enum kind_op kind_op(const struct route *rt)
{
	int under = rt->kind->parent ? 1 : 0, n = path_params(rt->path);
	const char *m = rt->method, *end = rt->path + strlen(rt->path);
	if (n == under)
		return strcmp(m, "GET") == 0    ? OP_LIST
		       : strcmp(m, "POST") == 0 ? OP_CREATE
		                                : OP_NONE;
	if (n != under + 1 || end[-1] != '}' || !strchr(strrchr(rt->path, '/'), '{'))
		return OP_NONE;
	return strcmp(m, "GET") == 0      ? OP_GET
	       : strcmp(m, "PATCH") == 0  ? OP_PATCH
	       : strcmp(m, "DELETE") == 0 ? OP_DELETE
	                                  : OP_NONE;
}

static json_t *query_param(const char *name, json_t *schema, const char *description)
{
	json_t *p = json_pack("{s:s, s:s, s:o}", "name", name, "in", "query", "schema", schema);
	if (description)
		json_object_set_new(p, "description", json_string(description));
	return p;
}

static json_t *text_query(void)
{
	/* at most 200 bytes of UTF-8 (req_list_query), so 66 Chinese characters */
	return json_pack("{s:s, s:i, s:s}", "type", "string", "maxLength", 66, "pattern",
	                 text_pattern());
}

/* A bound of a time range: RFC 3339 or a bare date (parse_time), so the time's pattern with
 * the time of day optional. */
static json_t *time_query(void)
{
	static const struct rec_field tf = {.name = "", .type = REC_TIME, .label = ""};
	const char *t = rec_pattern(&tf, NULL), *tod = strstr(t, "T(");
	char pat[512];
	snprintf(pat, sizeof(pat), "%.*s(%.*s)?$", (int)(tod - t), t, (int)strlen(tod) - 1, tod);
	return json_pack("{s:s, s:s, s:s}", "type", "string", "format", "date-time", "pattern",
	                 pat);
}

/* limit, cursor, sort and the filters of k's list (api/registry_api.h), as the handler takes
 * them. */
static json_t *list_parameters(const struct registry_kind *k)
{
	json_t *a = json_array();
	json_array_append_new(a, query_param("limit",
	                                     json_pack("{s:s, s:i, s:i}", "type", "integer",
	                                               "minimum", 1, "maximum", 500),
	                                     NULL));
	json_array_append_new(a, query_param("cursor", text_query(), NULL));
	json_array_append_new(
	    a, query_param("format",
	                   json_pack("{s:s, s:[s, s]}", "type", "string", "enum", "csv", "xlsx"),
	                   "导出当前筛选和排序下的全部记录（CSV 或 xlsx 表格），而不是一页 JSON"));
	const char *sorts[64];
	size_t ns = list_sorts(k, sorts, 64);
	json_t *values = json_array();
	char said[400] = "", minus[80];
	for (size_t i = 0; i < ns; i++) {
		snprintf(minus, sizeof(minus), "-%s", sorts[i]);
		json_array_append_new(values, json_string(sorts[i]));
		json_array_append_new(values, json_string(minus));
		size_t n = strlen(said);
		snprintf(said + n, sizeof(said) - n, "%s%s", i ? "、" : "", sorts[i]);
	}
	size_t n = strlen(said);
	snprintf(said + n, sizeof(said) - n, "，前加 - 为倒序");
	json_array_append_new(
	    a,
	    query_param("sort", json_pack("{s:s, s:o}", "type", "string", "enum", values), said));
	struct list_param ps[32];
	size_t np = list_params(k, ps, 32);
	for (size_t i = 0; i < np; i++) {
		const struct rec_field *f = ps[i].f;
		char what[160];
		json_t *s;
		if (ps[i].op == LQ_LIKE) {
			snprintf(what, sizeof(what), "%s包含的文字", f->label);
			s = text_query();
		} else if (ps[i].op == LQ_LE_INT || ps[i].op == LQ_GE_INT) {
			snprintf(what, sizeof(what), "%s不%s（RFC 3339 时间或日期）", f->label,
			         ps[i].op == LQ_LE_INT ? "晚于" : "早于");
			s = time_query();
		} else {
			snprintf(what, sizeof(what), "%s", f->label);
			s = query_schema(f);
			if (!s)
				s = text_query();
		}
		json_array_append_new(a, query_param(ps[i].name, s, what));
	}
	return a;
}

static json_t *ref_content(const char *component)
{
	char ref[128];
	snprintf(ref, sizeof(ref), "#/components/schemas/%s", component);
	return json_pack("{s:{s:{s:s}}}", "application/json", "schema", "$ref", ref);
}

/* The operation of route rt, one of its kind's five (the shared answers are added later by
 * rule). */
static json_t *kind_operation(const struct route *rt, enum kind_op op)
{
	static const char *const verbs[] = {"", "list", "create", "get", "patch", "delete"};
	const struct registry_kind *k = rt->kind;
	char id[96], comp[80];
	snprintf(id, sizeof(id), "%s_%s", op <= OP_CREATE ? k->table : k->object, verbs[op]);
	json_t *o = json_pack("{s:s, s:s}", "summary", rt->summary, "operationId", id);
	json_t *params = json_array();
	for (const char *p = strchr(rt->path, '{'); p; p = strchr(p + 1, '{')) {
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(p + 1, "}"), p + 1);
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name",
		                                        name, "in", "path", "required", 1, "schema",
		                                        "type", "integer", "minimum", 1));
	}
	if (op == OP_LIST && !k->whole_list) {
		json_t *q = list_parameters(k);
		json_array_extend(params, q);
		json_decref(q);
	}
	if (op == OP_PATCH || op == OP_DELETE)
		json_array_append_new(
		    params, json_pack("{s:s}", "$ref", "#/components/parameters/IfMatch"));
	if (json_array_size(params))
		json_object_set_new(o, "parameters", params);
	else
		json_decref(params);
	if (op == OP_CREATE || op == OP_PATCH) {
		component_name(k->object, op == OP_CREATE ? "Create" : "Patch", comp);
		json_object_set_new(
		    o, "requestBody",
		    json_pack("{s:b, s:o}", "required", 1, "content", ref_content(comp)));
	}
	component_name(k->object, op == OP_LIST ? "List" : "", comp);
	json_t *ok = op == OP_DELETE ? json_pack("{s:s}", "description", "成功")
	                             : json_pack("{s:s, s:o}", "description", "成功", "content",
	                                         ref_content(comp));
	if (op == OP_LIST && !k->whole_list) { /* ?format= */
		json_t *content = json_object_get(ok, "content");
		const char *csv = export_media_type(EXPORT_CSV); /* the type without its charset */
		char type[64];
		snprintf(type, sizeof(type), "%.*s", (int)strcspn(csv, ";"), csv);
		json_object_set_new(content, type,
		                    json_pack("{s:{s:s}}", "schema", "type", "string"));
		json_object_set_new(
		    content, export_media_type(EXPORT_XLSX),
		    json_pack("{s:{s:s, s:s}}", "schema", "type", "string", "format", "binary"));
	}
	json_object_set_new(o, "responses",
	                    json_pack("{s:o}",
	                              op == OP_DELETE   ? "204"
	                              : op == OP_CREATE ? "201"
	                                                : "200",
	                              ok));
	return o;
}

/* What the hand-written document says of such an operation refines it: answers and
 * parameters are added, other members set. */
static void refine_operation(json_t *op, const json_t *hand)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)hand, key, v)
	{
		if (strcmp(key, "responses") == 0) {
			json_object_update(json_object_get(op, "responses"), v);
		} else if (strcmp(key, "parameters") == 0) {
			json_t *ps = json_object_get(op, "parameters");
			if (!ps) {
				ps = json_array();
				json_object_set_new(op, "parameters", ps);
			}
			json_array_extend(ps, v);
		} else {
			json_object_set(op, key, v);
		}
	}
}

/* Put every route naming a kind into paths. */
static int kind_paths(json_t *paths, struct zw_err *err)
{
	for (size_t i = 0; i < nroutes; i++) {
		const struct route *rt = &routes[i];
		enum kind_op op = rt->kind ? kind_op(rt) : OP_NONE;
		if (!rt->kind)
			continue;
		if (op == OP_NONE)
			return zw_errf(err, ZW_EINTERNAL, NULL,
			               "%s %s names a kind but is none of its operations",
			               rt->method, rt->path);
		char method[8];
		size_t m;
		for (m = 0; rt->method[m] && m + 1 < sizeof(method); m++)
			method[m] = (char)(rt->method[m] | 0x20);
		method[m] = 0;
		json_t *item = json_object_get(paths, rt->path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->path, item);
		}
		json_t *o = kind_operation(rt, op), *hand = json_object_get(item, method);
		if (hand)
			refine_operation(o, hand);
		json_object_set_new(item, method, o);
	}
	return 0;
}

json_t *openapi_build(const struct profile *prof, struct zw_err *err)
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
	if (kind_paths(json_object_get(doc, "paths"), err) < 0) {
		json_decref(doc);
		return NULL;
	}
	kind_components(schemas);
	json_t *all = json_deep_copy(schemas);
	const char *name;
	json_t *hand;
	void *tmp;
	json_object_foreach_safe(schemas, tmp, name, hand)
	{
		json_t *o = expand_component(name, hand, all, err);
		if (!o) {
			json_decref(all);
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(schemas, name, o);
	}
	json_decref(all);
	if (expand_fields(doc, err) < 0 || expand_vocab(doc, prof, err) < 0) {
		json_decref(doc);
		return NULL;
	}
	json_t *us = json_object_get(schemas, "UnitStatusChange");
	if (us)
		json_object_set_new(schemas, "UnitStatusChange", unit_status_body(prof, us));
	json_t *ob = json_object_get(schemas, "Observation");
	if (ob)
		json_object_set_new(schemas, "Observation", observation_schema(ob));
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
static const struct profile *text_prof;

static void build_text(void)
{
	struct zw_err err = {0};
	json_t *doc = openapi_build(text_prof, &err);
	if (!doc)
		return;
	text = json_dumps(doc, JSON_COMPACT);
	text_len = text ? strlen(text) : 0;
	json_decref(doc);
}

const char *openapi_text(const struct profile *prof, size_t *len)
{
	text_prof = prof; /* one profile per process: the first caller's */
	pthread_once(&once, build_text);
	*len = text_len;
	return text;
}
