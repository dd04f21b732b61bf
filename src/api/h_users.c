/* Users over HTTP: their writes (their reads are the registry's: api/registry_api.h). */

#include <string.h>

#include "api/registry_api.h"
#include "core/text.h"
#include "domain/org/account.h"

static int admin(struct req *r, enum action a)
{
	struct zw_err err = {0};
	return fail(r, authz_check(&r->who, a, 0, &err), &err);
}

void h_users_create(struct req *r)
{
	if (admin(r, ACT_USER_ADMIN))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	json_t *pw = json_incref(json_object_get(body, "password"));
	json_object_del(body, "password");
	struct user u = {0};
	uint64_t present;
	int64_t id = 0;
	int rc = rec_from_json(&user_schema, body, true, &u, &present, &err);
	if (!rc && !json_is_string(pw))
		rc = zw_errf(&err, ZW_EINVALID, "password", "缺少密码");
	if (!rc)
		rc = account_user_create(r->srv->st, &r->srv->acct, &r->who, &u,
		                         json_string_value(pw), &id, &err);
	user_free(&u);
	json_decref(pw);
	json_decref(body);
	if (!fail(r, rc, &err))
		reg_reply(r, &user_kind, 201, id);
}

void h_user_patch(struct req *r)
{
	if (admin(r, ACT_USER_ADMIN))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct user patch = {0};
	uint64_t present;
	int rc = rec_from_json(&user_schema, body, false, &patch, &present, &err);
	json_decref(body);
	if (!rc)
		rc = account_user_update(r->srv->st, &r->who, r->params[0], &patch, present, rev,
		                         &err);
	user_free(&patch);
	if (!fail(r, rc, &err))
		reg_reply(r, &user_kind, 200, r->params[0]);
}

void h_user_password(struct req *r)
{
	if (admin(r, ACT_USER_ADMIN))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "password") != 0) {
			rc = zw_errf(&err, ZW_EINVALID, key, "未知字段“%.*s”", CUT(key, 40));
			break;
		}
	}
	const char *pw = json_string_value(json_object_get(body, "password"));
	json_t *report = NULL;
	if (!rc)
		rc = account_password_reset(r->srv->st, &r->srv->acct, &r->who, r->params[0], pw,
		                            &report, &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reply_json(r, 200, report);
}
