#include "store/store_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

struct store {
	char *path;
	struct sconn writer;
	pthread_mutex_t wlock;
	pthread_key_t rkey; /* thread -> struct reader */
	unsigned gen;       /* distinguishes stores reusing an address */
	bool scratch;       /* a scratch copy (store_scratch_open) */
	/* how its connections wait for another process's lock; NULL: busy_timeout */
	const struct store_wait *wait;
};

struct tx_hook {
	void (*fn)(void *arg, bool committed);
	void *arg;
	struct tx_hook *next;
};

struct store_tx {
	struct store *st;
	bool open;
	struct tx_hook *hooks; /* store_tx_on_end, latest first */
};

struct reader {
	struct sconn c;
	struct store *st;
	unsigned gen;
};

static unsigned next_gen = 1;

/* Set when the server stops and a statement still runs past the grace: every connection's
 * progress handler then interrupts it (SQLITE_INTERRUPT), its transaction rolls back, and the
 * request is answered (ZW_EUNAVAILABLE) instead of being cut off unanswered. */
static atomic_bool cancel_all;

/* synchronous=FULL: each commit is on disk before it is answered, also across a power cut
 * (in WAL mode NORMAL syncs only at checkpoints, and a power cut may take the last commits
 * back: answered writes, audit entries with them). bench/sync.sh measures the price. */
static bool sync_full = true;

int store_synchronous(const char *mode)
{
	if (strcmp(mode, "full") == 0)
		sync_full = true;
	else if (strcmp(mode, "normal") == 0)
		sync_full = false;
	else
		return -1;
	return 0;
}

static int progress(void *arg)
{
	(void)arg;
	return atomic_load_explicit(&cancel_all, memory_order_relaxed) ? 1 : 0;
}

void store_cancel(bool on)
{
	atomic_store(&cancel_all, on);
}

static void config_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sq_fail(struct sconn *c, struct zw_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(c->db);
	/* A UNIQUE or foreign key conflict is the caller's input meeting existing data: it is
	 * answered (409, or a row of an import's report), not a fault of the database, and an
	 * import of a bad file would write one line per row. Everything else is logged. */
	bool conflict = (ext & 0xff) == SQLITE_CONSTRAINT && ext != SQLITE_CONSTRAINT_CHECK &&
	                ext != SQLITE_CONSTRAINT_NOTNULL;
	/* A wait that ran out is told the user in full below. */
	if (conflict || ((ext & 0xff) == SQLITE_BUSY && c->wait.gave_up))
		log_debug("sqlite %s: %s (%d)", what, sqlite3_errmsg(c->db), ext);
	else
		log_warnx("sqlite %s: %s (%d)", what, sqlite3_errmsg(c->db), ext);
	/* A CHECK or NOT NULL failure is input the domain should have refused with its field
	 * named: a defect, not a conflict with existing data. */
	if (ext == SQLITE_CONSTRAINT_CHECK || ext == SQLITE_CONSTRAINT_NOTNULL)
		return zw_errf(err, ZW_EINTERNAL, NULL,
		               "数据未通过数据库约束检查（程序缺陷，已记录日志）");
	if ((ext & 0xff) == SQLITE_CONSTRAINT)
		return zw_errf(err, ZW_ECONFLICT, NULL, NULL);
	if ((ext & 0xff) == SQLITE_BUSY && c->wait.gave_up) {
		c->wait.gave_up = false;
		return zw_errf(
		    err, ZW_EUNAVAILABLE, NULL,
		    "数据库 %s 的写锁一直被其他进程（如运行中的 zwnet serve）占用，已等待 "
		    "%lld 秒仍未释放，本次写入未执行：请稍后重试",
		    c->wait.path ? c->wait.path : "", (long long)(c->wait.cfg->limit_ms / 1000));
	}
	if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED)
		return zw_errf(err, ZW_EUNAVAILABLE, NULL, "数据库忙，请稍后重试");
	/* while the server cancels, whatever fails is the interrupt's doing (a savepoint the
	 * interrupt already rolled back, a commit after it) */
	if ((ext & 0xff) == SQLITE_INTERRUPT || atomic_load(&cancel_all))
		return zw_errf(err, ZW_EUNAVAILABLE, NULL,
		               "服务正在停止，操作已取消，未保存任何数据：请稍后重试");
	/* A full disk is the operator's to fix, not a defect: said as such (507), also when
	 * SQLite met it as an I/O error (a write or fsync of the WAL that found no space). */
	if ((ext & 0xff) == SQLITE_FULL ||
	    ((ext & 0xff) == SQLITE_IOERR && sqlite3_system_errno(c->db) == ENOSPC))
		return zw_errf(err, ZW_ENOSPACE, NULL,
		               "磁盘空间不足，数据未保存：请系统管理员清理数据库所在的磁盘");
	return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
}

/* Eight bytes a step: every statement a request runs is looked up by its text (an import's
 * row runs some twenty), and a byte at a time this was a few per cent of an import. */
static unsigned sql_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
	for (; n >= 8; n -= 8, s += 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001B3ull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x100000001B3ull;
	return (unsigned)(h ^ (h >> 32));
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
	if (cacheable)
		c->cache[c->ncache++] = (struct sq_cached){xstrdup(sql), s, h, true};
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
	return t ? xstrdup((const char *)t) : NULL;
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

int store_read_begin(struct sconn *c, struct zw_err *err)
{
	return sq_exec(c, "BEGIN", err);
}

void store_read_end(struct sconn *c)
{
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

/* SQLite's busy handler for a store_open_waiting connection: count is 0 at the first call
 * of a wait. Short sleeps first (a commit of the server's takes milliseconds), then longer. */
static int busy_wait(void *arg, int count)
{
	struct sq_wait *w = arg;
	int64_t now = clock_mono_ms();
	if (count == 0) {
		w->since = now;
		w->noticed = false;
	}
	w->gave_up = false;
	int64_t waited = now - w->since;
	if (waited >= w->cfg->limit_ms) {
		w->gave_up = true;
		return 0;
	}
	if (!w->noticed && waited >= w->cfg->notice_ms) {
		w->noticed = true;
		if (w->cfg->notice)
			w->cfg->notice(w->cfg->arg);
	}
	int64_t ms = count < 20 ? 5 : 50;
	if (ms > w->cfg->limit_ms - waited)
		ms = w->cfg->limit_ms - waited;
	sqlite3_sleep((int)ms);
	return 1;
}

static int open_conn(const char *path, bool rw, const struct store_wait *wait, struct sconn *c,
                     struct zw_err *err)
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
	c->wait = (struct sq_wait){.cfg = wait, .path = path};
	if (wait)
		sqlite3_busy_handler(db, busy_wait, &c->wait);
	else
		sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_progress_handler(db, 1000, progress, NULL);
	/* temp_store=MEMORY on the writer: a statement that fires a trigger or may fail halfway
	 * keeps a statement journal of the pages it touched, and on disk that journal cost more
	 * than the inserts themselves (an import of 100,000 rows, each with its audit entry). */
	const char *pragmas = !rw         ? "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	                      : sync_full ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                                    "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	                                    "PRAGMA temp_store=MEMORY;"
	                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                                    "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	                                    "PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		zw_errf(err, ZW_EINTERNAL, NULL, "数据库初始化失败：%s", msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(db);
		return -ZW_EINTERNAL;
	}
	c->db = db;
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
	return store_open_waiting(path, NULL, out, err);
}

int store_open_waiting(const char *path, const struct store_wait *w, struct store **out,
                       struct zw_err *err)
{
	/* No global memory statistics: they take a mutex on every allocation. Must come before
	 * SQLite initialises; later calls are harmless no-ops. */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, config_sqlite);
	struct store *st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	pthread_mutex_init(&st->wlock, NULL);
	pthread_key_create(&st->rkey, reader_free);
	st->gen = __atomic_fetch_add(&next_gen, 1, __ATOMIC_RELAXED);
	st->wait = w;
	int rc = open_conn(st->path, true, w, &st->writer, err);
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
		if (st->path)
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
	if (!st->path) {
		zw_errf(err, ZW_EINTERNAL, NULL, "草稿副本没有只读连接");
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	if (open_conn(st->path, false, st->wait, &r->c, err) < 0) {
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
	struct store_tx *tx = xcalloc(1, sizeof(*tx));
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

bool store_tx_scratch(const struct store_tx *tx)
{
	return tx->st->scratch;
}

void store_tx_on_end(struct store_tx *tx, void (*fn)(void *arg, bool committed), void *arg)
{
	struct tx_hook *h = xcalloc(1, sizeof(*h));
	*h = (struct tx_hook){fn, arg, tx->hooks};
	tx->hooks = h;
}

/* The hooks, still under the writer lock, then the lock let go. */
static void tx_end(struct store_tx *tx, bool committed)
{
	for (struct tx_hook *h = tx->hooks, *next; h; h = next) {
		next = h->next;
		h->fn(h->arg, committed);
		free(h);
	}
	pthread_mutex_unlock(&tx->st->wlock);
	free(tx);
}

int store_commit(struct store_tx *tx, struct zw_err *err)
{
	int rc = sq_exec(&tx->st->writer, "COMMIT", err);
	if (rc)
		sqlite3_exec(tx->st->writer.db, "ROLLBACK", NULL, NULL, NULL);
	tx_end(tx, rc == 0);
	return rc;
}

void store_rollback(struct store_tx *tx)
{
	if (!tx)
		return;
	sqlite3_exec(tx->st->writer.db, "ROLLBACK", NULL, NULL, NULL);
	tx_end(tx, false);
}

int store_data_version(struct sconn *c, int64_t *out, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "PRAGMA data_version", err);
	if (!s)
		return -ZW_EINTERNAL;
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = sq_fail(c, err, "data_version");
	sq_done(c, s);
	return rc;
}

/* Prepared once per connection: an import takes a savepoint per row. */
static int sq_run(struct sconn *c, const char *sql, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	return s ? sq_exec_stmt(c, s, err) : -ZW_EINTERNAL;
}

int store_savepoint(struct store_tx *tx, struct zw_err *err)
{
	return sq_run(&tx->st->writer, "SAVEPOINT step", err);
}

int store_savepoint_release(struct store_tx *tx, struct zw_err *err)
{
	return sq_run(&tx->st->writer, "RELEASE step", err);
}

void store_savepoint_rollback(struct store_tx *tx)
{
	if (sq_run(&tx->st->writer, "ROLLBACK TO step", NULL) == 0)
		sq_run(&tx->st->writer, "RELEASE step", NULL);
}

/* ---- scratch copies ---- */

/* Tables a scratch copy leaves empty: logs that only grow and that no check before a write
 * reads, and the accounts (password and token hashes stay where they are). Nothing is appended
 * to the audit log on a copy (audit_append asks store_tx_scratch). */
static const char *const scratch_skip[] = {"audit",
                                           "unit_status_history",
                                           "sessions",
                                           "api_tokens",
                                           "users",
                                           "blobs",
                                           "outbox",
                                           "inbox",
                                           "findings",
                                           "violation_events",
                                           "application_events",
                                           "probes",
                                           "enforcers",
                                           "idempotency",
                                           "probe_runs",
                                           NULL};

static bool skipped(const char *table)
{
	for (const char *const *t = scratch_skip; *t; t++)
		if (strcmp(*t, table) == 0)
			return true;
	return strncmp(table, "sqlite_", 7) == 0;
}

void sq_file_uri(const char *path, const char *query, struct buf *b)
{
	buf_puts(b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._-~", *p))
			buf_append(b, p, 1);
		else
			buf_printf(b, "%%%02X", *p);
	buf_printf(b, "?%s", query);
}

/* Copy one table from src into main, by column name. */
static int copy_table(struct sconn *c, const char *table, const char *tail, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info(?1, 'main')",
	    err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	char *cols = sqlite3_step(s) == SQLITE_ROW ? sq_dup(s, 0) : NULL;
	sq_done(c, s);
	if (!cols)
		return zw_errf(err, ZW_EINTERNAL, NULL, "草稿副本：读不到表 %s 的列", table);
	struct buf sql;
	buf_init(&sql, 1 << 16);
	int rc = buf_printf(&sql,
	                    "DELETE FROM main.\"%s\"; INSERT INTO main.\"%s\" (%s) SELECT %s FROM "
	                    "src.\"%s\"%s",
	                    table, table, cols, cols, table, tail) < 0
	             ? zw_errf(err, ZW_EINTERNAL, NULL, "草稿副本：表 %s 的列过多", table)
	             : sq_exec(c, sql.p, err);
	buf_free(&sql);
	free(cols);
	return rc;
}

static int scratch_fill(struct sconn *c, const char *path, struct zw_err *err)
{
	int rc = 0;
	struct buf uri;
	buf_init(&uri, SQ_URI_MAX);
	sq_file_uri(path, "mode=ro", &uri);
	sqlite3_stmt *s = rc ? NULL : sq_prepare(c, "ATTACH DATABASE ?1 AS src", err);
	if (s) {
		sq_text(s, 1, uri.p);
		rc = sq_exec_stmt(c, s, err);
	} else if (!rc) {
		rc = -ZW_EINTERNAL;
	}
	buf_free(&uri);
	if (rc)
		return rc;
	rc = sq_exec(c, "BEGIN", err);
	s = rc ? NULL
	       : sq_prepare(c,
	                    "SELECT name FROM main.sqlite_master WHERE type = 'table'"
	                    " ORDER BY name LIKE '%\\_generation' ESCAPE '\\', rowid",
	                    err);
	while (s && !rc && sqlite3_step(s) == SQLITE_ROW) {
		char *t = sq_dup(s, 0); /* a table's name is never NULL */
		if (!skipped(t))
			rc = copy_table(c, t, "", err);
		free(t);
	}
	sq_done(c, s);
	if (!rc)
		rc = sq_exec(c,
		             "DELETE FROM main.sqlite_sequence;"
		             "INSERT INTO main.sqlite_sequence (name, seq)"
		             " SELECT name, seq FROM src.sqlite_sequence;",
		             err);
	if (!rc)
		rc = sq_exec(c, "COMMIT", err);
	else
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	int drc = sq_exec(c, "DETACH DATABASE src", err);
	return rc ? rc : drc;
}

int store_scratch_open(struct store *from, struct store **out, struct zw_err *err)
{
	if (!from->path)
		return zw_errf(err, ZW_EINTERNAL, NULL, "不能复制草稿副本");
	struct store *st = xcalloc(1, sizeof(*st));
	pthread_mutex_init(&st->wlock, NULL);
	pthread_key_create(&st->rkey, reader_free);
	st->gen = __atomic_fetch_add(&next_gen, 1, __ATOMIC_RELAXED);
	st->scratch = true;
	int rc = 0;
	if (sqlite3_open_v2(":memory:", &st->writer.db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
	                        SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, "无法建立草稿副本：%s",
		             sqlite3_errmsg(st->writer.db));
	if (!rc) {
		sqlite3_extended_result_codes(st->writer.db, 1);
		sqlite3_busy_timeout(st->writer.db, 10000);
		sqlite3_progress_handler(st->writer.db, 1000, progress, NULL);
		rc = sq_exec(&st->writer, "PRAGMA trusted_schema=OFF; PRAGMA temp_store=MEMORY;",
		             err);
	}
	if (!rc)
		rc = store_migrate(st->writer.db, err);
	/* The rows are copied as they are: foreign keys are checked for what is written after. */
	if (!rc)
		rc = scratch_fill(&st->writer, from->path, err);
	if (!rc)
		rc = sq_exec(&st->writer, "PRAGMA foreign_keys=ON", err);
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
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

int store_meta_read(struct sconn *c, const char *key, char *out, size_t n, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c, "SELECT value FROM meta WHERE key = ?1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, key);
	int rc = 0;
	*out = 0;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	else if (step != SQLITE_DONE)
		rc = sq_fail(c, err, "meta");
	sq_done(c, s);
	return rc;
}

int store_meta_put(struct sconn *c, const char *key, const char *value, struct zw_err *err)
{
	sqlite3_stmt *s =
	    sq_prepare(c,
	               value ? "INSERT INTO meta (key, value) VALUES (?1, ?2)"
	                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
	                     : "DELETE FROM meta WHERE key = ?1",
	               err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, key);
	if (value)
		sq_text(s, 2, value);
	return sq_exec_stmt(c, s, err);
}
