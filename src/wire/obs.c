#include "wire/obs.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/parse.h"

static const char *const kind_names[] = {
#define OBS_KIND_NAME(e, name) name,
    OBS_KIND_MAP(OBS_KIND_NAME)
#undef OBS_KIND_NAME
};
static const char *const op_names[] = {
#define OBS_OP_NAME(e, name) name,
    OBS_OP_MAP(OBS_OP_NAME)
#undef OBS_OP_NAME
};

const char *obs_kind_name(enum obs_kind k)
{
	return (unsigned)k < OBS_KIND_COUNT ? kind_names[k] : "?";
}

const char *obs_op_name(enum obs_op op)
{
	return (unsigned)op < OBS_OP_COUNT ? op_names[op] : "?";
}

int obs_kind_parse(const char *s)
{
	for (int i = 0; i < OBS_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int obs_op_parse(const char *s)
{
	for (int i = 1; i < OBS_OP_COUNT; i++)
		if (strcmp(s, op_names[i]) == 0)
			return i;
	return -1;
}

bool obs_op_from_server(enum obs_op op)
{
	return op == OBS_OP_OFFER || op == OBS_OP_ACK || op == OBS_OP_NAK ||
	       op == OBS_OP_ADVERTISE || op == OBS_OP_DHCP6_REPLY;
}

/* ---- time ---- */

int obs_parse_time(const char *s, int64_t *us)
{
	/* Split "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±hh:mm)" at the fraction, which parse_time
	 * does not take. */
	char base[40];
	size_t n = strlen(s);
	if (n < 20 || n >= sizeof(base) + 7)
		return -1;
	int64_t frac = 0;
	const char *dot = s[19] == '.' ? s + 19 : NULL;
	if (dot) {
		size_t k = 1;
		int64_t scale = 100000;
		while (dot[k] >= '0' && dot[k] <= '9') {
			if (k > 6)
				return -1;
			frac += (dot[k] - '0') * scale;
			scale /= 10;
			k++;
		}
		if (k == 1 || strlen(dot + k) >= sizeof(base) - 19)
			return -1;
		memcpy(base, s, 19);
		strcpy(base + 19, dot + k);
	} else {
		if (n >= sizeof(base))
			return -1;
		memcpy(base, s, n + 1);
	}
	int64_t sec;
	if (parse_time(base, &sec) < 0 || strlen(base) < 20)
		return -1;
	*us = sec * 1000000 + frac;
	return 0;
}

void obs_format_time(int64_t us, char out[40])
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	char t[32];
	format_time(sec, t); /* ...SSZ */
	size_t n = strlen(t);
	if (n == 0 || frac == 0) {
		snprintf(out, 40, "%s", t);
		return;
	}
	t[n - 1] = 0;
	snprintf(out, 40, "%s.%06lldZ", t, (long long)frac);
}

void obs_copy_text(char out[OBS_TEXT], const uint8_t *s, size_t n)
{
	size_t o = 0;
	if (n > OBS_TEXT - 1)
		n = OBS_TEXT - 1; /* the caller's n comes from a one-byte option length */
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t len = c < 0x80             ? 1
		             : (c & 0xe0) == 0xc0 ? 2
		             : (c & 0xf0) == 0xe0 ? 3
		             : (c & 0xf8) == 0xf0 ? 4
		                                  : 0;
		if (len == 1 && c >= 0x20 && c != 0x7f) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		if (len > 1 && i + len <= n && utf8_wellformed((const char *)s + i, len)) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		out[o++] = '?';
		i++;
	}
	out[o] = 0;
}

/* ---- JSON ---- */

static int fail(struct zw_err *err, size_t index, const char *member, const char *why)
{
	char field[64];
	snprintf(field, sizeof(field), "observations[%zu]%s%s", index, member ? "." : "",
	         member ? member : "");
	return zw_errf(err, ZW_EINVALID, field, "第 %zu 条观测的 %s %s", index + 1,
	               member ? member : "内容", why);
}

static const char *text(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int get_addr(const json_t *o, size_t index, const char *k, bool required, uint8_t *family,
                    u128 *a, bool *has, struct zw_err *err)
{
	const json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v)) {
		*has = false;
		return required ? fail(err, index, k, "缺失") : 0;
	}
	int fam;
	if (!json_is_string(v) || inet_parse_addr(json_string_value(v), &fam, a) < 0)
		return fail(err, index, k, "不是有效的 IP 地址");
	if (*family && *family != fam)
		return fail(err, index, k, "与同一条观测中的其他地址不是同一地址族");
	*family = (uint8_t)fam;
	*has = true;
	return 0;
}

static int get_mac(const json_t *o, size_t index, const char *k, bool required, uint8_t mac[6],
                   bool *has, struct zw_err *err)
{
	const json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v)) {
		*has = false;
		return required ? fail(err, index, k, "缺失") : 0;
	}
	if (!json_is_string(v) || parse_mac(json_string_value(v), mac) < 0)
		return fail(err, index, k, "不是有效的 MAC 地址");
	*has = true;
	return 0;
}

static int get_text(const json_t *o, size_t index, const char *k, char *out, size_t outsz,
                    struct zw_err *err)
{
	const json_t *v = json_object_get(o, k);
	out[0] = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(err, index, k, "应为字符串");
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	if (strlen(s) != n || !utf8_valid(s, n, false))
		return fail(err, index, k, "含有非法字符");
	if (n >= outsz) {
		char why[48];
		snprintf(why, sizeof(why), "过长（最多 %zu 字节）", outsz - 1);
		return fail(err, index, k, why);
	}
	memcpy(out, s, n + 1);
	return 0;
}

static int get_int(const json_t *o, size_t index, const char *k, json_int_t min, json_int_t max,
                   json_int_t *out, bool required, struct zw_err *err)
{
	const json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return required ? fail(err, index, k, "缺失") : 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		char why[64];
		snprintf(why, sizeof(why), "应为 %lld 到 %lld 之间的整数", (long long)min,
		         (long long)max);
		return fail(err, index, k, why);
	}
	*out = json_integer_value(v);
	return 0;
}

static int get_prl(const json_t *o, size_t index, struct obs *out, struct zw_err *err)
{
	const char *s = text(o, "prl");
	const json_t *v = json_object_get(o, "prl");
	if (!v || json_is_null(v))
		return 0;
	if (!s)
		return fail(err, index, "prl", "应为以逗号分隔的选项号，如 \"1,3,6\"");
	size_t n = 0;
	while (*s) {
		unsigned x = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			x = x * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || x > 255 || (*s && *s != ',') || n == sizeof(out->prl))
			return fail(err, index, "prl",
			            "应为以逗号分隔的 0 到 255 的选项号，最多 255 个");
		out->prl[n++] = (uint8_t)x;
		if (*s == ',' && !*++s)
			return fail(err, index, "prl", "不能以逗号结尾");
	}
	out->nprl = (uint8_t)n;
	return 0;
}

/* The members each kind takes, besides kind and at. */
static const char *const members[OBS_KIND_COUNT] = {
    [OBS_ARP] = " op mac ip target vlan iface ",
    [OBS_ND] = " op mac ip target vlan iface ",
    [OBS_DHCP] = " op mac ip server server_mac router dns hostname vendor_class prl vlan iface ",
    [OBS_SYN] = " mac ip target port vlan iface ",
    [OBS_NEIGH] = " device_id mac ip vlan iface ",
    [OBS_FDB] = " device_id mac vlan iface ",
    [OBS_LEASE] = " mac ip hostname expires server iface ",
};

const char *obs_members(enum obs_kind k)
{
	return (unsigned)k < OBS_KIND_COUNT ? members[k] : "";
}

bool obs_required(enum obs_kind k, enum obs_op op, const char *m)
{
	if (strcmp(m, "mac") == 0)
		return true;
	if (strcmp(m, "ip") == 0)
		return k == OBS_SYN || k == OBS_NEIGH || k == OBS_LEASE ||
		       ((k == OBS_ARP || k == OBS_ND) && op != OBS_OP_PROBE);
	if (strcmp(m, "target") == 0 || strcmp(m, "port") == 0)
		return k == OBS_SYN;
	if (strcmp(m, "device_id") == 0)
		return k == OBS_NEIGH || k == OBS_FDB;
	if (strcmp(m, "iface") == 0) /* not empty either: the switch port's name */
		return k == OBS_FDB;
	return false;
}

int obs_from_json(const json_t *o, size_t index, struct obs *out, struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(o))
		return fail(err, index, NULL, "应为对象");
	const char *k = text(o, "kind");
	int kind = k ? obs_kind_parse(k) : -1;
	if (kind < 0)
		return fail(err, index, "kind", "应为 arp、nd、dhcp、syn、neigh、fdb、lease 之一");
	out->kind = (uint8_t)kind;
	const char *key;
	const json_t *val;
	json_object_foreach((json_t *)o, key, val)
	{
		char pat[40];
		if (strcmp(key, "kind") == 0 || strcmp(key, "at") == 0)
			continue;
		if (strlen(key) > 30 || strchr(key, ' ') ||
		    (snprintf(pat, sizeof(pat), " %s ", key), !strstr(members[kind], pat)))
			return fail(err, index,
			            strlen(key) <= 30 && utf8_valid(key, strlen(key), false) ? key
			                                                                     : "?",
			            "不是这类观测的字段");
	}
	const char *at = text(o, "at");
	if (!at || obs_parse_time(at, &out->at_us) < 0)
		return fail(err, index, "at", "应为 RFC 3339 时间，如 2026-11-24T08:00:00.123Z");
	const char *op = text(o, "op");
	if (json_object_get(o, "op")) {
		int x = op ? obs_op_parse(op) : -1;
		if (x < 0)
			return fail(err, index, "op", "不是已知的操作");
		out->op = (uint8_t)x;
	}
	enum obs_kind ok = (enum obs_kind)kind;
	enum obs_op op_ = (enum obs_op)out->op;
	int rc =
	    get_mac(o, index, "mac", obs_required(ok, op_, "mac"), out->mac, &out->has_mac, err);
	if (!rc)
		rc = get_addr(o, index, "ip", obs_required(ok, op_, "ip"), &out->family, &out->ip,
		              &out->has_ip, err);
	if (!rc)
		rc = get_addr(o, index, "target", obs_required(ok, op_, "target"), &out->family,
		              &out->target, &out->has_target, err);
	if (!rc)
		rc = get_addr(o, index, "server", false, &out->family, &out->server,
		              &out->has_server, err);
	if (!rc)
		rc = get_addr(o, index, "router", false, &out->family, &out->router,
		              &out->has_router, err);
	if (!rc)
		rc = get_mac(o, index, "server_mac", false, out->server_mac, &out->has_server_mac,
		             err);
	if (rc)
		return rc;
	const json_t *dns = json_object_get(o, "dns");
	if (dns && !json_is_null(dns)) {
		if (!json_is_array(dns) || json_array_size(dns) > 2)
			return fail(err, index, "dns", "应为最多 2 个 IP 地址的数组");
		for (size_t i = 0; i < json_array_size(dns); i++) {
			int fam;
			const json_t *d = json_array_get(dns, i);
			if (!json_is_string(d) ||
			    inet_parse_addr(json_string_value(d), &fam, &out->dns[i]) < 0 ||
			    (out->family && out->family != fam))
				return fail(err, index, "dns", "含有无效的 IP 地址");
			out->family = (uint8_t)fam;
		}
		out->ndns = (uint8_t)json_array_size(dns);
	}
	json_int_t x = 0;
	if ((rc = get_int(o, index, "vlan", 0, 4094, &x, false, err)))
		return rc;
	out->vlan = (uint16_t)x;
	x = 0;
	if ((rc = get_int(o, index, "port", 1, 65535, &x, obs_required(ok, op_, "port"), err)))
		return rc;
	out->port = (uint16_t)x;
	x = 0;
	if ((rc = get_int(o, index, "device_id", 1, INT64_MAX, &x,
	                  obs_required(ok, op_, "device_id"), err)))
		return rc;
	out->device_id = x;
	if ((rc = get_text(o, index, "iface", out->ifname, sizeof(out->ifname), err)) ||
	    (rc = get_text(o, index, "hostname", out->hostname, sizeof(out->hostname), err)) ||
	    (rc = get_text(o, index, "vendor_class", out->vendor, sizeof(out->vendor), err)) ||
	    (rc = get_prl(o, index, out, err)))
		return rc;
	if (obs_required(ok, op_, "iface") && !out->ifname[0])
		return fail(err, index, "iface", "缺失（交换机端口名）");
	const char *exp = text(o, "expires");
	if (json_object_get(o, "expires") && !json_is_null(json_object_get(o, "expires"))) {
		if (!exp || parse_time(exp, &out->expires) < 0)
			return fail(err, index, "expires", "应为 RFC 3339 时间");
	}
	return 0;
}

static int put_addr(struct buf *b, const char *k, int family, u128 a)
{
	char s[INET_ADDR_MAX];
	inet_format_addr(family, a, s);
	return buf_printf(b, ",\"%s\":\"%s\"", k, s);
}

static int put_mac(struct buf *b, const char *k, const uint8_t mac[6])
{
	char s[18];
	format_mac(mac, s);
	return buf_printf(b, ",\"%s\":\"%s\"", k, s);
}

static int put_text(struct buf *b, const char *k, const char *v)
{
	if (!v[0])
		return 0;
	return buf_printf(b, ",\"%s\":", k) | json_write_str(b, v);
}

int obs_write_json(struct buf *b, const struct obs *o)
{
	char t[40];
	obs_format_time(o->at_us, t);
	int rc = buf_printf(b, "{\"kind\":\"%s\",\"at\":\"%s\"", obs_kind_name(o->kind), t);
	if (o->op)
		rc |= buf_printf(b, ",\"op\":\"%s\"", obs_op_name(o->op));
	if (o->has_mac)
		rc |= put_mac(b, "mac", o->mac);
	if (o->has_ip)
		rc |= put_addr(b, "ip", o->family, o->ip);
	if (o->has_target)
		rc |= put_addr(b, "target", o->family, o->target);
	if (o->has_server)
		rc |= put_addr(b, "server", o->family, o->server);
	if (o->has_server_mac)
		rc |= put_mac(b, "server_mac", o->server_mac);
	if (o->has_router)
		rc |= put_addr(b, "router", o->family, o->router);
	if (o->ndns) {
		char s[INET_ADDR_MAX];
		rc |= buf_puts(b, ",\"dns\":[");
		for (int i = 0; i < o->ndns; i++) {
			inet_format_addr(o->family, o->dns[i], s);
			rc |= buf_printf(b, "%s\"%s\"", i ? "," : "", s);
		}
		rc |= buf_puts(b, "]");
	}
	if (o->vlan)
		rc |= buf_printf(b, ",\"vlan\":%u", o->vlan);
	if (o->port)
		rc |= buf_printf(b, ",\"port\":%u", o->port);
	if (o->device_id)
		rc |= buf_printf(b, ",\"device_id\":%lld", (long long)o->device_id);
	rc |= put_text(b, "iface", o->ifname);
	rc |= put_text(b, "hostname", o->hostname);
	rc |= put_text(b, "vendor_class", o->vendor);
	if (o->nprl) {
		rc |= buf_puts(b, ",\"prl\":\"");
		for (int i = 0; i < o->nprl; i++)
			rc |= buf_printf(b, "%s%u", i ? "," : "", o->prl[i]);
		rc |= buf_puts(b, "\"");
	}
	if (o->expires) {
		format_time(o->expires, t);
		rc |= buf_printf(b, ",\"expires\":\"%s\"", t);
	}
	return rc | buf_puts(b, "}");
}

/* ---- what a probe says of itself ---- */

bool obs_self_has_mac(const struct obs_self *s, const uint8_t mac[6])
{
	for (size_t i = 0; s && i < s->nmacs; i++)
		if (memcmp(s->macs[i], mac, 6) == 0)
			return true;
	return false;
}

bool obs_self_has_addr(const struct obs_self *s, int family, u128 a)
{
	for (size_t i = 0; s && i < s->naddrs; i++)
		if (s->family[i] == family && s->addrs[i] == a)
			return true;
	return false;
}

bool obs_self_add_mac(struct obs_self *s, const uint8_t mac[6])
{
	if (s->nmacs == OBS_SELF_MAX || obs_self_has_mac(s, mac))
		return false;
	memcpy(s->macs[s->nmacs++], mac, 6);
	return true;
}

bool obs_self_add_addr(struct obs_self *s, int family, u128 a)
{
	if (s->naddrs == OBS_SELF_MAX || obs_self_has_addr(s, family, a))
		return false;
	s->family[s->naddrs] = (uint8_t)family;
	s->addrs[s->naddrs++] = a;
	return true;
}

static int self_list(const json_t *o, const char *key, struct obs_self *out, struct zw_err *err)
{
	const json_t *list = json_object_get(o, key);
	if (!list)
		return 0;
	char field[40];
	snprintf(field, sizeof(field), "self.%s", key);
	if (!json_is_array(list) || json_array_size(list) > OBS_SELF_MAX)
		return zw_errf(err, ZW_EINVALID, field, "%s 应为最多 %d 项的数组", field,
		               OBS_SELF_MAX);
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v)
	{
		snprintf(field, sizeof(field), "self.%s[%zu]", key, i);
		const char *t = json_string_value(v);
		uint8_t mac[6];
		int fam;
		u128 a;
		if (strcmp(key, "macs") == 0) {
			if (!t || parse_mac(t, mac) < 0)
				return zw_errf(err, ZW_EINVALID, field, "%s 不是 MAC 地址", field);
			obs_self_add_mac(out, mac);
		} else {
			if (!t || inet_parse_addr(t, &fam, &a) < 0)
				return zw_errf(err, ZW_EINVALID, field, "%s 不是 IP 地址", field);
			obs_self_add_addr(out, fam, a);
		}
	}
	return 0;
}

int obs_self_from_json(const json_t *o, struct obs_self *out, struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!o)
		return 0;
	if (!json_is_object(o))
		return zw_errf(err, ZW_EINVALID, "self", "self 应为对象 {\"macs\", \"addresses\"}");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)o, key, v)
	{
		if (strcmp(key, "macs") && strcmp(key, "addresses"))
			return zw_errf(err, ZW_EINVALID, "self", "self 只接受 macs 和 addresses");
	}
	int rc = self_list(o, "macs", out, err);
	return rc ? rc : self_list(o, "addresses", out, err);
}

int obs_self_write_json(struct buf *b, const struct obs_self *s)
{
	int rc = buf_puts(b, "{\"macs\":[");
	char text[INET_ADDR_MAX];
	for (size_t i = 0; i < s->nmacs; i++) {
		format_mac(s->macs[i], text);
		rc |= buf_printf(b, "%s\"%s\"", i ? "," : "", text);
	}
	rc |= buf_puts(b, "],\"addresses\":[");
	for (size_t i = 0; i < s->naddrs; i++) {
		inet_format_addr(s->family[i], s->addrs[i], text);
		rc |= buf_printf(b, "%s\"%s\"", i ? "," : "", text);
	}
	return rc | buf_puts(b, "]}");
}
