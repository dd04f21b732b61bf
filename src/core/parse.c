#include "core/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return -1;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	int64_t v;
	if (!s || *s == '-' || *s == '+' || parse_i64(s, min, max, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *yes[] = {"yes", "true", "1", "on"}, *no[] = {"no", "false", "0", "off"};
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Howard Hinnant's civil-calendar algorithms (public domain descriptions). */
int32_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int yy = (int)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int parse_date(const char *s, int32_t *days)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return -1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

void format_date(int32_t days, char out[11])
{
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	unsigned uy = y < 0 ? 0u : y > 9999 ? 9999u : (unsigned)y;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10 % 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 0;
}

void format_time(int64_t t, char out[32])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;
	char date[11];
	format_date((int32_t)days, date);
	unsigned h = (unsigned)(secs / 3600) % 24, mi = (unsigned)(secs / 60 % 60),
	         se = (unsigned)(secs % 60);
	memcpy(out, date, 10);
	char *o = out + 10;
	*o++ = 'T';
	*o++ = (char)('0' + h / 10);
	*o++ = (char)('0' + h % 10);
	*o++ = ':';
	*o++ = (char)('0' + mi / 10);
	*o++ = (char)('0' + mi % 10);
	*o++ = ':';
	*o++ = (char)('0' + se / 10);
	*o++ = (char)('0' + se % 10);
	*o++ = 'Z';
	*o = 0;
}

int parse_time(const char *s, int64_t *out)
{
	int32_t days;
	char date[11];
	if (!s)
		return -1;
	size_t n = strlen(s);
	if (n < 10)
		return -1;
	memcpy(date, s, 10);
	date[10] = 0;
	if (parse_date(date, &days) < 0)
		return -1;
	if (n == 10) {
		*out = (int64_t)days * 86400;
		return 0;
	}
	int hh, mm, ss, oh = 0, om = 0, sign = 0;
	if (n < 20 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' ||
	    digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) || digits(s + 17, 2, &ss))
		return -1;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	const char *z = s + 19;
	if (strcmp(z, "Z") == 0) {
		sign = 0;
	} else if (strlen(z) == 6 && (z[0] == '+' || z[0] == '-') && z[3] == ':' &&
	           !digits(z + 1, 2, &oh) && !digits(z + 4, 2, &om) && oh <= 14 && om <= 59) {
		sign = z[0] == '+' ? 1 : -1;
	} else {
		return -1;
	}
	*out = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss - sign * (oh * 3600 + om * 60);
	return 0;
}

enum utf8_mode { U8_TEXT, U8_MULTILINE, U8_ANY };

static bool utf8_check(const char *str, size_t len, enum utf8_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	bool allow_newlines = mode == U8_MULTILINE;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c < 0x80) {
			if (mode == U8_ANY) {
				i++;
				continue;
			}
			if (c == 0 || c == 0x7f)
				return false;
			if (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
				return false;
			i++;
			continue;
		}
		int n;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + (size_t)n >= len)
			return false;
		for (int k = 1; k <= n; k++) {
			if ((s[i + (size_t)k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + (size_t)k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += (size_t)n + 1;
	}
	return true;
}

bool utf8_valid(const char *s, size_t len, bool allow_newlines)
{
	return utf8_check(s, len, allow_newlines ? U8_MULTILINE : U8_TEXT);
}

bool utf8_wellformed(const char *s, size_t len)
{
	return utf8_check(s, len, U8_ANY);
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool mobile_cn_valid(const char *s)
{
	if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return false;
	for (int i = 2; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool email_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 5 || n > 254 || !at || at == s || strchr(at + 1, '@') || (size_t)(at - s) > 64)
		return false;
	for (const char *p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(".!#$%&'*+/=?^_`{|}~-", *p)))
			return false;
	const char *d = at + 1;
	const char *dot = strrchr(d, '.');
	if (!dot || dot == d || dot[1] == 0 || d[0] == '.' || d[0] == '-')
		return false;
	for (const char *p = d; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return false;
		if (*p == '.' && (p[1] == '.' || p[1] == 0))
			return false;
	}
	return true;
}

bool filename_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > 200 || s[0] == '.' || !utf8_valid(s, n, false))
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == '\\' || *p == ':' || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '|' || *p == '*' || *p == '?')
			return false;
	return true;
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = 0;
}

int parse_etag_rev(const char *v, int64_t *rev)
{
	char num[24];
	size_t n = v ? strlen(v) : 0;
	if (n < 4 || n >= 22 || v[0] != '"' || v[1] != 'r' || v[n - 1] != '"')
		return -1;
	memcpy(num, v + 2, n - 3);
	num[n - 3] = 0;
	return parse_i64(num, 1, INT64_MAX, rev);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_mac(const char *s, uint8_t out[6])
{
	if (!s)
		return -1;
	size_t n = strlen(s);
	char sep = 0;
	int group; /* hex digits between separators */
	if (n == 17 && (s[2] == ':' || s[2] == '-')) {
		sep = s[2];
		group = 2;
	} else if (n == 14 && (s[4] == '.' || s[4] == '-')) {
		sep = s[4];
		group = 4;
	} else if (n == 12) {
		group = 12;
	} else {
		return -1;
	}
	uint8_t b[6];
	int digits = 0, k = 0;
	for (size_t i = 0; i < n; i++) {
		if (sep && (int)(i % (size_t)(group + 1)) == group) {
			if (s[i] != sep)
				return -1;
			continue;
		}
		int v = hexval(s[i]);
		if (v < 0)
			return -1;
		if (digits % 2 == 0)
			b[k] = (uint8_t)(v << 4);
		else
			b[k++] |= (uint8_t)v;
		digits++;
	}
	if (digits != 12)
		return -1;
	memcpy(out, b, 6);
	return 0;
}

void format_mac(const uint8_t m[6], char out[18])
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < 6; i++) {
		out[3 * i] = hx[m[i] >> 4];
		out[3 * i + 1] = hx[m[i] & 15];
		out[3 * i + 2] = i < 5 ? ':' : 0;
	}
}

bool list_word(const char *list, int k, char *out, size_t n)
{
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, " ,");
		if (!len)
			break;
		if (k-- == 0) {
			text_printf(out, n, "%.*s", (int)len, p);
			return true;
		}
		p += len;
	}
	return false;
}

bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t k = strcspn(p, " ,");
		if (k == n && strncmp(p, word, n) == 0)
			return true;
		p += k;
	}
	return false;
}
