/* watch_sql: the registers read by the rules (watch/), row by row as text columns. */
#ifndef ZW_STORE_WATCH_SQL_H
#define ZW_STORE_WATCH_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

typedef int (*watch_row_fn)(const char *const *cols, void *ctx);

/* id, unit_id, mac, ip, kind */
int store_watch_terminals(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err);
/* address, mac (its own or its terminal's), unit_id, kind */
int store_watch_addresses(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err);
/* id, unit_id, cidr, gateway, dns: every prefix allocated to a unit */
int store_watch_nets(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err);
/* id, unit_id, mgmt_ip, mac: every registered device */
int store_watch_devices(struct sconn *c, watch_row_fn fn, void *ctx, struct zw_err *err);
/* How many rows the four reads above will give (to size the maps). */
int store_watch_counts(struct sconn *c, size_t *terminals, size_t *addresses, size_t *nets,
                       size_t *devices, struct zw_err *err);
/* The registers' change count: table watch_generation, bumped by triggers. */
int store_watch_generation(struct sconn *c, int64_t *gen, struct zw_err *err);

/* A finding as stored: text already formatted by the caller. */
struct finding_row {
	const char *dedup, *kind, *behaviour, *label, *detail, *probe, *evidence;
	char mac[18], ip[46];
	int64_t unit_id, terminal_id, seen;
};
/* Record a sighting: the open finding with the same dedup key takes it (and the address, unit
 * and terminal it did not know), else a new one. *judge: the finding is new, or open without
 * a case and has a unit now. */
int store_finding_upsert(struct sconn *c, const struct finding_row *f, int64_t now, int64_t *id,
                         bool *created, bool *judge, struct zw_err *err);
int store_finding_evidence(struct sconn *c, int64_t id, char **json, struct zw_err *err);

/* A registered terminal seen on the wire from first to last (Unix seconds): its first_seen
 * and last_seen widen to take them (the register's own revision does not move). */
int store_terminal_seen(struct sconn *c, int64_t id, int64_t first, int64_t last,
                        struct zw_err *err);

struct probe_row {
	const char *name, *source;
	const char *addresses; /* its own host's MACs and addresses; NULL: as before */
	bool lease_read;       /* a lease reader's batch: its last read's counts and warning */
	int64_t leases, expired_leases;
	const char *warning;
	int64_t user_id, now, observations, findings, spooled, dropped;
};
int store_probe_seen(struct sconn *c, const struct probe_row *p, struct zw_err *err);
/* A probe's batch seq of run: *again when it (or a later one of that run) was taken before;
 * else it is recorded as taken, in the caller's transaction. A run's batches come in order
 * (the spool sends the oldest first), so the highest taken is all there is to keep. */
int store_probe_batch(struct sconn *c, const char *probe, const char *run, int64_t seq, int64_t now,
                      bool *again, struct zw_err *err);

#endif
