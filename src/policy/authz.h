/*
 * authz: who may do what, decided in one place from role x action x unit scope.
 *
 * The table in authz.c gives each (role, action) a scope: none, the principal's own unit, or
 * all units. Handlers call authz_check with the unit the object belongs to (0 when it belongs
 * to none) or authz_scope to restrict a list. A unit_admin asking for another unit's object is
 * told it does not exist (404), so the existence of other units' data does not leak.
 */
#ifndef ZW_POLICY_AUTHZ_H
#define ZW_POLICY_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

/* The roles a user account is given (user.role): name, Chinese name. */
#define USER_ROLE_MAP(X)                                                                           \
	X(MANAGER, "manager", "网络管理单位")                                                      \
	X(AUTHORITY, "authority", "主管单位")                                                      \
	X(OPERATOR, "operator", "运维团队")                                                        \
	X(CARRIER, "carrier", "网络运营商")                                                        \
	X(UNIT_ADMIN, "unit_admin", "使用单位管理员")                                              \
	X(SUPERVISOR, "supervisor", "监督检查部门")                                                \
	X(AUDITOR, "auditor", "审计员")
/* ... and a machine's token (a scope, never a user's role) */
#define ROLE_MAP(X) USER_ROLE_MAP(X) X(PROBE, "probe", "探针")

enum role {
#define ROLE_ENUM(e, name, zh) ROLE_##e,
	ROLE_MAP(ROLE_ENUM)
#undef ROLE_ENUM
	    ROLE_COUNT,
	ROLE_SYSTEM = ROLE_COUNT, /* the CLI on the server itself: may do everything */
	ROLE_ANONYMOUS            /* nobody signed in (a failed login's audit entry): nothing */
};

#define ACTION_MAP(X)                                                                              \
	X(PROFILE_READ)                                                                            \
	X(UNIT_READ)                                                                               \
	X(UNIT_CREATE)                                                                             \
	X(UNIT_UPDATE)                                                                             \
	X(UNIT_STATUS)                                                                             \
	X(CONTACT_READ)                                                                            \
	X(CONTACT_WRITE)                                                                           \
	X(AGREEMENT_READ)                                                                          \
	X(AGREEMENT_WRITE)                                                                         \
	X(USER_READ)                                                                               \
	X(USER_ADMIN)                                                                              \
	X(TOKEN_SELF)                                                                              \
	X(TOKEN_ADMIN)                                                                             \
	X(AUDIT_READ)                                                                              \
	X(IPAM_READ)                                                                               \
	X(IPAM_WRITE)                                                                              \
	X(TERMINAL_READ)                                                                           \
	X(TERMINAL_WRITE)                                                                          \
	X(ADDRESS_READ)                                                                            \
	X(ADDRESS_WRITE)                                                                           \
	X(ASSET_READ)                                                                              \
	X(ASSET_WRITE)                                                                             \
	X(CALENDAR_WRITE)                                                                          \
	X(DEADLINE_READ)                                                                           \
	X(DEADLINE_WRITE)                                                                          \
	X(APPLICATION_READ)                                                                        \
	X(APPLICATION_SUBMIT)                                                                      \
	X(APPLICATION_REVIEW)                                                                      \
	X(APPLICATION_IMPLEMENT)                                                                   \
	X(OBSERVATION_WRITE)                                                                       \
	X(FINDING_READ)                                                                            \
	X(FINDING_WRITE)                                                                           \
	X(VIOLATION_READ)                                                                          \
	X(VIOLATION_WRITE)                                                                         \
	X(VIOLATION_ESCALATE)                                                                      \
	X(ENFORCEMENT_READ)                                                                        \
	X(ENFORCEMENT_REPORT)                                                                      \
	X(DEVICE_SECRETS)                                                                          \
	X(TICKET_READ)                                                                             \
	X(TICKET_REPORT)                                                                           \
	X(TICKET_DISPATCH)                                                                         \
	X(TICKET_REPAIR)                                                                           \
	X(MAINTENANCE_READ)                                                                        \
	X(MAINTENANCE_FILE)                                                                        \
	X(MAINTENANCE_APPROVE)                                                                     \
	X(CHANGE_READ)                                                                             \
	X(CHANGE_WRITE)                                                                            \
	X(CHANGE_APPROVE)                                                                          \
	X(PLAN_READ)                                                                               \
	X(PLAN_WRITE)                                                                              \
	X(DUTY_READ)                                                                               \
	X(DUTY_PLAN)                                                                               \
	X(DUTY_WRITE)                                                                              \
	X(METRICS_READ)

enum action {
#define ACTION_ENUM(e) ACT_##e,
	ACTION_MAP(ACTION_ENUM)
#undef ACTION_ENUM
	    ACT_COUNT
};

enum scope { SCOPE_NONE, SCOPE_OWN_UNIT, SCOPE_ALL };

/* What a machine's API token may reach. A person's session and a token of scope "all" carry
 * none of these bits and act as their owner; a token with any of them acts as ROLE_PROBE and
 * reaches only the routes that name one of its bits (api/routes.c), nothing else. Written as
 * an OAuth-style space-separated list ("probe radius"). */
#define TOKEN_SCOPE_MAP(X)                                                                         \
	X(PROBE, "probe", "探针", "上报观测、读取轮询的设备")                                      \
	X(ENFORCER, "enforcer", "断网执行器", "读取隔离状态、上报执行结果")                        \
	X(RADIUS, "radius", "RADIUS", "FreeRADIUS 的 MAC 认证和 802.1X 授权")                      \
	X(METRICS, "metrics", "监控采集", "读取运行指标（Prometheus）")

enum token_scope_bit {
#define TSCOPE_BIT(e, name, zh, what) TSCOPE_BIT_##e,
	TOKEN_SCOPE_MAP(TSCOPE_BIT)
#undef TSCOPE_BIT
	    TSCOPE_COUNT
};
enum token_scope {
#define TSCOPE_ENUM(e, name, zh, what) TSCOPE_##e = 1u << TSCOPE_BIT_##e,
	TOKEN_SCOPE_MAP(TSCOPE_ENUM)
#undef TSCOPE_ENUM
};
#define TSCOPE_ALL_MACHINE ((1u << TSCOPE_COUNT) - 1)
#define TOKEN_SCOPE_TEXT   64

/* "all" -> 0; "probe", "radius probe", ... -> their bits. -1 for an unknown or repeated word. */
int token_scope_parse(const char *s, unsigned *mask);
/* The canonical text of a mask ("all" for 0), in the table's order. */
void token_scope_format(unsigned mask, char out[TOKEN_SCOPE_TEXT]);
/* The name of scope i (0 <= i < TSCOPE_COUNT), as token_scope_parse reads it. */
const char *token_scope_name(int i);
/* Scope i's Chinese name ("探针") and what it lets a machine do ("上报观测、读取轮询的设备"). */
const char *token_scope_label(int i);
const char *token_scope_what(int i);

/* Who is acting: a logged-in user, a token holder, or the CLI. Also the audit's actor. */
struct principal {
	int64_t user_id; /* 0 for the CLI */
	char
	    username[80]; /* a login, or "cli:LOGIN", or "probe:NAME" (a probe's batch, 64 bytes) */
	enum role role;
	int64_t unit_id;    /* unit_admin only */
	int64_t carrier_id; /* carrier only: a registry kind with a carrier field shows its own */
	char source[64];    /* client address or "cli" */
	char request_id[40];
	bool via_cookie;     /* writes then need the CSRF token */
	unsigned scopes;     /* enum token_scope bits of a machine's token; 0 for a person */
	int64_t token_id;    /* the API token used, 0 for a session or the CLI */
	int64_t token_exp;   /* that token's expiry, 0 when it has none */
	int64_t session_exp; /* the session's end (a person signed in), else 0 */
};

const char *role_name(enum role r);
const char *role_label(enum role r);
int role_parse(const char *s, enum role *out);
const char *action_name(enum action a);

enum scope authz_scope(const struct principal *p, enum action a);
/* 0 when allowed; -ZW_EFORBIDDEN (role may not) or -ZW_ENOTFOUND (other unit's object). */
int authz_check(const struct principal *p, enum action a, int64_t unit_id, struct zw_err *err);

#endif
