/* Violations' steps, isolations and joined findings, as rows. */
#include "store/violation_sql.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/inet.h"
#include "core/parse.h"
#include "store/store_int.h"

static int one_int(struct sconn *c, sqlite3_stmt *s, int64_t *out, const char *what,
                   struct zw_err *err)
{
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, what);
}

int store_offences(struct sconn *c, int64_t unit_id, const char *behaviour, int64_t since,
                   struct offences *o, struct zw_err *err)
{
	memset(o, 0, sizeof(*o));
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "WITH v AS (SELECT offence, state, created_at FROM violations WHERE unit_id = ?1 AND"
	    " behaviour = ?2 AND created_at >= ?3 AND state != 'dismissed'),"
	    " last AS (SELECT max(offence) AS n FROM v)"
	    " SELECT (SELECT count(DISTINCT offence) FROM v), last.n,"
	    " (SELECT min(created_at) FROM v WHERE offence = last.n),"
	    " (SELECT count(*) FROM v WHERE offence = last.n AND state != 'open'),"
	    " (SELECT count(*) FROM v WHERE offence = last.n AND state IN"
	    " ('reconnected','closed','revoked')) FROM last",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sq_text(s, 2, behaviour);
	sqlite3_bind_int64(s, 3, since);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		o->count = sqlite3_column_int64(s, 0);
		o->last = sqlite3_column_int64(s, 1);
		o->last_began = sqlite3_column_int64(s, 2);
		o->last_notified = sqlite3_column_int64(s, 3) > 0;
		o->last_ended = sqlite3_column_int64(s, 4) > 0;
	}
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "offences");
}

int store_active_violation(struct sconn *c, int64_t unit_id, const char *behaviour, const char *mac,
                           const char *ip, int64_t *id, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT id FROM violations WHERE unit_id = ?1 AND behaviour = ?2 AND state IN"
	    " ('open','notified','isolated','rectifying','verified') AND"
	    " ((?3 != '' AND mac = ?3) OR (?4 != '' AND ip = ?4) OR (?3 = '' AND ?4 = ''))"
	    " ORDER BY id LIMIT 1",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sq_text(s, 2, behaviour);
	sqlite3_bind_text(s, 3, mac ? mac : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, ip ? ip : "", -1, SQLITE_STATIC);
	return one_int(c, s, id, "active violation", err);
}

int store_violation_event(struct sconn *c, int64_t violation_id, int64_t at, const char *action,
                          const char *from, const char *to, const char *actor, const char *role,
                          const char *reason, const char *clause, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "INSERT INTO violation_events (violation_id, at, action,"
	                             " from_state, to_state, actor, actor_role, reason, clause)"
	                             " VALUES (?,?,?,?,?,?,?,?,?)",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, violation_id);
	sqlite3_bind_int64(s, 2, at);
	sq_text(s, 3, action);
	sq_text(s, 4, from);
	sq_text(s, 5, to);
	sq_text(s, 6, actor);
	sq_text(s, 7, role);
	sq_text(s, 8, reason ? reason : "");
	sq_text(s, 9, clause ? clause : "");
	return sq_exec_stmt(c, s, err);
}

static const char *col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	return v ? v : "";
}

int store_violation_events(struct sconn *c, int64_t violation_id, json_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, at, action, from_state, to_state, actor,"
	                             " actor_role, reason, clause FROM violation_events"
	                             " WHERE violation_id = ? ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, violation_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char at[32];
		format_time(sqlite3_column_int64(s, 1), at);
		json_array_append_new(
		    out,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		              (json_int_t)sqlite3_column_int64(s, 0), "at", at, "action", col(s, 2),
		              "from_state", col(s, 3), "to_state", col(s, 4), "actor", col(s, 5),
		              "actor_role", col(s, 6), "reason", col(s, 7), "clause", col(s, 8)));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "violation events");
}

int store_finding_join(struct sconn *c, int64_t finding_id, int64_t violation_id, int64_t now,
                       struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE findings SET status = 'violation', violation_id = ?2,"
	                             " updated_at = ?3, rev = rev + 1 WHERE id = ?1",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, finding_id);
	sqlite3_bind_int64(s, 2, violation_id);
	sqlite3_bind_int64(s, 3, now);
	return sq_exec_stmt(c, s, err);
}

int store_findings_of_case(struct sconn *c, int64_t violation_id, const char *status, int64_t now,
                           struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "UPDATE findings SET status = ?2, updated_at = ?3,"
	               " rev = rev + 1 WHERE violation_id = ?1 AND status = 'violation'",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, violation_id);
	sq_text(s, 2, status);
	sqlite3_bind_int64(s, 3, now);
	return sq_exec_stmt(c, s, err);
}

int store_finding_status(struct sconn *c, int64_t id, char *status, size_t n, int64_t *unit_id,
                         struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT status, unit_id FROM findings WHERE id = ?", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(status, n, "%s", col(s, 0));
		*unit_id = sqlite3_column_int64(s, 1);
	}
	sq_done(c, s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? zw_errf(err, ZW_ENOTFOUND, NULL, "监测发现不存在")
	                         : sq_fail(c, err, "finding status");
}

int store_finding_dismiss(struct sconn *c, int64_t id, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE findings SET status = 'dismissed', updated_at = ?2,"
	                             " rev = rev + 1 WHERE id = ?1 AND status = 'open'",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return sq_exec_stmt(c, s, err);
}

int store_unit_blocks(struct sconn *c, int64_t unit_id,
                      int (*fn)(int family, const char *cidr, void *arg), void *arg,
                      struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT p.family, p.cidr FROM prefixes p WHERE p.unit_id = ?1 AND NOT EXISTS"
	               " (SELECT 1 FROM prefixes q WHERE q.unit_id = ?1 AND q.family = p.family AND"
	               " q.length < p.length AND q.first <= p.first AND q.last >= p.last)"
	               " ORDER BY p.family, p.first",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	int rc, frc = 0;
	while (!frc && (rc = sqlite3_step(s)) == SQLITE_ROW)
		frc = fn(sqlite3_column_int(s, 0), col(s, 1), arg);
	sq_done(c, s);
	if (frc)
		return frc;
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "unit blocks");
}

int store_isolation_add(struct sconn *c, int64_t violation_id, int64_t unit_id, const char *kind,
                        const char *value, const char *reason, const char *clause, int64_t now,
                        struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "INSERT INTO isolations (violation_id, unit_id, kind, value,"
	                             " reason, clause, created_at) VALUES (?,?,?,?,?,?,?)",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	if (violation_id)
		sqlite3_bind_int64(s, 1, violation_id);
	else
		sqlite3_bind_null(s, 1);
	sqlite3_bind_int64(s, 2, unit_id);
	sq_text(s, 3, kind);
	sq_text(s, 4, value);
	sq_text(s, 5, reason ? reason : "");
	sq_text(s, 6, clause ? clause : "");
	sqlite3_bind_int64(s, 7, now);
	return sq_exec_stmt(c, s, err);
}

int store_hand_isolations_lift(struct sconn *c, int64_t unit_id, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE isolations SET removed_at = ?2 WHERE unit_id = ?1"
	                             " AND violation_id IS NULL AND removed_at = 0",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int64(s, 2, now);
	return sq_exec_stmt(c, s, err);
}

int store_violation_clause(struct sconn *c, int64_t id, char *out, size_t n, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT coalesce(nullif(sanction_clause, ''), clause)"
	                             " FROM violations WHERE id = ?",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	snprintf(out, n, "%s", rc == SQLITE_ROW ? col(s, 0) : "");
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "violation clause");
}

int store_isolations_lift(struct sconn *c, int64_t violation_id, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE isolations SET removed_at = ?2 WHERE violation_id = ?1"
	                             " AND removed_at = 0",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, violation_id);
	sqlite3_bind_int64(s, 2, now);
	return sq_exec_stmt(c, s, err);
}

int store_isolations_of(struct sconn *c, int64_t violation_id, json_t *out, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT id, kind, value, created_at, removed_at FROM isolations"
	               " WHERE violation_id = ? ORDER BY id",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, violation_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char at[32], removed[32];
		format_time(sqlite3_column_int64(s, 3), at);
		int64_t r = sqlite3_column_int64(s, 4);
		if (r)
			format_time(r, removed);
		json_array_append_new(out,
		                      json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
		                                (json_int_t)sqlite3_column_int64(s, 0), "kind",
		                                col(s, 1), "value", col(s, 2), "since", at,
		                                "lifted", r ? json_string(removed) : json_null()));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "isolations");
}

int store_unit_isolated(struct sconn *c, int64_t unit_id, int64_t except, int64_t *case_id,
                        int64_t *hand, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               "SELECT coalesce(min(id), 0) FROM violations WHERE unit_id = ?1 AND id != ?2"
	               " AND isolated_scope = 'unit' AND state IN ('isolated',"
	               " 'rectifying', 'verified', 'revoked')",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int64(s, 2, except);
	int rc = one_int(c, s, case_id, "unit isolated", err);
	if (rc)
		return rc;
	s = sq_prepare(c,
	               "SELECT count(*) FROM isolations WHERE unit_id = ? AND violation_id IS NULL"
	               " AND removed_at = 0",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	return one_int(c, s, hand, "unit isolated by hand", err);
}

int store_enforce_generation(struct sconn *c, int64_t *gen, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT n FROM enforce_generation WHERE id = 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	return one_int(c, s, gen, "enforce generation", err);
}

int store_isolations_active(struct sconn *c, json_t *sets, json_t *entries, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "SELECT i.kind, i.value, i.violation_id, i.unit_id, u.name, i.created_at, i.reason,"
	    " i.clause"
	    " FROM isolations i LEFT JOIN units u ON u.id = i.unit_id WHERE i.removed_at = 0"
	    " ORDER BY i.kind, i.value, i.id",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	char last[96] = "";
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = col(s, 0), *value = col(s, 1);
		char key[96];
		snprintf(key, sizeof(key), "%s %s", kind, value);
		if (strcmp(key, last) != 0) /* one element per value, however many cases */
			json_array_append_new(json_object_get(sets, kind), json_string(value));
		snprintf(last, sizeof(last), "%s", key);
		if (!entries)
			continue;
		char at[32];
		format_time(sqlite3_column_int64(s, 5), at);
		/* violation_id null: the unit's own suspension or revocation by hand */
		json_t *e =
		    json_pack("{s:s, s:s, s:o, s:I, s:s, s:s, s:s, s:s}", "kind", kind, "value",
		              value, "violation_id",
		              sqlite3_column_type(s, 2) == SQLITE_NULL
		                  ? json_null()
		                  : json_integer(sqlite3_column_int64(s, 2)),
		              "unit_id", (json_int_t)sqlite3_column_int64(s, 3), "unit_name",
		              col(s, 4), "since", at, "reason", col(s, 6), "clause", col(s, 7));
		json_array_append_new(entries, e);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "active isolations");
}

int store_enforcer_report(struct sconn *c, const struct enforcer_row *r, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c,
	    "INSERT INTO enforcers (name, user_id, source, first_seen, last_seen, generation, ok,"
	    " applied, error) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT (name) DO UPDATE SET user_id = ?2, source = ?3, last_seen = ?4,"
	    " generation = ?5, ok = ?6, applied = ?7, error = ?8",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, r->name);
	sq_id(s, 2, r->user_id);
	sq_text(s, 3, r->source);
	sqlite3_bind_int64(s, 4, r->now);
	sqlite3_bind_int64(s, 5, r->generation);
	sqlite3_bind_int(s, 6, r->ok);
	sq_text(s, 7, r->applied);
	sq_text(s, 8, r->error);
	return sq_exec_stmt(c, s, err);
}

int store_enforcers(struct sconn *c, json_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT name, source, first_seen, last_seen, generation, ok,"
	                             " applied, error FROM enforcers ORDER BY name",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char first[32], last[32];
		format_time(sqlite3_column_int64(s, 2), first);
		format_time(sqlite3_column_int64(s, 3), last);
		json_t *applied = json_loads(col(s, 6), 0, NULL);
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:s}", "name", col(s, 0),
		                   "source", col(s, 1), "first_seen", first, "last_seen", last,
		                   "generation", (json_int_t)sqlite3_column_int64(s, 4), "ok",
		                   sqlite3_column_int(s, 5), "applied",
		                   applied ? applied : json_object(), "error", col(s, 7)));
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "enforcers");
}

int store_radius_facts(struct sconn *c, const char *mac, struct radius_facts *f, struct zw_err *err)
{
	memset(f, 0, sizeof(*f));
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT t.id, t.unit_id, t.ip, u.status FROM terminals t"
	                             " JOIN units u ON u.id = t.unit_id WHERE t.mac = ?",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, mac);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		f->terminal_id = sqlite3_column_int64(s, 0);
		f->unit_id = sqlite3_column_int64(s, 1);
		snprintf(f->ip, sizeof(f->ip), "%s", col(s, 2));
		snprintf(f->unit_status, sizeof(f->unit_status), "%s", col(s, 3));
	}
	sq_done(c, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, err, "radius terminal");
	/* an isolation of the MAC or of the terminal's address, or of its whole unit */
	s = sq_prepare(c,
	               "SELECT violation_id FROM isolations WHERE removed_at = 0 AND"
	               " ((kind = 'mac' AND value = ?1) OR (kind IN ('ip4', 'ip6') AND value = ?2)"
	               " OR (?3 != 0 AND unit_id = ?3 AND kind IN ('net4', 'net6')))"
	               " ORDER BY id LIMIT 1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, mac);
	sq_text(s, 2, f->ip);
	sqlite3_bind_int64(s, 3, f->unit_id);
	if ((rc = one_int(c, s, &f->violation_id, "radius isolation", err)))
		return rc;
	if (!f->unit_id)
		return 0;
	/* the VLAN of the subnet holding the terminal's address, else the unit's own */
	int fam;
	u128 a;
	uint8_t blob[16];
	bool has_ip = inet_parse_addr(f->ip, &fam, &a) == 0;
	if (has_ip)
		inet_to_bytes(a, blob);
	s = sq_prepare(c,
	               "SELECT vid FROM (SELECT v.vid, 0 AS k, p.length AS l FROM prefixes p"
	               " JOIN vlans v ON v.id = p.vlan_id WHERE p.unit_id = ?1 AND ?2 IS NOT NULL"
	               " AND p.first <= ?2 AND p.last >= ?2 UNION ALL SELECT vid, 1, 0 FROM vlans"
	               " WHERE unit_id = ?1) ORDER BY k, l DESC, vid LIMIT 1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, f->unit_id);
	if (has_ip)
		sqlite3_bind_blob(s, 2, blob, 16, SQLITE_TRANSIENT);
	return one_int(c, s, &f->vid, "radius vlan", err);
}

int store_snmp_devices(struct sconn *c, json_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id, name, mgmt_ip, snmp_version, snmp_community,"
	                             " snmp_user, snmp_auth_key, snmp_priv_key FROM devices"
	                             " WHERE snmp_version != 'none' AND mgmt_ip IS NOT NULL"
	                             " ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *d =
		    json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		              (json_int_t)sqlite3_column_int64(s, 0), "name", col(s, 1), "mgmt_ip",
		              col(s, 2), "snmp_version", col(s, 3), "user", col(s, 5));
		static const char *const keys[] = {"community", "auth_key", "priv_key"};
		static const int cols[] = {4, 6, 7};
		for (int k = 0; k < 3; k++)
			json_object_set_new(d, keys[k],
			                    sqlite3_column_type(s, cols[k]) == SQLITE_NULL
			                        ? json_null()
			                        : json_string(col(s, cols[k])));
		json_array_append_new(out, d);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "snmp devices");
}
