/* Deadlines over HTTP: what is due, paused or breached, and pausing with a reason. */
#include <string.h>

#include "api/registry_api.h"
#include "domain/deadline.h"

static const char *const sorts[] = {"id", "due_at", "updated_at", NULL};
static const struct list_filter_def filters[] = {{"status", "status", LQ_EQ},
                                                 {"subject_type", "subject_type", LQ_EQ},
                                                 {"subject_id", "subject_id", LQ_EQ_INT},
                                                 {"unit_id", "unit_id", LQ_EQ_INT},
                                                 {"rule", "rule", LQ_EQ},
                                                 {"due_before", "due_at", LQ_LE_INT},
                                                 {"due_after", "due_at", LQ_GE_INT},
                                                 {NULL, NULL, 0}};
static const struct reg_api deadlines = {&deadline_kind, sorts, filters};

void h_deadlines_list(struct req *r)
{
	static const char *const states[] = {"running",  "paused",    "met",
	                                     "breached", "cancelled", NULL};
	const char *st = req_query(r, "status");
	bool known = !st;
	for (int i = 0; !known && states[i]; i++)
		known = strcmp(st, states[i]) == 0;
	struct zw_err err = {0};
	if (!known && fail(r,
	                   zw_errf(&err, ZW_EINVALID, "status",
	                           "status 只能是 running、paused、met、breached、cancelled"),
	                   &err))
		return;
	reg_list(r, &deadlines);
}

void h_deadline_get(struct req *r)
{
	reg_get(r, &deadlines);
}

void h_deadline_pause(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "reason") != 0 || !json_is_string(v)) {
			rc = zw_errf(&err, ZW_EINVALID, key, "只接受字符串字段 reason");
			break;
		}
	}
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = deadline_pause(&x, r->params[0],
		                    json_string_value(json_object_get(body, "reason")), &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reg_reply(r, &deadline_kind, 200, r->params[0]);
}

void h_deadline_resume(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, deadline_resume(&x, r->params[0], &err), &err))
		return;
	reg_reply(r, &deadline_kind, 200, r->params[0]);
}
