/* A violation case's notice (paper.h). */
#include "domain/paper.h"

#include "domain/org/unit.h"

#include "domain/violation/violation.h"

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
		rc = unit_get(x->st, paper_jint(v, "unit_id"), &u, err);
	const char *state = rc ? "" : paper_jstr(v, "state");
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
	paper_org_full(x->prof, "manager", org, sizeof(org));
	paper_cite(x->prof, paper_jstr(v, "clause"), c, sizeof(c));
	struct buf b;
	buf_init(&b, PAPER_TEXT_MAX);
	buf_printf(&b, "经%s%s，你单位存在“%s”的行为", org,
	           strcmp(paper_jstr(v, "source"), "finding") == 0 ? "网络监测发现" : "检查发现",
	           paper_jstr(v, "behaviour_name"));
	if (paper_jint(v, "offence") > 1)
		buf_printf(&b, "（本年度第 %lld 次）", (long long)paper_jint(v, "offence"));
	buf_printf(&b, "，违反%s的规定。", c);
	if (*paper_jstr(v, "detail"))
		buf_printf(&b, "情况：%s。", paper_jstr(v, "detail"));
	if (*paper_jstr(v, "sanction_clause")) {
		paper_cite(x->prof, paper_jstr(v, "sanction_clause"), s, sizeof(s));
		buf_printf(&b, "依据%s，决定%s。", s, paper_jstr(v, "sanction_name"));
	} else {
		buf_puts(&b, "请立即停止并改正。");
	}
	const json_t *iso = json_array_get(json_object_get(v, "isolations"), 0);
	if (iso && json_is_null(json_object_get(iso, "lifted"))) {
		paper_date_cn(paper_jstr(iso, "since"), since, sizeof(since));
		if (strcmp(paper_jstr(v, "isolated_scope"), "unit") == 0)
			buf_printf(&b, "已于%s暂时断开你单位的网络连接。", since);
		else
			buf_printf(&b, "已于%s断开该终端（%s%s%s）的网络连接。", since,
			           paper_jstr(v, "mac"),
			           *paper_jstr(v, "mac") && *paper_jstr(v, "ip") ? "，" : "",
			           paper_jstr(v, "ip"));
	}
	doc_add(d, DOC_PARA, DOC_INDENT, b.p ? b.p : "");
	buf_free(&b);
	if (dl)
		paper_notice_deadline(d, x, dl, "请你单位在",
		                      "内完成整改，并将整改情况报送核实；核实后恢复接入。");
	if (paper_jint(v, "repair_cost") > 0)
		doc_addf(d, DOC_PARA, DOC_INDENT,
		         "因上述行为造成的维修费用 %s 元由你单位承担（%s）。",
		         paper_jstr(v, "repair_cost_yuan"), paper_jstr(v, "cost_note"));
	if (revoked)
		doc_add(d, DOC_PARA, DOC_INDENT, "自即日起取消你单位的入网资格。");
	doc_add(d, DOC_PARA, DOC_INDENT, "特此通知。");
	paper_today_cn(today, sizeof(today));
	doc_addf(d, DOC_SIGN, 0, "%s\n%s", org, today);
	const char *ids[2] = {paper_jstr(v, "clause"), paper_jstr(v, "sanction_clause")};
	for (int i = 0; i < 2; i++) {
		const struct clause *cl = *ids[i] ? profile_clause(x->prof, ids[i]) : NULL;
		if (!cl || !cl->text || (i == 1 && strcmp(ids[0], ids[1]) == 0))
			continue;
		paper_cite(x->prof, ids[i], c, sizeof(c));
		doc_addf(d, DOC_NOTE, 0, "附：%s原文\n%s", c, cl->text);
	}
	paper_footer(d, x->prof, title);
	json_decref(v);
	unit_free(&u);
	return 0;
}
