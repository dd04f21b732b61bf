/*
 * change: change records of systems and network devices (SS-24: 对信息系统的变更和其他重大操作，
 * 应制定应急措施和回退方案).
 *
 * A unit (or the center) records a planned change: what is changed, how, when. Where the
 * profile's [change_control] requires it, the record carries emergency measures and a rollback
 * plan before the manager can approve it; a record without them is refused approval citing the
 * clause and may be completed (revise). Its execution is recorded with its outcome: carried out,
 * or rolled back.
 */
#ifndef ZW_DOMAIN_OPS_CHANGE_H
#define ZW_DOMAIN_OPS_CHANGE_H

#include <stdint.h>

#include "core/record.h"
#include "domain/case.h"

struct change {
	int64_t id, unit_id;
	char *kind, *subject, *description, *emergency_measures, *rollback_plan, *state, *clause;
	char *outcome;
	int64_t planned_at, executed_at;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema change_schema, change_transition_schema;
extern const struct registry_kind change_kind;
extern const struct workflow change_workflow;
extern const struct case_type change_case;

#endif
