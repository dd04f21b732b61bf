/*
 * violation: a forbidden behaviour of a unit (or of one of its terminals) judged against the
 * county's profile, handled step by step, and the isolation it puts on the wire.
 *
 * A case opens from a finding whose behaviour the profile forbids ([forbidden CODE]), or by
 * hand after an inspection. Its sanction is the rung of the behaviour's penalty ladder for the
 * unit's n-th offence within the offence window (the last rung repeats); its level follows:
 * no sanction in the regulation → warning; isolate_terminal/block → terminal; any other →
 * unit. While a case is handled, further findings of the same behaviour about the same MAC or
 * address join it instead of opening a new one, so only a new offence after a case ended
 * climbs the ladder.
 *
 *   open ─notify─▶ notified ─isolate─▶ isolated ─rectify─▶ rectifying ─verify─▶ verified
 *     │               │  └──────────rectify──────────────────▲                    │
 *     │               └─close (warning)─▶ closed ◀─close (never isolated)─────────┤
 *     └─isolate─▶ isolated                 reconnected ◀─reconnect (isolated)─────┘
 *   open, notified ─dismiss─▶ dismissed (not a violation after all)
 *   any case being handled ─escalate─▶ the next rung (criticism, suspension ...);
 *                                      a revoke rung ─▶ revoked (unit's access revoked)
 *   charge: the repair cost of damage the unit caused, when the behaviour puts it on the unit
 *
 * Isolation is allowed only where the rung disconnects (terminal: its MAC and address; unit:
 * every address block of the unit as well, and the unit is 暂停), and is lifted on reconnect.
 * Every step records who, when, why and the clause it rests on, is audited, and tells the
 * unit's administrators and the managers through the outbox.
 */
#ifndef ZW_DOMAIN_VIOLATION_H
#define ZW_DOMAIN_VIOLATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/registry.h"

struct violation_policy {
	bool auto_isolate;   /* a case whose rung disconnects is isolated as soon as it opens */
	int64_t window_days; /* earlier offences count within this many days */
	const char *allow;   /* what isolated hosts may still reach (isolation_allow) */
};

struct violation {
	int64_t id, unit_id, terminal_id, finding_id;
	char *behaviour, *behaviour_name, *clause, *level, *sanction, *sanction_name,
	    *sanction_clause;
	int64_t offence;
	char *state, *isolated_scope, *mac, *ip, *detail, *source;
	int64_t deadline_id, repair_cost;
	char *cost_note;
	int64_t closed_at, created_at, updated_at, rev;
};

extern const struct rec_schema violation_schema;
/* The body of a transition (POST /violations/{id}/transitions). */
extern const struct rec_schema violation_transition_schema;
extern const struct registry_kind violation_kind;

/* What a finding knows about the case it may open. */
struct case_input {
	int64_t finding_id, unit_id, terminal_id;
	const char *behaviour, *mac, *ip, *detail; /* mac, ip: "" when unknown */
};

/* Inside the ingest's transaction: open a case for a new finding, or join it to the unit's
 * case still being handled; *id 0 when the profile does not forbid the behaviour or the
 * finding has no unit (it stays an open finding). */
int violation_from_finding_tx(const struct ctx *x, struct store_tx *tx,
                              const struct violation_policy *vp, const struct case_input *in,
                              int64_t *id, bool *created, struct zw_err *err);
/* By hand: {unit_id, behaviour, terminal_id?, finding_id?, mac?, ip?, detail}. */
int violation_create(const struct ctx *x, const struct violation_policy *vp, const json_t *body,
                     int64_t *id, struct zw_err *err);
/* {action, reason?, scope?, sanction?, amount?, if_rev?} */
int violation_transition(const struct ctx *x, const struct violation_policy *vp, int64_t id,
                         const json_t *body, struct zw_err *err);
/* The case with its steps, isolations, deadlines, ladder and the actions open to the caller. */
int violation_detail(const struct ctx *x, int64_t id, json_t **out, struct zw_err *err);

const char *violation_state_label(const char *state);
/* The i-th state a case can be in ("open"), and whether the case is still being handled in it
 * (not ended: reconnected, closed, revoked or dismissed); NULL past the last. */
const char *violation_state_at(size_t i, bool *open);

#endif
