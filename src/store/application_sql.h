/* application_sql: the rows of applications' ports and steps, and the lookups their workflow makes.
 */
#ifndef ZW_STORE_APPLICATION_SQL_H
#define ZW_STORE_APPLICATION_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct app_port;
struct buf;

int store_app_port_insert(struct sconn *c, const struct app_port *p, struct zw_err *err);
int store_app_ports(struct sconn *c, int64_t application_id, struct app_port **out, size_t *n,
                    struct zw_err *err);
void app_ports_free(struct app_port *v, size_t n);
int store_app_event(struct sconn *c, int64_t application_id, int64_t at, const char *action,
                    const char *from, const char *to, int64_t step, const char *actor,
                    const char *role, const char *reason, const char *clause, struct zw_err *err);
int store_app_events(struct sconn *c, int64_t application_id, json_t *out, struct zw_err *err);
/* The unit's first contact of a role, or 0. */
int store_contact_of_role(struct sconn *c, int64_t unit_id, const char *role, int64_t *id,
                          struct zw_err *err);
/* The lowest VLAN id at or above from that no VLAN uses, or 0 when none is left. */
int store_free_vid(struct sconn *c, int64_t from, int64_t *vid, struct zw_err *err);
/* Has the unit an approved access application (being implemented or done)? */
int store_unit_access_approved(struct sconn *c, int64_t unit_id, bool *yes, struct zw_err *err);
/* Ids of a unit's rows in table: addresses, prefixes (the longest first, so children go before
 * parents), vlans, lines (those not yet 已拆除). */
int store_unit_rows(struct sconn *c, const char *table, int64_t unit_id, int64_t *ids, size_t max,
                    size_t *n, struct zw_err *err);
/* The approved ports, in (exposure, target, protocol, port) order, with their unit's name. A
 * non-zero answer of fn stops the scan and is returned as it is (err is left to the caller). */
typedef int (*port_row_fn)(const struct app_port *p, int64_t unit_id, const char *unit,
                           const char *review_on, void *ctx);
int store_ports_scan(struct sconn *c, int64_t unit_id, port_row_fn fn, void *ctx,
                     struct zw_err *err);

#endif
