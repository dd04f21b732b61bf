/*
 * ipam_index: "which unit owns this address", answered from memory.
 *
 * Built from every prefix allocated to a unit (per family, sorted by first address, outer
 * before inner), each entry knowing the entry that encloses it. A lookup is a binary search
 * for the last prefix starting at or before the address, then a walk outwards until one
 * holds it: the most specific owner. Immutable once built; readers share it freely and a
 * new one replaces it when the plan changes (the probes' rules, issue 6, hold one).
 */
#ifndef ZW_WATCH_IPAM_INDEX_H
#define ZW_WATCH_IPAM_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/inet.h"
#include "store/store.h"

struct owner_entry {
	u128 first, last;
	int64_t unit_id, prefix_id;
	int32_t parent; /* index of the enclosing entry, -1 at the top */
};

struct owner_index {
	struct owner_entry *v[2]; /* [0] IPv4, [1] IPv6 */
	size_t n[2];
	/* IPv4 search keys in Eytzinger (breadth-first) order with the sorted position of
	 * each: a search touches one cache line per level and the next levels are prefetched,
	 * where a plain binary search over a million entries misses the cache at every step. */
	uint32_t *eyt_key, *eyt_pos; /* 1-based, n[0] + 1 entries */
};

int owner_index_build(struct sconn *c, struct owner_index **out, struct zw_err *err);
void owner_index_free(struct owner_index *ix);
/* 1 and the owner when found, 0 when no unit owns the address. */
int owner_index_lookup(const struct owner_index *ix, int family, u128 addr, int64_t *unit_id,
                       int64_t *prefix_id);

#endif
