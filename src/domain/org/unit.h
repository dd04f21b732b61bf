/*
 * unit: the register of connected units (使用单位), a registry kind (domain/registry.h) whose
 * status is moved only by its workflow.
 *
 * A unit's status moves only through unit_move (registering one is the machine's first move),
 * and every move records the clause it rests on (given explicitly, or the profile's clause for
 * that status):
 *
 *      申请中 ──connect──▶ 已接入 ──suspend──▶ 暂停
 *        ▲                  │  ▲                │
 *        │                  │  └──reconnect─────┤
 *        │                  ├──revoke──▶ 已撤销入网资格 ◀──┤
 *        │                  └──remove──▶ 已拆机 ◀──────────┘
 *        └──────── re-apply ── (已撤销入网资格, 已拆机)
 *
 * Connecting is refused while the unit lacks an agreement the profile requires for connection
 * (JX-9, LN-17), citing that clause. A unit's contacts (contact.h) and agreements
 * (agreement.h) are kinds under it.
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
#include "domain/org/agreement.h"
#include "domain/org/contact.h"
#include "domain/registry.h"
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

extern const struct rec_schema unit_schema;
extern const struct registry_kind unit_kind;
extern const char *const unit_status_values[]; /* 申请中 已接入 暂停 已撤销入网资格 已拆机 */

/* Status code of the profile (applying, connected, ...) for a status name, or NULL. */
const char *unit_status_code(const char *status);
/* A move to status needs a reason (暂停, 已撤销入网资格). */
bool unit_status_needs_reason(const char *status);

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
/* May the principal move the unit's status at all? (403 without the right, 404 for a unit out of
 * reach); asked by unit_move and before a request for one is read. */
int unit_may_move(const struct ctx *x, int64_t id, struct zw_err *err);
/* The unit's status history as the principal may read it: a JSON array, or NULL with err. */
json_t *unit_history(const struct ctx *x, int64_t id, struct zw_err *err);
/* The unit, read with no principal for what the caller has authorised (a document). */
int unit_get(struct store *st, int64_t id, struct unit *u, struct zw_err *err);
json_t *unit_json(const struct unit *u);
void unit_free(struct unit *u);

/* Units that must hold an agreement kind they do not, as the principal may see them (every
 * unit, or the unit_admin's own): connected (or suspended) units missing one the profile
 * requires for connection or asks to back-fill (LN-17 补签). */
json_t *agreements_missing(const struct ctx *x, struct zw_err *err);

#endif
