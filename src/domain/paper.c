/* paper: what every generated document shares (paper.h). */
#include "domain/paper.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/org/contact.h"
#include "store/application_sql.h"

const char *paper_jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

json_int_t paper_jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
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
void paper_cite(const struct profile *p, const char *id, char *out, size_t n)
{
	const struct clause *c = id && *id ? profile_clause(p, id) : NULL;
	if (!c) {
		text_printf(out, n, "%s", id ? id : "");
		return;
	}
	char num[32];
	cn_number(c->article, num, sizeof(num));
	if (c->article)
		text_printf(out, n, "《%s》第%s条（%s）", p->title, num, c->id);
	else
		text_printf(out, n, "《%s》%s（%s）", p->title, c->title ? c->title : "", c->id);
}

/* A date "YYYY-MM-DD..." (a day or an RFC 3339 time, read in Beijing time) as "2026年11月23日";
 * empty when s is not one. */
void paper_date_cn(const char *s, char *out, size_t n)
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

void paper_today_cn(char *out, size_t n)
{
	int y;
	unsigned m, d;
	civil_from_days(clock_today_cn(), &y, &m, &d);
	snprintf(out, n, "%d年%u月%u日", y, m, d);
}

/* The full name of the organisation of a role: "县…局" gets the county's name in front. */
void paper_org_full(const struct profile *p, const char *role, char *out, size_t n)
{
	for (size_t i = 0; i < p->norgs; i++) {
		if (strcmp(p->orgs[i].role, role) != 0)
			continue;
		const char *name = p->orgs[i].name;
		size_t cl = strlen(p->county);
		if (strncmp(name, "县", 3) == 0 && cl >= 3 && strcmp(p->county + cl - 3, "县") == 0)
			text_printf(out, n, "%s%s", p->county, name + 3);
		else
			text_printf(out, n, "%s", name);
		return;
	}
	text_printf(out, n, "%s", role);
}

/* The network's name with the county in front: "桐柏县政务外网", "洛宁县电子政务外网". */
void paper_network_full(const struct profile *p, char *out, size_t n)
{
	const char *net = p->network_name ? p->network_name : "电子政务外网";
	if (strncmp(net, "县", 3) == 0)
		net += 3;
	text_printf(out, n, "%s%s", p->county, net);
}

/* Footer of every generated page. */
int paper_contact(const struct ctx *x, int64_t unit_id, const char *role, char *name, size_t nn,
                  char *mobile, size_t mn, struct zw_err *err)
{
	name[0] = mobile[0] = 0;
	struct sconn *c = store_read(x->st, err);
	int64_t cid = 0;
	if (!c)
		return -err->code;
	int rc = store_contact_of_role(c, unit_id, role, &cid, err);
	struct contact ct = {0};
	if (!rc && cid && (rc = contact_get(x->st, unit_id, cid, &ct, err)) == 0) {
		text_printf(name, nn, "%s", ct.name ? ct.name : "");
		text_printf(mobile, mn, "%s", ct.mobile ? ct.mobile : "");
	}
	contact_free(&ct);
	return rc;
}

void paper_footer(struct doc *d, const struct profile *p, const char *what)
{
	char now[64], line[1024];
	paper_today_cn(now, sizeof(now));
	text_printf(line, sizeof(line), "%s · %s · zwnet 政务外网管理平台生成于%s", p->title, what,
	            now);
	doc_set_footer(d, line);
}

/* "3个工作日（截至2026年11月26日）" or "1小时（截至…）". */
void paper_deadline_text(const json_t *dl, char *out, size_t n)
{
	char due[64];
	const char *d = paper_jstr(dl, "due_date");
	paper_date_cn(*d ? d : paper_jstr(dl, "due_at"), due, sizeof(due));
	bool hours = strcmp(paper_jstr(dl, "basis"), "hours") == 0;
	snprintf(out, n, "%lld%s（截至%s%s）", (long long)paper_jint(dl, "amount"),
	         hours ? "小时" : "个工作日", due,
	         json_is_true(json_object_get(dl, "provisional")) ? "，暂按周一至周五计算" : "");
}

/* The paragraph on a deadline: what the rule is, its clause, and how it stands. */
void paper_notice_deadline(struct doc *d, const struct ctx *x, const json_t *dl, const char *lead,
                           const char *tail)
{
	char c[512], t[256], first[32];
	profile_first_clause(paper_jstr(dl, "clause"), first, sizeof(first));
	paper_cite(x->prof, first, c, sizeof(c));
	paper_deadline_text(dl, t, sizeof(t));
	doc_addf(d, DOC_PARA, DOC_INDENT, "依据%s，%s%s%s", c, lead, t, tail);
}

void paper_time_cn(const char *iso, char *out, size_t n)
{
	int64_t t;
	*out = 0;
	if (iso && *iso && parse_time(iso, &t) == 0)
		clock_format_cn_min(t, out, n);
}
