/* Applications over HTTP: submit, list, read with their events and deadlines, move by a
 * transition; and the approved ports as a firewall ruleset. */

#include <string.h>

#include "api/registry_api.h"
#include "domain/access/application.h"

/* The body of a write (a transition's with If-Match folded in) with the request's context and
 * address-plan environment; NULL when the body was refused (answered). */
static json_t *write_begin(struct req *r, struct ctx *x, struct app_env *env, bool transition)
{
	json_t *body = transition ? req_json_rev(r) : req_json(r);
	req_ctx(r, x);
	env->cache = r->srv->ipam;
	env->ipam = &r->srv->ipam_cfg;
	return body;
}

static void reply_detail(struct req *r, int status, int64_t id)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (fail(r, application_detail(&x, id, &o, &err), &err))
		return;
	req_set_etag_rev(r, json_integer_value(json_object_get(o, "rev")));
	reply_json(r, status, o);
}

void h_applications_create(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	struct app_env env;
	json_t *body = write_begin(r, &x, &env, false);
	if (!body)
		return;
	int64_t id = 0;
	int rc = application_submit(&x, &env, body, &id, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		reply_detail(r, 201, id);
}

void h_application_get(struct req *r)
{
	reply_detail(r, 200, r->params[0]);
}

void h_application_transition(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	struct app_env env;
	json_t *body = write_begin(r, &x, &env, true);
	if (!body)
		return;
	int rc = application_transition(&x, &env, r->params[0], body, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		reply_detail(r, 200, r->params[0]);
}

void h_ports_export(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct buf out;
	buf_init(&out, 64u << 20);
	const char *format = req_query(r, "format");
	if (!fail(r, ports_export(&x, format, &out, &err), &err))
		reply_bytes(r, 200, "text/plain; charset=utf-8", out.p ? out.p : "", out.len,
		            strcmp(format, "nftables") == 0 ? "zwnet-ports.nft"
		                                            : "zwnet-ports.iptables");
	buf_free(&out);
}
