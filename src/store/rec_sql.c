#include "store/rec.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/query.h"
#include "core/xalloc.h"

#define FIELD(rec, f, T)  ((T *)((char *)(rec) + (f)->offset))
#define CFIELD(rec, f, T) ((const T *)((const char *)(rec) + (f)->offset))

#define is_text rec_is_text

static bool managed(const char *name)
{
	return strcmp(name, "id") == 0 || strcmp(name, "created_at") == 0 ||
	       strcmp(name, "updated_at") == 0 || strcmp(name, "rev") == 0;
}

static void bind_field(sqlite3_stmt *s, int i, const struct rec_field *f, const void *rec)
{
	if (is_text(f->type)) {
		const char *v = *CFIELD(rec, f, char *);
		if (!v && !(f->flags & (REC_NULLABLE | REC_READONLY)))
			v = "";
		sq_text(s, i, v);
	} else if (f->type == REC_BOOL) {
		sqlite3_bind_int(s, i, *CFIELD(rec, f, bool));
	} else if (f->type == REC_REAL) {
		sqlite3_bind_double(s, i, *CFIELD(rec, f, double));
	} else if (f->type == REC_ID) {
		sq_id(s, i, *CFIELD(rec, f, int64_t));
	} else {
		sqlite3_bind_int64(s, i, *CFIELD(rec, f, int64_t));
	}
}

static void read_field(sqlite3_stmt *s, int col, const struct rec_field *f, void *rec)
{
	if (is_text(f->type)) {
		char **slot = FIELD(rec, f, char *);
		free(*slot);
		*slot = sq_dup(s, col);
	} else if (f->type == REC_BOOL) {
		*FIELD(rec, f, bool) = sqlite3_column_int(s, col) != 0;
	} else if (f->type == REC_REAL) {
		*FIELD(rec, f, double) = sqlite3_column_double(s, col);
	} else {
		*FIELD(rec, f, int64_t) = sqlite3_column_int64(s, col);
	}
}

static void cols(struct buf *b, const struct rec_schema *sc)
{
	for (size_t i = 0; i < sc->nfields; i++)
		buf_printf(b, "%s%s", i ? ", " : "", sc->fields[i].name);
}

/* ---- the SQL text of one statement per table and field table ---- */

/* Built once and kept: writing it with printf on every call cost more than SQLite's work on an
 * import's rows. A few dozen texts (one per kind and statement), never freed; readers scan the
 * published entries without a lock, a new one is added under it. */
enum sql_op { SQL_INSERT, SQL_GET, SQL_UPDATE };

/* The texts' buffers: a schema's names alone, no request makes them longer: no maximum. */
#define SQL_TEXT_MAX SIZE_MAX

struct sql_text {
	enum sql_op op;
	const char *table, *scope_col;
	const struct rec_schema *sc;
	char *sql;
};

#define SQL_TEXTS 256
static struct sql_text texts[SQL_TEXTS];
static atomic_size_t ntexts;
static pthread_mutex_t texts_lock = PTHREAD_MUTEX_INITIALIZER;

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void build(struct buf *b, enum sql_op op, const char *table, const struct rec_schema *sc,
                  const char *scope_col)
{
	if (op == SQL_INSERT) {
		buf_printf(b, "INSERT INTO %s (created_at, updated_at", table);
		int n = 0;
		for (size_t i = 0; i < sc->nfields; i++)
			if (!managed(sc->fields[i].name)) {
				buf_printf(b, ", %s", sc->fields[i].name);
				n++;
			}
		buf_puts(b, ") VALUES (?, ?");
		for (int i = 0; i < n; i++)
			buf_puts(b, ", ?");
		buf_puts(b, ")");
	} else if (op == SQL_GET) {
		buf_puts(b, "SELECT ");
		cols(b, sc);
		buf_printf(b, " FROM %s WHERE id = ?", table);
		if (scope_col)
			buf_printf(b, " AND %s = ?", scope_col);
	} else {
		buf_printf(b, "UPDATE %s SET updated_at = ?, rev = rev + 1", table);
		for (size_t i = 0; i < sc->nfields; i++)
			if (!managed(sc->fields[i].name))
				buf_printf(b, ", %s = ?", sc->fields[i].name);
		buf_puts(b, " WHERE id = ?");
	}
}

/* The statement's text: the kept one, or (table full, no memory) built into tmp. */
static const char *sql_of(enum sql_op op, const char *table, const struct rec_schema *sc,
                          const char *scope_col, struct buf *tmp)
{
	size_t n = atomic_load_explicit(&ntexts, memory_order_acquire);
	for (size_t i = 0; i < n; i++)
		if (texts[i].op == op && texts[i].sc == sc && same(texts[i].table, table) &&
		    same(texts[i].scope_col, scope_col))
			return texts[i].sql;
	build(tmp, op, table, sc, scope_col);
	if (!tmp->p)
		return NULL;
	pthread_mutex_lock(&texts_lock);
	n = atomic_load_explicit(&ntexts, memory_order_relaxed);
	const char *kept = NULL;
	for (size_t i = 0; i < n && !kept; i++)
		if (texts[i].op == op && texts[i].sc == sc && same(texts[i].table, table) &&
		    same(texts[i].scope_col, scope_col))
			kept = texts[i].sql;
	char *copy = kept || n == SQL_TEXTS ? NULL : xstrdup(tmp->p);
	if (copy) {
		texts[n] = (struct sql_text){op, table, scope_col, sc, copy};
		atomic_store_explicit(&ntexts, n + 1, memory_order_release);
		kept = copy;
	}
	pthread_mutex_unlock(&texts_lock);
	return kept ? kept : tmp->p;
}

int store_rec_insert(struct sconn *c, const char *table, const struct rec_schema *sc,
                     const void *rec, int64_t now, int64_t *id, struct zw_err *err)
{
	struct buf b;
	buf_init(&b, SQL_TEXT_MAX);
	const char *sql = sql_of(SQL_INSERT, table, sc, NULL, &b);
	sqlite3_stmt *s = sql ? sq_prepare(c, sql, err) : NULL;
	buf_free(&b);
	if (!s)
		return sql ? -ZW_EINTERNAL : zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, now);
	int k = 3;
	for (size_t i = 0; i < sc->nfields; i++)
		if (!managed(sc->fields[i].name))
			bind_field(s, k++, &sc->fields[i], rec);
	int rc = sq_exec_stmt(c, s, err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

int store_rec_get(struct sconn *c, const char *table, const struct rec_schema *sc, int64_t id,
                  const char *scope_col, int64_t scope_val, void *rec, struct zw_err *err)
{
	struct buf b;
	buf_init(&b, SQL_TEXT_MAX);
	const char *sql = sql_of(SQL_GET, table, sc, scope_col, &b);
	sqlite3_stmt *s = sql ? sq_prepare(c, sql, err) : NULL;
	buf_free(&b);
	if (!s)
		return sql ? -ZW_EINTERNAL : zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	sqlite3_bind_int64(s, 1, id);
	if (scope_col)
		sqlite3_bind_int64(s, 2, scope_val);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		for (size_t i = 0; i < sc->nfields; i++)
			read_field(s, (int)i, &sc->fields[i], rec);
		sq_done(c, s);
		return 0;
	}
	sq_done(c, s);
	if (rc != SQLITE_DONE)
		return sq_fail(c, err, "get");
	return zw_errf(err, ZW_ENOTFOUND, NULL, NULL);
}

int store_rec_update(struct sconn *c, const char *table, const struct rec_schema *sc,
                     const void *rec, int64_t now, struct zw_err *err)
{
	struct buf b;
	buf_init(&b, SQL_TEXT_MAX);
	const char *sql = sql_of(SQL_UPDATE, table, sc, NULL, &b);
	sqlite3_stmt *s = sql ? sq_prepare(c, sql, err) : NULL;
	buf_free(&b);
	if (!s)
		return sql ? -ZW_EINTERNAL : zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	sqlite3_bind_int64(s, 1, now);
	int k = 2;
	int64_t id = 0;
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		if (strcmp(f->name, "id") == 0)
			id = *CFIELD(rec, f, int64_t);
		if (!managed(f->name))
			bind_field(s, k++, f, rec);
	}
	sqlite3_bind_int64(s, k, id);
	return sq_exec_stmt(c, s, err);
}

int store_row_exists(struct sconn *c, const char *table, int64_t id)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id = ?", table);
	sqlite3_stmt *s = sq_prepare(c, sql, NULL);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	sq_done(c, s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -ZW_EINTERNAL;
}

int store_table_has_rows(struct sconn *c, const char *table)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s LIMIT 1", table);
	sqlite3_stmt *s = sq_prepare(c, sql, NULL);
	if (!s)
		return -ZW_EINTERNAL;
	int rc = sqlite3_step(s);
	sq_done(c, s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -ZW_EINTERNAL;
}

int store_rec_delete(struct sconn *c, const char *table, int64_t id, struct zw_err *err)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ?", table);
	sqlite3_stmt *s = sq_prepare(c, sql, err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	return sq_exec_stmt(c, s, err);
}

static const char *row_text(const void *ctx, size_t i, const struct rec_field *f, size_t *len)
{
	(void)f;
	sqlite3_stmt *s = (sqlite3_stmt *)ctx;
	const char *t = (const char *)sqlite3_column_text(s, (int)i);
	*len = t ? (size_t)sqlite3_column_bytes(s, (int)i) : 0;
	return t;
}

static int64_t row_num(const void *ctx, size_t i, const struct rec_field *f)
{
	(void)f;
	return sqlite3_column_int64((sqlite3_stmt *)ctx, (int)i);
}

static double row_real(const void *ctx, size_t i, const struct rec_field *f)
{
	(void)f;
	return sqlite3_column_double((sqlite3_stmt *)ctx, (int)i);
}

struct list_ctx {
	const struct rec_schema *sc;
	struct buf *out;
	int rows;
};

/* A row past out's maximum is not written, nor any after it (at most a page's more): the list
 * fails as a whole at the end. */
static int list_row(sqlite3_stmt *s, void *vctx)
{
	struct list_ctx *x = vctx;
	struct rec_source src = {s, row_text, row_num, row_real};
	if (x->rows++)
		buf_append(x->out, ",", 1);
	rec_write_source(x->out, x->sc, &src);
	return 0;
}

int store_rec_list(struct sconn *c, const char *table, const struct rec_schema *sc,
                   const struct list_query *q, struct buf *out, struct list_page *page,
                   struct zw_err *err)
{
	struct buf b;
	buf_init(&b, SQL_TEXT_MAX);
	cols(&b, sc);
	struct list_ctx x = {sc, out, 0};
	buf_append(out, "[", 1);
	int rc = sq_list(c, b.p, table, q, list_row, &x, page, err);
	buf_append(out, "]", 1);
	if (!rc)
		rc = buf_check(out, err, "列表的结果");
	buf_free(&b);
	return rc;
}

struct scan_ctx {
	const struct rec_schema *sc;
	void *rec;
	int (*fn)(const void *rec, void *ctx);
	void *ctx;
};

static int scan_row(sqlite3_stmt *s, void *vctx)
{
	struct scan_ctx *x = vctx;
	for (size_t i = 0; i < x->sc->nfields; i++)
		read_field(s, (int)i, &x->sc->fields[i], x->rec);
	return x->fn(x->rec, x->ctx) < 0 ? -1 : 0;
}

int store_rec_scan(struct sconn *c, const char *table, const struct rec_schema *sc,
                   const struct list_query *q, int (*fn)(const void *rec, void *ctx), void *ctx,
                   struct list_page *page, struct zw_err *err)
{
	struct buf b;
	buf_init(&b, SQL_TEXT_MAX);
	cols(&b, sc);
	void *rec = xcalloc(1, sc->size);
	struct scan_ctx x = {sc, rec, fn, ctx};
	int rc = sq_list(c, b.p, table, q, scan_row, &x, page, err);
	rec_free(sc, rec);
	free(rec);
	buf_free(&b);
	return rc;
}
