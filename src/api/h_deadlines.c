/* Deadlines over HTTP: pausing with a reason and resuming (reads are the registry's). */

#include <string.h>

#include "api/registry_api.h"
#include "domain/deadline.h"

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
