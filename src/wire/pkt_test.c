/* IPv6 neighbour discovery and DHCPv6 frames, built byte by byte, through pkt_decode. */
#include <string.h>

#include "core/inet.h"
#include "core/parse.h"
#include "core/test.h"
#include "wire/pkt.h"

static const uint8_t MAC_A[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x0a};
static const uint8_t MAC_B[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x0b};
static const uint8_t MAC_S[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x53};

struct frame {
	uint8_t b[1500];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put16(struct frame *f, unsigned v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(f, b, 2);
}

static void put_ip6(struct frame *f, const char *a)
{
	int fam;
	u128 v;
	assert_int_equal(inet_parse_addr(a, &fam, &v), 0);
	uint8_t b[16];
	inet_to_bytes(v, b);
	put(f, b, 16);
}

/* Ethernet (optionally tagged) and an IPv6 header whose payload length is fixed later. */
static size_t ip6_head(struct frame *f, const uint8_t dst[6], const uint8_t src[6], int vlan,
                       uint8_t next, const char *s, const char *d)
{
	f->n = 0;
	put(f, dst, 6);
	put(f, src, 6);
	if (vlan) {
		put16(f, 0x8100);
		put16(f, (unsigned)vlan);
	}
	put16(f, 0x86dd);
	uint8_t h[8] = {0x60, 0, 0, 0, 0, 0, next, 255};
	put(f, h, 8);
	put_ip6(f, s);
	put_ip6(f, d);
	return f->n; /* where the payload starts */
}

static void finish(struct frame *f, size_t payload)
{
	size_t len = f->n - payload;
	f->b[payload - 36] = (uint8_t)(len >> 8);
	f->b[payload - 35] = (uint8_t)len;
}

static bool ip_is(u128 v, const char *a)
{
	int fam;
	u128 w;
	return inet_parse_addr(a, &fam, &w) == 0 && v == w;
}

static void test_neighbour_discovery(void **state)
{
	(void)state;
	struct frame f;
	struct obs o;
	/* neighbour advertisement: B announces 2001:db8::10 is at A (target link-layer option) */
	size_t p = ip6_head(&f, MAC_S, MAC_B, 0, 58, "2001:db8::10", "ff02::1");
	uint8_t na[8] = {136, 0, 0, 0, 0x20, 0, 0, 0};
	put(&f, na, 8);
	put_ip6(&f, "2001:db8::10");
	uint8_t tlla[2] = {2, 1};
	put(&f, tlla, 2);
	put(&f, MAC_A, 6);
	finish(&f, p);
	assert_int_equal(pkt_decode(f.b, f.n, 42, &o), 1);
	assert_int_equal(o.kind, OBS_ND);
	assert_int_equal(o.op, OBS_OP_ADVERT);
	assert_memory_equal(o.mac, MAC_A, 6);
	assert_true(o.has_ip && ip_is(o.ip, "2001:db8::10"));
	assert_int_equal(o.at_us, 42);
	/* a frame cut short inside the option is nothing, not half of something */
	assert_int_equal(pkt_decode(f.b, f.n - 1, 42, &o), 0);

	/* duplicate address detection: from ::, for a target, no link-layer option */
	p = ip6_head(&f, MAC_S, MAC_B, 101, 58, "::", "ff02::1:ff00:11");
	uint8_t ns[8] = {135, 0, 0, 0, 0, 0, 0, 0};
	put(&f, ns, 8);
	put_ip6(&f, "2001:db8::11");
	finish(&f, p);
	assert_int_equal(pkt_decode(f.b, f.n, 1, &o), 1);
	assert_int_equal(o.op, OBS_OP_PROBE);
	assert_false(o.has_ip);
	assert_true(o.has_target && ip_is(o.target, "2001:db8::11"));
	assert_memory_equal(o.mac, MAC_B, 6);
	assert_int_equal(o.vlan, 101);

	/* router advertisement from fe80::1 with its source link-layer address */
	p = ip6_head(&f, MAC_S, MAC_B, 0, 58, "fe80::1", "ff02::1");
	uint8_t ra[16] = {134, 0, 0, 0, 64, 0, 0x07, 0x08};
	put(&f, ra, 16);
	uint8_t slla[2] = {1, 1};
	put(&f, slla, 2);
	put(&f, MAC_S, 6);
	finish(&f, p);
	assert_int_equal(pkt_decode(f.b, f.n, 1, &o), 1);
	assert_int_equal(o.op, OBS_OP_ROUTER_ADVERT);
	assert_memory_equal(o.mac, MAC_S, 6);
	assert_true(ip_is(o.ip, "fe80::1"));

	/* an option of length 0 is malformed (RFC 4861 says drop the packet) */
	p = ip6_head(&f, MAC_S, MAC_B, 0, 58, "2001:db8::10", "ff02::1");
	put(&f, na, 8);
	put_ip6(&f, "2001:db8::10");
	uint8_t bad[8] = {2, 0, 0, 0, 0, 0, 0, 0};
	put(&f, bad, 8);
	finish(&f, p);
	assert_int_equal(pkt_decode(f.b, f.n, 1, &o), 0);
}

static void option(struct frame *f, unsigned code, const void *d, size_t n)
{
	put16(f, code);
	put16(f, (unsigned)n);
	put(f, d, n);
}

static void test_dhcp6(void **state)
{
	(void)state;
	struct frame f;
	struct obs o;
	/* a server's Reply to the client: DUID-LL names the client's MAC, IA_NA its address */
	size_t p = ip6_head(&f, MAC_A, MAC_S, 0, 17, "fe80::53", "fe80::a");
	size_t udp = f.n;
	put16(&f, 547);
	put16(&f, 546);
	put16(&f, 0);
	put16(&f, 0);
	uint8_t msg[4] = {7, 0x12, 0x34, 0x56};
	put(&f, msg, 4);
	uint8_t duid[10] = {0, 3, 0, 1};
	memcpy(duid + 4, MAC_B, 6);
	option(&f, 1, duid, 10);
	uint8_t ia[12 + 4 + 24] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 24};
	int fam;
	u128 a;
	inet_parse_addr("2001:db8::99", &fam, &a);
	inet_to_bytes(a, ia + 16);
	option(&f, 3, ia, sizeof(ia));
	uint8_t dns[16];
	inet_parse_addr("2001:db8::53", &fam, &a);
	inet_to_bytes(a, dns);
	option(&f, 23, dns, 16);
	static const uint8_t fqdn[] = {0,   3,   'p', 'c', '1', 7,   'e',
	                               'x', 'a', 'm', 'p', 'l', 'e', 0};
	option(&f, 39, fqdn, sizeof(fqdn));
	f.b[udp + 4] = (uint8_t)((f.n - udp) >> 8);
	f.b[udp + 5] = (uint8_t)(f.n - udp);
	finish(&f, p);
	assert_int_equal(pkt_decode(f.b, f.n, 7, &o), 1);
	assert_int_equal(o.kind, OBS_DHCP);
	assert_int_equal(o.family, 6);
	assert_int_equal(o.op, OBS_OP_DHCP6_REPLY);
	assert_memory_equal(o.mac, MAC_B, 6); /* the DUID's, not the frame's destination */
	assert_true(o.has_ip && ip_is(o.ip, "2001:db8::99"));
	assert_int_equal(o.ndns, 1);
	assert_true(ip_is(o.dns[0], "2001:db8::53"));
	assert_string_equal(o.hostname, "pc1.example");
	assert_true(o.has_server && ip_is(o.server, "fe80::53"));
	assert_memory_equal(o.server_mac, MAC_S, 6);
	/* cut inside the last option: nothing */
	assert_int_equal(pkt_decode(f.b, f.n - 3, 7, &o), 0);

	/* a client's Solicit: its option request list is its fingerprint, vendor class kept */
	p = ip6_head(&f, MAC_S, MAC_A, 0, 17, "fe80::a", "ff02::1:2");
	udp = f.n;
	put16(&f, 546);
	put16(&f, 547);
	put16(&f, 0);
	put16(&f, 0);
	uint8_t sol[4] = {1, 0, 0, 1};
	put(&f, sol, 4);
	uint8_t oro[4] = {0, 23, 0, 24};
	option(&f, 6, oro, 4);
	uint8_t vc[4 + 2 + 5] = {0, 0, 0x01, 0x37, 0, 5, 'M', 'S', 'F', 'T', '5'};
	option(&f, 16, vc, sizeof(vc));
	f.b[udp + 4] = (uint8_t)((f.n - udp) >> 8);
	f.b[udp + 5] = (uint8_t)(f.n - udp);
	finish(&f, p);
	assert_int_equal(pkt_decode(f.b, f.n, 7, &o), 1);
	assert_int_equal(o.op, OBS_OP_SOLICIT);
	assert_memory_equal(o.mac, MAC_A, 6);
	assert_int_equal(o.nprl, 2);
	assert_int_equal(o.prl[0], 23);
	assert_int_equal(o.prl[1], 24);
	assert_string_equal(o.vendor, "MSFT5");
	assert_false(o.has_server);
}

/* A frame tagged with the reserved VID 4095 (what the fuzzer found: an ARP request behind tag
 * 0xffff) is no observation: it would name a VLAN no register or server accepts. Tag 4094, the
 * last usable, still decodes. */
static void test_reserved_vlan(void **state)
{
	(void)state;
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	for (unsigned tci = 0x0ffe; tci <= 0x0fff; tci++) {
		struct frame f = {.n = 0};
		put(&f, bcast, 6);
		put(&f, MAC_A, 6);
		put16(&f, 0x8100);
		put16(&f, 0xf000 | tci);
		put16(&f, 0x0806);
		static const uint8_t arp[8] = {0, 1, 8, 0, 6, 4, 0, 1};
		put(&f, arp, 8);
		put(&f, MAC_A, 6);
		static const uint8_t ips[] = {10, 0, 0, 5};
		put(&f, ips, 4);
		static const uint8_t zero[10] = {0};
		put(&f, zero, 10);
		struct obs o;
		int n = pkt_decode(f.b, f.n, 7, &o);
		assert_int_equal(n, tci == 0x0fff ? 0 : 1);
		if (n)
			assert_int_equal(o.vlan, 4094);
	}
}

int main(void)
{
	RUN(cmocka_unit_test(test_neighbour_discovery), cmocka_unit_test(test_dhcp6),
	    cmocka_unit_test(test_reserved_vlan));
}
