/* The caller's own in-app inbox, and which of its topics they also want by mail. */

#include <string.h>

#include "api/handlers.h"
#include "core/parse.h"
#include "domain/notify/notify.h"

void h_inbox_list(struct req *r)
{
	const char *unread = req_query(r, "unread"), *lim = req_query(r, "limit"),
	           *cur = req_query(r, "cursor");
	int64_t limit = 50, cursor = 0;
	if (unread && strcmp(unread, "true") && strcmp(unread, "false")) {
		reply_code(r, ZW_EINVALID, "unread", "unread 只能是 true 或 false");
		return;
	}
	if (lim && parse_i64(lim, 1, 200, &limit) < 0) {
		reply_code(r, ZW_EINVALID, "limit", "limit 应为 1 到 200 的整数");
		return;
	}
	if (cur && parse_i64(cur, 1, INT64_MAX, &cursor) < 0) {
		reply_code(r, ZW_EINVALID, "cursor", "cursor 无效");
		return;
	}
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *out = NULL;
	if (fail(r,
	         inbox_list(&x, unread && strcmp(unread, "true") == 0, cursor, (int)limit, &out,
	                    &err),
	         &err))
		return;
	reply_json(r, 200, out);
}

void h_inbox_read(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, inbox_mark_read(&x, r->params[0], &err), &err))
		return;
	reply_no_content(r);
}

void h_inbox_read_all(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *out = NULL;
	if (fail(r, inbox_mark_all_read(&x, &out, &err), &err))
		return;
	reply_json(r, 200, out);
}

void h_mail_prefs_get(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *out = NULL;
	if (fail(r, mail_prefs_get(&x, &out, &err), &err))
		return;
	reply_json(r, 200, out);
}

void h_mail_prefs_put(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *out = NULL;
	int rc = json_is_object(body) ? mail_prefs_set(&x, body, &out, &err)
	                              : zw_errf(&err, ZW_EINVALID, NULL, "请求体应为 JSON 对象");
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reply_json(r, 200, out);
}
