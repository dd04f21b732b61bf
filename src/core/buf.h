/*
 * buf: a growable byte buffer with a hard maximum set at init, so a caller can answer 413
 * instead of growing without bound.
 *
 * A failure is sticky, as curl's dynbuf: an append past the maximum fails (returns -1) and
 * leaves the content as it was, and from then on every append fails without writing, until
 * buf_reset or buf_init. So the content is always a whole prefix of what was written, never a
 * text with a piece missing in the middle, and a writer may append piece after piece without
 * looking and check once, with buf_failed (or buf_check), before it uses the content. Running
 * past the maximum is the only failure (running out of memory aborts, core/xalloc.h); a
 * buffer whose maximum no input can reach (SIZE_MAX) never fails.
 *
 * The content is always NUL-terminated. buf_take hands the bytes to the caller and never
 * fails: it does not look at the failure either, the caller checks before.
 */
#ifndef ZW_CORE_BUF_H
#define ZW_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct zw_err;

struct buf {
	char *p;
	size_t len, cap, max;
	bool failed; /* an append did not fit: every later one fails too */
};

void buf_init(struct buf *b, size_t max);
/* Make room for n more bytes now (fewer reallocations when the size is roughly known); -1 when
 * they would pass the maximum, which is no failed append (nothing was lost). */
int buf_reserve(struct buf *b, size_t n);
int buf_append_slow(struct buf *b, const void *data, size_t n);
/* Append n bytes; the common case (room left) is inline. */
static inline int buf_append(struct buf *b, const void *data, size_t n)
{
	if (b->p && !b->failed && n < b->cap - b->len && n <= b->max - b->len) {
		memcpy(b->p + b->len, data, n);
		b->len += n;
		b->p[b->len] = 0;
		return 0;
	}
	return buf_append_slow(b, data, n);
}
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Has an append failed since buf_init or buf_reset? Then the content lacks its end. */
static inline bool buf_failed(const struct buf *b)
{
	return b->failed;
}
/* 0; or, when an append failed, -ZW_ETOOLARGE with err saying that what ("ACL 文本", in
 * Chinese, for the user) passes the buffer's maximum. */
int buf_check(const struct buf *b, struct zw_err *err, const char *what);
char *buf_take(struct buf *b, size_t *len); /* caller frees; buffer is reset */
void buf_reset(struct buf *b);              /* empty, and no failure */
void buf_free(struct buf *b); /* the bytes go, a failure stays (till buf_init or buf_reset) */

#endif
