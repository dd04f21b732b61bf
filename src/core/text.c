#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/xalloc.h"

bool text_is_space(int cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

static bool is_bidi_control(int cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Characters that draw nothing: format characters (zero-width space, joiners, word joiner,
 * BOM, soft hyphen, tags, ...), line and paragraph separators, and the Hangul fillers, which
 * are letters by category but blank by design. */
static bool is_invisible(int cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_CF || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP || cp == 0x115f || cp == 0x1160 || cp == 0x3164 ||
	       cp == 0xffa0;
}

/* Chinese text puts no blanks between words: a blank next to one of these characters (Han,
 * CJK punctuation and symbols, kana, Hangul, full-width forms) separates nothing. */
static bool is_cjk(int cp)
{
	return (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7af) ||
	       (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	       (cp >= 0xff00 && cp <= 0xffef) || (cp >= 0x20000 && cp <= 0x3ffff);
}

/* The next code point of s[0..n) at *i, or -1 (malformed). */
static int next_cp(const char *s, size_t n, size_t *i)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k =
	    utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &cp);
	if (k <= 0)
		return -1;
	*i += (size_t)k;
	return cp;
}

void text_trim(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s), i = 0, first = n, end = 0;
	while (i < n) {
		size_t at = i;
		int cp = next_cp(s, n, &i);
		if (cp < 0)
			break;
		if (!text_is_space(cp)) {
			if (first == n)
				first = at;
			end = i;
		}
	}
	if (first == n) {
		*start = s + n;
		*len = 0;
		return;
	}
	*start = s + first;
	*len = end - first;
}

int text_nfkc_key(const char *s, char **out)
{
	*out = NULL;
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n =
	    utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), &m,
	                 UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
	                     UTF8PROC_IGNORE);
	if (n < 0)
		return -1;
	/* blanks: runs become one space, none at either end (never longer than the input) */
	char *k = xmalloc((size_t)n + 1);
	size_t i = 0, o = 0;
	bool gap = false, prev_cjk = false;
	while (i < (size_t)n) {
		size_t at = i;
		int cp = next_cp((const char *)m, (size_t)n, &i);
		if (cp < 0) {
			free(m);
			free(k);
			return -1;
		}
		if (text_is_space(cp)) {
			gap = o > 0;
			continue;
		}
		bool cjk = is_cjk(cp);
		if (gap && !cjk && !prev_cjk)
			k[o++] = ' ';
		gap = false;
		prev_cjk = cjk;
		memcpy(k + o, m + at, i - at);
		o += i - at;
	}
	k[o] = 0;
	free(m);
	*out = k;
	return 0;
}

int text_nfkc(const char *s, char **out)
{
	*out = NULL;
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s),
	                                  &m, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE);
	if (n < 0)
		return -1;
	const char *start;
	size_t len;
	text_trim((const char *)m, &start, &len);
	*out = xstrndup(start, len);
	free(m);
	return 0;
}

int text_name_check(const char *s, const char *field, const char *label, struct zw_err *err)
{
	size_t n = strlen(s), i = 0;
	bool visible = false;
	while (i < n) {
		int cp = next_cp(s, n, &i);
		if (cp < 0)
			return zw_errf(err, ZW_EINVALID, field, "%s不是有效的 UTF-8 文本", label);
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC && !text_is_space(cp))
			return zw_errf(err, ZW_EINVALID, field, "%s含有控制字符（U+%04X），请删除",
			               label, (unsigned)cp);
		if (is_bidi_control(cp))
			return zw_errf(
			    err, ZW_EINVALID, field,
			    "%s含有文字方向控制字符（U+%04X），它会使显示的名称与实际不符，"
			    "请删除",
			    label, (unsigned)cp);
		if (is_invisible(cp))
			return zw_errf(err, ZW_EINVALID, field,
			               "%s含有不可见字符（U+%04X，如零宽空格），请删除", label,
			               (unsigned)cp);
		if (text_is_space(cp)) {
			if (cp < 0x20 || cp == 0x85)
				return zw_errf(err, ZW_EINVALID, field,
				               "%s含有控制字符（U+%04X），请删除", label,
				               (unsigned)cp);
			continue;
		}
		visible = true;
	}
	if (n && !visible)
		return zw_errf(err, ZW_EINVALID, field, "%s不能只有空格（含全角空格、不换行空格）",
		               label);
	return 0;
}

size_t utf8_cut(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strnlen(s, max);
	if (n < max || max == 0)
		return n;
	/* s holds at least max bytes, and s[max] may not be ours to read: the prefix ends on a
	 * boundary unless the character begun by its last lead byte needs more bytes than are
	 * left. Continuation bytes with no lead byte in the 3 before them are not UTF-8 and
	 * count one each. */
	size_t i = max - 1;
	while (i > 0 && max - i < 4 && (u[i] & 0xc0) == 0x80)
		i--;
	if ((u[i] & 0xc0) == 0x80)
		return max;
	size_t need = u[i] >= 0xc2 && u[i] <= 0xdf   ? 2
	              : u[i] >= 0xe0 && u[i] <= 0xef ? 3
	              : u[i] >= 0xf0 && u[i] <= 0xf4 ? 4
	                                             : 1;
	return i + need > max ? i : max;
}

int text_vprintf(char *dst, size_t size, const char *fmt, va_list ap)
{
	if (size == 0)
		return vsnprintf(NULL, 0, fmt, ap);
	int n = vsnprintf(dst, size, fmt, ap);
	if (n < 0)
		dst[0] = 0;
	else if ((size_t)n >= size)
		dst[utf8_cut(dst, size - 1)] = 0;
	return n;
}

int text_printf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = text_vprintf(dst, size, fmt, ap);
	va_end(ap);
	return n;
}

bool text_is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}
