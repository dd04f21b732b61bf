#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* A message cut by its buffer ends on a whole UTF-8 character (it goes out as JSON). */
static void utf8_tail(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < want)
		s[i - 1] = 0;
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
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	snprintf(err->clause, sizeof(err->clause), "%s", clause ? clause : "");
	if (fmt) {
		int n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
		if (n >= (int)sizeof(err->message))
			utf8_tail(err->message);
	} else
		snprintf(err->message, sizeof(err->message), "%s", zw_err_default(code));
	return -code;
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
