/*
 * duty: the duty system and the duty log (JX-19: 县信息化中心应建立值班制度，制定值班日志，定期检查
 * 网络运行状况并进行安全性能检测).
 *
 * A shift is planned on the roster (day, 白班/夜班/全天, who), taken over by the person on it,
 * and handed over. During the shift its log takes entries: what was seen and what was done, a
 * linked ticket, and the results of the profile's daily checks ([duty] checks). A shift is
 * handed over only once every check of the profile was recorded in it, citing the clause.
 */
#ifndef ZW_DOMAIN_OPS_DUTY_H
#define ZW_DOMAIN_OPS_DUTY_H

#include <stdint.h>

#include "core/record.h"
#include "domain/case.h"

struct duty_shift {
	int64_t id, user_id;
	char *day, *shift, *state, *clause, *handover_note;
	int64_t started_at, ended_at;
	int64_t created_at, updated_at, rev;
};

struct duty_entry {
	int64_t id, shift_id, ticket_id;
	char *check_item, *result, *seen, *done, *recorded_by;
	int64_t at;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema duty_shift_schema, duty_entry_schema, duty_transition_schema;
extern const struct registry_kind duty_shift_kind, duty_entry_kind;
extern const struct workflow duty_workflow;
extern const struct case_type duty_case;

#endif
