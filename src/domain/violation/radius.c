#include "domain/violation/radius.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "store/violation_sql.h"

/* The first value of an rlm_rest JSON attribute ({"type", "value": [...]}) or a plain one. */
static const char *attr(const json_t *body, const char *name)
{
	const json_t *a = json_object_get(body, name);
	const json_t *v = json_is_object(a) ? json_object_get(a, "value") : a;
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_string_value(v);
}

static json_t *vlan(json_t *o, int64_t vid)
{
	char id[8];
	snprintf(id, sizeof(id), "%lld", (long long)vid);
	json_object_set_new(o, "reply:Tunnel-Type", json_string("VLAN"));
	json_object_set_new(o, "reply:Tunnel-Medium-Type", json_string("IEEE-802"));
	json_object_set_new(o, "reply:Tunnel-Private-Group-Id", json_string(id));
	return o;
}

int radius_answer(const struct ctx *x, const struct radius_policy *rp, const char *section,
                  const json_t *body, int *status, json_t **out, struct zw_err *err)
{
	*out = NULL;
	if (authz_check(x->by, ACT_ENFORCEMENT_READ, 0, err))
		return -err->code;
	if (!json_is_object(body))
		return zw_errf(err, ZW_EINVALID, NULL, "请求体应为 rlm_rest 的 JSON 属性对象");
	bool post = strcmp(section, "post-auth") == 0;
	bool eap = json_object_get(body, "EAP-Message") != NULL;
	const char *station = attr(body, "Calling-Station-Id"), *user = attr(body, "User-Name");
	uint8_t m[6];
	char mac[18] = "";
	if (station && parse_mac(station, m) == 0)
		format_mac(m, mac);
	else if (user && parse_mac(user, m) == 0)
		format_mac(m, mac);
	struct radius_facts f = {0};
	struct sconn *c = *mac ? store_read(x->st, err) : NULL;
	if (*mac && !c)
		return -ZW_EINTERNAL;
	int rc = *mac ? store_radius_facts(c, mac, &f, err) : 0;
	if (rc)
		return rc;
	json_t *o = json_object();
	char msg[300];
	bool connected = strcmp(f.unit_status, "已接入") == 0;
	bool isolated = f.terminal_id && (f.violation_id || strcmp(f.unit_status, "暂停") == 0);
	if (isolated) {
		if (f.violation_id)
			snprintf(msg, sizeof(msg),
			         "终端已被隔离（违规事项 %lld），整改并经县信息化中心核实后恢复",
			         (long long)f.violation_id);
		else
			snprintf(msg, sizeof(msg), "所在单位已暂停接入，整改后恢复");
		vlan(o, rp->quarantine_vlan);
	} else if (f.terminal_id && connected) {
		snprintf(msg, sizeof(msg), "已登记终端");
		if (f.vid)
			vlan(o, f.vid);
	} else if (rp->unknown_vlan) {
		snprintf(msg, sizeof(msg), "%s，已分配到登记 VLAN",
		         *mac ? (f.terminal_id ? "所在单位未接入" : "未登记终端")
		              : "无法识别 MAC 地址");
		vlan(o, rp->unknown_vlan);
	} else {
		const struct forbidden_rule *fr =
		    profile_forbidden(x->prof, "unregistered_terminal");
		char clause[32] = "";
		if (fr)
			profile_first_clause(fr->clause, clause, sizeof(clause));
		snprintf(msg, sizeof(msg), "%s，拒绝接入%s%s%s",
		         !*mac           ? "无法识别终端的 MAC 地址"
		         : f.terminal_id ? "终端所在单位未接入政务外网"
		                         : "未登记终端",
		         *clause ? "（" : "", clause, *clause ? "）" : "");
		json_object_set_new(o, "reply:Reply-Message", json_string(msg));
		if (post) {
			json_object_set_new(o, "control:Tmp-String-0", json_string("reject"));
			*status = 200;
		} else {
			*status = 401;
		}
		*out = o;
		return 0;
	}
	json_object_set_new(o, "reply:Reply-Message", json_string(msg));
	if (!post && eap) { /* 802.1X: EAP authenticates; the VLAN comes at post-auth */
		json_decref(o);
		*status = 204;
		return 0;
	}
	if (!post)
		json_object_set_new(o, "control:Auth-Type", json_string("Accept"));
	*status = 200;
	*out = o;
	return 0;
}
