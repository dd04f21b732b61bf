/* maintenance_sql: the lines of a maintenance notice, and the windows over a line. */
#ifndef ZW_STORE_MAINTENANCE_SQL_H
#define ZW_STORE_MAINTENANCE_SQL_H

#include <jansson.h>

#include "store/store.h"

int store_maintenance_line_add(struct sconn *c, int64_t maintenance_id, int64_t line_id,
                               int64_t unit_id, struct zw_err *err);
/* The notice's lines as [{line_id, circuit_id, unit_id, unit_name}] appended to out. */
int store_maintenance_lines(struct sconn *c, int64_t maintenance_id, json_t *out,
                            struct zw_err *err);
/* The distinct units of the notice's lines, each to fn. */
int store_maintenance_units(struct sconn *c, int64_t maintenance_id,
                            int (*fn)(int64_t unit, void *arg), void *arg, struct zw_err *err);
/* The carrier's lines in use serving unit: count into *n, each to fn. */
int store_carrier_unit_lines(struct sconn *c, int64_t carrier, int64_t unit,
                             int (*fn)(int64_t line, void *arg), void *arg, int *n,
                             struct zw_err *err);
/* The agreed window over line (line 0: any line of unit) at `at`, or *id 0. */
int store_maintenance_window(struct sconn *c, int64_t line, int64_t unit, int64_t at, int64_t *id,
                             int64_t *ends, struct zw_err *err);

#endif
