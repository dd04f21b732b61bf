/*
 * hmap: an open-addressing hash map from a 128-bit key to a 32-bit value, for the rules'
 * indexes and state (addresses, MACs). Linear probing at a load of at most 1/2; no deletion
 * (state is swept by rebuilding). A full map refuses new keys (hmap_put returns -1): the
 * caller counts what it could not track rather than growing without bound.
 */
#ifndef ZW_WATCH_HMAP_H
#define ZW_WATCH_HMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/inet.h"
#include "core/xalloc.h"

struct hmap {
	u128 *keys;
	uint32_t *vals; /* value + 1; 0 marks an empty slot */
	size_t cap;     /* a power of two */
	size_t n, max;  /* entries, and the most it may hold */
};

static inline uint64_t hmap_hash(u128 k)
{
	uint64_t h = (uint64_t)k ^ ((uint64_t)(k >> 64) * 0x9e3779b97f4a7c15ull);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* Room for max entries. */
static inline void hmap_init(struct hmap *m, size_t max)
{
	size_t cap = 16;
	while (cap < max * 2)
		cap *= 2;
	m->keys = xcalloc(cap, sizeof(u128));
	m->vals = xcalloc(cap, sizeof(uint32_t));
	m->cap = cap;
	m->n = 0;
	m->max = max;
}

static inline void hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
}

/* The value of k, or -1. */
static inline int64_t hmap_get(const struct hmap *m, u128 k)
{
	if (!m->cap)
		return -1;
	size_t i = hmap_hash(k) & (m->cap - 1);
	while (m->vals[i]) {
		if (m->keys[i] == k)
			return (int64_t)m->vals[i] - 1;
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

/* Insert or replace. 0, or -1 when the map is full. */
static inline int hmap_put(struct hmap *m, u128 k, uint32_t v)
{
	size_t i = hmap_hash(k) & (m->cap - 1);
	while (m->vals[i]) {
		if (m->keys[i] == k) {
			m->vals[i] = v + 1;
			return 0;
		}
		i = (i + 1) & (m->cap - 1);
	}
	if (m->n >= m->max)
		return -1;
	m->keys[i] = k;
	m->vals[i] = v + 1;
	m->n++;
	return 0;
}

/* Keys: an address (IPv4 as IPv4-mapped IPv6), a MAC (48 bits). Maps hold one or the other. */
static inline u128 hkey_ip(int family, u128 a)
{
	return family == 4 ? ((u128)0xffff << 32) | (a & 0xffffffffu) : a;
}
static inline u128 hkey_mac(const uint8_t m[6])
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = v << 8 | m[i];
	return v;
}

#endif
