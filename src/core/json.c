#include "core/json.h"

#include <string.h>

#include "core/parse.h"

json_t *json_parse_body(const char *body, size_t len, struct zw_err *err)
{
	json_error_t je;
	if (len == 0) {
		zw_errf(err, ZW_EBADJSON, "", "请求体为空，应为 JSON");
		return NULL;
	}
	if (!utf8_valid(body, len, true)) {
		zw_errf(err, ZW_EBADJSON, "", "请求体不是有效的 UTF-8 文本");
		return NULL;
	}
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!v)
		zw_errf(err, ZW_EBADJSON, "", "JSON 格式错误（第 %d 行第 %d 列）：%s", je.line,
		        je.column, je.text);
	return v;
}

char *json_compact(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII * 0 | JSON_ENCODE_ANY);
}
