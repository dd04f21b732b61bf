#include "domain/ipam/address.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/inet.h"
#include "core/parse.h"
#include "domain/ipam/ipam.h"
#include "store/rec.h"
#include "core/xalloc.h"
#include "store/ipam_sql.h"

static const char *const kinds[] = {"静态", "地址池", "保留", "网关", NULL};
static const char *const kind_codes[] = {"static", "dhcp_pool", "reserved", "gateway", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct address, n, t, fl, lbl, max)
static const struct rec_field address_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    F(prefix_id, REC_ID, REC_REQUIRED | REC_FIXED | REC_FILTER, "地址段", 0),
    F(address, REC_IP, REC_FIXED | REC_NULLABLE | REC_SORT, "IP 地址", 45),
    F(family, REC_INT, REC_READONLY, "地址族", 0),
    REC_FEC(struct address, kind, REC_REQUIRED | REC_FILTER, "地址类型", kinds, kind_codes),
    F(unit_id, REC_ID, REC_READONLY | REC_FILTER, "使用单位", 0),
    F(terminal_id, REC_ID, REC_NULLABLE | REC_FILTER, "终端", 0),
    F(hostname, REC_HOSTNAME, REC_SEARCH, "主机名", 63),
    F(mac, REC_MAC, REC_NULLABLE | REC_FILTER, "MAC 地址", 20),
    F(description, REC_TEXT, REC_MULTILINE, "说明", 500),
    REC_META(struct address),
};
#undef F
const struct rec_schema address_schema = {"address", address_fields,
                                          sizeof(address_fields) / sizeof(address_fields[0]),
                                          sizeof(struct address)};

static int cmp_u128(const void *a, const void *b)
{
	u128 x = *(const u128 *)a, y = *(const u128 *)b;
	return x < y ? -1 : x > y;
}

/* The lowest host of p that is neither network, broadcast, gateway nor taken. */
static int next_free(struct sconn *c, const struct inet_prefix *p, const char *gateway,
                     int64_t prefix_id, int64_t unit_id, u128 *out, struct zw_err *err)
{
	size_t n = 0, cap = 0;
	u128 *taken = NULL;
	int rc = store_address_values(c, prefix_id, &taken, &n, &cap, err);
	/* addresses terminals of the unit already use count as taken too */
	if (!rc)
		rc = store_terminal_ips_in(c, p, unit_id, &taken, &n, &cap, err);
	int fam;
	u128 gw;
	if (!rc && gateway && *gateway && inet_parse_addr(gateway, &fam, &gw) == 0 &&
	    fam == p->family) {
		if (n == cap)
			taken = xreallocarray(taken, ++cap, sizeof(*taken));
		taken[n++] = gw;
	}
	if (rc) {
		free(taken);
		return rc;
	}
	if (n)
		qsort(taken, n, sizeof(*taken), cmp_u128);
	u128 first = p->net, last = inet_last(p);
	if (inet_reserved_host(p, first))
		first++;
	if (inet_reserved_host(p, last))
		last--;
	if (p->family == 6 && p->len < 127)
		first++; /* the subnet-router anycast address */
	u128 cand = first;
	for (size_t i = 0; i < n && cand <= last; i++) {
		if (taken[i] < cand)
			continue;
		if (taken[i] > cand)
			break;
		cand++;
	}
	free(taken);
	if (cand > last || cand < first)
		return zw_errf(err, ZW_ECONFLICT, "prefix_id", "该地址段已没有空闲地址");
	*out = cand;
	return 0;
}

static int address_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                         struct zw_err *err)
{
	(void)x;
	struct address *a = rec;
	if (!a)
		return 0;
	struct prefix p = {0};
	int rc = store_rec_get(c, "prefixes", &prefix_schema, a->prefix_id, NULL, 0, &p, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_EINVALID, "prefix_id", "地址段不存在");
	}
	if (!rc && !old && strcmp(p.status, "active") != 0) {
		const struct rec_field *st = rec_field(&prefix_schema, "status");
		const char *is = rec_enum_label(st, p.status);
		rc = zw_errf(err, ZW_ECONFLICT, "prefix_id",
		             "只能在%s（active）的地址段里分配主机地址，%s 是%s（%s）",
		             rec_enum_label(st, "active"), p.cidr, is ? is : "", p.status);
	}
	struct inet_prefix ip;
	if (!rc && inet_parse_prefix(p.cidr, false, &ip) < 0)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	u128 v = 0;
	if (!rc && !old && (!a->address || !*a->address)) {
		rc = next_free(c, &ip, p.gateway, p.id, p.unit_id, &v, err);
	} else if (!rc && !old) {
		int fam; /* the field table checked the format */
		if (inet_parse_addr(a->address, &fam, &v) < 0)
			rc = zw_errf(err, ZW_EINTERNAL, "address", NULL);
		else if (!inet_contains_addr(&ip, fam, v))
			rc = zw_errf(err, ZW_EINVALID, "address", "%.*s 不在地址段 %s 内",
			             CUT(a->address, 45), p.cidr);
		else if (inet_reserved_host(&ip, v))
			rc = zw_errf(err, ZW_EINVALID, "address", "不能使用网络地址或广播地址");
	}
	if (!rc && !old) {
		char canon[INET_ADDR_MAX];
		inet_format_addr(ip.family, v, canon);
		rec_set_str(&address_schema, a, "address", canon);
		a->family = ip.family;
		a->unit_id = p.unit_id;
	}
	/* an address a registered terminal uses belongs to that terminal */
	if (!rc && !old) {
		int64_t user = 0;
		rc = store_terminal_with_ip(c, a->address, 0, &user, err);
		if (!rc && user && user != a->terminal_id)
			rc = zw_errf(err, ZW_ECONFLICT, "address",
			             "%s 已由终端（编号 %lld）使用；如为同一终端请填写 terminal_id",
			             a->address, (long long)user);
	}
	if (!rc && a->terminal_id) {
		int64_t tunit = 0;
		rc = store_terminal_unit(c, a->terminal_id, &tunit, err);
		if (!rc && tunit != a->unit_id)
			rc = zw_errf(err, ZW_EINVALID, "terminal_id", "终端不属于该地址段的单位");
	}
	rec_free(&prefix_schema, &p);
	return rc;
}

static int address_after(const struct ctx *x, struct store_tx *tx, const void *rec, const void *old,
                         struct zw_err *err)
{
	(void)x;
	if (rec && old)
		return 0; /* an update moves no address */
	const struct address *a = rec ? rec : old;
	return ipam_adjust_usage(store_tx_conn(tx), a->prefix_id, 1, rec ? +1 : -1, err);
}

const struct registry_kind address_kind = {
    .table = "addresses",
    .object = "address",
    .label = "主机地址",
    .sc = &address_schema,
    .read = ACT_ADDRESS_READ,
    .write = ACT_ADDRESS_WRITE,
    .unit_field = "unit_id",
    .check = address_check,
    .unique_field = "address",
    .after = address_after,
};

struct dhcp_ctx {
	struct buf *out;
	const char *format;
	int n;
};

static int dhcp_row(const void *rec, void *vctx)
{
	const struct address *a = rec;
	struct dhcp_ctx *d = vctx;
	if (!a->mac || !*a->mac)
		return 0;
	char name[80];
	snprintf(name, sizeof(name), "%s", a->hostname && *a->hostname ? a->hostname : "");
	if (!*name)
		snprintf(name, sizeof(name), "host-%lld", (long long)a->id);
	if (strcmp(d->format, "isc") == 0) {
		if (a->family == 4)
			buf_printf(d->out,
			           "host %s {\n  hardware ethernet %s;\n  fixed-address %s;\n}\n",
			           name, a->mac, a->address);
		else
			buf_printf(d->out,
			           "host %s {\n  hardware ethernet %s;\n  fixed-address6 %s;\n}\n",
			           name, a->mac, a->address);
	} else if (strcmp(d->format, "dnsmasq") == 0) {
		buf_printf(d->out,
		           a->family == 4 ? "dhcp-host=%s,%s,%s\n" : "dhcp-host=%s,[%s],%s\n",
		           a->mac, a->address, name);
	} else {
		buf_printf(d->out,
		           "%s{\"hw-address\": \"%s\", \"%s\": \"%s\", \"hostname\": \"%s\"}",
		           d->n ? ",\n    " : "    ", a->mac,
		           a->family == 4 ? "ip-address" : "ip-addresses", a->address, name);
	}
	d->n++;
	return buf_failed(d->out) ? -1 : 0; /* the rest would not be written either */
}

int address_dhcp_export(const struct ctx *x, const char *format, int64_t prefix_id, struct buf *out,
                        const char **content_type, struct zw_err *err)
{
	if (!format ||
	    (strcmp(format, "isc") && strcmp(format, "kea") && strcmp(format, "dnsmasq")))
		return zw_errf(err, ZW_EINVALID, "format", "format 只能是 isc、kea 或 dnsmasq");
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	if (prefix_id)
		q.f[q.nf++] =
		    (struct lq_filter){.col = "prefix_id", .ival = prefix_id, .op = LQ_EQ_INT};
	if (registry_scope(x, &address_kind, &q, err) < 0)
		return -err->code;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	bool kea = strcmp(format, "kea") == 0;
	*content_type = kea ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
	buf_printf(out, kea ? "{\"reservations\": [\n" : "# zwnet: DHCP host reservations (%s)\n",
	           format);
	struct dhcp_ctx d = {out, format, 0};
	for (;;) {
		struct list_page page;
		int rc =
		    store_rec_scan(c, "addresses", &address_schema, &q, dhcp_row, &d, &page, err);
		if (buf_failed(out))
			break; /* dhcp_row stopped the scan (which says "internal error") */
		if (rc < 0)
			return rc;
		if (!page.more)
			break;
		if (list_cursor_decode(page.next_cursor, &q, err) < 0)
			return -err->code;
	}
	if (kea)
		buf_puts(out, "\n]}\n");
	/* a DHCP server is given every reservation or none */
	if (buf_failed(out))
		zw_err_clear(err); /* the scan's "internal error" was the end of the buffer */
	return buf_check(out, err, "DHCP 保留地址");
}
