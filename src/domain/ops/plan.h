/*
 * plan: emergency-response and disaster-recovery plans (应急预案、灾难恢复预案) and their drills
 * (JX-18: 制定事故应急响应和处理措施，制定灾难恢复策略和预案，并报榆林市数据局备案; LN-13(二):
 * 各单位 针对可能发生的网络突发事件制定应急预案，对于重要系统做好容灾备份建设; JX-附件2:
 * 定期进行演练).
 *
 * A plan belongs to a unit, or to the network's manager itself (no unit). Drafted, it takes
 * effect (发布施行) unless the profile's [emergency_plans] names an authority the manager's plans
 * are filed with (佳县: 榆林市数据局): such a plan is filed first (报备) and takes effect when the
 * filing is recorded with the authority's number and date (登记备案), or goes back to draft
 * (备案退回). A plan in force is reviewed (复审) and drilled; a drill is a record of its own under
 * the plan (what was rehearsed, who took part, what went wrong, what is to be improved). Where
 * the profile has [deadline plan_review] or [deadline plan_drill], a plan in force runs that
 * clock, and each review or drill restarts it; retiring a plan (废止) stops them. Where the
 * profile requires every unit to keep a plan (every_unit), the connected units without one in
 * force are listed (plans_missing).
 */
#ifndef ZW_DOMAIN_OPS_PLAN_H
#define ZW_DOMAIN_OPS_PLAN_H

#include <jansson.h>
#include <stdint.h>

#include "core/record.h"
#include "domain/case.h"

struct plan {
	int64_t id, unit_id; /* unit_id 0: the manager's own plan */
	char *kind, *title, *scope, *measures, *recovery, *version, *state, *clause;
	char *filing_authority, *filing_no, *filed_on;
	int64_t effective_at, reviewed_at;
	int64_t created_at, updated_at, rev;
};

struct plan_drill {
	int64_t id, plan_id;
	char *drilled_on, *scenario, *participants, *result, *problems, *improvements;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema plan_schema, plan_transition_schema, plan_drill_schema;
extern const struct registry_kind plan_kind, plan_drill_kind;
extern const struct workflow plan_workflow;
extern const struct case_type plan_case;

/* The connected units without an emergency plan in force, as {unit_id, name, level}, when the
 * profile requires every unit to keep one; the caller's scope (a unit_admin: their own unit).
 * NULL with err on failure. */
json_t *plans_missing(const struct ctx *x, struct zw_err *err);

#endif
