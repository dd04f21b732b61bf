/* metrics_sql: what GET /metrics reads from the database: its size, the outbox's backlog and
 * the cases and applications still open. Counts only, nothing of what the rows say. */
#ifndef ZW_STORE_METRICS_SQL_H
#define ZW_STORE_METRICS_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* One value of a column (a state, a status) and how many rows have it. */
#define STORE_GROUPS_MAX 16
struct store_group {
	char key[48];
	int64_t n;
};

struct store_gauges {
	int64_t page_count, page_size, freelist_count;
	int64_t wal_bytes; /* the -wal file beside the database, 0 when there is none */
	/* outbox rows not yet delivered: to the in-app inbox (not fanned out), by mail and by
	 * webhook (pending, retries included; failed ones are counted apart) */
	int64_t outbox_inbox, outbox_mail, outbox_hook;
	int64_t outbox_mail_failed, outbox_hook_failed;
	int64_t findings_open;
	/* violations by state, applications by status: every value present, at most
	 * STORE_GROUPS_MAX of each (the CHECKs and the workflows have fewer) */
	struct store_group violations[STORE_GROUPS_MAX], applications[STORE_GROUPS_MAX];
	size_t nviolations, napplications;
};

int store_gauges_read(struct sconn *c, struct store_gauges *g, struct zw_err *err);

#endif
