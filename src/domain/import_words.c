#include "domain/import_words.h"

#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/embed.h"
#include "core/text.h"
#include "core/xalloc.h"

#define WORDS_FILE "data/import/words.conf"

static void push(struct import_word **v, size_t *n, struct import_word w)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = w;
}

static void push_key(char ***v, size_t *n, char *key)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = key;
}

/* Each item of a comma list (Chinese commas too) through f. */
static int each_item(const char *list, const char *file, int line, struct zw_err *err,
                     int (*f)(const char *item, char *key, void *ctx), void *ctx)
{
	char *copy = xstrdup(list);
	for (char *p = copy; *p;) {
		/* items end at ',' or at a full-width comma or 顿号 */
		char *end = p;
		size_t skip = 0;
		while (*end) {
			if (*end == ',') {
				skip = 1;
				break;
			}
			if (strncmp(end, "，", 3) == 0 || strncmp(end, "、", 3) == 0) {
				skip = 3;
				break;
			}
			end++;
		}
		char save = *end;
		*end = 0;
		const char *s;
		size_t n;
		text_trim(p, &s, &n);
		if (n) {
			char *item = xstrndup(s, n), *key = NULL;
			int rc = text_nfkc_key(item, &key);
			if (rc == 0)
				rc = f(item, key, ctx);
			else
				rc = conf_errf(err, file, line, "“%s”不是有效的 UTF-8 文本", item);
			free(item);
			if (rc) {
				free(key);
				free(copy);
				return rc;
			}
		}
		*end = save;
		p = end + (save ? skip : 0);
	}
	free(copy);
	return 0;
}

struct add_ctx {
	struct import_words *w;
	const char *kind, *field, *to, *file;
	int line;
	bool value;
	char ***keys;
	size_t *nkeys;
};

static int add_word(const char *item, char *key, void *vctx)
{
	struct add_ctx *a = vctx;
	if (a->keys) {
		push_key(a->keys, a->nkeys, key);
		return 0;
	}
	struct import_word w = {xstrdup(a->kind),
	                        xstrdup(a->field),
	                        key,
	                        xstrdup(item),
	                        a->to ? xstrdup(a->to) : NULL,
	                        xstrdup(a->file),
	                        a->line};
	if (a->value)
		push(&a->w->values, &a->w->nvalues, w);
	else
		push(&a->w->columns, &a->w->ncolumns, w);
	return 0;
}

static int load_doc(const struct conf_doc *doc, struct import_words *w, struct zw_err *err)
{
	for (size_t i = 0; i < doc->n; i++) {
		const struct conf_section *s = &doc->sections[i];
		if (!s->type[0] && !s->n)
			continue; /* the lines before the first section: comments only */
		/* which kinds and fields exist is import_kind's to say (import_words_check) */
		bool kind = strcmp(s->type, "kind") == 0 && s->name[0],
		     words = strcmp(s->type, "words") == 0;
		if (!kind && !(words && (!strcmp(s->name, "yes") || !strcmp(s->name, "no") ||
		                         !strcmp(s->name, "notes"))))
			return conf_errf(
			    err, doc->file, s->line,
			    "未知的节 [%s %s]（应为 [kind 类别] 或 [words yes|no|notes]）", s->type,
			    s->name);
		for (size_t j = 0; j < s->n; j++) {
			const struct conf_entry *e = &s->entries[j];
			struct add_ctx a = {
			    .w = w, .kind = s->name, .file = doc->file, .line = e->line};
			if (words) {
				if (strcmp(e->key, "list") != 0)
					return conf_errf(err, doc->file, e->line,
					                 "[words %s] 只有 list = …", s->name);
				if (strcmp(s->name, "yes") == 0)
					a.keys = &w->yes, a.nkeys = &w->nyes;
				else if (strcmp(s->name, "no") == 0)
					a.keys = &w->no, a.nkeys = &w->nno;
				else
					a.keys = &w->notes, a.nkeys = &w->nnotes;
			} else if (strncmp(e->key, "column.", 7) == 0 && e->key[7]) {
				a.field = e->key + 7;
			} else if (strncmp(e->key, "value.", 6) == 0 && e->key[6]) {
				a.field = e->key + 6, a.value = true;
			} else {
				return conf_errf(err, doc->file, e->line,
				                 "“%s”应为 column.字段 或 value.字段", e->key);
			}
			char *list = xstrdup(e->value);
			if (a.value) {
				char *arrow = strstr(list, "->");
				if (!arrow) {
					free(list);
					return conf_errf(err, doc->file, e->line,
					                 "value.%s 应为“写法, 写法 -> 登记值”",
					                 a.field);
				}
				*arrow = 0;
				const char *to;
				size_t n;
				text_trim(arrow + 2, &to, &n);
				((char *)to)[n] = 0;
				if (!n) {
					free(list);
					return conf_errf(err, doc->file, e->line,
					                 "“->”后缺少登记值");
				}
				a.to = to;
			}
			int rc = each_item(list, doc->file, e->line, err, add_word, &a);
			free(list);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int import_words_load(const char *path, struct import_words *w, struct zw_err *err)
{
	*w = (struct import_words){0};
	const struct embed_file *f = embed_find(WORDS_FILE);
	struct conf_doc doc;
	int rc = f ? conf_parse(WORDS_FILE, f->data, f->size, &doc, err)
	           : zw_errf(err, ZW_EINTERNAL, NULL, "缺少内置文件 %s", WORDS_FILE);
	if (rc)
		return rc;
	rc = load_doc(&doc, w, err);
	conf_free(&doc);
	if (!rc && path && *path) {
		rc = conf_load_file(path, &doc, err);
		if (!rc) {
			rc = load_doc(&doc, w, err);
			conf_free(&doc);
		}
	}
	if (rc)
		import_words_free(w);
	return rc;
}

static void free_words(struct import_word *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].field);
		free(v[i].key);
		free(v[i].text);
		free(v[i].to);
		free(v[i].file);
	}
	free(v);
}

static void free_keys(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void import_words_free(struct import_words *w)
{
	free_words(w->columns, w->ncolumns);
	free_words(w->values, w->nvalues);
	free_keys(w->yes, w->nyes);
	free_keys(w->no, w->nno);
	free_keys(w->notes, w->nnotes);
	*w = (struct import_words){0};
}

const char *import_words_column(const struct import_words *w, const char *kind, const char *key,
                                bool (*has)(const void *ctx, const char *field), const void *ctx)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < w->ncolumns; i++) {
			const struct import_word *c = &w->columns[i];
			if (strcmp(c->kind, pass ? "all" : kind) == 0 && strcmp(c->key, key) == 0 &&
			    has(ctx, c->field))
				return c->field;
		}
	return NULL;
}

const char *import_words_value(const struct import_words *w, const char *kind, const char *field,
                               const char *key)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < w->nvalues; i++) {
			const struct import_word *v = &w->values[i];
			if (strcmp(v->kind, pass ? "all" : kind) == 0 &&
			    strcmp(v->field, field) == 0 && strcmp(v->key, key) == 0)
				return v->to;
		}
	return NULL;
}

static bool in(char *const *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], key) == 0)
			return true;
	return false;
}

int import_words_yesno(const struct import_words *w, const char *key)
{
	return in(w->yes, w->nyes, key) ? 1 : in(w->no, w->nno, key) ? 0 : -1;
}

bool import_words_notes(const struct import_words *w, const char *key)
{
	for (size_t i = 0; i < w->nnotes; i++)
		if (strncmp(key, w->notes[i], strlen(w->notes[i])) == 0)
			return true;
	return false;
}
