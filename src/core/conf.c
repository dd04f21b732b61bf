#include "core/conf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"

int conf_errf(struct zw_err *err, const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zw_errf(err, ZW_EINVALID, NULL, "%s:%d: %s", file, line, msg);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static void push_section(struct conf_doc *doc, const char *type, const char *name, int line)
{
	if (doc->n == doc->cap) {
		doc->cap = doc->cap ? doc->cap * 2 : 16;
		doc->sections = xreallocarray(doc->sections, doc->cap, sizeof(*doc->sections));
	}
	doc->sections[doc->n++] =
	    (struct conf_section){.type = xstrdup(type), .name = xstrdup(name), .line = line};
}

static void push_entry(struct conf_section *s, const char *key, char *value_take, int line)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->entries = xreallocarray(s->entries, s->cap, sizeof(*s->entries));
	}
	s->entries[s->n++] = (struct conf_entry){xstrdup(key), value_take, line};
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static bool is_terminator(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || *s == '_'))
			return false;
	return true;
}

/* Next line of text: returns its start and sets *len (without the newline), or NULL at end. */
static const char *next_line(const char *text, size_t len, size_t *pos, size_t *llen)
{
	if (*pos >= len)
		return NULL;
	const char *start = text + *pos;
	const char *nl = memchr(start, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - start) : len - *pos;
	*pos += n + (nl ? 1 : 0);
	*llen = n;
	return start;
}

int conf_parse(const char *file, const char *text, size_t len, struct conf_doc *doc,
               struct zw_err *err)
{
	memset(doc, 0, sizeof(*doc));
	doc->file = xstrdup(file);
	if (len > CONF_MAX_FILE)
		return conf_errf(err, file, 0, "文件过大（上限 %u 字节）", CONF_MAX_FILE);
	if (!utf8_valid(text, len, true))
		return conf_errf(err, file, 0, "文件不是有效的 UTF-8 文本");
	/* Skip a UTF-8 byte-order mark, as spreadsheet tools write one. */
	size_t pos = (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	size_t llen, items = 0;
	int lineno = 0;
	const char *l;
	char line[CONF_MAX_LINE + 1];
	push_section(doc, "", "", 0);
	while ((l = next_line(text, len, &pos, &llen))) {
		lineno++;
		if (llen > CONF_MAX_LINE)
			return conf_errf(err, file, lineno, "行过长（上限 %d 字节）",
			                 CONF_MAX_LINE);
		if (++items > CONF_MAX_ITEMS)
			return conf_errf(err, file, lineno, "条目过多");
		memcpy(line, l, llen);
		line[llen] = 0;
		char *s = trim(line);
		if (*s == 0 || *s == '#')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || trim(end + 1)[0] != 0)
				return conf_errf(err, file, lineno, "节标题缺少 ]");
			*end = 0;
			char *type = trim(s + 1), *name = type;
			while (*name && *name != ' ' && *name != '\t')
				name++;
			if (*name)
				*name++ = 0;
			name = trim(name);
			if (!*type)
				return conf_errf(err, file, lineno, "节标题为空");
			for (char *p = type; *p; p++)
				if (!is_key_char(*p))
					return conf_errf(err, file, lineno, "节类型含非法字符");
			if (strpbrk(name, " \t"))
				return conf_errf(err, file, lineno, "节名称不能含空格");
			push_section(doc, type, name, lineno);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return conf_errf(err, file, lineno, "应为 key = value");
		*eq = 0;
		char *key = trim(s), *val = trim(eq + 1);
		if (!*key)
			return conf_errf(err, file, lineno, "缺少键名");
		for (char *p = key; *p; p++)
			if (!is_key_char(*p))
				return conf_errf(err, file, lineno, "键名 \"%s\" 含非法字符", key);
		char *value;
		int keyline = lineno;
		if (strncmp(val, "<<", 2) == 0 && is_terminator(val + 2)) {
			char term[64];
			snprintf(term, sizeof(term), "%s", val + 2);
			struct buf b;
			buf_init(&b, CONF_MAX_BLOCK);
			bool closed = false, first = true;
			while ((l = next_line(text, len, &pos, &llen))) {
				lineno++;
				size_t n = llen;
				if (n && l[n - 1] == '\r')
					n--;
				if (n == strlen(term) && memcmp(l, term, n) == 0) {
					closed = true;
					break;
				}
				if ((!first && buf_append(&b, "\n", 1) < 0) ||
				    buf_append(&b, l, n) < 0) {
					buf_free(&b);
					return conf_errf(err, file, keyline, "块过长");
				}
				first = false;
			}
			if (!closed) {
				buf_free(&b);
				return conf_errf(err, file, keyline, "块未以 %s 结束", term);
			}
			value = buf_take(&b, NULL);
		} else {
			value = xstrdup(val);
		}
		push_entry(&doc->sections[doc->n - 1], key, value, keyline);
	}
	return 0;
}

int conf_load_file(const char *path, struct conf_doc *doc, struct zw_err *err)
{
	memset(doc, 0, sizeof(*doc));
	FILE *f = fopen(path, "rb");
	if (!f)
		return zw_errf(err, ZW_EINVALID, NULL, "%s: 无法打开：%s", path, strerror(errno));
	struct buf b;
	buf_init(&b, CONF_MAX_FILE);
	char chunk[8192];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n) < 0) {
			rc = conf_errf(err, path, 0, "文件过大");
			break;
		}
	if (!rc && ferror(f))
		rc = zw_errf(err, ZW_EINVALID, NULL, "%s: 读取失败", path);
	fclose(f);
	if (!rc)
		rc = conf_parse(path, b.p ? b.p : "", b.len, doc, err);
	buf_free(&b);
	return rc;
}

void conf_free(struct conf_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++) {
		struct conf_section *s = &doc->sections[i];
		for (size_t j = 0; j < s->n; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->type);
		free(s->name);
	}
	free(doc->sections);
	free(doc->file);
	memset(doc, 0, sizeof(*doc));
}

const struct conf_entry *conf_get(const struct conf_section *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->entries[i].key, key) == 0)
			return &s->entries[i];
	return NULL;
}

const char *conf_str(const struct conf_section *s, const char *key, const char *dflt)
{
	const struct conf_entry *e = conf_get(s, key);
	return e ? e->value : dflt;
}

int64_t conf_int(const struct conf_section *s, const char *key, int64_t dflt)
{
	const struct conf_entry *e = conf_get(s, key);
	int64_t v;
	return e && parse_i64(e->value, INT64_MIN, INT64_MAX, &v) == 0 ? v : dflt;
}

bool conf_bool(const struct conf_section *s, const char *key, bool dflt)
{
	const struct conf_entry *e = conf_get(s, key);
	bool v;
	return e && parse_bool(e->value, &v) == 0 ? v : dflt;
}

size_t conf_split(char *value, char **items, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(value, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save)) {
		t = trim(t);
		if (*t)
			items[n++] = t;
	}
	return n;
}

static const char *type_name(enum conf_type t)
{
	switch (t) {
	case CONF_INT:
		return "整数";
	case CONF_BOOL:
		return "yes/no";
	case CONF_DATE:
		return "日期 YYYY-MM-DD";
	case CONF_LIST:
		return "逗号分隔的列表";
	default:
		return "文本";
	}
}

static int check_value(const char *file, const struct conf_entry *e, enum conf_type t,
                       struct zw_err *err)
{
	int64_t i;
	bool b;
	int32_t d;
	int bad = 0;
	switch (t) {
	case CONF_INT:
		bad = parse_i64(e->value, INT64_MIN, INT64_MAX, &i) < 0;
		break;
	case CONF_BOOL:
		bad = parse_bool(e->value, &b) < 0;
		break;
	case CONF_DATE:
		bad = parse_date(e->value, &d) < 0;
		break;
	default:
		break;
	}
	if (bad)
		return conf_errf(err, file, e->line, "\"%s\" 应为%s，实为 \"%.*s\"", e->key,
		                 type_name(t), CUT(e->value, 60));
	return 0;
}

static const struct conf_schema *find_schema(const struct conf_schema *schemas, const char *type)
{
	for (const struct conf_schema *sc = schemas; sc->type; sc++)
		if (strcmp(sc->type, type) == 0)
			return sc;
	return NULL;
}

int conf_check(const struct conf_doc *doc, const struct conf_schema *schemas, struct zw_err *err)
{
	for (size_t i = 0; i < doc->n; i++) {
		const struct conf_section *s = &doc->sections[i];
		if (i == 0 && s->n == 0 && !find_schema(schemas, ""))
			continue;
		const struct conf_schema *sc = find_schema(schemas, s->type);
		if (!sc) {
			if (i == 0)
				return conf_errf(err, doc->file, s->entries[0].line,
				                 "键 \"%s\" 不在任何节中", s->entries[0].key);
			return conf_errf(err, doc->file, s->line, "未知的节类型 [%s]", s->type);
		}
		if (sc->named && !*s->name)
			return conf_errf(err, doc->file, s->line, "节 [%s] 需要名称", s->type);
		if (!sc->named && *s->name)
			return conf_errf(err, doc->file, s->line, "节 [%s] 不能带名称", s->type);
		for (size_t j = 0; j < i; j++)
			if (sc->named && strcmp(doc->sections[j].type, s->type) == 0 &&
			    strcmp(doc->sections[j].name, s->name) == 0)
				return conf_errf(err, doc->file, s->line,
				                 "节 [%s %s] 重复（第 %d 行已定义）", s->type,
				                 s->name, doc->sections[j].line);
		for (size_t k = 0; k < s->n; k++) {
			const struct conf_entry *e = &s->entries[k];
			const struct conf_key *key = NULL;
			for (const struct conf_key *ck = sc->keys; ck->name; ck++)
				if (strcmp(ck->name, e->key) == 0)
					key = ck;
			if (!key)
				return conf_errf(err, doc->file, e->line,
				                 "未知的键 \"%s\"（节 [%s%s%s]）", e->key, s->type,
				                 *s->name ? " " : "", s->name);
			if (!key->repeat)
				for (size_t m = 0; m < k; m++)
					if (strcmp(s->entries[m].key, e->key) == 0)
						return conf_errf(err, doc->file, e->line,
						                 "键 \"%s\" 重复", e->key);
			int rc = check_value(doc->file, e, key->type, err);
			if (rc)
				return rc;
		}
		for (const struct conf_key *ck = sc->keys; ck->name; ck++)
			if (ck->required && !conf_get(s, ck->name))
				return conf_errf(err, doc->file, s->line,
				                 "节 [%s%s%s] 缺少键 \"%s\"", s->type,
				                 *s->name ? " " : "", s->name, ck->name);
	}
	for (const struct conf_schema *sc = schemas; sc->type; sc++) {
		unsigned count = 0;
		int last = 0;
		for (size_t i = 0; i < doc->n; i++)
			if (strcmp(doc->sections[i].type, sc->type) == 0) {
				count++;
				last = doc->sections[i].line;
			}
		if (*sc->type && count < sc->min)
			return conf_errf(err, doc->file, last, "缺少节 [%s]", sc->type);
		if (sc->max && count > sc->max)
			return conf_errf(err, doc->file, last, "节 [%s] 最多 %u 个", sc->type,
			                 sc->max);
	}
	return 0;
}
