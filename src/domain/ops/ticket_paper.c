/* A fault ticket on paper (paper.h): 故障工单, what the carrier's engineer signs on site and the
 * center files, with the clocks and the clause they rest on. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "doc/doc.h"
#include "domain/inventory/assets.h"
#include "domain/ops/ticket.h"
#include "domain/org/unit.h"
#include "domain/paper.h"
#include "store/rec.h"

static const char *field_label(const char *name)
{
	const struct rec_field *f = rec_field(&ticket_schema, name);
	return f ? f->label : name;
}

static const char *value_label(const char *name, const char *v)
{
	const char *l = rec_enum_label(rec_field(&ticket_schema, name), v);
	return l ? l : v;
}

/* One clock in words: "2026-12-04 03:16 前（TB-12），已完成" */
static void clock_text(const json_t *c, char *out, size_t n)
{
	char due[32], met[32];
	paper_time_cn(paper_jstr(c, "due_at"), due, sizeof(due));
	paper_time_cn(paper_jstr(c, "met_at"), met, sizeof(met));
	const char *st = paper_jstr(c, "status");
	const char *word = strcmp(st, "met") == 0         ? "按时完成"
	                   : strcmp(st, "breached") == 0  ? "超时"
	                   : strcmp(st, "paused") == 0    ? "暂停计时"
	                   : strcmp(st, "cancelled") == 0 ? "已取消"
	                                                  : "计时中";
	text_printf(out, n, "%s 前（%s），%s%s%s", due, paper_jstr(c, "clause"), word,
	            *met ? "，完成于 " : "", met);
}

int paper_ticket(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err)
{
	json_t *t = NULL;
	int rc = case_detail(x, &ticket_case, id, &t, err);
	struct unit u = {0};
	if (!rc)
		rc = unit_get(x->st, paper_jint(t, "unit_id"), &u, err);
	struct carrier cr = {0};
	struct sconn *c = rc ? NULL : store_read(x->st, err);
	if (!rc && !c)
		rc = -ZW_EINTERNAL;
	if (!rc && paper_jint(t, "carrier_id") &&
	    store_rec_get(c, "carriers", &carrier_schema, paper_jint(t, "carrier_id"), NULL, 0, &cr,
	                  err) != 0)
		zw_err_clear(err); /* deleted since: the ticket still prints */
	if (rc) {
		json_decref(t);
		unit_free(&u);
		return rc;
	}
	char net[256], org[256], s[512], a[64], b[64];
	paper_network_full(x->prof, net, sizeof(net));
	paper_org_full(x->prof, "manager", org, sizeof(org));
	doc_init(d, "故障工单");
	text_printf(s, sizeof(s), "%s故障工单", net);
	doc_add(d, DOC_TITLE, 0, s);
	doc_addf(d, DOC_META, 0, "编号：故障 %lld　状态：%s", (long long)id,
	         paper_jstr(t, "state_label"));
	static const int widths[] = {18, 32, 18, 32};
	struct doc_table *g = doc_table(d, 4, widths);
	int row = 0;
#define PAIR(l1, v1, l2, v2)                                                                       \
	do {                                                                                       \
		doc_cell(d, g, row, 0, 1, 1, DOC_LABEL, l1);                                       \
		doc_cell(d, g, row, 1, 1, 1, 0, v1);                                               \
		doc_cell(d, g, row, 2, 1, 1, DOC_LABEL, l2);                                       \
		doc_cell(d, g, row, 3, 1, 1, 0, v2);                                               \
		row++;                                                                             \
	} while (0)
#define WIDE(l, v, lines)                                                                          \
	do {                                                                                       \
		doc_cell(d, g, row, 0, 1, 1, DOC_LABEL, l);                                        \
		struct doc_cell *wc = doc_cell(d, g, row, 1, 1, 3, 0, v);                          \
		if (wc)                                                                            \
			wc->min_lines = lines;                                                     \
		row++;                                                                             \
	} while (0)
	PAIR(field_label("unit_id"), u.name, field_label("location"),
	     value_label("location", paper_jstr(t, "location")));
	paper_time_cn(paper_jstr(t, "reported_at"), a, sizeof(a));
	PAIR(field_label("reported_at"), a, field_label("channel"),
	     value_label("channel", paper_jstr(t, "channel")));
	text_printf(s, sizeof(s), "%s%s%s", paper_jstr(t, "reporter"),
	            *paper_jstr(t, "reporter_phone") ? "　" : "", paper_jstr(t, "reporter_phone"));
	PAIR(field_label("reporter"), s, field_label("site_class"),
	     *paper_jstr(t, "site_class_name") ? paper_jstr(t, "site_class_name") : "—");
	paper_time_cn(paper_jstr(t, "dispatched_at"), b, sizeof(b));
	text_printf(s, sizeof(s), "%s%s%s", cr.name ? cr.name : "未派单",
	            cr.service_phone && *cr.service_phone ? "　" : "",
	            cr.service_phone ? cr.service_phone : "");
	PAIR(field_label("carrier_id"), s, field_label("dispatched_at"), b);
	WIDE(field_label("summary"), paper_jstr(t, "summary"), 1);
	WIDE(field_label("detail"), paper_jstr(t, "detail"), 2);
	size_t i;
	json_t *cl;
	json_array_foreach(json_object_get(t, "clocks"), i, cl)
	{
		bool respond = strncmp(paper_jstr(cl, "rule"), "respond:", 8) == 0;
		clock_text(cl, s, sizeof(s));
		WIDE(respond ? "响应时限" : "修复时限", s, 1);
	}
	WIDE(field_label("cause"), paper_jstr(t, "cause"), 3);
	paper_time_cn(paper_jstr(t, "resolved_at"), a, sizeof(a));
	paper_time_cn(paper_jstr(t, "closed_at"), b, sizeof(b));
	PAIR(field_label("resolved_at"), a, field_label("closed_at"), b);
	PAIR("维护人员签字", "", "报修单位确认", "");
#undef PAIR
#undef WIDE
	/* the steps, as the register kept them */
	static const int ew[] = {22, 16, 16, 46};
	struct doc_table *e = doc_table(d, 4, ew);
	static const char *const head[] = {"时间", "操作", "办理人", "说明"};
	for (int k = 0; k < 4; k++)
		doc_cell(d, e, 0, k, 1, 1, DOC_LABEL, head[k]);
	json_t *ev;
	json_array_foreach(json_object_get(t, "events"), i, ev)
	{
		paper_time_cn(paper_jstr(ev, "at"), a, sizeof(a));
		const char *detail = paper_jstr(ev, "detail"), *reason = paper_jstr(ev, "reason");
		text_printf(s, sizeof(s), "%s%s%s", detail, *detail && *reason ? "；" : "", reason);
		doc_cell(d, e, (int)i + 1, 0, 1, 1, 0, a);
		doc_cell(d, e, (int)i + 1, 1, 1, 1, 0, paper_jstr(ev, "action_label"));
		doc_cell(d, e, (int)i + 1, 2, 1, 1, 0, paper_jstr(ev, "actor"));
		doc_cell(d, e, (int)i + 1, 3, 1, 1, 0, s);
	}
	char today[64];
	paper_today_cn(today, sizeof(today));
	doc_addf(d, DOC_SIGN, 0, "%s\n%s", org, today);
	const char *clause = paper_jstr(t, "clause");
	const struct clause *k = *clause ? profile_clause(x->prof, clause) : NULL;
	if (k && k->text) {
		paper_cite(x->prof, clause, s, sizeof(s));
		doc_addf(d, DOC_NOTE, 0, "附：%s原文\n%s", s, k->text);
	}
	paper_footer(d, x->prof, "故障工单");
	rec_free(&carrier_schema, &cr);
	json_decref(t);
	unit_free(&u);
	return 0;
}
