#include "domain/violation/acl.h"

#include <stdio.h>
#include <string.h>

#include "core/inet.h"
#include "core/parse.h"
#include "domain/violation/violation.h"
#include "store/violation_sql.h"
#include "core/xalloc.h"

enum vendor { V_VRP, V_COMWARE, V_IOS, V_COUNT };
/* the systems, as the API names them (?vendor=) and their makers as people know them */
static const struct {
	const char *name, *label;
} vendors[V_COUNT] = {
    [V_VRP] = {"vrp", "华为"}, [V_COMWARE] = {"comware", "新华三"}, [V_IOS] = {"ios", "思科"}};

json_t *acl_vendors_json(void)
{
	json_t *a = json_array();
	for (int i = 0; i < V_COUNT; i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "name", vendors[i].name, "label", vendors[i].label));
	return a;
}

struct rule {
	int64_t seq;
	const char *kind; /* ip4 ip6 mac net4 net6 */
	int family;
	char addr[INET_ADDR_MAX], wild[INET_ADDR_MAX]; /* IPv4 wildcard */
	int len;
	char mac[16]; /* xxxx-xxxx-xxxx or xxxx.xxxx.xxxx */
};

static int parse_rule(const json_t *iso, enum vendor v, struct rule *r)
{
	memset(r, 0, sizeof(*r));
	r->seq = (int64_t)json_integer_value(json_object_get(iso, "id")) * 10;
	r->kind = json_string_value(json_object_get(iso, "kind"));
	const char *value = json_string_value(json_object_get(iso, "value"));
	if (!r->kind || !value)
		return -1;
	if (strcmp(r->kind, "mac") == 0) {
		uint8_t m[6];
		if (parse_mac(value, m) < 0)
			return -1;
		char sep = v == V_IOS ? '.' : '-';
		snprintf(r->mac, sizeof(r->mac), "%02x%02x%c%02x%02x%c%02x%02x", m[0], m[1], sep,
		         m[2], m[3], sep, m[4], m[5]);
		return 0;
	}
	struct inet_prefix p;
	if (strchr(value, '/')) {
		if (inet_parse_prefix(value, false, &p) < 0)
			return -1;
	} else {
		int fam;
		u128 a;
		if (inet_parse_addr(value, &fam, &a) < 0)
			return -1;
		p = (struct inet_prefix){
		    .family = (uint8_t)fam, .len = (uint8_t)inet_bits(fam), .net = a};
	}
	r->family = p.family;
	r->len = p.len;
	inet_format_addr(p.family, p.net, r->addr);
	if (p.family == 4) {
		u128 host = inet_size(&p) - 1;
		inet_format_addr(4, host, r->wild);
	}
	return 0;
}

/* The address in a vendor's words: IOS "host A" / "A W", VRP and Comware "A 0" / "A W". */
static void ip_words(enum vendor v, const struct rule *r, char *out, size_t n)
{
	bool host = r->len == inet_bits(r->family);
	if (r->family == 6) {
		if (v == V_IOS)
			snprintf(out, n, host ? "host %s" : "%s/%d", r->addr, r->len);
		else if (v == V_COMWARE)
			snprintf(out, n, "%s %d", r->addr, r->len);
		else
			snprintf(out, n, "%s/%d", r->addr, r->len);
	} else if (v == V_IOS) {
		snprintf(out, n, host ? "host %s" : "%s %s", r->addr, r->wild);
	} else {
		snprintf(out, n, "%s %s", r->addr, host ? "0" : r->wild);
	}
}

/* One list's rules (family 4, 6, or 0 for MAC) of the case, applied or removed. */
static void list(struct buf *b, enum vendor v, bool apply, const struct rule *rs, size_t n,
                 int family)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += family ? rs[i].family == family : strcmp(rs[i].kind, "mac") == 0;
	if (!k)
		return;
	const char *ip = family == 6 ? "ipv6" : "ip";
	if (family == 0)
		buf_puts(b, v == V_VRP       ? "acl number 4999\n"
		            : v == V_COMWARE ? "acl mac 4999\n"
		                             : "mac access-list extended ZWNET-ISO-MAC\n");
	else if (v == V_IOS)
		buf_puts(b, family == 6 ? "ipv6 access-list ZWNET-ISO6\n"
		                        : "ip access-list extended ZWNET-ISO\n");
	else if (v == V_VRP)
		buf_puts(b, family == 6 ? "acl ipv6 number 3999\n" : "acl number 3999\n");
	else
		buf_puts(b, family == 6 ? "acl ipv6 advanced 3999\n" : "acl advanced 3999\n");
	const char *undo = v == V_IOS ? "no " : "undo ";
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = &rs[i];
		if (family == 0 && strcmp(r->kind, "mac") == 0) {
			if (v == V_IOS)
				buf_printf(b, " %sdeny host %s any\n", apply ? "" : "no ", r->mac);
			else if (apply)
				buf_printf(b, " rule %lld deny source-mac %s ffff-ffff-ffff\n",
				           (long long)r->seq, r->mac);
			else
				buf_printf(b, " undo rule %lld\n", (long long)r->seq);
			continue;
		}
		if (!family || r->family != family)
			continue;
		char w[INET_ADDR_MAX * 2 + 8];
		ip_words(v, r, w, sizeof(w));
		const char *seqw = v == V_IOS && family == 6 ? "sequence " : "";
		if (!apply) {
			buf_printf(b, " %s%s%lld\n %s%s%lld\n", undo, v == V_IOS ? seqw : "rule ",
			           (long long)r->seq, undo, v == V_IOS ? seqw : "rule ",
			           (long long)r->seq + 5);
		} else if (v == V_IOS) {
			buf_printf(b, " %s%lld deny %s %s any\n %s%lld deny %s any %s\n", seqw,
			           (long long)r->seq, ip, w, seqw, (long long)r->seq + 5, ip, w);
		} else {
			buf_printf(
			    b, " rule %lld deny %s source %s\n rule %lld deny %s destination %s\n",
			    (long long)r->seq, ip, w, (long long)r->seq + 5, ip, w);
		}
	}
	if (v == V_IOS && family && apply) /* IOS lists deny what they do not match */
		buf_printf(b, " %s2147483640 permit %s any any\n", family == 6 ? "sequence " : "",
		           ip);
	buf_puts(b, v == V_IOS ? "exit\n" : "quit\n");
}

static int vendor_of(const char *vendor, enum vendor *out, struct zw_err *err)
{
	for (int i = 0; vendor && i < V_COUNT; i++)
		if (strcmp(vendor, vendors[i].name) == 0) {
			if (out)
				*out = (enum vendor)i;
			return 0;
		}
	char names[200] = "";
	size_t off = 0;
	for (int i = 0; i < V_COUNT && off < sizeof(names); i++) {
		int w = snprintf(names + off, sizeof(names) - off, "%s%s（%s）", i ? "、" : "",
		                 vendors[i].name, vendors[i].label);
		off += w > 0 ? (size_t)w : 0;
	}
	return zw_errf(err, ZW_EINVALID, "vendor", "vendor 应为 %s 之一", names);
}

static int apply_of(const char *op, bool *apply, struct zw_err *err)
{
	bool a = !op || strcmp(op, "apply") == 0;
	if (!a && strcmp(op, "remove") != 0)
		return zw_errf(err, ZW_EINVALID, "op", "op 应为 apply（断网）或 remove（恢复）");
	if (apply)
		*apply = a;
	return 0;
}

int acl_render_detail(const json_t *detail, const char *vendor, const char *op, struct buf *out,
                      struct zw_err *err)
{
	enum vendor v = V_COUNT;
	bool apply = true;
	int rc = vendor_of(vendor, &v, err);
	if (!rc)
		rc = apply_of(op, &apply, err);
	if (rc)
		return rc;
	json_int_t violation_id = json_integer_value(json_object_get(detail, "id"));
	json_t *isos = json_object_get(detail, "isolations");
	size_t n = json_array_size(isos), k = 0;
	struct rule *rs = xcalloc(n, sizeof(*rs));
	for (size_t i = 0; i < n; i++) {
		json_t *iso = json_array_get(isos, i);
		bool lifted = !json_is_null(json_object_get(iso, "lifted"));
		if (apply && lifted)
			continue;
		if (parse_rule(iso, v, &rs[k]) == 0)
			k++;
	}
	if (!k) {
		rc = zw_errf(err, ZW_ECONFLICT, "op",
		             apply ? "该违规事项当前没有断网，无须下发 ACL"
		                   : "该违规事项没有断网记录");
	} else {
		const char *c = v == V_IOS ? "!" : "#";
		buf_printf(out, "%s zwnet violation %lld unit %lld %s %s\n", c,
		           (long long)violation_id,
		           (long long)json_integer_value(json_object_get(detail, "unit_id")),
		           json_string_value(json_object_get(detail, "sanction_clause"))
		               ? json_string_value(json_object_get(detail, "sanction_clause"))
		               : json_string_value(json_object_get(detail, "clause")),
		           apply ? "isolate" : "reconnect");
		buf_printf(out, "%s bind once per access port: %s\n", c,
		           v == V_IOS
		               ? "ip access-group ZWNET-ISO in / mac access-group ZWNET-ISO-MAC in"
		           : v == V_VRP ? "traffic-filter inbound acl 3999 (4999, ipv6 3999)"
		                        : "packet-filter 3999 inbound (mac 4999, ipv6 3999)");
		buf_puts(out, v == V_IOS ? "configure terminal\n" : "system-view\n");
		list(out, v, apply, rs, k, 4);
		list(out, v, apply, rs, k, 6);
		list(out, v, apply, rs, k, 0);
		buf_puts(out, v == V_IOS ? "end\n" : "return\n");
		/* a switch is given the whole text or none: one lost line is a lost deny rule */
		rc = buf_check(out, err, "ACL 文本");
	}
	free(rs);
	return rc;
}

int acl_render(const struct ctx *x, int64_t violation_id, const char *vendor, const char *op,
               struct buf *out, struct zw_err *err)
{
	json_t *detail = NULL;
	int rc = vendor_of(vendor, NULL, err);
	if (!rc)
		rc = apply_of(op, NULL, err);
	if (!rc)
		rc = violation_detail(x, violation_id, &detail, err);
	if (!rc)
		rc = acl_render_detail(detail, vendor, op, out, err);
	json_decref(detail);
	return rc;
}
