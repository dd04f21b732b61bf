#include <microhttpd.h>
#include <string.h>

#include "api/handlers.h"
#include "api/openapi.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/parse.h"
#include "domain/org/unit.h"
#include "domain/org/account.h"
#include "domain/ipam/address.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/audit.h"
#include "domain/ipam/ipam.h"
#include "domain/inventory/terminal.h"

#ifndef ZWNET_VERSION
#define ZWNET_VERSION "0.1.0"
#endif

/* Public (load balancers and the test harness poll it for 200). An anonymous caller learns only
 * whether the server is up; the version, profile, uptime and warnings are for a signed-in user
 * (the version tells an attacker which holes to try). */
void h_health(struct req *r)
{
	struct server *s = r->srv;
	char warn[512], ts[32];
	const char *w = profile_expiry_warning(s->prof, clock_today_cn(), warn, sizeof(warn));
	if (!r->authed) { /* the route authenticates when it can (ROUTE_OPTIONAL_AUTH) */
		reply_json(r, 200, json_pack("{s:s}", "status", w ? "warning" : "ok"));
		return;
	}
	json_t *warnings = json_array();
	if (w)
		json_array_append_new(
		    warnings,
		    json_pack("{s:s, s:s, s:o}", "code", "profile_expiring", "message", w, "clause",
		              s->prof->validity_clause ? json_string(s->prof->validity_clause)
		                                       : json_null()));
	format_time(clock_now(), ts);
	reply_json(r, 200,
	           json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "status", w ? "warning" : "ok",
	                     "version", ZWNET_VERSION, "profile", s->prof->id, "time", ts,
	                     "uptime_s", (json_int_t)(clock_now() - s->started_at), "warnings",
	                     warnings));
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
		/* zw_errf keeps the quote valid UTF-8 where %.40s cuts a character */
		zw_errf(&err, ZW_ENOTFOUND, "clause", "《%s》中没有条款 %.40s", r->srv->prof->title,
		        r->sparam);
		reply_error(r, &err);
		return;
	}
	json_t *o = clause_to_json(c, true);
	json_object_set_new(o, "regulation", json_string(r->srv->prof->title));
	reply_json(r, 200, o);
}

void h_audit_list(struct req *r)
{
	struct zw_err err = {0};
	static const char *const sorts[] = {"id", NULL};
	static const struct list_filter_def filters[] = {{"object_type", "object_type", LQ_EQ},
	                                                 {"object_id", "object_id", LQ_EQ},
	                                                 {"actor", "actor", LQ_EQ},
	                                                 {"action", "action", LQ_EQ},
	                                                 {"unit_id", "unit_id", LQ_EQ_INT},
	                                                 {"from", "at", LQ_GE_INT},
	                                                 {"to", "at", LQ_LE_INT},
	                                                 {NULL, NULL, 0}};
	struct list_query q;
	if (fail(r, req_list_query(r, &q, sorts, "-id", filters, &err), &err))
		return;
	json_t *items = json_array();
	struct list_page page;
	if (fail(r, audit_list(r->srv->st, &r->who, &q, items, &page, &err), &err)) {
		json_decref(items);
		return;
	}
	reply_list(r, items, &page);
}

void h_audit_verify(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, authz_check(&r->who, ACT_AUDIT_READ, 0, &err), &err))
		return;
	struct audit_verify v;
	int rc = audit_verify(r->srv->st, &v, &err);
	if (rc < 0 && err.code != ZW_ECONFLICT) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200,
	           json_pack("{s:b, s:I, s:o, s:o}", "ok", rc == 0, "entries",
	                     (json_int_t)v.entries, "first_bad_id",
	                     v.bad_id ? json_integer(v.bad_id) : json_null(), "reason",
	                     v.bad_id ? json_string(v.reason) : json_null()));
}

/* The field rules of every record the API accepts, so that the console checks a form the way
 * the server will (labels, required, lengths, ranges, allowed values): the registry kinds a
 * client writes (domain/registry.c) and the records that are no registry kind yet. */
void h_schemas(struct req *r)
{
	static const struct rec_schema *const others[] = {&unit_schema, &contact_schema,
	                                                  &agreement_schema, &app_port_schema};
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		json_object_set_new(o, others[i]->object, rec_schema_json(others[i]));
	for (const struct registry_entry *e = registry_kinds; e->k; e++)
		if (rec_writable(e->k->sc))
			json_object_set_new(o, e->k->object, rec_schema_json(e->k->sc));
	json_object_set_new(o, "application_kinds", application_kinds_json());
	json_t *roles = json_object(); /* the Chinese names of the user roles */
	for (int i = 0; i < ROLE_COUNT; i++)
		if (i != ROLE_PROBE) /* a token's scope, not a role a user is given */
			json_object_set_new(roles, role_name((enum role)i),
			                    json_string(role_label((enum role)i)));
	json_object_set_new(o, "role_labels", roles);
	json_t *scopes = json_array(); /* the machine scopes of API tokens, in their order */
	for (int i = 0; i < TSCOPE_COUNT; i++)
		json_array_append_new(
		    scopes, json_pack("{s:s, s:s, s:s}", "name", token_scope_name(i), "label",
		                      token_scope_label(i), "what", token_scope_what(i)));
	json_object_set_new(o, "token_scopes", scopes);
	reply_json(r, 200, o);
}
