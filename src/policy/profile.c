#include "policy/profile.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"

const char *const profile_shipped[] = {"jiaxian", "miyun", "shengsi", "luoning", "tongbai", NULL};

/* ---- vocabularies: the values the code acts on ---- */

struct vocab {
	const char *what; /* its name in a message */
	const char *const *values;
};

#define VOCAB(id, what, ...)                                                                       \
	static const char *const id##_values[] = {__VA_ARGS__, NULL};                              \
	static const struct vocab id = {what, id##_values}

VOCAB(v_org_roles, "机构角色", "manager", "authority", "operator", "carrier", "supervisor",
      "funding", "leadership", "unit");
VOCAB(v_deadlines, "期限", "access_review", "access_implement", "change_review", "change_implement",
      "contact_refile", "rectification", "port_review", "egress_review", "filing_review",
      "maintenance_notice", "plan_review", "plan_drill");
VOCAB(v_parties, "协议签署方", "unit", "carrier", "vendor", "vendor_staff", "staff");
VOCAB(v_workflows, "流程", "access", "change", "port", "egress", "interconnect", "system", "lan",
      "contact_refile");
VOCAB(v_approvers, "审批角色", "manager", "authority");
/* What the server finds itself: the watch rules (watch.h FINDING_MAP), the terminal register
 * (classified equipment) and RADIUS (unregistered terminals). Every other behaviour is the
 * profile's own, found by inspection. */
VOCAB(v_detected, "自动发现的禁止行为", "unregistered_terminal", "private_address_change", "attack",
      "device_tamper", "wireless_device", "classified_equipment");
VOCAB(v_sanctions, "处理措施", "record", "warn", "restrict", "block", "isolate_terminal",
      "suspend_unit", "criticize", "rectify", "revoke", "prosecute");
VOCAB(v_ustatus, "单位状态", "applying", "connected", "suspended", "revoked", "disconnected");
VOCAB(v_basis, "basis", "regulation", "practice");
/* The unit levels (单位层级) of the register: the unit's field table takes them from here, and
 * a fault SLA class names the levels it covers. */
const char *const unit_level_values[] = {"县直", "乡镇", "村/社区", "核心机房", NULL};
static const struct vocab v_unit_levels = {"单位层级", unit_level_values};
VOCAB(v_status, "status", "in_force", "draft");
VOCAB(v_validity_rule, "validity_rule", "civil_code");

static bool in(const char *const *v, const char *s)
{
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

/* "a, b, c" of a vocabulary, for messages and the docs. */
static void vocab_join(const struct vocab *v, const char *sep, const char *quote, char *out,
                       size_t n)
{
	size_t at = 0;
	out[0] = 0;
	for (const char *const *x = v->values; *x && at < n; x++)
		at += (size_t)text_printf(out + at, n - at, "%s%s%s%s", x == v->values ? "" : sep,
		                          quote, *x, quote);
}

/* ---- the section tables ---- */

enum pk_kind {
	PK_TEXT, /* const char * (one of vocab when given) */
	PK_INT,  /* int within [min, max] */
	PK_BOOL, /* bool */
	PK_DATE, /* int32_t days, PROFILE_NO_DATE when absent */
	PK_LIST, /* const char *: comma-separated items (each one of vocab when given) */
	PK_REFS, /* const char *: one or more clause ids of this profile */
	PK_REF,  /* const char *: one clause or annex id of this profile */
};

struct pkey {
	const char *name;
	enum pk_kind kind;
	bool required;
	size_t off; /* into the section's struct */
	const struct vocab *vocab;
	int min, max;
	const char *doc;
};

enum ps_shape {
	PS_TOP,  /* [profile]: fields of struct profile, members of the JSON root */
	PS_ONE,  /* [type]: fields of struct profile, one JSON object */
	PS_MANY, /* [type NAME]: an array of structs, a JSON array */
	PS_MAP,  /* [type NAME]: an array of structs, a JSON object NAME -> its first key */
};

struct psection {
	const char *type;
	enum ps_shape shape;
	unsigned min, max; /* max 0 = unlimited */
	const struct pkey *keys;
	const struct vocab *names;         /* allowed NAMEs, or NULL */
	const char *name_json;             /* the member holding NAME in the JSON */
	size_t arr, count, size, name_off; /* PS_MANY/PS_MAP: where the array is, element layout */
	size_t has;                        /* PS_ONE with min 0: the bool telling it is there */
	const char *json;                  /* NULL: not in profile_to_json's generic part */
	int (*check)(struct profile *p, const struct conf_section *s, void *rec,
	             struct zw_err *err);
	const char *doc;
};

#define KEY(st, f, n, k, req, v, lo, hi, d)                                                        \
	{                                                                                          \
		n, k, req, offsetof(st, f), v, lo, hi, d                                           \
	}
#define KT(st, f, n, req, d)         KEY(st, f, n, PK_TEXT, req, NULL, 0, 0, d)
#define KV(st, f, n, req, v, d)      KEY(st, f, n, PK_TEXT, req, &v, 0, 0, d)
#define KI(st, f, n, req, lo, hi, d) KEY(st, f, n, PK_INT, req, NULL, lo, hi, d)
#define KB(st, f, n, req, d)         KEY(st, f, n, PK_BOOL, req, NULL, 0, 0, d)
#define KD(st, f, n, req, d)         KEY(st, f, n, PK_DATE, req, NULL, 0, 0, d)
#define KL(st, f, n, req, v, d)      KEY(st, f, n, PK_LIST, req, v, 0, 0, d)
#define KC(st, f, n, req, d)         KEY(st, f, n, PK_REFS, req, NULL, 0, 0, d)
#define KA(st, f, n, req, d)         KEY(st, f, n, PK_REF, req, NULL, 0, 0, d)
#define P                            struct profile

static const struct pkey k_profile[] = {
    KT(P, id, "id", true, "equals the file name without `.conf`"),
    KT(P, county, "county", true, "e.g. 佳县"),
    KT(P, prefix, "prefix", true, "clause id prefix, e.g. `JX` (at most 8 bytes)"),
    KT(P, title, "title", true, "the regulation's title"),
    KT(P, doc_number, "doc_number", false, "e.g. 佳政办发〔2024〕58号 (a draft may have none)"),
    KT(P, issuer, "issuer", true, "e.g. 佳县人民政府办公室"),
    KD(P, issued, "issued", false, "date of issue"),
    KD(P, effective, "effective", false, "date it takes effect; a fixed validity runs from it"),
    KT(P, validity, "validity", true,
       "how long it is in force: `none` (no period stated), or `<N>y`, `<N>m`, `<N>d` "
       "(有效期2年: `2y`); the last day in force (`expires` in the API) is computed from "
       "`effective` by `validity_rule`"),
    KV(P, validity_rule, "validity_rule", false, v_validity_rule,
       "required with a period: `civil_code` = 民法典 第二百零一、二百零二条 (the first day is not "
       "counted; the period ends on the corresponding day of the last month, or that month's "
       "last day when it has none): 2y from 2024-11-28 is in force to 2026-11-28 and lapses "
       "from 2026-11-29"),
    KV(P, status, "status", true, v_status, "whether it is in force or a draft"),
    KT(P, repeals, "repeals", false, "what it repeals"),
    KT(P, network_name, "network_name", true,
       "what the regulation calls the network (县政务网络, 政务外网, ...)"),
    KA(P, validity_clause, "validity_clause", false, "the clause that sets the dates"),
    KT(P, source, "source", true, "file name of the regulation text in shared/regulations"),
    KT(P, note, "note", false, "remarks (e.g. how the text was transcribed)"),
    {0}};

#define O struct organisation
static const struct pkey k_org[] = {
    KV(O, role, "role", true, v_org_roles, "what it does here"),
    KT(O, name, "name", true, "full name as in the regulation"),
    KT(O, short_name, "short", false, "the short name the regulation defines (县信息化中心, ...)"),
    KC(O, clause, "clause", true, "clause ids that name it"),
    KT(O, members, "members", false, "block: roster lines (SS leadership group)"),
    {0}};
#undef O

#define C struct clause
static const struct pkey k_clause[] = {
    KI(C, article, "article", true, 1, 999, "article number"),
    KT(C, chapter, "chapter", false, "chapter heading as published (第三章 网络安全管理)"),
    KT(C, summary, "summary", true, "one line, Simplified Chinese"),
    KT(C, text, "text", true, "block: the article's full text as published, starting with 第N条"),
    {0}};
static const struct pkey k_annex[] = {KT(C, title, "title", true, "the annex's title"),
                                      KT(C, text, "text", true, "block: full text as published"),
                                      {0}};
#undef C

#define D struct deadline_rule
static const struct pkey k_deadline[] = {
    KT(D, label, "label", true, "the regulation's name for it, as notices say it (接入申请审核)"),
    KC(D, clause, "clause", true, "the clauses that set it"),
    KI(D, working_days, "working_days", false, 1, 365,
       "N Chinese working days (exactly one of working_days and hours)"),
    KI(D, hours, "hours", false, 1, 8760, "N hours on the wall clock"),
    KB(D, pausable, "pausable", false, "may be paused/extended with a reason"),
    KV(D, basis, "basis", true, v_basis,
       "`regulation` (the number is in the text) or `practice` (the text says 限期/及时 "
       "without a number; the county's chosen value, explained in note)"),
    KT(D, note, "note", false, "required when basis is practice"),
    {0}};
#undef D

#define S struct sla_rule
static const struct pkey k_sla[] = {
    KT(S, name, "name", true, "县直单位, 乡镇区域, 核心机房, 复杂故障, ..."),
    KI(S, respond_hours, "respond_hours", false, 0, 720, "response time"),
    KI(S, repair_hours, "repair_hours", true, 1, 720, "repair time"),
    KC(S, clause, "clause", true, "the clauses that set it"),
    KL(S, levels, "levels", false, &v_unit_levels,
       "the unit levels (单位层级) whose faults are of this class; a class naming none (复杂故障) "
       "is reached only by reclassifying a ticket, with a reason"),
    {0}};
#undef S

#define R struct pause_rule
static const struct pkey k_pause[] = {
    KT(R, name, "name", true,
       "what the repair waits for, as the ticket says it (使用单位不具备进场条件)"),
    KC(R, clause, "clause", true, "the clauses it rests on"),
    KV(R, basis, "basis", true, v_basis,
       "`regulation` (the text allows it) or `practice` (the county's rule, explained in note)"),
    KT(R, note, "note", false, "required when basis is practice"),
    {0}};
#undef R

static const struct pkey k_faults[] = {
    KC(P, fault_report_clause, "report_clause", true,
       "the clauses on reporting a fault (7×24 故障报告制度, TB-11's routing)"),
    KC(P, fault_lan_clause, "lan_clause", false,
       "the clauses that make a fault of the unit's own LAN the unit's to solve (TB-11); none: "
       "every fault goes to the manager"),
    {0}};

VOCAB(v_change_parts, "变更记录的内容", "emergency_measures", "rollback_plan");
static const struct pkey k_change[] = {
    KL(P, change_requires, "requires", true, &v_change_parts,
       "what a change record must carry before it is approved: `emergency_measures` (应急措施), "
       "`rollback_plan` (回退方案)"),
    KC(P, change_clause, "clause", true, "the clauses that require it"),
    {0}};

static const struct pkey k_duty[] = {
    KL(P, duty_checks, "checks", true, NULL,
       "the daily checks (日常检查项目) every shift records before it is handed over"),
    KC(P, duty_clause, "clause", true, "the clauses that require the duty system"),
    {0}};

static const struct pkey k_plans[] = {
    KC(P, plans_clause, "clause", true, "the clauses that require the plans (JX-18, LN-13)"),
    KT(P, plans_filing, "filing_authority", false,
       "the organisation (its [organisation] key) the manager's plans are filed with before "
       "they take effect (佳县: city_data_bureau, 榆林市数据局); none: a plan takes effect when "
       "published"),
    KB(P, plans_every_unit, "every_unit", false,
       "every connected unit keeps an emergency plan of its own in force (LN-13(二)); the "
       "units without one are listed"),
    {0}};

static const struct pkey k_maint[] = {
    KI(P, maintenance_notice_hours, "notice_hours", true, 0, 8760, "notice before an interruption"),
    KB(P, maintenance_approval, "approval_required", true, "the interruption must be approved"),
    KC(P, maintenance_clause, "clause", true, "the clauses that set it"),
    {0}};

#define A struct agreement_kind
static const struct pkey k_agreement[] = {
    KT(A, name, "name", true, "保密协议, 网络安全责任书, 安全保密承诺书, ..."),
    KV(A, party, "party", true, v_parties, "who signs it"),
    KC(A, clause, "clause", true, "the clauses that require it"),
    KB(A, required_for_connection, "required_for_connection", true,
       "connection refused without it"),
    KB(A, backfill, "backfill", false,
       "units connected before the regulation must sign afterwards (补签)"),
    KA(A, template_id, "template", false, "annex id holding the template"),
    {0}};
#undef A

#define W struct workflow_rule
static const struct pkey k_workflow[] = {
    KL(W, approvals, "approvals", true, &v_approvers,
       "roles that approve, in order (`manager`; MY-4: `authority`, the 信息中心 then implements)"),
    KB(W, assessment_required, "assessment_required", false,
       "security assessment before approval (SS-10)"),
    KC(W, clause, "clause", true, "the clauses that set it"),
    KA(W, form, "form", false, "annex id of the paper form"),
    {0}};
#undef W

#define F struct forbidden_rule
static const struct pkey k_forbidden[] = {
    KT(F, name, "name", true, "in the regulation's words"),
    KC(F, clause, "clause", true, "clauses that forbid it"),
    KL(F, sanctions, "sanctions", false, NULL,
       "penalty ladder: the n-th offence within the offence window gets the n-th item, the last "
       "repeats; each item has its `[sanction]` section"),
    KC(F, sanction_clause, "sanction_clause", false,
       "clauses that set the sanctions (required when sanctions is given)"),
    KC(F, cost_clause, "cost_clause", false,
       "clauses that charge the repair to the unit (JX-26, TB-16); the charge step cites them"),
    KB(F, by_inspection, "by_inspection", false,
       "no detector finds it, only an inspection: required (`yes`) for every code the server "
       "does not detect itself, refused for those it does"),
    {0}};
#undef F

#define R struct sanction_rule
static const struct pkey k_sanction[] = {KT(R, name, "name", true, "its name in the regulation"),
                                         KC(R, clause, "clause", true, "the clauses that set it"),
                                         KT(R, note, "note", false, "remarks"),
                                         {0}};
#undef R

static const struct pkey k_terminal[] = {
    KB(P, antivirus_required, "antivirus_required", true, "antivirus software installed"),
    KC(P, antivirus_clause, "antivirus_clause", false,
       "the clause requiring it (required when antivirus_required)"),
    KI(P, signature_max_age_days, "signature_max_age_days", true, 1, 3650,
       "older antivirus signatures are out of compliance (checked where antivirus is required)"),
    KC(P, signature_clause, "signature_clause", false,
       "the clause requiring current signatures (及时升级病毒库); absent: a county setting, "
       "reported without a clause"),
    KI(P, patch_max_age_days, "patch_max_age_days", true, 1, 3650,
       "older patches are out of compliance"),
    KC(P, patch_clause, "patch_clause", false,
       "the clause requiring current patches (及时更新补丁); absent: a county setting"),
    KB(P, plugin_required, "plugin_required", true, "security-management plug-in (LN-20)"),
    KC(P, plugin_clause, "plugin_clause", false,
       "the clause requiring it (required when plugin_required)"),
    {0}};

static const struct pkey k_violation[] = {
    KI(P, offence_window_days, "offence_window_days", true, 1, 3650,
       "earlier offences of a unit count for the penalty ladder within this many days "
       "(`--offence-window` overrides)"),
    KI(P, offence_event_hours, "offence_event_hours", true, 0, 720,
       "cases of one behaviour of a unit opened within this many hours of an offence's first "
       "case, while it is handled, are that one offence (one event), and so is any case "
       "before the unit was notified of it; the ladder climbs only on a new offence after "
       "the notice"),
    KB(P, auto_isolate, "auto_isolate", true,
       "a case whose rung disconnects is isolated as soon as a finding opens it "
       "(`--auto-isolate` overrides)"),
    KT(P, warning_name, "warning_name", true,
       "the measure a notice names for a behaviour without sanctions (提醒并责令改正)"),
    {0}};

static const struct pkey k_units[] = {
    KL(P, unit_types, "types", true, NULL, "the unit types (单位类型) a unit may be registered as"),
    {0}};

#define U struct unit_status_rule
static const struct pkey k_ustatus[] = {KC(U, clause, "clause", true, "the clauses it rests on"),
                                        {0}};
#undef U

static int line_of(const struct conf_section *s, const char *key)
{
	const struct conf_entry *e = conf_get(s, key);
	return e ? e->line : s->line;
}

/* ---- the checks across keys of one section ---- */

static int check_profile(struct profile *p, const struct conf_section *s, void *rec,
                         struct zw_err *err)
{
	(void)rec;
	const char *file = p->doc.file;
	if (strlen(p->prefix) > 8)
		return conf_errf(err, file, line_of(s, "prefix"), "prefix 过长");
	p->expires = PROFILE_NO_DATE;
	int line = line_of(s, "validity");
	if (strcmp(p->validity, "none") == 0)
		return p->validity_rule ? conf_errf(err, file, line_of(s, "validity_rule"),
		                                    "validity = none 时不写 validity_rule")
		                        : 0;
	int n = 0, used = 0;
	char unit = 0;
	if (sscanf(p->validity, "%3d%c%n", &n, &unit, &used) != 2 || p->validity[used] || n < 1 ||
	    !strchr("ymd", unit))
		return conf_errf(err, file, line,
		                 "validity 应为 none 或 <N>y、<N>m、<N>d（如 2y），而不是 \"%s\"",
		                 p->validity);
	if (!p->validity_rule)
		return conf_errf(
		    err, file, line,
		    "给出有效期时须写明 validity_rule（期间如何计算，可选：civil_code）");
	if (p->effective == PROFILE_NO_DATE)
		return conf_errf(err, file, line, "有效期从施行之日起算：须给出 effective");
	p->expires = profile_period_end(p->validity_rule, p->effective, n, unit);
	return 0;
}

static int check_clause(struct profile *p, const struct conf_section *s, void *rec,
                        struct zw_err *err)
{
	struct clause *c = rec;
	const char *file = p->doc.file;
	size_t plen = strlen(p->prefix);
	c->line = s->line;
	if (strncmp(s->name, p->prefix, plen) != 0 || s->name[plen] != '-')
		return conf_errf(err, file, s->line, "条款编号 %s 应以 %s- 开头", s->name,
		                 p->prefix);
	char want[48];
	snprintf(want, sizeof(want), "%s-%d", p->prefix, c->article);
	if (strcmp(want, s->name) != 0)
		return conf_errf(err, file, line_of(s, "article"),
		                 "条款 %s 的 article 应与编号一致", s->name);
	if (strncmp(c->text, "第", strlen("第")) != 0)
		return conf_errf(err, file, line_of(s, "text"), "条款 %s 的全文应以“第…条”开头",
		                 s->name);
	return 0;
}

static int check_annex(struct profile *p, const struct conf_section *s, void *rec,
                       struct zw_err *err)
{
	struct clause *c = rec;
	size_t plen = strlen(p->prefix);
	c->line = s->line;
	c->summary = c->title;
	if (strncmp(s->name, p->prefix, plen) != 0 || s->name[plen] != '-')
		return conf_errf(err, p->doc.file, s->line, "条款编号 %s 应以 %s- 开头", s->name,
		                 p->prefix);
	if (strncmp(s->name + plen + 1, "附件", strlen("附件")) != 0)
		return conf_errf(err, p->doc.file, s->line, "附件编号 %s 应为 %s-附件N", s->name,
		                 p->prefix);
	return 0;
}

static int check_deadline(struct profile *p, const struct conf_section *s, void *rec,
                          struct zw_err *err)
{
	const struct deadline_rule *d = rec;
	if (!conf_get(s, "working_days") == !conf_get(s, "hours"))
		return conf_errf(err, p->doc.file, s->line,
		                 "期限 %s 须且只须给出 working_days 或 hours 之一", s->name);
	if (strcmp(d->basis, "practice") == 0 && !d->note)
		return conf_errf(err, p->doc.file, s->line,
		                 "期限 %s 为 practice（办法未规定具体时限），须写明 note", s->name);
	return 0;
}

static int check_pause(struct profile *p, const struct conf_section *s, void *rec,
                       struct zw_err *err)
{
	const struct pause_rule *r = rec;
	if (strcmp(r->basis, "practice") == 0 && !r->note)
		return conf_errf(err, p->doc.file, s->line,
		                 "暂停事由 %s 为 practice（办法未规定），须写明 note", s->name);
	return 0;
}

static int check_forbidden(struct profile *p, const struct conf_section *s, void *rec,
                           struct zw_err *err)
{
	const struct forbidden_rule *f = rec;
	const char *file = p->doc.file;
	if (!*s->name ||
	    strspn(s->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(s->name))
		return conf_errf(err, file, s->line,
		                 "禁止行为代码 \"%s\" 只能由小写字母、数字和 _ 组成", s->name);
	bool detected = profile_behaviour_detected(s->name);
	char allowed[512];
	vocab_join(&v_detected, ", ", "", allowed, sizeof(allowed));
	if (detected && f->by_inspection)
		return conf_errf(err, file, line_of(s, "by_inspection"),
		                 "禁止行为 %s 由服务器自动发现，不能写 by_inspection = yes",
		                 s->name);
	if (!detected && !f->by_inspection)
		return conf_errf(
		    err, file, s->line,
		    "禁止行为 %s 不是服务器能自动发现的行为（可选：%s）；只能靠检查发现的"
		    "行为须写 by_inspection = yes",
		    s->name, allowed);
	if (f->sanctions && !f->sanction_clause)
		return conf_errf(err, file, line_of(s, "sanctions"),
		                 "给出 sanctions 时须同时给出 sanction_clause");
	return 0;
}

/* A check the profile requires cites the clause that requires it; no clause for a check that is
 * not required. */
static int required_with_clause(struct profile *p, const struct conf_section *s, const char *req,
                                const char *clause, struct zw_err *err)
{
	bool r = conf_bool(s, req, false), c = conf_get(s, clause) != NULL;
	if (r && !c)
		return conf_errf(err, p->doc.file, line_of(s, req),
		                 "%s = yes 时须给出 %s（要求它的条款）", req, clause);
	if (!r && c)
		return conf_errf(err, p->doc.file, line_of(s, clause), "%s = no 时不能给出 %s", req,
		                 clause);
	return 0;
}

static int check_terminal(struct profile *p, const struct conf_section *s, void *rec,
                          struct zw_err *err)
{
	(void)rec;
	int rc = required_with_clause(p, s, "antivirus_required", "antivirus_clause", err);
	if (!rc)
		rc = required_with_clause(p, s, "plugin_required", "plugin_clause", err);
	if (!rc && p->signature_clause && !p->antivirus_required)
		rc = conf_errf(err, p->doc.file, line_of(s, "signature_clause"),
		               "未要求安装防病毒软件时不检查病毒库，不能给出 signature_clause");
	return rc;
}

static int check_plans(struct profile *p, const struct conf_section *s, void *rec,
                       struct zw_err *err)
{
	(void)rec;
	if (p->plans_filing && !profile_org(p, p->plans_filing))
		return conf_errf(err, p->doc.file, line_of(s, "filing_authority"),
		                 "filing_authority = %s 不是任何 [organisation] 的名称",
		                 p->plans_filing);
	return 0;
}

#define MANY(t, shape, min, keys, names, nj, st, arr, cnt, name, json, check, doc)                 \
	{                                                                                          \
		t, shape, min, 0, keys, names, nj, offsetof(P, arr), offsetof(P, cnt), sizeof(st), \
		    offsetof(st, name), 0, json, check, doc                                        \
	}
#define ONE(t, min, keys, has, json, check, doc)                                                   \
	{                                                                                          \
		t, PS_ONE, min, 1, keys, NULL, NULL, 0, 0, 0, 0, has, json, check, doc             \
	}

static const struct psection sections[] = {
    {"profile", PS_TOP, 1, 1, k_profile, NULL, NULL, 0, 0, 0, 0, 0, "", check_profile,
     "the regulation itself"},
    MANY("organisation", PS_MANY, 1, k_org, NULL, "key", struct organisation, orgs, norgs, key,
         "organisations", NULL, "an organisation the regulation names"),
    MANY("clause", PS_MANY, 1, k_clause, NULL, NULL, struct clause, clauses, nclauses, id, NULL,
         check_clause, "every article of the regulation, NAME = `<prefix>-<article number>`"),
    MANY("annex", PS_MANY, 0, k_annex, NULL, NULL, struct clause, clauses, nclauses, id, NULL,
         check_annex,
         "attachments: forms, agreement templates, rosters; NAME = `<prefix>-附件<N>` or "
         "`<prefix>-附件`"),
    MANY("deadline", PS_MANY, 0, k_deadline, &v_deadlines, "key", struct deadline_rule, deadlines,
         ndeadlines, key, "deadlines", check_deadline, "a deadline the workflows use"),
    MANY("sla", PS_MANY, 0, k_sla, NULL, "key", struct sla_rule, slas, nslas, key, "slas", NULL,
         "fault repair classes (TB-12, LN-26); NAME e.g. `county`, `township`, `core`, "
         "`complex`, `all`"),
    MANY("fault_pause", PS_MANY, 0, k_pause, NULL, "key", struct pause_rule, pauses, npauses, key,
         "fault_pauses", check_pause,
         "a reason a fault's repair clock may stop (the only ones: a ticket cannot be paused for "
         "any other)"),
    ONE("faults", 0, k_faults, offsetof(P, has_faults), "faults", NULL,
        "how faults are reported and routed (fault tickets)"),
    ONE("duty", 0, k_duty, offsetof(P, has_duty), "duty", NULL,
        "the duty system: the checks of every shift (duty log)"),
    ONE("change_control", 0, k_change, offsetof(P, has_change_control), "change_control", NULL,
        "changes to systems and network devices (change records)"),
    ONE("emergency_plans", 0, k_plans, offsetof(P, has_plans), "emergency_plans", check_plans,
        "emergency-response and disaster-recovery plans, their filing, reviews and drills (the "
        "clocks: [deadline plan_review], [deadline plan_drill])"),
    ONE("maintenance", 0, k_maint, offsetof(P, has_maintenance), "maintenance", NULL,
        "planned interruptions"),
    MANY("agreement", PS_MANY, 0, k_agreement, NULL, "key", struct agreement_kind, agreements,
         nagreements, key, "agreements", NULL, "an agreement kind the regulation requires"),
    MANY("workflow", PS_MANY, 0, k_workflow, &v_workflows, "key", struct workflow_rule, workflows,
         nworkflows, key, "workflows", NULL, "how an application kind is approved"),
    MANY("forbidden", PS_MANY, 0, k_forbidden, NULL, "code", struct forbidden_rule, forbidden,
         nforbidden, code, "forbidden", check_forbidden,
         "a behaviour the regulation forbids; NAME is a lowercase code (`a-z`, `0-9`, `_`)"),
    MANY("sanction", PS_MANY, 0, k_sanction, &v_sanctions, "code", struct sanction_rule, sanctions,
         nsanctions, code, "sanctions", NULL,
         "what a sanction is called in this regulation and which clause sets it. What it does is "
         "fixed by its code: `isolate_terminal` and `block` disconnect the terminal; "
         "`suspend_unit` disconnects the whole unit and sets it 暂停; `revoke` revokes the unit's "
         "access (and disconnects it); `prosecute` refers the case; `record`, `warn`, "
         "`restrict`, `criticize` and `rectify` are notices. A behaviour without `sanctions` is "
         "handled as a warning"),
    ONE("terminal_policy", 0, k_terminal, offsetof(P, has_terminal_policy), "terminal_policy",
        check_terminal,
        "what a terminal needs (GET /terminals/compliance). Each check cites only the clause "
        "that requires it; a check no clause requires is the county's setting and cites none"),
    ONE("violation_policy", 1, k_violation, 0, "violation_policy", NULL,
        "how cases of forbidden behaviour are handled"),
    ONE("unit_register", 1, k_units, 0, "unit_register", NULL, "what a unit's record may hold"),
    MANY("unit_status", PS_MAP, 0, k_ustatus, &v_ustatus, NULL, struct unit_status_rule,
         unit_statuses, nunit_statuses, code, "unit_status_clauses", NULL,
         "the clause a unit's change to this status rests on"),
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))
#define MAX_KEYS  24

static const struct psection *section_of(const char *type)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (strcmp(sections[i].type, type) == 0)
			return &sections[i];
	return NULL;
}

static enum conf_type conf_type_of(enum pk_kind k)
{
	static const enum conf_type t[] = {
	    [PK_TEXT] = CONF_TEXT, [PK_INT] = CONF_INT,   [PK_BOOL] = CONF_BOOL,
	    [PK_DATE] = CONF_DATE, [PK_LIST] = CONF_LIST, [PK_REFS] = CONF_LIST,
	    [PK_REF] = CONF_TEXT};
	return t[k];
}

/* The conf_check schemas, derived from the tables. */
static int check_schema(const struct conf_doc *doc, struct zw_err *err)
{
	struct conf_key keys[NSECTIONS][MAX_KEYS + 1];
	struct conf_schema sc[NSECTIONS + 1];
	memset(keys, 0, sizeof(keys));
	memset(sc, 0, sizeof(sc));
	for (size_t i = 0; i < NSECTIONS; i++) {
		const struct psection *ps = &sections[i];
		size_t n = 0;
		for (const struct pkey *k = ps->keys; k->name; k++, n++) {
			if (n == MAX_KEYS)
				abort(); /* a table outgrew MAX_KEYS */
			keys[i][n] =
			    (struct conf_key){k->name, conf_type_of(k->kind), k->required, false};
		}
		bool named = ps->shape == PS_MANY || ps->shape == PS_MAP;
		sc[i] = (struct conf_schema){ps->type, named, ps->min, ps->max, keys[i]};
	}
	return conf_check(doc, sc, err);
}

/* ---- loading and validation ---- */

static int32_t date_or_none(const struct conf_section *s, const char *key)
{
	const char *v = conf_str(s, key, NULL);
	int32_t d;
	return v && parse_date(v, &d) == 0 ? d : PROFILE_NO_DATE;
}

static void load_keys(const struct psection *ps, const struct conf_section *s, char *rec)
{
	for (const struct pkey *k = ps->keys; k->name; k++) {
		void *at = rec + k->off;
		if (k->kind == PK_INT)
			*(int *)at = (int)conf_int(s, k->name, 0);
		else if (k->kind == PK_BOOL)
			*(bool *)at = conf_bool(s, k->name, false);
		else if (k->kind == PK_DATE)
			*(int32_t *)at = date_or_none(s, k->name);
		else
			*(const char **)at = conf_str(s, k->name, NULL);
	}
	if (ps->shape == PS_MANY || ps->shape == PS_MAP)
		*(const char **)(rec + ps->name_off) = s->name;
}

/* Where section s lands: struct profile, or a new element of its array. */
static char *slot(struct profile *p, const struct psection *ps, size_t *idx)
{
	if (ps->shape == PS_TOP || ps->shape == PS_ONE) {
		if (ps->has)
			*(bool *)((char *)p + ps->has) = true;
		return (char *)p;
	}
	void **arr = (void **)((char *)p + ps->arr);
	size_t *n = (size_t *)((char *)p + ps->count);
	char *np = xreallocarray(*arr, *n + 1, ps->size);
	memset(np + *n * ps->size, 0, ps->size);
	*arr = np;
	*idx = (*n)++;
	return np + *idx * ps->size;
}

static char *rec_at(struct profile *p, const struct psection *ps, size_t idx)
{
	if (ps->shape == PS_TOP || ps->shape == PS_ONE)
		return (char *)p;
	return *(char **)((char *)p + ps->arr) + idx * ps->size;
}

static int check_vocab(struct profile *p, const struct vocab *v, const char *value, int line,
                       struct zw_err *err)
{
	if (in(v->values, value))
		return 0;
	char allowed[1024];
	vocab_join(v, ", ", "", allowed, sizeof(allowed));
	return conf_errf(err, p->doc.file, line, "%s \"%s\" 不在允许的取值中（可选：%s）", v->what,
	                 value, allowed);
}

static int check_items(struct profile *p, const struct pkey *k, const struct conf_entry *e,
                       struct zw_err *err)
{
	char copy[1024];
	text_printf(copy, sizeof(copy), "%s", e->value);
	char *items[32];
	size_t n = conf_split(copy, items, 32);
	if (n == 0)
		return conf_errf(err, p->doc.file, e->line, "\"%s\" 不能为空", k->name);
	for (size_t i = 0; i < n; i++) {
		if (k->kind == PK_REFS && !profile_clause(p, items[i]))
			return conf_errf(err, p->doc.file, e->line,
			                 "\"%s\" 引用的条款 %s 不在本办法的条款目录中", k->name,
			                 items[i]);
		if (k->vocab) {
			int rc = check_vocab(p, k->vocab, items[i], e->line, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int check_key(struct profile *p, const struct pkey *k, const struct conf_entry *e,
                     struct zw_err *err)
{
	if (k->kind == PK_INT) {
		int64_t v;
		if (parse_i64(e->value, k->min, k->max, &v) < 0)
			return conf_errf(err, p->doc.file, e->line, "%s 应为 %d 到 %d 之间的整数",
			                 k->name, k->min, k->max);
		return 0;
	}
	if (k->kind == PK_LIST || k->kind == PK_REFS)
		return check_items(p, k, e, err);
	if (k->kind == PK_REF && !profile_clause(p, e->value))
		return conf_errf(err, p->doc.file, e->line,
		                 "\"%s\" 引用的条款 %s 不在本办法的条款目录中", k->name, e->value);
	if (k->kind == PK_TEXT && k->vocab)
		return check_vocab(p, k->vocab, e->value, e->line, err);
	return 0;
}

static int check_section(struct profile *p, const struct psection *ps, const struct conf_section *s,
                         char *rec, struct zw_err *err)
{
	int rc = ps->names ? check_vocab(p, ps->names, s->name, s->line, err) : 0;
	for (const struct pkey *k = ps->keys; !rc && k->name; k++) {
		const struct conf_entry *e = conf_get(s, k->name);
		if (e)
			rc = check_key(p, k, e, err);
	}
	if (!rc && ps->check)
		rc = ps->check(p, s, rec, err);
	return rc;
}

/* ---- the checks across sections ---- */

static int check_articles(struct profile *p, struct zw_err *err)
{
	int expect = 1;
	for (size_t i = 0; i < p->nclauses; i++) {
		if (!p->clauses[i].article)
			continue;
		if (p->clauses[i].article != expect)
			return conf_errf(err, p->doc.file, p->clauses[i].line,
			                 "条款应按顺序且无缺漏：此处应为第 %d 条", expect);
		expect++;
	}
	return 0;
}

/* Sanctions named in a ladder must say what they are called here. */
static int check_ladders(struct profile *p, struct zw_err *err)
{
	for (size_t i = 0; i < p->doc.n; i++) {
		const struct conf_section *s = &p->doc.sections[i];
		const char *list = conf_str(s, "sanctions", NULL);
		if (strcmp(s->type, "forbidden") != 0 || !list)
			continue;
		char copy[256], *items[16];
		text_printf(copy, sizeof(copy), "%s", list);
		size_t n = conf_split(copy, items, 16);
		for (size_t k = 0; k < n; k++)
			if (!profile_sanction(p, items[k]))
				return conf_errf(err, p->doc.file, line_of(s, "sanctions"),
				                 "处理措施 %s 没有对应的 [sanction %s] 节",
				                 items[k], items[k]);
	}
	return 0;
}

static int check_approvers(struct profile *p, struct zw_err *err)
{
	if (profile_org_name(p, "authority"))
		return 0;
	for (size_t i = 0; i < p->nworkflows; i++)
		if (strstr(p->workflows[i].approvals, "authority"))
			return conf_errf(err, p->doc.file, 0,
			                 "流程 %s 需要主管单位审批，但没有 role = authority 的机构",
			                 p->workflows[i].key);
	return 0;
}

/* Every section into its struct first (so that every clause is there to refer to), then each
 * checked against its table in file order, then the rules across sections. */
static int load(struct profile *p, struct zw_err *err)
{
	size_t *idx = xcalloc(p->doc.n + 1, sizeof(*idx));
	for (size_t i = 0; i < p->doc.n; i++) {
		const struct conf_section *s = &p->doc.sections[i];
		const struct psection *ps = section_of(s->type);
		if (ps) /* no ps: the empty top level */
			load_keys(ps, s, slot(p, ps, &idx[i]));
	}
	int rc = 0;
	/* the catalogue first: every other section refers to it */
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; !rc && i < p->doc.n; i++) {
			const struct conf_section *s = &p->doc.sections[i];
			const struct psection *ps = section_of(s->type);
			bool cat = ps && ps->arr == offsetof(struct profile, clauses);
			if (ps && cat == (round == 0))
				rc = check_section(p, ps, s, rec_at(p, ps, idx[i]), err);
		}
		if (!rc && round == 0)
			rc = check_articles(p, err);
	}
	free(idx);
	if (!rc)
		rc = check_ladders(p, err);
	if (!rc)
		rc = check_approvers(p, err);
	return rc;
}

int profile_parse(const char *file, const char *text, size_t len, const char *expect_id,
                  struct profile **out, struct zw_err *err)
{
	struct profile *p = xcalloc(1, sizeof(*p));
	int rc = conf_parse(file, text, len, &p->doc, err);
	if (!rc)
		rc = check_schema(&p->doc, err);
	if (!rc) {
		const struct conf_section *ps = NULL;
		for (size_t i = 0; i < p->doc.n; i++)
			if (strcmp(p->doc.sections[i].type, "profile") == 0)
				ps = &p->doc.sections[i];
		const char *id = conf_str(ps, "id", "");
		if (expect_id && strcmp(id, expect_id) != 0)
			rc = conf_errf(err, file, line_of(ps, "id"), "id \"%s\" 应与文件名 %s 一致",
			               id, expect_id);
	}
	if (!rc)
		rc = load(p, err);
	if (rc) {
		profile_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int profile_load(const char *name, struct profile **out, struct zw_err *err)
{
	if (in(profile_shipped, name)) {
		char path[64];
		snprintf(path, sizeof(path), "profiles/%s.conf", name);
		const struct embed_file *f = embed_find(path);
		if (!f)
			return zw_errf(err, ZW_EINTERNAL, NULL, "内置办法 %s 缺失", name);
		return profile_parse(path, f->data, f->size, name, out, err);
	}
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t n = strlen(base);
	if (n < 6 || strcmp(base + n - 5, ".conf") != 0)
		return zw_errf(err, ZW_EINVALID, "profile",
		               "未知的办法 \"%s\"：可选 jiaxian、miyun、shengsi、luoning、tongbai，"
		               "或 .conf 文件路径",
		               name);
	char stem[128];
	text_printf(stem, sizeof(stem), "%.*s", (int)(n - 5), base);
	FILE *fp = fopen(name, "rb");
	if (!fp)
		return zw_errf(err, ZW_EINVALID, "profile", "%s: 无法打开", name);
	char *text = xmalloc(CONF_MAX_FILE + 1);
	size_t len = fread(text, 1, CONF_MAX_FILE + 1, fp);
	fclose(fp);
	if (len > CONF_MAX_FILE) {
		free(text);
		return conf_errf(err, name, 0, "文件过大");
	}
	int rc;
	rc = profile_parse(name, text, len, stem, out, err);
	free(text);
	return rc;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < NSECTIONS; i++)
		if (sections[i].shape == PS_MANY || sections[i].shape == PS_MAP) {
			void **arr = (void **)((char *)p + sections[i].arr);
			free(*arr); /* clause and annex share one */
			*arr = NULL;
		}
	conf_free(&p->doc);
	free(p);
}

/* ---- lookups ---- */

const struct clause *profile_clause(const struct profile *p, const char *id)
{
	for (size_t i = 0; i < p->nclauses; i++)
		if (strcmp(p->clauses[i].id, id) == 0)
			return &p->clauses[i];
	return NULL;
}

const struct deadline_rule *profile_deadline(const struct profile *p, const char *key)
{
	for (size_t i = 0; i < p->ndeadlines; i++)
		if (strcmp(p->deadlines[i].key, key) == 0)
			return &p->deadlines[i];
	return NULL;
}

const struct sla_rule *profile_sla(const struct profile *p, const char *key)
{
	for (size_t i = 0; key && i < p->nslas; i++)
		if (strcmp(p->slas[i].key, key) == 0)
			return &p->slas[i];
	return NULL;
}

const struct sla_rule *profile_sla_of_level(const struct profile *p, const char *level)
{
	for (size_t i = 0; level && i < p->nslas; i++)
		if (p->slas[i].levels && list_has(p->slas[i].levels, level))
			return &p->slas[i];
	return NULL;
}

const struct pause_rule *profile_pause(const struct profile *p, const char *key)
{
	for (size_t i = 0; key && i < p->npauses; i++)
		if (strcmp(p->pauses[i].key, key) == 0)
			return &p->pauses[i];
	return NULL;
}

const struct workflow_rule *profile_workflow(const struct profile *p, const char *key)
{
	for (size_t i = 0; i < p->nworkflows; i++)
		if (strcmp(p->workflows[i].key, key) == 0)
			return &p->workflows[i];
	return NULL;
}

const struct agreement_kind *profile_agreement(const struct profile *p, const char *key)
{
	for (size_t i = 0; i < p->nagreements; i++)
		if (strcmp(p->agreements[i].key, key) == 0)
			return &p->agreements[i];
	return NULL;
}

const struct forbidden_rule *profile_forbidden(const struct profile *p, const char *code)
{
	for (size_t i = 0; code && i < p->nforbidden; i++)
		if (strcmp(p->forbidden[i].code, code) == 0)
			return &p->forbidden[i];
	return NULL;
}

const struct sanction_rule *profile_sanction(const struct profile *p, const char *code)
{
	for (size_t i = 0; code && i < p->nsanctions; i++)
		if (strcmp(p->sanctions[i].code, code) == 0)
			return &p->sanctions[i];
	return NULL;
}

const char *profile_unit_status_clause(const struct profile *p, const char *code)
{
	for (size_t i = 0; i < p->nunit_statuses; i++)
		if (strcmp(p->unit_statuses[i].code, code) == 0)
			return p->unit_statuses[i].clause;
	return NULL;
}

const struct organisation *profile_org(const struct profile *p, const char *key)
{
	for (size_t i = 0; key && i < p->norgs; i++)
		if (strcmp(p->orgs[i].key, key) == 0)
			return &p->orgs[i];
	return NULL;
}

void profile_first_clause(const char *list, char *out, size_t n)
{
	size_t i = 0;
	while (*list == ' ')
		list++;
	while (list[i] && list[i] != ',' && i + 1 < n) {
		out[i] = list[i];
		i++;
	}
	while (i && out[i - 1] == ' ')
		i--;
	out[i] = 0;
}

const char *profile_org_name(const struct profile *p, const char *role)
{
	for (size_t i = 0; i < p->norgs; i++)
		if (strcmp(p->orgs[i].role, role) == 0)
			return p->orgs[i].short_name ? p->orgs[i].short_name : p->orgs[i].name;
	return NULL;
}

bool profile_behaviour_detected(const char *code)
{
	return code && in(v_detected.values, code);
}

int profile_check_unit_type(const struct profile *p, const char *type, struct zw_err *err)
{
	char copy[1024], *items[32];
	text_printf(copy, sizeof(copy), "%s", p->unit_types ? p->unit_types : "");
	size_t n = conf_split(copy, items, 32);
	for (size_t i = 0; type && i < n; i++)
		if (strcmp(items[i], type) == 0)
			return 0;
	return zw_errf(err, ZW_EINVALID, "type", "单位类型应为以下之一：%s",
	               p->unit_types ? p->unit_types : "");
}

/* ---- validity ---- */

int32_t profile_period_end(const char *rule, int32_t start, int n, char unit)
{
	if (!rule || strcmp(rule, "civil_code") != 0 || start == PROFILE_NO_DATE)
		return PROFILE_NO_DATE;
	/* 第二百零一条: the day it starts is not counted, so n days end n days later.
	 * 第二百零二条: years and months end on the corresponding day of the last month, or on
	 * that month's last day when it has none (2024-02-29 + 1y: 2025-02-28). */
	if (unit == 'd')
		return start + n;
	int y;
	unsigned m, d;
	civil_from_days(start, &y, &m, &d);
	int months = (int)m - 1 + (unit == 'y' ? 12 * n : n);
	y += months / 12;
	m = (unsigned)(months % 12) + 1;
	int32_t first_of_next = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
	int32_t last = first_of_next - 1, want = days_from_civil(y, m, 1) + (int32_t)d - 1;
	return want < last ? want : last;
}

int32_t profile_days_to_expiry(const struct profile *p, int32_t today)
{
	if (p->expires == PROFILE_NO_DATE)
		return INT32_MAX;
	return p->expires - today;
}

const char *profile_expiry_warning(const struct profile *p, int32_t today, char *buf, size_t n)
{
	int32_t left = profile_days_to_expiry(p, today);
	if (left == INT32_MAX || left > 30)
		return NULL;
	char last[11], lapses[11];
	format_date(p->expires, last);
	format_date(p->expires + 1, lapses);
	if (left < 0)
		text_printf(buf, n,
		            "《%s》有效期至 %s，已自 %s 起失效，请尽快确认新的管理办法并更新配置",
		            p->title, last, lapses);
	else if (left == 0)
		text_printf(buf, n,
		            "《%s》有效期至 %s（今天是最后一天），自 %s 起失效，请及时修订或延续",
		            p->title, last, lapses);
	else
		text_printf(buf, n,
		            "《%s》有效期至 %s（还剩 %d 天），自 %s 起失效，请及时修订或延续",
		            p->title, last, left, lapses);
	return buf;
}

/* ---- JSON ---- */

json_t *clause_list_json(const char *list)
{
	json_t *a = json_array();
	if (!list)
		return a;
	char copy[1024], *items[32];
	text_printf(copy, sizeof(copy), "%s", list);
	size_t n = conf_split(copy, items, 32);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

json_t *clause_to_json(const struct clause *c, bool with_text)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s}", "id", c->id, "kind", c->article ? "article" : "annex",
	              "summary", c->summary ? c->summary : "");
	if (c->article)
		json_object_set_new(o, "article", json_integer(c->article));
	if (c->chapter)
		json_object_set_new(o, "chapter", json_string(c->chapter));
	if (c->title)
		json_object_set_new(o, "title", json_string(c->title));
	if (with_text)
		json_object_set_new(o, "text", json_string(c->text));
	return o;
}

static json_t *date_json(int32_t d)
{
	if (d == PROFILE_NO_DATE)
		return json_null();
	char s[11];
	format_date(d, s);
	return json_string(s);
}

static json_t *value_json(const struct pkey *k, const char *rec)
{
	const void *at = rec + k->off;
	switch (k->kind) {
	case PK_INT:
		return json_integer(*(const int *)at);
	case PK_BOOL:
		return json_boolean(*(const bool *)at);
	case PK_DATE:
		return date_json(*(const int32_t *)at);
	case PK_LIST:
	case PK_REFS:
		return clause_list_json(*(const char *const *)at);
	default:
		return *(const char *const *)at ? json_string(*(const char *const *)at)
		                                : json_null();
	}
}

/* The keys of one section: a clause list's member is plural (clause -> clauses), an optional
 * int that is absent is left out. */
static void keys_json(json_t *o, const struct pkey *keys, const char *rec)
{
	for (const struct pkey *k = keys; k->name; k++) {
		if (k->kind == PK_INT && !k->required && !*(const int *)(rec + k->off))
			continue;
		char name[64];
		snprintf(name, sizeof(name), "%s%s", k->name, k->kind == PK_REFS ? "s" : "");
		json_object_set_new(o, name, value_json(k, rec));
	}
}

static json_t *section_json(const struct profile *p, const struct psection *ps)
{
	if (ps->shape == PS_ONE) {
		if (ps->has && !*(const bool *)((const char *)p + ps->has))
			return NULL;
		json_t *o = json_object();
		keys_json(o, ps->keys, (const char *)p);
		return o;
	}
	const char *arr = *(const char *const *)((const char *)p + ps->arr);
	size_t n = *(const size_t *)((const char *)p + ps->count);
	json_t *all = ps->shape == PS_MAP ? json_object() : json_array();
	for (size_t i = 0; i < n; i++) {
		const char *rec = arr + i * ps->size;
		const char *name = *(const char *const *)(rec + ps->name_off);
		if (ps->shape == PS_MAP) {
			json_object_set_new(all, name, value_json(&ps->keys[0], rec));
			continue;
		}
		json_t *o = json_pack("{s:s}", ps->name_json, name);
		keys_json(o, ps->keys, rec);
		json_array_append_new(all, o);
	}
	return all;
}

json_t *profile_to_json(const struct profile *p, bool with_texts)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NSECTIONS; i++) {
		const struct psection *ps = &sections[i];
		if (ps->shape == PS_TOP) {
			keys_json(o, ps->keys, (const char *)p);
			continue;
		}
		json_t *x = ps->json ? section_json(p, ps) : NULL;
		if (x)
			json_object_set_new(o, ps->json, x);
	}
	json_object_set_new(o, "expires", date_json(p->expires));
	json_t *a = json_array();
	for (size_t i = 0; i < p->nclauses; i++)
		json_array_append_new(a, clause_to_json(&p->clauses[i], with_texts));
	json_object_set_new(o, "clauses", a);
	return o;
}

/* ---- the docs' key list ---- */

static const char *kind_word(enum pk_kind k)
{
	static const char *const w[] = {
	    [PK_TEXT] = "text", [PK_INT] = "int",      [PK_BOOL] = "bool", [PK_DATE] = "date",
	    [PK_LIST] = "list", [PK_REFS] = "clauses", [PK_REF] = "clause"};
	return w[k];
}

static const char *count_words(const struct psection *ps)
{
	if (ps->max == 1)
		return ps->min ? "exactly one" : "at most one";
	return ps->min ? "one or more" : "any number";
}

static void key_row(FILE *f, const struct pkey *k)
{
	fprintf(f, "| %s | %s | %s | %s", k->name, kind_word(k->kind), k->required ? "yes" : "no",
	        k->doc);
	if (k->kind == PK_INT)
		fprintf(f, "%s%d to %d", *k->doc ? "; " : "", k->min, k->max);
	if (k->vocab) {
		char v[1024];
		vocab_join(k->vocab, ", ", "`", v, sizeof(v));
		fprintf(f, "%s%s %s", *k->doc || k->kind == PK_INT ? "; " : "",
		        k->kind == PK_LIST ? "each one of" : "one of", v);
	}
	fprintf(f, " |\n");
}

void profile_keys_markdown(FILE *f)
{
	for (size_t i = 0; i < NSECTIONS; i++) {
		const struct psection *ps = &sections[i];
		bool named = ps->shape == PS_MANY || ps->shape == PS_MAP;
		fprintf(f, "`[%s%s]` (%s): %s.", ps->type, named ? " NAME" : "", count_words(ps),
		        ps->doc);
		if (ps->names) {
			char v[1024];
			vocab_join(ps->names, ", ", "`", v, sizeof(v));
			fprintf(f, " NAME from: %s.", v);
		}
		if (strcmp(ps->type, "forbidden") == 0) {
			char v[1024];
			vocab_join(&v_detected, ", ", "`", v, sizeof(v));
			fprintf(f,
			        " The server detects %s itself; any other code needs "
			        "`by_inspection = yes`.",
			        v);
		}
		fprintf(f, "\n\n| key | type | req | meaning |\n|---|---|---|---|\n");
		for (const struct pkey *k = ps->keys; k->name; k++)
			key_row(f, k);
		fprintf(f, "\n");
	}
}
