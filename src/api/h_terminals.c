/* Terminals over HTTP: the register and its compliance view. */
#include <string.h>

#include "api/registry_api.h"
#include "core/parse.h"
#include "domain/terminal.h"

static const char *const sorts[] = {"id", "mac", "ip", "last_seen", "updated_at", NULL};
static const struct list_filter_def filters[] = {{"unit_id", "unit_id", LQ_EQ_INT},
                                                 {"kind", "kind", LQ_EQ},
                                                 {"ip", "ip", LQ_EQ},
                                                 {"mac", "mac", LQ_EQ},
                                                 {"q", "user_name", LQ_LIKE},
                                                 {NULL, NULL, 0}};
static const struct reg_api terminals = {&terminal_kind, sorts, filters};

void h_terminals_list(struct req *r)
{
	reg_list(r, &terminals);
}
void h_terminals_create(struct req *r)
{
	reg_write(r, &terminals, false);
}
void h_terminal_get(struct req *r)
{
	reg_get(r, &terminals);
}
void h_terminal_patch(struct req *r)
{
	reg_write(r, &terminals, true);
}
void h_terminal_delete(struct req *r)
{
	reg_delete(r, &terminals);
}

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
