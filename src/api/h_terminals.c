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
	struct ctx x;
	req_ctx(r, &x);
	json_t *items = terminal_compliance(&x, unit, &err);
	if (!items) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
