/* agreement_sql: the SQL of a unit's agreements beyond the generic record functions
 * (store/rec.h). */
#ifndef ZW_STORE_AGREEMENT_SQL_H
#define ZW_STORE_AGREEMENT_SQL_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Link the agreement to its signed scan (a blob by SHA-256), bumping its rev. */
int store_agreement_set_scan(struct sconn *c, int64_t id, const char *sha, const char *name,
                             const char *type, int64_t size, int64_t now, struct zw_err *err);

#endif
