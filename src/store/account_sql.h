/* account_sql: users, sessions and API tokens. */
#ifndef ZW_STORE_ACCOUNT_SQL_H
#define ZW_STORE_ACCOUNT_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct user;

int store_user_insert(struct sconn *c, const struct user *u, const char *pwhash, int64_t now,
                      int64_t *id, struct zw_err *err);
int store_user_get(struct sconn *c, int64_t id, const char *username, struct user *u, char **pwhash,
                   struct zw_err *err);
int store_user_update(struct sconn *c, const struct user *u, int64_t now, struct zw_err *err);
int store_user_set_password(struct sconn *c, int64_t id, const char *pwhash, int64_t now,
                            struct zw_err *err);

int store_session_insert(struct sconn *c, const char *token_hash, int64_t user_id, const char *csrf,
                         const char *source, int64_t now, int64_t expires, struct zw_err *err);
/* Which API tokens end with a user's sessions: none, the personal ones (scope "all", which
 * act as the user), or every one (the user is disabled). */
enum token_revoke { REVOKE_NONE, REVOKE_PERSONAL, REVOKE_ALL };
struct sessions_ended {
	int sessions, tokens;
};
/* End one session (token_hash), or all of a user's sessions but keep_hash, and revoke the
 * user's tokens as revoke says; out (may be NULL) receives the counts. */
int store_sessions_end(struct sconn *c, int64_t user_id, const char *token_hash,
                       const char *keep_hash, enum token_revoke revoke, struct sessions_ended *out,
                       struct zw_err *err);
struct token_found {
	int64_t user_id;
	bool is_session;
	char scope[256];              /* the token's scope as stored ("all" for a session) */
	int64_t token_id, expires_at; /* an API token's (0: a session, or none) */
	int64_t session_exp;          /* a session's end */
};
int store_token_lookup(struct sconn *c, const char *token_hash, int64_t now,
                       struct token_found *out, char csrf[40], struct zw_err *err);
int store_token_insert(struct sconn *c, const char *token_hash, int64_t user_id, const char *name,
                       const char *scope, int64_t now, int64_t expires, int64_t *id,
                       struct zw_err *err);
int store_token_get(struct sconn *c, int64_t id, int64_t *user_id, bool *revoked,
                    struct zw_err *err);
int store_token_revoke(struct sconn *c, int64_t id, int64_t user_id, struct zw_err *err);
int store_token_list(struct sconn *c, int64_t user_id, json_t *items, struct zw_err *err);

#endif
