/*
 * ipam: the address plan (JX-20, MY-5: the center divides VLANs and allocates addresses).
 *
 * Zones (公用网络区, 互联网接入区, ...) and VLANs are plain registry objects. Prefixes form a
 * hierarchy per family: each prefix's parent is the smallest prefix that holds it, and only a
 * container holds others. Status: container (space to allocate from), active (a subnet in
 * use, usually a unit's), reserved (kept out of allocation), deprecated (being retired).
 *
 * Allocation takes the smallest aligned free block that fits from a container's free-space
 * pool (ipam_pool.h); an explicit request carves exactly the prefix asked for; a released
 * prefix rests in quarantine for the configured time before its space is free again. The
 * pools live in memory per container and are rebuilt from the database whenever the
 * container's revision moved (every change of a child bumps it), so a write by another
 * process (the CLI) is seen. All of it runs under the store's writer lock, so two requests
 * can never get the same space; a database check refuses any overlap as a second line.
 *
 * Each prefix keeps `used` (addresses covered by its children) and `utilisation` up to date
 * as children come and go, so no request counts addresses.
 */
#ifndef ZW_DOMAIN_IPAM_H
#define ZW_DOMAIN_IPAM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/inet.h"
#include "domain/registry.h"

struct zone {
	int64_t id;
	char *name, *code, *description;
	int64_t created_at, updated_at, rev;
};

struct vlan {
	int64_t id, vid;
	char *name;
	int64_t zone_id, unit_id;
	char *description;
	int64_t created_at, updated_at, rev;
};

struct prefix {
	int64_t id;
	char *cidr;
	int64_t family, length, parent_id;
	char *status;
	int64_t zone_id, vlan_id, unit_id;
	char *gateway, *dns, *description;
	char *size, *used;  /* decimal: IPv6 sizes exceed 64 bits */
	double utilisation; /* percent of the prefix covered by children */
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema zone_schema, vlan_schema, prefix_schema;

struct ipam_cache; /* free-space pools of containers, kept across requests */
struct ipam_cache *ipam_cache_new(void);
void ipam_cache_free(struct ipam_cache *c);
/* Forget every pool (they are rebuilt on next use). */
void ipam_cache_clear(struct ipam_cache *c);

struct ipam_cfg {
	int64_t quarantine; /* seconds a released prefix rests before reuse */
};

/* Create a prefix (an explicit request). Its parent is found; children it now holds move
 * under it; the space must be free in the parent (quarantine counts as taken). */
int prefix_create(const struct ctx *x, struct ipam_cache *cache, const struct prefix *p,
                  int64_t *id, struct zw_err *err);

int prefix_create_tx(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                     const struct prefix *p, int64_t *id, struct zw_err *err);

struct alloc_req {
	int64_t unit_id;
	int64_t hosts;   /* or 0 when length is given */
	int64_t length;  /* or 0 */
	int64_t family;  /* 4 (default) or 6 */
	int64_t vlan_id; /* optional */
	const char *description;
};
/* Allocate a subnet from container parent_id (or, parent_id 0, from the best-fitting
 * container of zone_id). */
int prefix_allocate(const struct ctx *x, struct ipam_cache *cache, int64_t parent_id,
                    int64_t zone_id, const struct alloc_req *r, int64_t *id, struct zw_err *err);
/* The same inside the caller's transaction, authorised by the caller (an approved access
 * application allocates its unit's subnet together with the approval). */
int prefix_allocate_tx(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                       int64_t parent_id, int64_t zone_id, const struct alloc_req *r, int64_t *id,
                       struct zw_err *err);
/* Release (delete) a prefix without children; its space is quarantined in the parent. */
int prefix_release(const struct ctx *x, struct ipam_cache *cache, const struct ipam_cfg *cfg,
                   int64_t id, int64_t if_rev, struct zw_err *err);
int prefix_release_tx(const struct ctx *x, struct ipam_cache *cache, struct store_tx *tx,
                      const struct ipam_cfg *cfg, int64_t id, struct zw_err *err);
/* The free blocks under a container: {"free":[{"length":L,"count":N,"blocks":[...]}],
 * "quarantine":[...], "free_addresses":"..."} */
json_t *prefix_free_view(const struct ctx *x, struct ipam_cache *cache, int64_t id,
                         struct zw_err *err);

/* Add (sign +1) or remove (-1) addresses from a prefix's usage, in the caller's
 * transaction. */
int ipam_adjust_usage(struct sconn *c, int64_t prefix_id, u128 delta, int sign, struct zw_err *err);

/* The plan recomputed from its blocks alone: each prefix's parent (the smallest prefix
 * holding it) and its usage (what its children cover, plus its host addresses), compared with
 * what the writes keep incrementally. 0 when all agree; -ZW_ECONFLICT with the count and the
 * first that differs. */
struct ipam_usage_verify {
	int64_t prefixes; /* checked */
	int64_t wrong;    /* whose parent, used or utilisation differ */
	int64_t bad_id;   /* the first of them */
	char reason[256]; /* what differs, in Chinese */
};
int ipam_usage_verify(struct store *st, struct ipam_usage_verify *res, struct zw_err *err);

/* The address plan as CSV (UTF-8 with BOM), scoped to what the principal may see. */
int ipam_plan_csv(const struct ctx *x, struct buf *out, struct zw_err *err);

#endif
