/* The daily duty log on paper (JX-19 值班日志): every shift of one day with who held it, when
 * it was taken over and handed over, the profile's daily checks and their results, what was
 * seen and done, the linked tickets, and the handover notes; signature lines under each. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "doc/doc.h"
#include "domain/ops/duty.h"
#include "domain/paper.h"
#include "store/rec.h"

/* An RFC 3339 time of the API as Beijing time, HH:MM of the day ("" for none). */
static void hhmm(const char *iso, char *out, size_t n)
{
	char full[32];
	paper_time_cn(iso, full, sizeof(full));
	text_printf(out, n, "%s", *full ? full + 11 : "");
}

/* The result recorded for check w in the shift's entries: the last one ("" for none). */
static const char *check_result(const json_t *entries, const char *w, const char **seen)
{
	const char *r = "";
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e)
	{
		if (strcmp(paper_jstr(e, "check_item"), w) == 0) {
			r = paper_jstr(e, "result");
			*seen = paper_jstr(e, "seen");
		}
	}
	return r;
}

static void one_shift(struct doc *d, const json_t *s)
{
	char a[16], b[16], line[512];
	hhmm(paper_jstr(s, "started_at"), a, sizeof(a));
	hhmm(paper_jstr(s, "ended_at"), b, sizeof(b));
	doc_addf(d, DOC_PARA, DOC_BOLD, "%s　值班人：%s　接班：%s　交班：%s　（%s）",
	         paper_jstr(s, "shift"), paper_jstr(s, "user_name"), *a ? a : "—", *b ? b : "—",
	         paper_jstr(s, "state_label"));
	const json_t *entries = json_object_get(s, "entries");
	const json_t *checks = json_object_get(s, "checks");
	if (json_array_size(checks)) {
		static const int cw[] = {30, 14, 56};
		struct doc_table *g = doc_table(d, 3, cw);
		static const char *const head[] = {"日常检查项目", "结果", "情况"};
		for (int k = 0; k < 3; k++)
			doc_cell(d, g, 0, k, 1, 1, DOC_LABEL, head[k]);
		size_t i;
		json_t *w;
		json_array_foreach(checks, i, w)
		{
			const char *seen = "";
			const char *r = check_result(entries, json_string_value(w), &seen);
			doc_cell(d, g, (int)i + 1, 0, 1, 1, 0, json_string_value(w));
			doc_cell(d, g, (int)i + 1, 1, 1, 1, 0, *r ? r : "未记录");
			doc_cell(d, g, (int)i + 1, 2, 1, 1, 0, seen);
		}
	}
	static const int ew[] = {10, 36, 30, 12, 12};
	struct doc_table *g = doc_table(d, 5, ew);
	static const char *const head[] = {"时间", "发现情况", "处理情况", "关联工单", "记录人"};
	for (int k = 0; k < 5; k++)
		doc_cell(d, g, 0, k, 1, 1, DOC_LABEL, head[k]);
	size_t i;
	int row = 1;
	json_t *e;
	json_array_foreach(entries, i, e)
	{
		if (*paper_jstr(e, "check_item"))
			continue; /* in the checklist above */
		char t[16], tk[32] = "";
		hhmm(paper_jstr(e, "at"), t, sizeof(t));
		if (paper_jint(e, "ticket_id"))
			text_printf(tk, sizeof(tk), "故障 %lld",
			            (long long)paper_jint(e, "ticket_id"));
		doc_cell(d, g, row, 0, 1, 1, 0, t);
		doc_cell(d, g, row, 1, 1, 1, 0, paper_jstr(e, "seen"));
		doc_cell(d, g, row, 2, 1, 1, 0, paper_jstr(e, "done"));
		doc_cell(d, g, row, 3, 1, 1, 0, tk);
		doc_cell(d, g, row, 4, 1, 1, 0, paper_jstr(e, "recorded_by"));
		row++;
	}
	if (row == 1)
		doc_cell(d, g, row, 0, 1, 5, 0, "本班次无其他记录");
	text_printf(line, sizeof(line), "交接事项：%s",
	            *paper_jstr(s, "handover_note") ? paper_jstr(s, "handover_note") : "无");
	doc_add(d, DOC_PARA, 0, line);
	doc_add(d, DOC_PAIR, 0, "交班人签字：\t接班人签字：");
}

int paper_duty_log(const struct ctx *x, const char *day, struct doc *d, struct zw_err *err)
{
	char today[11];
	int32_t days;
	if (!day) {
		format_date(clock_today_cn(), today);
		day = today;
	} else if (parse_date(day, &days) < 0) {
		return zw_errf(err, ZW_EINVALID, "day", "day 应为 YYYY-MM-DD，如 2026-12-04");
	}
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	q.f[q.nf++] = (struct lq_filter){.col = "day", .val = day, .op = LQ_EQ};
	json_t *list = registry_list_all(x, &duty_shift_kind, 0, &q, err);
	if (!list)
		return -err->code;
	char net[256], org[256], s[512];
	paper_network_full(x->prof, net, sizeof(net));
	paper_org_full(x->prof, "manager", org, sizeof(org));
	doc_init(d, "值班日志");
	text_printf(s, sizeof(s), "%s值班日志", net);
	doc_add(d, DOC_TITLE, 0, s);
	paper_date_cn(day, s, sizeof(s));
	doc_addf(d, DOC_META, 0, "日期：%s　班次：%zu", s, json_array_size(list));
	int rc = 0;
	size_t i;
	json_t *sh;
	json_array_foreach(list, i, sh)
	{
		if (strcmp(paper_jstr(sh, "state"), "cancelled") == 0)
			continue;
		json_t *full = NULL;
		rc = case_detail(x, &duty_case, paper_jint(sh, "id"), &full, err);
		if (rc)
			break;
		one_shift(d, full);
		json_decref(full);
	}
	if (!rc && json_array_size(list) == 0)
		doc_add(d, DOC_PARA, 0, "当日未排班。");
	json_decref(list);
	if (rc)
		return rc;
	char date[64];
	paper_today_cn(date, sizeof(date));
	doc_addf(d, DOC_SIGN, 0, "%s\n%s", org, date);
	char clause[32] = "";
	if (x->prof->has_duty)
		profile_first_clause(x->prof->duty_clause, clause, sizeof(clause));
	const struct clause *k = *clause ? profile_clause(x->prof, clause) : NULL;
	if (k && k->text) {
		paper_cite(x->prof, clause, s, sizeof(s));
		doc_addf(d, DOC_NOTE, 0, "附：%s原文\n%s", s, k->text);
	}
	paper_footer(d, x->prof, "值班日志");
	return 0;
}
