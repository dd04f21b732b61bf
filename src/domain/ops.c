#include "domain/ops.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "core/log.h"
#include "core/text.h"
#include "domain/access/application.h"
#include "domain/backup.h"
#include "domain/ctx.h"
#include "domain/violation/violation.h"
#include "store/audit_sql.h"
#include "store/idem_sql.h"
#include "store/notify_sql.h"

int64_t ops_disk_free_mb(const char *path)
{
	char dir[BACKUP_PATH];
	backup_dir_of(path, dir, sizeof(dir));
	struct statvfs v;
	if (statvfs(dir, &v) < 0)
		return -1;
	return (int64_t)((unsigned long long)v.f_bavail * v.f_frsize / (1024 * 1024));
}

bool ops_disk_low(const struct ops_cfg *cfg, int64_t *free_mb)
{
	*free_mb = cfg->disk_min_free_mb ? ops_disk_free_mb(cfg->db_path) : -1;
	return cfg->disk_min_free_mb && *free_mb >= 0 && *free_mb < cfg->disk_min_free_mb;
}

/* Raise one event and set (or clear) a meta key in one transaction. */
static int raise(struct store *st, const char *kind, json_t *payload, const char *key,
                 const char *value, int64_t now, struct zw_err *err)
{
	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (!rc) {
		struct sconn *c = store_tx_conn(tx);
		rc = store_outbox_event(c, kind, "system", 0, 0, NULL, text, NULL, now, err);
		if (!rc)
			rc = store_meta_put(c, key, value, err);
		if (rc)
			store_rollback(tx);
		else
			rc = store_commit(tx, err);
	}
	free(text);
	return rc;
}

static int daily(struct store *st, const struct ops_cfg *cfg, const char *date, int64_t now,
                 struct zw_err *err)
{
	json_t *p = json_pack("{s:s}", "date", date);
	/* a set of today's in the folder already (zwnet-backup.timer, an operator's zwnet
	 * backup) is the day's backup: said, not taken twice */
	char latest[BACKUP_PATH], stamp[16];
	snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2s", date, date + 5, date + 8);
	const char *base = NULL;
	if (*cfg->backup_dir && backup_latest(cfg->backup_dir, latest, sizeof(latest), NULL) == 0 &&
	    *latest) {
		base = strrchr(latest, '/');
		base = base ? base + 1 : latest;
	}
	json_t *m =
	    base && strncmp(base + 6, stamp, 8) == 0 ? json_load_file(latest, 0, NULL) : NULL;
	if (m) {
		json_t *h = json_object_get(m, "audit_head");
		json_object_set_new(
		    p, "backup",
		    json_pack("{s:s, s:O, s:O, s:O}", "manifest", latest, "bytes",
		              json_object_get(json_object_get(m, "database"), "bytes"),
		              "audit_head_id", json_object_get(h, "id"), "audit_head",
		              json_object_get(h, "hash")));
		json_decref(m);
	} else if (*cfg->backup_dir) {
		struct backup_set b;
		struct zw_err berr = {0};
		if (backup_make(st, cfg->keyfile, cfg->backup_dir, cfg->backup_keep, &b, &berr) ==
		    0) {
			log_info("backup: %s (%lld bytes, %lld ms, %d old set(s) removed)",
			         b.manifest, (long long)b.bytes, (long long)b.ms, b.removed);
			json_object_set_new(
			    p, "backup",
			    json_pack("{s:s, s:I, s:I, s:I, s:s}", "manifest", b.manifest, "bytes",
			              (json_int_t)b.bytes, "ms", (json_int_t)b.ms, "audit_head_id",
			              (json_int_t)b.audit_head_id, "audit_head", b.audit_head));
		} else {
			log_warnx("backup into %s failed: %s", cfg->backup_dir, berr.message);
			json_object_set_new(p, "backup", json_pack("{s:s}", "error", berr.message));
		}
	}
	struct sconn *c = store_read(st, err);
	int64_t id = 0;
	char head[65] = "";
	int rc = c ? store_audit_meta_head(c, &id, head, err) : -ZW_EINTERNAL;
	if (!rc) {
		json_object_set_new(p, "audit_head_id", json_integer(id));
		json_object_set_new(p, "audit_head", json_string(head));
		int64_t free_mb = ops_disk_free_mb(cfg->db_path);
		if (free_mb >= 0)
			json_object_set_new(p, "disk_free_mb", json_integer(free_mb));
		rc = raise(st, "ops.daily", p, "ops_daily", date, now, err);
	}
	json_decref(p);
	return rc;
}

int ops_step(struct store *st, const struct ops_cfg *cfg, int64_t now, struct zw_err *err)
{
	int raised = 0;
	int64_t local = now + 8 * 3600;
	int minute = (int)((local % 86400 + 86400) % 86400 / 60);
	time_t lt = (time_t)local;
	struct tm tm;
	gmtime_r(&lt, &tm);
	char date[16], done[32];
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	/* the answers kept for Idempotency-Key repeats live a day (api/idempotency.c) */
	int rc = store_idem_expire(st, now - 24 * 3600, err);
	if (rc >= 0)
		rc = store_probe_runs_expire(st, now - 365 * 86400LL, err);
	if (rc > 0)
		rc = 0;
	if (!rc)
		rc = store_meta_read(c, "ops_daily", done, sizeof(done), err);
	if (!rc && cfg->backup_minute >= 0 && strcmp(done, date) != 0 &&
	    minute >= cfg->backup_minute) {
		rc = daily(st, cfg, date, now, err);
		raised += !rc;
	}
	if (rc || !cfg->disk_min_free_mb)
		return rc ? rc : raised;
	int64_t free_mb;
	bool low = ops_disk_low(cfg, &free_mb);
	char flag[32];
	rc = store_meta_read(c, "ops_disk_low", flag, sizeof(flag), err);
	if (rc || free_mb < 0 || low == (*flag != 0))
		return rc ? rc : raised;
	json_t *p = json_pack("{s:I, s:I}", "free_mb", (json_int_t)free_mb, "min_free_mb",
	                      (json_int_t)cfg->disk_min_free_mb);
	char value[32];
	snprintf(value, sizeof(value), "%lld", (long long)free_mb);
	rc = raise(st, low ? "ops.disk_low" : "ops.disk_ok", p, "ops_disk_low", low ? value : NULL,
	           now, err);
	json_decref(p);
	if (!rc)
		log_warnx("disk of %s: %lld MiB free (threshold %lld MiB)", cfg->db_path,
		          (long long)free_mb, (long long)cfg->disk_min_free_mb);
	return rc ? rc : raised + 1;
}

static int64_t group_count(const struct store_group *g, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].key, key) == 0)
			return g[i].n;
	return 0;
}

int ops_gauges(const struct ctx *x, struct ops_gauges *g, struct zw_err *err)
{
	memset(g, 0, sizeof(*g));
	int rc = authz_check(x->by, ACT_METRICS_READ, 0, err);
	if (rc)
		return rc;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	if ((rc = store_gauges_read(c, &g->db, err)))
		return rc;
	const char *key, *code;
	bool open;
	for (size_t i = 0; (key = violation_state_at(i, &open)) && g->ncases < STORE_GROUPS_MAX;
	     i++)
		if (open)
			g->cases[g->ncases++] = (struct ops_count){
			    key, group_count(g->db.violations, g->db.nviolations, key)};
	for (size_t i = 0;
	     (key = application_status_at(i, &code, &open)) && g->napplications < STORE_GROUPS_MAX;
	     i++)
		if (open)
			g->applications[g->napplications++] = (struct ops_count){
			    code, group_count(g->db.applications, g->db.napplications, key)};
	return 0;
}
