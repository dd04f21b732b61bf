/*
 * xalloc: allocation that cannot fail. Running out of memory is not a condition zwnet answers
 * (as in Redis and OpenBSD's x* functions): these log one line naming the size and abort, so no
 * caller carries an untested "out of memory" branch. jansson allocates through xmalloc too
 * (set before main), so a json_* call that returns NULL has been handed bad input, never run
 * out of memory. SQLite keeps its own allocator and reports SQLITE_NOMEM as an error.
 */
#ifndef ZW_CORE_XALLOC_H
#define ZW_CORE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n) __attribute__((malloc, returns_nonnull));
void *xcalloc(size_t n, size_t size) __attribute__((malloc, returns_nonnull));
void *xrealloc(void *p, size_t n) __attribute__((returns_nonnull));
/* realloc of n elements of size bytes each, refusing (aborting on) a product that overflows */
void *xreallocarray(void *p, size_t n, size_t size) __attribute__((returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull));
/* *dst (owned, or NULL) replaced by a copy of v (NULL: none). */
void xstr_set(char **dst, const char *v);
char *xstrndup(const char *s, size_t n) __attribute__((malloc, returns_nonnull));
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2), returns_nonnull));
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0), returns_nonnull));

#endif
