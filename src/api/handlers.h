/* handlers: one function per route; see the table in routes.c. */
#ifndef ZW_API_HANDLERS_H
#define ZW_API_HANDLERS_H

#include "api/server.h"

void h_health(struct req *r);
void h_metrics(struct req *r);
void h_openapi(struct req *r);
void h_profile(struct req *r);
void h_profile_clause(struct req *r);
void h_audit_list(struct req *r);
void h_audit_verify(struct req *r);

void h_login(struct req *r);
void h_logout(struct req *r);
void h_whoami(struct req *r);
void h_password_change(struct req *r);
void h_tokens_list(struct req *r);
void h_tokens_create(struct req *r);
void h_token_revoke(struct req *r);

void h_users_create(struct req *r);
void h_user_patch(struct req *r);
void h_user_password(struct req *r);

void h_unit_status(struct req *r);
void h_unit_history(struct req *r);
void h_unit_archive(struct req *r);
void h_agreement_scan_put(struct req *r);
void h_agreement_scan_get(struct req *r);
void h_agreements_missing(struct req *r);

void h_prefixes_create(struct req *r);
void h_prefixes_allocate(struct req *r);
void h_prefix_delete(struct req *r);
void h_prefix_allocate(struct req *r);
void h_prefix_free(struct req *r);
void h_terminals_compliance(struct req *r);
void h_export_dhcp(struct req *r);
void h_import(struct req *r);
void h_import_kinds(struct req *r);
void h_import_template(struct req *r);
void h_import_export(struct req *r);
void h_export_plan(struct req *r);
void h_calendar_add(struct req *r);
void h_calendar_year(struct req *r);
void h_calendar_load(struct req *r);
void h_observations(struct req *r);
void h_finding_get(struct req *r);
void h_finding_transition(struct req *r);
void h_tickets_create(struct req *r);
void h_maintenance_create(struct req *r);
void h_change_create(struct req *r);
void h_duty_create(struct req *r);
void h_duty_get(struct req *r);
void h_duty_transition(struct req *r);
void h_change_get(struct req *r);
void h_change_transition(struct req *r);
void h_maintenance_get(struct req *r);
void h_maintenance_transition(struct req *r);
void h_tickets_sla(struct req *r);
void h_ticket_paper(struct req *r);
void h_duty_log(struct req *r);
void h_outage_monitor(struct req *r);
void h_plan_create(struct req *r);
void h_plan_get(struct req *r);
void h_plan_transition(struct req *r);
void h_plans_missing(struct req *r);
void h_ticket_get(struct req *r);
void h_ticket_transition(struct req *r);
void h_violations_create(struct req *r);
void h_violation_get(struct req *r);
void h_violation_transition(struct req *r);
void h_enforcement_get(struct req *r);
void h_enforcement_report(struct req *r);
void h_radius_authorize(struct req *r);
void h_radius_post_auth(struct req *r);
void h_violation_acl(struct req *r);
void h_agent_devices(struct req *r);
void h_violation_notice(struct req *r);
void h_deadline_pause(struct req *r);
void h_deadline_resume(struct req *r);
void h_applications_create(struct req *r);
void h_application_get(struct req *r);
void h_application_transition(struct req *r);
void h_ports_export(struct req *r);
void h_web(struct req *r);
void h_schemas(struct req *r);
void h_application_form(struct req *r);
void h_application_notice(struct req *r);
void h_agreement_document(struct req *r);
void h_inbox_list(struct req *r);
void h_inbox_read(struct req *r);
void h_inbox_read_all(struct req *r);
void h_mail_prefs_get(struct req *r);
void h_mail_prefs_put(struct req *r);
void h_search(struct req *r);

/* Shared by handlers: reply with err when rc < 0; returns rc < 0. */
int fail(struct req *r, int rc, const struct zw_err *err);

#endif
