/* store internals: shared by the files of src/store only. */
#ifndef ZW_STORE_INT_H
#define ZW_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Prepared statements are kept per connection (sqlite3_prepare_v3, PERSISTENT) and reused:
 * parsing the same SQL on every request cost more than running it. A statement that is
 * already in use (a nested query of the same text) gets a fresh, uncached one. */
#define SQ_CACHE 64

struct sq_cached {
	char *sql;
	sqlite3_stmt *s;
	unsigned hash;
	bool busy;
};

/* A connection's wait for a lock another process holds (store_open_waiting). */
struct sq_wait {
	const struct store_wait *cfg; /* NULL: SQLite's busy_timeout, the server's 10 s */
	const char *path;
	int64_t since; /* CLOCK_MONOTONIC ms at the start of this wait */
	bool noticed;  /* cfg->notice called for this wait */
	bool gave_up;  /* the last wait ran out: sq_fail says what it waited for */
};

struct sconn {
	sqlite3 *db;
	struct sq_cached cache[SQ_CACHE];
	int ncache;
	struct sq_wait wait; /* the busy handler's argument: the sconn must not move */
};

int sq_fail(struct sconn *c, struct zw_err *err, const char *what);
/* Prepare (or take from the cache) or fail with err filled. Give it back with sq_done. */
sqlite3_stmt *sq_prepare(struct sconn *c, const char *sql, struct zw_err *err);
void sq_done(struct sconn *c, sqlite3_stmt *s);
/* Finalise the cached statements and close the connection. */
void sconn_close(struct sconn *c);
/* Bind helpers: NULL text binds SQL NULL; id 0 binds NULL. */
void sq_text(sqlite3_stmt *s, int i, const char *v);
void sq_id(sqlite3_stmt *s, int i, int64_t v);
char *sq_dup(sqlite3_stmt *s, int col); /* NULL for SQL NULL */
/* Run a statement that returns no rows; maps constraint failures to ZW_ECONFLICT. */
int sq_exec_stmt(struct sconn *c, sqlite3_stmt *s, struct zw_err *err);
int sq_exec(struct sconn *c, const char *sql, struct zw_err *err);

int store_migrate(sqlite3 *db, struct zw_err *err);

struct buf;
/* The "file:" URI of a path with query ("mode=ro"): every byte but unreserved ones
 * percent-encoded. Into a buffer of SQ_URI_MAX, none: a cut URI would lose its query (the
 * "mode=ro") or name another file, and a path too long for the system is refused on open. */
#define SQ_URI_MAX SIZE_MAX
void sq_file_uri(const char *path, const char *query, struct buf *b);

#endif
