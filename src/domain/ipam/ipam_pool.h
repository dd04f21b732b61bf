/*
 * ipam_pool: the free space of one parent prefix, kept as a buddy system.
 *
 * The free space under a prefix is a set of aligned blocks, each as large as it can be (two
 * free halves of one block are merged into that block). Per prefix length there is a
 * membership set and a min-heap of network addresses, so:
 *   - take(len): the smallest free block that fits (best fit: the largest free length <= len),
 *     lowest address first, split down to len; the other halves stay free. O(bits log n).
 *   - occupy(p): carve a given prefix (an explicit request, an existing child, a quarantined
 *     block) out of the free block that holds it; refused if any of it is not free.
 *   - release(p): give a block back and merge it with free buddies.
 * The pool holds no lock: it is used under the store's writer lock only.
 */
#ifndef ZW_DOMAIN_IPAM_POOL_H
#define ZW_DOMAIN_IPAM_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "core/inet.h"

struct ipam_pool;

struct ipam_pool *ipam_pool_new(const struct inet_prefix *root);
void ipam_pool_free(struct ipam_pool *p);
const struct inet_prefix *ipam_pool_root(const struct ipam_pool *p);

/* 0, or -1 when no free block of that size is left. */
int ipam_pool_take(struct ipam_pool *p, int len, struct inet_prefix *out);
/* 0, or -1 when q is not inside the root or not entirely free. */
int ipam_pool_occupy(struct ipam_pool *p, const struct inet_prefix *q);
/* 0, or -1 when q is not inside the root or is already free. q must have been occupied or
 * taken as a whole. */
int ipam_pool_release(struct ipam_pool *p, const struct inet_prefix *q);
/* Is q entirely free? */
int ipam_pool_is_free(const struct ipam_pool *p, const struct inet_prefix *q);

/* Free space: total free addresses, and the free blocks (any order). */
u128 ipam_pool_free_size(const struct ipam_pool *p);
size_t ipam_pool_free_count(const struct ipam_pool *p);
void ipam_pool_foreach(const struct ipam_pool *p,
                       void (*fn)(const struct inet_prefix *block, void *ctx), void *ctx);
/* The length of the smallest free block that can hold a /len (the largest free length <= len),
 * or -1 when none can. */
int ipam_pool_fit(const struct ipam_pool *p, int len);
/* Largest free block length available (smallest number), or -1 when full. */
int ipam_pool_largest(const struct ipam_pool *p);

#endif
