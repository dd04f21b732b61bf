#include "core/record.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/parse.h"
#include "core/text.h"

#define FIELD(rec, f, T)  ((T *)((char *)(rec) + (f)->offset))
#define CFIELD(rec, f, T) ((const T *)((const char *)(rec) + (f)->offset))

static bool is_text(enum rec_type t)
{
	return t == REC_TEXT || t == REC_ENUM || t == REC_DATE || t == REC_MOBILE || t == REC_EMAIL;
}

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

static int check_text(const struct rec_field *f, const char *s, struct zw_err *err)
{
	size_t max = f->maxchars ? f->maxchars : 200;
	size_t n = strlen(s);
	if (!utf8_valid(s, n, (f->flags & REC_MULTILINE) != 0))
		return zw_errf(err, ZW_EINVALID, f->name, "%s含有非法字符（控制字符或无效编码）",
		               f->label);
	if (utf8_chars(s) > max)
		return zw_errf(err, ZW_EINVALID, f->name, "%s过长，最多 %zu 个字", f->label, max);
	if ((f->flags & REC_REQUIRED) && n == 0)
		return zw_errf(err, ZW_EINVALID, f->name, "%s不能为空", f->label);
	switch (f->type) {
	case REC_ENUM: {
		for (const char *const *e = f->enums; *e; e++)
			if (strcmp(*e, s) == 0)
				return 0;
		char allowed[300] = "";
		size_t off = 0;
		for (const char *const *e = f->enums; *e && off < sizeof(allowed) - 1; e++) {
			int w = snprintf(allowed + off, sizeof(allowed) - off, "%s%s",
			                 e == f->enums ? "" : "、", *e);
			if (w < 0)
				break;
			off += (size_t)w;
		}
		return zw_errf(err, ZW_EINVALID, f->name, "%s只能是：%s", f->label, allowed);
	}
	case REC_DATE: {
		int32_t d;
		if (n && parse_date(s, &d) < 0)
			return zw_errf(err, ZW_EINVALID, f->name, "%s应为有效日期（YYYY-MM-DD）",
			               f->label);
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
		return 0;
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
			snprintf(shown, sizeof(shown), "%.64s", key);
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
			char *copy = strndup(s, len);
			if (!copy)
				return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
			int rc = check_text(f, copy, err);
			if (rc) {
				free(copy);
				return rc;
			}
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

int rec_merge(const struct rec_schema *sc, void *dst, const void *src, uint64_t present)
{
	for (size_t i = 0; i < sc->nfields; i++) {
		if (!(present & (1ull << i)))
			continue;
		const struct rec_field *f = &sc->fields[i];
		if (is_text(f->type)) {
			const char *s = *CFIELD(src, f, char *);
			char **slot = FIELD(dst, f, char *);
			char *copy = s ? strdup(s) : NULL;
			if (s && !copy)
				return -1;
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
	return 0;
}

json_t *rec_schema_json(const struct rec_schema *sc)
{
	static const char *const names[] = {
	    [REC_TEXT] = "text",     [REC_ENUM] = "enum",   [REC_DATE] = "date",
	    [REC_MOBILE] = "mobile", [REC_EMAIL] = "email", [REC_ID] = "id",
	    [REC_INT] = "int",       [REC_BOOL] = "bool",   [REC_TIME] = "time",
	    [REC_REAL] = "real"};
	json_t *fields = json_array();
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "name", f->name, "label", f->label,
		    "type", names[f->type], "required", (f->flags & REC_REQUIRED) != 0, "readonly",
		    (f->flags & REC_READONLY) != 0, "fixed", (f->flags & REC_FIXED) != 0,
		    "nullable", (f->flags & REC_NULLABLE) != 0, "multiline",
		    (f->flags & REC_MULTILINE) != 0);
		if (f->type == REC_TEXT || f->type == REC_ENUM || f->type == REC_MOBILE ||
		    f->type == REC_EMAIL || f->type == REC_DATE)
			json_object_set_new(
			    o, "max_chars",
			    json_integer((json_int_t)(f->maxchars ? f->maxchars : 200)));
		if (f->type == REC_INT) {
			json_object_set_new(o, "min", json_integer(f->min));
			json_object_set_new(o, "max", json_integer(f->max));
		}
		if (f->enums) {
			json_t *v = json_array();
			for (const char *const *e = f->enums; *e; e++)
				json_array_append_new(v, json_string(*e));
			json_object_set_new(o, "values", v);
		}
		json_array_append_new(fields, o);
	}
	return json_pack("{s:s, s:o}", "object", sc->object, "fields", fields);
}
