/* Host addresses over HTTP, and the DHCP reservation exports. */
#include <stdlib.h>
#include <string.h>

#include "api/registry_api.h"
#include "core/parse.h"
#include "domain/address.h"
#include "domain/ipam.h"

static const char *const sorts[] = {"id", "address", "updated_at", NULL};
static const struct list_filter_def filters[] = {{"prefix_id", "prefix_id", LQ_EQ_INT},
                                                 {"unit_id", "unit_id", LQ_EQ_INT},
                                                 {"kind", "kind", LQ_EQ},
                                                 {"mac", "mac", LQ_EQ},
                                                 {"terminal_id", "terminal_id", LQ_EQ_INT},
                                                 {"q", "hostname", LQ_LIKE},
                                                 {NULL, NULL, 0}};
static const struct reg_api addresses = {&address_kind, sorts, filters};

void h_addresses_list(struct req *r)
{
	reg_list(r, &addresses);
}
void h_addresses_create(struct req *r)
{
	reg_write(r, &addresses, false);
}
void h_address_get(struct req *r)
{
	reg_get(r, &addresses);
}
void h_address_patch(struct req *r)
{
	reg_write(r, &addresses, true);
}
void h_address_delete(struct req *r)
{
	reg_delete(r, &addresses);
}

void h_export_plan(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct buf out;
	buf_init(&out, 256u << 20);
	if (!fail(r, ipam_plan_csv(&x, &out, &err), &err))
		reply_bytes(r, 200, "text/csv; charset=utf-8", out.p, out.len, "地址规划.csv");
	buf_free(&out);
}

void h_export_dhcp(struct req *r)
{
	struct zw_err err = {0};
	int64_t prefix = 0;
	const char *p = req_query(r, "prefix_id");
	if (p && parse_i64(p, 1, INT64_MAX, &prefix) < 0) {
		reply_code(r, ZW_EINVALID, "prefix_id", "prefix_id 应为地址段编号");
		return;
	}
	struct ctx x;
	req_ctx(r, &x);
	struct buf out;
	buf_init(&out, 256u << 20);
	const char *type = "text/plain; charset=utf-8";
	if (!fail(r, address_dhcp_export(&x, req_query(r, "format"), prefix, &out, &type, &err),
	          &err))
		reply_bytes(r, 200, type, out.p ? out.p : "", out.len, NULL);
	buf_free(&out);
}
