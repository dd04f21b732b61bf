/* The audit log over HTTP: its pages and the check of its chain. */

#include "api/handlers.h"
#include "api/registry_api.h"
#include "domain/audit.h"
#include "domain/export.h"

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
	if (req_query(r, "format")) {
		enum export_format f;
		if (fail(r, export_format_of(req_query(r, "format"), &f, &err), &err))
			return;
		struct buf out;
		buf_init(&out, 512u << 20); /* the xlsx writer's; CSV has its own */
		if (fail(r, audit_export(r->srv->st, &r->who, &q, f, &out, &err), &err)) {
			buf_free(&out);
			return;
		}
		reply_sheet(r, "审计日志", f, &out);
		buf_free(&out);
		return;
	}
	q.count = true; /* every page says how many entries the filters select */
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
