/* ipam_sql: prefixes, their containment tree, quarantine and the address plan. */
#ifndef ZW_STORE_IPAM_SQL_H
#define ZW_STORE_IPAM_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/inet.h"
#include "store/store.h"

struct prefix;

/* The host addresses of a prefix, as numbers (*out grows; caller frees). */
int store_address_values(struct sconn *c, int64_t prefix_id, u128 **out, size_t *n, size_t *cap,
                         struct zw_err *err);
/* The IPs of terminals that fall inside p, appended to *out (as store_address_values). */
int store_terminal_ips_in(struct sconn *c, const struct inet_prefix *p, int64_t unit_id, u128 **out,
                          size_t *n, size_t *cap, struct zw_err *err);
/* A terminal other than `except` registered with this IP, or 0. */
int store_terminal_with_ip(struct sconn *c, const char *ip, int64_t except, int64_t *terminal_id,
                           struct zw_err *err);
/* The host address registered at ip (id 0 when none): its kind, MAC ("" when none) and
 * terminal (0 when none). */
struct address_at {
	int64_t id, terminal_id;
	char kind[32], mac[18];
};
int store_address_at(struct sconn *c, const char *ip, struct address_at *out, struct zw_err *err);
int store_terminal_unit(struct sconn *c, int64_t terminal_id, int64_t *unit_id, struct zw_err *err);
/* The most specific prefix holding the address that is allocated to a unit: its id and unit
 * (both 0 when none). */
int store_prefix_owner(struct sconn *c, int family, u128 addr, int64_t *prefix_id, int64_t *unit_id,
                       struct zw_err *err);
/* The innermost prefix holding the address, allocated to a unit or not (0 when none). */
int store_prefix_holding(struct sconn *c, int family, u128 addr, int64_t *prefix_id,
                         struct zw_err *err);
/* The prefix that is exactly p, or 0. */
int store_prefix_find(struct sconn *c, const struct inet_prefix *p, int64_t *id,
                      struct zw_err *err);
int store_prefix_parent_of(struct sconn *c, const struct inet_prefix *p, int64_t *parent_id,
                           struct zw_err *err);
typedef int (*prefix_row_fn)(int64_t id, const struct inet_prefix *p, void *ctx);
/* The children of parent_id (0: the top level) of a family, by first address; only those
 * inside `within` unless it is NULL. */
int store_prefix_children(struct sconn *c, int64_t parent_id, int family,
                          const struct inet_prefix *within, prefix_row_fn fn, void *ctx,
                          struct zw_err *err);
/* Is any of p taken under parent_id? *other: a child that overlaps it (when siblings), or
 * minus the id of a quarantine entry that does; 0 when free. */
int store_prefix_overlaps(struct sconn *c, const struct inet_prefix *p, int64_t parent_id,
                          bool siblings, int64_t *other, struct zw_err *err);
/* Every prefix with its parent and the figures kept on it, and the host addresses it holds,
 * ordered by family, first address, length: a block comes before the blocks it holds (what
 * ipam_usage_verify recomputes them from). */
struct usage_row {
	int64_t id;
	struct inet_prefix block;
	int64_t parent_id;
	const char *size, *used;
	double utilisation;
	int64_t addresses;
};
typedef int (*usage_row_fn)(const struct usage_row *r, void *ctx);
int store_prefix_usage_rows(struct sconn *c, usage_row_fn fn, void *ctx, struct zw_err *err);
int store_prefix_insert(struct sconn *c, const struct prefix *p, const struct inet_prefix *ip,
                        int64_t now, int64_t *id, struct zw_err *err);
int store_prefix_reparent(struct sconn *c, int64_t from_parent, const struct inet_prefix *into,
                          int64_t new_parent, struct zw_err *err);
/* A prefix's used and size (decimal text). */
int store_prefix_usage(struct sconn *c, int64_t id, char used[40], char size[40],
                       struct zw_err *err);
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

/* Containers of a zone and family, by id. */
int store_zone_containers(struct sconn *c, int64_t zone_id, int family, int64_t *ids, size_t max,
                          size_t *n, struct zw_err *err);

/* Every prefix that belongs to a unit (the watch's owner index). */
typedef int (*owned_prefix_fn)(const struct inet_prefix *p, int64_t unit_id, int64_t prefix_id,
                               void *ctx);
int store_owned_prefixes(struct sconn *c, owned_prefix_fn fn, void *ctx, struct zw_err *err);

#endif
