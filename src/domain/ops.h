/*
 * ops: what keeps the server itself in order, run by the scheduler.
 *
 * Once a day, at the first step after the backup time (Beijing time), the scheduled backup
 * (domain/backup.h) and the daily notice to the managers: the audit chain's head, so that a
 * copy kept elsewhere (a mail box, a printout) can later prove with `zwnet audit verify
 * --head` that a database holds the whole log up to that day, and how the backup went.
 * A day's notice is raised once, in the transaction that records the day as done.
 *
 * Every step, the free space of the database's disk: below the threshold the managers are
 * told once (and once more when it has recovered), and /health says degraded.
 */
#ifndef ZW_DOMAIN_OPS_H
#define ZW_DOMAIN_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/metrics_sql.h"
#include "store/store.h"

struct ops_cfg {
	const char *db_path;    /* the database file (its disk is watched) */
	const char *keyfile;    /* its key file, copied with each backup */
	const char *backup_dir; /* "" = no scheduled backup (the daily notice still goes) */
	int backup_minute;      /* minutes after midnight, Beijing time; -1: no daily step */
	int backup_keep;
	int64_t disk_min_free_mb; /* 0 = no disk check */
};

/* MiB free (for an unprivileged process) on the disk of path, or -1 when unknown. */
int64_t ops_disk_free_mb(const char *path);

/* Is the disk of cfg->db_path below its threshold? (false when there is none) */
bool ops_disk_low(const struct ops_cfg *cfg, int64_t *free_mb);

/* One scheduler step: the day's backup and notice when due, the disk check. Returns how
 * many events were raised, or -code. */
int ops_step(struct store *st, const struct ops_cfg *cfg, int64_t now, struct zw_err *err);

/* What GET /metrics tells of the database: its size and the outbox (store/metrics_sql.h), the
 * cases and applications still being handled, each by every state or status one can be
 * handled in (0 included, so that no series comes and goes), keys being the codes ("open",
 * "submitted"). Only for a principal that may read the metrics (ACT_METRICS_READ). */
struct ops_count {
	const char *key; /* static */
	int64_t n;
};
struct ops_gauges {
	struct store_gauges db;
	struct ops_count cases[STORE_GROUPS_MAX], applications[STORE_GROUPS_MAX];
	size_t ncases, napplications;
};
struct ctx;
int ops_gauges(const struct ctx *x, struct ops_gauges *g, struct zw_err *err);

#endif
