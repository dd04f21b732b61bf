#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "api/handlers.h"
#include "api/server.h"
#include "api/throttle.h"
#include "core/text.h"
#include "core/parse.h"
#include "api/registry_api.h"
#include "domain/org/account.h"
#include "domain/org/unit.h"
#include "domain/ipam/address.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/deadline.h"
#include "domain/violation/finding.h"
#include "domain/inventory/terminal.h"
#include "domain/ops/change.h"
#include "domain/ops/duty.h"
#include "domain/ops/maintenance.h"
#include "domain/ops/outage.h"
#include "domain/ops/plan.h"
#include "domain/ops/ticket.h"
#include "domain/violation/violation.h"

#define P             ROUTE_PUBLIC
#define PROBE_ONLY    (ROUTE_SCOPE(TSCOPE_PROBE) | ROUTE_MACHINE_ONLY)
#define ENFORCER_ONLY (ROUTE_SCOPE(TSCOPE_ENFORCER) | ROUTE_MACHINE_ONLY)
#define RADIUS_ONLY   (ROUTE_SCOPE(TSCOPE_RADIUS) | ROUTE_MACHINE_ONLY)
/* a manager's session reads the metrics too: a scope, not a machine-only route */
#define METRICS ROUTE_SCOPE(TSCOPE_METRICS)
/* Every route of the API. The OpenAPI document (api/openapi.json, and for the rows naming a
 * registry kind api/openapi.c) lists exactly these; the routes test keeps them in step. A row
 * names a kind only when its handler serves one (the generic reg_* handlers, or one of their
 * shape), so the others leave it out. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct route routes[] = {
    {"GET", "/api/v1/health", h_health, P | ROUTE_OPTIONAL_AUTH, "", "健康检查"},
    {"GET", "/api/v1/openapi.json", h_openapi, P, "", "OpenAPI 文档"},
    {"GET", "/api/v1/metrics", h_metrics, METRICS, "", "运行指标（Prometheus 文本格式）"},
    {"POST", "/api/v1/session", h_login, P, "", "登录"},
    {"GET", "/api/v1/session", h_whoami, 0, "", "当前会话"},
    {"DELETE", "/api/v1/session", h_logout, 0, "", "退出登录"},
    {"POST", "/api/v1/session/password", h_password_change, 0, "", "修改本人密码"},
    {"GET", "/api/v1/tokens", h_tokens_list, 0, "all", "API 令牌列表"},
    {"POST", "/api/v1/tokens", h_tokens_create, ROUTE_SECRET_ANSWER, "", "创建 API 令牌"},
    {"DELETE", "/api/v1/tokens/{id}", h_token_revoke, 0, "", "吊销 API 令牌"},
    {"GET", "/api/v1/users", reg_list, 0, "*", "用户列表", &user_kind},
    {"POST", "/api/v1/users", h_users_create, 0, "", "创建用户", &user_kind},
    {"GET", "/api/v1/users/{id}", reg_get, 0, "", "查看用户", &user_kind},
    {"PATCH", "/api/v1/users/{id}", h_user_patch, 0, "", "修改用户", &user_kind},
    {"POST", "/api/v1/users/{id}/password", h_user_password, 0, "", "重置用户密码"},
    {"GET", "/api/v1/profile", h_profile, 0, "texts", "当前管理办法"},
    {"GET", "/api/v1/profile/clauses/{clause}", h_profile_clause, 0, "", "条款全文"},
    {"GET", "/api/v1/schemas", h_schemas, 0, "", "各类记录的字段规则（供表单校验）"},
    {"GET", "/api/v1/audit", h_audit_list, 0, "*", "审计日志"},
    {"GET", "/api/v1/audit/verify", h_audit_verify, 0, "", "校验审计日志"},
    {"GET", "/api/v1/units", reg_list, 0, "*", "单位列表", &unit_kind},
    {"POST", "/api/v1/units", reg_create, 0, "", "登记单位", &unit_kind},
    {"GET", "/api/v1/units/{id}", reg_get, 0, "", "查看单位", &unit_kind},
    {"PATCH", "/api/v1/units/{id}", reg_patch, 0, "", "修改单位", &unit_kind},
    {"POST", "/api/v1/units/{id}/status", h_unit_status, 0, "", "变更单位接入状态"},
    {"GET", "/api/v1/units/{id}/history", h_unit_history, 0, "", "单位状态变更记录"},
    {"GET", "/api/v1/units/{id}/archive", h_unit_archive, 0, "format", "单位档案（LN-21）"},
    {"GET", "/api/v1/units/{id}/contacts", reg_list, 0, "", "单位联系人", &contact_kind},
    {"POST", "/api/v1/units/{id}/contacts", reg_create, 0, "", "添加联系人", &contact_kind},
    {"PATCH", "/api/v1/units/{id}/contacts/{cid}", reg_patch, 0, "", "修改联系人", &contact_kind},
    {"DELETE", "/api/v1/units/{id}/contacts/{cid}", reg_delete, 0, "", "删除联系人", &contact_kind},
    {"GET", "/api/v1/units/{id}/agreements", reg_list, 0, "", "单位协议", &agreement_kind},
    {"POST", "/api/v1/units/{id}/agreements", reg_create, 0, "", "登记协议", &agreement_kind},
    {"GET", "/api/v1/units/{id}/agreements/{aid}", reg_get, 0, "", "查看协议", &agreement_kind},
    {"PATCH", "/api/v1/units/{id}/agreements/{aid}", reg_patch, 0, "", "修改协议", &agreement_kind},
    {"DELETE", "/api/v1/units/{id}/agreements/{aid}", reg_delete, 0, "", "删除协议",
     &agreement_kind},
    {"PUT", "/api/v1/units/{id}/agreements/{aid}/scan", h_agreement_scan_put, ROUTE_UPLOAD,
     "filename", "上传协议扫描件"},
    {"GET", "/api/v1/units/{id}/agreements/{aid}/scan", h_agreement_scan_get, 0, "",
     "下载协议扫描件"},
    {"GET", "/api/v1/zones", reg_list, 0, "*", "区域列表", &zone_kind},
    {"POST", "/api/v1/zones", reg_create, 0, "", "登记区域", &zone_kind},
    {"GET", "/api/v1/zones/{id}", reg_get, 0, "", "查看区域", &zone_kind},
    {"PATCH", "/api/v1/zones/{id}", reg_patch, 0, "", "修改区域", &zone_kind},
    {"DELETE", "/api/v1/zones/{id}", reg_delete, 0, "", "删除区域", &zone_kind},
    {"GET", "/api/v1/vlans", reg_list, 0, "*", "VLAN 列表", &vlan_kind},
    {"POST", "/api/v1/vlans", reg_create, 0, "", "划分 VLAN", &vlan_kind},
    {"GET", "/api/v1/vlans/{id}", reg_get, 0, "", "查看 VLAN", &vlan_kind},
    {"PATCH", "/api/v1/vlans/{id}", reg_patch, 0, "", "修改 VLAN", &vlan_kind},
    {"DELETE", "/api/v1/vlans/{id}", reg_delete, 0, "", "删除 VLAN", &vlan_kind},
    {"GET", "/api/v1/prefixes", reg_list, 0, "*", "地址段列表", &prefix_kind},
    {"POST", "/api/v1/prefixes", h_prefixes_create, 0, "", "登记地址段（指定地址）", &prefix_kind},
    {"POST", "/api/v1/prefixes/allocate", h_prefixes_allocate, 0, "", "按区域为单位分配地址段"},
    {"GET", "/api/v1/prefixes/{id}", reg_get, 0, "", "查看地址段", &prefix_kind},
    {"PATCH", "/api/v1/prefixes/{id}", reg_patch, 0, "", "修改地址段", &prefix_kind},
    {"DELETE", "/api/v1/prefixes/{id}", h_prefix_delete, 0, "", "释放地址段", &prefix_kind},
    {"POST", "/api/v1/prefixes/{id}/allocate", h_prefix_allocate, 0, "", "从容器中分配地址段"},
    {"GET", "/api/v1/prefixes/{id}/free", h_prefix_free, 0, "", "空闲地址块"},
    {"GET", "/api/v1/terminals", reg_list, 0, "*", "终端列表", &terminal_kind},
    {"POST", "/api/v1/terminals", reg_create, 0, "", "登记终端", &terminal_kind},
    {"GET", "/api/v1/terminals/compliance", h_terminals_compliance, 0, "unit_id limit",
     "终端合规检查"},
    {"GET", "/api/v1/terminals/{id}", reg_get, 0, "", "查看终端", &terminal_kind},
    {"PATCH", "/api/v1/terminals/{id}", reg_patch, 0, "", "修改终端", &terminal_kind},
    {"DELETE", "/api/v1/terminals/{id}", reg_delete, 0, "", "删除终端", &terminal_kind},
    {"GET", "/api/v1/addresses", reg_list, 0, "*", "主机地址列表", &address_kind},
    {"POST", "/api/v1/addresses", reg_create, 0, "", "分配主机地址（不给地址则取下一个空闲地址）",
     &address_kind},
    {"GET", "/api/v1/addresses/{id}", reg_get, 0, "", "查看主机地址", &address_kind},
    {"PATCH", "/api/v1/addresses/{id}", reg_patch, 0, "", "修改主机地址", &address_kind},
    {"DELETE", "/api/v1/addresses/{id}", reg_delete, 0, "", "释放主机地址", &address_kind},
    {"GET", "/api/v1/exports/dhcp", h_export_dhcp, 0, "format prefix_id", "导出 DHCP 地址保留配置"},
    {"GET", "/api/v1/carriers", reg_list, 0, "*", "运营商列表", &carrier_kind},
    {"POST", "/api/v1/carriers", reg_create, 0, "", "登记运营商", &carrier_kind},
    {"GET", "/api/v1/carriers/{id}", reg_get, 0, "", "查看运营商", &carrier_kind},
    {"PATCH", "/api/v1/carriers/{id}", reg_patch, 0, "", "修改运营商", &carrier_kind},
    {"DELETE", "/api/v1/carriers/{id}", reg_delete, 0, "", "删除运营商", &carrier_kind},
    {"GET", "/api/v1/lines", reg_list, 0, "*", "线路列表", &line_kind},
    {"POST", "/api/v1/lines", reg_create, 0, "", "登记线路", &line_kind},
    {"GET", "/api/v1/lines/{id}", reg_get, 0, "", "查看线路", &line_kind},
    {"PATCH", "/api/v1/lines/{id}", reg_patch, 0, "", "修改线路", &line_kind},
    {"DELETE", "/api/v1/lines/{id}", reg_delete, 0, "", "删除线路", &line_kind},
    {"GET", "/api/v1/devices", reg_list, 0, "*", "设备列表", &device_kind},
    {"POST", "/api/v1/devices", reg_create, 0, "", "登记设备", &device_kind},
    {"GET", "/api/v1/devices/{id}", reg_get, 0, "", "查看设备", &device_kind},
    {"PATCH", "/api/v1/devices/{id}", reg_patch, 0, "", "修改设备", &device_kind},
    {"DELETE", "/api/v1/devices/{id}", reg_delete, 0, "", "删除设备", &device_kind},
    {"GET", "/api/v1/domain-names", reg_list, 0, "*", "域名列表", &domain_name_kind},
    {"POST", "/api/v1/domain-names", reg_create, 0, "", "登记域名", &domain_name_kind},
    {"GET", "/api/v1/domain-names/{id}", reg_get, 0, "", "查看域名", &domain_name_kind},
    {"PATCH", "/api/v1/domain-names/{id}", reg_patch, 0, "", "修改域名", &domain_name_kind},
    {"DELETE", "/api/v1/domain-names/{id}", reg_delete, 0, "", "删除域名", &domain_name_kind},
    {"GET", "/api/v1/ports", reg_list, 0, "*", "端口列表", &port_kind},
    {"POST", "/api/v1/ports", reg_create, 0, "", "登记端口", &port_kind},
    {"GET", "/api/v1/ports/{id}", reg_get, 0, "", "查看端口", &port_kind},
    {"PATCH", "/api/v1/ports/{id}", reg_patch, 0, "", "修改端口", &port_kind},
    {"DELETE", "/api/v1/ports/{id}", reg_delete, 0, "", "删除端口", &port_kind},
    {"GET", "/api/v1/imports", h_import_kinds, 0, "", "可导入的表格及其列"},
    {"POST", "/api/v1/imports/{kind}", h_import, ROUTE_UPLOAD, "dry_run good_rows_only sheet",
     "导入表格（单位、联系人、地址段、主机地址、终端、设备、线路）"},
    {"GET", "/api/v1/imports/{kind}/template", h_import_template, 0, "", "下载导入模板（xlsx）"},
    {"GET", "/api/v1/imports/{kind}/export", h_import_export, 0, "",
     "按导入模板的格式导出登记表（xlsx）"},
    {"GET", "/api/v1/exports/plan", h_export_plan, 0, "", "导出地址规划（CSV）"},
    {"GET", "/api/v1/calendar/add", h_calendar_add, 0, "from working_days", "推算工作日期限"},
    {"GET", "/api/v1/calendar/{year}", h_calendar_year, 0, "", "全年日历"},
    {"PUT", "/api/v1/calendar/{year}", h_calendar_load, 0, "", "载入一年的放假与调休安排"},
    {"GET", "/api/v1/applications", reg_list, 0, "*", "申请列表（接入、变更、端口开通等）",
     &application_kind},
    {"POST", "/api/v1/applications", h_applications_create, 0, "", "提交申请"},
    {"GET", "/api/v1/applications/{id}", h_application_get, 0, "", "查看申请（含办理记录和期限）"},
    {"POST", "/api/v1/applications/{id}/transitions", h_application_transition, 0, "",
     "办理申请：受理、批准、不予批准、撤回、暂停/恢复实施、实施完成、上线"},
    {"GET", "/api/v1/exports/ports", h_ports_export, 0, "format", "导出已批准开放端口的防火墙规则"},
    {"GET", "/api/v1/applications/{id}/form", h_application_form, 0, "format",
     "申请表（可打印 HTML 或 PDF）"},
    {"GET", "/api/v1/applications/{id}/notice", h_application_notice, 0, "format",
     "审核结果通知书（可打印 HTML 或 PDF）"},
    {"GET", "/api/v1/units/{id}/agreement-documents/{kind}", h_agreement_document, 0, "format",
     "协议文本（按管理办法范本填好单位，HTML 或 PDF）"},
    {"POST", "/api/v1/observations", h_observations, PROBE_ONLY, "", "探针上报一批观测"},
    {"GET", "/api/v1/findings", reg_list, 0, "*", "监测发现列表", &finding_kind},
    {"GET", "/api/v1/findings/{id}", h_finding_get, 0, "", "查看监测发现（含证据）"},
    {"POST", "/api/v1/findings/{id}/transitions", h_finding_transition, 0, "", "排除监测发现"},
    {"GET", "/api/v1/probes", reg_list, 0, "*", "探针及其运行状况", &probe_kind},
    {"GET", "/api/v1/probes/devices", h_agent_devices, PROBE_ONLY, "",
     "探针轮询的设备及其 SNMP 凭据（仅探针令牌）"},
    {"GET", "/api/v1/enforcement", h_enforcement_get, ROUTE_SCOPE(TSCOPE_ENFORCER), "detail",
     "断网隔离的目标状态（执行器读取）"},
    {"POST", "/api/v1/enforcement/report", h_enforcement_report, ENFORCER_ONLY, "",
     "执行器上报已应用的状态"},
    {"POST", "/api/v1/radius/authorize", h_radius_authorize, RADIUS_ONLY, "",
     "RADIUS 授权（FreeRADIUS rlm_rest：MAC 认证、802.1X）"},
    {"POST", "/api/v1/radius/post-auth", h_radius_post_auth, RADIUS_ONLY, "",
     "RADIUS 认证后（802.1X 的 VLAN 分配）"},
    {"GET", "/api/v1/violations", reg_list, 0, "*", "违规事项列表", &violation_kind},
    {"POST", "/api/v1/violations", h_violations_create, 0, "", "登记违规事项（检查发现）"},
    {"GET", "/api/v1/violations/{id}", h_violation_get, 0, "", "查看违规事项及处理经过"},
    {"GET", "/api/v1/violations/{id}/notice", h_violation_notice, 0, "format",
     "违规处理（限期整改、取消入网资格）通知书（HTML 或 PDF）"},
    {"GET", "/api/v1/violations/{id}/acl", h_violation_acl, 0, "vendor op",
     "断网与恢复的交换机 ACL 配置（华为 VRP、新华三 Comware、思科 IOS）"},
    {"POST", "/api/v1/violations/{id}/transitions", h_violation_transition, 0, "",
     "处理违规事项：通知、断网、整改、核实、恢复接入、升级、排除、维修费用"},
    {"GET", "/api/v1/tickets", reg_list, 0, "*", "故障工单列表（含响应、修复计时）", &ticket_kind},
    {"POST", "/api/v1/tickets", h_tickets_create, 0, "", "报修（故障工单）"},
    {"GET", "/api/v1/tickets/sla", h_tickets_sla, 0, "month",
     "故障工单月度履约报表（按运营商和故障类别：响应、修复用时与超时）"},
    {"GET", "/api/v1/tickets/{id}", h_ticket_get, 0, "", "查看故障工单及处理经过"},
    {"GET", "/api/v1/tickets/{id}/paper", h_ticket_paper, 0, "format",
     "故障工单（打印 HTML 或 PDF）：报修、派单、计时、处理经过、签字栏"},
    {"POST", "/api/v1/tickets/{id}/transitions", h_ticket_transition, 0, "",
     "办理故障工单：派单、响应、暂停计时、改派、调整故障类别、修复、确认、撤销"},
    {"GET", "/api/v1/maintenance", reg_list, 0, "*", "停机维护通知列表", &maintenance_kind},
    {"POST", "/api/v1/maintenance", h_maintenance_create, 0, "",
     "报备停机维护（至少提前报管理单位）"},
    {"GET", "/api/v1/maintenance/{id}", h_maintenance_get, 0, "", "查看停机维护通知及办理经过"},
    {"POST", "/api/v1/maintenance/{id}/transitions", h_maintenance_transition, 0, "",
     "办理停机维护通知：同意、不同意、撤销、完成"},
    {"GET", "/api/v1/outages", reg_list, 0, "*", "中断记录（监测发现的中断、恢复、关联工单）",
     &outage_kind},
    {"GET", "/api/v1/outages/health", reg_list, 0, "*",
     "网络运行状况：各单位网关是否在线、自何时起、时延及近 24 小时趋势", &unit_health_kind},
    {"GET", "/api/v1/outages/monitor", h_outage_monitor, 0, "",
     "中断监测的设置与最近一轮检测（是否开启、间隔、阈值、检测了多少单位）"},
    {"GET", "/api/v1/outages/{id}", reg_get, 0, "", "查看中断记录", &outage_kind},
    {"GET", "/api/v1/duty", reg_list, 0, "*", "值班表（排班、接班、交班）", &duty_shift_kind},
    {"POST", "/api/v1/duty", h_duty_create, 0, "", "排班"},
    {"GET", "/api/v1/duty/log", h_duty_log, 0, "day format",
     "值班日志（打印 HTML 或 PDF）：一日各班次的值班人、日常检查、发现和处理情况、交接事项"},
    {"GET", "/api/v1/duty/{id}", h_duty_get, 0, "", "查看值班及值班日志、日常检查项目"},
    {"POST", "/api/v1/duty/{id}/transitions", h_duty_transition, 0, "",
     "办理值班：接班、交班（须记录本县办法规定的日常检查）、取消排班"},
    {"GET", "/api/v1/duty/{id}/entries", reg_list, 0, "", "值班日志", &duty_entry_kind},
    {"POST", "/api/v1/duty/{id}/entries", reg_create, 0, "", "记录值班日志或日常检查结果",
     &duty_entry_kind},
    {"GET", "/api/v1/changes", reg_list, 0, "*", "变更记录列表", &change_kind},
    {"POST", "/api/v1/changes", h_change_create, 0, "", "登记系统或网络设备变更"},
    {"GET", "/api/v1/changes/{id}", h_change_get, 0, "", "查看变更记录及办理经过"},
    {"POST", "/api/v1/changes/{id}/transitions", h_change_transition, 0, "",
     "办理变更：补充应急措施和回退方案、批准、不批准、已实施、已回退、撤销"},
    {"GET", "/api/v1/plans", reg_list, 0, "*", "应急预案和灾难恢复预案列表", &plan_kind},
    {"POST", "/api/v1/plans", h_plan_create, 0, "", "起草应急预案"},
    {"GET", "/api/v1/plans/missing", h_plans_missing, 0, "",
     "未制定应急预案（或预案未施行）的已接入单位（本县办法要求各单位制定时）"},
    {"GET", "/api/v1/plans/{id}", h_plan_get, 0, "", "查看应急预案及办理经过"},
    {"POST", "/api/v1/plans/{id}/transitions", h_plan_transition, 0, "",
     "办理应急预案：发布施行、报备、登记备案、备案退回、复审、废止"},
    {"GET", "/api/v1/plans/{id}/drills", reg_list, 0, "", "预案的演练记录", &plan_drill_kind},
    {"POST", "/api/v1/plans/{id}/drills", reg_create, 0, "", "记录一次预案演练", &plan_drill_kind},
    {"GET", "/api/v1/deadlines", reg_list, 0, "*", "期限列表（到期、暂停、超期）", &deadline_kind},
    {"GET", "/api/v1/deadlines/{id}", reg_get, 0, "", "查看期限", &deadline_kind},
    {"POST", "/api/v1/deadlines/{id}/pause", h_deadline_pause, 0, "", "暂停计时（须说明原因）"},
    {"POST", "/api/v1/deadlines/{id}/resume", h_deadline_resume, 0, "", "恢复计时"},
    {"GET", "/api/v1/inbox", h_inbox_list, 0, "unread limit cursor", "我的站内消息（最新在前）"},
    {"POST", "/api/v1/inbox/{id}/read", h_inbox_read, 0, "", "标记消息已读"},
    {"POST", "/api/v1/inbox/read", h_inbox_read_all, 0, "", "全部标为已读"},
    {"GET", "/api/v1/session/mail", h_mail_prefs_get, 0, "", "本人的邮件提醒设置"},
    {"PUT", "/api/v1/session/mail", h_mail_prefs_put, 0, "", "修改本人的邮件提醒设置"},
    {"GET", "/api/v1/agreements/missing", h_agreements_missing, 0, "", "未签或需补签协议的单位"},
    {"GET", "/api/v1/search", h_search, 0, "q", "全局搜索"},
};
#pragma GCC diagnostic pop
#undef P
#undef PROBE_ONLY
#undef ENFORCER_ONLY
#undef RADIUS_ONLY
#undef METRICS
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);

int fail(struct req *r, int rc, const struct zw_err *err)
{
	if (rc >= 0)
		return 0;
	if (err && err->code)
		reply_error(r, err);
	else
		reply_code(r, -rc, NULL, NULL);
	return 1;
}

int route_match(const char *pattern, const char *path, struct req *r)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			size_t slen = se ? (size_t)(se - s) : strlen(s);
			if (!pe || slen == 0)
				return 0;
			char seg[128];
			if (slen >= sizeof(seg))
				return 0;
			memcpy(seg, s, slen);
			seg[slen] = 0;
			bool is_id = pe - p >= 3 && pe[-1] == 'd' && pe[-2] == 'i';
			if (is_id) {
				int64_t v;
				if (np >= REQ_MAX_PARAMS || parse_i64(seg, 1, INT64_MAX, &v) < 0)
					return 0;
				if (r)
					r->params[np] = v;
				np++;
			} else if (r) {
				snprintf(r->sparam, sizeof(r->sparam), "%s", seg);
			}
			p = pe + 1;
			s += slen;
			continue;
		}
		if (*p != *s)
			return 0;
		p++, s++;
	}
	if (*p || *s)
		return 0;
	if (r)
		r->nparams = np;
	return 1;
}

static int route_params(const char *pattern)
{
	int n = 0;
	for (; *pattern; pattern++)
		n += *pattern == '{';
	return n;
}

static const char *cookie_token(struct req *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "zwnet_session");
}

static int authenticate(struct req *r, struct zw_err *err)
{
	const char *auth = req_header(r, "Authorization");
	const char *tok = NULL;
	bool cookie = false;
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return zw_errf(err, ZW_EUNAUTHENTICATED, "Authorization",
			               "Authorization 应为 Bearer 令牌");
		tok = auth + 7;
	} else if ((tok = cookie_token(r))) {
		cookie = true;
	} else {
		return zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
	}
	if (strlen(tok) >= sizeof(r->token))
		return zw_errf(err, ZW_EUNAUTHENTICATED, NULL, NULL);
	char csrf[40] = "";
	struct principal p = r->who;
	int rc = account_authenticate(r->srv->st, tok, &p, csrf, err);
	if (rc)
		return rc;
	p.via_cookie = cookie;
	if (cookie && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		const char *given = req_header(r, "X-CSRF-Token");
		if (!csrf[0] || !given || strlen(given) != strlen(csrf) ||
		    sodium_memcmp(given, csrf, strlen(csrf)) != 0)
			return zw_errf(err, ZW_ECSRF, "X-CSRF-Token", NULL);
	}
	r->who = p;
	r->authed = true;
	snprintf(r->token, sizeof(r->token), "%s", tok);
	return 0;
}

/* A machine's token reaches only the routes naming one of its scopes; a route only for
 * machines refuses a person. */
static int token_scope_gate(const struct route *rt, const struct principal *p, struct zw_err *err)
{
	unsigned route = ROUTE_SCOPES(rt->flags);
	char have[TOKEN_SCOPE_TEXT], need[TOKEN_SCOPE_TEXT];
	token_scope_format(p->scopes, have);
	token_scope_format(route, need);
	if (p->scopes && !(p->scopes & route))
		return zw_errf(err, ZW_EFORBIDDEN, "Authorization",
		               "此令牌的权限范围（%s）不包括此接口", have);
	if (!p->scopes && (rt->flags & ROUTE_MACHINE_ONLY))
		return zw_errf(err, ZW_EFORBIDDEN, "Authorization",
		               "此接口只接受权限范围为 %s 的专用令牌", need);
	return 0;
}

struct param_check {
	const char *allowed; /* space-separated names, or "*" for any */
	char bad[64];
	const char *why;
};

/* Every query parameter: known to the route, and text without NUL or control characters
 * (a %00 would otherwise cut the value short without anyone noticing). */
static enum MHD_Result check_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	struct param_check *pc = cls;
	snprintf(pc->bad, sizeof(pc->bad), "%.*s", CUT(key, 40));
	if (!utf8_valid(pc->bad, strlen(pc->bad), false))
		snprintf(pc->bad, sizeof(pc->bad), "?");
	if (key_size != strlen(key) || !utf8_valid(key, key_size, false)) {
		pc->why = "参数名含有非法字符";
		return MHD_NO;
	}
	if (value && (value_size != strlen(value) || !utf8_valid(value, value_size, false))) {
		pc->why = "参数值含有空字符、控制字符或无效编码";
		return MHD_NO;
	}
	if (strcmp(pc->allowed, "*") == 0)
		return MHD_YES;
	for (const char *p = pc->allowed; *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (len == key_size && strncmp(p, key, len) == 0)
			return MHD_YES;
		p += len + (sp ? 1 : 0);
	}
	pc->why = "不支持的查询参数";
	return MHD_NO;
}

const struct route *route_find(const char *method, const char *url, char *allow, size_t n)
{
	/* A literal segment wins over a parameter: /calendar/add is that route's path, so PUT on
	 * it is 405, not a year called "add". Among the routes matching with the fewest
	 * parameters, the method picks one; none is 405 with the methods there are. */
	if (n)
		allow[0] = 0;
	int fewest = INT_MAX;
	for (size_t i = 0; i < nroutes; i++)
		if (route_params(routes[i].path) < fewest && route_match(routes[i].path, url, NULL))
			fewest = route_params(routes[i].path);
	for (size_t i = 0; i < nroutes && fewest < INT_MAX; i++) {
		if (route_params(routes[i].path) != fewest ||
		    !route_match(routes[i].path, url, NULL))
			continue;
		if (strcmp(routes[i].method, method) == 0)
			return &routes[i];
		size_t len = n ? strlen(allow) : 0;
		if (n && !strstr(allow, routes[i].method))
			snprintf(allow + len, n - len, "%s%s", len ? ", " : "", routes[i].method);
	}
	return NULL;
}

void route_dispatch(struct req *r)
{
	r->routed = true;
	if (strncmp(r->url, "/api/", 5) != 0) {
		r->web = true;
		h_web(r);
		return;
	}
	char allow[64];
	const struct route *hit = route_find(r->method, r->url, allow, sizeof(allow));
	r->rt = hit;
	if (!hit) {
		if (allow[0]) {
			reply_code(r, ZW_EMETHOD, NULL, "此地址只支持：%s", allow);
			if (r->resp)
				MHD_add_response_header(r->resp, "Allow", allow);
		} else {
			reply_code(r, ZW_ENOTFOUND, NULL, "没有这个接口：%.*s", CUT(r->url, 100));
		}
		return;
	}
	route_match(hit->path, r->url, r);
	r->kind = hit->kind;
	if ((hit->flags & ROUTE_UPLOAD) == 0 && r->is_upload) {
		reply_code(r, ZW_EMETHOD, NULL, NULL);
		return;
	}
	struct param_check pc = {hit->params, "", NULL};
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_param, &pc);
	if (pc.why) {
		reply_code(r, ZW_EINVALID, pc.bad, "%s：“%s”", pc.why, pc.bad);
		return;
	}
	if (!(hit->flags & ROUTE_PUBLIC)) {
		struct zw_err err = {0};
		if (authenticate(r, &err) < 0 || token_scope_gate(hit, &r->who, &err) < 0) {
			reply_error(r, &err);
			return;
		}
	} else if (hit->flags & ROUTE_OPTIONAL_AUTH) {
		struct zw_err err = {0};
		struct principal anon = r->who;
		if (authenticate(r, &err) < 0) { /* goes on as anonymous */
			r->who = anon;
			r->authed = false;
		}
	}
	idem_dispatch(r, hit->fn, hit->flags & ROUTE_SECRET_ANSWER);
}
