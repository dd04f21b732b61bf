/*
 * buf: a growable byte buffer with a hard maximum set at init. Appends past the maximum fail
 * (return -1) and leave the buffer as it was, so a caller can answer 413 instead of growing
 * without bound; that is the only failure (running out of memory aborts, core/xalloc.h). The
 * content is always NUL-terminated. buf_take hands the bytes to the caller and never fails.
 */
#ifndef ZW_CORE_BUF_H
#define ZW_CORE_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, cap, max;
};

void buf_init(struct buf *b, size_t max);
/* Make room for n more bytes now (fewer reallocations when the size is roughly known). */
int buf_reserve(struct buf *b, size_t n);
int buf_append_slow(struct buf *b, const void *data, size_t n);
/* Append n bytes; the common case (room left) is inline. */
static inline int buf_append(struct buf *b, const void *data, size_t n)
{
	if (b->p && n < b->cap - b->len && n <= b->max - b->len) {
		memcpy(b->p + b->len, data, n);
		b->len += n;
		b->p[b->len] = 0;
		return 0;
	}
	return buf_append_slow(b, data, n);
}
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_take(struct buf *b, size_t *len); /* caller frees; buffer is reset */
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
