/*
 * case: the life of a case type that is a registry kind run by its workflow (fault tickets,
 * maintenance notices and the case types after them), stated once.
 *
 * Creating a case takes the workflow's creation row (from ""), chosen by its permission and
 * guard like any step; every later step takes the row of its action. Each step writes, in one
 * transaction, the record (its fields as the effect left them, the new state), its event
 * (case_events: action, from, to, who, reason, the clause), the audit entry citing the clause
 * and the outbox notice the people concerned are told by. `"dry_run": true` runs the step and
 * rolls it back. A case is read through the registry (the kind's scope: a unit's own, a
 * carrier's own), so a step on a case out of reach is the same 404 as an absent one.
 *
 * A case type gives the kind, the workflow (whose getters are CASE_GETTERS), the field table
 * of a step's body (which holds `action`, `reason`, `if_rev` and `dry_run` besides its own),
 * the clause the case rests on and hooks: what a created case starts once it has its id (a
 * clock), what a notice carries and whom it tells besides the managers and the unit.
 */
#ifndef ZW_DOMAIN_CASE_H
#define ZW_DOMAIN_CASE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/ctx.h"
#include "domain/registry.h"
#include "domain/workflow.h"

struct case_step;

struct case_type {
	const struct registry_kind *k;
	const struct workflow *w;
	const struct rec_schema *input; /* a step's body */
	const char *create_action;      /* the creation rows' action ("report") */
	const char *created_label;      /* its event's label ("报修") */
	/* The clause the case rests on now (never NULL: "" for none). */
	const char *(*clause)(const struct case_step *s);
	/* Members of a create's body that are no field of the record (a maintenance notice's
	 * line_ids), NULL-terminated: taken out before the field table reads the body and handed to
	 * take, which checks them and keeps what it needs in the step (NULL: none). */
	const char *const *takes;
	int (*take)(struct case_step *s, const json_t *members);
	/* Run once a created case has its id, before its event is written (NULL: nothing). */
	int (*opened)(struct case_step *s);
	/* More members of the step's notice, and more roles told (NULL: none). */
	int (*notice)(struct case_step *s, json_t *payload, char *roles, size_t n);
	/* The detail answer's members besides the fields, events and actions (NULL: none). */
	int (*detail)(const struct ctx *x, struct sconn *c, const void *rec, json_t *o,
	              struct zw_err *err);
};

struct case_step {
	const struct ctx *x;  /* the caller */
	const struct ctx *sx; /* the same actor, authorised as the system (a step's inner steps) */
	const struct case_type *ct;
	struct store_tx *tx; /* NULL while only the open actions are listed */
	struct sconn *c;
	void *rec;      /* the case as the step leaves it */
	const void *in; /* the step's body (ct->input's struct); all zero when listing actions */
	uint64_t present;
	const char *action, *reason;
	const char *cite; /* set by an effect whose step rests on another clause than the case's */
	char detail[400]; /* what the effect changed besides the state, in words, for the event */
	char from[24];
	int64_t now;
	struct zw_err *err;
	struct principal sys;
	struct ctx sctx;
	void *priv; /* what the case type's take kept for its opened hook (freed by the engine) */
	void (*priv_free)(void *);
};

/* The workflow's getters over a struct case_step. */
const char *case_wf_state(const void *cs);
int case_wf_set_state(void *cs, const char *to, struct zw_err *err);
const struct principal *case_wf_by(const void *cs);
int64_t case_wf_unit(const void *cs);
const char *case_wf_clause(const void *cs);
const char *case_wf_reason(const void *cs);
#define CASE_GETTERS                                                                               \
	.state = case_wf_state, .set_state = case_wf_set_state, .by = case_wf_by,                  \
	.unit = case_wf_unit, .clause = case_wf_clause, .reason = case_wf_reason

/* A case from a request body (the kind's fields a client may write). */
int case_create(const struct ctx *x, const struct case_type *ct, const json_t *body, int64_t *id,
                struct zw_err *err);
/* A case the system opens (rec filled in), inside the caller's transaction, taken by x
 * authorised as the system. reason: the creation event's. */
int case_create_tx(const struct ctx *x, const struct case_type *ct, struct store_tx *tx, void *rec,
                   const char *reason, int64_t now, int64_t *id, struct zw_err *err);
/* One step of case id, from a body of ct->input. */
int case_transition(const struct ctx *x, const struct case_type *ct, int64_t id, const json_t *body,
                    struct zw_err *err);
/* A step the system takes (an outage that ended), inside the caller's transaction: action with
 * reason and no other member of the body. */
int case_transition_tx(const struct ctx *x, const struct case_type *ct, struct store_tx *tx,
                       int64_t id, const char *action, const char *reason, int64_t now,
                       struct zw_err *err);
/* One case as the API shows it: its fields, state_label, events (each with action_label),
 * the steps open to the caller (actions) and the type's own members. */
int case_detail(const struct ctx *x, const struct case_type *ct, int64_t id, json_t **out,
                struct zw_err *err);

#endif
