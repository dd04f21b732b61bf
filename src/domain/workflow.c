#include "domain/workflow.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "domain/ops/change.h"
#include "domain/ops/duty.h"
#include "domain/ops/maintenance.h"
#include "domain/ops/plan.h"
#include "domain/ops/ticket.h"

bool workflow_has_state(const struct workflow *w, const char *state)
{
	for (size_t i = 0; state && w->states[i]; i++)
		if (strcmp(w->states[i], state) == 0)
			return true;
	return false;
}

/* The state a row starts from holds: creation rows ("") take a case that has none yet. */
static bool from_holds(const struct wf_row *r, const char *state)
{
	if (!*r->from)
		return !state || !*state;
	return state && list_has(r->from, state);
}

static const char *label_of(const struct workflow *w, const char *state)
{
	const char *l = w->state_label && state ? w->state_label(state) : NULL;
	return l ? l : state ? state : "";
}

static const char *clause_of(const struct workflow *w, const void *cs, const struct wf_row *r)
{
	const char *c = r->clause ? r->clause : w->clause(cs);
	return c ? c : "";
}

/* May the caller take row r now (its permission, state and guard)? */
static int row_open(const struct workflow *w, void *cs, const struct wf_row *r, struct zw_err *err)
{
	const struct principal *by = w->by(cs);
	if ((r->flags & WF_SYSTEM) && by->role != ROLE_SYSTEM)
		return zw_err_clause(err, ZW_EFORBIDDEN, "action", clause_of(w, cs, r),
		                     "“%s”由系统在相关流程中办理，不能直接操作", r->label);
	if (r->perm != ACT_COUNT && authz_check(by, r->perm, w->unit(cs), err)) {
		int code = err->code;
		zw_err_clear(err);
		return zw_err_clause(err, code, "action", clause_of(w, cs, r), "您无权%s（%s）",
		                     r->label, w->label);
	}
	const char *state = w->state(cs);
	if (!from_holds(r, state) && (!state || !*state))
		return zw_err_clause(err, ZW_ERULE, "status", clause_of(w, cs, r),
		                     "新登记的%s不能直接为“%s”", w->label, r->to ? r->to : "");
	if (!from_holds(r, state))
		return zw_err_clause(err, ZW_ECONFLICT, "action", clause_of(w, cs, r),
		                     "%s当前为“%s”，不能%s", w->label, label_of(w, state),
		                     r->label);
	return r->guard ? r->guard(cs, err) : 0;
}

/* How bad a refusal is, to keep the most telling one: a row whose state held and whose guard
 * refused says more than one that did not start from here. */
static int weight(int code)
{
	return code == ZW_ECONFLICT ? 1 : code == ZW_EFORBIDDEN ? 2 : 3;
}

static int pick(const struct workflow *w, void *cs, const char *action, const char *to,
                const struct wf_row **out, struct zw_err *err)
{
	struct zw_err best = {0};
	int best_score = -1;
	bool any = false;
	for (size_t i = 0; i < w->nrows; i++) {
		const struct wf_row *r = &w->rows[i];
		if (action ? strcmp(r->action, action) != 0 : !r->to || strcmp(r->to, to) != 0)
			continue;
		any = true;
		struct zw_err e = {0};
		if (row_open(w, cs, r, &e) == 0) {
			*out = r;
			return 0;
		}
		int score = (from_holds(r, w->state(cs)) ? 10 : 0) + weight(e.code);
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	if (!any && action)
		return zw_errf(err, ZW_EINVALID, "action", "%s没有“%s”操作", w->label, action);
	const char *state = w->state(cs);
	if ((!any || best_score < 10) && !action && state && *state)
		return zw_err_clause(err, ZW_ECONFLICT, "status", w->clause(cs),
		                     "%s当前为“%s”，不能变更为“%s”", w->label, label_of(w, state),
		                     to);
	*err = best;
	return -err->code;
}

static int run(const struct workflow *w, void *cs, const struct wf_row *r, struct zw_err *err)
{
	const char *reason = w->reason ? w->reason(cs) : NULL;
	if ((r->flags & WF_REASON) && (!reason || !*reason))
		return zw_errf(err, ZW_EINVALID, "reason", "%s须说明理由", r->label);
	int rc = r->effect ? r->effect(cs, err) : 0;
	if (!rc && r->to)
		rc = w->set_state(cs, r->to, err);
	return rc;
}

int workflow_step(const struct workflow *w, void *cs, const char *action,
                  const struct wf_row **taken, struct zw_err *err)
{
	const struct wf_row *r = NULL;
	int rc = pick(w, cs, action ? action : "", NULL, &r, err);
	if (!rc && taken)
		*taken = r;
	return rc ? rc : run(w, cs, r, err);
}

int workflow_step_to(const struct workflow *w, void *cs, const char *to,
                     const struct wf_row **taken, struct zw_err *err)
{
	const struct wf_row *r = NULL;
	int rc = pick(w, cs, NULL, to ? to : "", &r, err);
	if (!rc && taken)
		*taken = r;
	return rc ? rc : run(w, cs, r, err);
}

void workflow_label_events(const struct workflow *w, json_t *events, const char *created)
{
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e)
	{
		const char *a = json_string_value(json_object_get(e, "action"));
		const char *label = created;
		for (size_t k = 0; a && k < w->nrows; k++)
			if (strcmp(w->rows[k].action, a) == 0) {
				label = w->rows[k].label;
				break;
			}
		json_object_set_new(e, "action_label", json_string(label));
	}
}

json_t *workflow_actions(const struct workflow *w, void *cs)
{
	json_t *a = json_array();
	for (size_t i = 0; i < w->nrows; i++) {
		const struct wf_row *r = &w->rows[i];
		if ((r->flags & WF_SYSTEM) || !*r->from)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(w->rows[j].action, r->action) == 0 &&
			       row_open(w, cs, &w->rows[j], &(struct zw_err){0}) == 0;
		if (seen || row_open(w, cs, r, &(struct zw_err){0}))
			continue;
		json_t *o = json_pack("{s:s, s:s, s:b, s:b}", "action", r->action, "label",
		                      r->label, "reason", (r->flags & WF_REASON) != 0, "confirm",
		                      (r->flags & WF_CONFIRM) != 0);
		if (r->to) { /* a step that leaves the state as it is names none */
			const char *tl = w->state_label ? w->state_label(r->to) : NULL;
			json_object_set_new(o, "to", json_string(r->to));
			json_object_set_new(o, "to_label", json_string(tl ? tl : r->to));
		}
		json_array_append_new(a, o);
	}
	return a;
}

/* ---- the docs ---- */

static void who(const struct wf_row *r, struct buf *out)
{
	if (r->flags & WF_SYSTEM) {
		buf_puts(out, "系统（由其他流程办理）");
		return;
	}
	if (r->perm == ACT_COUNT) {
		buf_puts(out, "见条件");
		return;
	}
	bool first = true;
	for (int i = 0; i < ROLE_COUNT; i++) {
		struct principal p = {.role = (enum role)i};
		if (authz_scope(&p, r->perm) == SCOPE_NONE)
			continue;
		buf_printf(out, "%s%s%s", first ? "" : "、", role_label((enum role)i),
		           authz_scope(&p, r->perm) == SCOPE_OWN_UNIT ? "（本单位）" : "");
		first = false;
	}
}

static void diagram(const struct workflow *w, struct buf *out)
{
	buf_puts(out, "```mermaid\nstateDiagram-v2\n");
	for (size_t i = 0; w->states[i]; i++) { /* a coded state is drawn by its name */
		const char *l = label_of(w, w->states[i]);
		if (strcmp(l, w->states[i]) != 0)
			buf_printf(out, "    state \"%s\" as %s\n", l, w->states[i]);
	}
	for (size_t i = 0; i < w->nrows; i++) {
		const struct wf_row *r = &w->rows[i];
		char st[40];
		if (!*r->from) {
			buf_printf(out, "    [*] --> %s: %s\n", r->to, r->label);
			continue;
		}
		for (int k = 0; list_word(r->from, k, st, sizeof(st)); k++)
			buf_printf(out, "    %s --> %s: %s\n", st, r->to ? r->to : st, r->label);
	}
	buf_puts(out, "```\n\n");
}

void workflow_markdown(const struct workflow *w, struct buf *out)
{
	buf_printf(out, "### %s (`%s`)\n\n", w->label, w->name);
	buf_puts(out, "States: ");
	for (size_t i = 0; w->states[i]; i++) {
		const char *l = label_of(w, w->states[i]);
		buf_printf(out, "%s`%s`", i ? ", " : "", w->states[i]);
		if (strcmp(l, w->states[i]) != 0)
			buf_printf(out, " %s", l);
	}
	buf_puts(out, "\n\n");
	buf_printf(out, "Every step and every refusal cites %s.\n\n", w->clause_doc);
	diagram(w, out);
	buf_puts(out, "| action | 操作 | from | to | who | condition | clause |\n"
	              "|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < w->nrows; i++) {
		const struct wf_row *r = &w->rows[i];
		buf_printf(out, "| `%s` | %s%s | %s | %s | ", r->action, r->label,
		           r->flags & WF_REASON    ? "（须说明理由）"
		           : r->flags & WF_CONFIRM ? "（须确认，不可撤销）"
		                                   : "",
		           *r->from ? r->from : "（登记）", r->to ? r->to : "（不变）");
		who(r, out);
		buf_printf(out, " | %s | %s |\n", r->guard_doc ? r->guard_doc : "",
		           r->clause ? r->clause : "see above");
	}
	buf_puts(out, "\n");
}

const struct workflow *const workflows[] = {
    &unit_workflow,   &application_workflow, &violation_workflow,
    &ticket_workflow, &maintenance_workflow, &change_workflow,
    &duty_workflow,   &plan_workflow,        NULL};
