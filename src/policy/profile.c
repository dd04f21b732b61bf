#include "policy/profile.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/parse.h"

const char *const profile_shipped[] = {"jiaxian", "miyun", "shengsi", "luoning", "tongbai", NULL};

#define K(name, type, req)                                                                         \
	{                                                                                          \
		name, type, req, false                                                             \
	}
static const struct conf_key k_profile[] = {K("id", CONF_TEXT, true),
                                            K("county", CONF_TEXT, true),
                                            K("prefix", CONF_TEXT, true),
                                            K("title", CONF_TEXT, true),
                                            K("doc_number", CONF_TEXT, false),
                                            K("issuer", CONF_TEXT, true),
                                            K("issued", CONF_DATE, false),
                                            K("effective", CONF_DATE, false),
                                            K("expires", CONF_DATE, false),
                                            K("status", CONF_TEXT, true),
                                            K("repeals", CONF_TEXT, false),
                                            K("network_name", CONF_TEXT, true),
                                            K("validity_clause", CONF_TEXT, false),
                                            K("source", CONF_TEXT, true),
                                            K("note", CONF_TEXT, false),
                                            {NULL, 0, 0, 0}};
static const struct conf_key k_org[] = {
    K("role", CONF_TEXT, true),   K("name", CONF_TEXT, true),     K("short", CONF_TEXT, false),
    K("clause", CONF_LIST, true), K("members", CONF_TEXT, false), {NULL, 0, 0, 0}};
static const struct conf_key k_clause[] = {K("article", CONF_INT, true),
                                           K("chapter", CONF_TEXT, false),
                                           K("summary", CONF_TEXT, true),
                                           K("text", CONF_TEXT, true),
                                           {NULL, 0, 0, 0}};
static const struct conf_key k_annex[] = {
    K("title", CONF_TEXT, true), K("text", CONF_TEXT, true), {NULL, 0, 0, 0}};
static const struct conf_key k_deadline[] = {K("clause", CONF_LIST, true),
                                             K("working_days", CONF_INT, false),
                                             K("hours", CONF_INT, false),
                                             K("pausable", CONF_BOOL, false),
                                             K("basis", CONF_TEXT, true),
                                             K("note", CONF_TEXT, false),
                                             {NULL, 0, 0, 0}};
static const struct conf_key k_sla[] = {K("name", CONF_TEXT, true),
                                        K("respond_hours", CONF_INT, false),
                                        K("repair_hours", CONF_INT, true),
                                        K("clause", CONF_LIST, true),
                                        {NULL, 0, 0, 0}};
static const struct conf_key k_maint[] = {K("notice_hours", CONF_INT, true),
                                          K("approval_required", CONF_BOOL, true),
                                          K("clause", CONF_LIST, true),
                                          {NULL, 0, 0, 0}};
static const struct conf_key k_agreement[] = {K("name", CONF_TEXT, true),
                                              K("party", CONF_TEXT, true),
                                              K("clause", CONF_LIST, true),
                                              K("required_for_connection", CONF_BOOL, true),
                                              K("backfill", CONF_BOOL, false),
                                              K("template", CONF_TEXT, false),
                                              {NULL, 0, 0, 0}};
static const struct conf_key k_workflow[] = {K("approvals", CONF_LIST, true),
                                             K("assessment_required", CONF_BOOL, false),
                                             K("clause", CONF_LIST, true),
                                             K("form", CONF_TEXT, false),
                                             {NULL, 0, 0, 0}};
static const struct conf_key k_forbidden[] = {
    K("name", CONF_TEXT, true),          K("clause", CONF_LIST, true),
    K("sanctions", CONF_LIST, false),    K("sanction_clause", CONF_LIST, false),
    K("cost_to_unit", CONF_BOOL, false), {NULL, 0, 0, 0}};
static const struct conf_key k_sanction[] = {K("name", CONF_TEXT, true),
                                             K("clause", CONF_LIST, true),
                                             K("note", CONF_TEXT, false),
                                             {NULL, 0, 0, 0}};
static const struct conf_key k_terminal[] = {K("antivirus_required", CONF_BOOL, true),
                                             K("signature_max_age_days", CONF_INT, true),
                                             K("patch_max_age_days", CONF_INT, true),
                                             K("plugin_required", CONF_BOOL, true),
                                             K("clause", CONF_LIST, true),
                                             {NULL, 0, 0, 0}};
static const struct conf_key k_ustatus[] = {K("clause", CONF_LIST, true), {NULL, 0, 0, 0}};

static const struct conf_schema schemas[] = {
    {"profile", false, 1, 1, k_profile},    {"organisation", true, 1, 0, k_org},
    {"clause", true, 1, 0, k_clause},       {"annex", true, 0, 0, k_annex},
    {"deadline", true, 0, 0, k_deadline},   {"sla", true, 0, 0, k_sla},
    {"maintenance", false, 0, 1, k_maint},  {"agreement", true, 0, 0, k_agreement},
    {"workflow", true, 0, 0, k_workflow},   {"forbidden", true, 0, 0, k_forbidden},
    {"sanction", true, 0, 0, k_sanction},   {"terminal_policy", false, 0, 1, k_terminal},
    {"unit_status", true, 0, 0, k_ustatus}, {NULL, false, 0, 0, NULL}};

static const char *const v_org_roles[] = {"manager",    "authority",  "operator",
                                          "carrier",    "supervisor", "funding",
                                          "leadership", "unit",       NULL};
static const char *const v_deadlines[] = {"access_review",
                                          "access_implement",
                                          "change_review",
                                          "change_implement",
                                          "contact_refile",
                                          "rectification",
                                          "port_review",
                                          "egress_review",
                                          "filing_review",
                                          "maintenance_notice",
                                          NULL};
static const char *const v_parties[] = {"unit", "carrier", "vendor", "vendor_staff", "staff", NULL};
static const char *const v_workflows[] = {
    "access", "change", "port", "egress", "interconnect", "system", "lan", "contact_refile", NULL};
static const char *const v_approvers[] = {"manager", "authority", NULL};
static const char *const v_behaviours[] = {"classified_equipment",
                                           "classified_information",
                                           "private_address_change",
                                           "own_egress",
                                           "private_line",
                                           "unapproved_interconnect",
                                           "wireless_device",
                                           "outside_office",
                                           "dual_homing",
                                           "virus",
                                           "attack",
                                           "p2p",
                                           "online_video",
                                           "chat_game_stock",
                                           "illegal_site",
                                           "unknown_mail",
                                           "non_work_browsing",
                                           "harmful_information",
                                           "sensitive_data_export",
                                           "device_tamper",
                                           "line_damage",
                                           "infrastructure_theft",
                                           "malicious_message",
                                           "impersonation",
                                           "privacy_violation",
                                           "unregistered_terminal",
                                           "unapproved_port",
                                           "missing_antivirus",
                                           "unapproved_system",
                                           "illegal_activity",
                                           NULL};
static const char *const v_sanctions[] = {
    "record",  "warn",   "restrict",  "block", "isolate_terminal", "suspend_unit", "criticize",
    "rectify", "revoke", "prosecute", NULL};
static const char *const v_ustatus[] = {"applying", "connected",    "suspended",
                                        "revoked",  "disconnected", NULL};
static const char *const v_basis[] = {"regulation", "practice", NULL};
static const char *const v_status[] = {"in_force", "draft", NULL};

static bool in(const char *const *v, const char *s)
{
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static const struct conf_entry *entry(const struct conf_section *s, const char *key)
{
	return conf_get(s, key);
}

static int32_t date_or_none(const struct conf_section *s, const char *key)
{
	const char *v = conf_str(s, key, NULL);
	int32_t d;
	return v && parse_date(v, &d) == 0 ? d : PROFILE_NO_DATE;
}

const struct clause *profile_clause(const struct profile *p, const char *id)
{
	for (size_t i = 0; i < p->nclauses; i++)
		if (strcmp(p->clauses[i].id, id) == 0)
			return &p->clauses[i];
	return NULL;
}

/* Every id in a list value must be a clause or annex of this profile. */
static int check_refs(struct profile *p, const struct conf_section *s, const char *key,
                      struct zw_err *err)
{
	const struct conf_entry *e = entry(s, key);
	if (!e)
		return 0;
	char copy[1024];
	snprintf(copy, sizeof(copy), "%s", e->value);
	char *items[32];
	size_t n = conf_split(copy, items, 32);
	if (n == 0)
		return conf_errf(err, p->doc.file, e->line, "\"%s\" 不能为空", key);
	for (size_t i = 0; i < n; i++)
		if (!profile_clause(p, items[i]))
			return conf_errf(err, p->doc.file, e->line,
			                 "\"%s\" 引用的条款 %s 不在本办法的条款目录中", key,
			                 items[i]);
	return 0;
}

static int check_vocab(struct profile *p, const struct conf_section *s, const char *what,
                       const char *value, const char *const *vocab, int line, struct zw_err *err)
{
	if (in(vocab, value))
		return 0;
	return conf_errf(err, p->doc.file, line, "%s \"%s\" 不在允许的取值中", what, value);
}

#define GROW(arr, n)                                                                               \
	do {                                                                                       \
		void *np_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));                            \
		if (!np_)                                                                          \
			return zw_errf(err, ZW_EINTERNAL, NULL, "内存不足");                       \
		(arr) = np_;                                                                       \
		memset(&(arr)[(n)], 0, sizeof(*(arr)));                                            \
	} while (0)

static int pass_catalogue(struct profile *p, struct zw_err *err)
{
	for (size_t i = 0; i < p->doc.n; i++) {
		const struct conf_section *s = &p->doc.sections[i];
		bool annex = strcmp(s->type, "annex") == 0;
		if (strcmp(s->type, "clause") != 0 && !annex)
			continue;
		size_t plen = strlen(p->prefix);
		if (strncmp(s->name, p->prefix, plen) != 0 || s->name[plen] != '-')
			return conf_errf(err, p->doc.file, s->line, "条款编号 %s 应以 %s- 开头",
			                 s->name, p->prefix);
		GROW(p->clauses, p->nclauses);
		struct clause *c = &p->clauses[p->nclauses++];
		c->id = s->name;
		c->line = s->line;
		c->text = conf_str(s, "text", "");
		if (annex) {
			if (strncmp(s->name + plen + 1, "附件", strlen("附件")) != 0)
				return conf_errf(err, p->doc.file, s->line,
				                 "附件编号 %s 应为 %s-附件N", s->name, p->prefix);
			c->title = conf_str(s, "title", "");
			c->summary = c->title;
			continue;
		}
		c->article = (int)conf_int(s, "article", 0);
		c->chapter = conf_str(s, "chapter", NULL);
		c->summary = conf_str(s, "summary", "");
		char want[48];
		snprintf(want, sizeof(want), "%s-%d", p->prefix, c->article);
		if (c->article < 1 || strcmp(want, s->name) != 0)
			return conf_errf(err, p->doc.file, entry(s, "article")->line,
			                 "条款 %s 的 article 应与编号一致", s->name);
		if (strncmp(c->text, "第", strlen("第")) != 0)
			return conf_errf(err, p->doc.file, entry(s, "text")->line,
			                 "条款 %s 的全文应以“第…条”开头", s->name);
	}
	/* Articles 1..N, each once, in order. */
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

static int pass_rules(struct profile *p, struct zw_err *err)
{
	const char *file = p->doc.file;
	bool has_authority = false;
	for (size_t i = 0; i < p->doc.n; i++) {
		const struct conf_section *s = &p->doc.sections[i];
		const char *t = s->type;
		int rc = 0;
		if (strcmp(t, "organisation") == 0) {
			GROW(p->orgs, p->norgs);
			struct organisation *o = &p->orgs[p->norgs++];
			o->key = s->name;
			o->role = conf_str(s, "role", "");
			o->name = conf_str(s, "name", "");
			o->short_name = conf_str(s, "short", NULL);
			o->clause = conf_str(s, "clause", "");
			o->members = conf_str(s, "members", NULL);
			has_authority |= strcmp(o->role, "authority") == 0;
			rc = check_vocab(p, s, "机构角色", o->role, v_org_roles,
			                 entry(s, "role")->line, err);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
		} else if (strcmp(t, "deadline") == 0) {
			GROW(p->deadlines, p->ndeadlines);
			struct deadline_rule *d = &p->deadlines[p->ndeadlines++];
			d->key = s->name;
			d->clause = conf_str(s, "clause", "");
			d->basis = conf_str(s, "basis", "");
			d->note = conf_str(s, "note", NULL);
			d->working_days = (int)conf_int(s, "working_days", 0);
			d->hours = (int)conf_int(s, "hours", 0);
			d->pausable = conf_bool(s, "pausable", false);
			rc = check_vocab(p, s, "期限", s->name, v_deadlines, s->line, err);
			if (!rc)
				rc = check_vocab(p, s, "basis", d->basis, v_basis,
				                 entry(s, "basis")->line, err);
			if (!rc && (!entry(s, "working_days") == !entry(s, "hours")))
				rc = conf_errf(err, file, s->line,
				               "期限 %s 须且只须给出 working_days 或 hours 之一",
				               s->name);
			if (!rc && (d->working_days < 0 || d->hours < 0 ||
			            d->working_days + d->hours < 1 || d->working_days > 365 ||
			            d->hours > 8760))
				rc = conf_errf(err, file, s->line, "期限 %s 的数值超出范围",
				               s->name);
			if (!rc && strcmp(d->basis, "practice") == 0 && !d->note)
				rc = conf_errf(
				    err, file, s->line,
				    "期限 %s 为 practice（办法未规定具体时限），须写明 note",
				    s->name);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
		} else if (strcmp(t, "sla") == 0) {
			GROW(p->slas, p->nslas);
			struct sla_rule *r = &p->slas[p->nslas++];
			r->key = s->name;
			r->name = conf_str(s, "name", "");
			r->clause = conf_str(s, "clause", "");
			r->respond_hours = (int)conf_int(s, "respond_hours", 0);
			r->repair_hours = (int)conf_int(s, "repair_hours", 0);
			if (r->repair_hours < 1 || r->repair_hours > 720 || r->respond_hours < 0 ||
			    r->respond_hours > 720)
				rc = conf_errf(err, file, s->line, "时限超出范围");
			if (!rc)
				rc = check_refs(p, s, "clause", err);
		} else if (strcmp(t, "maintenance") == 0) {
			p->has_maintenance = true;
			p->maintenance_notice_hours = (int)conf_int(s, "notice_hours", 0);
			p->maintenance_approval = conf_bool(s, "approval_required", false);
			p->maintenance_clause = conf_str(s, "clause", "");
			rc = check_refs(p, s, "clause", err);
		} else if (strcmp(t, "agreement") == 0) {
			GROW(p->agreements, p->nagreements);
			struct agreement_kind *a = &p->agreements[p->nagreements++];
			a->key = s->name;
			a->name = conf_str(s, "name", "");
			a->party = conf_str(s, "party", "");
			a->clause = conf_str(s, "clause", "");
			a->template_id = conf_str(s, "template", NULL);
			a->required_for_connection = conf_bool(s, "required_for_connection", false);
			a->backfill = conf_bool(s, "backfill", false);
			rc = check_vocab(p, s, "协议签署方", a->party, v_parties,
			                 entry(s, "party")->line, err);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
			if (!rc)
				rc = check_refs(p, s, "template", err);
		} else if (strcmp(t, "workflow") == 0) {
			GROW(p->workflows, p->nworkflows);
			struct workflow_rule *w = &p->workflows[p->nworkflows++];
			w->key = s->name;
			w->approvals = conf_str(s, "approvals", "");
			w->clause = conf_str(s, "clause", "");
			w->form = conf_str(s, "form", NULL);
			w->assessment_required = conf_bool(s, "assessment_required", false);
			rc = check_vocab(p, s, "流程", s->name, v_workflows, s->line, err);
			char copy[256], *items[8];
			snprintf(copy, sizeof(copy), "%s", w->approvals);
			size_t n = conf_split(copy, items, 8);
			if (!rc && n == 0)
				rc = conf_errf(err, file, entry(s, "approvals")->line,
				               "approvals 不能为空");
			for (size_t k = 0; !rc && k < n; k++)
				rc = check_vocab(p, s, "审批角色", items[k], v_approvers,
				                 entry(s, "approvals")->line, err);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
			if (!rc)
				rc = check_refs(p, s, "form", err);
		} else if (strcmp(t, "forbidden") == 0) {
			GROW(p->forbidden, p->nforbidden);
			struct forbidden_rule *f = &p->forbidden[p->nforbidden++];
			f->code = s->name;
			f->name = conf_str(s, "name", "");
			f->clause = conf_str(s, "clause", "");
			f->sanctions = conf_str(s, "sanctions", NULL);
			f->sanction_clause = conf_str(s, "sanction_clause", NULL);
			f->cost_to_unit = conf_bool(s, "cost_to_unit", false);
			rc = check_vocab(p, s, "禁止行为", s->name, v_behaviours, s->line, err);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
			if (!rc && f->sanctions && !f->sanction_clause)
				rc = conf_errf(err, file, entry(s, "sanctions")->line,
				               "给出 sanctions 时须同时给出 sanction_clause");
			if (!rc)
				rc = check_refs(p, s, "sanction_clause", err);
		} else if (strcmp(t, "sanction") == 0) {
			GROW(p->sanctions, p->nsanctions);
			struct sanction_rule *r = &p->sanctions[p->nsanctions++];
			r->code = s->name;
			r->name = conf_str(s, "name", "");
			r->clause = conf_str(s, "clause", "");
			r->note = conf_str(s, "note", NULL);
			rc = check_vocab(p, s, "处理措施", s->name, v_sanctions, s->line, err);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
		} else if (strcmp(t, "terminal_policy") == 0) {
			p->has_terminal_policy = true;
			p->antivirus_required = conf_bool(s, "antivirus_required", false);
			p->plugin_required = conf_bool(s, "plugin_required", false);
			p->signature_max_age_days = (int)conf_int(s, "signature_max_age_days", 0);
			p->patch_max_age_days = (int)conf_int(s, "patch_max_age_days", 0);
			p->terminal_clause = conf_str(s, "clause", "");
			if (p->signature_max_age_days < 1 || p->patch_max_age_days < 1)
				rc = conf_errf(err, file, s->line, "天数须为正整数");
			if (!rc)
				rc = check_refs(p, s, "clause", err);
		} else if (strcmp(t, "unit_status") == 0) {
			GROW(p->unit_statuses, p->nunit_statuses);
			struct unit_status_rule *u = &p->unit_statuses[p->nunit_statuses++];
			u->code = s->name;
			u->clause = conf_str(s, "clause", "");
			rc = check_vocab(p, s, "单位状态", s->name, v_ustatus, s->line, err);
			if (!rc)
				rc = check_refs(p, s, "clause", err);
		}
		if (rc)
			return rc;
	}
	/* Sanctions named in a ladder must say what they are called here. */
	for (size_t i = 0; i < p->nforbidden; i++) {
		if (!p->forbidden[i].sanctions)
			continue;
		char copy[256], *items[16];
		snprintf(copy, sizeof(copy), "%s", p->forbidden[i].sanctions);
		size_t n = conf_split(copy, items, 16);
		for (size_t k = 0; k < n; k++) {
			bool found = false;
			for (size_t j = 0; j < p->nsanctions; j++)
				found |= strcmp(p->sanctions[j].code, items[k]) == 0;
			if (!found) {
				const struct conf_section *s = NULL;
				for (size_t j = 0; j < p->doc.n; j++)
					if (strcmp(p->doc.sections[j].type, "forbidden") == 0 &&
					    strcmp(p->doc.sections[j].name, p->forbidden[i].code) ==
					        0)
						s = &p->doc.sections[j];
				return conf_errf(err, file, s ? entry(s, "sanctions")->line : 0,
				                 "处理措施 %s 没有对应的 [sanction %s] 节",
				                 items[k], items[k]);
			}
		}
	}
	for (size_t i = 0; i < p->nworkflows; i++)
		if (strstr(p->workflows[i].approvals, "authority") && !has_authority)
			return conf_errf(err, file, 0,
			                 "流程 %s 需要主管单位审批，但没有 role = authority 的机构",
			                 p->workflows[i].key);
	return 0;
}

int profile_parse(const char *file, const char *text, size_t len, const char *expect_id,
                  struct profile **out, struct zw_err *err)
{
	struct profile *p = calloc(1, sizeof(*p));
	if (!p)
		return zw_errf(err, ZW_EINTERNAL, NULL, "内存不足");
	int rc = conf_parse(file, text, len, &p->doc, err);
	if (!rc)
		rc = conf_check(&p->doc, schemas, err);
	if (rc) {
		profile_free(p);
		return rc;
	}
	const struct conf_section *ps = NULL;
	for (size_t i = 0; i < p->doc.n; i++)
		if (strcmp(p->doc.sections[i].type, "profile") == 0)
			ps = &p->doc.sections[i];
	p->id = conf_str(ps, "id", "");
	p->county = conf_str(ps, "county", "");
	p->prefix = conf_str(ps, "prefix", "");
	p->title = conf_str(ps, "title", "");
	p->doc_number = conf_str(ps, "doc_number", NULL);
	p->issuer = conf_str(ps, "issuer", "");
	p->status = conf_str(ps, "status", "");
	p->repeals = conf_str(ps, "repeals", NULL);
	p->network_name = conf_str(ps, "network_name", "");
	p->validity_clause = conf_str(ps, "validity_clause", NULL);
	p->source = conf_str(ps, "source", "");
	p->note = conf_str(ps, "note", NULL);
	p->issued = date_or_none(ps, "issued");
	p->effective = date_or_none(ps, "effective");
	p->expires = date_or_none(ps, "expires");
	if (expect_id && strcmp(p->id, expect_id) != 0)
		rc = conf_errf(err, file, entry(ps, "id")->line, "id \"%s\" 应与文件名 %s 一致",
		               p->id, expect_id);
	if (!rc)
		rc = check_vocab(p, ps, "status", p->status, v_status, entry(ps, "status")->line,
		                 err);
	if (!rc && strlen(p->prefix) > 8)
		rc = conf_errf(err, file, entry(ps, "prefix")->line, "prefix 过长");
	if (!rc && p->effective != PROFILE_NO_DATE && p->expires != PROFILE_NO_DATE &&
	    p->expires < p->effective)
		rc = conf_errf(err, file, entry(ps, "expires")->line, "失效日期早于施行日期");
	if (!rc)
		rc = pass_catalogue(p, err);
	if (!rc)
		rc = check_refs(p, ps, "validity_clause", err);
	if (!rc)
		rc = pass_rules(p, err);
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
	snprintf(stem, sizeof(stem), "%.*s", (int)(n - 5), base);
	FILE *fp = fopen(name, "rb");
	if (!fp)
		return zw_errf(err, ZW_EINVALID, "profile", "%s: 无法打开", name);
	char *text = malloc(CONF_MAX_FILE + 1);
	size_t len = text ? fread(text, 1, CONF_MAX_FILE + 1, fp) : 0;
	fclose(fp);
	if (!text)
		return zw_errf(err, ZW_EINTERNAL, NULL, "内存不足");
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
	free(p->clauses);
	free(p->orgs);
	free(p->deadlines);
	free(p->slas);
	free(p->agreements);
	free(p->workflows);
	free(p->forbidden);
	free(p->sanctions);
	free(p->unit_statuses);
	conf_free(&p->doc);
	free(p);
}

const struct deadline_rule *profile_deadline(const struct profile *p, const char *key)
{
	for (size_t i = 0; i < p->ndeadlines; i++)
		if (strcmp(p->deadlines[i].key, key) == 0)
			return &p->deadlines[i];
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
	char date[11];
	format_date(p->expires, date);
	if (left < 0)
		snprintf(buf, n, "《%s》已于 %s 失效，请尽快确认新的管理办法并更新配置", p->title,
		         date);
	else
		snprintf(buf, n, "《%s》将于 %s 到期（还剩 %d 天），请及时修订或延续", p->title,
		         date, left);
	return buf;
}

json_t *clause_list_json(const char *list)
{
	json_t *a = json_array();
	if (!list)
		return a;
	char copy[1024], *items[32];
	snprintf(copy, sizeof(copy), "%s", list);
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

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *profile_to_json(const struct profile *p, bool with_texts)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(p->id));
	json_object_set_new(o, "county", json_string(p->county));
	json_object_set_new(o, "prefix", json_string(p->prefix));
	json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "doc_number", str_or_null(p->doc_number));
	json_object_set_new(o, "issuer", json_string(p->issuer));
	json_object_set_new(o, "status", json_string(p->status));
	json_object_set_new(o, "issued", date_json(p->issued));
	json_object_set_new(o, "effective", date_json(p->effective));
	json_object_set_new(o, "expires", date_json(p->expires));
	json_object_set_new(o, "repeals", str_or_null(p->repeals));
	json_object_set_new(o, "network_name", json_string(p->network_name));
	json_object_set_new(o, "validity_clause", str_or_null(p->validity_clause));
	json_object_set_new(o, "note", str_or_null(p->note));
	json_t *a = json_array();
	for (size_t i = 0; i < p->norgs; i++) {
		const struct organisation *g = &p->orgs[i];
		json_t *x = json_pack("{s:s, s:s, s:s, s:o, s:o}", "key", g->key, "role", g->role,
		                      "name", g->name, "short", str_or_null(g->short_name),
		                      "clauses", clause_list_json(g->clause));
		if (g->members)
			json_object_set_new(x, "members", json_string(g->members));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "organisations", a);
	a = json_array();
	for (size_t i = 0; i < p->ndeadlines; i++) {
		const struct deadline_rule *d = &p->deadlines[i];
		json_t *x = json_pack("{s:s, s:o, s:b, s:s, s:o}", "key", d->key, "clauses",
		                      clause_list_json(d->clause), "pausable", d->pausable, "basis",
		                      d->basis, "note", str_or_null(d->note));
		if (d->working_days)
			json_object_set_new(x, "working_days", json_integer(d->working_days));
		else
			json_object_set_new(x, "hours", json_integer(d->hours));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "deadlines", a);
	a = json_array();
	for (size_t i = 0; i < p->nslas; i++) {
		const struct sla_rule *r = &p->slas[i];
		json_t *x = json_pack("{s:s, s:s, s:i, s:o}", "key", r->key, "name", r->name,
		                      "repair_hours", r->repair_hours, "clauses",
		                      clause_list_json(r->clause));
		if (r->respond_hours)
			json_object_set_new(x, "respond_hours", json_integer(r->respond_hours));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "slas", a);
	if (p->has_maintenance)
		json_object_set_new(o, "maintenance",
		                    json_pack("{s:i, s:b, s:o}", "notice_hours",
		                              p->maintenance_notice_hours, "approval_required",
		                              p->maintenance_approval, "clauses",
		                              clause_list_json(p->maintenance_clause)));
	a = json_array();
	for (size_t i = 0; i < p->nagreements; i++) {
		const struct agreement_kind *g = &p->agreements[i];
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:o}", "key", g->key, "name",
		                 g->name, "party", g->party, "clauses", clause_list_json(g->clause),
		                 "required_for_connection", g->required_for_connection, "backfill",
		                 g->backfill, "template", str_or_null(g->template_id)));
	}
	json_object_set_new(o, "agreements", a);
	a = json_array();
	for (size_t i = 0; i < p->nworkflows; i++) {
		const struct workflow_rule *w = &p->workflows[i];
		json_array_append_new(a, json_pack("{s:s, s:o, s:b, s:o, s:o}", "key", w->key,
		                                   "approvals", clause_list_json(w->approvals),
		                                   "assessment_required", w->assessment_required,
		                                   "clauses", clause_list_json(w->clause), "form",
		                                   str_or_null(w->form)));
	}
	json_object_set_new(o, "workflows", a);
	a = json_array();
	for (size_t i = 0; i < p->nforbidden; i++) {
		const struct forbidden_rule *f = &p->forbidden[i];
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:o, s:o, s:o, s:b}", "code", f->code, "name", f->name,
		                 "clauses", clause_list_json(f->clause), "sanctions",
		                 clause_list_json(f->sanctions), "sanction_clauses",
		                 clause_list_json(f->sanction_clause), "cost_to_unit",
		                 f->cost_to_unit));
	}
	json_object_set_new(o, "forbidden", a);
	a = json_array();
	for (size_t i = 0; i < p->nsanctions; i++) {
		const struct sanction_rule *r = &p->sanctions[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o}", "code", r->code, "name",
		                                   r->name, "clauses", clause_list_json(r->clause),
		                                   "note", str_or_null(r->note)));
	}
	json_object_set_new(o, "sanctions", a);
	if (p->has_terminal_policy)
		json_object_set_new(o, "terminal_policy",
		                    json_pack("{s:b, s:i, s:i, s:b, s:o}", "antivirus_required",
		                              p->antivirus_required, "signature_max_age_days",
		                              p->signature_max_age_days, "patch_max_age_days",
		                              p->patch_max_age_days, "plugin_required",
		                              p->plugin_required, "clauses",
		                              clause_list_json(p->terminal_clause)));
	json_t *us = json_object();
	for (size_t i = 0; i < p->nunit_statuses; i++)
		json_object_set_new(us, p->unit_statuses[i].code,
		                    clause_list_json(p->unit_statuses[i].clause));
	json_object_set_new(o, "unit_status_clauses", us);
	a = json_array();
	for (size_t i = 0; i < p->nclauses; i++)
		json_array_append_new(a, clause_to_json(&p->clauses[i], with_texts));
	json_object_set_new(o, "clauses", a);
	return o;
}
