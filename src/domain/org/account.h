/*
 * account: users, sessions and API tokens.
 *
 * Passwords are stored as argon2id hashes (libsodium crypto_pwhash_str_alg). A session or API
 * token is 32 random bytes shown once to its owner ("zws_..." for sessions, "zwt_..." for
 * tokens); only its SHA-256 is stored. Disabling a user ends all their sessions and revokes
 * their tokens in the same transaction. Every change is audited; hashes never reach the log.
 */
#ifndef ZW_DOMAIN_ACCOUNT_H
#define ZW_DOMAIN_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/record.h"
#include "policy/authz.h"
#include "store/store.h"

struct user {
	int64_t id;
	char *username, *display_name, *role;
	int64_t unit_id;
	bool disabled;
	int64_t created_at, updated_at, rev;
	int64_t carrier_id; /* a carrier's staff: the carrier they work for */
};
extern const struct rec_schema user_schema;
/* Users are read through the registry (domain/registry.h): a manager reads every account,
 * anyone their own; they are written below (passwords, sessions). */
struct registry_kind;
extern const struct registry_kind user_kind;

struct account_cfg {
	unsigned long long opslimit;
	size_t memlimit;
	int64_t session_ttl; /* seconds */
};
/* "interactive" (default), "moderate", "sensitive", or "min" (tests only). */
int account_cost_parse(const char *s, struct account_cfg *cfg);

/* An API token as the audit log records it (never the secret): its fields by name and label,
 * published in GET /schemas so the log reads as the other records do. */
struct token_rec {
	int64_t id;
	char *name;
	int64_t user_id;
	char *scope;
	int64_t made_with_token, expires_at;
};
extern const struct rec_schema token_schema;

/* Password policy: 8-128 characters, letters and digits both present (a field of type
 * REC_PASSWORD, the one password_schema holds; field names the member at fault). */
extern const struct rec_schema password_schema;
int account_password_check(const char *pw, const char *field, struct zw_err *err);

int account_user_create(struct store *st, const struct account_cfg *cfg, const struct principal *by,
                        const struct user *u, const char *password, int64_t *id,
                        struct zw_err *err);
/* Apply the fields flagged in present (display_name, role, unit_id, disabled). If-Match: rev
 * 0 means "don't check". */
int account_user_update(struct store *st, const struct principal *by, int64_t id,
                        const struct user *patch, uint64_t present, int64_t if_rev,
                        struct zw_err *err);
int account_user_get(struct store *st, int64_t id, struct user *u, struct zw_err *err);
/* Reset a password (manager): ends all the user's sessions and revokes their personal API
 * tokens (scope "all"); machine tokens stay. report (may be NULL) receives
 * {sessions_ended, tokens_revoked, tokens_kept: [...]}, also written to the audit entry. */
int account_password_reset(struct store *st, const struct account_cfg *cfg,
                           const struct principal *by, int64_t id, const char *password,
                           json_t **report, struct zw_err *err);
/* A user changes their own password: the same, but the session making the change (keep_token)
 * stays. */
int account_password_change(struct store *st, const struct account_cfg *cfg,
                            const struct principal *by, const char *keep_token, const char *old_pw,
                            const char *new_pw, json_t **report, struct zw_err *err);
void user_free(struct user *u);

struct session_info {
	char token[64]; /* shown once */
	char csrf[40];
	int64_t expires_at;
	struct user user;
};
/* Check the password and open a session. A wrong user name and a wrong password fail alike. */
int account_login(struct store *st, const struct account_cfg *cfg, const char *username,
                  const char *password, const char *source, const char *request_id,
                  struct session_info *out, struct zw_err *err);
/* A failed or throttled login in the audit log: actor "anonymous", the account tried (its id
 * when it exists) and detail (counts, lock), never the password. */
int account_login_audit(struct store *st, const char *action, const char *username,
                        const char *source, const char *request_id, json_t *detail,
                        struct zw_err *err);
int account_logout(struct store *st, const struct principal *p, const char *token,
                   struct zw_err *err);
/* Resolve a bearer token (session or API token) to a principal. csrf receives the session's
 * CSRF token ("" for API tokens). */
int account_authenticate(struct store *st, const char *token, struct principal *p, char csrf[40],
                         struct zw_err *err);

/* scope (NULL = "all"): "all", the token acts as its user; otherwise machine scopes
 * (policy/authz.h: probe, enforcer, radius, metrics; only a manager makes those), and the token
 * reaches only their routes. Only a person makes tokens (a session or an all-scope token), and a
 * token made with a token expires no later than it. */
struct token_made {
	int64_t id;
	char token[64]; /* shown once */
	char scope[TOKEN_SCOPE_TEXT];
	int64_t expires_at;
};
int account_token_create(struct store *st, const struct principal *by, int64_t user_id,
                         const char *name, const char *scope, int64_t expires_at,
                         struct token_made *out, struct zw_err *err);
int account_token_revoke(struct store *st, const struct principal *by, int64_t id,
                         struct zw_err *err);
int account_token_list(struct store *st, int64_t user_id, json_t *items, struct zw_err *err);

#endif
