#include "domain/access/application.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/inet.h"
#include "core/mutant.h"
#include "core/parse.h"
#include "domain/ipam/address.h"
#include "domain/inventory/assets.h"
#include "domain/audit.h"
#include "domain/deadline.h"
#include "domain/notify/notify.h"
#include "domain/workflow.h"
#include "store/rec.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "store/application_sql.h"
#include "store/deadline_sql.h"
#include "store/ipam_sql.h"
#include "store/notify_sql.h"

/* ---- the record ---- */

/* The kinds of application: code, Chinese name (kdefs below: what each takes). */
#define APP_KIND_MAP(X)                                                                            \
	X(ACCESS, "access", "接入申请")                                                            \
	X(CHANGE, "change", "变更申请")                                                            \
	X(PORT, "port", "端口开通申请")                                                            \
	X(EGRESS, "egress", "互联网出口特殊需求申请")                                              \
	X(INTERCONNECT, "interconnect", "业务专网互联申请")                                        \
	X(SYSTEM, "system", "信息系统备案")                                                        \
	X(LAN, "lan", "局域网升级改造备案")                                                        \
	X(CONTACT_REFILE, "contact_refile", "安全联系人变更备案")
enum app_kind {
#define AK_ENUM(e, code, zh) AK_##e,
	APP_KIND_MAP(AK_ENUM)
#undef AK_ENUM
	    AK_COUNT
};
static const char *const kinds[] = {
#define AK_CODE(e, code, zh) code,
    APP_KIND_MAP(AK_CODE)
#undef AK_CODE
        NULL};
static const char *const kind_labels[] = {
#define AK_LABEL(e, code, zh) zh,
    APP_KIND_MAP(AK_LABEL)
#undef AK_LABEL
        NULL};
#define S_SUBMITTED    "已提交"
#define S_REVIEWING    "审核中"
#define S_APPROVED     "已批准"
#define S_REJECTED     "未通过"
#define S_IMPLEMENTING "实施中"
#define S_COMPLETED    "已办结"
#define S_WITHDRAWN    "已撤回"
static const char *const statuses[] = {S_SUBMITTED,    S_REVIEWING, S_APPROVED,  S_REJECTED,
                                       S_IMPLEMENTING, S_COMPLETED, S_WITHDRAWN, NULL};
static const char *const status_codes[] = {"submitted",    "reviewing", "approved",  "rejected",
                                           "implementing", "completed", "withdrawn", NULL};
static const char *const user_types[] = {"党政机关", "事业单位", "其他", NULL};
static const char *const change_types[] = {"移机", "拆机", "其他", NULL};
static const char *const conclusions[] = {"符合", "基本符合", "不符合", NULL};
static const char *const djcp_levels[] = {"第一级", "第二级", "第三级", "第四级", "第五级", NULL};
static const char *const interconnect_types[] = {"数据交互", "整合迁移", "融合互联", NULL};
static const char *const contact_roles[] = {"安全联系人", "网络管理员", "技术联系人",
                                            "主要领导",   "分管领导",   NULL};
static const char *const exposures[] = {"政务外网", "互联网", NULL};
static const char *const protocols[] = {"tcp", "udp", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct application, n, t, fl, lbl, max)
#define FE(n, fl, lbl, vals)  REC_FE(struct application, n, fl, lbl, vals)
#define FI(n, lbl, lo, hi)                                                                         \
	{                                                                                          \
#n, REC_INT, 0, offsetof(struct application, n), lbl, 0, NULL, lo, hi, NULL, NULL  \
	}
static const struct rec_field app_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    REC_FEL(struct application, kind, REC_REQUIRED | REC_FIXED | REC_FILTER, "申请类型", kinds,
            kind_labels),
    F(unit_id, REC_ID, REC_REQUIRED | REC_FIXED | REC_FILTER, "使用单位", 0),
    REC_FEC(struct application, status, REC_READONLY | REC_FILTER, "状态", statuses, status_codes),
    {"step", REC_INT, REC_READONLY, offsetof(struct application, step), "审批环节", 0, NULL, 0, 9,
     NULL, NULL},
    F(approvals, REC_TEXT, REC_READONLY, "审批顺序", 60),
    F(clause, REC_TEXT, REC_READONLY, "依据条款", 32),
    FE(user_type, REC_NULLABLE, "用户类型", user_types),
    F(user_type_other, REC_TEXT, REC_NULLABLE, "其他用户类型", 50),
    F(address, REC_TEXT, REC_NULLABLE, "办公地址", 200),
    F(admin_name, REC_TEXT, REC_NULLABLE | REC_NAME, "网络管理员姓名", 30),
    F(admin_mobile, REC_MOBILE, REC_NULLABLE, "网络管理员手机号码", 11),
    F(tech_name, REC_TEXT, REC_NULLABLE | REC_NAME, "技术联系人姓名", 30),
    F(tech_mobile, REC_MOBILE, REC_NULLABLE, "技术联系人手机号码", 11),
    FI(ip_count, "IP数量", 1, 1048576),
    FI(bandwidth_mbps, "带宽（Mbps）", 1, 1000000),
    F(purpose, REC_TEXT, REC_MULTILINE, "用途", 1000),
    FE(change_type, REC_NULLABLE, "变更类型", change_types),
    F(change_other, REC_TEXT, REC_NULLABLE, "其他变更内容", 200),
    F(new_address, REC_TEXT, REC_NULLABLE, "移机后地址", 200),
    F(assessment_org, REC_TEXT, REC_NULLABLE, "安全评估机构", 100),
    F(assessment_on, REC_DATE, REC_NULLABLE, "安全评估日期", 10),
    FE(assessment_conclusion, REC_NULLABLE, "安全评估结论", conclusions),
    FE(djcp_level, REC_NULLABLE, "等级保护级别", djcp_levels),
    F(djcp_filing_no, REC_TEXT, REC_NULLABLE, "等级保护备案编号", 50),
    F(djcp_test_on, REC_DATE, REC_NULLABLE, "等级测评日期", 10),
    F(egress_provider, REC_TEXT, REC_NULLABLE, "出口提供方", 100),
    F(valid_until, REC_DATE, REC_NULLABLE, "有效期至", 10),
    F(network_name, REC_TEXT, REC_NULLABLE | REC_NAME, "业务专网名称", 100),
    FE(interconnect_type, REC_NULLABLE, "互联方式", interconnect_types),
    F(isolation_device, REC_TEXT, REC_NULLABLE, "隔离设备", 200),
    F(plan, REC_TEXT, REC_MULTILINE, "融合建设（迁移）方案", 4000),
    F(system_name, REC_TEXT, REC_NULLABLE | REC_NAME, "信息系统名称", 100),
    F(hosting, REC_TEXT, REC_NULLABLE, "部署资源", 200),
    F(go_live_on, REC_DATE, REC_NULLABLE, "计划上线日期", 10),
    F(planned_on, REC_DATE, REC_NULLABLE, "计划实施日期", 10),
    FE(contact_role, REC_NULLABLE, "联系人角色", contact_roles),
    F(contact_name, REC_TEXT, REC_NULLABLE | REC_NAME, "联系人姓名", 30),
    F(contact_mobile, REC_MOBILE, REC_NULLABLE, "联系人手机号码", 11),
    F(changed_on, REC_DATE, REC_NULLABLE | REC_PAST, "变更日期", 10),
    F(review_on, REC_DATE, REC_NULLABLE, "复核日期", 10),
    F(carrier_id, REC_ID, 0, "网络运营商", 0),
    F(zone_id, REC_ID, 0, "分配区域", 0),
    F(prefix_id, REC_ID, REC_READONLY, "分配的地址段", 0),
    F(vlan_id, REC_ID, REC_READONLY, "分配的VLAN", 0),
    F(reason, REC_TEXT, REC_READONLY, "理由", 500),
    F(submitted_by, REC_TEXT, REC_READONLY, "申请人", 64),
    F(decided_at, REC_TIME, REC_READONLY, "审核时间", 0),
    F(completed_at, REC_TIME, REC_READONLY, "办结时间", 0),
    REC_META(struct application),
};
#undef F
#undef FE
#undef FI
const struct rec_schema application_schema = {"application", app_fields,
                                              sizeof(app_fields) / sizeof(app_fields[0]),
                                              sizeof(struct application)};

static const struct rec_field port_fields[] = {
    REC_F(struct app_port, id, REC_ID, REC_READONLY, "编号", 0),
    REC_FE(struct app_port, exposure, 0, "开放范围", exposures),
    REC_FE(struct app_port, protocol, REC_REQUIRED, "协议", protocols),
    {"port", REC_INT, REC_REQUIRED, offsetof(struct app_port, port), "端口", 0, NULL, 1, 65535,
     NULL, NULL},
    REC_F(struct app_port, target_ip, REC_IP, REC_REQUIRED, "目标地址", 45),
    REC_F(struct app_port, purpose, REC_TEXT, REC_REQUIRED, "用途", 200),
};
const struct rec_schema app_port_schema = {"application_port", port_fields,
                                           sizeof(port_fields) / sizeof(port_fields[0]),
                                           sizeof(struct app_port)};

/* Some members of one record into g under key ({id, names...}); nothing when it is gone.
 * *zone (when not NULL): the record's zone_id. */
static int granted_part(struct sconn *c, const char *table, const struct rec_schema *sc, int64_t id,
                        const char *const *names, json_t *g, const char *key, int64_t *zone,
                        struct zw_err *err)
{
	if (id <= 0)
		return 0;
	void *rec = xcalloc(1, sc->size);
	int rc = store_rec_get(c, table, sc, id, NULL, 0, rec, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = 0;
	} else if (!rc) {
		json_t *all = rec_to_json(sc, rec), *part = json_object();
		json_object_set(part, "id", json_object_get(all, "id"));
		for (const char *const *n = names; *n; n++)
			json_object_set(part, *n, json_object_get(all, *n));
		if (zone)
			*zone = json_integer_value(json_object_get(all, "zone_id"));
		json_object_set_new(g, key, part);
		json_decref(all);
	}
	rec_free(sc, rec);
	free(rec);
	return rc;
}

/* What was granted, by name, for the application's page, the carrier's queue and the papers:
 * the zone, the subnet with its gateway, the VLAN and the carrier that carries it out (null
 * while nothing is); and the deadline it waits on (open_deadline), so a list shows its clock
 * without reading every deadline. */
static int application_granted(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	const struct application *a = rec;
	static const char *const zone[] = {"name", NULL},
	                         *const prefix[] = {"cidr", "gateway", "dns", NULL},
	                         *const vlan[] = {"vid", "name", NULL},
	                         *const carrier[] = {"name", "service_phone", NULL};
	json_t *g = json_object();
	int64_t zone_id = 0; /* the subnet's zone: where the approval took it from */
	int rc = granted_part(c, "prefixes", &prefix_schema, a->prefix_id, prefix, g, "prefix",
	                      &zone_id, err);
	if (!rc)
		rc = granted_part(c, "zones", &zone_schema, zone_id ? zone_id : a->zone_id, zone, g,
		                  "zone", NULL, err);
	if (!rc)
		rc = granted_part(c, "vlans", &vlan_schema, a->vlan_id, vlan, g, "vlan", NULL, err);
	if (!rc)
		rc = granted_part(c, "carriers", &carrier_schema, a->carrier_id, carrier, g,
		                  "carrier", NULL, err);
	json_object_set_new(o, "granted", json_object_size(g) ? json_incref(g) : json_null());
	json_decref(g);
	json_t *open = NULL;
	if (!rc)
		rc = deadline_open_of(c, "application", a->id, &open, err);
	json_object_set_new(o, "open_deadline", open ? open : json_null());
	return rc;
}

const struct registry_kind application_kind = {
    .table = "applications",
    .object = "application",
    .label = "申请",
    .sc = &application_schema,
    .read = ACT_APPLICATION_READ,
    .write = ACT_APPLICATION_SUBMIT,
    .unit_field = "unit_id",
    .extra = application_granted,
};

/* ---- the kinds ---- */

struct kind_def {
	const char *review, *implement; /* the profile's [deadline] keys */
	const char *fields, *required;  /* space separated */
	bool connected;                 /* the unit must be connected (or suspended) */
};

#define CONTACTS "user_type user_type_other address admin_name admin_mobile tech_name tech_mobile "
static const struct kind_def kdefs[AK_COUNT] = {
    [AK_ACCESS] = {"access_review", "access_implement",
                   CONTACTS "ip_count bandwidth_mbps purpose assessment_org assessment_on "
                            "assessment_conclusion djcp_level zone_id",
                   "user_type address admin_name admin_mobile tech_name tech_mobile ip_count "
                   "bandwidth_mbps purpose",
                   false},
    [AK_CHANGE] = {"change_review", "change_implement",
                   CONTACTS "change_type change_other new_address ip_count bandwidth_mbps purpose",
                   "change_type", true},
    [AK_PORT] = {"port_review", NULL, "purpose review_on", "purpose", true},
    [AK_EGRESS] = {"egress_review", NULL,
                   "egress_provider bandwidth_mbps address purpose valid_until",
                   "egress_provider purpose", true},
    [AK_INTERCONNECT] = {"interconnect_review", NULL,
                         "network_name interconnect_type isolation_device plan purpose",
                         "network_name interconnect_type plan", false},
    [AK_SYSTEM] = {"filing_review", NULL,
                   "system_name djcp_level djcp_filing_no djcp_test_on hosting go_live_on purpose "
                   "assessment_org assessment_on assessment_conclusion",
                   "system_name djcp_level purpose", true},
    [AK_LAN] = {"filing_review", NULL, "purpose planned_on address", "purpose", false},
    [AK_CONTACT_REFILE] = {NULL, NULL, "contact_role contact_name contact_mobile changed_on",
                           "contact_name contact_mobile changed_on", false},
};
#undef CONTACTS

static const struct kind_def *kind_def(const char *code)
{
	for (size_t i = 0; code && i < AK_COUNT; i++)
		if (strcmp(kinds[i], code) == 0)
			return &kdefs[i];
	return NULL;
}

/* The Chinese name of a kind. */
static const char *kind_label(const struct kind_def *k)
{
	return kind_labels[k - kdefs];
}

const char *application_status_at(size_t i, const char **code, bool *open)
{
	if (i >= sizeof(statuses) / sizeof(statuses[0]) - 1)
		return NULL;
	*code = status_codes[i];
	*open = strcmp(statuses[i], S_COMPLETED) != 0 && strcmp(statuses[i], S_REJECTED) != 0 &&
	        strcmp(statuses[i], S_WITHDRAWN) != 0;
	return statuses[i];
}

const char *application_kind_label(const char *kind)
{
	const struct kind_def *k = kind_def(kind);
	return k ? kind_label(k) : NULL;
}

bool application_kind_info(const char *kind, const char **fields, const char **review,
                           const char **implement)
{
	const struct kind_def *k = kind_def(kind);
	if (!k)
		return false;
	*fields = k->fields;
	*review = k->review;
	*implement = k->implement;
	return true;
}

static json_t *words(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (k)
			json_array_append_new(a, json_stringn(p, k));
		p += k;
	}
	return a;
}

json_t *application_kinds_json(void)
{
	json_t *a = json_array();
	for (size_t i = 0; i < AK_COUNT; i++)
		json_array_append_new(
		    a,
		    json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "kind", kinds[i], "label",
		              kind_labels[i], "fields", words(kdefs[i].fields), "required",
		              words(kdefs[i].required), "review_rule",
		              kdefs[i].review ? json_string(kdefs[i].review) : json_null(),
		              "implement_rule",
		              kdefs[i].implement ? json_string(kdefs[i].implement) : json_null()));
	return a;
}

static int list_count(const char *list)
{
	char w[32];
	int n = 0;
	while (list_word(list, n, w, sizeof(w)))
		n++;
	return n;
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* ---- shared steps ---- */

static int load_app(struct sconn *c, int64_t id, struct application *a, struct zw_err *err)
{
	int rc = store_rec_get(c, "applications", &application_schema, id, NULL, 0, a, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_ENOTFOUND, NULL, "申请不存在");
	}
	return rc;
}

/* The outbox notice of a step: who is told beyond the managers and the unit's admins, and
 * which deadline runs next. */
static int notice(const struct ctx *x, struct store_tx *tx, const struct application *a,
                  const char *action, const char *reason, const char *clause, const char *roles,
                  int64_t deadline_id, struct zw_err *err)
{
	json_t *p =
	    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "application_id", (json_int_t)a->id, "kind",
	              a->kind, "kind_label", application_kind_label(a->kind), "action", action,
	              "status", a->status, "reason", reason ? reason : "");
	int rc = 0;
	if (!p) /* json_pack refuses a NULL text: an application of no known kind */
		return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	if (deadline_id)
		rc = deadline_payload(store_tx_conn(tx), deadline_id, p, err);
	char *payload = rc ? NULL : json_dumps(p, JSON_COMPACT); /* a tree we built */
	json_decref(p);
	char kind[64];
	snprintf(kind, sizeof(kind), "application.%s", action);
	if (!rc)
		rc = store_outbox_event(store_tx_conn(tx), kind, "application", a->id, a->unit_id,
		                        clause, payload, roles, clock_now(), err);
	free(payload);
	(void)x;
	return rc;
}

/* Write the application back with its event row and audit entry. */
static int record(const struct ctx *x, struct store_tx *tx, struct application *a,
                  const json_t *before, const char *action, const char *from, const char *reason,
                  const char *clause, struct zw_err *err)
{
	struct sconn *c = store_tx_conn(tx);
	int rc = store_rec_update(c, "applications", &application_schema, a, clock_now(), err);
	if (!rc)
		rc = store_app_event(c, a->id, clock_now(), action, from, a->status, a->step,
		                     x->by->username, role_name(x->by->role), reason ? reason : "",
		                     clause, err);
	struct application now = {0};
	if (!rc)
		rc = load_app(c, a->id, &now, err);
	json_t *after = rc ? NULL : rec_to_json(&application_schema, &now);
	char act[48];
	snprintf(act, sizeof(act), "application.%s", action);
	if (!rc)
		rc = audit_append(tx, x->by, act, "application", a->id, a->unit_id, before, after,
		                  clause, err);
	json_decref(after);
	rec_free(&application_schema, &now);
	return rc;
}

/* Meet (or cancel) the subject's open deadlines of a rule (NULL: all). */
static int close_deadlines(const struct ctx *x, struct store_tx *tx, int64_t id, const char *rule,
                           bool cancel, struct zw_err *err)
{
	int64_t ids[16];
	size_t n = 0;
	int rc = store_open_deadlines(store_tx_conn(tx), "application", id, rule, ids, 16, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = cancel ? deadline_cancel_tx(x, tx, ids[i], err)
		            : deadline_met_tx(x, tx, ids[i], err);
	return rc;
}

/* Start the kind's rule when the profile has it; *id 0 when it does not. */
static int start_rule(const struct ctx *x, struct store_tx *tx, const struct application *a,
                      const char *rule, int64_t at, int64_t *id, struct zw_err *err)
{
	*id = 0;
	if (!rule || !profile_deadline(x->prof, rule))
		return 0;
	return deadline_start_tx(x, tx, rule, "application", a->id, a->unit_id, at, id, err);
}

/* ---- submit ---- */

static int check_fields(const struct kind_def *k, const struct application *a, uint64_t present,
                        struct zw_err *err)
{
	const struct rec_schema *sc = &application_schema;
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		bool set = present & ((uint64_t)1 << i);
		if (set && strcmp(f->name, "kind") && strcmp(f->name, "unit_id") &&
		    (!list_has(k->fields, f->name) ||
		     (ZW_MUTANT("ss17_hosting") && strcmp(f->name, "hosting") == 0)))
			return zw_errf(err, ZW_EINVALID, f->name, "%s不适用于%s", f->label,
			               kind_label(k));
		if (!list_has(k->required, f->name))
			continue;
		bool empty = !set || (f->type != REC_INT && f->type != REC_ID &&
		                      blank(rec_get_str(sc, a, f->name)));
		if (empty)
			return zw_errf(err, ZW_EINVALID, f->name, "请填写%s", f->label);
	}
	if (a->user_type && strcmp(a->user_type, "其他") == 0 && blank(a->user_type_other))
		return zw_errf(err, ZW_EINVALID, "user_type_other", "用户类型为“其他”时请写明类型");
	if (a->change_type && strcmp(a->change_type, "移机") == 0 && blank(a->new_address))
		return zw_errf(err, ZW_EINVALID, "new_address", "移机须填写移机后地址");
	if (a->change_type && strcmp(a->change_type, "其他") == 0 && blank(a->change_other))
		return zw_errf(err, ZW_EINVALID, "change_other",
		               "变更类型为“其他”时请写明变更内容");
	if (!ZW_MUTANT("tb18_isolation_device") && a->interconnect_type &&
	    strcmp(a->interconnect_type, "数据交互") == 0 && blank(a->isolation_device))
		return zw_errf(err, ZW_EINVALID, "isolation_device",
		               "业务专网与政务外网进行数据交互须部署隔离设备，请填写隔离设备");
	return 0;
}

/* The port rows of a port application, checked: each target lies in the unit's own
 * addresses, no row twice. */
static int parse_ports(struct sconn *c, const json_t *arr, int64_t unit_id, struct app_port **out,
                       size_t *n, struct zw_err *err)
{
	*out = NULL;
	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 64)
		return zw_errf(err, ZW_EINVALID, "ports", "请逐个列出申请开放的端口（1 至 64 个）");
	size_t k = json_array_size(arr);
	struct app_port *v = xcalloc(k, sizeof(*v));
	int rc = 0;
	for (size_t i = 0; !rc && i < k; i++) {
		uint64_t present;
		struct zw_err e = {0};
		char field[96];
		rc = rec_from_json(&app_port_schema, json_array_get(arr, i), true, &v[i], &present,
		                   &e);
		*n = i + 1;
		if (rc) {
			text_printf(field, sizeof(field), "ports[%zu].%s", i, e.field);
			rc = zw_errf(err, e.code, field, "第 %zu 个端口：%s", i + 1, e.message);
			break;
		}
		if (!v[i].exposure)
			v[i].exposure = xstrdup("政务外网");
		int fam; /* the field table checked it and stored it canonical */
		u128 ip;
		snprintf(field, sizeof(field), "ports[%zu].target_ip", i);
		if (inet_parse_addr(v[i].target_ip, &fam, &ip) < 0) {
			rc = zw_errf(err, ZW_EINTERNAL, field, NULL);
			break;
		}
		const char *canon = v[i].target_ip;
		int64_t pid = 0, owner = 0;
		rc = store_prefix_owner(c, fam, ip, &pid, &owner, err);
		if (!rc && owner != unit_id)
			rc = zw_errf(err, ZW_EINVALID, field,
			             "第 %zu 个端口的目标地址 %s 不在本单位分配的地址段内", i + 1,
			             canon);
		for (size_t j = 0; !rc && j < i; j++)
			if (v[j].port == v[i].port && strcmp(v[j].protocol, v[i].protocol) == 0 &&
			    strcmp(v[j].target_ip, v[i].target_ip) == 0)
				rc = zw_errf(err, ZW_EINVALID, field,
				             "第 %zu 个端口与第 %zu 个重复", i + 1, j + 1);
	}
	*out = v;
	*n = k;
	return rc;
}

void app_ports_free(struct app_port *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		rec_free(&app_port_schema, &v[i]);
	free(v);
}

static int check_unit(const struct ctx *x, struct store_tx *tx, const struct kind_def *k,
                      const struct application *a, struct zw_err *err)
{
	struct sconn *c = store_tx_conn(tx);
	struct unit u = {0};
	struct principal sys = *x->by;
	sys.role = ROLE_SYSTEM;
	int rc = store_rec_get(c, "units", &unit_schema, a->unit_id, NULL, 0, &u, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		return zw_errf(err, ZW_EINVALID, "unit_id", "单位不存在");
	}
	bool gone =
	    !rc && (strcmp(u.status, "已撤销入网资格") == 0 || strcmp(u.status, "已拆机") == 0);
	if (rc) {
	} else if (strcmp(a->kind, "access") == 0) {
		if (strcmp(u.status, "已接入") == 0 || strcmp(u.status, "暂停") == 0)
			rc = zw_errf(err, ZW_ECONFLICT, "unit_id", "单位当前为“%s”，无需接入申请",
			             u.status);
		else if (!ZW_MUTANT("jx27_revoked") && strcmp(u.status, "已撤销入网资格") == 0)
			rc = zw_errf(
			    err, ZW_ECONFLICT, "unit_id",
			    "单位已被撤销入网资格，须经管理单位恢复为“申请中”后方可重新申请");
		else if (strcmp(u.status, "已拆机") ==
		         0) /* re-applying, on the workflow's authority */
			rc = unit_set_status_tx(&(struct ctx){x->st, x->prof, &sys}, tx, a->unit_id,
			                        "申请中", a->clause, "重新申请接入", 0, err);
	} else if (k->connected && strcmp(u.status, "已接入") && strcmp(u.status, "暂停")) {
		rc = zw_errf(err, ZW_ECONFLICT, "unit_id", "单位当前为“%s”，不能提交%s", u.status,
		             kind_label(k));
	} else if (gone) {
		rc = zw_errf(err, ZW_ECONFLICT, "unit_id", "单位当前为“%s”，不能提交%s", u.status,
		             kind_label(k));
	}
	unit_free(&u);
	return rc;
}

/* TB-6: the re-filing is due 1 working day after the change; met (or late) now. */
static int contact_deadline(const struct ctx *x, struct store_tx *tx, const struct application *a,
                            struct zw_err *err)
{
	int32_t day;
	int64_t id = 0;
	if (!profile_deadline(x->prof, "contact_refile") || parse_date(a->changed_on, &day) < 0)
		return 0;
	int rc = deadline_start_tx(x, tx, "contact_refile", "application", a->id, a->unit_id,
	                           (int64_t)day * 86400 - 8 * 3600, &id, err);
	if (!rc)
		rc = deadline_met_tx(x, tx, id, err);
	/* the re-filing a direct edit of the contact started (unit.c) is met by this one */
	int64_t open[4];
	size_t n = 0;
	if (!rc)
		rc = store_open_deadlines(store_tx_conn(tx), "unit", a->unit_id, "contact_refile",
		                          open, 4, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = deadline_met_tx(x, tx, open[i], err);
	return rc;
}

/* The role(s) that act at approval step `step` of a, for notices. */
static void step_roles(const struct application *a, int64_t step, char *out, size_t n)
{
	if (!list_word(a->approvals, (int)step, out, n) || strcmp(out, "manager") == 0)
		*out = 0; /* managers hear of everything anyway */
}

int application_submit(const struct ctx *x, const struct app_env *env, const json_t *body,
                       int64_t *id, struct zw_err *err)
{
	(void)env;
	if (!json_is_object(body))
		return zw_errf(err, ZW_EINVALID, NULL, "请求体应为 JSON 对象");
	json_t *copy = json_copy((json_t *)body);
	json_t *ports_json = json_incref(json_object_get(copy, "ports"));
	json_object_del(copy, "ports");
	struct application a = {0};
	uint64_t present = 0;
	int rc = rec_from_json(&application_schema, copy, true, &a, &present, err);
	json_decref(copy);
	const struct kind_def *k = rc ? NULL : kind_def(a.kind);
	const struct workflow_rule *wf = k ? profile_workflow(x->prof, a.kind) : NULL;
	if (!rc && !wf)
		rc = zw_errf(err, ZW_ERULE, "kind", "《%s》没有规定%s，本县不受理此类申请",
		             x->prof->title, kind_label(k));
	if (!rc && authz_check(x->by, ACT_APPLICATION_SUBMIT, a.unit_id, err))
		rc = -err->code;
	if (!rc)
		rc = check_fields(k, &a, present, err);
	if (!rc && ports_json && strcmp(a.kind, "port") != 0)
		rc = zw_errf(err, ZW_EINVALID, "ports", "只有端口开通申请列出端口");
	char clause[32] = "";
	if (!rc) {
		profile_first_clause(wf->clause, clause, sizeof(clause));
		a.status = xstrdup(S_SUBMITTED);
		a.approvals = xstrdup(wf->approvals);
		a.clause = xstrdup(clause);
		a.submitted_by = xstrdup(x->by->username);
		a.reason = xstrdup("");
	}
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct sconn *c = tx ? store_tx_conn(tx) : NULL;
	struct app_port *ports = NULL;
	size_t nports = 0;
	if (!rc)
		rc = check_unit(x, tx, k, &a, err);
	if (!rc && strcmp(a.kind, "port") == 0)
		rc = parse_ports(c, ports_json, a.unit_id, &ports, &nports, err);
	if (!rc)
		rc = registry_ref(c, "carriers", "carrier_id", "网络运营商", a.carrier_id, err);
	if (!rc)
		rc = registry_ref(c, "zones", "zone_id", "区域", a.zone_id, err);
	if (!rc)
		rc = store_rec_insert(c, "applications", &application_schema, &a, clock_now(), id,
		                      err);
	if (!rc)
		a.id = *id;
	for (size_t i = 0; !rc && i < nports; i++) {
		ports[i].application_id = a.id;
		rc = store_app_port_insert(c, &ports[i], err);
	}
	if (!rc)
		rc = store_app_event(c, a.id, clock_now(), "submit", "", a.status, 0,
		                     x->by->username, role_name(x->by->role), "", clause, err);
	struct application now = {0};
	if (!rc)
		rc = load_app(c, a.id, &now, err);
	if (!rc) {
		json_t *after = rec_to_json(&application_schema, &now);
		rc = audit_append(tx, x->by, "application.submit", "application", a.id, a.unit_id,
		                  NULL, after, clause, err);
		json_decref(after);
	}
	int64_t review = 0;
	if (!rc)
		rc = start_rule(x, tx, &a, k->review, clock_now(), &review, err);
	if (!rc && strcmp(a.kind, "contact_refile") == 0)
		rc = contact_deadline(x, tx, &a, err);
	char roles[32];
	step_roles(&a, 0, roles, sizeof(roles));
	if (!rc)
		rc = notice(x, tx, &now, "submit", NULL, clause, roles, review, err);
	if (tx) {
		if (rc)
			store_rollback(tx);
		else
			rc = store_commit(tx, err);
	}
	rec_free(&application_schema, &now);
	rec_free(&application_schema, &a);
	app_ports_free(ports, nports);
	json_decref(ports_json);
	return rc;
}

/* ---- transitions ---- */

struct tr {
	char *action, *reason, *review_on;
	int64_t zone_id, parent_id, vid, carrier_id, if_rev;
	bool allocate, dry_run;
};
static const char *const actions[] = {"review", "approve",  "reject",  "withdraw", "pause",
                                      "resume", "complete", "go_live", NULL};
#define T(n, t, fl, lbl, max) REC_F(struct tr, n, t, fl, lbl, max)
static const struct rec_field tr_fields[] = {
    REC_FE(struct tr, action, REC_REQUIRED, "操作", actions),
    T(reason, REC_TEXT, REC_MULTILINE, "理由", 500),
    T(review_on, REC_DATE, 0, "复核日期", 10),
    T(zone_id, REC_ID, 0, "分配区域", 0),
    T(parent_id, REC_ID, 0, "上级地址段", 0),
    {"vid", REC_INT, 0, offsetof(struct tr, vid), "VLAN 号", 0, NULL, 1, 4094, NULL, NULL},
    T(carrier_id, REC_ID, 0, "网络运营商", 0),
    {"if_rev", REC_INT, 0, offsetof(struct tr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
    T(allocate, REC_BOOL, 0, "分配地址", 0),
    T(dry_run, REC_BOOL, 0, "仅检查", 0),
};
#undef T
const struct rec_schema application_transition_schema = {"application_transition", tr_fields,
                                                         sizeof(tr_fields) / sizeof(tr_fields[0]),
                                                         sizeof(struct tr)};

struct step {
	const struct ctx *x;
	const struct ctx *fx; /* the step's effects on the registry: authorised by the workflow */
	const struct app_env *env;
	struct store_tx *tx;
	struct sconn *c;
	struct application *a;
	const struct kind_def *k;
	const struct workflow_rule *wf;
	const struct tr *t;
	const char *clause; /* what the step cites */
	char roles[48];     /* who else is told */
	int64_t next;       /* the deadline that runs next, for the notice */
	struct zw_err *err;
};

/* ---- guards: what the application must be for a row to apply ---- */

/* The principal must be the approver of the current step (MY-4: the authority first). */
static int g_approver(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	char who[32];
	if (!list_word(s->a->approvals, (int)s->a->step, who, sizeof(who)))
		return zw_errf(err, ZW_EINTERNAL, NULL, "审批环节数据错误");
	if (s->x->by->role == ROLE_SYSTEM || strcmp(role_name(s->x->by->role), who) == 0)
		return 0;
	const char *org = profile_org_name(s->x->prof, who);
	return zw_err_clause(err, ZW_EFORBIDDEN, "action", s->a->clause,
	                     "当前审批环节应由%s办理（依据%s）", org ? org : who, s->a->clause);
}

/* SS-10: before connecting, a security assessment; SS-15: a system is assessed before it is
 * filed. */
static int g_assessed(struct step *s, struct zw_err *err)
{
	const struct application *a = s->a;
	if (!s->wf->assessment_required)
		return 0;
	if (blank(a->assessment_on) || blank(a->assessment_org) || blank(a->assessment_conclusion))
		return zw_err_clause(err, ZW_ERULE, "assessment_on", s->a->clause,
		                     "依据%s，%s须先完成安全评估（评估机构、日期、结论）",
		                     s->a->clause, kind_label(s->k));
	if (strcmp(a->assessment_conclusion, "不符合") == 0)
		return zw_err_clause(err, ZW_ERULE, "assessment_conclusion", s->a->clause,
		                     "依据%s，安全评估结论为“不符合”，不能批准", s->a->clause);
	return 0;
}

static bool last_approver(const struct step *s)
{
	return s->a->step + 1 >= list_count(s->a->approvals);
}

/* approve, by an earlier approver of the order: on to the next one */
static int g_approve_next(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	int rc = g_approver(s, err);
	if (!rc)
		rc = g_assessed(s, err);
	if (!rc && last_approver(s))
		rc = zw_errf(err, ZW_ECONFLICT, "action", "这是最后一个审批环节");
	return rc;
}

/* approve, by the last approver; *implemented: the kind is carried out after approval */
static int approve_last(struct step *s, bool implemented, struct zw_err *err)
{
	int rc = g_approver(s, err);
	if (!rc)
		rc = g_assessed(s, err);
	if (!rc && !last_approver(s))
		rc = zw_errf(err, ZW_ECONFLICT, "action", "还有后续审批环节");
	if (!rc && !s->k->implement != !implemented)
		rc = zw_errf(err, ZW_ECONFLICT, "action",
		             implemented ? "此类申请批准后无需实施" : "此类申请批准后须实施");
	return rc;
}

static int g_approve_implement(void *cs, struct zw_err *err)
{
	return approve_last(cs, true, err);
}

static int g_approve_record(void *cs, struct zw_err *err)
{
	return approve_last(cs, false, err);
}

/* The state of the implementation deadline: running (pausable by the profile) or paused. */
static int implement_deadline(struct step *s, const char *want, struct zw_err *err)
{
	json_t *ds = json_array();
	int rc = deadline_subject_list(s->c, "application", s->a->id, ds, err);
	bool found = false;
	const char *clause = s->a->clause;
	size_t i;
	json_t *d;
	json_array_foreach(ds, i, d)
	{
		const char *rule = json_string_value(json_object_get(d, "rule"));
		const char *st = json_string_value(json_object_get(d, "status"));
		if (!rule || !st || !s->k->implement || strcmp(rule, s->k->implement) != 0 ||
		    strcmp(st, want) != 0)
			continue;
		const struct deadline_rule *r = profile_deadline(s->x->prof, rule);
		if (r && r->clause)
			clause = r->clause;
		found = !strcmp(want, "paused") || (r && r->pausable);
	}
	json_decref(ds);
	if (rc || found)
		return rc;
	return strcmp(want, "paused") == 0
	           ? zw_err_clause(err, ZW_ECONFLICT, "action", clause, "实施期限没有暂停")
	           : zw_err_clause(err, ZW_ECONFLICT, "action", clause,
	                           "没有可暂停的实施期限（依据%s）", clause);
}

static int g_running(void *cs, struct zw_err *err)
{
	return implement_deadline(cs, "running", err);
}

static int g_paused(void *cs, struct zw_err *err)
{
	return implement_deadline(cs, "paused", err);
}

/* MY-7, SS-15: a filed system goes live only once graded, tested and filed. */
static int g_go_live(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	const struct application *a = s->a;
	if (strcmp(a->kind, "system") != 0)
		return zw_err_clause(err, ZW_ECONFLICT, "action", a->clause,
		                     "只有信息系统备案有上线操作");
	if (s->wf->assessment_required && (blank(a->djcp_filing_no) || blank(a->djcp_test_on)))
		return zw_err_clause(
		    err, ZW_ERULE, "djcp_filing_no", a->clause,
		    "依据%s，信息系统上线前须完成等级保护定级、测评和备案（备案编号、"
		    "测评日期）",
		    a->clause);
	return 0;
}

/* An access approval: the unit's VLAN and subnet, in the approval's transaction. */
static int allocate(struct step *s)
{
	struct application *a = s->a;
	int64_t zone = s->t->zone_id ? s->t->zone_id : a->zone_id;
	if (!zone && !s->t->parent_id) {
		int any = store_table_has_rows(s->c, "zones");
		if (any < 0)
			return zw_errf(s->err, ZW_EINTERNAL, NULL, NULL);
		return zw_errf(s->err, ZW_EINVALID, "zone_id", "%s",
		               any ? "请选择分配地址的区域"
		                   : "尚未建立地址规划：请先在“地址规划”中登记区域及其地址池，"
		                     "或选择批准时不分配地址");
	}
	struct unit u = {0};
	int rc = store_rec_get(s->c, "units", &unit_schema, a->unit_id, NULL, 0, &u, s->err);
	int64_t vid = s->t->vid;
	if (!rc && !vid) {
		rc = store_free_vid(s->c, 100, &vid, s->err);
		if (!rc && !vid)
			rc = zw_errf(s->err, ZW_ECONFLICT, "vid", "VLAN 号已用完");
	}
	struct vlan v = {.vid = vid, .zone_id = zone, .unit_id = a->unit_id};
	if (!rc) {
		v.name = xstrdup(u.short_name && *u.short_name ? u.short_name : u.name);
		v.description = xstrdup("接入申请批准时分配");
		rc = registry_create_tx(s->fx, &vlan_kind, s->tx, &v, &a->vlan_id, s->err);
	}
	if (!rc) {
		char desc[300];
		text_printf(desc, sizeof(desc), "%s（接入申请 %lld）", u.name, (long long)a->id);
		struct alloc_req r = {.unit_id = a->unit_id,
		                      .hosts = ZW_MUTANT("jx20_ip_count") ? 253 : a->ip_count,
		                      .vlan_id = a->vlan_id,
		                      .description = desc};
		rc = prefix_allocate_tx(s->fx, s->env->cache, s->tx, s->t->parent_id, zone, &r,
		                        &a->prefix_id, s->err);
	}
	rec_free(&vlan_schema, &v);
	unit_free(&u);
	return rc;
}

/* An approved port application enters the ports register. */
static int register_ports(struct step *s)
{
	struct app_port *v = NULL;
	size_t n = 0;
	const char *review = !blank(s->t->review_on)   ? s->t->review_on
	                     : !blank(s->a->review_on) ? s->a->review_on
	                                               : NULL;
	int rc = store_app_ports(s->c, s->a->id, &v, &n, s->err);
	for (size_t i = 0; !rc && i < n; i++) {
		char note[64];
		snprintf(note, sizeof(note), "端口开通申请 %lld 批准", (long long)s->a->id);
		struct port p = {.unit_id = s->a->unit_id,
		                 .port = v[i].port,
		                 .protocol = v[i].protocol,
		                 .target_ip = v[i].target_ip,
		                 .purpose = v[i].purpose,
		                 .note = note,
		                 .exposure = v[i].exposure,
		                 .application_id = s->a->id,
		                 .review_on = (char *)review};
		int64_t pid;
		rc = registry_create_tx(s->fx, &port_kind, s->tx, &p, &pid, s->err);
		if (rc == -ZW_ECONFLICT) {
			zw_err_clear(s->err);
			rc = zw_errf(s->err, ZW_ECONFLICT, "ports", "%s %s/%lld 已在开放端口登记中",
			             v[i].target_ip, v[i].protocol, (long long)v[i].port);
		}
	}
	app_ports_free(v, n);
	return rc;
}

/* TB-6: an approved re-filing becomes the unit's contact of that role (the first one of the
 * role is replaced, or one is added). */
static int refile_contact(struct step *s)
{
	const struct application *a = s->a;
	const char *role = blank(a->contact_role) ? "安全联系人" : a->contact_role;
	int64_t cid = 0;
	struct contact ct = {0};
	json_t *before = NULL, *after = NULL;
	int rc = store_contact_of_role(s->c, a->unit_id, role, &cid, s->err);
	if (!rc && cid) {
		rc = store_rec_get(s->c, "contacts", &contact_schema, cid, NULL, 0, &ct, s->err);
		before = rc ? NULL : rec_to_json(&contact_schema, &ct);
	} else if (!rc) {
		ct.unit_id = a->unit_id;
		ct.role = xstrdup(role);
		ct.post = xstrdup("");
		ct.email = xstrdup("");
	}
	if (!rc) {
		free(ct.name);
		free(ct.mobile);
		ct.name = xstrdup(a->contact_name);
		ct.mobile = xstrdup(a->contact_mobile);
		rc = cid ? store_rec_update(s->c, "contacts", &contact_schema, &ct, clock_now(),
		                            s->err)
		         : store_rec_insert(s->c, "contacts", &contact_schema, &ct, clock_now(),
		                            &cid, s->err);
	}
	if (!rc) {
		rec_free(&contact_schema, &ct);
		memset(&ct, 0, sizeof(ct));
		rc = store_rec_get(s->c, "contacts", &contact_schema, cid, NULL, 0, &ct, s->err);
	}
	if (!rc) {
		after = rec_to_json(&contact_schema, &ct);
		rc = audit_append(s->tx, s->x->by, "contact.refile", "contact", cid, a->unit_id,
		                  before, after, a->clause, s->err);
	}
	json_decref(before);
	json_decref(after);
	rec_free(&contact_schema, &ct);
	return rc;
}

/* 拆机: the unit's host addresses, subnets (quarantined) and VLANs go back to the plan; its
 * lines are marked 已拆除 (TB-15: lines no longer used are reported). */
static int dismantle(struct step *s)
{
	int64_t ids[512];
	size_t n = 0;
	int64_t unit = s->a->unit_id;
	int rc = store_unit_rows(s->c, "addresses", unit, ids, 512, &n, s->err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = registry_delete_tx(s->fx, &address_kind, s->tx, ids[i], s->err);
	if (!rc)
		rc = store_unit_rows(s->c, "prefixes", unit, ids, 512, &n, s->err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = prefix_release_tx(s->fx, s->env->cache, s->tx, s->env->ipam, ids[i], s->err);
	if (!rc)
		rc = store_unit_rows(s->c, "vlans", unit, ids, 512, &n, s->err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = registry_delete_tx(s->fx, &vlan_kind, s->tx, ids[i], s->err);
	if (!rc)
		rc = store_unit_rows(s->c, "lines", unit, ids, 512, &n, s->err);
	struct line gone = {.status = (char *)"已拆除"};
	uint64_t bit = (uint64_t)1 << rec_index(&line_schema, "status");
	for (size_t i = 0; !rc && i < n; i++)
		rc = registry_update_tx(s->fx, &line_kind, s->tx, ids[i], &gone, bit, s->err);
	if (!rc)
		rc = unit_set_status_tx(s->fx, s->tx, unit, "已拆机", s->a->clause,
		                        "变更申请：拆机", 0, s->err);
	return rc;
}

/* 移机: the unit's office address becomes the new one. */
static int move_unit(struct step *s)
{
	struct unit u = {0};
	int rc = store_rec_get(s->c, "units", &unit_schema, s->a->unit_id, NULL, 0, &u, s->err);
	json_t *before = rc ? NULL : unit_json(&u), *after = NULL;
	if (!rc) {
		free(u.address);
		u.address = xstrdup(s->a->new_address);
		rc = store_rec_update(s->c, "units", &unit_schema, &u, clock_now(), s->err);
	}
	if (!rc) {
		unit_free(&u);
		rc = store_rec_get(s->c, "units", &unit_schema, s->a->unit_id, NULL, 0, &u, s->err);
	}
	if (!rc) {
		after = unit_json(&u);
		rc = audit_append(s->tx, s->x->by, "unit.move", "unit", u.id, u.id, before, after,
		                  s->a->clause, s->err);
	}
	json_decref(before);
	json_decref(after);
	unit_free(&u);
	return rc;
}

/* ---- effects: the step's work ---- */

static int e_next_approver(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	(void)err;
	s->a->step++;
	step_roles(s->a, s->a->step, s->roles, sizeof(s->roles));
	return 0;
}

/* The decision: deadlines met, the carrier named, and what the kind brings with it. */
static int e_approve(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	struct application *a = s->a;
	a->decided_at = clock_now();
	int rc = close_deadlines(s->x, s->tx, a->id, NULL, false, err);
	if (!rc && s->t->carrier_id) {
		rc = registry_ref(s->c, "carriers", "carrier_id", "网络运营商", s->t->carrier_id,
		                  err);
		a->carrier_id = s->t->carrier_id;
	}
	if (!rc && strcmp(a->kind, "access") == 0 && s->t->allocate)
		rc = allocate(s);
	if (!rc && strcmp(a->kind, "port") == 0) {
		rc = register_ports(s);
		if (!rc && s->t->review_on) {
			free(a->review_on);
			a->review_on = xstrdup(s->t->review_on);
		}
	}
	if (!rc && strcmp(a->kind, "contact_refile") == 0)
		rc = refile_contact(s);
	if (!rc && s->k->implement) {
		snprintf(s->roles, sizeof(s->roles), "carrier,operator");
		rc = start_rule(s->x, s->tx, a, s->k->implement, clock_now(), &s->next, err);
	}
	return rc;
}

static int e_reject(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	s->a->decided_at = clock_now();
	free(s->a->reason);
	s->a->reason = xstrdup(s->t->reason);
	return close_deadlines(s->x, s->tx, s->a->id, NULL, false, err);
}

static int e_withdraw(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	return close_deadlines(s->x, s->tx, s->a->id, NULL, true, err);
}

static int pause_resume(struct step *s, bool pause, struct zw_err *err)
{
	int64_t ids[4];
	size_t n = 0;
	int rc =
	    store_open_deadlines(s->c, "application", s->a->id, s->k->implement, ids, 4, &n, err);
	if (!rc && !n)
		rc = zw_errf(err, ZW_ECONFLICT, "action", "没有计时中的实施期限");
	if (!rc) {
		s->next = ids[0];
		rc = pause ? deadline_pause_tx(s->x, s->tx, ids[0], s->t->reason, err)
		           : deadline_resume_tx(s->x, s->tx, ids[0], err);
	}
	return rc;
}

static int e_pause(void *cs, struct zw_err *err)
{
	return pause_resume(cs, true, err);
}

static int e_resume(void *cs, struct zw_err *err)
{
	return pause_resume(cs, false, err);
}

static int e_complete(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	struct application *a = s->a;
	int rc = close_deadlines(s->x, s->tx, a->id, NULL, false, err);
	if (!rc && strcmp(a->kind, "access") == 0)
		rc = unit_set_status_tx(s->fx, s->tx, a->unit_id, "已接入", NULL,
		                        "接入申请实施完成", 0, err);
	if (!rc && strcmp(a->kind, "change") == 0) {
		if (strcmp(a->change_type, "拆机") == 0)
			rc = dismantle(s);
		else if (strcmp(a->change_type, "移机") == 0)
			rc = move_unit(s);
	}
	a->completed_at = clock_now();
	return rc;
}

static int e_go_live(void *cs, struct zw_err *err)
{
	struct step *s = cs;
	(void)err;
	s->a->completed_at = clock_now();
	return 0;
}

/* ---- the table ---- */

#define DECIDING S_SUBMITTED " " S_REVIEWING
#define NONE     ACT_COUNT
static const struct wf_row rows[] = {
    {"review", "受理", S_SUBMITTED, S_REVIEWING, NONE, 0, g_approver, NULL,
     "the approver of the current step (the profile's approvals, in order)", NULL},
    {"approve", "批准", DECIDING, S_REVIEWING, NONE, 0, g_approve_next, e_next_approver,
     "an earlier approver of the order (MY-4: the authority first); assessed where required", NULL},
    {"approve", "批准", DECIDING, S_IMPLEMENTING, NONE, 0, g_approve_implement, e_approve,
     "the last approver; the kind is implemented (access, change): allocates the subnet and "
     "VLAN (access), starts the implementation deadline",
     NULL},
    {"approve", "批准", DECIDING, S_APPROVED, NONE, 0, g_approve_record, e_approve,
     "the last approver; the kind is recorded (ports enter the register, contacts are "
     "re-filed)",
     NULL},
    {"reject", "不予通过", DECIDING, S_REJECTED, NONE, WF_REASON, g_approver, e_reject,
     "the approver of the current step", NULL},
    {"withdraw", "撤回", DECIDING, S_WITHDRAWN, ACT_APPLICATION_SUBMIT, WF_CONFIRM, NULL,
     e_withdraw, "before the decision; deadlines cancelled", NULL},
    {"pause", "暂停实施", S_IMPLEMENTING, NULL, ACT_APPLICATION_IMPLEMENT, WF_REASON, g_running,
     e_pause, "the implementation deadline runs and the profile lets it pause", NULL},
    {"resume", "恢复实施", S_IMPLEMENTING, NULL, ACT_APPLICATION_IMPLEMENT, 0, g_paused, e_resume,
     "the implementation deadline is paused", NULL},
    {"complete", "实施完成", S_IMPLEMENTING, S_COMPLETED, ACT_APPLICATION_IMPLEMENT, WF_CONFIRM,
     NULL, e_complete, "access: the unit is connected (through the unit's own gate); 拆机, 移机",
     NULL},
    {"go_live", "上线", S_APPROVED, S_COMPLETED, ACT_APPLICATION_SUBMIT, 0, g_go_live, e_go_live,
     "system filings only; graded, tested and filed where the profile requires assessment", NULL},
};
#undef DECIDING
#undef NONE

WORKFLOW_BIND(struct step, s->a->status, s->x->by, s->a->unit_id, s->a->clause, s->t->reason)

static int wf_set_state(void *cs, const char *to, struct zw_err *err)
{
	struct application *a = ((struct step *)cs)->a;
	(void)err;
	free(a->status);
	a->status = xstrdup(to);
	return 0;
}

const struct workflow application_workflow = {
    .name = "application",
    .label = "申请",
    .states = statuses,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    WORKFLOW_GETTERS,
    .set_state = wf_set_state,
    .clause_doc = "the profile's `[workflow KIND]` clause, which the application keeps from "
                  "its submission",
};

/* The step's context: the effects on the registry are authorised by the workflow (fx). */
static int step_setup(struct step *s, const struct ctx *x, struct sconn *c, struct application *a,
                      struct zw_err *err)
{
	s->k = kind_def(a->kind);
	s->wf = profile_workflow(x->prof, a->kind);
	s->c = c;
	s->a = a;
	s->clause = a->clause;
	if (!s->k || !s->wf)
		return zw_errf(err, ZW_ERULE, "kind", "《%s》没有规定此类申请", x->prof->title);
	return 0;
}

int application_transition(const struct ctx *x, const struct app_env *env, int64_t id,
                           const json_t *body, struct zw_err *err)
{
	struct tr t = {0};
	uint64_t present = 0;
	int rc = rec_from_json(&application_transition_schema, body, true, &t, &present, err);
	if (!rc &&
	    !(present & ((uint64_t)1 << rec_index(&application_transition_schema, "allocate"))))
		t.allocate = true;
	if (!rc && t.reason && !utf8_valid(t.reason, strlen(t.reason), true))
		rc = zw_errf(err, ZW_EINVALID, "reason", "理由含非法字符");
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct application a = {0};
	struct principal wf_by = *x->by;
	wf_by.role = ROLE_SYSTEM;
	struct ctx fx = *x;
	fx.by = &wf_by;
	struct step s = {.x = x, .fx = &fx, .env = env, .tx = tx, .t = &t, .err = err};
	json_t *before = NULL;
	char *from = NULL;
	if (!rc)
		rc = load_app(store_tx_conn(tx), id, &a, err);
	if (!rc && authz_check(x->by, ACT_APPLICATION_READ, a.unit_id, err))
		rc = -err->code;
	if (!rc && t.if_rev && t.if_rev != a.rev)
		rc = zw_errf(err, ZW_ESTALE, NULL, NULL);
	if (!rc)
		rc = step_setup(&s, x, store_tx_conn(tx), &a, err);
	if (!rc) {
		before = rec_to_json(&application_schema, &a);
		from = xstrdup(a.status);
		rc = workflow_step(&application_workflow, &s, t.action, NULL, err);
	}
	if (!rc)
		rc = record(x, tx, &a, before, t.action, from, t.reason, s.clause, err);
	if (!rc)
		rc = notice(x, tx, &a, t.action, t.reason, s.clause, s.roles, s.next, err);
	if (tx) {
		if (rc || t.dry_run)
			store_rollback(tx);
		else
			rc = store_commit(tx, err);
	}
	json_decref(before);
	free(from);
	rec_free(&application_schema, &a);
	rec_free(&application_transition_schema, &t);
	return rc;
}

/* The steps open to the caller now (the console's buttons): the table's. */
static json_t *open_actions(const struct ctx *x, struct sconn *c, struct application *a)
{
	static const struct tr no_input;
	struct step s = {.x = x, .fx = x, .t = &no_input};
	if (step_setup(&s, x, c, a, &(struct zw_err){0}))
		return json_array();
	return workflow_actions(&application_workflow, &s);
}
/* ---- reading ---- */

int application_detail(const struct ctx *x, int64_t id, json_t **out, struct zw_err *err)
{
	struct application a = {0};
	int rc = registry_get(x, &application_kind, id, &a, err);
	if (rc) {
		rec_free(&application_schema, &a);
		return rc;
	}
	struct sconn *c = store_read(x->st, err);
	if (!c) {
		rec_free(&application_schema, &a);
		return -err->code;
	}
	json_t *o = rec_to_json(&application_schema, &a);
	json_object_set_new(o, "kind_label", json_string(application_kind_label(a.kind)));
	json_t *ports = json_array(), *events = json_array(), *deadlines = json_array();
	struct app_port *v = NULL;
	size_t n = 0;
	rc = application_granted(c, &a, o, err);
	if (!rc)
		rc = store_app_ports(c, id, &v, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		json_array_append_new(ports, rec_to_json(&app_port_schema, &v[i]));
	app_ports_free(v, n);
	if (!rc)
		rc = store_app_events(c, id, events, err);
	if (!rc)
		rc = deadline_subject_list(c, "application", id, deadlines, err);
	json_object_set_new(o, "ports", ports);
	workflow_label_events(&application_workflow, events, "提交");
	json_object_set_new(o, "events", events);
	json_object_set_new(o, "deadlines", deadlines);
	char who[32];
	if (!rc && (strcmp(a.status, S_SUBMITTED) == 0 || strcmp(a.status, S_REVIEWING) == 0) &&
	    list_word(a.approvals, (int)a.step, who, sizeof(who))) {
		const char *org = profile_org_name(x->prof, who);
		json_object_set_new(o, "awaiting",
		                    json_pack("{s:s, s:s}", "role", who, "name", org ? org : who));
	}
	if (!rc)
		json_object_set_new(o, "actions", open_actions(x, c, &a));
	rec_free(&application_schema, &a);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- the ports register as a firewall ruleset ---- */

struct fw {
	struct buf *b;
	bool nft;
	const char *exposure;
	int rows;
	/* The profile's port procedure (TB-17): a port registered by hand, on no approved
	 * application, is left closed and named at the end of the export. NULL: every registered
	 * port is opened (a county with no procedure keeps the register by hand). */
	const struct workflow_rule *procedure;
	struct buf unapproved;
};

/* A comment that stays inside double quotes on one line: quotes, backslashes and line breaks
 * become spaces, and it is cut at a character boundary to at most n - 1 bytes. */
static void comment_safe(const char *in, char *out, size_t n)
{
	size_t k = utf8_cut(in, n - 1);
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)in[i];
		out[i] = c == '"' || c == '\\' || c < 0x20 ? ' ' : (char)c;
	}
	out[k] = 0;
}

static int fw_row(const struct app_port *p, int64_t unit_id, const char *unit,
                  const char *review_on, void *ctx)
{
	struct fw *f = ctx;
	if (!ZW_MUTANT("tb23_exposure") && strcmp(p->exposure, f->exposure) != 0)
		return 0;
	char note[120], raw[600];
	text_printf(raw, sizeof(raw), "%s %s%s%s", unit, p->purpose, review_on ? " 复核 " : "",
	            review_on ? review_on : "");
	comment_safe(raw, note, sizeof(note));
	if (f->procedure && !p->application_id && !ZW_MUTANT("tb17_hand_ports")) {
		buf_printf(&f->unapproved, "#   端口 %lld：%s %s %s/%lld %s\n", (long long)p->id,
		           p->exposure, p->target_ip, p->protocol, (long long)p->port, note);
		return 0;
	}
	bool v6 = strchr(p->target_ip, ':') != NULL;
	f->rows++;
	(void)unit_id;
	if (f->nft)
		buf_printf(f->b, "\t\t%s daddr %s %s dport %lld accept comment \"%s\"\n",
		           v6 ? "ip6" : "ip", p->target_ip, p->protocol, (long long)p->port, note);
	else if (!v6) /* iptables-restore carries IPv4; IPv6 goes to ip6tables (not exported) */
		buf_printf(f->b,
		           "-A %s -d %s/32 -p %s -m %s --dport %lld -m comment --comment \"%s\" -j "
		           "ACCEPT\n",
		           strcmp(f->exposure, "互联网") == 0 ? "ZWNET_INTERNET" : "ZWNET_EXTRANET",
		           p->target_ip, p->protocol, p->protocol, (long long)p->port, note);
	return 0; /* past a buffer's maximum: ports_export fails as a whole at the end */
}

int ports_export(const struct ctx *x, const char *format, struct buf *out, struct zw_err *err)
{
	bool nft = format && strcmp(format, "nftables") == 0;
	if (!nft && !(format && strcmp(format, "iptables") == 0))
		return zw_errf(err, ZW_EINVALID, "format", "format 只能是 nftables 或 iptables");
	enum scope sc = authz_scope(x->by, ACT_ASSET_READ);
	if (sc == SCOPE_NONE)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, NULL);
	int64_t unit = sc == SCOPE_OWN_UNIT ? x->by->unit_id : 0;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -err->code;
	char stamp[32];
	format_time(clock_now(), stamp);
	struct fw f = {.b = out, .nft = nft, .procedure = profile_workflow(x->prof, "port")};
	buf_init(&f.unapproved, out->max);
	buf_printf(out,
	           "# zwnet：%s（%s），生成于 %s\n"
	           "# 在处理进入单位方向流量的规则中跳转到下面的链，未列出的新建连接被丢弃。\n",
	           f.procedure ? "经端口开通申请批准开放的端口" : "端口登记中的端口",
	           x->prof->title, stamp);
	buf_puts(out, nft ? "table inet zwnet_ports {\n"
	                  : "*filter\n:ZWNET_EXTRANET - [0:0]\n:ZWNET_INTERNET - [0:0]\n");
	static const char *const chains[][2] = {{"政务外网", "extranet"}, {"互联网", "internet"}};
	int rc = 0;
	for (int i = 0; !rc && i < 2; i++) {
		f.exposure = chains[i][0];
		if (nft)
			buf_printf(out, "\tchain %s {\n\t\tct state established,related accept\n",
			           chains[i][1]);
		else
			buf_printf(out,
			           "-A %s -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n",
			           i ? "ZWNET_INTERNET" : "ZWNET_EXTRANET");
		rc = store_ports_scan(c, unit, fw_row, &f, err);
		bool drop = !ZW_MUTANT("tb23_default_drop"); /* TB-23: new connections not listed */
		if (nft)
			buf_printf(out, "%s\t}\n", drop ? "\t\tct state new drop\n" : "");
		else if (drop)
			buf_printf(out, "-A %s -m conntrack --ctstate NEW -j DROP\n",
			           i ? "ZWNET_INTERNET" : "ZWNET_EXTRANET");
	}
	buf_puts(out, nft ? "}\n" : "COMMIT\n");
	/* a firewall is given the whole ruleset or none: a lost line is a port left open or
	 * closed, or a chain without its end */
	if (!rc)
		rc = buf_check(&f.unapproved, err, "未经批准的端口清单");
	if (!rc && f.unapproved.len) {
		char cite[64];
		profile_first_clause(f.procedure->clause, cite, sizeof(cite));
		buf_printf(out,
		           "# 以下端口为手工登记，未经端口开通申请审核批准（%s），不予开放：\n%s",
		           cite, f.unapproved.p);
	}
	if (!rc)
		rc = buf_check(out, err, "导出的规则");
	buf_free(&f.unapproved);
	return rc;
}

int application_approve_access(const struct ctx *x, int64_t unit_id, const char *address,
                               int64_t *id, struct zw_err *err)
{
	json_t *app = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "kind",
	                        "access", "unit_id", (json_int_t)unit_id, "user_type", "党政机关",
	                        "address", address && *address ? address : "县政务服务中心",
	                        "admin_name", "网络管理员", "admin_mobile", "13800000000",
	                        "tech_name", "技术联系人", "tech_mobile", "13800000001", "ip_count",
	                        30, "bandwidth_mbps", 100, "purpose", "电子政务业务办公");
	const struct workflow_rule *w = profile_workflow(x->prof, "access");
	if (w && w->assessment_required) {
		json_object_set_new(app, "assessment_org", json_string("县网络安全等级测评中心"));
		json_object_set_new(app, "assessment_on", json_string("2025-03-01"));
		json_object_set_new(app, "assessment_conclusion", json_string("符合"));
	}
	struct app_env env = {0};
	int rc = application_submit(x, &env, app, id, err);
	json_decref(app);
	json_t *approve = json_pack("{s:s, s:b}", "action", "approve", "allocate", 0);
	for (int i = 0; !rc && i < 4; i++) {
		struct application a = {0};
		struct sconn *c = store_read(x->st, err);
		rc = c ? load_app(c, *id, &a, err) : -err->code;
		bool done = !rc && strcmp(a.status, S_IMPLEMENTING) == 0;
		rec_free(&application_schema, &a);
		if (rc || done)
			break;
		rc = application_transition(x, &env, *id, approve, err);
	}
	json_decref(approve);
	return rc;
}
