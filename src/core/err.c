#include "core/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

struct errinfo {
	int status;
	const char *name;
	const char *msg;
};

static const struct errinfo errtab[ZW_E_COUNT] = {[ZW_OK] = {200, "ok", "成功"},
#define ZW_ERR_ROW(n, s, c, m) [ZW_E##n] = {s, c, m},
                                                  ZW_ERR_MAP(ZW_ERR_ROW)
#undef ZW_ERR_ROW
};

static int valid(int code)
{
	return code >= 0 && code < ZW_E_COUNT;
}

int zw_err_status(int code)
{
	return valid(code) ? errtab[code].status : 500;
}

const char *zw_err_name(int code)
{
	return valid(code) ? errtab[code].name : "internal";
}

const char *zw_err_default(int code)
{
	return valid(code) ? errtab[code].msg : errtab[ZW_EINTERNAL].msg;
}

void zw_err_clear(struct zw_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Field, clause and message are cut between characters (text_printf), but what they quote may
 * itself not be UTF-8 (a caller that quotes bytes it has not checked): every byte that does
 * not start or continue a well-formed UTF-8 sequence becomes '?', so the answer's JSON can
 * always carry the message. */
static void utf8_repair(char *str)
{
	unsigned char *s = (unsigned char *)str;
	for (size_t i = 0; s[i];) {
		unsigned c = s[i];
		size_t n = c < 0x80                 ? 0
		           : c >= 0xc2 && c <= 0xdf ? 1
		           : c >= 0xe0 && c <= 0xef ? 2
		           : c >= 0xf0 && c <= 0xf4 ? 3
		                                    : 4;
		bool ok = n < 4;
		unsigned cp = n == 1 ? c & 0x1f : n == 2 ? c & 0x0f : c & 0x07;
		for (size_t k = 1; ok && k <= n; k++) {
			ok = (s[i + k] & 0xc0) == 0x80;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (ok && n >= 2)
			ok = !((n == 2 && cp < 0x800) ||
			       (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
			       (cp >= 0xd800 && cp <= 0xdfff));
		if (!ok) {
			s[i++] = '?';
			continue;
		}
		i += n + 1;
	}
}

__attribute__((format(printf, 5, 0))) static int vfill(struct zw_err *err, int code,
                                                       const char *field, const char *clause,
                                                       const char *fmt, va_list ap)
{
	if (code < 0)
		code = -code;
	if (!err || err->code != 0)
		return -code;
	err->code = code;
	text_printf(err->field, sizeof(err->field), "%s", field ? field : "");
	text_printf(err->clause, sizeof(err->clause), "%s", clause ? clause : "");
	if (fmt)
		text_vprintf(err->message, sizeof(err->message), fmt, ap);
	else
		text_printf(err->message, sizeof(err->message), "%s", zw_err_default(code));
	utf8_repair(err->field);
	utf8_repair(err->message);
	return -code;
}

int zw_verrf(struct zw_err *err, int code, const char *field, const char *fmt, va_list ap)
{
	return vfill(err, code, field, NULL, fmt, ap);
}

int zw_errf(struct zw_err *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfill(err, code, field, NULL, fmt, ap);
	va_end(ap);
	return r;
}

int zw_err_clause(struct zw_err *err, int code, const char *field, const char *clause,
                  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfill(err, code, field, clause, fmt, ap);
	va_end(ap);
	return r;
}
