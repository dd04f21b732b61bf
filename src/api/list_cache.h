/*
 * list_cache: the JSON answers of registry lists, kept by each worker thread while the
 * database is unchanged.
 *
 * A list is read far more often than the register changes (every console page, every count
 * on a home page), and building one costs its query, its count and its JSON. Its answer is the
 * same for the same reader (user, role, unit, token scopes), list, parent and parameters until
 * some connection commits, which PRAGMA data_version on the thread's own read connection says
 * (store_data_version: it changes with every commit of another connection, this server's
 * writer and the CLI alike). The version is read before the answer is built, so an answer is
 * never kept under a version newer than what it read.
 *
 * Kinds whose answers depend on the clock as well (those with an extra hook: a deadline's
 * working days left, a probe's state) are not kept; neither are exports nor answers larger than
 * LIST_CACHE_MAX_BODY. Each thread keeps at most LIST_CACHE_SLOTS answers, the oldest replaced
 * first, and forgets them all when the version moves.
 */
#ifndef ZW_API_LIST_CACHE_H
#define ZW_API_LIST_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define LIST_CACHE_SLOTS    32
#define LIST_CACHE_MAX_BODY (256u << 10)

struct req;

/* What identifies r's answer: the reader, the route's kind and parent, every query parameter
 * as sent. 0, or -1 when it cannot be kept (too long). */
int list_cache_key(struct req *r, int64_t parent, struct buf *key);
/* The answer kept for key at version dv, as a copy for the caller to free; false when none. */
bool list_cache_get(int64_t dv, const char *key, char **body, size_t *len);
/* Keep body (copied) as key's answer at version dv. */
void list_cache_put(int64_t dv, const char *key, const char *body, size_t len);
/* Answers served from the cache and built, since the start (GET /metrics). */
void list_cache_counts(uint64_t *hits, uint64_t *misses);

#endif
