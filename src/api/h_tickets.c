/* Fault tickets, maintenance notices and change records over HTTP: reported, read with their clocks
 * and steps, moved through their workflow (domain/ops/ticket.h), all through the generic case
 * engine (domain/case.h). */

#include "api/registry_api.h"
#include "domain/case.h"
#include "domain/ops/change.h"
#include "domain/ops/duty.h"
#include "domain/ops/maintenance.h"
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
