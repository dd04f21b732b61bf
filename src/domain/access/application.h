/*
 * application: the paper procedures of the regulations as state machines (REQUIREMENTS.md §2,
 * §3). One table holds every kind; a kind names the fields it accepts and requires, the
 * profile's deadline rules for its review and its implementation, and what approval and
 * completion do to the rest of the registry:
 *
 *   access          接入申请 (TB-13 附件1, MY-4, LN-16, SS-10, JX-9/LN-17)
 *   change          变更申请 (TB-15 附件2: 移机, 拆机, 其他)
 *   port            端口开通申请 (SS-14, TB-17): one row per port
 *   egress          互联网出口特殊需求 (SS-9, MY-6)
 *   interconnect    业务专网互联、整合迁移 (SS-12, TB-18, TB-24)
 *   system          信息系统备案 with its 等保 level and the go-live gate (MY-7, SS-15)
 *   lan             局域网升级改造备案 (LN-23)
 *   contact_refile  安全联系人变更备案, within 1 working day of the change (TB-6)
 *
 * The profile's [workflow <kind>] says whether the county has the procedure at all, who
 * approves and in which order (MY-4: the authority, then the manager), and whether a
 * security assessment is required before approval (SS-10):
 *
 *   submitted ──review──▶ reviewing ──approve (each step)──▶ approved | implementing
 *      │  └──────────────approve──────────────┘     │                  │
 *      ├──reject (reason)──▶ rejected               │(system) go_live  │ complete (carrier)
 *      └──withdraw──▶ withdrawn                     ▼                  ▼
 *                                                completed          completed
 *   implementing ──pause (reason)──▶ implementing (deadline paused) ──resume──▶ ...
 *
 * Every transition runs in one transaction with its event row, its audit entry citing the
 * clause, its deadlines (started, met, paused, cancelled) and its outbox notice. An access
 * approval allocates the unit's subnet and VLAN; its completion connects the unit (refused
 * without the agreements the profile requires). A 拆机 change releases the unit's addresses,
 * VLANs and lines and marks the unit 已拆机. An approved port application enters the ports
 * register, which exports as an nftables ruleset or an iptables-restore file.
 */
#ifndef ZW_DOMAIN_APPLICATION_H
#define ZW_DOMAIN_APPLICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/ipam/ipam.h"
#include "domain/registry.h"

struct application {
	int64_t id;
	char *kind;
	int64_t unit_id;
	char *status;
	int64_t step;
	char *approvals, *clause;
	char *user_type, *user_type_other, *address;
	char *admin_name, *admin_mobile, *tech_name, *tech_mobile;
	int64_t ip_count, bandwidth_mbps;
	char *purpose, *change_type, *change_other, *new_address;
	char *assessment_org, *assessment_on, *assessment_conclusion;
	char *djcp_level, *djcp_filing_no, *djcp_test_on;
	char *egress_provider, *valid_until;
	char *network_name, *interconnect_type, *isolation_device, *plan;
	char *system_name, *hosting, *go_live_on, *planned_on;
	char *contact_role, *contact_name, *contact_mobile, *changed_on;
	char *review_on;
	int64_t carrier_id, zone_id, prefix_id, vlan_id;
	char *reason, *submitted_by;
	int64_t decided_at, completed_at;
	int64_t created_at, updated_at, rev;
};

/* One port of a port application (and of the approved register). */
struct app_port {
	int64_t id, application_id;
	char *exposure, *protocol;
	int64_t port;
	char *target_ip, *purpose;
};

extern const struct rec_schema application_schema, app_port_schema;
/* The body of a transition (POST /applications/{id}/transitions). */
extern const struct rec_schema application_transition_schema;
extern const struct registry_kind application_kind; /* read through the registry */

/* What the kind is called, or NULL when there is no such kind. */
const char *application_kind_label(const char *kind);
/* The fields the kind accepts (space separated) and the profile's [deadline] keys of its review
 * and implementation (NULL where it has none); false when there is no such kind. */
bool application_kind_info(const char *kind, const char **fields, const char **review,
                           const char **implement);
/* The i-th status an application can be in, as stored ("已提交"), with its code ("submitted")
 * and whether the application is still being handled (not completed, rejected or withdrawn);
 * NULL past the last. */
const char *application_status_at(size_t i, const char **code, bool *open);
/* Every kind with its label, the fields it accepts and those it requires:
 * [{"kind", "label", "fields": [...], "required": [...]}] (for forms). */
json_t *application_kinds_json(void);

/* The IP-management context an application step may need. */
struct app_env {
	struct ipam_cache *cache;
	const struct ipam_cfg *ipam;
};

/* Submit: body is the application (kind, unit_id and the kind's fields, "ports" for a port
 * application). */
int application_submit(const struct ctx *x, const struct app_env *env, const json_t *body,
                       int64_t *id, struct zw_err *err);
/* Move one: body {"action": review|approve|reject|withdraw|pause|resume|complete|go_live,
 * "reason", "if_rev", and for an access approval "zone_id"/"parent_id", "vid", "carrier_id",
 * "allocate"; for a port approval "review_on"}. */
int application_transition(const struct ctx *x, const struct app_env *env, int64_t id,
                           const json_t *body, struct zw_err *err);
/* An access application for the unit submitted and approved at every step (no addresses
 * allocated), ready to be implemented: for the demo data and for tests. The principal must
 * be able to approve every step (the CLI). */
int application_approve_access(const struct ctx *x, int64_t unit_id, const char *address,
                               int64_t *id, struct zw_err *err);
/* The application with its ports, events and deadlines. */
int application_detail(const struct ctx *x, int64_t id, json_t **out, struct zw_err *err);

/* The approved ports as a firewall ruleset: format "nftables" or "iptables". */
int ports_export(const struct ctx *x, const char *format, struct buf *out, struct zw_err *err);

#endif
