#include "core/record.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/inet.h"
#include "core/json.h"
#include "core/parse.h"
#include "core/secret.h"
#include "core/text.h"
#include "core/xalloc.h"

#define FIELD(rec, f, T)  ((T *)((char *)(rec) + (f)->offset))
#define CFIELD(rec, f, T) ((const T *)((const char *)(rec) + (f)->offset))

#define is_text rec_is_text

const struct rec_field *rec_field(const struct rec_schema *sc, const char *name)
{
	int i = rec_index(sc, name);
	return i < 0 ? NULL : &sc->fields[i];
}

int rec_index(const struct rec_schema *sc, const char *name)
{
	for (size_t i = 0; i < sc->nfields; i++)
		if (strcmp(sc->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- formats ---- */

/* A DNS label (RFC 1123): 1-63 letters, digits and hyphens, no hyphen at either end. */
static bool label_ok(const char *p, size_t len)
{
	if (len == 0 || len > 63 || p[0] == '-' || p[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return false;
	return true;
}

/* Dot-separated labels, at least min_labels of them, no empty label (so no trailing dot). */
static bool labels_ok(const char *s, size_t min_labels)
{
	size_t labels = 0;
	for (const char *p = s;; labels++) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (!label_ok(p, len))
			return false;
		if (!dot)
			break;
		p = dot + 1;
	}
	return labels + 1 >= min_labels;
}

static bool chars_in(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr(extra, *s)))
			return false;
	return true;
}

/* The password policy (account.c uses it through a field of this type). */
static bool password_ok(const char *s)
{
	size_t chars = utf8_chars(s);
	bool letter = false, digit = false;
	for (const char *p = s; *p; p++) {
		letter |= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		digit |= *p >= '0' && *p <= '9';
	}
	return chars >= 8 && chars <= 128 && letter && digit;
}

/* The format check of a non-empty text s of field f: 0 and *canon (the text to store, or NULL
 * to keep s), or the refusal. */
static int check_format(const struct rec_field *f, const char *s, char **canon, struct zw_err *err)
{
	*canon = NULL;
	switch (f->type) {
	case REC_IP: {
		int fam;
		u128 a;
		char out[INET_ADDR_MAX];
		if (inet_parse_addr(s, &fam, &a) < 0)
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s“%.*s”不是有效的 IP 地址（如 10.20.1.5 或 2001:db8::5）",
			               f->label, CUT(s, 45));
		inet_format_addr(fam, a, out);
		*canon = xstrdup(out);
		return 0;
	}
	case REC_IPS:
		for (const char *p = s + strspn(s, ", "); *p; p += strspn(p, ", ")) {
			size_t n = strcspn(p, ", ");
			char one[INET_ADDR_MAX];
			int fam;
			u128 a;
			snprintf(one, sizeof(one), "%.*s", (int)n, p);
			if (n >= sizeof(one) || inet_parse_addr(one, &fam, &a) < 0)
				return zw_errf(
				    err, ZW_EINVALID, f->name,
				    "%s中的“%.*s”不是有效的 IP 地址（多个地址以逗号或空格分隔）",
				    f->label, (int)utf8_cut(p, n < 45 ? n : 45), p);
			p += n;
		}
		return 0;
	case REC_CIDR: {
		struct inet_prefix ip;
		char out[INET_PREFIX_MAX];
		if (inet_parse_prefix(s, false, &ip) < 0)
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s格式不正确：应为 网络地址/前缀长度，主机位须为 0，如 "
			               "10.20.0.0/16 或 2001:db8::/48",
			               f->label);
		inet_format_prefix(&ip, out);
		*canon = xstrdup(out);
		return 0;
	}
	case REC_MAC: {
		uint8_t m[6];
		char out[18];
		if (parse_mac(s, m) < 0)
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s格式不正确（如 aa:bb:cc:dd:ee:ff、aa-bb-cc-dd-ee-ff、"
			               "aabb.ccdd.eeff、aabbccddeeff）",
			               f->label);
		if (m[0] & 1)
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s是组播或广播地址，不是终端的 MAC 地址", f->label);
		if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
			return zw_errf(err, ZW_EINVALID, f->name, "%s不能全为 0", f->label);
		format_mac(m, out);
		*canon = xstrdup(out);
		return 0;
	}
	case REC_HOSTNAME:
		if (!labels_ok(s, 1))
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s只能是以 . 分隔的字母、数字和 -（每段 1 到 63 个字符，"
			               "不以 - 开头或结尾），如 pc-01.caizheng",
			               f->label);
		return 0;
	case REC_DOMAIN: {
		if (!labels_ok(s, 2))
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s格式不正确（如 www.example.gov.cn）", f->label);
		*canon = xstrdup(s);
		for (char *p = *canon; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		return 0;
	}
	case REC_CODE:
		if (!chars_in(s, "_-"))
			return zw_errf(err, ZW_EINVALID, f->name, "%s只能含小写字母、数字、_ 和 -",
			               f->label);
		return 0;
	case REC_USERNAME:
		if (strlen(s) < 2 || strlen(s) > 32)
			return zw_errf(err, ZW_EINVALID, f->name, "%s长度应为 2 到 32 个字符",
			               f->label);
		if (!chars_in(s, "_.-"))
			return zw_errf(err, ZW_EINVALID, f->name, "%s只能含小写字母、数字和 _ . -",
			               f->label);
		return 0;
	case REC_YUAN: {
		size_t whole = strspn(s, "0123456789"), frac = 0;
		if (s[whole] == '.')
			frac = strspn(s + whole + 1, "0123456789");
		if (whole < 1 || whole > 10 ||
		    (s[whole] && (s[whole] != '.' || frac < 1 || frac > 2 || s[whole + 1 + frac])))
			return zw_errf(err, ZW_EINVALID, f->name,
			               "%s应为以元为单位的金额，最多两位小数，如 1280.50",
			               f->label);
		return 0;
	}
	case REC_PASSWORD:
		if (utf8_chars(s) < 8 || utf8_chars(s) > 128)
			return zw_errf(err, ZW_EINVALID, f->name, "%s长度应为 8 到 128 个字符",
			               f->label);
		if (!password_ok(s))
			return zw_errf(err, ZW_EINVALID, f->name, "%s须同时包含字母和数字",
			               f->label);
		return 0;
	default:
		return 0;
	}
}

/* ---- the same rules as patterns for clients ---- */

/* Text without control characters (newlines and tabs too for multiline fields). */
#define PAT_TEXT      "^[^\\x00-\\x1f\\x7f]*$"
#define PAT_MULTILINE "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
/* a name (REC_NAME, core/text.h): not blanks only; no control, bidi or invisible character
 * (the format characters of the BMP, line and paragraph separators, Hangul fillers) */
#define PAT_NAME                                                                                   \
	"^(?!\\s*$)[^\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u08e2"     \
	"\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u3164" \
	"\\ufeff\\uffa0\\ufff9-\\ufffb]*$"
/* Real calendar days of 1900-2199 (parse_date): the 29th of February in leap years only. */
#define DAY_YEAR "(19|20|21)[0-9][0-9]"
#define DAY_LEAP "((19|20|21)([02468][48]|[13579][26]|[2468]0)|2000)"
#define PAT_DAY                                                                                    \
	"(" DAY_YEAR "-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|" DAY_YEAR                           \
	"-(0[13-9]|1[0-2])-(29|30)|" DAY_YEAR "-(0[13578]|1[02])-31|" DAY_LEAP "-02-29)"
#define PAT_MOBILE "^1[3-9][0-9]{9}$"
#define PAT_EMAIL                                                                                  \
	"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9][A-Za-z0-9-]*(\\.[A-Za-z0-9-]+)+$"
/* IPv4 as parse_v4 reads it (no leading zeros); IPv6 in the text forms of RFC 4291 2.2 that
 * inet_pton reads (no zone ids). */
#define P_OCT "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define P_V4  "(" P_OCT "\\.){3}" P_OCT
#define P_H   "[0-9A-Fa-f]{1,4}"
#define P_L32 "(" P_H ":" P_H "|" P_V4 ")"
#define P_V6                                                                                       \
	"((" P_H ":){6}" P_L32 "|::(" P_H ":){5}" P_L32 "|(" P_H ")?::(" P_H ":){4}" P_L32         \
	"|((" P_H ":)?" P_H ")?::(" P_H ":){3}" P_L32 "|((" P_H ":){0,2}" P_H ")?::(" P_H          \
	":){2}" P_L32 "|((" P_H ":){0,3}" P_H ")?::" P_H ":" P_L32 "|((" P_H ":){0,4}" P_H         \
	")?::" P_L32 "|((" P_H ":){0,5}" P_H ")?::" P_H "|((" P_H ":){0,6}" P_H ")?::)"
#define P_IP    "(" P_V4 "|" P_V6 ")"
#define PAT_IP  "^" P_IP "$"
#define PAT_IPS "^[, ]*(" P_IP "([, ]+" P_IP ")*)?[, ]*$"
/* unicast (the low bit of the first octet clear) and not all zero, in parse_mac's notations */
#define P_X "[0-9A-Fa-f]"
#define P_E "[02468aceACE]"
#define PAT_MAC                                                                                    \
	"^(?![-.:0]*$)(" P_X P_E "(:" P_X P_X "){5}|" P_X P_E "(-" P_X P_X "){5}|" P_X P_E P_X P_X \
	"\\." P_X "{4}\\." P_X "{4}|" P_X P_E P_X P_X "-" P_X "{4}-" P_X "{4}|" P_X P_E P_X        \
	"{10})$"
#define P_LABEL      "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#define PAT_HOSTNAME "^(" P_LABEL "(\\." P_LABEL ")*)?$"
#define PAT_DOMAIN   "^" P_LABEL "(\\." P_LABEL ")+$"
#define PAT_CODE     "^[a-z0-9_-]*$"
#define PAT_USERNAME "^[a-z0-9_.-]{2,32}$"
/* the lengths are the field's (minLength 8, maxLength 128): JavaScript counts UTF-16 units */
#define PAT_PASSWORD "^(?=[^A-Za-z]*[A-Za-z])(?=[^0-9]*[0-9])[^\\x00-\\x1f\\x7f]*$"
#define PAT_YUAN     "^[0-9]{1,10}(\\.[0-9]{1,2})?$"

static char *pat_cidr;
static pthread_once_t pat_once = PTHREAD_ONCE_INIT;

/* The values 0..255 that are multiples of step, as alternatives. */
static void multiples(struct buf *b, unsigned step)
{
	buf_puts(b, "(");
	for (unsigned v = 0; v < 256; v += step)
		buf_printf(b, "%s%u", v ? "|" : "", v);
	buf_puts(b, ")");
}

/* A 16-bit IPv6 group whose low 16 - r bits are 0 (1 <= r <= 15), as 1 to 4 hex digits. */
static void masked_group(struct buf *b, int r)
{
	static const char *const cls[] = {"", "[02468aceACE]", "[048cC]", "[08]"};
	int zero_bits = 16 - r, z = zero_bits / 4, p = zero_bits % 4;
	if (p && z < 3)
		buf_printf(b, "(0|[0-9A-Fa-f]{0,%d}%s", 3 - z, cls[p]);
	else if (p)
		buf_printf(b, "(0|%s", cls[p]);
	else
		buf_printf(b, "(0|[0-9A-Fa-f]{1,%d}", 4 - z);
	for (int i = 0; i < z; i++)
		buf_puts(b, "0");
	buf_puts(b, ")");
}

/* A prefix whose host bits are 0. IPv4 exactly: per length, the octets past it 0 and the one
 * it ends in a multiple of its block. IPv6 in the forms people write, stricter than
 * inet_parse_prefix: the groups the length covers, the rest compressed to "::". */
static void build_cidr(void)
{
	struct buf b;
	buf_init(&b, SIZE_MAX); /* constants alone, a few KB: no maximum to reach */
	buf_puts(&b, "^(");
	for (int k = 0; k < 4; k++) {
		if (k)
			buf_printf(&b, "|(" P_OCT "\\.){%d}", k);
		buf_puts(&b, "(");
		for (int r = 0; r < 8; r++) {
			if (r)
				buf_puts(&b, "|");
			if (r)
				multiples(&b, 1u << (8 - r));
			else
				buf_puts(&b, "0");
			for (int i = k + 1; i < 4; i++)
				buf_puts(&b, "\\.0");
			buf_printf(&b, "/%d", 8 * k + r);
		}
		buf_puts(&b, ")");
	}
	buf_puts(&b, "|" P_V4 "/32");
	buf_puts(&b, "|::/(12[0-8]|1[01][0-9]|[1-9][0-9]?)");
	for (int k = 1; k <= 8; k++) { /* whole groups, the rest zero */
		int m = k < 7 ? k : 7;
		buf_puts(&b, "|(");
		if (m > 1)
			buf_printf(&b, "(" P_H ":){0,%d}", m - 1);
		buf_puts(&b, P_H "::");
		if (k == 8)
			buf_puts(&b, "|(" P_H ":){7}" P_H);
		buf_puts(&b, ")/(");
		for (int r = 0; r < 16 && 16 * k + r <= 128; r++)
			buf_printf(&b, "%s%d", r ? "|" : "", 16 * k + r);
		buf_puts(&b, ")");
	}
	for (int k = 0; k < 8; k++) /* the group the length ends in */
		for (int r = 1; r < 16; r++) {
			buf_puts(&b, "|");
			if (k)
				buf_printf(&b, "(" P_H ":){%d}", k);
			masked_group(&b, r);
			buf_printf(&b, "%s/%d", k < 7 ? "::" : "", 16 * k + r);
		}
	buf_puts(&b, ")$");
	pat_cidr = buf_take(&b, NULL);
}

const char *rec_pattern(const struct rec_field *f, bool *exact)
{
	bool ex = true;
	const char *p = NULL;
	switch (f->type) {
	case REC_TEXT:
		p = (f->flags & REC_MULTILINE) ? PAT_MULTILINE
		    : (f->flags & REC_NAME)    ? PAT_NAME
		                               : PAT_TEXT;
		ex = !(f->flags & REC_NAME);  /* \s of a client is not quite text_is_space */
		if (f->flags & REC_WRITEONLY) /* nor can a secret look sealed */
			p = "^(?!sealed:v1:)[^\\x00-\\x1f\\x7f]*$";
		break;
	case REC_DATE:
		p = "^" PAT_DAY "$";
		ex = !(f->flags & REC_PAST); /* today moves; the document says so in words */
		break;
	case REC_MOBILE:
		p = PAT_MOBILE;
		break;
	case REC_EMAIL:
		p = PAT_EMAIL;
		ex = false;
		break;
	case REC_IP:
		p = PAT_IP;
		break;
	case REC_IPS:
		p = PAT_IPS;
		break;
	case REC_CIDR:
		pthread_once(&pat_once, build_cidr);
		p = pat_cidr;
		ex = false;
		break;
	case REC_MAC:
		p = PAT_MAC;
		break;
	case REC_HOSTNAME:
		p = PAT_HOSTNAME;
		break;
	case REC_DOMAIN:
		p = PAT_DOMAIN;
		break;
	case REC_CODE:
		p = PAT_CODE;
		break;
	case REC_USERNAME:
		p = PAT_USERNAME;
		break;
	case REC_PASSWORD:
		p = PAT_PASSWORD;
		break;
	case REC_YUAN:
		p = PAT_YUAN;
		break;
	case REC_TIME:
		p = "^" PAT_DAY
		    "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$";
		ex = false; /* parse_time also reads a bare date and a blank for T */
		break;
	default:
		break;
	}
	if (exact)
		*exact = p && ex;
	return p;
}

const char *rec_ip_pattern(int family)
{
	return family == 4 ? "^" P_V4 "$" : family == 6 ? "^" P_V6 "$" : PAT_IP;
}

const char *rec_mac_any_pattern(void)
{
	return "^(" P_X P_X "(:" P_X P_X "){5}|" P_X P_X "(-" P_X P_X "){5}|" P_X "{4}\\." P_X
	       "{4}\\." P_X "{4}|" P_X "{4}-" P_X "{4}-" P_X "{4}|" P_X "{12})$";
}

const char *rec_type_name(enum rec_type t)
{
	static const char *const names[] = {
	    [REC_TEXT] = "text",         [REC_ENUM] = "enum",   [REC_DATE] = "date",
	    [REC_MOBILE] = "mobile",     [REC_EMAIL] = "email", [REC_ID] = "id",
	    [REC_INT] = "int",           [REC_BOOL] = "bool",   [REC_TIME] = "time",
	    [REC_REAL] = "real",         [REC_IP] = "ip",       [REC_IPS] = "ips",
	    [REC_CIDR] = "cidr",         [REC_MAC] = "mac",     [REC_HOSTNAME] = "hostname",
	    [REC_DOMAIN] = "domain",     [REC_CODE] = "code",   [REC_USERNAME] = "username",
	    [REC_PASSWORD] = "password", [REC_YUAN] = "yuan"};
	return (size_t)t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "text";
}

int rec_check_text(const struct rec_field *f, const char *s, char **canon, struct zw_err *err)
{
	size_t max = f->maxchars ? f->maxchars : 200;
	size_t n = strlen(s);
	*canon = NULL;
	if (!utf8_valid(s, n, (f->flags & REC_MULTILINE) != 0))
		return zw_errf(err, ZW_EINVALID, f->name, "%s含有非法字符（控制字符或无效编码）",
		               f->label);
	if (utf8_chars(s) > max)
		return zw_errf(err, ZW_EINVALID, f->name, "%s过长，最多 %zu 个字", f->label, max);
	if ((f->flags & REC_REQUIRED) && n == 0)
		return zw_errf(err, ZW_EINVALID, f->name, "%s不能为空", f->label);
	/* A sealed secret cannot be read back, so "" could mean "keep" as well as "remove": it is
	 * refused (omitting the field keeps it, null removes it), and so is a text that looks
	 * sealed already (core/secret.h). */
	if ((f->flags & REC_WRITEONLY) && n == 0)
		return zw_errf(err, ZW_EINVALID, f->name,
		               "%s不能为空：不修改请不传此字段，清除已保存的%s请传 null", f->label,
		               f->label);
	if ((f->flags & REC_WRITEONLY) && strncmp(s, SECRET_PREFIX, strlen(SECRET_PREFIX)) == 0)
		return zw_errf(err, ZW_EINVALID, f->name, "%s不能直接写入加密后的值", f->label);
	switch (f->type) {
	case REC_ENUM: {
		for (const char *const *e = f->enums; *e; e++)
			if (strcmp(*e, s) == 0)
				return 0;
		char allowed[400];
		rec_enum_list(f, allowed, sizeof(allowed));
		return zw_errf(err, ZW_EINVALID, f->name, "%s只能是：%s", f->label, allowed);
	}
	case REC_DATE: {
		int32_t d;
		if (n && parse_date(s, &d) < 0)
			return zw_errf(err, ZW_EINVALID, f->name, "%s应为有效日期（YYYY-MM-DD）",
			               f->label);
		if (n && (f->flags & REC_PAST) && d > clock_today_cn())
			return zw_errf(err, ZW_EINVALID, f->name, "%s不能晚于今天", f->label);
		return 0;
	}
	case REC_MOBILE:
		if (n && !mobile_cn_valid(s))
			return zw_errf(err, ZW_EINVALID, f->name, "%s应为 11 位大陆手机号码",
			               f->label);
		return 0;
	case REC_EMAIL:
		if (n && !email_valid(s))
			return zw_errf(err, ZW_EINVALID, f->name, "%s格式不正确", f->label);
		return 0;
	default:
		/* "" is "not given" for an optional field of any format */
		return n ? check_format(f, s, canon, err) : 0;
	}
}

int rec_from_json(const struct rec_schema *sc, const json_t *obj, bool create, void *rec,
                  uint64_t *present, struct zw_err *err)
{
	*present = 0;
	if (!json_is_object(obj))
		return zw_errf(err, ZW_EINVALID, "", "请求体应为 JSON 对象");
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v)
	{
		int idx = rec_index(sc, key);
		if (idx < 0) {
			char shown[80];
			snprintf(shown, sizeof(shown), "%.*s", CUT(key, 64));
			if (!utf8_valid(shown, strlen(shown), false))
				snprintf(shown, sizeof(shown), "?");
			return zw_errf(err, ZW_EINVALID, shown, "未知字段“%s”", shown);
		}
		const struct rec_field *f = &sc->fields[idx];
		if ((f->flags & REC_READONLY) || (!create && (f->flags & REC_FIXED)))
			return zw_errf(err, ZW_EINVALID, f->name, "%s不能%s", f->label,
			               create ? "由客户端设置" : "修改");
		if (json_is_null(v)) {
			if (!(f->flags & REC_NULLABLE) || (f->flags & REC_REQUIRED))
				return zw_errf(err, ZW_EINVALID, f->name, "%s不能为空", f->label);
			*present |= 1ull << idx;
			continue;
		}
		if (is_text(f->type)) {
			if (!json_is_string(v))
				return zw_errf(err, ZW_EINVALID, f->name, "%s应为字符串", f->label);
			const char *s = json_string_value(v);
			size_t len = strlen(s);
			if (len != json_string_length(v))
				return zw_errf(err, ZW_EINVALID, f->name, "%s含有非法字符",
				               f->label);
			if (f->flags & REC_NAME) {
				int rc = text_name_check(s, f->name, f->label, err);
				if (rc)
					return rc;
				text_trim(s, &s, &len);
			}
			char *copy = xstrndup(s, len), *canon = NULL;
			int rc = rec_check_text(f, copy, &canon, err);
			if (rc || canon) {
				size_t cn = strlen(copy);
				if (f->flags & REC_WRITEONLY) /* a secret in plain text */
					memset(copy, 0, cn);
				free(copy);
				copy = canon;
			}
			if (rc)
				return rc;
			char **slot = FIELD(rec, f, char *);
			free(*slot);
			*slot = copy;
		} else if (f->type == REC_BOOL) {
			if (!json_is_boolean(v))
				return zw_errf(err, ZW_EINVALID, f->name, "%s应为 true 或 false",
				               f->label);
			*FIELD(rec, f, bool) = json_is_true(v);
		} else if (f->type == REC_REAL) {
			if (!json_is_number(v))
				return zw_errf(err, ZW_EINVALID, f->name, "%s应为数值", f->label);
			*FIELD(rec, f, double) = json_number_value(v);
		} else if (f->type == REC_TIME) {
			int64_t t;
			if (!json_is_string(v) || parse_time(json_string_value(v), &t) < 0)
				return zw_errf(err, ZW_EINVALID, f->name,
				               "%s应为 RFC 3339 时间，如 2026-01-01T08:00:00+08:00",
				               f->label);
			*FIELD(rec, f, int64_t) = t;
		} else {
			if (!json_is_integer(v))
				return zw_errf(err, ZW_EINVALID, f->name, "%s应为整数", f->label);
			json_int_t i = json_integer_value(v);
			if (f->type == REC_ID && i <= 0)
				return zw_errf(err, ZW_EINVALID, f->name, "%s应为正整数编号",
				               f->label);
			if (f->type == REC_INT && (i < f->min || i > f->max))
				return zw_errf(err, ZW_EINVALID, f->name,
				               "%s应在 %lld 到 %lld 之间", f->label,
				               (long long)f->min, (long long)f->max);
			*FIELD(rec, f, int64_t) = (int64_t)i;
		}
		*present |= 1ull << idx;
	}
	if (create)
		for (size_t i = 0; i < sc->nfields; i++) {
			const struct rec_field *f = &sc->fields[i];
			if ((f->flags & REC_REQUIRED) && !(*present & (1ull << i)))
				return zw_errf(err, ZW_EINVALID, f->name, "缺少必填字段：%s",
				               f->label);
		}
	return 0;
}

json_t *rec_to_json(const struct rec_schema *sc, const void *rec)
{
	json_t *o = json_object();
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		json_t *v;
		if (f->flags & REC_WRITEONLY)
			continue;
		if (is_text(f->type)) {
			const char *s = *CFIELD(rec, f, char *);
			v = s ? json_string(s) : json_null();
			if (f->codes) {
				char key[80];
				const char *code = rec_code(f, s, s ? strlen(s) : 0);
				snprintf(key, sizeof(key), "%s_code", f->name);
				json_object_set_new(o, key, code ? json_string(code) : json_null());
			}
		} else if (f->type == REC_BOOL) {
			v = json_boolean(*CFIELD(rec, f, bool));
		} else if (f->type == REC_REAL) {
			double d = *CFIELD(rec, f, double);
			v = isfinite(d) ? json_real(d) : json_null();
		} else if (f->type == REC_TIME) {
			int64_t t = *CFIELD(rec, f, int64_t);
			char ts[32];
			format_time(t, ts);
			v = t ? json_string(ts) : json_null();
		} else {
			int64_t i64 = *CFIELD(rec, f, int64_t);
			v = (f->type == REC_ID && i64 == 0) ? json_null() : json_integer(i64);
		}
		json_object_set_new(o, f->name, v ? v : json_null());
	}
	return o;
}

/* Decimal digits of v into out (no NUL); returns the length. */
static size_t fmt_i64(int64_t v, char out[24])
{
	char tmp[24];
	size_t n = 0, k = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[k++] = '-';
	while (n)
		out[k++] = tmp[--n];
	return k;
}

void rec_enum_list(const struct rec_field *f, char *out, size_t n)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t k = 0; f->enums && f->enums[k]; k++) {
		int w = f->labels && strcmp(f->labels[k], f->enums[k])
		            ? snprintf(out + off, n - off, "%s%s（%s）", k ? "、" : "", f->enums[k],
		                       f->labels[k])
		            : snprintf(out + off, n - off, "%s%s", k ? "、" : "", f->enums[k]);
		if (w < 0 || (size_t)w >= n - off) { /* what does not fit is left out whole */
			out[off] = '\0';
			return;
		}
		off += (size_t)w;
	}
}

const char *rec_enum_label(const struct rec_field *f, const char *value)
{
	for (size_t k = 0; f->enums && value && f->enums[k]; k++)
		if (strcmp(f->enums[k], value) == 0)
			return f->labels ? f->labels[k] : f->enums[k];
	return NULL;
}

const char *rec_code(const struct rec_field *f, const char *value, size_t len)
{
	if (!f->codes || !value)
		return NULL;
	for (size_t k = 0; f->enums[k]; k++)
		if (strlen(f->enums[k]) == len && memcmp(f->enums[k], value, len) == 0)
			return f->codes[k];
	return NULL;
}

int rec_write_source(struct buf *b, const struct rec_schema *sc, const struct rec_source *src)
{
	int rc = buf_append(b, "{", 1);
	bool first = true;
	for (size_t i = 0; i < sc->nfields && !rc; i++) {
		const struct rec_field *f = &sc->fields[i];
		if (f->flags & REC_WRITEONLY)
			continue;
		rc |= buf_append(b, first ? "\"" : ",\"", first ? 1 : 2);
		first = false;
		rc |= buf_puts(b, f->name);
		rc |= buf_append(b, "\":", 2);
		if (is_text(f->type)) {
			size_t len = 0;
			const char *s = src->text(src->ctx, i, f, &len);
			rc |= s ? json_write_strn(b, s, len) : buf_append(b, "null", 4);
			if (f->codes) {
				const char *code = rec_code(f, s, len);
				rc |= buf_append(b, ",\"", 2) | buf_puts(b, f->name) |
				      buf_append(b, "_code\":", 7);
				rc |= code ? json_write_str(b, code) : buf_append(b, "null", 4);
			}
			continue;
		}
		if (f->type == REC_REAL) {
			double d = src->real(src->ctx, i, f);
			char num[40];
			int w = isfinite(d) ? snprintf(num, sizeof(num), "%.17g", d) : -1;
			/* JSON needs a digit form jansson reads back as a real */
			if (w > 0 && !strpbrk(num, ".eE") && w < 38) {
				num[w++] = '.';
				num[w++] = '0';
			}
			rc |= w > 0 ? buf_append(b, num, (size_t)w) : buf_append(b, "null", 4);
			continue;
		}
		int64_t v = src->num(src->ctx, i, f);
		if (f->type == REC_BOOL) {
			rc |= buf_puts(b, v ? "true" : "false");
		} else if (f->type == REC_TIME) {
			char ts[32];
			format_time(v, ts);
			rc |= v ? buf_append(b, "\"", 1) | buf_append(b, ts, 20) |
			              buf_append(b, "\"", 1)
			        : buf_append(b, "null", 4);
		} else {
			char num[24];
			rc |= (f->type == REC_ID && v == 0) ? buf_append(b, "null", 4)
			                                    : buf_append(b, num, fmt_i64(v, num));
		}
	}
	rc |= buf_append(b, "}", 1);
	return rc ? -1 : 0;
}

static const char *struct_text(const void *rec, size_t i, const struct rec_field *f, size_t *len)
{
	(void)i;
	const char *s = *CFIELD(rec, f, char *);
	*len = s ? strlen(s) : 0;
	return s;
}

static int64_t struct_num(const void *rec, size_t i, const struct rec_field *f)
{
	(void)i;
	if (f->type == REC_BOOL)
		return *CFIELD(rec, f, bool);
	return *CFIELD(rec, f, int64_t);
}

static double struct_real(const void *rec, size_t i, const struct rec_field *f)
{
	(void)i;
	return *CFIELD(rec, f, double);
}

int rec_write_json(struct buf *b, const struct rec_schema *sc, const void *rec)
{
	struct rec_source src = {rec, struct_text, struct_num, struct_real};
	return rec_write_source(b, sc, &src);
}

void rec_free(const struct rec_schema *sc, void *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		if (is_text(f->type)) {
			char **slot = FIELD(rec, f, char *);
			free(*slot);
			*slot = NULL;
		}
	}
}

void rec_merge(const struct rec_schema *sc, void *dst, const void *src, uint64_t present)
{
	for (size_t i = 0; i < sc->nfields; i++) {
		if (!(present & (1ull << i)))
			continue;
		const struct rec_field *f = &sc->fields[i];
		if (is_text(f->type)) {
			const char *s = *CFIELD(src, f, char *);
			char **slot = FIELD(dst, f, char *);
			char *copy = s ? xstrdup(s) : NULL;
			free(*slot);
			*slot = copy;
		} else if (f->type == REC_BOOL) {
			*FIELD(dst, f, bool) = *CFIELD(src, f, bool);
		} else if (f->type == REC_REAL) {
			*FIELD(dst, f, double) = *CFIELD(src, f, double);
		} else {
			*FIELD(dst, f, int64_t) = *CFIELD(src, f, int64_t);
		}
	}
}

size_t rec_min_chars(const struct rec_field *f)
{
	if (f->type == REC_USERNAME)
		return 2;
	if (f->type == REC_PASSWORD)
		return 8;
	return (f->flags & (REC_REQUIRED | REC_WRITEONLY)) && rec_is_text(f->type) ? 1 : 0;
}

json_t *rec_schema_json(const struct rec_schema *sc)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "name", f->name, "label", f->label,
		    "type", rec_type_name(f->type), "required", (f->flags & REC_REQUIRED) != 0,
		    "readonly", (f->flags & REC_READONLY) != 0, "fixed",
		    (f->flags & REC_FIXED) != 0, "nullable", (f->flags & REC_NULLABLE) != 0,
		    "multiline", (f->flags & REC_MULTILINE) != 0);
		if (f->flags & REC_WRITEONLY) /* a secret: given, never shown back */
			json_object_set_new(o, "write_only", json_true());
		/* what a list of the record takes on the field (api/registry_api.h): ?sort=,
		 * ?<name>= and ?q= */
		if (f->flags & REC_SORT)
			json_object_set_new(o, "sort", json_true());
		if (f->flags & REC_FILTER)
			json_object_set_new(o, "filter", json_true());
		if (f->flags & REC_SEARCH)
			json_object_set_new(o, "search", json_true());
		if (rec_is_text(f->type))
			json_object_set_new(
			    o, "max_chars",
			    json_integer((json_int_t)(f->maxchars ? f->maxchars : 200)));
		if (rec_is_text(f->type) && f->type != REC_TEXT && f->type != REC_ENUM) {
			bool exact;
			const char *pat = rec_pattern(f, &exact);
			json_object_set_new(o, "pattern", json_string(pat));
			json_object_set_new(o, "pattern_exact", json_boolean(exact));
			if (rec_min_chars(f) > 1)
				json_object_set_new(o, "min_chars",
				                    json_integer((json_int_t)rec_min_chars(f)));
		}
		if (f->flags & REC_PAST)
			json_object_set_new(o, "past", json_true());
		if (f->type == REC_INT) {
			json_object_set_new(o, "min", json_integer(f->min));
			json_object_set_new(o, "max", json_integer(f->max));
		}
		if (f->enums) {
			json_t *v = json_array(), *l = json_array();
			for (size_t k = 0; f->enums[k]; k++) {
				json_array_append_new(v, json_string(f->enums[k]));
				json_array_append_new(
				    l, json_string(f->labels ? f->labels[k] : f->enums[k]));
			}
			json_object_set_new(o, "values", v);
			json_object_set_new(o, "labels", l);
		}
		json_array_append_new(fields, o);
	}
	return json_pack("{s:s, s:o}", "object", sc->object, "fields", fields);
}

bool rec_writable(const struct rec_schema *sc)
{
	for (size_t i = 0; i < sc->nfields; i++)
		if (!(sc->fields[i].flags & REC_READONLY))
			return true;
	return false;
}
