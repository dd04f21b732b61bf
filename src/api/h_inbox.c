/* The caller's own in-app inbox. */

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
