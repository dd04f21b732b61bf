/* violation_sql: the rows of violations' steps, their isolations and the findings they join. */
#ifndef ZW_STORE_VIOLATION_SQL_H
#define ZW_STORE_VIOLATION_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* A unit's offences of a behaviour among its cases created since `since` (dismissed ones
 * not counted): how many (distinct offence numbers), the latest one's number (0: none), when
 * its first case opened, whether the unit has been told of it (a case of it has left 'open':
 * notified, isolated, or further) and whether a case of it has ended (reconnected, closed,
 * revoked). */
struct offences {
	int64_t count, last, last_began;
	bool last_notified, last_ended;
};
int store_offences(struct sconn *c, int64_t unit_id, const char *behaviour, int64_t since,
                   struct offences *o, struct zw_err *err);
/* The unit's case for the behaviour still being handled that concerns the same MAC or
 * address (either may be empty), or 0. */
int store_active_violation(struct sconn *c, int64_t unit_id, const char *behaviour, const char *mac,
                           const char *ip, int64_t *id, struct zw_err *err);

int store_violation_event(struct sconn *c, int64_t violation_id, int64_t at, const char *action,
                          const char *from, const char *to, const char *actor, const char *role,
                          const char *reason, const char *clause, struct zw_err *err);
int store_violation_events(struct sconn *c, int64_t violation_id, json_t *out, struct zw_err *err);

/* Join a finding to its case (status 'violation'), or set the status of every finding of a
 * case ('resolved', 'dismissed'). */
int store_finding_join(struct sconn *c, int64_t finding_id, int64_t violation_id, int64_t now,
                       struct zw_err *err);
int store_findings_of_case(struct sconn *c, int64_t violation_id, const char *status, int64_t now,
                           struct zw_err *err);
/* The finding's status and unit (0 when it has none); -ZW_ENOTFOUND when there is none. */
int store_finding_status(struct sconn *c, int64_t id, char *status, size_t n, int64_t *unit_id,
                         struct zw_err *err);
int store_finding_dismiss(struct sconn *c, int64_t id, int64_t now, struct zw_err *err);

/* The unit's address blocks, outermost only (a block inside another of the unit's is covered
 * by it): fn gets family and CIDR. */
int store_unit_blocks(struct sconn *c, int64_t unit_id,
                      int (*fn)(int family, const char *cidr, void *arg), void *arg,
                      struct zw_err *err);

/* kind: ip4 ip6 mac net4 net6; violation_id 0: the unit's own isolation by hand (a suspension
 * or revocation of its status); reason and clause: why, on what. */
int store_isolation_add(struct sconn *c, int64_t violation_id, int64_t unit_id, const char *kind,
                        const char *value, const char *reason, const char *clause, int64_t now,
                        struct zw_err *err);
int store_isolations_lift(struct sconn *c, int64_t violation_id, int64_t now, struct zw_err *err);
/* Lift the unit's isolation by hand. */
int store_hand_isolations_lift(struct sconn *c, int64_t unit_id, int64_t now, struct zw_err *err);
int store_isolations_of(struct sconn *c, int64_t violation_id, json_t *out, struct zw_err *err);
/* What still cuts the whole unit off: *case_id, the first case other than `except` isolating
 * it (0: none); *hand, the unit's own isolations by hand in force. */
int store_unit_isolated(struct sconn *c, int64_t unit_id, int64_t except, int64_t *case_id,
                        int64_t *hand, struct zw_err *err);
/* The clause a case's steps rest on (its sanction's, else its behaviour's). */
int store_violation_clause(struct sconn *c, int64_t id, char *out, size_t n, struct zw_err *err);

/* ---- enforcement ---- */

int store_enforce_generation(struct sconn *c, int64_t *gen, struct zw_err *err);
/* The isolations in force: each value once into the array of its kind in sets (an object of
 * arrays ip4 ip6 mac net4 net6); every row with its case and unit into entries (if given). */
int store_isolations_active(struct sconn *c, json_t *sets, json_t *entries, struct zw_err *err);

struct enforcer_row {
	const char *name, *source, *applied, *error;
	int64_t user_id, now, generation;
	bool ok;
};
int store_enforcer_report(struct sconn *c, const struct enforcer_row *r, struct zw_err *err);
int store_enforcers(struct sconn *c, json_t *out, struct zw_err *err);

/* The devices to poll over SNMP, their credentials still sealed. */
int store_snmp_devices(struct sconn *c, json_t *out, struct zw_err *err);

/* What RADIUS needs to know of a MAC: its terminal and unit (0 when unregistered), the case
 * that isolates it (0 when none) and the VLAN its unit's subnet is on (0 when none). */
struct radius_facts {
	int64_t terminal_id, unit_id, violation_id, vid;
	char ip[46], unit_status[32];
};
int store_radius_facts(struct sconn *c, const char *mac, struct radius_facts *f,
                       struct zw_err *err);

#endif
