/* workdays_sql: the calendar years managers loaded. */
#ifndef ZW_STORE_WORKDAYS_SQL_H
#define ZW_STORE_WORKDAYS_SQL_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

int store_calendar_years(struct sconn *c, int (*fn)(int year, const char *data, void *ctx),
                         void *ctx, struct zw_err *err);
int store_calendar_put(struct sconn *c, int year, const char *data, const char *by, int64_t now,
                       struct zw_err *err);

#endif
