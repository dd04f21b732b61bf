/* Fault tickets, maintenance notices and change records over HTTP: reported, read with their clocks
 * and steps, moved through their workflow (domain/ops/ticket.h), all through the generic case
 * engine (domain/case.h). */

#include "api/registry_api.h"
#include "core/parse.h"
#include "domain/case.h"
#include "domain/ops/change.h"
#include "domain/ops/duty.h"
#include "domain/ops/maintenance.h"
#include "domain/ops/plan.h"
#include "domain/ops/outage.h"
#include "domain/ops/ticket.h"

static void case_reply(struct req *r, const struct case_type *ct, int status, int64_t id)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (fail(r, case_detail(&x, ct, id, &o, &err), &err))
		return;
	req_set_etag_rev(r, json_integer_value(json_object_get(o, "rev")));
	reply_json(r, status, o);
}

static void case_post(struct req *r, const struct case_type *ct)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int64_t id = 0;
	int rc = case_create(&x, ct, body, &id, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		case_reply(r, ct, 201, id);
}

static void case_step_post(struct req *r, const struct case_type *ct)
{
	json_t *body = req_json_rev(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int rc = case_transition(&x, ct, r->params[0], body, &err);
	json_decref(body);
	if (!fail(r, rc, &err))
		case_reply(r, ct, 200, r->params[0]);
}

void h_maintenance_create(struct req *r)
{
	case_post(r, &maintenance_case);
}

void h_maintenance_get(struct req *r)
{
	case_reply(r, &maintenance_case, 200, r->params[0]);
}

void h_maintenance_transition(struct req *r)
{
	case_step_post(r, &maintenance_case);
}

void h_change_create(struct req *r)
{
	case_post(r, &change_case);
}

void h_change_get(struct req *r)
{
	case_reply(r, &change_case, 200, r->params[0]);
}

void h_change_transition(struct req *r)
{
	case_step_post(r, &change_case);
}

void h_plan_create(struct req *r)
{
	case_post(r, &plan_case);
}

void h_plan_get(struct req *r)
{
	case_reply(r, &plan_case, 200, r->params[0]);
}

void h_plan_transition(struct req *r)
{
	case_step_post(r, &plan_case);
}

void h_plans_missing(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = plans_missing(&x, &err);
	if (!fail(r, o ? 0 : -1, &err))
		reply_json(r, 200, o);
}

void h_duty_create(struct req *r)
{
	case_post(r, &duty_case);
}

void h_duty_get(struct req *r)
{
	case_reply(r, &duty_case, 200, r->params[0]);
}

void h_duty_transition(struct req *r)
{
	case_step_post(r, &duty_case);
}

void h_tickets_create(struct req *r)
{
	case_post(r, &ticket_case);
}

void h_ticket_get(struct req *r)
{
	case_reply(r, &ticket_case, 200, r->params[0]);
}

void h_ticket_transition(struct req *r)
{
	case_step_post(r, &ticket_case);
}

void h_tickets_sla(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = NULL;
	if (!fail(r, ticket_sla_report(&x, req_query(r, "month"), &o, &err), &err))
		reply_json(r, 200, o);
}

/* Whether the outage check runs, with what settings, and what its last round did. The
 * county-wide counts only for those who read every unit's state. */
void h_outage_monitor(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, authz_check(&r->who, ACT_TICKET_READ, r->who.unit_id, &err), &err))
		return;
	struct outage_status s = {0};
	struct outage_cfg cfg = {0};
	if (r->srv->outage) {
		outage_monitor_status(r->srv->outage, &s);
		cfg = r->srv->outage->cfg;
	}
	json_t *o = json_pack("{s:b, s:i, s:i, s:i, s:i, s:i}", "enabled", s.enabled, "interval_s",
	                      cfg.interval, "timeout_ms", cfg.timeout_ms, "tcp_port", cfg.tcp_port,
	                      "down_after", cfg.down_after, "up_after", cfg.up_after);
	char at[32];
	if (s.last_at)
		format_time(s.last_at, at);
	json_object_set_new(o, "last_round_at", s.last_at ? json_string(at) : json_null());
	json_object_set_new(o, "last_round_ms", json_integer(s.last_ms));
	json_object_set_new(o, "error", s.error[0] ? json_string(s.error) : json_null());
	bool all = authz_scope(&r->who, ACT_TICKET_READ) == SCOPE_ALL && !r->who.carrier_id;
	json_object_set_new(o, "checked", all ? json_integer(s.st.checked) : json_null());
	json_object_set_new(o, "no_address", all ? json_integer(s.st.no_address) : json_null());
	reply_json(r, 200, o);
}
