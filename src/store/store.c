#include "store/store_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

struct store {
	char *path;
	struct sconn writer;
	pthread_mutex_t wlock;
	pthread_key_t rkey; /* thread -> struct reader */
	unsigned gen;       /* distinguishes stores reusing an address */
};

struct store_tx {
	struct store *st;
	bool open;
};

struct reader {
	struct sconn c;
	struct store *st;
	unsigned gen;
};

static unsigned next_gen = 1;

static void config_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sq_fail(struct sconn *c, struct zw_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(c->db);
	log_warnx("sqlite %s: %s (%d)", what, sqlite3_errmsg(c->db), ext);
	/* A CHECK or NOT NULL failure is input the domain should have refused with its field
	 * named: a defect, not a conflict with existing data. */
	if (ext == SQLITE_CONSTRAINT_CHECK || ext == SQLITE_CONSTRAINT_NOTNULL)
		return zw_errf(err, ZW_EINTERNAL, NULL,
		               "数据未通过数据库约束检查（程序缺陷，已记录日志）");
	if ((ext & 0xff) == SQLITE_CONSTRAINT)
		return zw_errf(err, ZW_ECONFLICT, NULL, NULL);
	if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED)
		return zw_errf(err, ZW_EUNAVAILABLE, NULL, "数据库忙，请稍后重试");
	return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
}

static unsigned sql_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

sqlite3_stmt *sq_prepare(struct sconn *c, const char *sql, struct zw_err *err)
{
	unsigned h = sql_hash(sql);
	bool cacheable = true;
	for (int i = 0; i < c->ncache; i++) {
		struct sq_cached *e = &c->cache[i];
		if (e->hash == h && strcmp(e->sql, sql) == 0) {
			if (e->busy) {
				cacheable = false;
				break;
			}
			e->busy = true;
			return e->s;
		}
	}
	sqlite3_stmt *s = NULL;
	cacheable = cacheable && c->ncache < SQ_CACHE;
	if (sqlite3_prepare_v3(c->db, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0, &s,
	                       NULL) != SQLITE_OK) {
		sq_fail(c, err, "prepare");
		return NULL;
	}
	if (cacheable) {
		char *copy = strdup(sql);
		if (copy)
			c->cache[c->ncache++] = (struct sq_cached){copy, s, h, true};
	}
	return s;
}

void sq_done(struct sconn *c, sqlite3_stmt *s)
{
	if (!s)
		return;
	for (int i = 0; i < c->ncache; i++)
		if (c->cache[i].s == s) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			c->cache[i].busy = false;
			return;
		}
	sqlite3_finalize(s);
}

void sconn_close(struct sconn *c)
{
	for (int i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i].s);
		free(c->cache[i].sql);
	}
	c->ncache = 0;
	sqlite3_close(c->db);
	c->db = NULL;
}

void sq_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void sq_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

char *sq_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	return t ? strdup((const char *)t) : NULL;
}

int sq_exec_stmt(struct sconn *c, sqlite3_stmt *s, struct zw_err *err)
{
	int rc = sqlite3_step(s);
	int r = 0;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sq_fail(c, err, "step");
	sq_done(c, s);
	return r;
}

int sq_exec(struct sconn *c, const char *sql, struct zw_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int r = sq_fail(c, err, "exec");
		sqlite3_free(msg);
		return r;
	}
	return 0;
}

static int open_conn(const char *path, bool rw, sqlite3 **out, struct zw_err *err)
{
	int flags = (rw ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
	            SQLITE_OPEN_NOMUTEX;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		zw_errf(err, ZW_EINTERNAL, NULL, "无法打开数据库 %s：%s", path,
		        db ? sqlite3_errmsg(db) : "内存不足");
		sqlite3_close(db);
		return -ZW_EINTERNAL;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	const char *pragmas = rw ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                           "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	                         : "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;";
	char *msg = NULL;
	if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		zw_errf(err, ZW_EINTERNAL, NULL, "数据库初始化失败：%s", msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(db);
		return -ZW_EINTERNAL;
	}
	*out = db;
	return 0;
}

static void reader_free(void *p)
{
	struct reader *r = p;
	if (r) {
		sconn_close(&r->c);
		free(r);
	}
}

int store_open(const char *path, struct store **out, struct zw_err *err)
{
	/* No global memory statistics: they take a mutex on every allocation. Must come before
	 * SQLite initialises; later calls are harmless no-ops. */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, config_sqlite);
	struct store *st = calloc(1, sizeof(*st));
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return zw_errf(err, ZW_EINTERNAL, NULL, "内存不足");
	}
	pthread_mutex_init(&st->wlock, NULL);
	pthread_key_create(&st->rkey, reader_free);
	st->gen = __atomic_fetch_add(&next_gen, 1, __ATOMIC_RELAXED);
	int rc = open_conn(path, true, &st->writer.db, err);
	if (!rc)
		rc = store_migrate(st->writer.db, err);
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	struct reader *r = pthread_getspecific(st->rkey);
	if (r) {
		reader_free(r);
		pthread_setspecific(st->rkey, NULL);
	}
	pthread_key_delete(st->rkey);
	if (st->writer.db) {
		sqlite3_exec(st->writer.db, "PRAGMA optimize;", NULL, NULL, NULL);
		sconn_close(&st->writer);
	}
	pthread_mutex_destroy(&st->wlock);
	free(st->path);
	free(st);
}

struct sconn *store_read(struct store *st, struct zw_err *err)
{
	struct reader *r = pthread_getspecific(st->rkey);
	if (r)
		return &r->c;
	r = calloc(1, sizeof(*r));
	if (!r) {
		zw_errf(err, ZW_EINTERNAL, NULL, "内存不足");
		return NULL;
	}
	if (open_conn(st->path, false, &r->c.db, err) < 0) {
		free(r);
		return NULL;
	}
	r->st = st;
	r->gen = st->gen;
	pthread_setspecific(st->rkey, r);
	return &r->c;
}

int store_begin(struct store *st, struct store_tx **out, struct zw_err *err)
{
	struct store_tx *tx = calloc(1, sizeof(*tx));
	if (!tx)
		return zw_errf(err, ZW_EINTERNAL, NULL, "内存不足");
	pthread_mutex_lock(&st->wlock);
	tx->st = st;
	int rc = sq_exec(&st->writer, "BEGIN IMMEDIATE", err);
	if (rc) {
		pthread_mutex_unlock(&st->wlock);
		free(tx);
		return rc;
	}
	tx->open = true;
	*out = tx;
	return 0;
}

struct sconn *store_tx_conn(struct store_tx *tx)
{
	return &tx->st->writer;
}

int store_commit(struct store_tx *tx, struct zw_err *err)
{
	int rc = sq_exec(&tx->st->writer, "COMMIT", err);
	if (rc)
		sqlite3_exec(tx->st->writer.db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&tx->st->wlock);
	free(tx);
	return rc;
}

void store_rollback(struct store_tx *tx)
{
	if (!tx)
		return;
	sqlite3_exec(tx->st->writer.db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&tx->st->wlock);
	free(tx);
}

int store_savepoint(struct store_tx *tx, struct zw_err *err)
{
	return sq_exec(&tx->st->writer, "SAVEPOINT step", err);
}

int store_savepoint_release(struct store_tx *tx, struct zw_err *err)
{
	return sq_exec(&tx->st->writer, "RELEASE step", err);
}

void store_savepoint_rollback(struct store_tx *tx)
{
	sqlite3_exec(tx->st->writer.db, "ROLLBACK TO step; RELEASE step", NULL, NULL, NULL);
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(st->writer.db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

int64_t store_count(struct sconn *c, const char *table)
{
	static const char *known[] = {"units",
	                              "contacts",
	                              "agreements",
	                              "users",
	                              "sessions",
	                              "api_tokens",
	                              "audit",
	                              "blobs",
	                              "unit_status_history",
	                              "zones",
	                              "vlans",
	                              "prefixes",
	                              "prefix_quarantine",
	                              "deadlines",
	                              "deadline_pauses",
	                              "outbox",
	                              "terminals",
	                              "addresses",
	                              NULL};
	int ok = 0;
	for (const char **k = known; *k; k++)
		ok |= strcmp(*k, table) == 0;
	if (!ok)
		return -1;
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	sqlite3_stmt *s;
	int64_t n = -1;
	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	return n;
}

int store_meta_get(struct store *st, const char *key, char *out, size_t n)
{
	sqlite3_stmt *s;
	int found = -1;
	if (sqlite3_prepare_v2(st->writer.db, "SELECT value FROM meta WHERE key = ?", -1, &s,
	                       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
		found = 0;
	}
	sqlite3_finalize(s);
	return found;
}

int store_meta_set(struct store *st, const char *key, const char *value, struct zw_err *err)
{
	pthread_mutex_lock(&st->wlock);
	sqlite3_stmt *s = sq_prepare(&st->writer,
	                             "INSERT INTO meta (key, value) VALUES (?, ?)"
	                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                             err);
	int rc = -ZW_EINTERNAL;
	if (s) {
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
		rc = sq_exec_stmt(&st->writer, s, err);
	}
	pthread_mutex_unlock(&st->wlock);
	return rc;
}
