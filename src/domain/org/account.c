#include "domain/org/account.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "domain/audit.h"
#include "store/rec.h"
#include "domain/registry.h"
#include "store/account_sql.h"

static const char *const role_values[] = {
#define ROLE_VALUE(e, name, zh) name,
    USER_ROLE_MAP(ROLE_VALUE)
#undef ROLE_VALUE
        NULL};
static const char *const role_labels[] = {
#define ROLE_LABEL(e, name, zh) zh,
    USER_ROLE_MAP(ROLE_LABEL)
#undef ROLE_LABEL
        NULL};

static const struct rec_field user_fields[] = {
    REC_F(struct user, id, REC_ID, REC_READONLY, "编号", 0),
    REC_F(struct user, username, REC_USERNAME, REC_REQUIRED | REC_FIXED | REC_SORT | REC_SEARCH,
          "用户名", 32),
    REC_F(struct user, display_name, REC_TEXT, REC_NAME, "姓名", 50),
    REC_FEL(struct user, role, REC_REQUIRED | REC_FILTER, "角色", role_values, role_labels),
    REC_F(struct user, unit_id, REC_ID, REC_NULLABLE | REC_FILTER, "所属单位", 0),
    REC_F(struct user, carrier_id, REC_ID, REC_NULLABLE | REC_FILTER, "所属运营商", 0),
    REC_F(struct user, disabled, REC_BOOL, 0, "停用", 0),
    REC_META(struct user),
};
const struct rec_schema user_schema = {
    "user", user_fields, sizeof(user_fields) / sizeof(user_fields[0]), sizeof(struct user)};
const struct registry_kind user_kind = {
    .table = "users",
    .object = "user",
    .label = "用户",
    .sc = &user_schema,
    .read = ACT_USER_READ,
    .write = ACT_USER_ADMIN,
    .self_readable = true,
};

void user_free(struct user *u)
{
	rec_free(&user_schema, u);
}

int account_cost_parse(const char *s, struct account_cfg *cfg)
{
	if (strcmp(s, "interactive") == 0) {
		cfg->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		cfg->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	} else if (strcmp(s, "moderate") == 0) {
		cfg->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
		cfg->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
	} else if (strcmp(s, "sensitive") == 0) {
		cfg->opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
		cfg->memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
	} else if (strcmp(s, "min") == 0) {
		cfg->opslimit = crypto_pwhash_OPSLIMIT_MIN;
		cfg->memlimit = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		return -1;
	}
	return 0;
}

#define F(n, t, lbl) REC_F(struct token_rec, n, t, REC_READONLY, lbl, 0)
static const struct rec_field token_fields[] = {
    F(id, REC_ID, "编号"),
    F(name, REC_TEXT, "令牌名称"),
    F(user_id, REC_ID, "所属用户"),
    F(scope, REC_TEXT, "权限范围"),
    F(made_with_token, REC_ID, "创建时使用的令牌"),
    F(expires_at, REC_TIME, "有效期至"),
};
#undef F
const struct rec_schema token_schema = {"token", token_fields,
                                        sizeof(token_fields) / sizeof(token_fields[0]),
                                        sizeof(struct token_rec)};

/* The password policy is the field type's (REC_PASSWORD, core/record.c), so the OpenAPI
 * document states the same rule. */
static const struct rec_field password_fields[] = {
    {"password", REC_PASSWORD, REC_REQUIRED, 0, "密码", 128, NULL, 0, 0, NULL, NULL},
};
const struct rec_schema password_schema = {"password", password_fields, 1, 0};

int account_password_check(const char *pw, const char *field, struct zw_err *err)
{
	if (!pw)
		return zw_errf(err, ZW_EINVALID, field, "缺少密码");
	char *canon = NULL;
	struct zw_err e = {0};
	int rc = rec_check_text(&password_fields[0], pw, &canon, &e);
	free(canon);
	return rc ? zw_errf(err, e.code, field, "%s", e.message) : 0;
}

static int hash_password(const struct account_cfg *cfg, const char *pw,
                         char out[crypto_pwhash_STRBYTES], struct zw_err *err)
{
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), cfg->opslimit, cfg->memlimit,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return zw_errf(err, ZW_EINTERNAL, NULL, "密码哈希失败（内存不足）");
	return 0;
}

static void token_hash(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	hex_encode(d, sizeof(d), out);
}

static void new_token(const char *prefix, char out[64])
{
	unsigned char r[32];
	char b64[48];
	randombytes_buf(r, sizeof(r));
	sodium_bin2base64(b64, sizeof(b64), r, sizeof(r), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, 64, "%s%s", prefix, b64);
	sodium_memzero(r, sizeof(r));
}

/* The CLI hands a username over as typed: the field table's rule (REC_USERNAME) checks it. */
static int username_check(const char *s, struct zw_err *err)
{
	char *canon = NULL;
	int rc = rec_check_text(rec_field(&user_schema, "username"), s ? s : "", &canon, err);
	free(canon);
	return rc;
}

/* The role's binding rule: a unit_admin needs a unit and a carrier's staff their carrier (what
 * they may see of tickets is that carrier's); the other roles have neither. */
static int role_unit_check(const struct user *u, struct zw_err *err)
{
	bool ua = u->role && strcmp(u->role, "unit_admin") == 0;
	bool ca = u->role && strcmp(u->role, "carrier") == 0;
	if (ua && u->unit_id <= 0)
		return zw_errf(err, ZW_EINVALID, "unit_id", "使用单位管理员必须绑定一个单位");
	if (!ua && u->unit_id > 0)
		return zw_errf(err, ZW_EINVALID, "unit_id", "只有使用单位管理员可以绑定单位");
	if (ca && u->carrier_id <= 0)
		return zw_errf(err, ZW_EINVALID, "carrier_id",
		               "网络运营商的用户必须绑定所属运营商（请先在运营商登记中登记）");
	if (!ca && u->carrier_id > 0)
		return zw_errf(err, ZW_EINVALID, "carrier_id",
		               "只有网络运营商的用户可以绑定运营商");
	return 0;
}

static int unit_ref_check(struct sconn *c, const struct user *u, struct zw_err *err)
{
	int rc = registry_ref(c, "units", "unit_id", "所属单位", u->unit_id, err);
	return rc ? rc
	          : registry_ref(c, "carriers", "carrier_id", "所属运营商", u->carrier_id, err);
}

static json_t *user_json_public(const struct user *u)
{
	return rec_to_json(&user_schema, u);
}

int account_user_create(struct store *st, const struct account_cfg *cfg, const struct principal *by,
                        const struct user *u, const char *password, int64_t *id, struct zw_err *err)
{
	int rc = username_check(u->username, err);
	if (!rc)
		rc = role_unit_check(u, err);
	if (!rc)
		rc = account_password_check(password, "password", err);
	if (rc)
		return rc;
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = hash_password(cfg, password, hash, err)))
		return rc;
	struct store_tx *tx;
	if ((rc = store_begin(st, &tx, err)))
		return rc;
	int64_t now = clock_now();
	rc = unit_ref_check(store_tx_conn(tx), u, err);
	if (!rc)
		rc = store_user_insert(store_tx_conn(tx), u, hash, now, id, err);
	if (rc == -ZW_ECONFLICT) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_ECONFLICT, "username", "用户名“%s”已存在", u->username);
	}
	if (!rc) {
		struct user saved = {0};
		rc = store_user_get(store_tx_conn(tx), *id, NULL, &saved, NULL, err);
		json_t *after = rc ? NULL : user_json_public(&saved);
		if (!rc)
			rc = audit_append(tx, by, "user.create", "user", *id, saved.unit_id, NULL,
			                  after, NULL, err);
		json_decref(after);
		user_free(&saved);
	}
	sodium_memzero(hash, sizeof(hash));
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int account_user_get(struct store *st, int64_t id, struct user *u, struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	return c ? store_user_get(c, id, NULL, u, NULL, err) : -ZW_EINTERNAL;
}

int account_user_update(struct store *st, const struct principal *by, int64_t id,
                        const struct user *patch, uint64_t present, int64_t if_rev,
                        struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	struct sconn *c = store_tx_conn(tx);
	struct user cur = {0};
	json_t *before = NULL, *after = NULL;
	rc = store_user_get(c, id, NULL, &cur, NULL, err);
	if (!rc && if_rev && cur.rev != if_rev)
		rc = zw_errf(err, ZW_ESTALE, NULL, NULL);
	if (!rc) {
		before = user_json_public(&cur);
		rec_merge(&user_schema, &cur, patch, present);
	}
	if (!rc)
		rc = role_unit_check(&cur, err);
	if (!rc)
		rc = unit_ref_check(c, &cur, err);
	if (!rc && by->user_id == id && (cur.disabled || strcmp(cur.role, "manager") != 0) &&
	    by->role == ROLE_MANAGER)
		rc = zw_errf(err, ZW_EINVALID, "role", "不能停用自己或取消自己的管理员角色");
	if (!rc)
		rc = store_user_update(c, &cur, clock_now(), err);
	if (!rc && cur.disabled)
		rc = store_sessions_end(c, id, NULL, NULL, REVOKE_ALL, NULL, err);
	if (!rc) {
		struct user saved = {0};
		rc = store_user_get(c, id, NULL, &saved, NULL, err);
		if (!rc)
			after = user_json_public(&saved);
		if (!rc)
			rc = audit_append(tx, by, cur.disabled ? "user.disable" : "user.update",
			                  "user", id, saved.unit_id, before, after, NULL, err);
		user_free(&saved);
	}
	json_decref(before);
	json_decref(after);
	user_free(&cur);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

static void token_hash(const char *token, char out[65]);

/* A new password ends every other session of the user and revokes the API tokens that act as
 * the user (scope "all"): whoever held the old password may have made them. A machine's token
 * (probe, enforcer, radius, metrics) stays, so the county's probes, gateways and monitoring keep
 * working; the answer
 * lists those so the user sees each one that remains. */
static int set_password(struct store *st, const struct account_cfg *cfg, const struct principal *by,
                        int64_t id, const char *keep_token, const char *old_pw, const char *new_pw,
                        json_t **report, struct zw_err *err)
{
	char keep[65] = "";
	if (keep_token)
		token_hash(keep_token, keep);
	int rc = account_password_check(new_pw, old_pw ? "new_password" : "password", err);
	if (rc)
		return rc;
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = hash_password(cfg, new_pw, hash, err)))
		return rc;
	struct store_tx *tx;
	if ((rc = store_begin(st, &tx, err)))
		return rc;
	struct sconn *c = store_tx_conn(tx);
	struct user u = {0};
	char *cur = NULL;
	struct sessions_ended ended = {0};
	json_t *kept = json_array(), *after = NULL;
	rc = store_user_get(c, id, NULL, &u, &cur, err);
	if (!rc && old_pw && crypto_pwhash_str_verify(cur, old_pw, strlen(old_pw)) != 0)
		rc = zw_errf(err, ZW_EINVALID, "old_password", "原密码不正确");
	if (!rc)
		rc = store_user_set_password(c, id, hash, clock_now(), err);
	if (!rc)
		rc = store_sessions_end(c, id, NULL, keep, REVOKE_PERSONAL, &ended, err);
	if (!rc)
		rc = store_token_list(c, id, kept, err);
	if (!rc) {
		/* what stays: the machine tokens still valid */
		size_t i;
		json_t *t;
		json_t *live = json_array();
		json_array_foreach(kept, i, t) if (!json_is_true(json_object_get(t, "revoked")))
		    json_array_append(live, t);
		json_decref(kept);
		kept = live;
		after = json_pack("{s:i, s:i, s:O}", "sessions_ended", ended.sessions,
		                  "tokens_revoked", ended.tokens, "tokens_kept", kept);
		rc = audit_append(tx, by, old_pw ? "user.password_change" : "user.password_reset",
		                  "user", id, u.unit_id, NULL, after, NULL, err);
	}
	sodium_memzero(hash, sizeof(hash));
	if (cur) {
		sodium_memzero(cur, strlen(cur));
		free(cur);
	}
	user_free(&u);
	json_decref(kept);
	if (rc) {
		json_decref(after);
		store_rollback(tx);
		return rc;
	}
	rc = store_commit(tx, err);
	if (!rc && report)
		*report = after;
	else
		json_decref(after);
	return rc;
}

int account_password_reset(struct store *st, const struct account_cfg *cfg,
                           const struct principal *by, int64_t id, const char *password,
                           json_t **report, struct zw_err *err)
{
	return set_password(st, cfg, by, id, NULL, NULL, password, report, err);
}

int account_password_change(struct store *st, const struct account_cfg *cfg,
                            const struct principal *by, const char *keep_token, const char *old_pw,
                            const char *new_pw, json_t **report, struct zw_err *err)
{
	if (!old_pw)
		return zw_errf(err, ZW_EINVALID, "old_password", "缺少原密码");
	return set_password(st, cfg, by, by->user_id, keep_token, old_pw, new_pw, report, err);
}

/* A hash to verify against when the user does not exist, so both failures cost the same. */
static const char *dummy_hash(const struct account_cfg *cfg)
{
	static char h[crypto_pwhash_STRBYTES];
	static unsigned long long ops;
	static size_t mem;
	if (ops != cfg->opslimit || mem != cfg->memlimit) {
		if (crypto_pwhash_str_alg(h, "zwnet-dummy-password", 20, cfg->opslimit,
		                          cfg->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
			return NULL;
		ops = cfg->opslimit;
		mem = cfg->memlimit;
	}
	return h;
}

int account_login(struct store *st, const struct account_cfg *cfg, const char *username,
                  const char *password, const char *source, const char *request_id,
                  struct session_info *out, struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	struct sconn *rc_conn = store_read(st, err);
	if (!rc_conn)
		return -ZW_EINTERNAL;
	char *hash = NULL;
	struct user u = {0};
	int found = store_user_get(rc_conn, 0, username, &u, &hash, NULL) == 0;
	const char *check = found ? hash : dummy_hash(cfg);
	bool ok = check && crypto_pwhash_str_verify(check, password, strlen(password)) == 0;
	if (hash) {
		sodium_memzero(hash, strlen(hash));
		free(hash);
	}
	if (!found || !ok || u.disabled) {
		user_free(&u);
		return zw_errf(err, ZW_EUNAUTHENTICATED, "password", "用户名或密码不正确");
	}
	new_token("zws_", out->token);
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	hex_encode(r, sizeof(r), out->csrf);
	char th[65];
	token_hash(out->token, th);
	int64_t now = clock_now();
	out->expires_at = now + cfg->session_ttl;
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc) {
		user_free(&u);
		return rc;
	}
	rc = store_session_insert(store_tx_conn(tx), th, u.id, out->csrf, source, now,
	                          out->expires_at, err);
	struct principal p = {.user_id = u.id, .unit_id = u.unit_id, .carrier_id = u.carrier_id};
	snprintf(p.username, sizeof(p.username), "%s", u.username);
	role_parse(u.role, &p.role);
	snprintf(p.source, sizeof(p.source), "%s", source);
	snprintf(p.request_id, sizeof(p.request_id), "%s", request_id);
	if (!rc)
		rc = audit_append(tx, &p, "session.login", "user", u.id, u.unit_id, NULL, NULL,
		                  NULL, err);
	if (rc) {
		store_rollback(tx);
		user_free(&u);
		return rc;
	}
	rc = store_commit(tx, err);
	if (rc) { /* a full disk fails the commit: the caller has no session to free */
		user_free(&u);
		return rc;
	}
	out->user = u;
	return 0;
}

int account_login_audit(struct store *st, const char *action, const char *username,
                        const char *source, const char *request_id, json_t *detail,
                        struct zw_err *err)
{
	struct principal p = {.role = ROLE_ANONYMOUS};
	snprintf(p.username, sizeof(p.username), "anonymous");
	snprintf(p.source, sizeof(p.source), "%s", source);
	snprintf(p.request_id, sizeof(p.request_id), "%s", request_id);
	json_t *after = detail ? json_deep_copy(detail) : json_object();
	json_object_set_new(after, "username", json_string(username));
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc) {
		json_decref(after);
		return rc;
	}
	struct user u = {0};
	int64_t uid =
	    store_user_get(store_tx_conn(tx), 0, username, &u, NULL, NULL) == 0 ? u.id : 0;
	rc = audit_append(tx, &p, action, "user", uid, u.unit_id, NULL, after, NULL, err);
	user_free(&u);
	json_decref(after);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int account_logout(struct store *st, const struct principal *p, const char *token,
                   struct zw_err *err)
{
	char th[65];
	token_hash(token, th);
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	rc = store_sessions_end(store_tx_conn(tx), 0, th, NULL, REVOKE_NONE, NULL, err);
	if (!rc)
		rc = audit_append(tx, p, "session.logout", "user", p->user_id, p->unit_id, NULL,
		                  NULL, NULL, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int account_authenticate(struct store *st, const char *token, struct principal *p, char csrf[40],
                         struct zw_err *err)
{
	size_t n = strlen(token);
	if (n < 10 || n > 63 || (strncmp(token, "zws_", 4) != 0 && strncmp(token, "zwt_", 4) != 0))
		return zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
	char th[65];
	token_hash(token, th);
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	struct token_found tf;
	int rc = store_token_lookup(c, th, clock_now(), &tf, csrf, err);
	if (rc)
		return rc;
	unsigned scopes;
	if (token_scope_parse(tf.scope, &scopes)) /* the table's CHECK admits only what it reads */
		return zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
	struct user u = {0};
	rc = store_user_get(c, tf.user_id, NULL, &u, NULL, err);
	if (rc || u.disabled) {
		user_free(&u);
		zw_err_clear(err);
		return zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
	}
	p->user_id = u.id;
	p->unit_id = u.unit_id;
	p->carrier_id = u.carrier_id;
	p->scopes = scopes;
	p->token_id = tf.token_id;
	p->token_exp = tf.expires_at;
	p->session_exp = tf.session_exp;
	snprintf(p->username, sizeof(p->username), "%s", u.username);
	if (role_parse(u.role, &p->role) < 0)
		rc = zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
	if (scopes) {
		p->role = ROLE_PROBE; /* a machine: only what its scope names (api/routes.c) */
		p->unit_id = 0;
		p->carrier_id = 0;
	}
	user_free(&u);
	return rc;
}

int account_token_create(struct store *st, const struct principal *by, int64_t user_id,
                         const char *name, const char *scope, int64_t expires_at,
                         struct token_made *out, struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!name || !*name || utf8_chars(name) > 100 || !utf8_valid(name, strlen(name), false))
		return zw_errf(err, ZW_EINVALID, "name", "令牌名称应为 1 到 100 个字");
	unsigned mask = 0;
	if (scope && token_scope_parse(scope, &mask) < 0)
		return zw_errf(
		    err, ZW_EINVALID, "scope",
		    "scope 应为 all（代表本人调用接口），或 probe、enforcer、radius、metrics 中的"
		    "一个或几个（以空格分隔）");
	/* Only a person (a session or a token acting as the person) makes tokens. */
	if (by->scopes)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, "专用令牌不能创建令牌");
	int rc = authz_check(by, user_id == by->user_id ? ACT_TOKEN_SELF : ACT_TOKEN_ADMIN, 0, err);
	if (!rc && mask)
		rc = authz_check(by, ACT_TOKEN_ADMIN, 0, err);
	if (rc)
		return rc;
	int64_t now = clock_now();
	if (expires_at && expires_at <= now)
		return zw_errf(err, ZW_EINVALID, "expires_at", "过期时间应晚于当前时间");
	/* A token made with a token never outlives it. */
	if (by->token_exp) {
		if (expires_at > by->token_exp) {
			char t[32];
			format_time(by->token_exp, t);
			return zw_errf(err, ZW_EINVALID, "expires_at",
			               "用令牌创建的令牌不能晚于该令牌的过期时间（%s）", t);
		}
		if (!expires_at)
			expires_at = by->token_exp;
	}
	token_scope_format(mask, out->scope);
	out->expires_at = expires_at;
	struct store_tx *tx;
	rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	struct sconn *c = store_tx_conn(tx);
	struct user u = {0};
	rc = store_user_get(c, user_id, NULL, &u, NULL, err);
	if (!rc && u.disabled)
		rc = zw_errf(err, ZW_EINVALID, "user_id", "用户已停用");
	char th[65];
	new_token("zwt_", out->token);
	token_hash(out->token, th);
	if (!rc)
		rc = store_token_insert(c, th, user_id, name, out->scope, now, expires_at, &out->id,
		                        err);
	if (!rc) {
		struct token_rec t = {out->id,    (char *)name, user_id,
		                      out->scope, by->token_id, expires_at};
		json_t *after = rec_to_json(&token_schema, &t);
		rc = audit_append(tx, by, "token.create", "token", out->id, u.unit_id, NULL, after,
		                  NULL, err);
		json_decref(after);
	}
	user_free(&u);
	if (rc) {
		sodium_memzero(out->token, sizeof(out->token));
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int account_token_revoke(struct store *st, const struct principal *by, int64_t id,
                         struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	struct sconn *c = store_tx_conn(tx);
	int64_t owner;
	bool revoked;
	if (by->scopes) {
		store_rollback(tx);
		return zw_errf(err, ZW_EFORBIDDEN, NULL, "专用令牌不能吊销令牌");
	}
	rc = store_token_get(c, id, &owner, &revoked, err);
	/* Others' tokens are invisible unless the principal may administer tokens. */
	if (!rc && owner != by->user_id && authz_scope(by, ACT_TOKEN_ADMIN) != SCOPE_ALL)
		rc = zw_errf(err, ZW_ENOTFOUND, NULL, NULL);
	if (!rc && revoked)
		rc = zw_errf(err, ZW_ECONFLICT, NULL, "令牌已被吊销");
	if (!rc)
		rc = store_token_revoke(c, id, owner, err);
	if (!rc)
		rc = audit_append(tx, by, "token.revoke", "token", id, 0, NULL, NULL, NULL, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int account_token_list(struct store *st, int64_t user_id, json_t *items, struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	return c ? store_token_list(c, user_id, items, err) : -ZW_EINTERNAL;
}
