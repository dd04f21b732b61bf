/* search_sql: the lookups of the one search box (domain/search.c), one statement per thing a
 * query can name: a terminal by address, MAC or user, a contact by mobile or name, a line by
 * circuit id, ... Each takes the value, the unit it is limited to (0: every unit; a
 * unit_admin's scope) and the most rows wanted, and hands each row to a callback. */
#ifndef ZW_STORE_SEARCH_SQL_H
#define ZW_STORE_SEARCH_SQL_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* What is looked up and by what. "text" is compared equal, "like" is a LIKE pattern (escaped
 * with backslash), "num" an id. The columns each gives, in struct search_row's t[]: */
enum search_sql {
	SS_UNITS,          /* every unit (by id): name, short_name, status, level, name_key */
	SS_UNIT_ID,        /* num: name, short_name, status, level */
	SS_PREFIX_ID,      /* num: cidr, status, description, gateway; n = length */
	SS_PREFIX_CIDR,    /* text, canonical */
	SS_HOST_IP,        /* text: address, kind, hostname, mac; n = prefix_id */
	SS_HOST_MAC,       /* text */
	SS_TERMINAL_IP,    /* text: mac, ip, kind, user_name, location */
	SS_TERMINAL_MAC,   /* text */
	SS_TERMINAL_USER,  /* like */
	SS_DEVICE_IP,      /* text: name, kind, mgmt_ip, mac */
	SS_DEVICE_MAC,     /* text */
	SS_DEVICE_NAME,    /* like */
	SS_CONTACT_MOBILE, /* text: name, role, post, mobile */
	SS_CONTACT_NAME,   /* like */
	SS_APP_MOBILE,     /* text: kind, status, the person with that mobile (name), their role */
	SS_APP_ID,         /* num: kind, status */
	SS_LINE_CIRCUIT,   /* like: circuit_id, status, carrier name, endpoint_a; n = Mbps */
	SS_VIOLATION_ID,   /* num: behaviour_name, state, mac, ip */
	SS_VIOLATION_IP,   /* text */
	SS_VIOLATION_MAC,  /* text */
	SS_COUNT
};

#define SEARCH_ROW_COLS 5

/* One row: the object's id, its unit (0: none) and the unit's name (NULL: none), a number
 * and texts as the query says ("" for SQL NULL). Valid during the callback only. */
struct search_row {
	int64_t id, unit_id, n;
	const char *unit;
	const char *t[SEARCH_ROW_COLS];
};
typedef int (*search_row_fn)(const struct search_row *r, void *ctx);

/* At most limit rows (-1: all) of query q for text or num, of unit `unit` only when it is not
 * 0, to fn in the query's order (ids ascending; violations newest first). A negative return
 * from fn stops the walk. */
int store_search(struct sconn *c, enum search_sql q, const char *text, int64_t num, int64_t unit,
                 int limit, search_row_fn fn, void *ctx, struct zw_err *err);

#endif
