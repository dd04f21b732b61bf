#include "wire/pkt.h"

#include <string.h>

/* A bounded reader over the captured bytes: every get checks what is left. */
struct rd {
	const uint8_t *p;
	size_t n;
};

static bool take(struct rd *r, size_t k, const uint8_t **out)
{
	if (r->n < k)
		return false;
	*out = r->p;
	r->p += k;
	r->n -= k;
	return true;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static u128 v6(const uint8_t *p)
{
	return inet_from_bytes(p);
}

struct frame {
	const uint8_t *dst, *src;
	uint16_t vlan;
	int64_t at_us;
};

static struct obs *start(struct obs *o, const struct frame *f, enum obs_kind kind)
{
	memset(o, 0, sizeof(*o));
	o->kind = (uint8_t)kind;
	o->at_us = f->at_us;
	o->vlan = f->vlan;
	return o;
}

/* ---- ARP ---- */

static int arp(struct rd r, const struct frame *f, struct obs *out)
{
	const uint8_t *h;
	if (!take(&r, 28, &h))
		return 0;
	/* Ethernet + IPv4 only */
	if (be16(h) != 1 || be16(h + 2) != 0x0800 || h[4] != 6 || h[5] != 4)
		return 0;
	uint16_t op = be16(h + 6);
	if (op != 1 && op != 2)
		return 0;
	const uint8_t *sha = h + 8, *spa = h + 14, *tpa = h + 24;
	struct obs *o = start(out, f, OBS_ARP);
	memcpy(o->mac, sha, 6);
	o->has_mac = true;
	o->family = 4;
	uint32_t s = be32(spa), t = be32(tpa);
	o->target = t;
	o->has_target = true;
	if (op == 1 && s == 0) {
		o->op = OBS_OP_PROBE; /* RFC 5227: "is anyone using this?" before taking t */
		return 1;
	}
	o->ip = s;
	o->has_ip = true;
	o->op = s == t ? OBS_OP_GRATUITOUS : op == 1 ? OBS_OP_REQUEST : OBS_OP_REPLY;
	return 1;
}

/* ---- DHCPv4 ---- */

static const enum obs_op dhcp4_ops[] = {
    [1] = OBS_OP_DISCOVER, [2] = OBS_OP_OFFER, [3] = OBS_OP_REQUEST, [4] = OBS_OP_DECLINE,
    [5] = OBS_OP_ACK,      [6] = OBS_OP_NAK,   [7] = OBS_OP_RELEASE, [8] = OBS_OP_INFORM,
};

static int dhcp4(struct rd r, const struct frame *f, uint32_t ip_src, struct obs *out)
{
	const uint8_t *h;
	if (!take(&r, 240, &h) || be32(h + 236) != 0x63825363)
		return 0;
	if (h[0] != 1 && h[0] != 2)
		return 0;
	struct obs *o = start(out, f, OBS_DHCP);
	o->family = 4;
	/* the client: chaddr when it is an Ethernet address, else the frame's source */
	if (h[1] == 1 && h[2] == 6)
		memcpy(o->mac, h + 28, 6);
	else
		memcpy(o->mac, h[0] == 1 ? f->src : f->dst, 6);
	o->has_mac = true;
	uint32_t ciaddr = be32(h + 12), yiaddr = be32(h + 16);
	uint32_t requested = 0, server_id = 0;
	int type = 0;
	while (r.n > 0) {
		const uint8_t *c, *len, *data;
		if (!take(&r, 1, &c))
			return 0;
		if (*c == 0)
			continue;
		if (*c == 255)
			break;
		if (!take(&r, 1, &len) || !take(&r, *len, &data))
			return 0; /* an option running past the capture: drop the frame */
		switch (*c) {
		case 53:
			if (*len == 1)
				type = data[0];
			break;
		case 50:
			if (*len == 4)
				requested = be32(data);
			break;
		case 54:
			if (*len == 4)
				server_id = be32(data);
			break;
		case 3:
			if (*len >= 4) {
				o->router = be32(data);
				o->has_router = true;
			}
			break;
		case 6:
			/* a repeated option adds servers up to the two kept */
			for (int i = 0; o->ndns < 2 && (size_t)(i + 1) * 4 <= *len; i++)
				o->dns[o->ndns++] = be32(data + 4 * i);
			break;
		case 12:
			obs_copy_text(o->hostname, data, *len);
			break;
		case 60:
			obs_copy_text(o->vendor, data, *len);
			break;
		case 55:
			memcpy(o->prl, data, *len);
			o->nprl = *len;
			break;
		default:
			break;
		}
	}
	if (type < 1 || type > 8)
		return 0; /* plain BOOTP or an unknown message: not ours to judge */
	o->op = (uint8_t)dhcp4_ops[type];
	if (obs_op_from_server(o->op)) {
		if (yiaddr) {
			o->ip = yiaddr;
			o->has_ip = true;
		}
		o->server = server_id ? server_id : ip_src;
		o->has_server = o->server != 0;
		memcpy(o->server_mac, f->src, 6);
		o->has_server_mac = true;
	} else {
		uint32_t a = requested ? requested : ciaddr;
		if (a) {
			o->ip = a;
			o->has_ip = true;
		}
		if (server_id) {
			o->server = server_id; /* the server the client chose (REQUEST) */
			o->has_server = true;
		}
	}
	return 1;
}

/* ---- DHCPv6 ---- */

/* A DNS wire-format name (RFC 1035 labels, uncompressed) as dotted text. */
static void dns_name(char out[OBS_TEXT], const uint8_t *p, size_t n)
{
	uint8_t flat[OBS_TEXT];
	size_t o = 0, i = 0;
	while (i < n && p[i] && o < sizeof(flat) - 1) {
		size_t l = p[i++];
		if (l > 63 || i + l > n)
			break;
		if (o && o < sizeof(flat) - 1)
			flat[o++] = '.';
		for (size_t k = 0; k < l && o < sizeof(flat) - 1; k++)
			flat[o++] = p[i + k];
		i += l;
	}
	obs_copy_text(out, flat, o);
}

static int dhcp6(struct rd r, const struct frame *f, const uint8_t *src6, struct obs *out)
{
	const uint8_t *h;
	if (!take(&r, 4, &h))
		return 0;
	static const enum obs_op ops[] = {
	    [1] = OBS_OP_SOLICIT,     [2] = OBS_OP_ADVERTISE, [3] = OBS_OP_REQUEST,
	    [4] = OBS_OP_REQUEST,     [5] = OBS_OP_REQUEST,   [6] = OBS_OP_REQUEST,
	    [7] = OBS_OP_DHCP6_REPLY, [8] = OBS_OP_RELEASE,   [9] = OBS_OP_DECLINE,
	    [11] = OBS_OP_INFORM};
	if (h[0] >= sizeof(ops) / sizeof(ops[0]) || ops[h[0]] == OBS_OP_NONE)
		return 0; /* relay messages and the rest */
	struct obs *o = start(out, f, OBS_DHCP);
	o->family = 6;
	o->op = (uint8_t)ops[h[0]];
	bool server = obs_op_from_server(o->op);
	memcpy(o->mac, server ? f->dst : f->src, 6);
	o->has_mac = true;
	while (r.n > 0) {
		const uint8_t *oh, *d;
		if (!take(&r, 4, &oh))
			return 0;
		uint16_t code = be16(oh), len = be16(oh + 2);
		if (!take(&r, len, &d))
			return 0;
		if (code == 1 && len >= 4) { /* client DUID: LLT (1) or LL (3) with Ethernet */
			uint16_t type = be16(d), hw = be16(d + 2);
			size_t at = type == 1 ? 8 : type == 3 ? 4 : 0;
			if (at && hw == 1 && len == at + 6)
				memcpy(o->mac, d + at, 6);
		} else if (code == 3 && len >= 12) { /* IA_NA: its first IAADDR */
			struct rd ia = {d + 12, len - 12u};
			while (ia.n >= 4 && !o->has_ip) {
				const uint8_t *ah, *ad;
				if (!take(&ia, 4, &ah))
					break;
				uint16_t ac = be16(ah), al = be16(ah + 2);
				if (!take(&ia, al, &ad))
					return 0;
				if (ac == 5 && al >= 24) {
					o->ip = v6(ad);
					o->has_ip = true;
				}
			}
		} else if (code == 23) { /* DNS recursive name servers */
			for (int i = 0; o->ndns < 2 && (size_t)(i + 1) * 16 <= len; i++)
				o->dns[o->ndns++] = v6(d + 16 * i);
		} else if (code == 16 && len >= 6) { /* vendor class: enterprise, then one string */
			uint16_t l = be16(d + 4);
			if ((size_t)l + 6 <= len)
				obs_copy_text(o->vendor, d + 6, l > 255 ? 255 : l);
		} else if (code == 39 && len >= 1) { /* client FQDN: flags, then the name */
			dns_name(o->hostname, d + 1, len - 1u);
		} else if (code == 6) { /* option request: the client's fingerprint */
			for (size_t i = 0; i + 1 < len && o->nprl < sizeof(o->prl); i += 2)
				o->prl[o->nprl++] = be16(d + i) > 255 ? 255 : (uint8_t)be16(d + i);
		}
	}
	if (server) {
		o->server = v6(src6);
		o->has_server = true;
		memcpy(o->server_mac, f->src, 6);
		o->has_server_mac = true;
	}
	return 1;
}

/* ---- TCP ---- */

static int syn(struct rd r, const struct frame *f, int family, u128 src, u128 dst, struct obs *out)
{
	const uint8_t *t;
	if (!take(&r, 14, &t))
		return 0;
	uint8_t flags = t[13];
	if (!(flags & 0x02) || (flags & 0x10)) /* SYN without ACK: an attempt to connect */
		return 0;
	struct obs *o = start(out, f, OBS_SYN);
	o->family = (uint8_t)family;
	memcpy(o->mac, f->src, 6);
	o->has_mac = true;
	o->ip = src;
	o->has_ip = true;
	o->target = dst;
	o->has_target = true;
	o->port = be16(t + 2);
	return o->port ? 1 : 0;
}

/* ---- UDP ---- */

/* The ports of a UDP header; r is left on its payload, bounded by the header's length. */
static bool udp(struct rd *r, uint16_t *sp, uint16_t *dp)
{
	const uint8_t *u;
	if (!take(r, 8, &u))
		return false;
	uint16_t ulen = be16(u + 4);
	if (ulen < 8 || ulen - 8u > r->n)
		return false;
	r->n = ulen - 8u;
	*sp = be16(u);
	*dp = be16(u + 2);
	return true;
}

/* ---- IPv4 ---- */

static int ipv4(struct rd r, const struct frame *f, struct obs *out)
{
	const uint8_t *h;
	if (!take(&r, 20, &h) || (h[0] >> 4) != 4)
		return 0;
	size_t ihl = (size_t)(h[0] & 15) * 4, total = be16(h + 2);
	if (ihl < 20 || total < ihl || total - 20 > r.n)
		return 0;
	if (be16(h + 6) & 0x3fff)
		return 0; /* a fragment: only whole datagrams are read */
	const uint8_t *skip;
	if (!take(&r, ihl - 20, &skip))
		return 0;
	r.n = total - ihl; /* Ethernet padding is not payload */
	uint32_t src = be32(h + 12), dst = be32(h + 16);
	if (h[9] == 6)
		return syn(r, f, 4, src, dst, out);
	if (h[9] != 17)
		return 0;
	uint16_t sp, dp;
	if (!udp(&r, &sp, &dp))
		return 0;
	if ((sp == 67 || sp == 68) && (dp == 67 || dp == 68))
		return dhcp4(r, f, src, out);
	return 0;
}

/* ---- IPv6 ---- */

static int icmp6(struct rd r, const struct frame *f, const uint8_t *src6, struct obs *out)
{
	const uint8_t *h;
	if (!take(&r, 4, &h))
		return 0;
	uint8_t type = h[0];
	if (type != 134 && type != 135 && type != 136)
		return 0;
	const uint8_t *body, *target = NULL;
	size_t fixed = type == 134 ? 12 : 20; /* RA: hop limit .. retrans; NS/NA: flags + target */
	if (!take(&r, fixed, &body))
		return 0;
	if (type != 134)
		target = body + 4;
	struct obs *o = start(out, f, OBS_ND);
	o->family = 6;
	memcpy(o->mac, f->src, 6);
	o->has_mac = true;
	/* options: source (1) or target (2) link-layer address */
	while (r.n >= 8) {
		const uint8_t *opt;
		if (!take(&r, 2, &opt) || opt[1] == 0)
			return 0;
		size_t len = (size_t)opt[1] * 8 - 2;
		const uint8_t *d;
		if (!take(&r, len, &d))
			return 0;
		if ((opt[0] == 1 || opt[0] == 2) && len >= 6)
			memcpy(o->mac, d, 6);
	}
	u128 src = v6(src6);
	if (type == 134) {
		o->op = OBS_OP_ROUTER_ADVERT;
		o->ip = src;
		o->has_ip = true;
	} else if (type == 135) {
		o->target = v6(target);
		o->has_target = true;
		if (src == 0) {
			o->op = OBS_OP_PROBE; /* duplicate address detection for target */
		} else {
			o->op = OBS_OP_SOLICIT;
			o->ip = src;
			o->has_ip = true;
		}
	} else {
		o->op = OBS_OP_ADVERT;
		o->ip = v6(target);
		o->has_ip = true;
	}
	return 1;
}

static int ipv6(struct rd r, const struct frame *f, struct obs *out)
{
	const uint8_t *h;
	if (!take(&r, 40, &h) || (h[0] >> 4) != 6)
		return 0;
	size_t plen = be16(h + 4);
	if (plen > r.n)
		return 0;
	r.n = plen;
	uint8_t next = h[6];
	/* hop-by-hop, routing and destination options may come first; fragments are not read */
	for (int i = 0; i < 4 && (next == 0 || next == 43 || next == 60); i++) {
		const uint8_t *e, *rest;
		if (!take(&r, 2, &e))
			return 0;
		next = e[0];
		if (!take(&r, (size_t)e[1] * 8 + 6, &rest))
			return 0;
	}
	u128 src = v6(h + 8), dst = v6(h + 24);
	if (next == 58)
		return icmp6(r, f, h + 8, out);
	if (next == 6)
		return syn(r, f, 6, src, dst, out);
	if (next != 17)
		return 0;
	uint16_t sp, dp;
	if (!udp(&r, &sp, &dp))
		return 0;
	if ((sp == 546 || sp == 547) && (dp == 546 || dp == 547))
		return dhcp6(r, f, h + 8, out);
	return 0;
}

int pkt_decode(const uint8_t *frame, size_t len, int64_t at_us, struct obs *out)
{
	struct rd r = {frame, len};
	const uint8_t *eth, *tag;
	if (!take(&r, 14, &eth))
		return 0;
	struct frame f = {.dst = eth, .src = eth + 6, .at_us = at_us};
	uint16_t type = be16(eth + 12);
	for (int i = 0; i < 2 && (type == 0x8100 || type == 0x88a8); i++) {
		if (!take(&r, 4, &tag))
			return 0;
		f.vlan = be16(tag) & 0x0fff; /* the inner tag wins: the unit's VLAN */
		if (f.vlan == 0x0fff)        /* VID 4095 is reserved (802.1Q): no switch sends it */
			return 0;
		type = be16(tag + 2);
	}
	switch (type) {
	case 0x0806:
		return arp(r, &f, out);
	case 0x0800:
		return ipv4(r, &f, out);
	case 0x86dd:
		return ipv6(r, &f, out);
	default:
		return 0;
	}
}
