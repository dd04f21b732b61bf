/* The county profile over HTTP: the regulation's clauses, vocabularies and the field tables the
 * console draws forms from. */

#include "api/handlers.h"
#include "domain/audit_names.h"
#include "api/openapi.h"
#include "core/text.h"
#include "core/clock.h"
#include "domain/org/unit.h"
#include "domain/access/application.h"
#include "domain/violation/acl.h"
#include "domain/violation/enforcement.h"

void h_profile(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, authz_check(&r->who, ACT_PROFILE_READ, 0, &err), &err))
		return;
	const char *t = req_query(r, "texts");
	json_t *o = profile_to_json(r->srv->prof, t && strcmp(t, "1") == 0);
	char warn[512];
	const char *w = profile_expiry_warning(r->srv->prof, clock_today_cn(), warn, sizeof(warn));
	int32_t left = profile_days_to_expiry(r->srv->prof, clock_today_cn());
	json_object_set_new(o, "days_to_expiry",
	                    left == INT32_MAX ? json_null() : json_integer(left));
	json_object_set_new(o, "expiry_warning", w ? json_string(w) : json_null());
	reply_json(r, 200, o);
}

void h_profile_clause(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, authz_check(&r->who, ACT_PROFILE_READ, 0, &err), &err))
		return;
	const struct clause *c = profile_clause(r->srv->prof, r->sparam);
	if (!c) {
		zw_errf(&err, ZW_ENOTFOUND, "clause", "《%s》中没有条款 %.*s", r->srv->prof->title,
		        CUT(r->sparam, 40));
		reply_error(r, &err);
		return;
	}
	json_t *o = clause_to_json(c, true);
	json_object_set_new(o, "regulation", json_string(r->srv->prof->title));
	reply_json(r, 200, o);
}

/* The field rules of every record, so that the console checks a form the way the server will
 * (labels, required, lengths, ranges, allowed values) and shows a stored value by its Chinese
 * name (an enum's "labels"): every registry kind (domain/registry.c), those a client only
 * reads too, and the records that are no registry kind yet. */
void h_schemas(struct req *r)
{
	static const struct rec_schema *const others[] = {&app_port_schema, &token_schema};
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		json_object_set_new(o, others[i]->object, rec_schema_json(others[i]));
	for (const struct registry_entry *e = registry_kinds; e->k; e++)
		json_object_set_new(o, e->k->object, rec_schema_json(e->k->sc));
	json_object_set_new(o, "application_kinds", application_kinds_json());
	json_t *scopes = json_array(); /* the machine scopes of API tokens, in their order */
	for (int i = 0; i < TSCOPE_COUNT; i++)
		json_array_append_new(
		    scopes, json_pack("{s:s, s:s, s:s}", "name", token_scope_name(i), "label",
		                      token_scope_label(i), "what", token_scope_what(i)));
	json_object_set_new(o, "token_scopes", scopes);
	/* vocabularies no field table holds: an isolation's kind, a switch ACL's vendor */
	json_object_set_new(o, "isolation_kinds", enforcement_kinds_json());
	json_object_set_new(o, "acl_vendors", acl_vendors_json());
	json_object_set_new(o, "audit_objects", audit_objects_json());
	reply_json(r, 200, o);
}

void h_openapi(struct req *r)
{
	size_t len;
	const char *doc = openapi_text(r->srv->prof, &len);
	if (!doc) {
		reply_code(r, ZW_EINTERNAL, NULL, NULL);
		return;
	}
	reply_bytes(r, 200, "application/json; charset=utf-8", doc, len, NULL);
}
