/* The wire over HTTP: probes' observation batches in, findings and probe health out. */
#include <string.h>

#include "api/registry_api.h"
#include "domain/finding.h"

static const char *const finding_sorts[] = {"id", "last_seen", "first_seen", "count", NULL};
static const struct list_filter_def finding_filters[] = {{"status", "status", LQ_EQ},
                                                         {"kind", "kind", LQ_EQ},
                                                         {"behaviour", "behaviour", LQ_EQ},
                                                         {"unit_id", "unit_id", LQ_EQ_INT},
                                                         {"terminal_id", "terminal_id", LQ_EQ_INT},
                                                         {"mac", "mac", LQ_EQ},
                                                         {"ip", "ip", LQ_EQ},
                                                         {"probe", "probe", LQ_EQ},
                                                         {NULL, NULL, 0}};
static const struct reg_api findings = {&finding_kind, finding_sorts, finding_filters};

static const char *const probe_sorts[] = {"id", "name", "last_seen", NULL};
static const struct list_filter_def probe_filters[] = {{"name", "name", LQ_EQ}, {NULL, NULL, 0}};
static const struct reg_api probes = {&probe_kind, probe_sorts, probe_filters};

void h_observations(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct ingest_result res;
	int rc = finding_ingest(&x, r->srv->watch, body, r->source, &res, &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reply_json(r, 202,
	           json_pack("{s:I, s:I, s:I}", "accepted", (json_int_t)res.accepted, "findings",
	                     (json_int_t)res.findings, "new_findings", (json_int_t)res.created));
}

void h_findings_list(struct req *r)
{
	reg_list(r, &findings);
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

void h_probes_list(struct req *r)
{
	reg_list(r, &probes);
}
