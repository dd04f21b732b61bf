#include "store/query.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/parse.h"

static void cursor_encode(const char *col, const char *val, int64_t id, char *out, size_t n)
{
	char raw[400];
	int len = snprintf(raw, sizeof(raw), "%s\n%s\n%lld", col, val, (long long)id);
	if (len < 0 || (size_t)len >= sizeof(raw) ||
	    sodium_base64_ENCODED_LEN((size_t)len, sodium_base64_VARIANT_URLSAFE_NO_PADDING) > n) {
		out[0] = 0;
		return;
	}
	sodium_bin2base64(out, n, (const unsigned char *)raw, (size_t)len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int list_cursor_decode(const char *cursor, struct list_query *q, struct zw_err *err)
{
	unsigned char raw[400];
	size_t len = 0;
	if (strlen(cursor) > 500 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, cursor, strlen(cursor), NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return zw_errf(err, ZW_EINVALID, "cursor", "分页游标无效");
	raw[len] = 0;
	char *col = (char *)raw, *val = strchr(col, '\n'), *id;
	if (!val || !(id = strchr(val + 1, '\n')))
		return zw_errf(err, ZW_EINVALID, "cursor", "分页游标无效");
	*val++ = 0;
	*id++ = 0;
	if (strcmp(col, q->sort) != 0)
		return zw_errf(err, ZW_EINVALID, "cursor", "分页游标与排序方式不一致");
	if (parse_i64(id, 1, INT64_MAX, &q->cur_id) < 0 || strlen(val) >= sizeof(q->cur_val))
		return zw_errf(err, ZW_EINVALID, "cursor", "分页游标无效");
	snprintf(q->cur_val, sizeof(q->cur_val), "%s", val);
	q->has_cursor = true;
	return 0;
}

static int bind_all(sqlite3_stmt *s, const struct list_query *q)
{
	int i = 1;
	for (int k = 0; k < q->nf; k++) {
		const struct lq_filter *f = &q->f[k];
		switch (f->op) {
		case LQ_EQ_INT:
		case LQ_GE_INT:
		case LQ_LE_INT:
		case LQ_IN_UNIT:
			sqlite3_bind_int64(s, i++, f->ival);
			break;
		case LQ_LIKE: {
			/* %, _ and \ in the user's text are literal characters */
			char pat[2 * 256 + 3];
			size_t o = 0;
			pat[o++] = '%';
			for (const char *p = f->val; *p && o < sizeof(pat) - 3; p++) {
				if (*p == '%' || *p == '_' || *p == '\\')
					pat[o++] = '\\';
				pat[o++] = *p;
			}
			pat[o++] = '%';
			pat[o] = 0;
			sqlite3_bind_text(s, i++, pat, (int)o, SQLITE_TRANSIENT);
			break;
		}
		default:
			sqlite3_bind_text(s, i++, f->val, -1, SQLITE_TRANSIENT);
		}
	}
	if (q->has_cursor) {
		int64_t v;
		if (q->sort_int && parse_i64(q->cur_val, INT64_MIN, INT64_MAX, &v) == 0)
			sqlite3_bind_int64(s, i++, v);
		else
			sqlite3_bind_text(s, i++, q->cur_val, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, i++, q->cur_id);
	}
	return i;
}

/* " WHERE 1 AND col = ? ..." of q's filters; values are bound by bind_all. */
static void where(struct buf *b, const struct list_query *q)
{
	buf_puts(b, " WHERE 1");
	for (int k = 0; k < q->nf; k++) {
		const struct lq_filter *f = &q->f[k];
		switch (f->op) {
		case LQ_LIKE:
			buf_printf(b, " AND %s LIKE ? ESCAPE '\\'", f->col);
			break;
		case LQ_GE_INT:
			buf_printf(b, " AND %s >= ?", f->col);
			break;
		case LQ_LE_INT:
			buf_printf(b, " AND %s <= ?", f->col);
			break;
		default:
			buf_printf(b, " AND %s = ?", f->col);
		}
	}
}

/* The rows q's filters select, the cursor aside. */
static int count_rows(struct sconn *c, const char *from, const struct list_query *q, int64_t *total,
                      struct zw_err *err)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_printf(&b, "SELECT count(*) FROM %s", from);
	where(&b, q);
	sqlite3_stmt *s = sq_prepare(c, b.p, err);
	buf_free(&b);
	if (!s)
		return -ZW_EINTERNAL;
	struct list_query nocursor = *q;
	nocursor.has_cursor = false;
	bind_all(s, &nocursor);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		int r = sq_fail(c, err, "count");
		sq_done(c, s);
		return r;
	}
	*total = sqlite3_column_int64(s, 0);
	sq_done(c, s);
	return 0;
}

int sq_list(struct sconn *c, const char *cols, const char *from, const struct list_query *q,
            sq_row_fn fn, void *ctx, struct list_page *page, struct zw_err *err)
{
	struct buf b;
	/* the program's names alone (columns, table, at most LQ_MAX_FILTERS filters on a kind's
	 * fields; values are bound): no request makes it longer, so no maximum to fail at */
	buf_init(&b, SIZE_MAX);
	buf_printf(&b, "SELECT %s, %s, id FROM %s", cols, q->sort, from);
	where(&b, q);
	const char *cmp = q->desc ? "<" : ">", *dir = q->desc ? "DESC" : "ASC";
	if (q->has_cursor)
		buf_printf(&b, " AND (%s, id) %s (?, ?)", q->sort, cmp);
	buf_printf(&b, " ORDER BY %s %s, id %s LIMIT ?", q->sort, dir, dir);
	sqlite3_stmt *s = sq_prepare(c, b.p, err);
	buf_free(&b);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int(s, bind_all(s, q), q->limit + 1);
	int ncols = sqlite3_column_count(s), rows = 0, rc;
	char lastval[256] = "";
	int64_t lastid = 0;
	memset(page, 0, sizeof(*page));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (rows == q->limit) {
			page->more = true;
			cursor_encode(q->sort, lastval, lastid, page->next_cursor,
			              sizeof(page->next_cursor));
			break;
		}
		int r = fn(s, ctx);
		if (r < 0) {
			sq_done(c, s);
			return zw_errf(err, ZW_EINTERNAL, NULL, NULL);
		}
		const unsigned char *sv = sqlite3_column_text(s, ncols - 2);
		snprintf(lastval, sizeof(lastval), "%s", sv ? (const char *)sv : "");
		lastid = sqlite3_column_int64(s, ncols - 1);
		rows++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		int r = sq_fail(c, err, "list");
		sq_done(c, s);
		return r;
	}
	sq_done(c, s);
	if (q->count) {
		page->counted = true;
		return count_rows(c, from, q, &page->total, err);
	}
	return 0;
}
