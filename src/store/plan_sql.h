/* plan_sql: what the emergency plans read beyond their records (domain/ops/plan.h). */
#ifndef ZW_STORE_PLAN_SQL_H
#define ZW_STORE_PLAN_SQL_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* The day of the plan's latest drill (YYYY-MM-DD) into day, "" for none. */
int store_plan_last_drill(struct sconn *c, int64_t plan_id, char day[11], struct zw_err *err);
/* The connected units (已接入, 暂停) with no emergency plan (kind emergency) in force, in id
 * order, each {unit_id, name, level} appended to arr; unit_id 0: every unit, else that one. */
int store_plans_missing(struct sconn *c, int64_t unit_id, json_t *arr, struct zw_err *err);

#endif
