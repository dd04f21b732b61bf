#include "domain/violation/enforcement.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/clock.h"
#include "core/inet.h"
#include "core/parse.h"
#include "core/secret.h"
#include "store/violation_sql.h"

/* Each item of the list, canonical, into allow4/allow6 (either may be NULL: check only). */
static int allow_items(const char *list, json_t *a4, json_t *a6, struct zw_err *err)
{
	char item[INET_PREFIX_MAX + 8];
	for (int i = 0; list && list_word(list, i, item, sizeof(item)); i++) {
		struct inet_prefix p;
		char canon[INET_PREFIX_MAX];
		if (!strchr(item, '/')) {
			int fam;
			u128 a;
			if (inet_parse_addr(item, &fam, &a) < 0)
				return zw_errf(err, ZW_EINVALID, "isolation_allow",
				               "isolation_allow 中的“%s”不是地址或地址段", item);
			p = (struct inet_prefix){.family = fam, .net = a, .len = inet_bits(fam)};
		} else if (inet_parse_prefix(item, false, &p) < 0) {
			return zw_errf(err, ZW_EINVALID, "isolation_allow",
			               "isolation_allow 中的“%s”不是地址或地址段", item);
		}
		inet_format_prefix(&p, canon);
		json_t *to = p.family == 4 ? a4 : a6;
		if (to)
			json_array_append_new(to, json_string(canon));
	}
	return 0;
}

int enforcement_allow_check(const char *list, struct zw_err *err)
{
	return allow_items(list, NULL, NULL, err);
}

int enforcement_state(const struct ctx *x, const struct violation_policy *vp, bool detail,
                      json_t **out, struct zw_err *err)
{
	if (authz_check(x->by, ACT_ENFORCEMENT_READ, 0, err))
		return -err->code;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	json_t *sets = json_pack("{s:[], s:[], s:[], s:[], s:[], s:[], s:[]}", "ip4", "ip6", "mac",
	                         "net4", "net6", "allow4", "allow6");
	json_t *entries = detail ? json_array() : NULL, *enforcers = detail ? json_array() : NULL;
	int64_t gen = 0;
	int rc = store_enforce_generation(c, &gen, err);
	if (!rc)
		rc = store_isolations_active(c, sets, entries, err);
	if (!rc)
		rc = allow_items(vp ? vp->allow : NULL, json_object_get(sets, "allow4"),
		                 json_object_get(sets, "allow6"), err);
	if (!rc && detail)
		rc = store_enforcers(c, enforcers, err);
	if (rc) {
		json_decref(sets);
		json_decref(entries);
		json_decref(enforcers);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "generation", (json_int_t)gen, "sets", sets);
	if (detail) {
		json_object_set_new(*out, "entries", entries);
		json_object_set_new(*out, "enforcers", enforcers);
	}
	return 0;
}

static const char *const kinds[] = {"ip4", "ip6", "mac", "net4", "net6", "allow4", "allow6", NULL};

json_t *enforcement_kinds_json(void)
{
	static const char *const names[][2] = {{"ip4", "IPv4 地址"},
	                                       {"ip6", "IPv6 地址"},
	                                       {"mac", "MAC 地址"},
	                                       {"net4", "IPv4 地址段"},
	                                       {"net6", "IPv6 地址段"}};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "name", names[i][0], "label", names[i][1]));
	return a;
}

int enforcement_report(const struct ctx *x, const json_t *body, const char *source,
                       struct zw_err *err)
{
	if (authz_check(x->by, ACT_ENFORCEMENT_REPORT, 0, err))
		return -err->code;
	if (!json_is_object(body))
		return zw_errf(err, ZW_EINVALID, NULL, "请求体应为 JSON 对象");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		if (strcmp(key, "name") && strcmp(key, "generation") && strcmp(key, "ok") &&
		    strcmp(key, "applied") && strcmp(key, "error"))
			return zw_errf(err, ZW_EINVALID, key,
			               "未知字段（只接受 name、generation、ok、applied、error）");
	}
	const char *name = json_string_value(json_object_get(body, "name"));
	if (!name || !*name || strlen(name) > 64 || !utf8_valid(name, strlen(name), false))
		return zw_errf(err, ZW_EINVALID, "name", "name 应为 1 到 64 字节的执行器名称");
	const json_t *gen = json_object_get(body, "generation");
	if (!json_is_integer(gen) || json_integer_value(gen) < 0)
		return zw_errf(err, ZW_EINVALID, "generation", "generation 应为非负整数");
	const json_t *ok = json_object_get(body, "ok");
	if (!json_is_boolean(ok))
		return zw_errf(err, ZW_EINVALID, "ok", "ok 应为 true 或 false");
	const json_t *applied = json_object_get(body, "applied");
	if (!json_is_object(applied))
		return zw_errf(err, ZW_EINVALID, "applied", "applied 应为对象（各集合的元素数）");
	json_object_foreach((json_t *)applied, key, v)
	{
		bool known = false;
		for (size_t i = 0; kinds[i]; i++)
			known |= strcmp(kinds[i], key) == 0;
		if (!known || !json_is_integer(v) || json_integer_value(v) < 0) {
			char field[64];
			snprintf(field, sizeof(field), "applied.%.*s", CUT(key, 40));
			return zw_errf(err, ZW_EINVALID, field, "%s 应为已知集合的非负元素数",
			               field);
		}
	}
	const json_t *e = json_object_get(body, "error");
	const char *error = e ? json_string_value(e) : "";
	if (!error || strlen(error) > 1000 || !utf8_valid(error, strlen(error), true))
		return zw_errf(err, ZW_EINVALID, "error", "error 应为不超过 1000 字节的文字");
	char *text = json_dumps(applied, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	struct enforcer_row r = {.name = name,
	                         .source = source ? source : "",
	                         .applied = text,
	                         .error = error,
	                         .user_id = x->by->user_id,
	                         .now = clock_now(),
	                         .generation = json_integer_value(gen),
	                         .ok = json_is_true(ok)};
	struct store_tx *tx = NULL;
	int rc = store_begin(x->st, &tx, err);
	if (!rc)
		rc = store_enforcer_report(store_tx_conn(tx), &r, err);
	if (tx)
		rc = rc ? (store_rollback(tx), rc) : store_commit(tx, err);
	free(text);
	return rc;
}

int agent_devices(const struct ctx *x, json_t **out, struct zw_err *err)
{
	if (authz_check(x->by, ACT_DEVICE_SECRETS, 0, err))
		return -err->code;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	json_t *a = json_array();
	int rc = store_snmp_devices(c, a, err);
	size_t i;
	json_t *d;
	json_array_foreach(a, i, d)
	{
		static const char *const keys[] = {"community", "auth_key", "priv_key"};
		for (int k = 0; !rc && k < 3; k++) {
			const char *sealed = json_string_value(json_object_get(d, keys[k]));
			char *plain = NULL;
			if (!sealed)
				continue;
			rc = secret_open(sealed, &plain, err);
			if (!rc)
				json_object_set_new(d, keys[k], json_string(plain));
			if (plain)
				sodium_memzero(plain, strlen(plain));
			free(plain);
		}
	}
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "items", a);
	return 0;
}
