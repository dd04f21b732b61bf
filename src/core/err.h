/*
 * err: the one error table of zwnet.
 *
 * Every failure a caller can see has a code here, with the HTTP status the API answers and the
 * default message a user reads (Simplified Chinese). Functions return 0 on success or a
 * negative ZW_E* code, and fill a caller-supplied struct zw_err once, where the failure happens,
 * with the field at fault and, for a refusal that rests on a regulation, the clause.
 */
#ifndef ZW_CORE_ERR_H
#define ZW_CORE_ERR_H

#include <stdarg.h>
#include <stddef.h>

#define ZW_ERR_MAP(X)                                                                              \
	X(INVALID, 400, "invalid", "请求参数无效")                                                 \
	X(BADJSON, 400, "bad_json", "请求体不是有效的 JSON")                                       \
	X(UNAUTHENTICATED, 401, "unauthenticated", "未登录或登录已过期")                           \
	X(FORBIDDEN, 403, "forbidden", "无权执行此操作")                                           \
	X(CSRF, 403, "csrf", "缺少或错误的 CSRF 令牌")                                             \
	X(NOTFOUND, 404, "not_found", "对象不存在")                                                \
	X(METHOD, 405, "method_not_allowed", "不支持此请求方法")                                   \
	X(CONFLICT, 409, "conflict", "与现有数据冲突")                                             \
	X(STALE, 412, "stale", "数据已被他人修改，请刷新后重试")                                   \
	X(TOOLARGE, 413, "too_large", "请求体过大")                                                \
	X(MEDIA, 415, "unsupported_media_type", "不支持的内容类型")                                \
	X(RULE, 422, "rule", "违反管理办法的规定")                                                 \
	X(THROTTLED, 429, "throttled", "尝试次数过多，请稍后再试")                                 \
	X(INTERNAL, 500, "internal", "服务器内部错误")                                             \
	X(NOSPACE, 507, "insufficient_storage", "磁盘空间不足，数据未保存")                        \
	X(UNAVAILABLE, 503, "unavailable", "服务暂不可用")

enum zw_errcode {
	ZW_OK = 0,
#define ZW_ERR_ENUM(name, status, code, msg) ZW_E##name,
	ZW_ERR_MAP(ZW_ERR_ENUM)
#undef ZW_ERR_ENUM
	    ZW_E_COUNT
};

struct zw_err {
	int code;          /* enum zw_errcode, 0 when no error */
	char field[64];    /* the request field at fault, or "" */
	char clause[32];   /* clause id a refusal rests on, or "" */
	char message[512]; /* Simplified Chinese, for the user */
};

/* Fill err (if not NULL) and return -code. The message is printf-formatted; NULL fmt uses the
 * table's default message. A second call on an already-filled err keeps the first failure. */
/* The same with a va_list (for callers that format on behalf of others). */
int zw_verrf(struct zw_err *err, int code, const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
int zw_errf(struct zw_err *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Like zw_errf, also naming the clause the refusal rests on. */
int zw_err_clause(struct zw_err *err, int code, const char *field, const char *clause,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void zw_err_clear(struct zw_err *err);

int zw_err_status(int code);          /* HTTP status */
const char *zw_err_name(int code);    /* stable machine code, e.g. "not_found" */
const char *zw_err_default(int code); /* default Chinese message */

#endif
