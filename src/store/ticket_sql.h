/* ticket_sql: what fault tickets ask of the database beyond the generic record functions. */
#ifndef ZW_STORE_TICKET_SQL_H
#define ZW_STORE_TICKET_SQL_H

#include <stdbool.h>

#include "store/store.h"

/* The unit's lines in use: how many into *n, the first one's id into *line. */
int store_unit_lines(struct sconn *c, int64_t unit_id, int64_t *line, int *n, struct zw_err *err);
/* One ticket reported in [from, to) for the SLA report: its carrier (0: not dispatched), class
 * (NULL: none), and for each clock (respond, repair) the minutes it took net of pauses (-1:
 * not met yet, or no clock), whether it was breached, whether it runs. */
struct ticket_sla_row {
	int64_t carrier_id;
	char site_class[41];
	int64_t took[2];
	bool breached[2], has[2];
};
/* The rows, only carrier's when carrier > 0; fn gets each. */
int store_ticket_sla_rows(struct sconn *c, int64_t from, int64_t to, int64_t carrier,
                          int (*fn)(const struct ticket_sla_row *r, void *arg), void *arg,
                          struct zw_err *err);

#endif
