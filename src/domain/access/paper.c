#include "domain/org/unit.h"
#include "domain/access/paper.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/deadline.h"
#include "domain/ipam/ipam.h"
#include "domain/violation/violation.h"
#include "store/contact_sql.h"
#include "store/rec.h"
#include "core/xalloc.h"

/* ---- small helpers ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static json_int_t jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* A member as text: strings as they are, integers in decimal, anything else empty. */
static void jtext(const json_t *o, const char *key, char *out, size_t n)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else
		snprintf(out, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* 1..99 in Chinese numerals, as in "第二十六条". */
static void cn_number(int v, char *out, size_t n)
{
	static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	if (v <= 0 || v > 99)
		snprintf(out, n, "%d", v);
	else if (v < 10)
		snprintf(out, n, "%s", d[v]);
	else
		snprintf(out, n, "%s十%s", v / 10 == 1 ? "" : d[v / 10], d[v % 10]);
}

/* "《办法》第十三条（TB-13）", or the id alone when the profile does not know it. */
static void cite(const struct profile *p, const char *id, char *out, size_t n)
{
	const struct clause *c = id && *id ? profile_clause(p, id) : NULL;
	if (!c) {
		snprintf(out, n, "%s", id ? id : "");
		return;
	}
	char num[32];
	cn_number(c->article, num, sizeof(num));
	if (c->article)
		snprintf(out, n, "《%s》第%s条（%s）", p->title, num, c->id);
	else
		snprintf(out, n, "《%s》%s（%s）", p->title, c->title ? c->title : "", c->id);
}

/* A date "YYYY-MM-DD..." (a day or an RFC 3339 time, read in Beijing time) as "2026年11月23日";
 * empty when s is not one. */
static void date_cn(const char *s, char *out, size_t n)
{
	int64_t t;
	int32_t day;
	int y;
	unsigned m, d;
	out[0] = 0;
	if (!s || !*s)
		return;
	if (strlen(s) == 10 && parse_date(s, &day) == 0)
		t = (int64_t)day * 86400;
	else if (parse_time(s, &t) == 0)
		t += 8 * 3600;
	else
		return;
	civil_from_days((int32_t)(t / 86400 - (t % 86400 < 0)), &y, &m, &d);
	snprintf(out, n, "%d年%u月%u日", y, m, d);
}

static void today_cn(char *out, size_t n)
{
	int y;
	unsigned m, d;
	civil_from_days(clock_today_cn(), &y, &m, &d);
	snprintf(out, n, "%d年%u月%u日", y, m, d);
}

/* The full name of the organisation of a role: "县…局" gets the county's name in front. */
static void org_full(const struct profile *p, const char *role, char *out, size_t n)
{
	for (size_t i = 0; i < p->norgs; i++) {
		if (strcmp(p->orgs[i].role, role) != 0)
			continue;
		const char *name = p->orgs[i].name;
		size_t cl = strlen(p->county);
		if (strncmp(name, "县", 3) == 0 && cl >= 3 && strcmp(p->county + cl - 3, "县") == 0)
			snprintf(out, n, "%s%s", p->county, name + 3);
		else
			snprintf(out, n, "%s", name);
		return;
	}
	snprintf(out, n, "%s", role);
}

/* The network's name with the county in front: "桐柏县政务外网", "洛宁县电子政务外网". */
static void network_full(const struct profile *p, char *out, size_t n)
{
	const char *net = p->network_name ? p->network_name : "电子政务外网";
	if (strncmp(net, "县", 3) == 0)
		net += 3;
	snprintf(out, n, "%s%s", p->county, net);
}

/* Footer of every generated page. */
static void footer(struct doc *d, const struct profile *p, const char *what)
{
	char now[64], line[1024];
	today_cn(now, sizeof(now));
	snprintf(line, sizeof(line), "%s · %s · zwnet 政务外网管理平台生成于%s", p->title, what,
	         now);
	doc_set_footer(d, line);
}

/* A record read straight from the store as JSON (the caller already may read its owner). */
static json_t *row_json(const struct ctx *x, const char *table, const struct rec_schema *sc,
                        int64_t id)
{
	struct zw_err err = {0};
	struct sconn *c = store_read(x->st, &err);
	if (!c || id <= 0)
		return NULL;
	void *rec = xcalloc(1, sc->size);
	json_t *o = NULL;
	if (store_rec_get(c, table, sc, id, NULL, 0, rec, &err) == 0)
		o = rec_to_json(sc, rec);
	rec_free(sc, rec);
	free(rec);
	return o;
}

/* The label of an application field (its schema's Chinese label). */
static const char *field_label(const char *name)
{
	for (size_t i = 0; i < application_schema.nfields; i++)
		if (strcmp(application_schema.fields[i].name, name) == 0)
			return application_schema.fields[i].label;
	return name;
}

/* ---- the application and what it refers to ---- */

struct app_paper {
	json_t *app; /* application_detail */
	struct unit unit;
	const char *kind, *fields, *review_rule, *implement_rule;
	const struct workflow_rule *wf;
};

static void app_paper_free(struct app_paper *a)
{
	json_decref(a->app);
	unit_free(&a->unit);
}

static int app_paper_load(const struct ctx *x, int64_t id, struct app_paper *a, struct zw_err *err)
{
	memset(a, 0, sizeof(*a));
	int rc = application_detail(x, id, &a->app, err);
	if (rc)
		return rc;
	rc = unit_get(x->st, jint(a->app, "unit_id"), &a->unit, err);
	if (rc)
		return rc;
	a->kind = jstr(a->app, "kind");
	if (!application_kind_info(a->kind, &a->fields, &a->review_rule, &a->implement_rule))
		return zw_errf(err, ZW_EINTERNAL, "kind", "未知的申请类型：%s", a->kind);
	a->wf = profile_workflow(x->prof, a->kind);
	return 0;
}

/* The decision event of approval step k (0-based): the k-th approval, or the rejection that
 * came after k approvals; NULL while that step is pending. */
static const json_t *step_event(const json_t *app, int k)
{
	size_t i;
	const json_t *e;
	int approvals = 0;
	json_array_foreach(json_object_get(app, "events"), i, e)
	{
		const char *action = jstr(e, "action");
		if (strcmp(action, "approve") == 0) {
			if (approvals++ == k)
				return e;
		} else if (strcmp(action, "reject") == 0 && approvals == k) {
			return e;
		}
	}
	return NULL;
}

/* The application's first step of an action, or NULL. */
static const json_t *event_of(const json_t *app, const char *action)
{
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(app, "events"), i,
	                   e) if (strcmp(jstr(e, "action"), action) == 0) return e;
	return NULL;
}

static const json_t *deadline_of(const json_t *app, const char *rule)
{
	size_t i;
	const json_t *dl;
	json_array_foreach(json_object_get(app, "deadlines"), i, dl)
	{
		if (rule && strcmp(jstr(dl, "rule"), rule) == 0)
			return dl;
	}
	return NULL;
}

/* "3个工作日（截至2026年11月26日）" or "1小时（截至…）". */
static void deadline_text(const json_t *dl, char *out, size_t n)
{
	char due[64];
	const char *d = jstr(dl, "due_date");
	date_cn(*d ? d : jstr(dl, "due_at"), due, sizeof(due));
	bool hours = strcmp(jstr(dl, "basis"), "hours") == 0;
	snprintf(out, n, "%lld%s（截至%s%s）", (long long)jint(dl, "amount"),
	         hours ? "小时" : "个工作日", due,
	         json_is_true(json_object_get(dl, "provisional")) ? "，暂按周一至周五计算" : "");
}

static const char *deadline_state(const json_t *dl)
{
	const char *s = jstr(dl, "status");
	if (strcmp(s, "met") == 0)
		return "已按期完成";
	if (strcmp(s, "breached") == 0)
		return json_object_get(dl, "met_at") && !json_is_null(json_object_get(dl, "met_at"))
		           ? "已完成，但超过期限"
		           : "已超期";
	if (strcmp(s, "paused") == 0)
		return "已暂停";
	if (strcmp(s, "cancelled") == 0)
		return "已取消";
	return "进行中";
}

/* ---- the form ---- */

static const int form_widths[] = {12, 17, 9, 22, 13, 27};

/* "☑党政机关 □事业单位 □其他：…" */
static void checkboxes(const char *const *opts, const char *chosen, const char *other, char *out,
                       size_t n)
{
	size_t k = 0;
	out[0] = 0;
	for (int i = 0; opts[i] && k < n; i++) {
		bool on = chosen && strcmp(chosen, opts[i]) == 0;
		int w = snprintf(out + k, n - k, "%s%s%s%s", i ? "  " : "", on ? "☑" : "□", opts[i],
		                 strcmp(opts[i], "其他") == 0 ? "：" : "");
		if (w < 0)
			break;
		k += (size_t)w;
		if (on && other && *other && strcmp(opts[i], "其他") == 0 && k < n)
			k += (size_t)snprintf(out + k, n - k, "%s", other);
	}
}

struct grid {
	struct doc *d;
	struct doc_table *t;
	int row;
};

/* label | value spanning the rest */
static void grid_line(struct grid *g, const char *label, const char *value, int min_lines)
{
	doc_cell(g->d, g->t, g->row, 1, 1, 1, DOC_LABEL, label);
	struct doc_cell *c = doc_cell(g->d, g->t, g->row, 2, 1, 4, 0, value);
	if (c)
		c->min_lines = min_lines;
	g->row++;
}

/* label | a | label2 | b */
static void grid_pair(struct grid *g, const char *label, const char *a, const char *label2,
                      const char *b)
{
	doc_cell(g->d, g->t, g->row, 1, 1, 1, DOC_LABEL, label);
	doc_cell(g->d, g->t, g->row, 2, 1, 2, 0, a);
	doc_cell(g->d, g->t, g->row, 4, 1, 1, DOC_LABEL, label2);
	doc_cell(g->d, g->t, g->row, 5, 1, 1, 0, b);
	g->row++;
}

/* label | 姓名 | name | 手机号码 | mobile */
static void grid_person(struct grid *g, const char *label, const char *name, const char *mobile)
{
	doc_cell(g->d, g->t, g->row, 1, 1, 1, DOC_LABEL, label);
	doc_cell(g->d, g->t, g->row, 2, 1, 1, DOC_LABEL, "姓名");
	doc_cell(g->d, g->t, g->row, 3, 1, 1, 0, name);
	doc_cell(g->d, g->t, g->row, 4, 1, 1, DOC_LABEL, "手机号码");
	doc_cell(g->d, g->t, g->row, 5, 1, 1, 0, mobile);
	g->row++;
}

/* A group label down the first column over the rows from..g->row. */
static void grid_group(struct grid *g, int from, const char *label)
{
	if (g->row > from)
		doc_cell(g->d, g->t, from, 0, g->row - from, 1, DOC_LABEL, label);
}

/* An opinion box: "<who>意见及签章：" with what was decided, the date at its foot. */
static void grid_opinion(struct grid *g, const char *who, const char *decision, const char *date)
{
	char *text = xasprintf("%s意见及签章：%s%s", who, decision && *decision ? "\n" : "",
	                       decision ? decision : "");
	struct doc_cell *c = doc_cell(g->d, g->t, g->row, 1, 1, 5, 0, text);
	free(text);
	if (c) { /* NULL only for a builder's mistake, which doc_cell marks */
		c->min_lines = 4;
		doc_cell_foot(g->d, c, date && *date ? date : "年　　月　　日");
	}
	g->row++;
}

/* What a decision event says (heap, NULL for none) and its date. */
static char *decision_text(const json_t *e, char *date, size_t dn)
{
	date[0] = 0;
	if (!e)
		return NULL;
	date_cn(jstr(e, "at"), date, dn);
	if (strcmp(jstr(e, "action"), "approve") == 0)
		return xasprintf("同意。%s", jstr(e, "reason"));
	return xasprintf("不同意。理由：%s", jstr(e, "reason"));
}

/* The business rows of an access or change application as in TB 附件1/附件2. */
static void form_business(struct grid *g, const struct app_paper *a)
{
	char v[1200], w[64];
	bool access = strcmp(a->kind, "access") == 0;
	if (!access) {
		static const char *const types[] = {"移机", "拆机", "其他", NULL};
		checkboxes(types, jstr(a->app, "change_type"), jstr(a->app, "change_other"), v,
		           sizeof(v));
		grid_line(g, "变更类型", v, 0);
		if (*jstr(a->app, "new_address"))
			grid_line(g, "移机后地址", jstr(a->app, "new_address"), 0);
	}
	jtext(a->app, "ip_count", v, sizeof(v));
	jtext(a->app, "bandwidth_mbps", w, sizeof(w));
	if (*w)
		strcat(w, " Mbps");
	grid_pair(g, "IP数量", v, "带宽", w);
	if (access || *jstr(a->app, "purpose"))
		grid_line(g, access ? "网络用途" : "变更说明", jstr(a->app, "purpose"),
		          access ? 3 : 0);
	/* what the county asks beyond the annex (SS-10 assessment, the 等保 level) */
	static const char *const extra[] = {"assessment_org", "assessment_on",
	                                    "assessment_conclusion", "djcp_level", NULL};
	for (int i = 0; access && extra[i]; i++)
		if (*jstr(a->app, extra[i]))
			grid_line(g, field_label(extra[i]), jstr(a->app, extra[i]), 0);
}

/* The rows of any other kind: each field it accepts that is filled in. */
static void form_fields(struct grid *g, const struct app_paper *a)
{
	char name[64], v[32];
	for (int i = 0; list_word(a->fields, i, name, sizeof(name)); i++) {
		if (strcmp(name, "zone_id") == 0 || strcmp(name, "user_type_other") == 0)
			continue;
		const json_t *val = json_object_get(a->app, name);
		if (json_is_string(val) && *json_string_value(val))
			grid_line(g, field_label(name), json_string_value(val), 0);
		else if (json_is_integer(val) && (jtext(a->app, name, v, sizeof(v)), *v))
			grid_line(g, field_label(name), v, 0);
	}
}

static void form_ports(struct doc *d, const json_t *app)
{
	const json_t *ports = json_object_get(app, "ports");
	if (!json_array_size(ports))
		return;
	static const int w[] = {8, 14, 10, 10, 22, 36};
	struct doc_table *t = doc_table(d, 6, w);
	static const char *const head[] = {"序号", "开放范围", "协议", "端口", "目标地址", "用途"};
	for (int i = 0; i < 6; i++)
		doc_cell(d, t, 0, i, 1, 1, DOC_LABEL, head[i]);
	size_t i;
	const json_t *p;
	json_array_foreach(ports, i, p)
	{
		char no[24], port[24];
		snprintf(no, sizeof(no), "%zu", i + 1);
		jtext(p, "port", port, sizeof(port));
		const char *cells[] = {no,   jstr(p, "exposure"),  jstr(p, "protocol"),
		                       port, jstr(p, "target_ip"), jstr(p, "purpose")};
		for (int c = 0; c < 6; c++)
			doc_cell(d, t, (int)i + 1, c, 1, 1, 0, cells[c]);
	}
}

/* The address allocation recorded on an access approval. */
static void allocation_text(const struct ctx *x, const json_t *app, char *out, size_t n)
{
	out[0] = 0;
	json_t *p = row_json(x, "prefixes", &prefix_schema, jint(app, "prefix_id"));
	json_t *v = row_json(x, "vlans", &vlan_schema, jint(app, "vlan_id"));
	size_t k = 0;
	if (p)
		k += (size_t)snprintf(out, n, "%s%s%s%s", jstr(p, "cidr"),
		                      *jstr(p, "gateway") ? "（网关 " : "", jstr(p, "gateway"),
		                      *jstr(p, "gateway") ? "）" : "");
	if (v && k < n)
		snprintf(out + k, n - k, "%sVLAN %lld", k ? "，" : "", (long long)jint(v, "vid"));
	json_decref(p);
	json_decref(v);
}

/* The annex a form follows, with its caption ("附件1") and its 备注 line. */
static const struct clause *form_annex(const struct ctx *x, const struct app_paper *a)
{
	return a->wf && a->wf->form ? profile_clause(x->prof, a->wf->form) : NULL;
}

static void annex_remark(struct doc *d, const struct clause *annex)
{
	const char *r = annex && annex->text ? strstr(annex->text, "备注：") : NULL;
	if (!r)
		return;
	doc_addf(d, DOC_NOTE, 0, "%.*s", (int)strcspn(r, "\n"), r);
}

/* 依据 and the deadlines, under the form. */
static void form_basis(struct doc *d, const struct ctx *x, const struct app_paper *a)
{
	char c[512], first[32], t[256];
	profile_first_clause(jstr(a->app, "clause"), first, sizeof(first));
	cite(x->prof, first, c, sizeof(c));
	struct buf b;
	buf_init(&b, 4096);
	buf_printf(&b, "依据：%s。", c);
	const char *rules[] = {a->review_rule, a->implement_rule};
	const char *names[] = {"审核期限", "实施期限"};
	for (int i = 0; i < 2; i++) {
		const json_t *dl = deadline_of(a->app, rules[i]);
		if (!dl)
			continue;
		deadline_text(dl, t, sizeof(t));
		buf_printf(&b, "%s：%s，%s（%s）。", names[i], t, deadline_state(dl),
		           jstr(dl, "clause"));
	}
	doc_add(d, DOC_NOTE, 0, b.p ? b.p : "");
	buf_free(&b);
}

int paper_application_form(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err)
{
	struct app_paper a;
	int rc = app_paper_load(x, id, &a, err);
	if (rc) {
		app_paper_free(&a);
		return rc;
	}
	const struct clause *annex = form_annex(x, &a);
	bool annex_grid = strcmp(a.kind, "access") == 0 || strcmp(a.kind, "change") == 0;
	char title[256], net[128], v[256], date[64];
	network_full(x->prof, net, sizeof(net));
	if (annex && annex->title)
		snprintf(title, sizeof(title), "%s", annex->title);
	else
		snprintf(title, sizeof(title), "%s%s表", net, application_kind_label(a.kind));
	doc_init(d, title);
	if (annex) {
		const char *dash = strchr(annex->id, '-');
		doc_add(d, DOC_CAPTION, 0, dash ? dash + 1 : annex->id);
	}
	doc_add(d, DOC_TITLE, 0, title);
	date_cn(jstr(a.app, "created_at"), date, sizeof(date));
	doc_addf(d, DOC_META, 0, "编号：%lld　　状态：%s　　提交日期：%s", (long long)id,
	         jstr(a.app, "status"), date);

	struct grid g = {d, doc_table(d, 6, form_widths), 0};
	int from = g.row;
	grid_line(&g, "单位名称", a.unit.name, 0);
	if (annex_grid) {
		static const char *const types[] = {"党政机关", "事业单位", "其他", NULL};
		checkboxes(types, jstr(a.app, "user_type"), jstr(a.app, "user_type_other"), v,
		           sizeof(v));
		grid_line(&g, "用户类型", v, 0);
		grid_line(&g, "办公地址",
		          *jstr(a.app, "address") ? jstr(a.app, "address")
		                                  : (a.unit.address ? a.unit.address : ""),
		          0);
		grid_person(&g, "网络管理员", jstr(a.app, "admin_name"),
		            jstr(a.app, "admin_mobile"));
		grid_person(&g, "技术联系人", jstr(a.app, "tech_name"), jstr(a.app, "tech_mobile"));
	} else {
		grid_line(&g, "办公地址", a.unit.address ? a.unit.address : "", 0);
	}
	grid_group(&g, from, "使用单位基本信息");

	from = g.row;
	if (annex_grid)
		form_business(&g, &a);
	else
		form_fields(&g, &a);
	char who[600];
	snprintf(who, sizeof(who), "申请人：%s", jstr(a.app, "submitted_by"));
	grid_opinion(&g, "使用单位", who, date);
	grid_group(&g, from, annex_grid ? "申请业务内容" : "申请内容");

	from = g.row;
	if (strcmp(a.kind, "access") == 0) {
		allocation_text(x, a.app, v, sizeof(v));
		grid_line(&g, "IP地址分配", v, 0);
	}
	const char *approvals = jstr(a.app, "approvals");
	char role[32], org[256];
	for (int k = 0; list_word(approvals, k, role, sizeof(role)); k++) {
		const char *shortname = profile_org_name(x->prof, role);
		snprintf(org, sizeof(org), "%s", shortname ? shortname : role);
		char *decision = decision_text(step_event(a.app, k), date, sizeof(date));
		grid_opinion(&g, org, decision, date);
		free(decision);
	}
	if (strcmp(a.kind, "access") == 0 || strcmp(a.kind, "change") == 0) {
		/* the step after the approvals: carried out (MY-4: by the 信息中心; TB-13: by the
		 * carrier), dated when the application is completed */
		const json_t *done = event_of(a.app, "complete");
		char *text = done ? xasprintf("已实施完成（%s）", jstr(done, "actor")) : NULL;
		date[0] = 0;
		if (done)
			date_cn(jstr(done, "at"), date, sizeof(date));
		grid_opinion(&g, "接入实施", text, date);
		free(text);
	}
	grid_group(&g, from, "管理单位意见");
	form_ports(d, a.app);
	annex_remark(d, annex);
	form_basis(d, x, &a);
	footer(d, x->prof, title);
	app_paper_free(&a);
	return 0;
}

/* ---- the notice of the decision ---- */

static bool decided(const char *status)
{
	return strcmp(status, "已批准") == 0 || strcmp(status, "实施中") == 0 ||
	       strcmp(status, "已办结") == 0 || strcmp(status, "未通过") == 0;
}

/* The last approval or the rejection. */
static const json_t *decision_event(const json_t *app)
{
	size_t i;
	const json_t *e, *last = NULL;
	json_array_foreach(json_object_get(app, "events"), i, e)
	{
		const char *action = jstr(e, "action");
		if (strcmp(action, "approve") == 0 || strcmp(action, "reject") == 0)
			last = e;
	}
	return last;
}

/* "县经济和信息化委、县信息中心": who reviewed, in the profile's order. */
static void approvers_text(const struct profile *p, const char *approvals, char *out, size_t n)
{
	size_t k = 0;
	char role[32];
	out[0] = 0;
	for (int i = 0; k < n && list_word(approvals, i, role, sizeof(role)); i++) {
		const char *name = profile_org_name(p, role);
		k += (size_t)snprintf(out + k, n - k, "%s%s", k ? "、" : "", name ? name : role);
	}
}

static void notice_ports(struct buf *b, const json_t *app)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(app, "ports"), i, p)
	{
		buf_printf(b, "%s%s %s/%lld → %s（%s）", i ? "；" : "准予开放以下端口：",
		           jstr(p, "exposure"), jstr(p, "protocol"), (long long)jint(p, "port"),
		           jstr(p, "target_ip"), jstr(p, "purpose"));
	}
	if (i) {
		const char *review = jstr(app, "review_on");
		char day[64];
		date_cn(review, day, sizeof(day));
		buf_printf(b, "。%s%s%s", *day ? "请于" : "", day,
		           *day ? "前提交复核，逾期未复核的端口将予以关闭。" : "");
	}
}

/* The paragraph on a deadline: what the rule is, its clause, and how it stands. */
static void notice_deadline(struct doc *d, const struct ctx *x, const json_t *dl, const char *lead,
                            const char *tail)
{
	char c[512], t[256], first[32];
	profile_first_clause(jstr(dl, "clause"), first, sizeof(first));
	cite(x->prof, first, c, sizeof(c));
	deadline_text(dl, t, sizeof(t));
	doc_addf(d, DOC_PARA, DOC_INDENT, "依据%s，%s%s%s", c, lead, t, tail);
}

int paper_application_notice(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err)
{
	struct app_paper a;
	int rc = app_paper_load(x, id, &a, err);
	const char *status = rc ? "" : jstr(a.app, "status");
	if (!rc && !decided(status))
		rc = zw_errf(err, ZW_ECONFLICT, "status",
		             "申请尚未审核完毕（当前状态：%s），不能出具审核结果通知书", status);
	const json_t *ev = rc ? NULL : decision_event(a.app);
	if (!rc && !ev)
		rc = zw_errf(err, ZW_ECONFLICT, "status",
		             "申请没有审核记录，不能出具审核结果通知书");
	if (rc) {
		app_paper_free(&a);
		return rc;
	}
	bool ok = strcmp(jstr(ev, "action"), "approve") == 0;
	const char *label = application_kind_label(a.kind);
	char title[256], submitted[64], on[64], who[512], net[128], org[256], v[512];
	snprintf(title, sizeof(title), "%s%s通知书", label, ok ? "审核通过" : "不予通过");
	doc_init(d, title);
	doc_add(d, DOC_TITLE, 0, title);
	doc_addf(d, DOC_META, 0, "编号：%lld", (long long)id);
	doc_addf(d, DOC_PARA, 0, "%s：", a.unit.name);
	date_cn(jstr(a.app, "created_at"), submitted, sizeof(submitted));
	date_cn(jstr(ev, "at"), on, sizeof(on));
	approvers_text(x->prof, jstr(a.app, "approvals"), who, sizeof(who));
	network_full(x->prof, net, sizeof(net));

	struct buf b;
	buf_init(&b, 1u << 20);
	buf_printf(&b, "你单位于%s提交的%s（编号：%lld）", submitted, label, (long long)id);
	if (*jstr(a.app, "change_type"))
		buf_printf(&b, "（变更类型：%s）", jstr(a.app, "change_type"));
	buf_printf(&b, "，经%s审核，", who);
	if (!ok)
		buf_printf(&b, "不予通过。理由：%s。", jstr(ev, "reason"));
	else if (strcmp(a.kind, "access") == 0)
		buf_printf(&b, "同意你单位接入%s。", net);
	else
		buf_puts(&b, "予以通过。");
	if (ok && strcmp(a.kind, "access") == 0) {
		allocation_text(x, a.app, v, sizeof(v));
		if (*v)
			buf_printf(&b, "为你单位分配 IP 地址段：%s。", v);
	}
	if (ok)
		notice_ports(&b, a.app);
	doc_add(d, DOC_PARA, DOC_INDENT, b.p ? b.p : "");
	buf_free(&b);

	const json_t *dl = deadline_of(a.app, a.review_rule);
	char tail[1024];
	if (dl) {
		snprintf(tail, sizeof(tail), "；本申请于%s审核完毕，%s。", on, deadline_state(dl));
		notice_deadline(d, x, dl, "审核期限为", tail);
	}
	dl = ok ? deadline_of(a.app, a.implement_rule) : NULL;
	if (dl) {
		const struct deadline_rule *rule = profile_deadline(x->prof, a.implement_rule);
		json_t *carrier =
		    row_json(x, "carriers", &carrier_schema, jint(a.app, "carrier_id"));
		if (carrier)
			snprintf(org, sizeof(org), "%s", jstr(carrier, "name"));
		else
			org_full(x->prof, "carrier", org, sizeof(org));
		json_decref(carrier);
		snprintf(tail, sizeof(tail), "内完成实施%s。",
		         rule && rule->pausable ? "；使用单位不具备实施条件的，期限暂停计算" : "");
		char lead[1024];
		snprintf(lead, sizeof(lead), "请%s在", org);
		notice_deadline(d, x, dl, lead, tail);
	}
	if (!ok)
		doc_add(d, DOC_PARA, DOC_INDENT, "你单位可根据上述理由补充完善后重新提出申请。");
	doc_add(d, DOC_PARA, DOC_INDENT, "特此通知。");
	org_full(x->prof, "manager", org, sizeof(org));
	doc_addf(d, DOC_SIGN, 0, "%s\n%s", org, on);
	char first[32], c[512];
	profile_first_clause(jstr(a.app, "clause"), first, sizeof(first));
	const struct clause *cl = profile_clause(x->prof, first);
	if (cl && cl->text) {
		cite(x->prof, first, c, sizeof(c));
		doc_addf(d, DOC_NOTE, 0, "附：%s原文\n%s", c, cl->text);
	}
	footer(d, x->prof, title);
	app_paper_free(&a);
	return 0;
}

/* ---- a violation's notice ---- */

/* 违规处理通知书 / 限期整改通知书 / 取消入网资格通知书 of a case, from its current state: the
 * behaviour and the clause it breaks, the offence count, the sanction and its clause, the
 * disconnection, the rectification deadline, the repair cost, each clause quoted. */
int paper_violation_notice(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err)
{
	json_t *v = NULL;
	int rc = violation_detail(x, id, &v, err);
	struct unit u = {0};
	if (!rc)
		rc = unit_get(x->st, jint(v, "unit_id"), &u, err);
	const char *state = rc ? "" : jstr(v, "state");
	if (!rc && (strcmp(state, "open") == 0 || strcmp(state, "dismissed") == 0))
		rc = zw_errf(err, ZW_ECONFLICT, "state",
		             strcmp(state, "open") == 0 ? "违规事项尚未通知单位，请先办理“通知单位”"
		                                        : "违规事项已排除，不出具通知书");
	if (rc) {
		json_decref(v);
		unit_free(&u);
		return rc;
	}
	const json_t *dl = json_array_get(json_object_get(v, "deadlines"), 0);
	bool revoked = strcmp(state, "revoked") == 0;
	const char *kind = revoked ? "取消入网资格通知书"
	                   : dl    ? "限期整改通知书"
	                           : "违规处理通知书";
	char title[128], c[512], s[512], org[256], today[64], since[64];
	snprintf(title, sizeof(title), "%s", kind);
	doc_init(d, title);
	doc_add(d, DOC_TITLE, 0, title);
	doc_addf(d, DOC_META, 0, "编号：违规 %lld", (long long)id);
	doc_addf(d, DOC_PARA, 0, "%s：", u.name);
	org_full(x->prof, "manager", org, sizeof(org));
	cite(x->prof, jstr(v, "clause"), c, sizeof(c));
	struct buf b;
	buf_init(&b, 1u << 20);
	buf_printf(&b, "经%s%s，你单位存在“%s”的行为", org,
	           strcmp(jstr(v, "source"), "finding") == 0 ? "网络监测发现" : "检查发现",
	           jstr(v, "behaviour_name"));
	if (jint(v, "offence") > 1)
		buf_printf(&b, "（本年度第 %lld 次）", (long long)jint(v, "offence"));
	buf_printf(&b, "，违反%s的规定。", c);
	if (*jstr(v, "detail"))
		buf_printf(&b, "情况：%s。", jstr(v, "detail"));
	if (*jstr(v, "sanction_clause")) {
		cite(x->prof, jstr(v, "sanction_clause"), s, sizeof(s));
		buf_printf(&b, "依据%s，决定%s。", s, jstr(v, "sanction_name"));
	} else {
		buf_puts(&b, "请立即停止并改正。");
	}
	const json_t *iso = json_array_get(json_object_get(v, "isolations"), 0);
	if (iso && json_is_null(json_object_get(iso, "lifted"))) {
		date_cn(jstr(iso, "since"), since, sizeof(since));
		if (strcmp(jstr(v, "isolated_scope"), "unit") == 0)
			buf_printf(&b, "已于%s暂时断开你单位的网络连接。", since);
		else
			buf_printf(&b, "已于%s断开该终端（%s%s%s）的网络连接。", since,
			           jstr(v, "mac"), *jstr(v, "mac") && *jstr(v, "ip") ? "，" : "",
			           jstr(v, "ip"));
	}
	doc_add(d, DOC_PARA, DOC_INDENT, b.p ? b.p : "");
	buf_free(&b);
	if (dl)
		notice_deadline(d, x, dl, "请你单位在",
		                "内完成整改，并将整改情况报送核实；核实后恢复接入。");
	if (jint(v, "repair_cost") > 0)
		doc_addf(d, DOC_PARA, DOC_INDENT,
		         "因上述行为造成的维修费用 %s 元由你单位承担（%s）。",
		         jstr(v, "repair_cost_yuan"), jstr(v, "cost_note"));
	if (revoked)
		doc_add(d, DOC_PARA, DOC_INDENT, "自即日起取消你单位的入网资格。");
	doc_add(d, DOC_PARA, DOC_INDENT, "特此通知。");
	today_cn(today, sizeof(today));
	doc_addf(d, DOC_SIGN, 0, "%s\n%s", org, today);
	const char *ids[2] = {jstr(v, "clause"), jstr(v, "sanction_clause")};
	for (int i = 0; i < 2; i++) {
		const struct clause *cl = *ids[i] ? profile_clause(x->prof, ids[i]) : NULL;
		if (!cl || !cl->text || (i == 1 && strcmp(ids[0], ids[1]) == 0))
			continue;
		cite(x->prof, ids[i], c, sizeof(c));
		doc_addf(d, DOC_NOTE, 0, "附：%s原文\n%s", c, cl->text);
	}
	footer(d, x->prof, title);
	json_decref(v);
	unit_free(&u);
	return 0;
}

/* ---- agreements from the profile's templates ---- */

/* What a blank of an agreement is filled with, by its label and its column on the line. */
enum fill { F_NONE, F_CENTER, F_UNIT, F_HEAD, F_PHONE, F_SIGNED };
static const struct {
	const char *label;
	int col;
	enum fill what;
} fills[] = {
    {"甲方", 0, F_CENTER},
    {"乙方", 1, F_UNIT},
    {"法定代表人", 1, F_HEAD},
    {"联系方式", 1, F_PHONE},
    {"本责任书的责任主体为", 0, F_UNIT},
    {"责任单位（盖章）", 0, F_UNIT},
    {"监督单位（盖章）", 1, F_CENTER},
    {"签订日期", 0, F_SIGNED},
};

struct parties {
	char center[512], unit[512], head[128], phone[32], signed_on[64];
};

static const char *fill_value(const struct parties *pt, const char *label, int col)
{
	for (size_t i = 0; i < sizeof(fills) / sizeof(fills[0]); i++) {
		if (fills[i].col != col || strcmp(fills[i].label, label) != 0)
			continue;
		switch (fills[i].what) {
		case F_CENTER:
			return pt->center;
		case F_UNIT:
			return pt->unit;
		case F_HEAD:
			return pt->head;
		case F_PHONE:
			return pt->phone;
		case F_SIGNED:
			return pt->signed_on;
		case F_NONE:
			break;
		}
	}
	return "";
}

static size_t chars_n(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static size_t skip_blank(const char *s)
{
	size_t i = 0;
	for (;;) {
		if (s[i] == ' ')
			i++;
		else if (strncmp(s + i, "　", 3) == 0)
			i += 3;
		else
			return i;
	}
}

/* One line of a template with its blanks filled ("label：<blank>" up to twice on a line, as in
 * "甲方：      乙方："): appended to d as a pair or a line; false when it is not such a line. */
static bool fill_line(struct doc *d, const struct parties *pt, const char *line)
{
	char *part[2] = {NULL, NULL};
	int col = 0;
	const char *s = line + skip_blank(line);
	bool form = true;
	while (form && *s && col < 2) {
		const char *colon = strstr(s, "：");
		if (!colon || chars_n(s, (size_t)(colon - s)) > 12) {
			form = false;
			break;
		}
		char label[128];
		snprintf(label, sizeof(label), "%.*s", (int)(colon - s), s);
		const char *after = colon + 3;
		size_t blank = skip_blank(after);
		if (!blank && *after) {
			form = false; /* a sentence ending in a colon, not a blank to fill */
			break;
		}
		const char *rest = after + blank;
		const char *v = fill_value(pt, label, col);
		const char *tail = "";
		bool next_label = false;
		if (*rest) {
			const char *c2 = strstr(rest, "：");
			next_label = c2 && chars_n(rest, (size_t)(c2 - rest)) <= 12;
			if (!next_label)
				tail = rest; /* "。" or "年 月 日" */
		}
		if (*v && strcmp(label, "签订日期") == 0)
			tail = "";
		part[col] = xasprintf("%s：%s%s", label, *v ? v : "＿＿＿＿＿＿＿＿", tail);
		col++;
		s = next_label ? rest : rest + strlen(rest);
	}
	if (form && col == 2)
		doc_addf(d, DOC_PAIR, 0, "%s\t%s", part[0] ? part[0] : "", part[1] ? part[1] : "");
	else if (form && col == 1)
		doc_add(d, DOC_PARA, 0, part[0] ? part[0] : "");
	free(part[0]);
	free(part[1]);
	return form && col > 0;
}

/* A heading of a template: a short line without punctuation ("保密信息的范围"). */
static bool heading(const char *line)
{
	size_t n = strlen(line);
	return n && chars_n(line, n) <= 10 && !strstr(line, "：") && !strstr(line, "。") &&
	       !strstr(line, "，") && !strstr(line, "；") && !strstr(line, "（");
}

static int parties_load(const struct ctx *x, int64_t unit_id, const char *key, struct parties *pt,
                        struct zw_err *err)
{
	struct unit u = {0};
	int rc = unit_get(x->st, unit_id, &u, err);
	if (rc) {
		unit_free(&u);
		return rc;
	}
	memset(pt, 0, sizeof(*pt));
	snprintf(pt->unit, sizeof(pt->unit), "%s", u.name);
	unit_free(&u);
	org_full(x->prof, "manager", pt->center, sizeof(pt->center));
	struct sconn *c = store_read(x->st, err);
	int64_t cid = 0;
	if (!c)
		return -err->code;
	rc = store_contact_of_role(c, unit_id, "主要领导", &cid, err);
	struct contact ct = {0};
	if (!rc && cid && contact_get(x->st, unit_id, cid, &ct, err) == 0) {
		snprintf(pt->head, sizeof(pt->head), "%s", ct.name ? ct.name : "");
		snprintf(pt->phone, sizeof(pt->phone), "%s", ct.mobile ? ct.mobile : "");
	}
	contact_free(&ct);
	struct buf b;
	buf_init(&b, 16u << 20);
	if (!rc)
		rc = agreement_list(x->st, unit_id, &b, err);
	json_t *list = rc ? NULL : json_loadb(b.p ? b.p : "[]", b.len, 0, NULL);
	buf_free(&b);
	size_t i;
	json_t *ag;
	json_array_foreach(json_object_get(list, "items") ? json_object_get(list, "items") : list,
	                   i, ag)
	{
		if (strcmp(jstr(ag, "kind"), key) == 0 && *jstr(ag, "signed_on"))
			date_cn(jstr(ag, "signed_on"), pt->signed_on, sizeof(pt->signed_on));
	}
	json_decref(list);
	return rc;
}

int paper_agreement(const struct ctx *x, int64_t unit_id, const char *key, struct doc *d,
                    struct zw_err *err)
{
	int rc = authz_check(x->by, ACT_UNIT_READ, unit_id, err);
	if (rc)
		return rc;
	const struct agreement_kind *k = profile_agreement(x->prof, key);
	if (!k)
		return zw_errf(err, ZW_ENOTFOUND, "kind", "《%s》没有“%s”这种协议", x->prof->title,
		               key);
	const struct clause *tpl = k->template_id ? profile_clause(x->prof, k->template_id) : NULL;
	if (!tpl || !tpl->text)
		return zw_err_clause(err, ZW_ERULE, "kind", k->clause, "《%s》未附%s的范本",
		                     x->prof->title, k->name);
	struct parties pt;
	rc = parties_load(x, unit_id, key, &pt, err);
	if (rc)
		return rc;
	doc_init(d, tpl->title ? tpl->title : k->name);
	const char *dash = strchr(tpl->id, '-');
	doc_add(d, DOC_CAPTION, 0, dash ? dash + 1 : tpl->id);
	doc_add(d, DOC_TITLE, 0, tpl->title ? tpl->title : k->name);
	for (const char *s = tpl->text; *s;) {
		size_t n = strcspn(s, "\n");
		char *line = xstrndup(s, n);
		s += n + (s[n] == '\n');
		size_t lead = skip_blank(line);
		if (!line[lead])
			; /* blank lines separate the blocks; the renderers space them */
		else if (heading(line + lead))
			doc_add(d, DOC_PARA, DOC_BOLD, line + lead);
		else if (!fill_line(d, &pt, line))
			doc_add(d, DOC_PARA, DOC_INDENT, line + lead);
		free(line);
	}
	char c[512], first[32];
	profile_first_clause(k->clause, first, sizeof(first));
	cite(x->prof, first, c, sizeof(c));
	doc_addf(d, DOC_NOTE, 0, "依据：%s。范本：《%s》%s。", c, x->prof->title,
	         dash ? dash + 1 : "");
	footer(d, x->prof, tpl->title ? tpl->title : k->name);
	return 0;
}
