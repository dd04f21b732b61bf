/* Violation cases over HTTP: opened by hand, their steps, and the switch ACL that isolates them. */

#include "api/registry_api.h"
#include "domain/violation/acl.h"
#include "domain/violation/violation.h"

static void violation_reply(struct req *r, int status, int64_t id)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (fail(r, violation_detail(&x, id, &o, &err), &err))
		return;
	req_set_etag_rev(r, json_integer_value(json_object_get(o, "rev")));
	reply_json(r, status, o);
}

void h_violations_create(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int64_t id = 0;
	int rc = violation_create(&x, &r->srv->vp, body, &id, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		violation_reply(r, 201, id);
}

void h_violation_get(struct req *r)
{
	violation_reply(r, 200, r->params[0]);
}

void h_violation_transition(struct req *r)
{
	json_t *body = req_json_rev(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int rc = violation_transition(&x, &r->srv->vp, r->params[0], body, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		violation_reply(r, 200, r->params[0]);
}

void h_violation_acl(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct buf out;
	buf_init(&out, 16u << 20);
	const char *vendor = req_query(r, "vendor"), *op = req_query(r, "op");
	char name[64];
	snprintf(name, sizeof(name), "zwnet-violation-%lld-%s-%s.txt", (long long)r->params[0],
	         vendor ? vendor : "", op ? op : "apply");
	if (!fail(r, acl_render(&x, r->params[0], vendor, op, &out, &err), &err))
		reply_bytes(r, 200, "text/plain; charset=utf-8", out.p, out.len, name);
	buf_free(&out);
}
