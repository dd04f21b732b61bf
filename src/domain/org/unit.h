/*
 * unit: the registry of connected units (使用单位), their contacts and signed agreements.
 *
 * A unit's status moves only through unit_set_status, and every move records the clause it
 * rests on (given explicitly, or the profile's clause for that status):
 *
 *      申请中 ──connect──▶ 已接入 ──suspend──▶ 暂停
 *        ▲                  │  ▲                │
 *        │                  │  └──reconnect─────┤
 *        │                  ├──revoke──▶ 已撤销入网资格 ◀──┤
 *        │                  └──remove──▶ 已拆机 ◀──────────┘
 *        └──────── re-apply ── (已撤销入网资格, 已拆机)
 *
 * Connecting is refused while the unit lacks an agreement the profile requires for connection
 * (JX-9, LN-17), citing that clause. Contacts carry the roles of TB-6/TB-7; agreements carry
 * the kinds of the profile and an optional signed scan stored content-addressed (blob.h).
 */
#ifndef ZW_DOMAIN_UNIT_H
#define ZW_DOMAIN_UNIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/record.h"
#include "domain/ctx.h"
#include "policy/authz.h"
#include "policy/profile.h"
#include "store/store.h"

struct unit {
	int64_t id;
	char *name, *short_name, *type, *level, *address;
	int64_t parent_id;
	char *status, *status_clause, *status_reason;
	int64_t status_at;
	char *connected_on; /* date it was first connected, YYYY-MM-DD, or NULL */
	char *note;
	int64_t created_at, updated_at, rev;
};

struct contact {
	int64_t id, unit_id;
	char *role, *name, *post, *mobile, *email;
	int64_t created_at, updated_at, rev;
};

struct agreement {
	int64_t id, unit_id;
	char *kind, *name, *signed_on, *signatories;
	char *scan_sha256, *scan_name, *scan_type;
	int64_t scan_size;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema unit_schema, contact_schema, agreement_schema;
extern const char *const unit_status_values[]; /* 申请中 已接入 暂停 已撤销入网资格 已拆机 */

/* Status code of the profile (applying, connected, ...) for a status name, or NULL. */
const char *unit_status_code(const char *status);
/* A move to status needs a reason (暂停, 已撤销入网资格). */
bool unit_status_needs_reason(const char *status);

int unit_create(const struct ctx *x, struct unit *u, uint64_t present, int64_t *id,
                struct zw_err *err);
int unit_create_tx(const struct ctx *x, struct store_tx *tx, struct unit *u, int64_t *id,
                   struct zw_err *err);
int unit_update(const struct ctx *x, int64_t id, const struct unit *patch, uint64_t present,
                int64_t if_rev, struct zw_err *err);
int unit_set_status(const struct ctx *x, int64_t id, const char *status, const char *clause,
                    const char *reason, int64_t if_rev, struct zw_err *err);
/* The same with every option: dry_run runs the move in its transaction and rolls it back
 * (what would happen, nothing changed). */
struct unit_move {
	const char *status, *clause, *reason;
	int64_t if_rev;
	bool dry_run;
};
int unit_move(const struct ctx *x, int64_t id, const struct unit_move *m, struct zw_err *err);
/* The same inside the caller's transaction, authorised by the caller (an application's step);
 * status is a status name; case_id: the violation case moving the unit (it isolates the unit
 * itself, so a suspension adds no isolation of its own), or 0. */
int unit_set_status_tx(const struct ctx *x, struct store_tx *tx, int64_t id, const char *status,
                       const char *clause, const char *reason, int64_t case_id, struct zw_err *err);
/* The status moves open to the caller now: [{action, label, to, reason}]. */
json_t *unit_actions(const struct ctx *x, struct unit *u);
int unit_get(struct store *st, int64_t id, struct unit *u, struct zw_err *err);
int unit_list(struct store *st, const struct list_query *q, struct buf *out, struct list_page *page,
              struct zw_err *err);
json_t *unit_json(const struct unit *u);
json_t *unit_history_json(struct store *st, int64_t id, struct zw_err *err);
void unit_free(struct unit *u);

int contact_create(const struct ctx *x, int64_t unit_id, const struct contact *c, int64_t *id,
                   struct zw_err *err);
int contact_update(const struct ctx *x, int64_t unit_id, int64_t id, const struct contact *patch,
                   uint64_t present, int64_t if_rev, struct zw_err *err);
int contact_delete(const struct ctx *x, int64_t unit_id, int64_t id, int64_t if_rev,
                   struct zw_err *err);
int contact_get(struct store *st, int64_t unit_id, int64_t id, struct contact *c,
                struct zw_err *err);
int contact_list(struct store *st, int64_t unit_id, struct buf *out, struct zw_err *err);
void contact_free(struct contact *c);

int agreement_create(const struct ctx *x, int64_t unit_id, const struct agreement *a, int64_t *id,
                     struct zw_err *err);
int agreement_update(const struct ctx *x, int64_t unit_id, int64_t id,
                     const struct agreement *patch, uint64_t present, int64_t if_rev,
                     struct zw_err *err);
int agreement_delete(const struct ctx *x, int64_t unit_id, int64_t id, int64_t if_rev,
                     struct zw_err *err);
int agreement_get(struct store *st, int64_t unit_id, int64_t id, struct agreement *a,
                  struct zw_err *err);
int agreement_list(struct store *st, int64_t unit_id, struct buf *out, struct zw_err *err);
/* Attach a signed scan: data is checked (PDF, PNG or JPEG by content, matching the declared
 * type), stored once by SHA-256, and linked with its original file name. */
int agreement_attach_scan(const struct ctx *x, int64_t unit_id, int64_t id, const char *filename,
                          const char *declared_type, const void *data, size_t len, int64_t if_rev,
                          struct zw_err *err);
void agreement_free(struct agreement *a);

/* Units that must hold an agreement kind they do not: connected (or suspended) units missing
 * one the profile requires for connection or asks to back-fill (LN-17 补签). unit_id 0: all. */
json_t *agreements_missing(struct store *st, const struct profile *prof, int64_t unit_id,
                           struct zw_err *err);

#endif
