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
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "policy/authz.h"
#include "store/audit_sql.h"
#include "store/store.h"

int audit_append(struct store_tx *tx, const struct principal *p, const char *action,
                 const char *object_type, int64_t object_id, int64_t unit_id, const json_t *before,
                 const json_t *after, const char *clause, struct zw_err *err);
/* The same with before and after already written as JSON text (NULL for none). */
int audit_append_text(struct store_tx *tx, const struct principal *p, const char *action,
                      const char *object_type, int64_t object_id, int64_t unit_id,
                      const char *before, const char *after, const char *clause,
                      struct zw_err *err);
/* Does tx keep an audit log? Not on a scratch copy (an import's check, store_scratch_open):
 * no check reads the log, and the real write that follows appends every entry. There
 * audit_append writes nothing, and a caller may skip building the entry. */
bool audit_kept(const struct store_tx *tx);

struct audit_verify {
	int64_t entries;  /* rows checked */
	int64_t bad_id;   /* first bad entry (0 when the chain holds) */
	char reason[256]; /* why it is bad, in Chinese */
	int64_t head_id;  /* audit_verify_head: the entry whose hash is the known head */
};
/* 0 when the chain holds; -ZW_ECONFLICT with res->bad_id and reason when it does not. */
int audit_verify(struct store *st, struct audit_verify *res, struct zw_err *err);
/* The same, and the chain holds an entry whose hash is head (a head recorded earlier: in a
 * backup's manifest, a daily notice): a copy that passes holds the whole chain up to that
 * entry unchanged. A copy that lost its last entries passes audit_verify, not this. */
int audit_verify_head(struct store *st, const char *head, struct audit_verify *res,
                      struct zw_err *err);

void audit_entry_hash(const struct audit_entry *e, char out[65]);
json_t *audit_entry_json(const struct audit_entry *e);

/* One page of the log, filtered and sorted as q says (the caller checked q against the
 * list's definition), for a principal allowed to read it (ACT_AUDIT_READ). */
int audit_list(struct store *st, const struct principal *p, const struct list_query *q,
               json_t *items, struct list_page *page, struct zw_err *err);
/* Every page of the log under q (filters, sort) as a sheet (domain/export.h) for an
 * inspection: time in Beijing time, who and in what role, the object and the verb by their
 * names, the unit by its name, the clause, the source, and before and after as stored. */
int audit_export(struct store *st, const struct principal *p, const struct list_query *q,
                 int format, struct buf *out, struct zw_err *err);

#endif
