/* duty_sql: what a shift's handover asks of its log. */
#ifndef ZW_STORE_DUTY_SQL_H
#define ZW_STORE_DUTY_SQL_H

#include <stdbool.h>

#include "store/store.h"

/* Was the check item recorded in the shift's log? */
int store_duty_checked(struct sconn *c, int64_t shift, const char *item, bool *done,
                       struct zw_err *err);

#endif
