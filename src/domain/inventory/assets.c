#include "domain/inventory/assets.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inet.h"
#include "core/parse.h"
#include "core/secret.h"
#include "store/rec.h"
#include "core/xalloc.h"

/* ---- carriers ---- */

#define F(st, n, t, fl, lbl, max) REC_F(st, n, t, fl, lbl, max)
static const struct rec_field carrier_fields[] = {
    F(struct carrier, id, REC_ID, REC_READONLY, "编号", 0),
    F(struct carrier, name, REC_TEXT, REC_REQUIRED | REC_NAME | REC_SORT | REC_SEARCH, "运营商名称",
      100),
    F(struct carrier, short_name, REC_TEXT, REC_NAME, "简称", 30),
    F(struct carrier, contact_name, REC_TEXT, REC_NAME, "联系人", 30),
    F(struct carrier, contact_mobile, REC_MOBILE, 0, "联系人手机", 11),
    F(struct carrier, service_phone, REC_TEXT, 0, "故障申告电话", 30),
    F(struct carrier, note, REC_TEXT, REC_MULTILINE, "备注", 500),
    REC_META(struct carrier),
};
const struct rec_schema carrier_schema = {"carrier", carrier_fields,
                                          sizeof(carrier_fields) / sizeof(carrier_fields[0]),
                                          sizeof(struct carrier)};
const struct registry_kind carrier_kind = {
    .table = "carriers",
    .object = "carrier",
    .label = "运营商",
    .sc = &carrier_schema,
    .read = ACT_ASSET_READ,
    .write = ACT_ASSET_WRITE,
    .unique_field = "name",
};

/* ---- lines ---- */

static const char *const payers[] = {"管理单位", "使用单位", NULL};
static const char *const payer_codes[] = {"manager", "unit", NULL};
static const char *const line_statuses[] = {"在用", "停用", "已拆除", NULL};
static const char *const line_status_codes[] = {"in_use", "idle", "removed", NULL};

static const struct rec_field line_fields[] = {
    F(struct line, id, REC_ID, REC_READONLY, "编号", 0),
    F(struct line, carrier_id, REC_ID, REC_REQUIRED | REC_FILTER, "运营商", 0),
    F(struct line, unit_id, REC_ID, REC_NULLABLE | REC_FILTER, "使用单位", 0),
    F(struct line, circuit_id, REC_TEXT, REC_REQUIRED | REC_SEARCH, "线路编号", 50),
    {"bandwidth_mbps", REC_INT, REC_REQUIRED, offsetof(struct line, bandwidth_mbps), "带宽（Mbps）",
     0, NULL, 1, 400000, NULL, NULL},
    F(struct line, endpoint_a, REC_TEXT, 0, "A 端", 100),
    F(struct line, endpoint_b, REC_TEXT, 0, "Z 端", 100),
    REC_FEC(struct line, payer, REC_REQUIRED | REC_FILTER, "费用承担", payers, payer_codes),
    REC_FEC(struct line, status, REC_REQUIRED | REC_FILTER, "线路状态", line_statuses,
            line_status_codes),
    F(struct line, note, REC_TEXT, REC_MULTILINE, "备注", 500),
    REC_META(struct line),
};
const struct rec_schema line_schema = {
    "line", line_fields, sizeof(line_fields) / sizeof(line_fields[0]), sizeof(struct line)};

static int line_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                      struct zw_err *err)
{
	(void)x, (void)old;
	const struct line *l = rec;
	if (!l)
		return 0;
	int rc = registry_ref(c, "carriers", "carrier_id", "运营商", l->carrier_id, err);
	if (!rc)
		rc = registry_ref(c, "units", "unit_id", "单位", l->unit_id, err);
	return rc;
}

const struct registry_kind line_kind = {
    .table = "lines",
    .object = "line",
    .label = "线路",
    .sc = &line_schema,
    .read = ACT_ASSET_READ,
    .write = ACT_ASSET_WRITE,
    .unit_field = "unit_id",
    .check = line_check,
    .unique_field = "circuit_id",
};

/* ---- devices ---- */

static const char *const device_kinds[] = {"路由器", "交换机", "防火墙", "隔离设备",
                                           "无线AP", "其他",   NULL};
static const char *const device_kind_codes[] = {"router", "switch", "firewall", "isolation",
                                                "ap",     "other",  NULL};
static const char *const owners[] = {"信息中心", "使用单位", NULL};
static const char *const owner_codes[] = {"center", "unit", NULL};
static const char *const snmp_versions[] = {"none", "v2c", "v3", NULL};
static const char *const snmp_version_labels[] = {"不使用", "v2c", "v3", NULL};

static const struct rec_field device_fields[] = {
    F(struct device, id, REC_ID, REC_READONLY, "编号", 0),
    F(struct device, name, REC_TEXT, REC_REQUIRED | REC_NAME | REC_SORT | REC_SEARCH, "设备名称",
      100),
    REC_FEC(struct device, kind, REC_REQUIRED | REC_FILTER, "设备类型", device_kinds,
            device_kind_codes),
    REC_FEC(struct device, owner, REC_REQUIRED | REC_FILTER, "产权", owners, owner_codes),
    F(struct device, unit_id, REC_ID, REC_NULLABLE | REC_FILTER, "所在单位", 0),
    F(struct device, custodian, REC_TEXT, REC_NAME, "保管人", 30),
    F(struct device, model, REC_TEXT, 0, "型号", 100),
    F(struct device, serial, REC_TEXT, 0, "序列号", 100),
    F(struct device, mgmt_ip, REC_IP, REC_NULLABLE | REC_FILTER, "管理地址", 45),
    F(struct device, location, REC_TEXT, 0, "位置", 100),
    REC_FEL(struct device, snmp_version, 0, "SNMP 版本", snmp_versions, snmp_version_labels),
    F(struct device, snmp_community, REC_TEXT, REC_WRITEONLY | REC_NULLABLE, "SNMP 团体名", 100),
    F(struct device, snmp_user, REC_TEXT, 0, "SNMPv3 用户", 64),
    F(struct device, snmp_auth_key, REC_TEXT, REC_WRITEONLY | REC_NULLABLE, "SNMPv3 认证密钥", 100),
    F(struct device, snmp_priv_key, REC_TEXT, REC_WRITEONLY | REC_NULLABLE, "SNMPv3 加密密钥", 100),
    F(struct device, snmp_secrets_set, REC_BOOL, REC_READONLY, "已设置 SNMP 凭据", 0),
    F(struct device, note, REC_TEXT, REC_MULTILINE, "备注", 500),
    REC_META(struct device),
};
const struct rec_schema device_schema = {"device", device_fields,
                                         sizeof(device_fields) / sizeof(device_fields[0]),
                                         sizeof(struct device)};

/* A secret given in plain text is sealed before it is stored; one that did not change stays.
 * The field table refuses an empty secret (the client cannot read it back, so "" could mean
 * "leave it" as well as "remove it") and one that looks sealed already; omitting the field
 * leaves the stored secret, null removes it. */
static int seal(const struct device *old, char **slot, char *const *old_slot, struct zw_err *err)
{
	if (!*slot || !**slot || (old && *old_slot && strcmp(*slot, *old_slot) == 0))
		return 0;
	char *sealed;
	int rc = secret_seal(*slot, &sealed, err);
	if (rc)
		return rc;
	size_t n = strlen(*slot);
	memset(*slot, 0, n);
	free(*slot);
	*slot = sealed;
	return 0;
}

static int device_check(const struct ctx *x, struct sconn *c, void *rec, const void *vold,
                        struct zw_err *err)
{
	(void)x;
	struct device *d = rec;
	const struct device *o = vold;
	if (!d)
		return 0;
	int rc = registry_ref(c, "units", "unit_id", "单位", d->unit_id, err);
	if (!rc && strcmp(d->owner, "使用单位") == 0 && !d->unit_id)
		rc = zw_errf(err, ZW_EINVALID, "unit_id", "产权属于使用单位的设备须指明单位");
	/* a device registered without SNMP is simply not polled */
	if (!rc && (!d->snmp_version || !*d->snmp_version)) {
		free(d->snmp_version);
		d->snmp_version = xstrdup("none");
	}
	if (!rc)
		rc = seal(o, &d->snmp_community, o ? &o->snmp_community : NULL, err);
	if (!rc)
		rc = seal(o, &d->snmp_auth_key, o ? &o->snmp_auth_key : NULL, err);
	if (!rc)
		rc = seal(o, &d->snmp_priv_key, o ? &o->snmp_priv_key : NULL, err);
	d->snmp_secrets_set = (d->snmp_community && *d->snmp_community) ||
	                      (d->snmp_auth_key && *d->snmp_auth_key) ||
	                      (d->snmp_priv_key && *d->snmp_priv_key);
	return rc;
}

const struct registry_kind device_kind = {
    .table = "devices",
    .object = "device",
    .label = "设备",
    .sc = &device_schema,
    .read = ACT_ASSET_READ,
    .write = ACT_ASSET_WRITE,
    .unit_field = "unit_id",
    .check = device_check,
    .unique_field = "name",
};

/* ---- domain names and ports (LN-21) ---- */

static const struct rec_field domain_name_fields[] = {
    F(struct domain_name, id, REC_ID, REC_READONLY, "编号", 0),
    F(struct domain_name, unit_id, REC_ID, REC_REQUIRED | REC_FILTER, "单位", 0),
    F(struct domain_name, name, REC_DOMAIN, REC_REQUIRED | REC_SORT, "域名", 253),
    F(struct domain_name, target, REC_TEXT, 0, "指向", 253),
    F(struct domain_name, note, REC_TEXT, REC_MULTILINE, "备注", 500),
    REC_META(struct domain_name),
};
const struct rec_schema domain_name_schema = {
    "domain_name", domain_name_fields, sizeof(domain_name_fields) / sizeof(domain_name_fields[0]),
    sizeof(struct domain_name)};

static int domain_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                        struct zw_err *err)
{
	(void)x, (void)old;
	struct domain_name *d = rec;
	if (!d)
		return 0;
	/* the name's syntax (and lower case) is the field table's (REC_DOMAIN) */
	return registry_ref(c, "units", "unit_id", "单位", d->unit_id, err);
}

const struct registry_kind domain_name_kind = {
    .table = "domain_names",
    .object = "domain_name",
    .label = "域名",
    .sc = &domain_name_schema,
    .read = ACT_ASSET_READ,
    .write = ACT_ASSET_WRITE,
    .unit_field = "unit_id",
    .check = domain_check,
    .unique_field = "name",
};

static const char *const protocols[] = {"tcp", "udp", NULL};
static const char *const port_exposures[] = {"政务外网", "互联网", NULL};

static const struct rec_field port_fields[] = {
    F(struct port, id, REC_ID, REC_READONLY, "编号", 0),
    F(struct port, unit_id, REC_ID, REC_REQUIRED | REC_FILTER, "单位", 0),
    REC_FE(struct port, protocol, REC_REQUIRED, "协议", protocols),
    {"port", REC_INT, REC_REQUIRED, offsetof(struct port, port), "端口", 0, NULL, 1, 65535, NULL,
     NULL},
    F(struct port, target_ip, REC_IP, REC_REQUIRED, "目标地址", 45),
    F(struct port, purpose, REC_TEXT, REC_REQUIRED, "用途", 200),
    F(struct port, note, REC_TEXT, REC_MULTILINE, "备注", 500),
    REC_FE(struct port, exposure, 0, "开放范围", port_exposures),
    F(struct port, application_id, REC_ID, REC_READONLY, "端口开通申请", 0),
    F(struct port, review_on, REC_DATE, REC_NULLABLE, "复核日期", 10),
    REC_META(struct port),
};
#undef F
const struct rec_schema port_schema = {
    "port", port_fields, sizeof(port_fields) / sizeof(port_fields[0]), sizeof(struct port)};

static int port_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                      struct zw_err *err)
{
	(void)x, (void)old;
	struct port *p = rec;
	if (!p)
		return 0;
	if (!p->exposure)
		p->exposure = xstrdup("政务外网");
	return registry_ref(c, "units", "unit_id", "单位", p->unit_id, err);
}

const struct registry_kind port_kind = {
    .table = "ports",
    .object = "port",
    .label = "端口",
    .sc = &port_schema,
    .read = ACT_ASSET_READ,
    .write = ACT_ASSET_WRITE,
    .unit_field = "unit_id",
    .check = port_check,
    .unique_field = "port",
};
