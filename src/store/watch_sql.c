/* The registers as the rules read them, and the findings they raise. */
#include "store/watch_sql.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static int text_rows(struct sconn *c, const char *sql, int ncols, watch_row_fn fn, void *ctx,
                     struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	const char *cols[8];
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++)
			cols[i] = (const char *)sqlite3_column_text(s, i);
		if (fn(cols, ctx) < 0) {
			sq_done(c, s);
			return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
		}
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "watch rows");
}

int store_watch_terminals(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err)
{
	return text_rows(c, "SELECT id, unit_id, mac, ip, kind FROM terminals", 5, fn, ctx, err);
}

int store_watch_addresses(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err)
{
	/* a host address's MAC is its own, or its terminal's */
	return text_rows(c,
	                 "SELECT a.address, coalesce(a.mac, t.mac), a.unit_id, a.kind"
	                 " FROM addresses a LEFT JOIN terminals t ON t.id = a.terminal_id"
	                 " WHERE a.address IS NOT NULL",
	                 4, fn, ctx, err);
}

int store_watch_nets(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err)
{
	return text_rows(c,
	                 "SELECT id, unit_id, cidr, gateway, dns FROM prefixes"
	                 " WHERE unit_id IS NOT NULL",
	                 5, fn, ctx, err);
}

int store_watch_devices(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err)
{
	return text_rows(c, "SELECT id, unit_id, mgmt_ip, mac FROM devices", 4, fn, ctx, err);
}

int store_watch_counts(struct sconn *c, size_t *terminals, size_t *addresses, size_t *nets,
                       size_t *devices, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT (SELECT count(*) FROM terminals),"
	                             " (SELECT count(*) FROM addresses WHERE address IS NOT NULL),"
	                             " (SELECT count(*) FROM prefixes WHERE unit_id IS NOT NULL),"
	                             " (SELECT count(*) FROM devices)",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*terminals = (size_t)sqlite3_column_int64(s, 0);
		*addresses = (size_t)sqlite3_column_int64(s, 1);
		*nets = (size_t)sqlite3_column_int64(s, 2);
		*devices = (size_t)sqlite3_column_int64(s, 3);
	}
	sq_done(c, s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, err, "watch counts");
}

int store_watch_generation(struct sconn *c, int64_t *gen, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT n FROM watch_generation WHERE id = 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc = sqlite3_step(s);
	*gen = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, err, "watch generation");
}

int store_finding_upsert(struct sconn *c, const struct finding_row *f, int64_t now, int64_t *id,
                         bool *created, bool *judge, struct zw_err *err)
{
	/* an open finding (or one joined to a case still being handled) of the same kind, MAC
	 * and address takes the new sighting; its evidence keeps the latest 20 */
	/* what it did not know yet (a device finding's address, its unit, its terminal) it
	 * takes from the sighting; one that now has a unit and is open without a case is to be
	 * judged again */
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "UPDATE findings SET last_seen = max(last_seen, ?2), count = count + 1, detail = ?3,"
	    " probe = ?4, evidence = json_insert(CASE WHEN json_array_length(evidence) >= 20"
	    " THEN json_remove(evidence, '$[0]') ELSE evidence END, '$[#]', json(?5)),"
	    " ip = coalesce(ip, ?7), unit_id = coalesce(unit_id, ?8),"
	    " terminal_id = coalesce(terminal_id, ?9),"
	    " updated_at = ?6, rev = rev + 1 WHERE dedup = ?1 AND status IN ('open', 'violation')"
	    " RETURNING id, status = 'open' AND unit_id IS NOT NULL AND violation_id IS NULL",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_text(s, 1, f->dedup, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, f->seen);
	sqlite3_bind_text(s, 3, f->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, f->probe, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, f->evidence, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, now);
	if (f->ip[0])
		sqlite3_bind_text(s, 7, f->ip, -1, SQLITE_STATIC);
	if (f->unit_id)
		sqlite3_bind_int64(s, 8, f->unit_id);
	if (f->terminal_id)
		sqlite3_bind_int64(s, 9, f->terminal_id);
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*judge = rc == SQLITE_ROW && sqlite3_column_int(s, 1);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sq_done(c, s);
	if (rc != SQLITE_DONE)
		return sq_fail(c, err, "finding update");
	*created = *id == 0;
	if (!*created)
		return 0;
	*judge = true;
	s = sq_prepare(
	    c,
	    "INSERT INTO findings (kind, behaviour, label, mac, ip, unit_id, terminal_id,"
	    " detail, probe, first_seen, last_seen, dedup, evidence, created_at,"
	    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11,"
	    " json_array(json(?12)), ?13, ?13)",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_text(s, 1, f->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, f->behaviour, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, f->label, -1, SQLITE_STATIC);
	if (f->mac[0])
		sqlite3_bind_text(s, 4, f->mac, -1, SQLITE_STATIC);
	if (f->ip[0])
		sqlite3_bind_text(s, 5, f->ip, -1, SQLITE_STATIC);
	if (f->unit_id)
		sqlite3_bind_int64(s, 6, f->unit_id);
	if (f->terminal_id)
		sqlite3_bind_int64(s, 7, f->terminal_id);
	sqlite3_bind_text(s, 8, f->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, f->probe, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 10, f->seen);
	sqlite3_bind_text(s, 11, f->dedup, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 12, f->evidence, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 13, now);
	rc = sqlite3_step(s);
	sq_done(c, s);
	*id = sqlite3_last_insert_rowid(c->db);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "finding insert");
}

int store_terminal_seen(struct sconn *c, int64_t id, int64_t first, int64_t last,
                        struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE terminals SET first_seen = CASE WHEN first_seen = 0"
	                             " OR first_seen > ?2 THEN ?2 ELSE first_seen END,"
	                             " last_seen = max(last_seen, ?3) WHERE id = ?1",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, first);
	sqlite3_bind_int64(s, 3, last);
	int rc = sqlite3_step(s);
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "terminal seen");
}

int store_probe_seen(struct sconn *c, const struct probe_row *p, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "INSERT INTO probes (name, user_id, source, first_seen, last_seen, batches,"
	    " observations, findings, spooled, dropped, addresses, leases, expired_leases, warning)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, 1, ?5, ?6, ?7, ?8, coalesce(?9, ''),"
	    " CASE WHEN ?10 THEN ?11 END, CASE WHEN ?10 THEN ?12 END, coalesce(?13, ''))"
	    " ON CONFLICT (name) DO UPDATE SET user_id = ?2,"
	    " source = ?3, last_seen = ?4, batches = batches + 1, observations = observations + ?5,"
	    " findings = findings + ?6, spooled = ?7, dropped = dropped + ?8,"
	    " addresses = coalesce(?9, addresses), leases = CASE WHEN ?10 THEN ?11 ELSE leases END,"
	    " expired_leases = CASE WHEN ?10 THEN ?12 ELSE expired_leases END,"
	    " warning = CASE WHEN ?10 THEN ?13 ELSE warning END",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_text(s, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, p->user_id);
	sqlite3_bind_text(s, 3, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, p->now);
	sqlite3_bind_int64(s, 5, p->observations);
	sqlite3_bind_int64(s, 6, p->findings);
	sqlite3_bind_int64(s, 7, p->spooled);
	sqlite3_bind_int64(s, 8, p->dropped);
	if (p->addresses)
		sqlite3_bind_text(s, 9, p->addresses, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 10, p->lease_read);
	sqlite3_bind_int64(s, 11, p->leases);
	sqlite3_bind_int64(s, 12, p->expired_leases);
	sqlite3_bind_text(s, 13, p->warning ? p->warning : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "probe seen");
}

int store_finding_evidence(struct sconn *c, int64_t id, char **json, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT evidence FROM findings WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*json = rc == SQLITE_ROW ? sq_dup(s, 0) : NULL;
	sq_done(c, s);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, NULL)
		                         : sq_fail(c, err, "finding evidence");
	return 0;
}

int store_probe_batch(struct sconn *c, const char *probe, const char *run, int64_t seq, int64_t now,
                      bool *again, struct zw_err *err)
{
	*again = false;
	sqlite3_stmt *s =
	    sq_prepare(c, "SELECT last_seq FROM probe_runs WHERE probe = ?1 AND run = ?2", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, probe);
	sq_text(s, 2, run);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*again = sqlite3_column_int64(s, 0) >= seq;
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : sq_fail(c, err, "probe_runs");
	sq_done(c, s);
	if (rc || *again)
		return rc;
	s = sq_prepare(c,
	               "INSERT INTO probe_runs (probe, run, last_seq, seen_at) VALUES (?1, ?2, ?3, "
	               "?4) ON CONFLICT (probe, run) DO UPDATE SET last_seq = excluded.last_seq, "
	               "seen_at = excluded.seen_at",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, probe);
	sq_text(s, 2, run);
	sqlite3_bind_int64(s, 3, seq);
	sqlite3_bind_int64(s, 4, now);
	return sq_exec_stmt(c, s, err);
}
