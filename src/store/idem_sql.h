/* idem_sql: the answers kept for Idempotency-Key (api/idempotency.c). */
#ifndef ZW_STORE_IDEM_SQL_H
#define ZW_STORE_IDEM_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct idem_row {
	char hash[65];   /* of the request: method, path and query, body */
	char boot[33];   /* the server run that took it */
	int64_t created; /* unix seconds */
	int status;      /* 0 while the request runs */
	char type[100];  /* Content-Type of the answer */
	char *body;      /* the answer, or NULL (caller frees) */
	size_t len;
};

/* Take (who, key) for a request: 1 and *row filled when it is known already (and not older
 * than since), 0 when it was free and is now held for this request (status 0). Keys older
 * than since are forgotten first. */
int store_idem_claim(struct store *st, const char *who, const char *key, const char *hash,
                     const char *boot, int64_t now, int64_t since, struct idem_row *row,
                     struct zw_err *err);
/* The answer of the request holding (who, key); body NULL keeps only the status. */
int store_idem_finish(struct store *st, const char *who, const char *key, int status,
                      const char *type, const char *body, size_t len, struct zw_err *err);
/* Let go of (who, key): the request's answer is not one to repeat. */
int store_idem_release(struct store *st, const char *who, const char *key, struct zw_err *err);
/* Forget every key taken before since; how many. */
int store_idem_expire(struct store *st, int64_t since, struct zw_err *err);
/* The same for the probe runs whose batches were taken (watch_sql.h store_probe_batch): a
 * run not heard of since is forgotten (its spool would have been sent long before). */
int store_probe_runs_expire(struct store *st, int64_t since, struct zw_err *err);

#endif
