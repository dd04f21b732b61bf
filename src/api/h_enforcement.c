/* Enforcement over HTTP: the isolation sets enforcers fetch and report on, RADIUS answers, and the
 * agent's device list. */

#include "api/registry_api.h"
#include "domain/violation/enforcement.h"

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

void h_agent_devices(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (!fail(r, agent_devices(&x, &o, &err), &err))
		reply_json(r, 200, o);
}
