/*
 * enforcement: what the wire must isolate, as `zwnet enforce` reads it, and what each enforcer
 * reports it applied.
 *
 * The state is the isolations of cases in force (violation.h), one element per value and
 * kind: ip4, ip6, mac (a terminal), net4, net6 (a unit's blocks), and the addresses isolated
 * hosts may still reach (allow4, allow6: the center's remediation servers, from the
 * isolation_allow setting), with the change count that moves whenever an isolation is added
 * or lifted.
 */
#ifndef ZW_DOMAIN_ENFORCEMENT_H
#define ZW_DOMAIN_ENFORCEMENT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/ctx.h"
#include "domain/violation/violation.h"

/* The kinds of isolation with what each cuts off: [{name, label}] ("net4", "IPv4 地址段"). */
json_t *enforcement_kinds_json(void);
/* Check an isolation_allow list (addresses or CIDRs, comma separated). */
int enforcement_allow_check(const char *list, struct zw_err *err);
/* {generation, sets:{ip4 ip6 mac net4 net6 allow4 allow6}}, with detail also
 * entries (each isolation with its case and unit) and enforcers (their last reports). */
int enforcement_state(const struct ctx *x, const struct violation_policy *vp, bool detail,
                      json_t **out, struct zw_err *err);
/* An enforcer's report: {name, generation, ok, applied:{kind: count}, error?}. */
int enforcement_report(const struct ctx *x, const json_t *body, const char *source,
                       struct zw_err *err);

/* The devices a probe polls over SNMP with their credentials opened (probe tokens only):
 * [{id, name, mgmt_ip, snmp_version, community, user, auth_key, priv_key}]. */
int agent_devices(const struct ctx *x, json_t **out, struct zw_err *err);

#endif
