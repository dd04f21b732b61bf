/*
 * registry: the generic life of a registered object (units and their contacts and agreements,
 * zones, VLANs, prefixes, terminals, devices, lines, carriers, ...): create, update, delete, get
 * and list, each write in one transaction with its audit entry, authorised by role x action x
 * unit scope.
 *
 * A kind names its table and field table, the actions that read and write it, the field that
 * ties an object to a unit (for a unit_admin's scope; NULL when objects belong to no unit and
 * may be read by any role with the read action) or the kind it belongs to, and hooks run
 * inside the write transaction: a check before the row is written (cross-object rules: a
 * VLAN's zone exists, a gateway lies in its prefix, a unit's parents do not loop), and what
 * follows once it is written (derived figures, a unit's status history, a deadline).
 *
 * An object out of the principal's scope looks as if it did not exist: the same 404 and the
 * same message as an absent one.
 */
#ifndef ZW_DOMAIN_REGISTRY_H
#define ZW_DOMAIN_REGISTRY_H

#include <jansson.h>

#include "core/buf.h"
#include "core/record.h"
#include "domain/ctx.h"
#include "store/store.h"

#define REGISTRY_WHOLE 1000

struct registry_kind {
	const char *table, *object; /* "vlans", "vlan" */
	const char *label;          /* Chinese name for messages: "VLAN" */
	const struct rec_schema *sc;
	enum action read, write;
	/* What registering one needs when it is not write (units: UNIT_CREATE, their edits
	 * UNIT_UPDATE); 0 (PROFILE_READ, which no write is) for the kinds whose create is a write.
	 */
	enum action create;
	const char *unit_field; /* or NULL */
	/* The field naming the carrier an object is in the hands of (a fault ticket's), or NULL:
	 * a carrier's staff then reach only their own carrier's objects, the others absent. */
	const char *carrier_field;
	/* The kind an object belongs to and the field naming it (contacts and agreements: their
	 * unit, unit_id), or NULL. A route gives the parent's id first ({id}) and the object's
	 * second; an object of another parent is absent (404); the object's unit is its parent's,
	 * so a unit_admin's scope applies through the parent. */
	const struct registry_kind *parent;
	const char *parent_field;
	/* One parent's objects are listed whole, in id order: the list takes no limit, cursor,
	 * sort or filter and names no next page (a unit's contacts); more than REGISTRY_WHOLE is
	 * an error, never a short list. */
	bool whole_list;
	/* rec is the full record to be written (create: as given; update: merged). old is NULL
	 * on create. */
	int (*check)(const struct ctx *x, struct sconn *c, void *rec, const void *old,
	             struct zw_err *err);
	const char *unique_field; /* the field a UNIQUE conflict is reported on */
	/* A conflict names the value taken ("单位名称“城关镇”已存在") rather than the field. */
	bool unique_names_value;
	/* Run after the row and its audit entry were written (rec NULL after a delete; old NULL
	 * after a create), in the same transaction: keeps derived figures current (a prefix's
	 * usage) and writes what follows from the change (a unit's status history, a deadline). */
	int (*after)(const struct ctx *x, struct store_tx *tx, const void *rec, const void *old,
	             struct zw_err *err);
	/* The clause a write's audit entry cites, into out (left empty: none); rec and old as for
	 * after. */
	void (*clause)(const struct ctx *x, const void *rec, const void *old, char out[32]);
	/* What an answer with one object carries besides its fields: the steps open to the caller
	 * (workflow_actions), as "actions"; NULL for none. */
	json_t *(*actions)(const struct ctx *x, void *rec);
	/* The object whose id is the principal's user id may be read whatever the role (users:
	 * one's own account). */
	bool self_readable;
	/* What an object carries besides its fields, in its lists and its answers alike, read
	 * from c into o (an application: what was granted, by name); NULL for nothing. */
	int (*extra)(struct sconn *c, const void *rec, json_t *o, struct zw_err *err);
};

int registry_create(const struct ctx *x, const struct registry_kind *k, const void *rec,
                    int64_t *id, struct zw_err *err);
/* The same inside the caller's transaction (imports). */
int registry_create_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       const void *rec, int64_t *id, struct zw_err *err);
int registry_update(const struct ctx *x, const struct registry_kind *k, int64_t id,
                    const void *patch, uint64_t present, int64_t if_rev, struct zw_err *err);
int registry_delete(const struct ctx *x, const struct registry_kind *k, int64_t id, int64_t if_rev,
                    struct zw_err *err);
/* The same inside the caller's transaction (an application's step). */
int registry_update_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       int64_t id, const void *patch, uint64_t present, struct zw_err *err);
int registry_delete_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                       int64_t id, struct zw_err *err);
/* May the principal read rec, an object of k loaded on c (404 as if absent otherwise)? */
int registry_reach(const struct ctx *x, struct sconn *c, const struct registry_kind *k,
                   const void *rec, struct zw_err *err);
/* Read one object the principal may see (404 otherwise). */
int registry_get(const struct ctx *x, const struct registry_kind *k, int64_t id, void *rec,
                 struct zw_err *err);
/* Restrict q to what the principal may see; -ZW_EFORBIDDEN when nothing. */
int registry_scope(const struct ctx *x, const struct registry_kind *k, struct list_query *q,
                   struct zw_err *err);
int registry_list(const struct ctx *x, const struct registry_kind *k, struct list_query *q,
                  struct buf *out, struct list_page *page, struct zw_err *err);

/* The same for the objects of a kind with a parent, under the parent object `parent` (the
 * route's {id}): a create puts the object there, the others reach only an object there (404
 * for another parent's), a list has the parent's objects, and a parent that is absent or out
 * of the principal's scope is answered 404 naming the parent's kind. parent 0: anywhere (a
 * create then takes the parent from the record). */
int registry_create_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          const void *rec, int64_t *id, struct zw_err *err);
int registry_update_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          int64_t id, const void *patch, uint64_t present, int64_t if_rev,
                          struct zw_err *err);
int registry_delete_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          int64_t id, int64_t if_rev, struct zw_err *err);
int registry_get_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                       int64_t id, void *rec, struct zw_err *err);
int registry_list_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                        struct list_query *q, struct buf *out, struct list_page *page,
                        struct zw_err *err);
/* Every object of k's list under parent that x may read and q's filters select, in q's order
 * (its cursor and limit aside), each to fn as a record (valid during the call); a negative
 * return from fn stops the walk with an internal error. */
int registry_scan_under(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                        const struct list_query *q, int (*fn)(const void *rec, void *ctx),
                        void *ctx, struct zw_err *err);
/* Every page of a list (under parent, 0: none) as one array, or NULL with err set. */
json_t *registry_list_all(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                          struct list_query *q, struct zw_err *err);
/* Object id of k (under parent) read in the caller's transaction for a write of the kind's own
 * (an agreement's scan) by the principal, and its unit: 403 without the write action, 404 when
 * absent, another parent's or out of scope, 412 when if_rev is given and stale. */
int registry_load_tx(const struct ctx *x, const struct registry_kind *k, struct store_tx *tx,
                     int64_t parent, int64_t id, int64_t if_rev, void *rec, int64_t *unit,
                     struct zw_err *err);
/* May the principal write (create: register) objects of k under parent (0: none) at all? Asked
 * before a request is read, so that a principal without the right learns nothing of what the
 * request would need: 403 without the action, 404 for a parent absent or out of scope. The
 * write itself checks again, on the object. */
int registry_may_write(const struct ctx *x, const struct registry_kind *k, bool create,
                       int64_t parent, struct zw_err *err);

/* A reference field: 0 (none) or the id of an existing row of table, else an error naming the
 * field ("<label>不存在"). */
int registry_ref(struct sconn *c, const char *table, const char *field, const char *label,
                 int64_t id, struct zw_err *err);

/* Field helpers for records */
int64_t rec_get_i64(const struct rec_schema *sc, const void *rec, const char *name);
const char *rec_get_str(const struct rec_schema *sc, const void *rec, const char *name);
/* v (duplicated; NULL clears) into the text field name; a name not in sc sets nothing, as
 * rec_set_i64 */
void rec_set_str(const struct rec_schema *sc, void *rec, const char *name, const char *v);
void rec_set_i64(const struct rec_schema *sc, void *rec, const char *name, int64_t v);

/* The kinds of this release (domain/ipam.c). */
extern const struct registry_kind zone_kind, vlan_kind, prefix_kind;

/* Every registry kind, in the order people meet them. The API's routes name theirs
 * (api/routes.c); the OpenAPI document, GET /schemas, imports and the CLI take them from here.
 * REG_CLI: the CLI's list|show|add|set|rm serve it, named after its object ("domain-name"), its
 * writes going through the registry (a prefix's create and delete through ipam). The others have
 * a command of their own (zwnet unit: units through the registry, their status through the unit
 * workflow, their contacts and agreements shown with them), are written by their own workflows
 * or accounts, or only by the system. */
enum { REG_CLI = 1 };
struct registry_entry {
	const struct registry_kind *k;
	unsigned serves;
};
extern const struct registry_entry registry_kinds[]; /* ends with {NULL, 0} */

#endif
