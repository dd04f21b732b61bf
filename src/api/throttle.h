/*
 * throttle: counts failed logins per key (an account name, a source address) in a fixed
 * window and says when a key has had too many. Bounded: a fixed table; when full, the entry
 * whose window is oldest is reused. Thread-safe.
 */
#ifndef ZW_API_THROTTLE_H
#define ZW_API_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct throttle;

struct throttle *throttle_new(size_t slots, unsigned window_s);
void throttle_free(struct throttle *t);
/* Failures of key in the current window. now_ms: a monotonic clock. */
unsigned throttle_count(struct throttle *t, const char *key, int64_t now_ms);
void throttle_fail(struct throttle *t, const char *key, int64_t now_ms);
void throttle_clear(struct throttle *t, const char *key);
/* Seconds until the key's window ends (0 if none). */
unsigned throttle_retry_after(struct throttle *t, const char *key, int64_t now_ms);

#endif
