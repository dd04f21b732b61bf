/* SQL of the address plan beyond the generic record functions. Blocks are stored as 16-byte
 * big-endian first/last addresses, so byte order is numeric order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "domain/ipam/ipam.h"
#include "store/ipam_sql.h"
#include "store/query.h"
#include "core/xalloc.h"

static void bind_addr(sqlite3_stmt *s, int i, u128 a)
{
	uint8_t b[16];
	inet_to_bytes(a, b);
	sqlite3_bind_blob(s, i, b, 16, SQLITE_TRANSIENT);
}

static u128 col_addr(sqlite3_stmt *s, int i)
{
	const void *b = sqlite3_column_blob(s, i);
	return b && sqlite3_column_bytes(s, i) == 16 ? inet_from_bytes(b) : 0;
}

static void bind_parent(sqlite3_stmt *s, int i, int64_t parent_id)
{
	sq_id(s, i, parent_id);
}

/* The innermost registered prefix shorter than max_len + 1 that holds [net, last] (with a unit
 * when owned), found down the containment tree: at each level the child starting last at or
 * before net is the only one that can hold it (siblings are disjoint), so a lookup costs one
 * index probe per level of the plan, not one per prefix length. */
static int nearest_prefix(struct sconn *c, bool owned, int family, u128 net, u128 last, int max_len,
                          int64_t *id, int64_t *unit_id, struct zw_err *err)
{
	*id = 0;
	if (unit_id)
		*unit_id = 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, last, length, unit_id FROM prefixes WHERE"
	                             " parent_id IS ? AND family = ? AND first <= ?"
	                             " ORDER BY first DESC LIMIT 1",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	int64_t parent = 0;
	for (;;) {
		bind_parent(s, 1, parent);
		sqlite3_bind_int(s, 2, family);
		bind_addr(s, 3, net);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = sq_fail(c, err, "nearest prefix");
			sq_done(c, s);
			return rc;
		}
		if (rc == SQLITE_DONE || col_addr(s, 1) < last ||
		    sqlite3_column_int(s, 2) > max_len)
			break;
		parent = sqlite3_column_int64(s, 0);
		int64_t unit = sqlite3_column_int64(s, 3);
		if (!owned || unit) {
			*id = parent;
			if (unit_id)
				*unit_id = unit;
		}
		sqlite3_reset(s);
	}
	sq_done(c, s);
	return 0;
}

int store_prefix_owner(struct sconn *c, int family, u128 addr, int64_t *prefix_id, int64_t *unit_id,
                       struct zw_err *err)
{
	return nearest_prefix(c, true, family, addr, addr, inet_bits(family), prefix_id, unit_id,
	                      err);
}

int store_prefix_holding(struct sconn *c, int family, u128 addr, int64_t *prefix_id,
                         struct zw_err *err)
{
	return nearest_prefix(c, false, family, addr, addr, inet_bits(family), prefix_id, NULL,
	                      err);
}

int store_prefix_find(struct sconn *c, const struct inet_prefix *p, int64_t *id, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT id FROM prefixes WHERE family = ? AND length = ? AND first = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int(s, 1, p->family);
	sqlite3_bind_int(s, 2, p->len);
	bind_addr(s, 3, p->net);
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "find");
}

int store_prefix_parent_of(struct sconn *c, const struct inet_prefix *p, int64_t *parent_id,
                           struct zw_err *err)
{
	return nearest_prefix(c, false, p->family, p->net, inet_last(p), (int)p->len - 1, parent_id,
	                      NULL, err);
}

int store_prefix_children(struct sconn *c, int64_t parent_id, int family,
                          const struct inet_prefix *within, prefix_row_fn fn, void *ctx,
                          struct zw_err *err)
{
	/* Children are disjoint, so those inside `within` are those starting inside it: one
	 * range of the (parent_id, family, first) index, however many siblings lie outside. */
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, first, length FROM prefixes WHERE parent_id IS ?"
	                             " AND family = ? AND first BETWEEN ? AND ? ORDER BY first",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	bind_parent(s, 1, parent_id);
	sqlite3_bind_int(s, 2, family);
	bind_addr(s, 3, within ? within->net : 0);
	bind_addr(s, 4, within ? inet_last(within) : ~(u128)0);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct inet_prefix p = {(uint8_t)family, (uint8_t)sqlite3_column_int(s, 2),
		                        col_addr(s, 1)};
		if (fn(sqlite3_column_int64(s, 0), &p, ctx) < 0)
			break;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "children");
}

int store_prefix_usage_rows(struct sconn *c, usage_row_fn fn, void *ctx, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT p.id, p.family, p.length, p.first, p.parent_id, p.size, p.used, p.utilisation,"
	    " (SELECT count(*) FROM addresses a WHERE a.prefix_id = p.id)"
	    " FROM prefixes p ORDER BY p.family, p.first, p.length",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct usage_row r = {.id = sqlite3_column_int64(s, 0),
		                      .block = {(uint8_t)sqlite3_column_int(s, 1),
		                                (uint8_t)sqlite3_column_int(s, 2), col_addr(s, 3)},
		                      .parent_id = sqlite3_column_int64(s, 4),
		                      .size = (const char *)sqlite3_column_text(s, 5),
		                      .used = (const char *)sqlite3_column_text(s, 6),
		                      .utilisation = sqlite3_column_double(s, 7),
		                      .addresses = sqlite3_column_int64(s, 8)};
		if (fn(&r, ctx) < 0)
			break;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "usage rows");
}

/* The block with the greatest first address <= at, among parent's children (prefixes) or
 * its quarantine. */
static int nearest(struct sconn *c, const char *table, int64_t parent_id, int family, u128 at,
                   int64_t *id, u128 *first, u128 *last, struct zw_err *err)
{
	char sql[200];
	snprintf(sql, sizeof(sql),
	         "SELECT id, first, last FROM %s WHERE parent_id IS ? AND family = ? AND first <= ?"
	         " ORDER BY first DESC LIMIT 1",
	         table);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	bind_parent(s, 1, parent_id);
	sqlite3_bind_int(s, 2, family);
	bind_addr(s, 3, at);
	*id = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*first = col_addr(s, 1);
		*last = col_addr(s, 2);
	}
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "nearest");
}

int store_prefix_overlaps(struct sconn *c, const struct inet_prefix *p, int64_t parent_id,
                          bool siblings, int64_t *other, struct zw_err *err)
{
	/* CIDR blocks nest or are disjoint: a sibling overlapping p either holds p (then it
	 * starts at or before p) or lies inside p (then the last one starting inside p shows
	 * it). Quarantined blocks count as taken. Siblings inside p are reported too. */
	int64_t id;
	u128 first, last;
	*other = 0;
	int rc = 0;
	if (siblings) {
		rc = nearest(c, "prefixes", parent_id, p->family, inet_last(p), &id, &first, &last,
		             err);
		if (!rc && id && last >= p->net)
			*other = id;
	}
	if (!rc && !*other) {
		rc = nearest(c, "prefix_quarantine", parent_id, p->family, inet_last(p), &id,
		             &first, &last, err);
		if (!rc && id && last >= p->net)
			*other = -id;
	}
	return rc;
}

int store_prefix_insert(struct sconn *c, const struct prefix *p, const struct inet_prefix *ip,
                        int64_t now, int64_t *id, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "INSERT INTO prefixes (cidr, family, length, first, last, parent_id, status, zone_id,"
	    " vlan_id, unit_id, gateway, dns, description, size, used, utilisation, created_at,"
	    " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, p->cidr);
	sqlite3_bind_int(s, 2, ip->family);
	sqlite3_bind_int(s, 3, ip->len);
	bind_addr(s, 4, ip->net);
	bind_addr(s, 5, inet_last(ip));
	sq_id(s, 6, p->parent_id);
	sq_text(s, 7, p->status);
	sq_id(s, 8, p->zone_id);
	sq_id(s, 9, p->vlan_id);
	sq_id(s, 10, p->unit_id);
	sq_text(s, 11, p->gateway && *p->gateway ? p->gateway : NULL);
	sq_text(s, 12, p->dns ? p->dns : "");
	sq_text(s, 13, p->description ? p->description : "");
	sq_text(s, 14, p->size);
	sq_text(s, 15, p->used ? p->used : "0");
	sqlite3_bind_double(s, 16, p->utilisation);
	sqlite3_bind_int64(s, 17, now);
	sqlite3_bind_int64(s, 18, now);
	int rc = sq_exec_stmt(c, s, err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

int store_prefix_reparent(struct sconn *c, int64_t from_parent, const struct inet_prefix *into,
                          int64_t new_parent, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE prefixes SET parent_id = ?, rev = rev + 1 WHERE"
	                             " parent_id IS ? AND family = ? AND first BETWEEN ? AND ?"
	                             " AND last <= ? AND id <> ?",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, new_parent);
	bind_parent(s, 2, from_parent);
	sqlite3_bind_int(s, 3, into->family);
	bind_addr(s, 4, into->net);
	bind_addr(s, 5, inet_last(into));
	bind_addr(s, 6, inet_last(into));
	sqlite3_bind_int64(s, 7, new_parent);
	return sq_exec_stmt(c, s, err);
}

int store_prefix_usage(struct sconn *c, int64_t id, char used[40], char size[40],
                       struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT used, size FROM prefixes WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(used, 40, "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(size, 40, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	sq_done(c, s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, NULL)
	                         : sq_fail(c, err, "usage");
}

int store_prefix_set_usage(struct sconn *c, int64_t id, const char *used, double utilisation,
                           int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "UPDATE prefixes SET used = ?, utilisation = ?, updated_at = ?,"
	               " rev = rev + 1 WHERE id = ?",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, used);
	sqlite3_bind_double(s, 2, utilisation);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, id);
	return sq_exec_stmt(c, s, err);
}

static int one_int(struct sconn *c, const char *sql, int64_t arg, int64_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, arg);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, NULL) : sq_fail(c, err, "one");
}

int store_prefix_rev(struct sconn *c, int64_t id, int64_t *rev, struct zw_err *err)
{
	return one_int(c, "SELECT rev FROM prefixes WHERE id = ?", id, rev, err);
}

int store_prefix_child_count(struct sconn *c, int64_t id, int64_t *n, struct zw_err *err)
{
	return one_int(c, "SELECT count(*) FROM prefixes WHERE parent_id = ?", id, n, err);
}

int store_quarantine_add(struct sconn *c, int64_t parent_id, const struct inet_prefix *p,
                         int64_t unit_id, int64_t now, int64_t until, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO prefix_quarantine (parent_id, cidr, family, length,"
	               " first, last, unit_id, released_at, until)"
	               " VALUES (?,?,?,?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	char cidr[INET_PREFIX_MAX];
	inet_format_prefix(p, cidr);
	sqlite3_bind_int64(s, 1, parent_id);
	sq_text(s, 2, cidr);
	sqlite3_bind_int(s, 3, p->family);
	sqlite3_bind_int(s, 4, p->len);
	bind_addr(s, 5, p->net);
	bind_addr(s, 6, inet_last(p));
	sq_id(s, 7, unit_id);
	sqlite3_bind_int64(s, 8, now);
	sqlite3_bind_int64(s, 9, until);
	return sq_exec_stmt(c, s, err);
}

int store_quarantine_expire(struct sconn *c, int64_t parent_id, int64_t now, prefix_row_fn fn,
                            void *ctx, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "DELETE FROM prefix_quarantine WHERE parent_id = ? AND until <= ?"
	               " RETURNING id, family, length, first",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, parent_id);
	sqlite3_bind_int64(s, 2, now);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct inet_prefix p = {(uint8_t)sqlite3_column_int(s, 1),
		                        (uint8_t)sqlite3_column_int(s, 2), col_addr(s, 3)};
		fn(sqlite3_column_int64(s, 0), &p, ctx);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "quarantine expire");
}

int store_quarantine_list(struct sconn *c, int64_t parent_id, prefix_row_fn fn, void *ctx,
                          json_t *out, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT id, family, length, first, cidr, unit_id, released_at,"
	               " until FROM prefix_quarantine WHERE parent_id = ? ORDER BY first",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, parent_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct inet_prefix p = {(uint8_t)sqlite3_column_int(s, 1),
		                        (uint8_t)sqlite3_column_int(s, 2), col_addr(s, 3)};
		if (fn)
			fn(sqlite3_column_int64(s, 0), &p, ctx);
		if (out) {
			char rel[32], until[32];
			format_time(sqlite3_column_int64(s, 6), rel);
			format_time(sqlite3_column_int64(s, 7), until);
			int64_t uid = sqlite3_column_int64(s, 5);
			json_array_append_new(
			    out, json_pack("{s:s, s:o, s:s, s:s}", "cidr",
			                   (const char *)sqlite3_column_text(s, 4), "unit_id",
			                   uid ? json_integer(uid) : json_null(), "released_at",
			                   rel, "until", until));
		}
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "quarantine list");
}

int store_zone_containers(struct sconn *c, int64_t zone_id, int family, int64_t *ids, size_t max,
                          size_t *n, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id FROM prefixes WHERE zone_id = ? AND family = ? AND"
	                             " status = 'container' ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, zone_id);
	sqlite3_bind_int(s, 2, family);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "zone containers");
}

int store_address_values(struct sconn *c, int64_t prefix_id, u128 **out, size_t *n, size_t *cap,
                         struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT address FROM addresses WHERE prefix_id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, prefix_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int fam;
		u128 v;
		if (inet_parse_addr((const char *)sqlite3_column_text(s, 0), &fam, &v) < 0)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*out = xreallocarray(*out, *cap, sizeof(**out));
		}
		(*out)[(*n)++] = v;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "address values");
}

int store_terminal_unit(struct sconn *c, int64_t terminal_id, int64_t *unit_id, struct zw_err *err)
{
	int rc =
	    one_int(c, "SELECT unit_id FROM terminals WHERE id = ?", terminal_id, unit_id, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		return zw_errf(err, ZW_EINVALID, "terminal_id", "终端不存在");
	}
	return rc;
}

int store_owned_prefixes(struct sconn *c, owned_prefix_fn fn, void *ctx, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT family, length, first, unit_id, id FROM prefixes WHERE"
	                             " unit_id IS NOT NULL ORDER BY family, first, length",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct inet_prefix p = {(uint8_t)sqlite3_column_int(s, 0),
		                        (uint8_t)sqlite3_column_int(s, 1), col_addr(s, 2)};
		if (fn(&p, sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4), ctx) < 0) {
			sq_done(c, s);
			return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
		}
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "owned prefixes");
}

int store_plan_rows(struct sconn *c, int64_t unit_id, plan_row_fn fn, void *ctx, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT p.cidr, p.family, p.length, p.status, pp.cidr, z.name, v.vid, u.name,"
	    " p.gateway, p.dns, p.size, p.used, p.utilisation, p.description"
	    " FROM prefixes p LEFT JOIN prefixes pp ON pp.id = p.parent_id"
	    " LEFT JOIN zones z ON z.id = p.zone_id LEFT JOIN vlans v ON v.id = p.vlan_id"
	    " LEFT JOIN units u ON u.id = p.unit_id WHERE (?1 = 0 OR p.unit_id = ?1)"
	    " ORDER BY p.family, p.first, p.length",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *cols[14];
		char num[3][32];
		for (int i = 0; i < 14; i++)
			cols[i] = (const char *)sqlite3_column_text(s, i);
		snprintf(num[0], sizeof(num[0]), "IPv%d", sqlite3_column_int(s, 1));
		snprintf(num[1], sizeof(num[1]), "%d", sqlite3_column_int(s, 2));
		snprintf(num[2], sizeof(num[2]), "%.2f%%", sqlite3_column_double(s, 12));
		cols[1] = num[0];
		cols[2] = num[1];
		cols[12] = num[2];
		if (fn(cols, 14, ctx) < 0)
			break;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "plan");
}

int store_terminal_ips_in(struct sconn *c, const struct inet_prefix *p, int64_t unit_id, u128 **out,
                          size_t *n, size_t *cap, struct zw_err *err)
{
	/* A terminal's IP lies in its own unit's prefixes (JX-21), so only that unit's
	 * terminals can use addresses here; they keep text IPs, filtered in C. */
	if (!unit_id)
		return 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT ip FROM terminals WHERE unit_id = ? AND ip IS NOT NULL"
	                             " AND ip <> ''",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int fam;
		u128 v;
		if (inet_parse_addr((const char *)sqlite3_column_text(s, 0), &fam, &v) < 0 ||
		    !inet_contains_addr(p, fam, v))
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*out = xreallocarray(*out, *cap, sizeof(**out));
		}
		(*out)[(*n)++] = v;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "terminal ips");
}

int store_terminal_with_ip(struct sconn *c, const char *ip, int64_t except, int64_t *terminal_id,
                           struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT id FROM terminals WHERE ip = ?1 AND id != ?2 ORDER BY id LIMIT 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, ip);
	sqlite3_bind_int64(s, 2, except);
	int rc = sqlite3_step(s);
	*terminal_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "terminal ip");
}

int store_address_at(struct sconn *c, const char *ip, struct address_at *out, struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT id, kind, mac, terminal_id FROM addresses WHERE address = ? LIMIT 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, ip);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		const char *mac = (const char *)sqlite3_column_text(s, 2);
		snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "");
		snprintf(out->mac, sizeof(out->mac), "%s", mac ? mac : "");
		out->terminal_id = sqlite3_column_int64(s, 3);
	}
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "address at");
}
