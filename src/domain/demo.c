#include "domain/demo.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/embed.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/notify/notify.h"
#include "store/rec.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "store/notify_sql.h"

struct keyed {
	const char *key;
	int64_t id;
};

/* Replace every {county} in s with the county's name. */
static char *subst(const char *s, const char *county)
{
	size_t n = strlen(s) + 1, cl = strlen(county);
	for (const char *p = s; (p = strstr(p, "{county}")); p += 8)
		n += cl;
	char *out = xmalloc(n), *o = out;
	while (*s) {
		if (strncmp(s, "{county}", 8) == 0) {
			memcpy(o, county, cl);
			o += cl;
			s += 8;
		} else {
			*o++ = *s++;
		}
	}
	*o = 0;
	return out;
}

/* A unit that signed is connected the regular way (TB-13): its access application is
 * submitted, approved at every step and implemented. */
static int demo_connect(const struct ctx *x, int64_t unit_id, const char *address,
                        struct zw_err *err)
{
	int64_t aid = 0;
	int rc = application_approve_access(x, unit_id, address, &aid, err);
	json_t *complete = json_pack("{s:s}", "action", "complete");
	struct app_env env = {0};
	if (!rc)
		rc = application_transition(x, &env, aid, complete, err);
	json_decref(complete);
	return rc;
}

/* The demo's carriers (fictional branches; the service numbers are the carriers' public
 * ones), their ids into ids for the lines and the carrier's demo account. */
static int seed_carriers(const struct ctx *x, int64_t ids[2], struct zw_err *err)
{
	static const struct {
		const char *name, *short_name, *contact, *mobile, *phone;
	} cs[] = {{"中国电信股份有限公司", "电信", "周建华", "13800009001", "10000"},
	          {"中国联合网络通信有限公司", "联通", "吴海涛", "13900009002", "10010"}};
	int rc = 0;
	for (size_t i = 0; !rc && i < 2; i++) {
		char name[200];
		text_printf(name, sizeof(name), "%s%s分公司", cs[i].name, x->prof->county);
		struct carrier c = {.name = name,
		                    .short_name = (char *)cs[i].short_name,
		                    .contact_name = (char *)cs[i].contact,
		                    .contact_mobile = (char *)cs[i].mobile,
		                    .service_phone = (char *)cs[i].phone,
		                    .note = (char *)"演示数据"};
		rc = registry_create(x, &carrier_kind, &c, &ids[i], err);
	}
	return rc;
}

/* A connected unit's line: the core room and the county's bodies by the first carrier, the
 * townships by the second. */
static int demo_line(const struct ctx *x, const int64_t carriers[2], int64_t unit_id,
                     const char *level, struct zw_err *err)
{
	bool town = level && (strcmp(level, "乡镇") == 0 || strcmp(level, "村/社区") == 0);
	bool core = level && strcmp(level, "核心机房") == 0;
	char circuit[32];
	snprintf(circuit, sizeof(circuit), "ZWWW-%05lld", (long long)unit_id);
	struct line l = {.carrier_id = carriers[town ? 1 : 0],
	                 .unit_id = unit_id,
	                 .circuit_id = circuit,
	                 .bandwidth_mbps = core   ? 1000
	                                   : town ? 50
	                                          : 100,
	                 .endpoint_a = (char *)"信息中心核心机房",
	                 .endpoint_b = (char *)"",
	                 .payer = (char *)"管理单位",
	                 .status = (char *)"在用",
	                 .note = (char *)""};
	int64_t id;
	return registry_create(x, &line_kind, &l, &id, err);
}

/* Connecting needs an agreement of the unit (then a unit without one stays applying). */
static bool needs_agreements(const struct profile *prof)
{
	for (size_t i = 0; i < prof->nagreements; i++)
		if (prof->agreements[i].required_for_connection &&
		    strcmp(prof->agreements[i].party, "unit") == 0)
			return true;
	return false;
}

static const char *status_for(const struct profile *prof, const char *code)
{
	static const char *const codes[] = {"applying", "connected", "suspended", "revoked",
	                                    "disconnected"};
	for (int i = 0; i < 5; i++)
		if (strcmp(codes[i], code) == 0) {
			/* A status the regulation gives no clause for becomes 已接入 in the demo.
			 */
			if (i > 0 && !profile_unit_status_clause(prof, code))
				return profile_unit_status_clause(prof, "connected") ? "已接入"
				                                                     : "申请中";
			return unit_status_values[i];
		}
	return NULL;
}

static int seed_unit(const struct ctx *x, const struct conf_section *s, struct keyed *keys,
                     size_t nkeys, const int64_t carriers[2], int64_t *id, struct demo_result *res,
                     struct zw_err *err)
{
	const char *county = x->prof->county;
	struct unit u = {0};
	u.name = subst(conf_str(s, "name", ""), county);
	u.short_name = xstrdup(conf_str(s, "short", ""));
	u.type = xstrdup(conf_str(s, "type", ""));
	u.level = xstrdup(conf_str(s, "level", ""));
	u.address = subst(conf_str(s, "address", ""), county);
	const char *target = status_for(x->prof, conf_str(s, "status", "applying"));
	if (!target)
		target = "申请中";
	bool signed_all = strcmp(conf_str(s, "agreements", "signed"), "signed") == 0;
	/* Units with their agreements go the regular way (apply, sign, connect); the others
	 * were connected before the regulation and wait on the 补签 list where the profile
	 * allows that, else they are still applying. */
	u.status = xstrdup(signed_all ? "申请中" : target);
	if (!signed_all && strcmp(target, "申请中") != 0)
		u.connected_on = xstrdup("2016-03-01");
	const char *parent = conf_str(s, "parent", NULL);
	for (size_t i = 0; parent && i < nkeys; i++)
		if (strcmp(keys[i].key, parent) == 0)
			u.parent_id = keys[i].id;
	int rc = registry_create(x, &unit_kind, &u, id, err);
	bool regular = signed_all; /* connected through an access application */
	if (rc == -ZW_ERULE) {
		/* the regulation has no date to be connected before, or wants its agreements
		 * first: the unit applies, and is connected the regular way if it needs none */
		zw_err_clear(err);
		free(u.status);
		free(u.connected_on);
		u.status = xstrdup("申请中");
		u.connected_on = NULL;
		regular = !needs_agreements(x->prof);
		if (!regular)
			target = "申请中";
		rc = registry_create(x, &unit_kind, &u, id, err);
	}
	unit_free(&u);
	if (rc)
		return rc;
	res->units++;
	const char *leader = NULL;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->entries[i].key, "contact") != 0)
			continue;
		char line[512], *f[5] = {0};
		text_printf(line, sizeof(line), "%s", s->entries[i].value);
		char *save = NULL, *t = strtok_r(line, "|", &save);
		for (int k = 0; k < 5 && t; k++, t = strtok_r(NULL, "|", &save))
			f[k] = t;
		if (!f[3])
			continue;
		struct contact c = {.role = f[0],
		                    .name = f[1],
		                    .post = f[2],
		                    .mobile = f[3],
		                    .email = f[4] ? f[4] : ""};
		int64_t cid;
		if ((rc = registry_create_under(x, &contact_kind, *id, &c, &cid, err)))
			return rc;
		if (!leader && strcmp(f[0], "主要领导") == 0)
			leader = s->entries[i].value;
		res->contacts++;
	}
	if (!signed_all && !regular)
		return 0;
	for (size_t k = 0; signed_all && k < x->prof->nagreements; k++) {
		const struct agreement_kind *a = &x->prof->agreements[k];
		if (strcmp(a->party, "unit") != 0)
			continue;
		char date[16], sig[64] = "";
		snprintf(date, sizeof(date), "2025-%02d-%02d", (int)(*id % 12) + 1,
		         (int)(*id % 27) + 1);
		if (leader) {
			const char *bar = strchr(leader, '|');
			const char *bar2 = bar ? strchr(bar + 1, '|') : NULL;
			if (bar2)
				text_printf(sig, sizeof(sig), "%.*s", (int)(bar2 - bar - 1),
				            bar + 1);
		}
		struct agreement ag = {
		    .kind = (char *)a->key, .signed_on = date, .signatories = sig};
		int64_t aid;
		if ((rc = registry_create_under(x, &agreement_kind, *id, &ag, &aid, err)))
			return rc;
		res->agreements++;
	}
	if (strcmp(target, "申请中") == 0)
		return 0;
	char *address = regular ? subst(conf_str(s, "address", ""), x->prof->county) : NULL;
	rc = regular ? demo_connect(x, *id, address, err) : 0;
	free(address);
	if (!rc && regular)
		rc = demo_line(x, carriers, *id, conf_str(s, "level", ""), err);
	if (rc)
		return rc;
	static const struct {
		const char *status, *reason;
	} reasons[] = {{"暂停", "安全检查发现终端感染病毒，限期整改"},
	               {"已撤销入网资格", "多次私改IP地址，情节严重"},
	               {"已拆机", "单位搬迁，原线路不再使用"}};
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(target, reasons[i].status) == 0)
			rc = unit_set_status(x, *id, target, NULL, reasons[i].reason, 0, err);
	return rc;
}

int demo_seed(struct store *st, const struct profile *prof, const struct account_cfg *acct,
              const struct principal *by, const char *password, struct demo_result *res,
              struct zw_err *err)
{
	memset(res, 0, sizeof(*res));
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	if (store_count(c, "units") > 0 || store_count(c, "users") > 0)
		return zw_errf(err, ZW_ECONFLICT, NULL,
		               "数据库中已有数据，演示数据只能写入空数据库");
	const struct embed_file *f = embed_find("data/demo/units.conf");
	if (!f)
		return zw_errf(err, ZW_EINTERNAL, NULL, "演示数据缺失");
	struct conf_doc doc;
	int rc = conf_parse("data/demo/units.conf", f->data, f->size, &doc, err);
	struct keyed *keys = xcalloc(doc.n + 1, sizeof(*keys));
	size_t nkeys = 0;
	struct ctx x = {st, prof, by};
	int64_t first_unit = 0, carriers[2] = {0, 0};
	if (!rc)
		rc = seed_carriers(&x, carriers, err);
	for (size_t i = 0; !rc && i < doc.n; i++) {
		const struct conf_section *s = &doc.sections[i];
		if (strcmp(s->type, "unit") != 0)
			continue;
		int64_t id = 0;
		rc = seed_unit(&x, s, keys, nkeys, carriers, &id, res, err);
		keys[nkeys++] = (struct keyed){s->name, id};
		if (!first_unit && strcmp(conf_str(s, "status", ""), "connected") == 0 &&
		    strcmp(conf_str(s, "level", ""), "县直") == 0)
			first_unit = id;
	}
	static const struct {
		const char *name, *role, *display;
	} users[] = {
	    {"admin", "manager", "网络管理员（演示）"},
	    {"authority", "authority", "主管单位审批人"},
	    {"ops", "operator", "运维值班员"},
	    {"carrier", "carrier", "运营商维护人员"},
	    {"unit", "unit_admin", "单位网络管理员"},
	    {"inspector", "supervisor", "网信办检查员"},
	    {"auditor", "auditor", "审计员"},
	};
	for (size_t i = 0; !rc && i < sizeof(users) / sizeof(users[0]); i++) {
		if (strcmp(users[i].role, "authority") == 0 && !profile_org_name(prof, "authority"))
			continue;
		struct user u = {.username = (char *)users[i].name,
		                 .display_name = (char *)users[i].display,
		                 .role = (char *)users[i].role};
		if (strcmp(users[i].role, "unit_admin") == 0)
			u.unit_id = first_unit;
		if (strcmp(users[i].role, "carrier") == 0)
			u.carrier_id = carriers[0];
		int64_t id;
		rc = account_user_create(st, acct, by, &u, password, &id, err);
		if (!rc)
			res->users++;
	}
	free(keys);
	conf_free(&doc);
	/* The demo's applications are history: their notices were never due to anyone. */
	struct store_tx *tx;
	if (!rc && !(rc = store_begin(st, &tx, err))) {
		rc = store_outbox_clear(store_tx_conn(tx), err);
		if (rc)
			store_rollback(tx);
		else
			rc = store_commit(tx, err);
	}
	return rc;
}
