#include "core/inet.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/parse.h"

static int parse_v4(const char *s, u128 *out)
{
	uint32_t v = 0;
	int parts = 0;
	const char *p = s;
	while (parts < 4) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned octet = 0;
		int digits = 0;
		while (*p >= '0' && *p <= '9') {
			if (digits == 1 && octet == 0)
				return -1; /* no leading zeros: 010 reads as octal elsewhere */
			octet = octet * 10 + (unsigned)(*p - '0');
			if (++digits > 3 || octet > 255)
				return -1;
			p++;
		}
		v = (v << 8) | octet;
		parts++;
		if (parts < 4) {
			if (*p != '.')
				return -1;
			p++;
		}
	}
	if (*p)
		return -1;
	*out = v;
	return 0;
}

int inet_parse_addr(const char *s, int *family, u128 *addr)
{
	if (!s || !*s || strlen(s) >= INET_ADDR_MAX)
		return -1;
	if (!strchr(s, ':')) {
		if (parse_v4(s, addr) < 0)
			return -1;
		*family = 4;
		return 0;
	}
	uint8_t b[16];
	if (strchr(s, '%') || inet_pton(AF_INET6, s, b) != 1)
		return -1;
	*addr = inet_from_bytes(b);
	*family = 6;
	return 0;
}

int inet_parse_prefix(const char *s, bool mask, struct inet_prefix *p)
{
	char addr[INET_ADDR_MAX];
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = 0;
	int family;
	u128 a;
	uint32_t len;
	if (inet_parse_addr(addr, &family, &a) < 0)
		return -1;
	if (slash[1] == '0' && slash[2])
		return -1; /* "/08" */
	if (parse_u32(slash + 1, family == 6 ? 1 : 0, (uint32_t)inet_bits(family), &len) < 0)
		return -1;
	struct inet_prefix q = {(uint8_t)family, (uint8_t)len, a};
	u128 host = inet_size(&q) - 1;
	if (a & host) {
		if (!mask)
			return -1;
		q.net = a & ~host;
	}
	*p = q;
	return 0;
}

void inet_format_addr(int family, u128 a, char out[INET_ADDR_MAX])
{
	if (family == 4) {
		uint32_t v = (uint32_t)a;
		snprintf(out, INET_ADDR_MAX, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255,
		         (v >> 8) & 255, v & 255);
		return;
	}
	uint8_t b[16];
	inet_to_bytes(a, b);
	if (!inet_ntop(AF_INET6, b, out, INET_ADDR_MAX))
		snprintf(out, INET_ADDR_MAX, "?");
}

void inet_format_prefix(const struct inet_prefix *p, char out[INET_PREFIX_MAX])
{
	char a[INET_ADDR_MAX];
	inet_format_addr(p->family, p->net, a);
	snprintf(out, INET_PREFIX_MAX, "%s/%u", a, (unsigned)p->len);
}

void inet_to_bytes(u128 a, uint8_t out[16])
{
	for (int i = 15; i >= 0; i--) {
		out[i] = (uint8_t)(a & 0xff);
		a >>= 8;
	}
}

u128 inet_from_bytes(const uint8_t in[16])
{
	u128 a = 0;
	for (int i = 0; i < 16; i++)
		a = (a << 8) | in[i];
	return a;
}

int inet_len_for_hosts(int family, uint64_t hosts)
{
	if (hosts == 0)
		return -1;
	if (family == 6)
		return hosts <= ((uint64_t)1 << 62) ? 64 : -1;
	for (int len = 29; len >= 8; len--)
		if (((uint64_t)1 << (32 - len)) - 3 >= hosts)
			return len;
	return -1;
}

u128 inet_usable(const struct inet_prefix *p)
{
	if (p->family == 6)
		return inet_size(p);
	u128 n = inet_size(p);
	return n > 3 ? n - 3 : 0;
}

void u128_format(u128 v, char out[40])
{
	char tmp[40];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

void inet_source_key(const char *addr, char out[INET_PREFIX_MAX])
{
	int family;
	u128 a;
	if (inet_parse_addr(addr, &family, &a) < 0) {
		snprintf(out, INET_PREFIX_MAX, "%s", addr);
		return;
	}
	if (family == 6 && (a >> 32) == (u128)0xffff) {
		inet_format_addr(4, a & 0xffffffffu, out);
		return;
	}
	if (family == 4) {
		inet_format_addr(4, a, out);
		return;
	}
	struct inet_prefix p = {.family = 6, .len = 64, .net = a & ~(((u128)1 << 64) - 1)};
	inet_format_prefix(&p, out);
}
