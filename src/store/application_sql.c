/* SQL of the applications (domain/application.c): port rows, events, deadlines of a subject,
 * a unit's rows for 拆机, and the ports register for the firewall export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "domain/org/unit.h"
#include "domain/access/application.h"
#include "domain/deadline.h"
#include "store/rec.h"
#include "store/store_int.h"
#include "core/xalloc.h"
#include "store/application_sql.h"

static int done_rows(struct sconn *c, sqlite3_stmt *s, int rc, struct zw_err *err, const char *what)
{
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, what);
}

int store_app_port_insert(struct sconn *c, const struct app_port *p, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "INSERT INTO application_ports (application_id, exposure,"
	                             " protocol, port, target_ip, purpose) VALUES (?,?,?,?,?,?)",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, p->application_id);
	sq_text(s, 2, p->exposure);
	sq_text(s, 3, p->protocol);
	sqlite3_bind_int64(s, 4, p->port);
	sq_text(s, 5, p->target_ip);
	sq_text(s, 6, p->purpose);
	return sq_exec_stmt(c, s, err);
}

int store_app_ports(struct sconn *c, int64_t application_id, struct app_port **out, size_t *n,
                    struct zw_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, exposure, protocol, port, target_ip, purpose"
	                             " FROM application_ports WHERE application_id = ? ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, application_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct app_port *p = &(*out)[(*n)++];
		*p = (struct app_port){.id = sqlite3_column_int64(s, 0),
		                       .application_id = application_id,
		                       .port = sqlite3_column_int64(s, 3)};
		p->exposure = sq_dup(s, 1);
		p->protocol = sq_dup(s, 2);
		p->target_ip = sq_dup(s, 4);
		p->purpose = sq_dup(s, 5);
	}
	return done_rows(c, s, rc, err, "application ports");
}

int store_app_event(struct sconn *c, int64_t application_id, int64_t at, const char *action,
                    const char *from, const char *to, int64_t step, const char *actor,
                    const char *role, const char *reason, const char *clause, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "INSERT INTO application_events (application_id, at, action, from_status,"
	               " to_status, step, actor, actor_role, reason, clause)"
	               " VALUES (?,?,?,?,?,?,?,?,?,?)",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, application_id);
	sqlite3_bind_int64(s, 2, at);
	sq_text(s, 3, action);
	sq_text(s, 4, from);
	sq_text(s, 5, to);
	sqlite3_bind_int64(s, 6, step);
	sq_text(s, 7, actor);
	sq_text(s, 8, role);
	sq_text(s, 9, reason);
	sq_text(s, 10, clause);
	return sq_exec_stmt(c, s, err);
}

int store_app_events(struct sconn *c, int64_t application_id, json_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, at, action, from_status, to_status, step, actor,"
	                             " actor_role, reason, clause FROM application_events"
	                             " WHERE application_id = ? ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, application_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char at[32];
		format_time(sqlite3_column_int64(s, 1), at);
		json_array_append_new(
		    out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id",
		                   (json_int_t)sqlite3_column_int64(s, 0), "at", at, "action",
		                   (const char *)sqlite3_column_text(s, 2), "from_status",
		                   (const char *)sqlite3_column_text(s, 3), "to_status",
		                   (const char *)sqlite3_column_text(s, 4), "step",
		                   (json_int_t)sqlite3_column_int64(s, 5), "actor",
		                   (const char *)sqlite3_column_text(s, 6), "actor_role",
		                   (const char *)sqlite3_column_text(s, 7), "reason",
		                   (const char *)sqlite3_column_text(s, 8), "clause",
		                   (const char *)sqlite3_column_text(s, 9)));
	}
	return done_rows(c, s, rc, err, "application events");
}

int store_contact_of_role(struct sconn *c, int64_t unit_id, const char *role, int64_t *id,
                          struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT id FROM contacts WHERE unit_id = ? AND role = ? ORDER BY id LIMIT 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sq_text(s, 2, role);
	*id = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	return done_rows(c, s, rc, err, "contact of role");
}

int store_free_vid(struct sconn *c, int64_t from, int64_t *vid, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT vid FROM vlans WHERE vid >= ? ORDER BY vid", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, from);
	int64_t next = from;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_int64(s, 0) == next)
		next++;
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	*vid = next <= 4094 ? next : 0;
	return done_rows(c, s, rc, err, "free vid");
}

int store_unit_rows(struct sconn *c, const char *table, int64_t unit_id, int64_t *ids, size_t max,
                    size_t *n, struct zw_err *err)
{
	const char *sql =
	    strcmp(table, "addresses") == 0
	        ? "SELECT id FROM addresses WHERE unit_id = ?1 OR prefix_id IN"
	          " (SELECT id FROM prefixes WHERE unit_id = ?1) ORDER BY id"
	    : strcmp(table, "prefixes") == 0
	        ? "SELECT id FROM prefixes WHERE unit_id = ?1 ORDER BY length DESC, id"
	    : strcmp(table, "vlans") == 0 ? "SELECT id FROM vlans WHERE unit_id = ?1 ORDER BY id"
	    : strcmp(table, "lines") == 0
	        ? "SELECT id FROM lines WHERE unit_id = ?1 AND status <> '已拆除' ORDER BY id"
	        : NULL;
	if (!sql)
		return zw_errf(err, ZW_EINTERNAL, NULL, "unknown table %s", table);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) {
			sq_done(c, s);
			return zw_errf(err, ZW_ECONFLICT, NULL,
			               "单位的 %s 记录超过 %zu 条，请先分批处理", table, max);
		}
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	}
	return done_rows(c, s, rc, err, "unit rows");
}

int store_ports_scan(struct sconn *c, int64_t unit_id, port_row_fn fn, void *ctx,
                     struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT p.id, p.exposure, p.protocol, p.port, p.target_ip, p.purpose,"
	               " p.unit_id, u.name, p.review_on, coalesce(p.application_id, 0)"
	               " FROM ports p JOIN units u ON u.id = p.unit_id"
	               " WHERE (?1 = 0 OR p.unit_id = ?1)"
	               " ORDER BY p.exposure, p.target_ip, p.protocol, p.port",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc, frc = 0;
	while (!frc && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct app_port p = {.id = sqlite3_column_int64(s, 0),
		                     .port = sqlite3_column_int64(s, 3),
		                     .application_id = sqlite3_column_int64(s, 9)};
		p.exposure = (char *)sqlite3_column_text(s, 1);
		p.protocol = (char *)sqlite3_column_text(s, 2);
		p.target_ip = (char *)sqlite3_column_text(s, 4);
		p.purpose = (char *)sqlite3_column_text(s, 5);
		frc = fn(&p, sqlite3_column_int64(s, 6), (const char *)sqlite3_column_text(s, 7),
		         (const char *)sqlite3_column_text(s, 8), ctx);
	}
	if (frc) {
		sq_done(c, s);
		return frc;
	}
	return done_rows(c, s, rc, err, "ports");
}

int store_unit_access_approved(struct sconn *c, int64_t unit_id, bool *yes, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT 1 FROM applications WHERE unit_id = ? AND kind = 'access'"
	               " AND status IN ('实施中', '已办结') LIMIT 1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return done_rows(c, s, rc, err, "access approved");
}
