#include "core/json.h"

#include <stdbool.h>
#include <string.h>

#include "core/parse.h"

/* Does any string (or key) under v hold a NUL? *where: the top-level member it is in. */
static bool has_nul(json_t *v, const char *member, const char **where)
{
	if (json_is_string(v)) {
		if (strlen(json_string_value(v)) != json_string_length(v)) {
			*where = member;
			return true;
		}
		return false;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			if (has_nul(x, member, where))
				return true;
		}
		return false;
	}
	if (json_is_object(v)) {
		const char *key;
		size_t klen;
		json_t *x;
		json_object_keylen_foreach(v, key, klen, x)
		{
			const char *m = *member ? member : key;
			if (strlen(key) != klen) {
				*where = "";
				return true;
			}
			if (has_nul(x, m, where))
				return true;
		}
	}
	return false;
}

json_t *json_parse_body(const char *body, size_t len, struct zw_err *err)
{
	json_error_t je;
	if (len == 0) {
		zw_errf(err, ZW_EBADJSON, "", "请求体为空，应为 JSON");
		return NULL;
	}
	if (!utf8_wellformed(body, len)) {
		zw_errf(err, ZW_EBADJSON, "", "请求体不是有效的 UTF-8 文本");
		return NULL;
	}
	/* \u0000 is parsed (and then refused by name) so no string is silently cut short. */
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (!v) {
		zw_errf(err, ZW_EBADJSON, "", "JSON 格式错误（第 %d 行第 %d 列）：%s", je.line,
		        je.column, je.text);
		return NULL;
	}
	const char *where = NULL;
	if (has_nul(v, "", &where)) {
		zw_errf(err, ZW_EINVALID, where, "字段“%s”含有空字符（\\u0000）", where);
		json_decref(v);
		return NULL;
	}
	return v;
}

char *json_compact(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII * 0 | JSON_ENCODE_ANY);
}

int json_write_str(struct buf *b, const char *s)
{
	return json_write_strn(b, s, strlen(s));
}

int json_write_strn(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = buf_append(b, "\"", 1);
	const char *run = s, *end = s + n;
	for (const char *p = s; p < end && !rc; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc |= buf_append(b, run, (size_t)(p - run));
		char esc[7] = {'\\', (char)c, 0};
		size_t k = 2;
		switch (c) {
		case '"':
		case '\\':
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			k = 6;
		}
		rc |= buf_append(b, esc, k);
		run = p + 1;
	}
	rc |= buf_append(b, run, (size_t)(end - run));
	rc |= buf_append(b, "\"", 1);
	return rc ? -1 : 0;
}

uint64_t hash64(const void *data, size_t len)
{
	/* 64-bit multiply-xorshift over 8-byte words, finalised as in splitmix64. */
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)len;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		p += 8;
		len -= 8;
	}
	uint64_t t = 0;
	memcpy(&t, p, len);
	h = (h ^ t) * 0x94d049bb133111ebull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}
