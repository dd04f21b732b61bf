/*
 * inet: IPv4 and IPv6 addresses and prefixes as numbers.
 *
 * An address is an unsigned 128-bit value (IPv4 in the low 32 bits) with its family. A prefix
 * is a network value whose host bits are zero and a length. Parsing is strict: the canonical
 * text forms only (dotted quad without leading zeros; IPv6 as inet_pton reads it; no zone
 * ids), and a prefix with host bits set is refused unless the caller asks for it to be
 * masked. IPv6 prefixes are /1 to /128 so that every size fits in 128 bits.
 */
#ifndef ZW_CORE_INET_H
#define ZW_CORE_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 u128;

struct inet_prefix {
	uint8_t family; /* 4 or 6 */
	uint8_t len;
	u128 net;
};

#define INET_ADDR_MAX   46 /* text of an address, with NUL */
#define INET_PREFIX_MAX 50

static inline int inet_bits(int family)
{
	return family == 4 ? 32 : 128;
}

/* 0 on success. */
int inet_parse_addr(const char *s, int *family, u128 *addr);
/* "10.0.0.0/8", "2001:db8::/32". mask: clear host bits instead of refusing them. */
int inet_parse_prefix(const char *s, bool mask, struct inet_prefix *p);
void inet_format_addr(int family, u128 a, char out[INET_ADDR_MAX]);
void inet_format_prefix(const struct inet_prefix *p, char out[INET_PREFIX_MAX]);

/* Number of addresses (2^(bits-len)); for an IPv6 /0 it would not fit, hence len >= 1. */
static inline u128 inet_size(const struct inet_prefix *p)
{
	return (u128)1 << (inet_bits(p->family) - p->len);
}
static inline u128 inet_last(const struct inet_prefix *p)
{
	return p->net + inet_size(p) - 1;
}
static inline bool inet_contains(const struct inet_prefix *outer, const struct inet_prefix *in)
{
	return outer->family == in->family && outer->len <= in->len && in->net >= outer->net &&
	       inet_last(in) <= inet_last(outer);
}
static inline bool inet_contains_addr(const struct inet_prefix *p, int family, u128 a)
{
	return p->family == family && a >= p->net && a <= inet_last(p);
}
static inline bool inet_overlap(const struct inet_prefix *a, const struct inet_prefix *b)
{
	return a->family == b->family && a->net <= inet_last(b) && b->net <= inet_last(a);
}

/* a is the network or the broadcast address of an IPv4 subnet that has them (/30 and wider):
 * no host may use it. */
static inline bool inet_reserved_host(const struct inet_prefix *p, u128 a)
{
	return p->family == 4 && p->len <= 30 && (a == p->net || a == inet_last(p));
}

/* 16 bytes, big-endian: byte order equals numeric order (for storage and indexes). */
void inet_to_bytes(u128 a, uint8_t out[16]);
u128 inet_from_bytes(const uint8_t in[16]);

/* The prefix length of the smallest IPv4 subnet holding `hosts` terminals besides the network,
 * broadcast and gateway addresses (at most /29 .. /8); for IPv6 a /64. -1 if none fits. */
int inet_len_for_hosts(int family, uint64_t hosts);
/* Usable host addresses of a subnet by the same count (IPv4: size - 3, at least 0). */
u128 inet_usable(const struct inet_prefix *p);

/* A count that may exceed 64 bits, as decimal text. */
void u128_format(u128 v, char out[40]);

#endif
