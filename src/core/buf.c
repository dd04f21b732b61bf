#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

void buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = false;
}

static int reserve(struct buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return -1;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap - 1 > b->max) /* not b->max + 1, which is 0 for SIZE_MAX */
		cap = b->max + 1;
	b->p = xreallocarray(b->p, cap, 1);
	b->cap = cap;
	return 0;
}

/* The append that does not fit: the content stays as it was, and so does every later append. */
static int fail(struct buf *b)
{
	b->failed = true;
	return -1;
}

int buf_reserve(struct buf *b, size_t n)
{
	return b->failed ? -1 : reserve(b, n);
}

int buf_append_slow(struct buf *b, const void *data, size_t n)
{
	if (b->failed || reserve(b, n) < 0)
		return fail(b);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	if (b->failed)
		return -1;
	va_list ap;
	/* Most writes fit in the space there is: format once, straight into it. */
	if (b->p && b->cap > b->len + 1) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->p[b->len] = 0;
			return fail(b);
		}
		if ((size_t)n < room && (size_t)n <= b->max - b->len) {
			b->len += (size_t)n;
			return 0;
		}
		b->p[b->len] = 0;
	}
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n) < 0)
		return fail(b);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int buf_check(const struct buf *b, struct zw_err *err, const char *what)
{
	if (!b->failed)
		return 0;
	if (b->max && b->max % (1u << 20) == 0)
		return zw_errf(err, ZW_ETOOLARGE, NULL, "%s超过 %zu MB 的上限", what, b->max >> 20);
	if (b->max && b->max % 1024 == 0)
		return zw_errf(err, ZW_ETOOLARGE, NULL, "%s超过 %zu KB 的上限", what, b->max >> 10);
	return zw_errf(err, ZW_ETOOLARGE, NULL, "%s超过 %zu 字节的上限", what, b->max);
}

char *buf_take(struct buf *b, size_t *len)
{
	if (!b->p) {
		b->p = xmalloc(1); /* an empty text, failed or not */
		b->p[0] = 0;
	}
	char *p = b->p;
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = false;
	return p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->p)
		b->p[0] = 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
