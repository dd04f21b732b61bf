#include "policy/authz.h"

#include <stdio.h>
#include <string.h>

#include "core/mutant.h"

static const char *const role_names[] = {
#define ROLE_NAME(e, name, zh) name,
    ROLE_MAP(ROLE_NAME)
#undef ROLE_NAME
};
static const char *const role_labels[] = {
#define ROLE_LABEL(e, name, zh) zh,
    ROLE_MAP(ROLE_LABEL)
#undef ROLE_LABEL
};
static const char *const action_names[] = {
#define ACTION_NAME(e) #e,
    ACTION_MAP(ACTION_NAME)
#undef ACTION_NAME
};

#define N SCOPE_NONE
#define O SCOPE_OWN_UNIT
#define A SCOPE_ALL
/* Rows: actions. Columns: manager authority operator carrier unit_admin supervisor auditor
 * probe. A probe token (zwnet probe, zwnet enforce) may only send observations, read what is
 * to be isolated and report what it applied; a metrics token only read the metrics. */
static const unsigned char table[ACT_COUNT][ROLE_COUNT] = {
    [ACT_PROFILE_READ] = {A, A, A, A, A, A, A, N},
    [ACT_UNIT_READ] = {A, A, A, A, O, A, N},
    [ACT_UNIT_CREATE] = {A, N, N, N, N, N, N},
    [ACT_UNIT_UPDATE] = {A, N, N, N, N, N, N},
    [ACT_UNIT_STATUS] = {A, N, N, N, N, N, N},
    [ACT_CONTACT_READ] = {A, A, A, A, O, A, N},
    [ACT_CONTACT_WRITE] = {A, N, N, N, O, N, N},
    [ACT_AGREEMENT_READ] = {A, A, A, N, O, A, N},
    [ACT_AGREEMENT_WRITE] = {A, N, N, N, O, N, N},
    [ACT_USER_READ] = {A, N, N, N, N, N, N},
    [ACT_USER_ADMIN] = {A, N, N, N, N, N, N},
    [ACT_TOKEN_SELF] = {A, A, A, A, A, A, A, N},
    [ACT_TOKEN_ADMIN] = {A, N, N, N, N, N, N},
    [ACT_AUDIT_READ] = {A, N, N, N, N, A, A},
    [ACT_IPAM_READ] = {A, A, A, A, O, A, N},
    [ACT_IPAM_WRITE] = {A, N, N, N, N, N, N},
    [ACT_TERMINAL_READ] = {A, A, A, N, O, A, N},
    [ACT_TERMINAL_WRITE] = {A, N, N, N, O, N, N},
    [ACT_ADDRESS_READ] = {A, A, A, N, O, A, N},
    [ACT_ADDRESS_WRITE] = {A, N, N, N, O, N, N},
    [ACT_ASSET_READ] = {A, A, A, A, O, A, N},
    [ACT_ASSET_WRITE] = {A, N, A, N, N, N, N},
    [ACT_CALENDAR_WRITE] = {A, N, N, N, N, N, N},
    [ACT_DEADLINE_READ] = {A, A, A, A, O, A, N},
    [ACT_DEADLINE_WRITE] = {A, N, N, N, N, N, N},
    [ACT_APPLICATION_READ] = {A, A, A, A, O, A, N},
    [ACT_APPLICATION_SUBMIT] = {A, N, N, N, O, N, N},
    [ACT_APPLICATION_REVIEW] = {A, A, N, N, N, N, N},
    [ACT_APPLICATION_IMPLEMENT] = {A, N, A, A, N, N, N},
    [ACT_OBSERVATION_WRITE] = {N, N, N, N, N, N, N, A},
    [ACT_FINDING_READ] = {A, A, A, N, O, A, N, N},
    [ACT_FINDING_WRITE] = {A, N, A, N, N, N, N, N},
    [ACT_VIOLATION_READ] = {A, A, A, N, O, A, N, N},
    [ACT_VIOLATION_WRITE] = {A, N, A, N, N, N, N, N},
    [ACT_VIOLATION_ESCALATE] = {A, N, N, N, N, N, N, N},
    [ACT_ENFORCEMENT_READ] = {A, N, A, N, N, A, N, A},
    [ACT_ENFORCEMENT_REPORT] = {N, N, N, N, N, N, N, A},
    [ACT_DEVICE_SECRETS] = {N, N, N, N, N, N, N, A},
    /* fault tickets (TB-11, TB-12): a unit reports its own, the center (its duty officers,
     * the operator role) takes reports by phone and dispatches, a carrier's staff repair what
     * is in their carrier's hands (the ticket kind's carrier field narrows them to it) */
    [ACT_TICKET_READ] = {A, A, A, A, O, A, N, N},
    [ACT_TICKET_REPORT] = {A, N, A, N, O, N, N, N},
    [ACT_TICKET_DISPATCH] = {A, N, A, N, N, N, N, N},
    [ACT_TICKET_REPAIR] = {A, N, A, A, N, N, N, N},
    /* planned interruptions (TB-12): a carrier files its own, the manager agrees; a unit
     * hears of those on its lines in its inbox */
    [ACT_MAINTENANCE_READ] = {A, A, A, A, N, A, N, N},
    [ACT_MAINTENANCE_FILE] = {A, N, A, A, N, N, N, N},
    [ACT_MAINTENANCE_APPROVE] = {A, N, N, N, N, N, N, N},
    /* change records (SS-24): a unit records its own, the center approves */
    [ACT_CHANGE_READ] = {A, A, A, N, O, A, N, N},
    [ACT_CHANGE_WRITE] = {A, N, A, N, O, N, N, N},
    [ACT_CHANGE_APPROVE] = {A, N, N, N, N, N, N, N},
    /* emergency plans (JX-18, LN-13(二)): the center keeps its own and files them, a unit
     * keeps its own; supervisors (the authority plans are filed with) and the authority read */
    [ACT_PLAN_READ] = {A, A, A, N, O, A, N, N},
    [ACT_PLAN_WRITE] = {A, N, A, N, O, N, N, N},
    /* the duty system (JX-19): the manager plans the roster, the duty officers keep the log;
     * supervisors and the authority read it */
    [ACT_DUTY_READ] = {A, A, A, N, N, A, N, N},
    [ACT_DUTY_PLAN] = {A, N, N, N, N, N, N, N},
    [ACT_DUTY_WRITE] = {A, N, A, N, N, N, N, N},
    /* the server's own numbers (GET /metrics): a manager, or a metrics token's scraper */
    [ACT_METRICS_READ] = {A, N, N, N, N, N, N, A},
};
#undef N
#undef O
#undef A

const char *role_name(enum role r)
{
	if (r == ROLE_SYSTEM)
		return "system";
	if (r == ROLE_ANONYMOUS)
		return "anonymous";
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

const char *role_label(enum role r)
{
	if (r == ROLE_SYSTEM)
		return "系统"; /* the CLI on the server and the scheduler */
	if (r == ROLE_ANONYMOUS)
		return "未登录";
	return (unsigned)r < ROLE_COUNT ? role_labels[r] : "?";
}

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

const char *action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? action_names[a] : "?";
}

enum scope authz_scope(const struct principal *p, enum action a)
{
	if ((unsigned)a >= ACT_COUNT)
		return SCOPE_NONE;
	if (p->role == ROLE_SYSTEM)
		return SCOPE_ALL;
	if ((unsigned)p->role >= ROLE_COUNT)
		return SCOPE_NONE;
	enum scope s = (enum scope)table[a][p->role];
	if (s == SCOPE_OWN_UNIT && p->unit_id <= 0)
		return SCOPE_NONE;
	return s;
}

int authz_check(const struct principal *p, enum action a, int64_t unit_id, struct zw_err *err)
{
	switch (authz_scope(p, a)) {
	case SCOPE_ALL:
		return 0;
	case SCOPE_OWN_UNIT:
		if (unit_id == p->unit_id || ZW_MUTANT("jx21_unit_scope"))
			return 0;
		return zw_errf(err, ZW_ENOTFOUND, NULL, NULL);
	default:
		return zw_errf(err, ZW_EFORBIDDEN, NULL, "%s无权执行此操作", role_label(p->role));
	}
}

static const char *const tscope_names[] = {
#define TSCOPE_NAME(e, name, zh, what) name,
    TOKEN_SCOPE_MAP(TSCOPE_NAME)
#undef TSCOPE_NAME
};

int token_scope_parse(const char *s, unsigned *mask)
{
	*mask = 0;
	if (strcmp(s, "all") == 0)
		return 0;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, " ");
		int bit = -1;
		for (int i = 0; i < TSCOPE_COUNT; i++)
			if (strlen(tscope_names[i]) == n && strncmp(p, tscope_names[i], n) == 0)
				bit = i;
		if (bit < 0 || (*mask & (1u << bit)))
			return -1;
		*mask |= 1u << bit;
		p += n;
		if (*p == ' ' && p[1] != ' ' && p[1])
			p++;
		else if (*p)
			return -1;
	}
	return *mask ? 0 : -1;
}

static const char *const tscope_labels[] = {
#define TSCOPE_LABEL(e, name, zh, what) zh,
    TOKEN_SCOPE_MAP(TSCOPE_LABEL)
#undef TSCOPE_LABEL
};
static const char *const tscope_whats[] = {
#define TSCOPE_WHAT(e, name, zh, what) what,
    TOKEN_SCOPE_MAP(TSCOPE_WHAT)
#undef TSCOPE_WHAT
};

const char *token_scope_name(int i)
{
	return i >= 0 && i < TSCOPE_COUNT ? tscope_names[i] : NULL;
}

const char *token_scope_label(int i)
{
	return i >= 0 && i < TSCOPE_COUNT ? tscope_labels[i] : NULL;
}

const char *token_scope_what(int i)
{
	return i >= 0 && i < TSCOPE_COUNT ? tscope_whats[i] : NULL;
}

void token_scope_format(unsigned mask, char out[TOKEN_SCOPE_TEXT])
{
	size_t o = 0;
	out[0] = 0;
	for (int i = 0; i < TSCOPE_COUNT; i++)
		if (mask & (1u << i))
			o += (size_t)snprintf(out + o, TOKEN_SCOPE_TEXT - o, "%s%s", o ? " " : "",
			                      tscope_names[i]);
	if (!o)
		snprintf(out, TOKEN_SCOPE_TEXT, "all");
}
