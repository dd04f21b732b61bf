/* contact_sql: the SQL of a unit's contacts beyond the generic record functions (store/rec.h). */
#ifndef ZW_STORE_CONTACT_SQL_H
#define ZW_STORE_CONTACT_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* The e-mail addresses of the unit's contacts, comma separated, into out (truncated = error). */
int store_contact_emails(struct sconn *c, int64_t unit_id, char *out, size_t n, struct zw_err *err);
/* The unit's first contact of a role, or 0. */
int store_contact_of_role(struct sconn *c, int64_t unit_id, const char *role, int64_t *id,
                          struct zw_err *err);

#endif
