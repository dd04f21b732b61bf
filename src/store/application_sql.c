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

int store_open_deadlines(struct sconn *c, const char *subject_type, int64_t subject_id,
                         const char *rule, int64_t *ids, size_t max, size_t *n, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id FROM deadlines WHERE subject_type = ?1 AND"
	                             " subject_id = ?2 AND status IN ('running', 'paused') AND"
	                             " (?3 IS NULL OR rule = ?3) ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, subject_type);
	sqlite3_bind_int64(s, 2, subject_id);
	sq_text(s, 3, rule);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return done_rows(c, s, rc, err, "open deadlines");
}

static int deadline_row(const void *rec, void *ctx)
{
	json_array_append_new(ctx, rec_to_json(&deadline_schema, rec));
	return 0;
}

int store_subject_deadlines(struct sconn *c, const char *subject_type, int64_t subject_id,
                            json_t *out, struct zw_err *err)
{
	struct list_query q = {.limit = 100, .sort = "id", .sort_int = true, .nf = 2};
	q.f[0] = (struct lq_filter){.col = "subject_type", .val = subject_type, .op = LQ_EQ};
	q.f[1] = (struct lq_filter){.col = "subject_id", .ival = subject_id, .op = LQ_EQ_INT};
	struct list_page page = {0};
	return store_rec_scan(c, "deadlines", &deadline_schema, &q, deadline_row, out, &page, err);
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
