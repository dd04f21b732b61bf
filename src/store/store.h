/*
 * store: the database. Every SQL statement of zwnet lives under src/store/, so a PostgreSQL
 * backend can later replace this directory without touching the domain modules.
 *
 * SQLite in WAL mode, foreign keys on, STRICT tables. There is one writer: store_begin takes
 * the writer connection under a mutex and opens BEGIN IMMEDIATE, so a mutation and its audit
 * entry commit together or not at all. Readers use one connection per thread (WAL lets them
 * run beside the writer). Migrations run at open; a database newer than the program is
 * refused.
 *
 *   reader:  store_read(st) -> struct sconn * (thread-local, no transaction)
 *   writer:  store_begin(st, &tx) -> ... store_tx_conn(tx) ... -> store_commit / store_rollback
 */
#ifndef ZW_STORE_STORE_H
#define ZW_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;
struct store_tx;
struct sconn; /* one database connection */

int store_open(const char *path, struct store **out, struct zw_err *err);
/*
 * How long an operation waits for a lock another process holds (another process's write
 * transaction). store_open: 10 s (SQLite's busy_timeout), then it fails with "数据库忙" — the
 * server's bound, so that a request is answered. A command-line command opens with
 * store_open_waiting: once a wait has lasted notice_ms, notice(arg) is called (once per wait:
 * the CLI says that it waits), and after limit_ms it gives up, the operation failing with a
 * message that names the lock it waited for and for how long. w must outlive the store.
 */
struct store_wait {
	int64_t notice_ms, limit_ms;
	void (*notice)(void *arg);
	void *arg;
};
int store_open_waiting(const char *path, const struct store_wait *w, struct store **out,
                       struct zw_err *err);
/* How the databases opened after it commit: "full" (the default: a commit answered is on
 * disk, power cut or not) or "normal" (faster; a power cut may lose the last commits). -1
 * for another word. */
int store_synchronous(const char *mode);
/* Interrupt every statement running now and later (on), in every store of the process, or
 * stop doing so (off): a stopping server's last resort for work past its grace. */
void store_cancel(bool on);
void store_close(struct store *st);
int store_schema_version(struct store *st);
int store_schema_latest(void);

struct sconn *store_read(struct store *st, struct zw_err *err);
/* A read transaction on a reader: what the statements between begin and end read is one
 * snapshot (an export's pages, a count beside its page). */
int store_read_begin(struct sconn *c, struct zw_err *err);
void store_read_end(struct sconn *c);
int store_begin(struct store *st, struct store_tx **tx, struct zw_err *err);
struct sconn *store_tx_conn(struct store_tx *tx);
/* Is tx on a scratch copy (store_scratch_open)? */
bool store_tx_scratch(const struct store_tx *tx);
int store_commit(struct store_tx *tx, struct zw_err *err);
void store_rollback(struct store_tx *tx);
/* fn(arg, committed) runs when tx ends, before the writer lock is let go: committed is true
 * after a COMMIT that succeeded, false after a rollback or a failed COMMIT. For state kept
 * beside the database and used under the writer lock (the IPAM's free-space pools), which must
 * follow the transaction's outcome without a window for another writer. Hooks run latest
 * first; arg must live until the transaction ends. */
void store_tx_on_end(struct store_tx *tx, void (*fn)(void *arg, bool committed), void *arg);
/* SQLite's PRAGMA data_version on c: it changes when another connection (another process:
 * the CLI) has committed to the database since c last looked, and not on c's own commits.
 * Read inside a write transaction it covers every commit before the lock was taken. */
int store_data_version(struct sconn *c, int64_t *out, struct zw_err *err);

/* A savepoint inside a transaction (one at a time): a failed step rolls back to it and the
 * transaction goes on (imports check every row, then write all or nothing). */
int store_savepoint(struct store_tx *tx, struct zw_err *err);
int store_savepoint_release(struct store_tx *tx, struct zw_err *err);
void store_savepoint_rollback(struct store_tx *tx);

/*
 * A scratch copy: a private in-memory database with the schema of this program (the same
 * migrations) and the rows of every register of `from`, read in one snapshot without any write
 * lock; the logs (audit, status history, outbox, inbox, findings, events) and the accounts are
 * left out, and nothing is appended to the audit log. The domain's create functions run on it
 * unchanged (store_begin / store_tx_conn on the copy), so an import can check a whole file, rows
 * earlier in the file included, without taking the real writer. It has no readers (store_read
 * fails). Close it with store_close.
 */
int store_scratch_open(struct store *from, struct store **out, struct zw_err *err);

/* Number of rows in a table the store knows (for tests and health); -1 on error. */
int64_t store_count(struct sconn *c, const char *table);

/*
 * Lists: keyset pagination. A list query names a sort column (checked by the caller against
 * the resource's allowed list), a direction, filters, and the cursor of the previous page. The
 * cursor is opaque to clients: base64url of the sort column, the last row's sort value and id.
 */
enum lq_op { LQ_EQ, LQ_EQ_INT, LQ_LIKE, LQ_GE_INT, LQ_LE_INT, LQ_IN_UNIT };

struct lq_filter {
	const char *col; /* trusted column expression from the resource table */
	const char *val; /* user value (bound, never spliced) */
	int64_t ival;
	enum lq_op op;
};

#define LQ_MAX_FILTERS 12

struct list_query {
	int limit;        /* 1..500 */
	const char *sort; /* trusted column name */
	bool sort_int;    /* the sort column holds integers */
	bool desc;
	bool has_cursor;
	char cur_val[256];
	int64_t cur_id;
	struct lq_filter f[LQ_MAX_FILTERS];
	int nf;
	bool count; /* also count the rows the filters select, every page together */
};

struct list_page {
	bool more;
	char next_cursor[400]; /* "" when no next page */
	bool counted;          /* total holds the count (list_query.count) */
	int64_t total;
};

int list_cursor_decode(const char *cursor, struct list_query *q, struct zw_err *err);

/* meta: small settings kept with the data (the profile chosen at install, ...). */
int store_meta_get(struct store *st, const char *key, char *out, size_t n);
int store_meta_set(struct store *st, const char *key, const char *value, struct zw_err *err);
/* The same on a connection (a transaction's: store_tx_conn): "" when the key is absent; a
 * NULL value removes the key. */
int store_meta_read(struct sconn *c, const char *key, char *out, size_t n, struct zw_err *err);
int store_meta_put(struct sconn *c, const char *key, const char *value, struct zw_err *err);

#endif
