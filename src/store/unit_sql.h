/* unit_sql: the SQL of the unit register beyond the generic record functions (store/rec.h):
 * status history, the comparison keys of names and the agreement kinds each unit holds. */
#ifndef ZW_STORE_UNIT_SQL_H
#define ZW_STORE_UNIT_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

int store_unit_history_add(struct sconn *c, int64_t unit_id, const char *from, const char *to,
                           const char *clause, const char *reason, const char *actor, int64_t at,
                           struct zw_err *err);
int store_unit_history(struct sconn *c, int64_t unit_id, json_t *items, struct zw_err *err);
/* Units are unique by the comparison key of their name (core/text.h), kept in units.name_key
 * under a UNIQUE index. The unit other than `except` whose key is `key`: *id (0 when none) and
 * its name in *name (caller frees). */
int store_unit_by_name_key(struct sconn *c, const char *key, int64_t except, int64_t *id,
                           char **name, struct zw_err *err);
int store_unit_set_name_key(struct sconn *c, int64_t id, const char *key, struct zw_err *err);
/* For each unit (one, or all connected/suspended ones): its agreement kinds, comma-joined. */
int store_unit_kinds(struct sconn *c, int64_t unit_id, bool connected_only,
                     int (*fn)(int64_t id, const char *name, const char *status, const char *kinds,
                               void *ctx),
                     void *ctx, struct zw_err *err);

#endif
