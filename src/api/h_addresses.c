/* The address plan's exports over HTTP: the plan as CSV, DHCP reservations (host addresses
 * themselves are a registry kind: api/registry_api.h). */

#include <stdlib.h>
#include <string.h>

#include "api/registry_api.h"
#include "core/parse.h"
#include "domain/ipam/address.h"
#include "domain/ipam/ipam.h"

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
