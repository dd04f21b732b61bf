/* Terminals over HTTP: the compliance view (the register is a registry kind: api/registry_api.h).
 */

#include <string.h>

#include "api/registry_api.h"
#include "core/parse.h"
#include "domain/inventory/terminal.h"

void h_terminals_compliance(struct req *r)
{
	struct zw_err err = {0};
	int64_t unit = 0;
	const char *u = req_query(r, "unit_id");
	if (u && parse_i64(u, 1, INT64_MAX, &unit) < 0) {
		reply_code(r, ZW_EINVALID, "unit_id", "unit_id 应为单位编号");
		return;
	}
	int64_t limit = 0; /* all of them */
	const char *l = req_query(r, "limit");
	if (l && parse_i64(l, 1, 10000, &limit) < 0) {
		reply_code(r, ZW_EINVALID, "limit", "limit 应为 1 到 10000 之间的整数");
		return;
	}
	struct ctx x;
	req_ctx(r, &x);
	json_t *res = terminal_compliance(&x, unit, limit, &err);
	if (!res) {
		reply_error(r, &err);
		return;
	}
	json_object_set_new(res, "next_cursor", json_null());
	reply_json(r, 200, res);
}
