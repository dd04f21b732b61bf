/* The wire over HTTP: probes' observation batches in, findings and their steps out. */

#include "api/metrics.h"
#include "api/registry_api.h"
#include "domain/violation/finding.h"

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
	metrics_ingest(r->srv->metrics, &res);
	reply_json(r, 202,
	           json_pack("{s:I, s:I, s:I, s:I, s:b}", "accepted", (json_int_t)res.accepted,
	                     "findings", (json_int_t)res.findings, "new_findings",
	                     (json_int_t)res.created, "new_violations", (json_int_t)res.violations,
	                     "duplicate", res.duplicate));
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
