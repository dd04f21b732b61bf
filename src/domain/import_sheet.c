/* The sheets an import takes, made from the kind's columns (import_kind.h): what GET /imports
 * lists, the template a clerk fills in, and the export of the register in the same shape. */
#include "domain/import.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"
#include "core/xlsx_write.h"
#include "domain/import_kind.h"
#include "domain/org/unit.h"

#define TEMPLATE_ROWS 2000 /* rows the drop-down lists reach */

/* What a cell of f may hold, in words, for the notes sheet and GET /imports. */
static void describe(const struct import_col *c, char *out, size_t n)
{
	const struct rec_field *f = c->f;
	if (c->ref) {
		snprintf(out, n, "填%s", c->ref->by);
		return;
	}
	switch (f->type) {
	case REC_ENUM: {
		char allowed[300];
		rec_enum_list(f, allowed, sizeof(allowed));
		text_printf(out, n, "从下拉列表中选择：%s", allowed);
		return;
	}
	case REC_BOOL:
		snprintf(out, n, "是 或 否");
		return;
	case REC_DATE:
		snprintf(out, n, "日期，如 2025-10-31、2025/10/31、2025年10月31日%s",
		         (f->flags & REC_PAST) ? "，不晚于今天" : "");
		return;
	case REC_INT:
		snprintf(out, n, "整数 %lld–%lld", (long long)f->min, (long long)f->max);
		return;
	case REC_IP:
		snprintf(out, n, "IP 地址，如 10.61.3.20 或 2001:db8::20");
		return;
	case REC_IPS:
		snprintf(out, n, "一个或多个 IP 地址，以逗号分隔");
		return;
	case REC_CIDR:
		snprintf(out, n, "网络地址/前缀长度，如 10.61.3.0/24");
		return;
	case REC_MAC:
		snprintf(out, n,
		         "MAC 地址，任一常见写法：00:1a:2b:3c:4d:5e、00-1A-2B-3C-4D-5E、"
		         "001a.2b3c.4d5e");
		return;
	case REC_MOBILE:
		snprintf(out, n, "11 位手机号码");
		return;
	case REC_EMAIL:
		snprintf(out, n, "电子邮箱地址");
		return;
	default:
		snprintf(out, n, "文字，最多 %zu 个字", f->maxchars ? f->maxchars : 200);
	}
}

static json_t *synonyms(const struct import_words *w, const struct import_kind *k,
                        const char *field)
{
	json_t *a = json_array();
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < w->ncolumns; i++)
			if (strcmp(w->columns[i].kind, pass ? "all" : k->name) == 0 &&
			    strcmp(w->columns[i].field, field) == 0)
				json_array_append_new(a, json_string(w->columns[i].text));
	return a;
}

json_t *import_kinds(const struct import_words *words)
{
	const struct import_words *w = import_words_get(words);
	json_t *all = json_array();
	const struct import_kind *k;
	for (size_t i = 0; (k = import_kind_at(i)); i++) {
		json_t *cols = json_array();
		for (size_t j = 0; j < k->ncols; j++) {
			const struct import_col *c = &k->cols[j];
			char what[400];
			describe(c, what, sizeof(what));
			json_t *values = json_array();
			for (size_t e = 0; c->f->type == REC_ENUM && c->f->enums[e]; e++)
				json_array_append_new(
				    values,
				    json_string(c->f->labels ? c->f->labels[e] : c->f->enums[e]));
			json_array_append_new(
			    cols,
			    json_pack("{s:s, s:s, s:b, s:s?, s:s, s:o, s:o}", "field", c->f->name,
			              "header", c->f->label, "required", c->required, "reference",
			              c->ref ? c->ref->object : NULL, "format", what, "values",
			              values, "synonyms", synonyms(w, k, c->f->name)));
		}
		json_array_append_new(all, json_pack("{s:s, s:s, s:o}", "kind", k->name, "label",
		                                     k->label, "columns", cols));
	}
	return all;
}

/* The header row of a kind's sheet (bold, frozen, widths from the labels). */
static int sheet_head(struct xlsx_book *b, const struct import_kind *k)
{
	int s = xlsx_sheet_add(b, k->label, false);
	for (size_t j = 0; j < k->ncols; j++) {
		xlsx_cell(b, s, 0, (unsigned)j, k->cols[j].f->label, XLSX_HEAD);
		xlsx_col_width(b, s, (unsigned)j, 16);
	}
	xlsx_freeze_rows(b, s, 1);
	return s;
}

/* The text a cell shows for the value v of column c (NULL: empty). */
static const char *cell_text(const struct import_col *c, const char *v)
{
	const struct rec_field *f = c->f;
	for (size_t e = 0; v && f->type == REC_ENUM && f->labels && f->enums[e]; e++)
		if (strcmp(f->enums[e], v) == 0)
			return f->labels[e];
	return v;
}

int import_template(const struct import_words *words, const char *kind, struct buf *out,
                    struct zw_err *err)
{
	const struct import_kind *k = import_kind_named(kind);
	if (!k)
		return zw_errf(err, ZW_ENOTFOUND, "kind", "只能导入：%s", import_kind_list());
	const struct import_words *w = import_words_get(words);
	struct xlsx_book *b = xlsx_book_new();
	int s = sheet_head(b, k);
	int lists = -1;
	unsigned list_col = 0;
	for (size_t j = 0; j < k->ncols; j++) {
		const struct import_col *c = &k->cols[j];
		for (size_t p = 0; k->sample[p]; p += 2)
			if (strcmp(k->sample[p], c->f->name) == 0)
				xlsx_cell(b, s, 1, (unsigned)j, cell_text(c, k->sample[p + 1]), 0);
		if (c->f->type != REC_ENUM && c->f->type != REC_BOOL)
			continue;
		/* the drop-down's values, one column of a hidden sheet each */
		if (lists < 0)
			lists = xlsx_sheet_add(b, "选项", true);
		unsigned nv = 0;
		if (c->f->type == REC_BOOL) {
			xlsx_cell(b, lists, 0, list_col, "是", 0);
			xlsx_cell(b, lists, 1, list_col, "否", 0);
			nv = 2;
		}
		for (; c->f->type == REC_ENUM && c->f->enums[nv]; nv++)
			xlsx_cell(b, lists, nv, list_col,
			          c->f->labels ? c->f->labels[nv] : c->f->enums[nv], 0);
		char col[8], formula[64];
		xlsx_col_name(list_col, col);
		snprintf(formula, sizeof(formula), "选项!$%s$1:$%s$%u", col, col, nv);
		xlsx_list_validation(b, s, (unsigned)j, 1, TEMPLATE_ROWS, formula);
		list_col++;
	}
	/* the notes: each column, whether it must be filled, what it takes, what else it may be
	 * called */
	int notes = xlsx_sheet_add(b, "填表说明", false);
	static const char *const head[] = {"列名", "是否必填", "填写要求", "也可写作"};
	for (unsigned i = 0; i < 4; i++)
		xlsx_cell(b, notes, 0, i, head[i], XLSX_HEAD);
	xlsx_col_width(b, notes, 0, 16);
	xlsx_col_width(b, notes, 1, 10);
	xlsx_col_width(b, notes, 2, 60);
	xlsx_col_width(b, notes, 3, 40);
	/* a column's other names joined: the words file's, held already, so no maximum to fail at
	 * (one of 64 KB lost every name after it) */
	struct buf syn;
	buf_init(&syn, SIZE_MAX);
	for (size_t j = 0; j < k->ncols; j++) {
		const struct import_col *c = &k->cols[j];
		char what[400];
		describe(c, what, sizeof(what));
		buf_reset(&syn);
		json_t *a = synonyms(w, k, c->f->name);
		size_t i;
		json_t *v;
		json_array_foreach(a, i, v)
		{
			if (syn.len)
				buf_puts(&syn, "、");
			buf_puts(&syn, json_string_value(v));
		}
		json_decref(a);
		xlsx_cell(b, notes, (unsigned)j + 1, 0, c->f->label, 0);
		xlsx_cell(b, notes, (unsigned)j + 1, 1, c->required ? "必填" : "选填", 0);
		xlsx_cell(b, notes, (unsigned)j + 1, 2, what, XLSX_WRAP);
		xlsx_cell(b, notes, (unsigned)j + 1, 3, syn.p ? syn.p : "", XLSX_WRAP);
	}
	buf_free(&syn);
	static const char *const tips[] = {
	    "第一行为列名；列名上方可以有标题行，下方的空行和以“注”“填表人”等开头的说明行不导入。",
	    "列的顺序不限；不认识的列（如“序号”）不导入，导入结果中会列出。",
	    "全角字符（如 "
	    "１０．６１．３．２０）会按半角读取；同一列中合并的单元格按每一行都填写了该值处理。",
	    "默认整表导入：有任何一行有问题则不写入任何数据；也可选择只导入无问题的行，有问题的行连"
	    "同“问题”列另存为新表格。",
	    NULL};
	unsigned row = (unsigned)k->ncols + 2;
	for (size_t i = 0; tips[i]; i++)
		xlsx_cell(b, notes, row++, 0, tips[i], 0);
	int rc = xlsx_book_write(b, out, err);
	xlsx_book_free(b);
	return rc;
}

/* One object's row: its values as the template writes them. */
static void export_row(struct xlsx_book *b, int s, unsigned row, const struct import_kind *k,
                       json_t *obj, struct sconn *c, int64_t parent)
{
	for (size_t j = 0; j < k->ncols; j++) {
		const struct import_col *col = &k->cols[j];
		json_t *v = json_object_get(obj, col->f->name);
		char num[32], *owned = NULL;
		const char *text = NULL;
		if (col->ref) {
			int64_t id = col->f->name == k->kind->parent_field && parent
			                 ? parent
			                 : json_integer_value(v);
			if (id)
				text = owned = import_ref_name(col->ref, c, id);
		} else if (json_is_boolean(v)) {
			text = json_is_true(v) ? "是" : "否";
		} else if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			text = num;
		} else if (json_is_real(v)) {
			snprintf(num, sizeof(num), "%g", json_real_value(v));
			text = num;
		} else if (json_is_string(v)) {
			text = cell_text(col, json_string_value(v));
		}
		if (text && *text)
			xlsx_cell(b, s, row, (unsigned)j, text, 0);
		free(owned);
	}
}

int import_export(const struct ctx *x, const char *kind, struct buf *out, struct zw_err *err)
{
	const struct import_kind *k = import_kind_named(kind);
	if (!k)
		return zw_errf(err, ZW_ENOTFOUND, "kind", "只能导出：%s", import_kind_list());
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -err->code;
	/* a kind with a parent: every parent the principal may read, then its objects */
	const struct registry_kind *top = k->kind->parent ? k->kind->parent : k->kind;
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	json_t *items = registry_list_all(x, top, 0, &q, err);
	if (!items)
		return -err->code;
	struct xlsx_book *b = xlsx_book_new();
	int s = sheet_head(b, k);
	unsigned row = 1;
	size_t i;
	json_t *o;
	int rc = 0;
	json_array_foreach(items, i, o)
	{
		if (!k->kind->parent) {
			export_row(b, s, row++, k, o, c, 0);
			continue;
		}
		int64_t parent = json_integer_value(json_object_get(o, "id"));
		struct list_query cq = {.limit = 500, .sort = "id", .sort_int = true};
		json_t *kids = registry_list_all(x, k->kind, parent, &cq, err);
		if (!kids) {
			rc = -err->code;
			break;
		}
		size_t j;
		json_t *kid;
		json_array_foreach(kids, j, kid) export_row(b, s, row++, k, kid, c, parent);
		json_decref(kids);
	}
	json_decref(items);
	if (!rc)
		rc = xlsx_book_write(b, out, err);
	xlsx_book_free(b);
	return rc;
}
