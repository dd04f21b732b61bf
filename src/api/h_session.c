#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/throttle.h"
#include "core/text.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/parse.h"

/* Check the members of a small request object: each spec is "name:s" (string) or "name:i"
 * (integer); null is allowed for either; anything else is refused naming the member. */
static int strict_members(json_t *body, const char *const *spec, struct zw_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		char type = 0;
		size_t n = strlen(key);
		for (const char *const *sp = spec; *sp; sp++)
			if (strncmp(*sp, key, n) == 0 && (*sp)[n] == ':')
				type = (*sp)[n + 1];
		if (!type)
			return zw_errf(err, ZW_EINVALID, key, "未知字段“%.*s”", CUT(key, 40));
		if (json_is_null(v))
			continue;
		if (type == 's' && !json_is_string(v))
			return zw_errf(err, ZW_EINVALID, key, "字段“%s”应为字符串", key);
		if (type == 'i' && !json_is_integer(v))
			return zw_errf(err, ZW_EINVALID, key, "字段“%s”应为整数", key);
	}
	return 0;
}

static const char *str_member(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void login(struct req *r, const char *user, const char *pw);

void h_login(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	static const char *const allowed[] = {"username:s", "password:s", NULL};
	const char *user = str_member(body, "username"), *pw = str_member(body, "password");
	if (strict_members(body, allowed, &err) < 0) {
		reply_error(r, &err);
	} else if (!user || !*user || strlen(user) > 64) {
		reply_code(r, ZW_EINVALID, "username", "请填写用户名（不超过 64 字节）");
	} else if (!utf8_valid(user, strlen(user), false)) {
		reply_code(r, ZW_EINVALID, "username", "用户名含有控制字符或无效编码");
	} else if (!pw || !*pw || strlen(pw) > 1024) {
		reply_code(r, ZW_EINVALID, "password", "请填写密码");
	} else {
		login(r, user, pw);
	}
	json_decref(body);
}

static void reply_throttled(struct req *r, unsigned wait, bool full)
{
	if (full)
		reply_code(r, ZW_ETHROTTLED, "username", "登录尝试过多，请 %u 秒后再试", wait);
	else
		reply_code(r, ZW_ETHROTTLED, "username",
		           "此账号从本地址登录失败次数过多，请 %u 秒后再试", wait);
	char secs[16];
	snprintf(secs, sizeof(secs), "%u", wait ? wait : 1);
	if (r->resp)
		MHD_add_response_header(r->resp, "Retry-After", secs);
}

/* Failed and throttled logins go to the audit log (who was tried, from where, how often; never
 * the password). A failure to write it is logged, not shown to the client. */
static void audit_login(struct req *r, const char *action, const char *user, json_t *detail)
{
	struct zw_err err = {0};
	if (account_login_audit(r->srv->st, action, user, r->source, r->id, detail, &err) < 0)
		log_warnx("%s %s: audit of %s not written: %s", r->id, r->source, action,
		          err.message);
	json_decref(detail);
}

static void login(struct req *r, const char *user, const char *pw)
{
	struct server *s = r->srv;
	struct zw_err err = {0};
	const char *src = r->source_key; /* IPv4 address or IPv6 /64 */
	int64_t now = clock_mono_ms();
	unsigned wait = 0, refused = 0;
	enum throttle_verdict v = throttle_check(s->thr, user, src, now, &wait);
	if (v != THR_OK) {
		if (throttle_refused(s->thr, user, src, now, &refused))
			audit_login(r, "session.login_throttled", user,
			            json_pack("{s:i, s:i, s:s}", "refused", refused, "retry_after",
			                      wait, "why",
			                      v == THR_FULL ? "table_full" : "locked"));
		reply_throttled(r, wait, v == THR_FULL);
		return;
	}
	struct session_info si;
	int rc = account_login(s->st, &s->acct, user, pw, r->source, r->id, &si, &err);
	if (rc == -ZW_EUNAUTHENTICATED) {
		struct throttle_fail_info fi;
		throttle_fail(s->thr, user, src, now, &fi);
		audit_login(r, "session.login_failed", user,
		            json_pack("{s:i, s:i, s:i}", "failures", fi.pair_failures,
		                      "source_failures", fi.source_failures, "locked_seconds",
		                      fi.locked_s));
		reply_error(r, &err);
		return;
	}
	if (rc < 0) {
		reply_error(r, &err);
		return;
	}
	throttle_success(s->thr, user, src);
	char exp[32];
	format_time(si.expires_at, exp);
	json_t *u = rec_to_json(&user_schema, &si.user);
	reply_json(r, 201,
	           json_pack("{s:s, s:s, s:s, s:o}", "token", si.token, "csrf_token", si.csrf,
	                     "expires_at", exp, "user", u));
	char cookie[256];
	snprintf(cookie, sizeof(cookie),
	         "zwnet_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", si.token,
	         (long long)s->acct.session_ttl,
	         s->cfg.tls_cert && *s->cfg.tls_cert ? "; Secure" : "");
	if (r->resp)
		MHD_add_response_header(r->resp, "Set-Cookie", cookie);
	sodium_memzero(&si.token, sizeof(si.token));
	user_free(&si.user);
}

void h_logout(struct req *r)
{
	struct zw_err err = {0};
	if (strncmp(r->token, "zws_", 4) != 0) {
		reply_code(r, ZW_EINVALID, "Authorization", "API 令牌不能退出登录；请吊销令牌");
		return;
	}
	if (fail(r, account_logout(r->srv->st, &r->who, r->token, &err), &err))
		return;
	reply_no_content(r);
	if (r->resp)
		MHD_add_response_header(
		    r->resp, "Set-Cookie",
		    "zwnet_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

void h_whoami(struct req *r)
{
	struct zw_err err = {0};
	struct user u = {0};
	if (fail(r, account_user_get(r->srv->st, r->who.user_id, &u, &err), &err))
		return;
	json_t *o = rec_to_json(&user_schema, &u);
	user_free(&u);
	json_object_set_new(o, "role_label", json_string(role_label(r->who.role)));
	/* when a signed-in person's session ends, so the console can warn before it does */
	char exp[32];
	format_time(r->who.session_exp, exp);
	json_object_set_new(o, "expires_at", r->who.session_exp ? json_string(exp) : json_null());
	char csrf[40] = "";
	struct principal p;
	struct zw_err e2 = {0};
	if (account_authenticate(r->srv->st, r->token, &p, csrf, &e2) == 0 && csrf[0])
		json_object_set_new(o, "csrf_token", json_string(csrf));
	json_t *perms = json_object();
	for (int a = 0; a < ACT_COUNT; a++) {
		enum scope sc = authz_scope(&r->who, (enum action)a);
		json_object_set_new(perms, action_name((enum action)a),
		                    json_string(sc == SCOPE_ALL        ? "all"
		                                : sc == SCOPE_OWN_UNIT ? "own_unit"
		                                                       : "none"));
	}
	json_object_set_new(o, "permissions", perms);
	reply_json(r, 200, o);
}

void h_password_change(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	static const char *const allowed[] = {"old_password:s", "new_password:s", NULL};
	json_t *report = NULL;
	if (strict_members(body, allowed, &err) == 0 &&
	    account_password_change(r->srv->st, &r->srv->acct, &r->who, r->token,
	                            str_member(body, "old_password"),
	                            str_member(body, "new_password"), &report, &err) == 0)
		reply_json(r, 200, report);
	else
		reply_error(r, &err);
	json_decref(body);
}

void h_tokens_list(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, authz_check(&r->who, ACT_TOKEN_SELF, 0, &err), &err))
		return;
	const char *all = req_query(r, "all");
	int64_t uid = r->who.user_id;
	if (all && strcmp(all, "1") == 0) {
		if (fail(r, authz_check(&r->who, ACT_TOKEN_ADMIN, 0, &err), &err))
			return;
		uid = 0;
	}
	json_t *items = json_array();
	if (fail(r, account_token_list(r->srv->st, uid, items, &err), &err)) {
		json_decref(items);
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void h_tokens_create(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	static const char *const allowed[] = {"name:s", "user_id:i", "expires_at:s", "scope:s",
	                                      NULL};
	int64_t uid = r->who.user_id, exp = 0;
	struct token_made t;
	memset(&t, 0, sizeof(t));
	int rc = strict_members(body, allowed, &err);
	json_t *u = json_object_get(body, "user_id");
	if (!rc && u && !json_is_null(u)) {
		if (json_integer_value(u) <= 0)
			rc = zw_errf(&err, ZW_EINVALID, "user_id", "user_id 应为正整数");
		else
			uid = json_integer_value(u);
	}
	const char *e = str_member(body, "expires_at");
	if (!rc && e && parse_time(e, &exp) < 0)
		rc = zw_errf(&err, ZW_EINVALID, "expires_at", "过期时间应为 RFC 3339 时间");
	if (!rc)
		rc = account_token_create(r->srv->st, &r->who, uid, str_member(body, "name"),
		                          str_member(body, "scope"), exp, &t, &err);
	if (rc < 0) {
		reply_error(r, &err);
	} else {
		char es[32];
		format_time(t.expires_at, es);
		reply_json(r, 201,
		           json_pack("{s:I, s:s, s:I, s:s, s:o, s:s}", "id", (json_int_t)t.id,
		                     "token", t.token, "user_id", (json_int_t)uid, "scope", t.scope,
		                     "expires_at", t.expires_at ? json_string(es) : json_null(),
		                     "note", "令牌只显示这一次，请妥善保存"));
	}
	sodium_memzero(&t, sizeof(t));
	json_decref(body);
}

void h_token_revoke(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, account_token_revoke(r->srv->st, &r->who, r->params[0], &err), &err))
		return;
	reply_no_content(r);
}
