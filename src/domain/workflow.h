/*
 * workflow: one declarative transition table per case type.
 *
 * A workflow is its states and a table of rows: action, from-states, to-state, permission,
 * guard, effect, the clause it rests on and whether it needs a reason. The same table
 *   - runs a step (workflow_step: the first row of the action whose from-state holds and
 *     whose permission and guard pass; its effect; the case moves to its to-state),
 *   - lists the steps open to the caller (workflow_actions: the console's buttons),
 *   - draws the state diagram and the table in docs/WORKFLOWS.md (workflow_markdown),
 *   - and drives the table walk in tests/api/test_workflows.py (every action tried on every
 *     case by every role, in a dry run: listed ⇔ succeeds; refused ones cite a clause).
 *
 * A guard looks at the case as it stands (and at the step's input where one was given), never
 * changes anything, and says why not with the clause; an effect does the step's work inside
 * the caller's transaction. Several rows may share an action: they are the branches of one
 * verb (approve by the last approver moves on to 实施中, by an earlier one to the next step).
 */
#ifndef ZW_DOMAIN_WORKFLOW_H
#define ZW_DOMAIN_WORKFLOW_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"
#include "policy/authz.h"

enum {
	WF_REASON = 1 << 0,  /* the step needs a reason */
	WF_SYSTEM = 1 << 1,  /* taken only by the system on another step's behalf: no button */
	WF_CONFIRM = 1 << 2, /* cannot be undone: the console asks first, saying what it does */
};

typedef int (*wf_fn)(void *cs, struct zw_err *err);

struct wf_row {
	const char *action; /* the verb the API takes */
	const char *label;  /* the console's button */
	const char *from;   /* states it starts from, space separated; "" = creation */
	const char *to;     /* the state it ends in; NULL: stays where it is */
	enum action perm; /* what the caller must be allowed on the case's unit; ACT_COUNT: none */
	unsigned flags;
	wf_fn guard;           /* may the row apply now? NULL: always */
	wf_fn effect;          /* the step's work; NULL: only the move */
	const char *guard_doc; /* the guard in words, for the docs */
	const char *clause;    /* a clause of its own; NULL: the case's (workflow.clause) */
};

struct workflow {
	const char *name, *label; /* "violation", "违规事项" */
	const char *const *states;
	const struct wf_row *rows;
	size_t nrows;
	/* the binding to the case type's step */
	const char *(*state)(const void *cs);
	int (*set_state)(void *cs, const char *to, struct zw_err *err);
	const struct principal *(*by)(const void *cs);
	int64_t (*unit)(const void *cs);
	const char *(*clause)(const void *cs);         /* the clause the case rests on */
	const char *(*reason)(const void *cs);         /* the step's reason, NULL when none */
	const char *(*state_label)(const char *state); /* NULL: the state is its own label */
	const char *clause_doc;                        /* what the case's clause is, for the docs */
};

/* The binding of a case type's step struct T to its workflow: the getters the engine reads
 * (each an expression of `s`, a const T *), as functions named wf_state ... wf_reason. */
#define WORKFLOW_BIND(T, STATE, BY, UNIT, CLAUSE, REASON)                                          \
	static const char *wf_state(const void *cs)                                                \
	{                                                                                          \
		const T *s = cs;                                                                   \
		return STATE;                                                                      \
	}                                                                                          \
	static const struct principal *wf_by(const void *cs)                                       \
	{                                                                                          \
		const T *s = cs;                                                                   \
		return BY;                                                                         \
	}                                                                                          \
	static int64_t wf_unit(const void *cs)                                                     \
	{                                                                                          \
		const T *s = cs;                                                                   \
		return UNIT;                                                                       \
	}                                                                                          \
	static const char *wf_clause(const void *cs)                                               \
	{                                                                                          \
		const T *s = cs;                                                                   \
		return CLAUSE;                                                                     \
	}                                                                                          \
	static const char *wf_reason(const void *cs)                                               \
	{                                                                                          \
		const T *s = cs;                                                                   \
		return REASON;                                                                     \
	}
#define WORKFLOW_GETTERS                                                                           \
	.state = wf_state, .by = wf_by, .unit = wf_unit, .clause = wf_clause, .reason = wf_reason

/* Run the step action on the case (inside the caller's transaction). *taken, when not NULL,
 * is the row that ran. */
int workflow_step(const struct workflow *w, void *cs, const char *action,
                  const struct wf_row **taken, struct zw_err *err);
/* The same, choosing the row by the state it leads to (unit status moves are asked for by
 * the status wanted). */
int workflow_step_to(const struct workflow *w, void *cs, const char *to,
                     const struct wf_row **taken, struct zw_err *err);
/* The actions open to the case's caller now: [{action, label, to, reason}], each once. */
json_t *workflow_actions(const struct workflow *w, void *cs);
/* Each event of a case's history (objects with "action") gets "action_label": the table's
 * label of its action, or `created` for the step that made the case (submit, open). */
void workflow_label_events(const struct workflow *w, json_t *events, const char *created);
/* Is the state one of the workflow's? */
bool workflow_has_state(const struct workflow *w, const char *state);

/* The workflows, for the docs and `zwnet workflows`. */
extern const struct workflow unit_workflow, application_workflow, violation_workflow;
extern const struct workflow *const workflows[];
/* The docs' section for one workflow: a Mermaid state diagram and the table. */
void workflow_markdown(const struct workflow *w, struct buf *out);

#endif
