#include "store/outage_sql.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/parse.h"
#include "core/xalloc.h"
#include "store/store_int.h"

int store_outage_targets(struct sconn *c, struct outage_target **out, size_t *n, struct zw_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT u.id, u.name,"
	    " (SELECT p.gateway FROM prefixes p WHERE p.unit_id = u.id AND p.gateway IS NOT NULL"
	    "  AND p.gateway != '' ORDER BY p.id LIMIT 1),"
	    " COALESCE(h.id, 0),"
	    " (SELECT CASE WHEN COUNT(*) = 1 THEN MIN(l.id) END FROM lines l"
	    "  WHERE l.unit_id = u.id AND l.status = '在用'),"
	    " (SELECT CASE WHEN COUNT(*) = 1 THEN MIN(l.carrier_id) END FROM lines l"
	    "  WHERE l.unit_id = u.id AND l.status = '在用')"
	    " FROM units u LEFT JOIN unit_health h ON h.unit_id = u.id"
	    " WHERE u.status = '已接入' ORDER BY u.id",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct outage_target *t = &(*out)[(*n)++];
		t->unit_id = sqlite3_column_int64(s, 0);
		snprintf(t->name, sizeof(t->name), "%s", (const char *)sqlite3_column_text(s, 1));
		const char *gw = (const char *)sqlite3_column_text(s, 2);
		snprintf(t->address, sizeof(t->address), "%s", gw ? gw : "");
		t->health_id = sqlite3_column_int64(s, 3);
		t->line_id = sqlite3_column_int64(s, 4);
		t->carrier_id = sqlite3_column_int64(s, 5);
	}
	sq_done(c, s);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return sq_fail(c, err, "outage targets");
	}
	return 0;
}

int store_health_sample(struct sconn *c, int64_t unit_id, int64_t hour, bool ok, int64_t rtt_us,
                        struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "INSERT INTO health_samples (unit_id, hour, checks, fails, rtt_sum_us, rtt_max_us)"
	    " VALUES (?1, ?2, 1, ?3, ?4, ?4) ON CONFLICT (unit_id, hour) DO UPDATE SET"
	    " checks = checks + 1, fails = fails + ?3, rtt_sum_us = rtt_sum_us + ?4,"
	    " rtt_max_us = MAX(rtt_max_us, ?4)",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int64(s, 2, hour);
	sqlite3_bind_int(s, 3, ok ? 0 : 1);
	sqlite3_bind_int64(s, 4, ok ? rtt_us : 0);
	return sq_exec_stmt(c, s, err);
}

int store_health_trend(struct sconn *c, int64_t unit_id, int64_t from, json_t *arr,
                       struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT hour, checks, fails, rtt_sum_us, rtt_max_us FROM"
	               " health_samples WHERE unit_id = ? AND hour >= ? ORDER BY hour",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int64(s, 2, from);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char at[32];
		format_time(sqlite3_column_int64(s, 0), at);
		int64_t checks = sqlite3_column_int64(s, 1), fails = sqlite3_column_int64(s, 2);
		int64_t good = checks - fails;
		json_array_append_new(
		    arr, json_pack("{s:s, s:I, s:I, s:f, s:f}", "hour", at, "checks",
		                   (json_int_t)checks, "fails", (json_int_t)fails, "rtt_avg_ms",
		                   good ? (double)sqlite3_column_int64(s, 3) / (double)good / 1000.0
		                        : 0.0,
		                   "rtt_max_ms", (double)sqlite3_column_int64(s, 4) / 1000.0));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "health trend");
}

int store_health_prune(struct sconn *c, int64_t before, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "DELETE FROM health_samples WHERE hour < ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, before);
	return sq_exec_stmt(c, s, err);
}

int store_open_backbone_ticket(struct sconn *c, int64_t unit_id, int64_t *id, struct zw_err *err)
{
	*id = 0;
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT id FROM tickets WHERE unit_id = ? AND location ="
	               " 'backbone' AND state IN ('reported','dispatched','repairing',"
	               "'paused') ORDER BY id LIMIT 1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "open ticket");
}
