/*
 * audit: the append-only, hash-chained log of every change.
 *
 * Each entry holds who (actor, role, source address, request id), what (action, object,
 * before and after as JSON), when, the clause the action rests on, the hash of the previous
 * entry and its own hash: SHA-256 over all of these, so editing, deleting or reordering any
 * row breaks the chain at that row. The newest entry's id and hash are also kept in meta
 * (audit_head), so deleting the last rows is caught too. Triggers refuse UPDATE and DELETE.
 *
 * audit_append must run inside the transaction of the change it records (store_begin), so the
 * change and its entry commit together.
 */
#ifndef ZW_DOMAIN_AUDIT_H
#define ZW_DOMAIN_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "policy/authz.h"
#include "store/store.h"

struct audit_entry {
	int64_t id, at, actor_id, unit_id;
	char *actor, *role, *source, *request_id, *action, *object_type, *object_id;
	char *before, *after, *clause, *prev_hash, *hash;
};

int audit_append(struct store_tx *tx, const struct principal *p, const char *action,
                 const char *object_type, int64_t object_id, int64_t unit_id, const json_t *before,
                 const json_t *after, const char *clause, struct zw_err *err);

struct audit_verify {
	int64_t entries;  /* rows checked */
	int64_t bad_id;   /* first bad entry (0 when the chain holds) */
	char reason[256]; /* why it is bad, in Chinese */
};
/* 0 when the chain holds; -ZW_ECONFLICT with res->bad_id and reason when it does not. */
int audit_verify(struct store *st, struct audit_verify *res, struct zw_err *err);

void audit_entry_hash(const struct audit_entry *e, char out[65]);
void audit_entry_free(struct audit_entry *e);
json_t *audit_entry_json(const struct audit_entry *e);

/* store side (src/store/audit_sql.c) */
int store_audit_head(struct sconn *c, int64_t *id, char hash[65], struct zw_err *err);
int store_audit_insert(struct sconn *c, struct audit_entry *e, struct zw_err *err);
typedef int (*audit_row_fn)(const struct audit_entry *e, void *ctx);
int store_audit_scan(struct sconn *c, audit_row_fn fn, void *ctx, struct zw_err *err);
int store_audit_meta_head(struct sconn *c, int64_t *id, char hash[65], struct zw_err *err);
int store_audit_triggers_ok(struct sconn *c);
int store_audit_list(struct sconn *c, const struct list_query *q, json_t *items,
                     struct list_page *page, struct zw_err *err);

#endif
