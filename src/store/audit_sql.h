/* audit_sql: the audit table and its head in meta. */
#ifndef ZW_STORE_AUDIT_SQL_H
#define ZW_STORE_AUDIT_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* One row of the log; the strings are the store's copies (audit_entry_free). */
struct audit_entry {
	int64_t id, at, actor_id, unit_id;
	char *actor, *role, *source, *request_id, *action, *object_type, *object_id;
	char *before, *after, *clause, *prev_hash, *hash;
};

void audit_entry_free(struct audit_entry *e);

struct list_query;
struct list_page;

int store_audit_head(struct sconn *c, int64_t *id, char hash[65], struct zw_err *err);
int store_audit_insert(struct sconn *c, struct audit_entry *e, struct zw_err *err);
typedef int (*audit_row_fn)(const struct audit_entry *e, void *ctx);
int store_audit_scan(struct sconn *c, audit_row_fn fn, void *ctx, struct zw_err *err);
int store_audit_meta_head(struct sconn *c, int64_t *id, char hash[65], struct zw_err *err);
int store_audit_triggers_ok(struct sconn *c);
int store_audit_list(struct sconn *c, const struct list_query *q, audit_row_fn fn, void *ctx,
                     struct list_page *page, struct zw_err *err);

#endif
