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

/* store side (src/store/ipam_sql.c) */
/* The host addresses of a prefix, as numbers (*out grows; caller frees). */
int store_address_values(struct sconn *c, int64_t prefix_id, u128 **out, size_t *n, size_t *cap,
                         struct zw_err *err);
/* The IPs of terminals that fall inside p, appended to *out (as store_address_values). */
int store_terminal_ips_in(struct sconn *c, const struct inet_prefix *p, int64_t unit_id, u128 **out,
                          size_t *n, size_t *cap, struct zw_err *err);
/* The terminal registered with this IP, or 0. */
int store_terminal_with_ip(struct sconn *c, const char *ip, int64_t *terminal_id,
                           struct zw_err *err);
int store_terminal_unit(struct sconn *c, int64_t terminal_id, int64_t *unit_id, struct zw_err *err);
struct sconn;
/* The most specific prefix holding the address that is allocated to a unit: its id and unit
 * (both 0 when none). */
int store_prefix_owner(struct sconn *c, int family, u128 addr, int64_t *prefix_id, int64_t *unit_id,
                       struct zw_err *err);
/* The prefix that is exactly p, or 0. */
int store_prefix_find(struct sconn *c, const struct inet_prefix *p, int64_t *id,
                      struct zw_err *err);
int store_prefix_parent_of(struct sconn *c, const struct inet_prefix *p, int64_t *parent_id,
                           struct zw_err *err);
typedef int (*prefix_row_fn)(int64_t id, const struct inet_prefix *p, void *ctx);
int store_prefix_children(struct sconn *c, int64_t parent_id, int family, prefix_row_fn fn,
                          void *ctx, struct zw_err *err);
/* Is any of p taken under parent_id? *other: a child that overlaps it (when siblings), or
 * minus the id of a quarantine entry that does; 0 when free. */
int store_prefix_overlaps(struct sconn *c, const struct inet_prefix *p, int64_t parent_id,
                          bool siblings, int64_t *other, struct zw_err *err);
int store_prefix_insert(struct sconn *c, const struct prefix *p, const struct inet_prefix *ip,
                        int64_t now, int64_t *id, struct zw_err *err);
int store_prefix_reparent(struct sconn *c, int64_t from_parent, const struct inet_prefix *into,
                          int64_t new_parent, struct zw_err *err);
int store_prefix_set_usage(struct sconn *c, int64_t id, const char *used, double utilisation,
                           int64_t now, struct zw_err *err);
int store_prefix_rev(struct sconn *c, int64_t id, int64_t *rev, struct zw_err *err);
int store_prefix_child_count(struct sconn *c, int64_t id, int64_t *n, struct zw_err *err);
int store_quarantine_add(struct sconn *c, int64_t parent_id, const struct inet_prefix *p,
                         int64_t unit_id, int64_t now, int64_t until, struct zw_err *err);
/* Expired quarantine of a parent: fn for each, then deleted. */
int store_quarantine_expire(struct sconn *c, int64_t parent_id, int64_t now, prefix_row_fn fn,
                            void *ctx, struct zw_err *err);
int store_quarantine_list(struct sconn *c, int64_t parent_id, prefix_row_fn fn, void *ctx,
                          json_t *out, struct zw_err *err);
/* The whole plan, one row of 14 texts (NULL for none) per prefix, for the CSV export. */
typedef int (*plan_row_fn)(const char *const *cols, size_t n, void *ctx);
int store_plan_rows(struct sconn *c, int64_t unit_id, plan_row_fn fn, void *ctx,
                    struct zw_err *err);
/* One CSV cell into b (comma first unless first), quoted when needed; a value starting
 * like a formula (= + - @) is kept as text. */
int csv_cell(struct buf *b, const char *s, bool first);
/* The address plan as CSV (UTF-8 with BOM), scoped to what the principal may see. */
int ipam_plan_csv(const struct ctx *x, struct buf *out, struct zw_err *err);

/* Containers of a zone and family, by id. */
int store_zone_containers(struct sconn *c, int64_t zone_id, int family, int64_t *ids, size_t max,
                          size_t *n, struct zw_err *err);

#endif
