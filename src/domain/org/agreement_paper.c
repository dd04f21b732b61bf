/* Agreements from the profile's templates, the parties filled in (paper.h). */
#include "domain/paper.h"

#include "domain/org/unit.h"

#include "core/text.h"
#include "core/xalloc.h"

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
		text_printf(label, sizeof(label), "%.*s", (int)(colon - s), s);
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
	text_printf(pt->unit, sizeof(pt->unit), "%s", u.name);
	unit_free(&u);
	paper_org_full(x->prof, "manager", pt->center, sizeof(pt->center));
	rc = paper_contact(x, unit_id, "主要领导", pt->head, sizeof(pt->head), pt->phone,
	                   sizeof(pt->phone), err);
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
		if (strcmp(paper_jstr(ag, "kind"), key) == 0 && *paper_jstr(ag, "signed_on"))
			paper_date_cn(paper_jstr(ag, "signed_on"), pt->signed_on,
			              sizeof(pt->signed_on));
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
	paper_cite(x->prof, first, c, sizeof(c));
	doc_addf(d, DOC_NOTE, 0, "依据：%s。范本：《%s》%s。", c, x->prof->title,
	         dash ? dash + 1 : "");
	paper_footer(d, x->prof, tpl->title ? tpl->title : k->name);
	return 0;
}
