/* The application form and the notice of its decision (paper.h). */
#include "domain/paper.h"

#include "domain/org/unit.h"

#include "core/parse.h"
#include "domain/access/application.h"
#include "domain/deadline.h"
#include "domain/inventory/assets.h"
#include "store/rec.h"
#include "core/text.h"
#include "core/xalloc.h"

/* A member as text: strings as they are, integers in decimal, anything else empty. */
static void jtext(const json_t *o, const char *key, char *out, size_t n)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else
		text_printf(out, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* The label of an application field (its schema's Chinese label). */
static const char *field_label(const char *name)
{
	const struct rec_field *f = rec_field(&application_schema, name);
	return f ? f->label : name;
}

/* A field of the application as a person reads it, by its field table: an integer that was
 * not given is a blank (rec_int_unset: no "IP数量 0"), an enum by its Chinese name. */
static const char *field_text(const json_t *app, const char *name, char *out, size_t n)
{
	const struct rec_field *f = rec_field(&application_schema, name);
	const json_t *v = json_object_get(app, name);
	const char *label = f && f->type == REC_ENUM && json_is_string(v)
	                        ? rec_enum_label(f, json_string_value(v))
	                        : NULL;
	if (label || json_is_string(v))
		return label ? label : json_string_value(v);
	if (!json_is_integer(v) || (f && rec_int_unset(f, json_integer_value(v))))
		return "";
	snprintf(out, n, "%lld", (long long)json_integer_value(v));
	return out;
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
	rc = unit_get(x->st, paper_jint(a->app, "unit_id"), &a->unit, err);
	if (rc)
		return rc;
	a->kind = paper_jstr(a->app, "kind");
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
		const char *action = paper_jstr(e, "action");
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
	                   e) if (strcmp(paper_jstr(e, "action"), action) == 0) return e;
	return NULL;
}

static const json_t *deadline_of(const json_t *app, const char *rule)
{
	size_t i;
	const json_t *dl;
	json_array_foreach(json_object_get(app, "deadlines"), i, dl)
	{
		if (rule && strcmp(paper_jstr(dl, "rule"), rule) == 0)
			return dl;
	}
	return NULL;
}

/* A deadline's status in words (deadline.c's names), and a breached one that was met late. */
static const char *deadline_state(const json_t *dl)
{
	const char *s = paper_jstr(dl, "status");
	if (strcmp(s, "breached") == 0 && json_object_get(dl, "met_at") &&
	    !json_is_null(json_object_get(dl, "met_at")))
		return "已完成，但超过期限";
	const char *l = rec_enum_label(rec_field(&deadline_schema, "status"), s);
	return l ? l : s;
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
		int w = text_printf(out + k, n - k, "%s%s%s%s", i ? "  " : "", on ? "☑" : "□",
		                    opts[i], strcmp(opts[i], "其他") == 0 ? "：" : "");
		if (w < 0)
			break;
		k += (size_t)w;
		if (on && other && *other && strcmp(opts[i], "其他") == 0 && k < n)
			k += (size_t)text_printf(out + k, n - k, "%s", other);
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

/* A person of the form (<stem>_name, <stem>_mobile) as the application gives them, else as
 * the register holds the unit's contact of that role: a form is filled from what is known. */
static void form_person(struct grid *g, const struct ctx *x, const struct app_paper *a,
                        const char *role, const char *stem)
{
	char nk[32], mk[32], name[128], mobile[32];
	snprintf(nk, sizeof(nk), "%s_name", stem);
	snprintf(mk, sizeof(mk), "%s_mobile", stem);
	const char *n = paper_jstr(a->app, nk), *m = paper_jstr(a->app, mk);
	struct zw_err err = {0};
	if (!*n && !*m &&
	    paper_contact(x, a->unit.id, role, name, sizeof(name), mobile, sizeof(mobile), &err) ==
	        0) {
		n = name;
		m = mobile;
	}
	grid_person(g, role, n, m);
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
	paper_date_cn(paper_jstr(e, "at"), date, dn);
	if (strcmp(paper_jstr(e, "action"), "approve") == 0)
		return xasprintf("同意。%s", paper_jstr(e, "reason"));
	return xasprintf("不同意。理由：%s", paper_jstr(e, "reason"));
}

/* The business rows of an access or change application as in TB 附件1/附件2. */
static void form_business(struct grid *g, const struct app_paper *a)
{
	char v[1200], w[64];
	bool access = strcmp(a->kind, "access") == 0;
	if (!access) {
		static const char *const types[] = {"移机", "拆机", "其他", NULL};
		checkboxes(types, paper_jstr(a->app, "change_type"),
		           paper_jstr(a->app, "change_other"), v, sizeof(v));
		grid_line(g, "变更类型", v, 0);
		if (*paper_jstr(a->app, "new_address"))
			grid_line(g, "移机后地址", paper_jstr(a->app, "new_address"), 0);
	}
	char ip[32], bw[32];
	const char *bws = field_text(a->app, "bandwidth_mbps", bw, sizeof(bw));
	if (*bws)
		snprintf(w, sizeof(w), "%s Mbps", bws);
	else
		w[0] = 0;
	grid_pair(g, "IP数量", field_text(a->app, "ip_count", ip, sizeof(ip)), "带宽", w);
	if (access || *paper_jstr(a->app, "purpose"))
		grid_line(g, access ? "网络用途" : "变更说明", paper_jstr(a->app, "purpose"),
		          access ? 3 : 0);
	/* what the county asks beyond the annex (SS-10 assessment, the 等保 level) */
	static const char *const extra[] = {"assessment_org", "assessment_on",
	                                    "assessment_conclusion", "djcp_level", NULL};
	for (int i = 0; access && extra[i]; i++) {
		const char *t = field_text(a->app, extra[i], w, sizeof(w));
		if (*t)
			grid_line(g, field_label(extra[i]), t, 0);
	}
}

/* The rows of any other kind: each field it accepts that is filled in. */
static void form_fields(struct grid *g, const struct app_paper *a)
{
	char name[64], v[32];
	for (int i = 0; list_word(a->fields, i, name, sizeof(name)); i++) {
		if (strcmp(name, "zone_id") == 0 || strcmp(name, "user_type_other") == 0)
			continue;
		const char *t = field_text(a->app, name, v, sizeof(v));
		if (*t)
			grid_line(g, field_label(name), t, 0);
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
		const char *cells[] = {no,   paper_jstr(p, "exposure"),  paper_jstr(p, "protocol"),
		                       port, paper_jstr(p, "target_ip"), paper_jstr(p, "purpose")};
		for (int c = 0; c < 6; c++)
			doc_cell(d, t, (int)i + 1, c, 1, 1, 0, cells[c]);
	}
}

/* The address allocation recorded on an access approval (the application's granted). */
static void allocation_text(const json_t *app, char *out, size_t n)
{
	const json_t *g = json_object_get(app, "granted");
	const json_t *p = json_object_get(g, "prefix"), *v = json_object_get(g, "vlan");
	const char *gw = paper_jstr(p, "gateway");
	size_t k = 0;
	out[0] = 0;
	if (p)
		k += (size_t)snprintf(out, n, "%s%s%s%s", paper_jstr(p, "cidr"),
		                      *gw ? "（网关 " : "", gw, *gw ? "）" : "");
	if (v && k < n)
		snprintf(out + k, n - k, "%sVLAN %lld", k ? "，" : "",
		         (long long)paper_jint(v, "vid"));
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
	profile_first_clause(paper_jstr(a->app, "clause"), first, sizeof(first));
	paper_cite(x->prof, first, c, sizeof(c));
	struct buf b;
	buf_init(&b, PAPER_TEXT_MAX);
	buf_printf(&b, "依据：%s。", c);
	const char *rules[] = {a->review_rule, a->implement_rule};
	const char *names[] = {"审核期限", "实施期限"};
	for (int i = 0; i < 2; i++) {
		const json_t *dl = deadline_of(a->app, rules[i]);
		if (!dl)
			continue;
		paper_deadline_text(dl, t, sizeof(t));
		buf_printf(&b, "%s：%s，%s（%s）。", names[i], t, deadline_state(dl),
		           paper_jstr(dl, "clause"));
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
	paper_network_full(x->prof, net, sizeof(net));
	if (annex && annex->title)
		text_printf(title, sizeof(title), "%s", annex->title);
	else
		text_printf(title, sizeof(title), "%s%s表", net, application_kind_label(a.kind));
	doc_init(d, title);
	if (annex) {
		const char *dash = strchr(annex->id, '-');
		doc_add(d, DOC_CAPTION, 0, dash ? dash + 1 : annex->id);
	}
	doc_add(d, DOC_TITLE, 0, title);
	paper_date_cn(paper_jstr(a.app, "created_at"), date, sizeof(date));
	doc_addf(d, DOC_META, 0, "编号：%lld　　状态：%s　　提交日期：%s", (long long)id,
	         paper_jstr(a.app, "status"), date);

	struct grid g = {d, doc_table(d, 6, form_widths), 0};
	int from = g.row;
	grid_line(&g, "单位名称", a.unit.name, 0);
	if (annex_grid) {
		static const char *const types[] = {"党政机关", "事业单位", "其他", NULL};
		checkboxes(types, paper_jstr(a.app, "user_type"),
		           paper_jstr(a.app, "user_type_other"), v, sizeof(v));
		grid_line(&g, "用户类型", v, 0);
		grid_line(&g, "办公地址",
		          *paper_jstr(a.app, "address") ? paper_jstr(a.app, "address")
		                                        : (a.unit.address ? a.unit.address : ""),
		          0);
		form_person(&g, x, &a, "网络管理员", "admin");
		form_person(&g, x, &a, "技术联系人", "tech");
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
	text_printf(who, sizeof(who), "申请人：%s", paper_jstr(a.app, "submitted_by"));
	grid_opinion(&g, "使用单位", who, date);
	grid_group(&g, from, annex_grid ? "申请业务内容" : "申请内容");

	from = g.row;
	if (strcmp(a.kind, "access") == 0) {
		allocation_text(a.app, v, sizeof(v));
		grid_line(&g, "IP地址分配", v, 0);
	}
	const char *approvals = paper_jstr(a.app, "approvals");
	char role[32], org[256];
	for (int k = 0; list_word(approvals, k, role, sizeof(role)); k++) {
		const char *shortname = profile_org_name(x->prof, role);
		text_printf(org, sizeof(org), "%s", shortname ? shortname : role);
		char *decision = decision_text(step_event(a.app, k), date, sizeof(date));
		grid_opinion(&g, org, decision, date);
		free(decision);
	}
	if (strcmp(a.kind, "access") == 0 || strcmp(a.kind, "change") == 0) {
		/* the step after the approvals: carried out (MY-4: by the 信息中心; TB-13: by the
		 * carrier), dated when the application is completed */
		const json_t *done = event_of(a.app, "complete");
		char *text = done ? xasprintf("已实施完成（%s）", paper_jstr(done, "actor")) : NULL;
		date[0] = 0;
		if (done)
			paper_date_cn(paper_jstr(done, "at"), date, sizeof(date));
		grid_opinion(&g, "接入实施", text, date);
		free(text);
	}
	grid_group(&g, from, "管理单位意见");
	form_ports(d, a.app);
	annex_remark(d, annex);
	form_basis(d, x, &a);
	paper_footer(d, x->prof, title);
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
		const char *action = paper_jstr(e, "action");
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
		k += (size_t)text_printf(out + k, n - k, "%s%s", k ? "、" : "", name ? name : role);
	}
}

static void notice_ports(struct buf *b, const json_t *app)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(app, "ports"), i, p)
	{
		buf_printf(b, "%s%s %s/%lld → %s（%s）", i ? "；" : "准予开放以下端口：",
		           paper_jstr(p, "exposure"), paper_jstr(p, "protocol"),
		           (long long)paper_jint(p, "port"), paper_jstr(p, "target_ip"),
		           paper_jstr(p, "purpose"));
	}
	if (i) {
		const char *review = paper_jstr(app, "review_on");
		char day[64];
		paper_date_cn(review, day, sizeof(day));
		buf_printf(b, "。%s%s%s", *day ? "请于" : "", day,
		           *day ? "前提交复核，逾期未复核的端口将予以关闭。" : "");
	}
}

int paper_application_notice(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err)
{
	struct app_paper a;
	int rc = app_paper_load(x, id, &a, err);
	const char *status = rc ? "" : paper_jstr(a.app, "status");
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
	bool ok = strcmp(paper_jstr(ev, "action"), "approve") == 0;
	const char *label = application_kind_label(a.kind);
	char title[256], submitted[64], on[64], who[512], net[128], org[256], v[512];
	text_printf(title, sizeof(title), "%s%s通知书", label, ok ? "审核通过" : "不予通过");
	doc_init(d, title);
	doc_add(d, DOC_TITLE, 0, title);
	doc_addf(d, DOC_META, 0, "编号：%lld", (long long)id);
	doc_addf(d, DOC_PARA, 0, "%s：", a.unit.name);
	paper_date_cn(paper_jstr(a.app, "created_at"), submitted, sizeof(submitted));
	paper_date_cn(paper_jstr(ev, "at"), on, sizeof(on));
	approvers_text(x->prof, paper_jstr(a.app, "approvals"), who, sizeof(who));
	paper_network_full(x->prof, net, sizeof(net));

	struct buf b;
	buf_init(&b, PAPER_TEXT_MAX);
	buf_printf(&b, "你单位于%s提交的%s（编号：%lld）", submitted, label, (long long)id);
	if (*paper_jstr(a.app, "change_type"))
		buf_printf(&b, "（变更类型：%s）", paper_jstr(a.app, "change_type"));
	buf_printf(&b, "，经%s审核，", who);
	if (!ok)
		buf_printf(&b, "不予通过。理由：%s。", paper_jstr(ev, "reason"));
	else if (strcmp(a.kind, "access") == 0)
		buf_printf(&b, "同意你单位接入%s。", net);
	else
		buf_puts(&b, "予以通过。");
	if (ok && strcmp(a.kind, "access") == 0) {
		allocation_text(a.app, v, sizeof(v));
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
		paper_notice_deadline(d, x, dl, "审核期限为", tail);
	}
	dl = ok ? deadline_of(a.app, a.implement_rule) : NULL;
	if (dl) {
		const struct deadline_rule *rule = profile_deadline(x->prof, a.implement_rule);
		const json_t *carrier =
		    json_object_get(json_object_get(a.app, "granted"), "carrier");
		if (carrier)
			text_printf(org, sizeof(org), "%s", paper_jstr(carrier, "name"));
		else
			paper_org_full(x->prof, "carrier", org, sizeof(org));
		snprintf(tail, sizeof(tail), "内完成实施%s。",
		         rule && rule->pausable ? "；使用单位不具备实施条件的，期限暂停计算" : "");
		char lead[1024];
		snprintf(lead, sizeof(lead), "请%s在", org);
		paper_notice_deadline(d, x, dl, lead, tail);
	}
	if (!ok)
		doc_add(d, DOC_PARA, DOC_INDENT, "你单位可根据上述理由补充完善后重新提出申请。");
	doc_add(d, DOC_PARA, DOC_INDENT, "特此通知。");
	paper_org_full(x->prof, "manager", org, sizeof(org));
	doc_addf(d, DOC_SIGN, 0, "%s\n%s", org, on);
	char first[32], c[512];
	profile_first_clause(paper_jstr(a.app, "clause"), first, sizeof(first));
	const struct clause *cl = profile_clause(x->prof, first);
	if (cl && cl->text) {
		paper_cite(x->prof, first, c, sizeof(c));
		doc_addf(d, DOC_NOTE, 0, "附：%s原文\n%s", c, cl->text);
	}
	paper_footer(d, x->prof, title);
	app_paper_free(&a);
	return 0;
}
