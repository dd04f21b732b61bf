/* case_sql: the steps of the case types run by the generic case engine (domain/case.h), one
 * table for all of them (case_events: kind, case id). */
#ifndef ZW_STORE_CASE_SQL_H
#define ZW_STORE_CASE_SQL_H

#include <jansson.h>

#include "store/store.h"

struct case_event {
	const char *kind; /* the case type's object name ("ticket") */
	int64_t case_id, at;
	const char *action, *from, *to, *actor, *role, *reason, *clause;
	const char *detail; /* what the step changed besides the state, in words ("" none) */
};

int store_case_event(struct sconn *c, const struct case_event *e, struct zw_err *err);
/* A case's steps, oldest first, as the API shows them, appended to out. */
int store_case_events(struct sconn *c, const char *kind, int64_t case_id, json_t *out,
                      struct zw_err *err);

#endif
