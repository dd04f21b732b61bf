/* The search box's statements (store/search_sql.h). Every one binds ?1 the text (or LIKE
 * pattern), ?2 the id, ?3 the unit it is limited to (0: every unit) and ?4 the row limit, and
 * gives id, unit, unit name, a number and five texts. An exact lookup goes through the
 * column's index (terminals.ip and .mac, addresses.address and .mac, prefixes.cidr, ids); a
 * LIKE reads the table, which at county scale (50,000 terminals) is a few milliseconds. */
#include "store/search_sql.h"

#include "store/store_int.h"

#define UNIT_COLS "u.name, u.short_name, u.status, u.level"
#define PREFIX                                                                                     \
	"SELECT p.id, COALESCE(p.unit_id, 0), u.name, p.length, p.cidr, p.status, p.description,"  \
	" COALESCE(p.gateway, ''), '' FROM prefixes p LEFT JOIN units u ON u.id = p.unit_id "      \
	"WHERE "
#define HOST                                                                                       \
	"SELECT a.id, COALESCE(a.unit_id, 0), u.name, a.prefix_id, a.address, a.kind, a.hostname," \
	" COALESCE(a.mac, ''), '' FROM addresses a LEFT JOIN units u ON u.id = a.unit_id WHERE "
#define TERMINAL                                                                                   \
	"SELECT t.id, t.unit_id, u.name, 0, t.mac, COALESCE(t.ip, ''), t.kind, t.user_name,"       \
	" t.location FROM terminals t LEFT JOIN units u ON u.id = t.unit_id WHERE "
#define DEVICE                                                                                     \
	"SELECT d.id, COALESCE(d.unit_id, 0), u.name, 0, d.name, d.kind, COALESCE(d.mgmt_ip, '')," \
	" COALESCE(d.mac, ''), '' FROM devices d LEFT JOIN units u ON u.id = d.unit_id WHERE "
#define CONTACT                                                                                    \
	"SELECT c.id, c.unit_id, u.name, 0, c.name, c.role, c.post, c.mobile, '' FROM contacts c"  \
	" LEFT JOIN units u ON u.id = c.unit_id WHERE "
#define APP                                                                                        \
	"SELECT a.id, a.unit_id, u.name, 0, a.kind, a.status, '', '', '' FROM applications a"      \
	" LEFT JOIN units u ON u.id = a.unit_id WHERE "
#define VIOLATION                                                                                  \
	"SELECT v.id, v.unit_id, u.name, 0, v.behaviour_name, v.state, COALESCE(v.mac, ''),"       \
	" COALESCE(v.ip, ''), '' FROM violations v LEFT JOIN units u ON u.id = v.unit_id WHERE "
#define IN_UNIT(col) " AND (?3 = 0 OR " col " = ?3)"
#define BY_ID        " ORDER BY 1 LIMIT ?4"
#define NEWEST       " ORDER BY 1 DESC LIMIT ?4"
#define LIKE         " LIKE ?1 ESCAPE '\\'"

static const char *const sql[SS_COUNT] = {
    [SS_UNITS] = "SELECT u.id, u.id, u.name, 0, " UNIT_COLS ", COALESCE(u.name_key, '')"
                 " FROM units u WHERE (?3 = 0 OR u.id = ?3)" BY_ID,
    [SS_UNIT_ID] = "SELECT u.id, u.id, u.name, 0, " UNIT_COLS ", '' FROM units u"
                   " WHERE u.id = ?2" IN_UNIT("u.id") BY_ID,
    [SS_PREFIX_ID] = PREFIX "p.id = ?2" IN_UNIT("p.unit_id") BY_ID,
    [SS_PREFIX_CIDR] = PREFIX "p.cidr = ?1" IN_UNIT("p.unit_id") BY_ID,
    [SS_HOST_IP] = HOST "a.address = ?1" IN_UNIT("a.unit_id") BY_ID,
    [SS_HOST_MAC] = HOST "a.mac = ?1" IN_UNIT("a.unit_id") BY_ID,
    [SS_TERMINAL_IP] = TERMINAL "t.ip = ?1" IN_UNIT("t.unit_id") BY_ID,
    [SS_TERMINAL_MAC] = TERMINAL "t.mac = ?1" IN_UNIT("t.unit_id") BY_ID,
    [SS_TERMINAL_USER] = TERMINAL "t.user_name" LIKE IN_UNIT("t.unit_id") BY_ID,
    [SS_DEVICE_IP] = DEVICE "d.mgmt_ip = ?1" IN_UNIT("d.unit_id") BY_ID,
    [SS_DEVICE_MAC] = DEVICE "d.mac = ?1" IN_UNIT("d.unit_id") BY_ID,
    [SS_DEVICE_NAME] = DEVICE "d.name" LIKE IN_UNIT("d.unit_id") BY_ID,
    [SS_CONTACT_MOBILE] = CONTACT "c.mobile = ?1" IN_UNIT("c.unit_id") BY_ID,
    [SS_CONTACT_NAME] = CONTACT "c.name" LIKE IN_UNIT("c.unit_id") BY_ID,
    /* the person of the application whose mobile it is: which one (admin, tech, contact),
     * their name, and the contact's role */
    [SS_APP_MOBILE] =
        "SELECT a.id, a.unit_id, u.name, 0, a.kind, a.status,"
        " CASE WHEN a.admin_mobile = ?1 THEN 'admin' WHEN a.tech_mobile = ?1 THEN 'tech'"
        " ELSE 'contact' END,"
        " COALESCE(CASE WHEN a.admin_mobile = ?1 THEN a.admin_name WHEN a.tech_mobile = ?1"
        " THEN a.tech_name ELSE a.contact_name END, ''), COALESCE(a.contact_role, '')"
        " FROM applications a LEFT JOIN units u ON u.id = a.unit_id"
        " WHERE (a.admin_mobile = ?1 OR a.tech_mobile = ?1 OR a.contact_mobile = ?1)" IN_UNIT(
            "a.unit_id") NEWEST,
    [SS_APP_ID] = APP "a.id = ?2" IN_UNIT("a.unit_id") BY_ID,
    [SS_LINE_CIRCUIT] =
        "SELECT l.id, COALESCE(l.unit_id, 0), u.name, l.bandwidth_mbps, l.circuit_id, l.status,"
        " COALESCE(ca.name, ''), l.endpoint_a, l.endpoint_b FROM lines l"
        " LEFT JOIN units u ON u.id = l.unit_id LEFT JOIN carriers ca ON ca.id = l.carrier_id"
        " WHERE l.circuit_id" LIKE IN_UNIT("l.unit_id") BY_ID,
    [SS_VIOLATION_ID] = VIOLATION "v.id = ?2" IN_UNIT("v.unit_id") BY_ID,
    [SS_VIOLATION_IP] = VIOLATION "v.ip = ?1" IN_UNIT("v.unit_id") NEWEST,
    [SS_VIOLATION_MAC] = VIOLATION "v.mac = ?1" IN_UNIT("v.unit_id") NEWEST,
};

static const char *col_text(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t ? t : "";
}

int store_search(struct sconn *c, enum search_sql q, const char *text, int64_t num, int64_t unit,
                 int limit, search_row_fn fn, void *ctx, struct zw_err *err)
{
	if ((unsigned)q >= SS_COUNT)
		return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	sqlite3_stmt *s = sq_prepare(c, sql[q], err);
	if (!s)
		return -ZW_EINTERNAL;
	/* a statement names only the parameters it uses; binding the others is refused (and
	 * harmless) */
	sq_text(s, 1, text ? text : "");
	sqlite3_bind_int64(s, 2, num);
	sqlite3_bind_int64(s, 3, unit);
	sqlite3_bind_int(s, 4, limit);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct search_row r = {
		    .id = sqlite3_column_int64(s, 0),
		    .unit_id = sqlite3_column_int64(s, 1),
		    .n = sqlite3_column_int64(s, 3),
		    .unit = (const char *)sqlite3_column_text(s, 2),
		};
		for (int i = 0; i < SEARCH_ROW_COLS; i++)
			r.t[i] = col_text(s, 4 + i);
		if (fn(&r, ctx) < 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "search");
}
