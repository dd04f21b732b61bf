/*
 * assets: the rest of the per-unit archive (LN-21) and of the network's inventory.
 *
 *   carriers      运营商 (JX-17, LN-27): the organisations that maintain the lines
 *   lines         线路: carrier, bandwidth, endpoints, who pays (TB-8), status
 *   devices       设备 (JX-15, JX-16, TB-16): routers, switches, firewalls, isolation devices,
 *                 APs; owner (center or unit) and custodian; SNMP access with its secrets
 *                 sealed by core/secret (never shown, never in the audit log)
 *   domain_names  域名 of a unit (LN-21)
 *   ports         通信端口 published for a unit (LN-21)
 *
 * All are registry kinds; the center (manager) and its O&M team keep them, a unit_admin
 * reads its own unit's.
 */
#ifndef ZW_DOMAIN_ASSETS_H
#define ZW_DOMAIN_ASSETS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/registry.h"

struct carrier {
	int64_t id;
	char *name, *short_name, *contact_name, *contact_mobile, *service_phone, *note;
	int64_t created_at, updated_at, rev;
};

struct line {
	int64_t id, carrier_id, unit_id;
	char *circuit_id;
	int64_t bandwidth_mbps;
	char *endpoint_a, *endpoint_b, *payer, *status, *note;
	int64_t created_at, updated_at, rev;
};

struct device {
	int64_t id;
	char *name, *kind, *owner;
	int64_t unit_id;
	char *custodian, *model, *serial, *mgmt_ip, *mac, *location;
	char *snmp_version, *snmp_community, *snmp_user, *snmp_auth_key, *snmp_priv_key;
	bool snmp_secrets_set;
	char *note;
	int64_t created_at, updated_at, rev;
};

struct domain_name {
	int64_t id, unit_id;
	char *name, *target, *note;
	int64_t created_at, updated_at, rev;
};

struct port {
	int64_t id, unit_id;
	char *protocol;
	int64_t port;
	char *target_ip, *purpose, *note;
	char *exposure; /* 政务外网 or 互联网 (SS-14: extranet or internet port) */
	int64_t application_id;
	char *review_on;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema carrier_schema, line_schema, device_schema, domain_name_schema,
    port_schema;
extern const struct registry_kind carrier_kind, line_kind, device_kind, domain_name_kind, port_kind;

#endif
