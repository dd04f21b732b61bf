/*
 * ticket: fault tickets on the regulation's clocks (TB-11, TB-12, LN-25, LN-26, JX-17).
 *
 * A unit reports a fault 7×24 (or the center's duty officer for it, on the phone's behalf, or
 * outage detection with the time the outage began). Where the fault is decides who handles it
 * (TB-11): a fault of the backbone or the line goes to the manager, who dispatches the
 * carrier of that line; a fault of the unit's own LAN is the unit's to solve, which may ask the
 * manager for help (a profile without lan_clause sends every fault to the manager).
 *
 * A backbone fault runs two clocks on the wall, 24×7, from the report (not from dispatch):
 * response and repair by the site's class, which the unit's level (单位层级) gives through the
 * profile's [sla] classes (桐柏: 县直单位 2 h, 乡镇区域 6 h, 核心机房 4 h; 洛宁: 12 h). The
 * manager may reclassify it (复杂故障 48 h) with a reason; the repair clock is then due from
 * the report by the new class. The repair clock stops only for the profile's [fault_pause]
 * reasons, and the pause stays through a reassignment to another carrier. A fault reported
 * fixed that was not reopens the same repair clock.
 */
#ifndef ZW_DOMAIN_OPS_TICKET_H
#define ZW_DOMAIN_OPS_TICKET_H

#include <jansson.h>
#include <stdint.h>

#include "core/record.h"
#include "domain/case.h"

struct ticket {
	int64_t id, unit_id, line_id, carrier_id;
	char *location, *summary, *detail, *reporter, *reporter_phone, *channel, *state;
	char *site_class, *site_class_name, *clause, *pause_reason, *cause;
	int64_t reported_at, dispatched_at, responded_at, resolved_at, closed_at;
	int64_t respond_deadline_id, repair_deadline_id;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema ticket_schema, ticket_transition_schema;
extern const struct registry_kind ticket_kind;
extern const struct workflow ticket_workflow;
extern const struct case_type ticket_case;

/* The month's SLA report (month "YYYY-MM", Beijing time): per carrier and class, the backbone
 * tickets reported that month, and for response and repair the count met, median and worst
 * minutes (net of pauses), breaches and clocks still running; a carrier's staff get their own
 * carrier's rows only. */
int ticket_sla_report(const struct ctx *x, const char *month, json_t **out, struct zw_err *err);

#endif
