/*
 * maintenance: a carrier's planned interruption (TB-12: 因运维作业需要中断网络的，应至少提前2小时
 * 报管理单位，征得管理单位同意后方可实施).
 *
 * A carrier files the window (starts_at, ends_at, reason) and the lines it interrupts, named by
 * line or by the units they serve; filed later than the profile's [maintenance] notice_hours
 * before the start it is refused citing the clause. Where the profile wants approval the
 * manager agrees (before the start) or refuses with a reason; the units on its lines are told
 * when it is agreed. While an agreed window runs, a fault reported on one of its lines starts
 * its clocks at the window's end (the interruption was planned).
 */
#ifndef ZW_DOMAIN_OPS_MAINTENANCE_H
#define ZW_DOMAIN_OPS_MAINTENANCE_H

#include <stdint.h>

#include "core/record.h"
#include "domain/case.h"

struct maintenance {
	int64_t id, carrier_id;
	char *reason, *detail, *state, *clause;
	int64_t starts_at, ends_at, lead_minutes;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema maintenance_schema, maintenance_transition_schema;
extern const struct registry_kind maintenance_kind;
extern const struct workflow maintenance_workflow;
extern const struct case_type maintenance_case;

#endif
