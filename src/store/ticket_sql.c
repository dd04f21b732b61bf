#include "store/ticket_sql.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

int store_unit_lines(struct sconn *c, int64_t unit_id, int64_t *line, int *n, struct zw_err *err)
{
	*line = 0;
	*n = 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id FROM lines WHERE unit_id = ? AND status = '在用'"
	                             " ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((*n)++ == 0)
			*line = sqlite3_column_int64(s, 0);
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "unit lines");
}

int store_ticket_sla_rows(struct sconn *c, int64_t from, int64_t to, int64_t carrier,
                          int (*fn)(const struct ticket_sla_row *r, void *arg), void *arg,
                          struct zw_err *err)
{
	/* a clock's time is from its start to when it was met, less the pauses (extension) */
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT t.carrier_id, t.site_class,"
	    " r.id, r.met_at - r.started_at - r.extension, r.met_at, r.status,"
	    " p.id, p.met_at - p.started_at - p.extension, p.met_at, p.status"
	    " FROM tickets t"
	    " LEFT JOIN deadlines r ON r.id = t.respond_deadline_id"
	    " LEFT JOIN deadlines p ON p.id = t.repair_deadline_id"
	    " WHERE t.location = 'backbone' AND t.state != 'cancelled'"
	    " AND t.reported_at >= ?1 AND t.reported_at < ?2 AND (?3 = 0 OR t.carrier_id = ?3)"
	    " ORDER BY t.id",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int64(s, 3, carrier);
	int rc, out = 0;
	while (!out && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ticket_sla_row r = {.carrier_id = sqlite3_column_int64(s, 0)};
		const char *cls = (const char *)sqlite3_column_text(s, 1);
		snprintf(r.site_class, sizeof(r.site_class), "%s", cls ? cls : "");
		for (int k = 0; k < 2; k++) {
			int b = 2 + 4 * k;
			r.has[k] = sqlite3_column_type(s, b) != SQLITE_NULL;
			const char *st = (const char *)sqlite3_column_text(s, b + 3);
			r.breached[k] = st && strcmp(st, "breached") == 0;
			r.took[k] = r.has[k] && sqlite3_column_int64(s, b + 2)
			                ? (sqlite3_column_int64(s, b + 1) + 59) / 60
			                : -1;
		}
		out = fn(&r, arg);
	}
	sq_done(c, s);
	if (out)
		return out;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "ticket SLA");
}
