/* The wire over HTTP: probes' observation batches in, findings and probe health out. */
#include <string.h>

#include "api/registry_api.h"
#include "domain/violation/acl.h"
#include "domain/violation/enforcement.h"
#include "domain/violation/finding.h"
#include "domain/violation/radius.h"

void h_observations(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct ingest_result res;
	int rc = finding_ingest(&x, r->srv->watch, &r->srv->vp, body, r->source, &res, &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reply_json(r, 202,
	           json_pack("{s:I, s:I, s:I, s:I}", "accepted", (json_int_t)res.accepted,
	                     "findings", (json_int_t)res.findings, "new_findings",
	                     (json_int_t)res.created, "new_violations",
	                     (json_int_t)res.violations));
}

void h_finding_get(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (!fail(r, finding_get(&x, r->params[0], &o, &err), &err))
		reply_json(r, 200, o);
}

void h_finding_transition(struct req *r)
{
	json_t *body = req_json_rev(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int rc = finding_transition(&x, r->params[0], body, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		h_finding_get(r);
}

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

void h_enforcement_get(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	const char *d = req_query(r, "detail");
	if (!fail(r, enforcement_state(&x, &r->srv->vp, d && strcmp(d, "1") == 0, &o, &err), &err))
		reply_json(r, 200, o);
}

void h_enforcement_report(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int rc = enforcement_report(&x, body, r->source, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		reply_json(r, 202, json_pack("{s:b}", "recorded", 1));
}

/* FreeRADIUS rlm_rest: the answer's status is the module's code (401 reject, 204 ok). */
static void radius(struct req *r, const char *section)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int status = 0;
	json_t *o = NULL;
	int rc = radius_answer(&x, &r->srv->rp, section, body, &status, &o, &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	if (o)
		reply_json(r, status, o);
	else
		reply_bytes(r, status, "application/json", "", 0, NULL);
}

void h_radius_authorize(struct req *r)
{
	radius(r, "authorize");
}

void h_radius_post_auth(struct req *r)
{
	radius(r, "post-auth");
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

void h_agent_devices(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (!fail(r, agent_devices(&x, &o, &err), &err))
		reply_json(r, 200, o);
}
