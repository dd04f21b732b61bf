/*
 * throttle: failed logins counted per (account, source) and per source, with a growing delay.
 *
 * The unit is the pair of the account tried and the source it came from (an IPv4 address or
 * an IPv6 /64, core/inet.h inet_source_key), so a stranger who guesses wrong for "admin" from
 * one place never locks out the real admin coming from another. The `pair_free`-th failure of
 * a pair locks it, the `source_free`-th of a source (any accounts) locks the source, for
 * base_delay; each failure after that locks it again, twice as long, up to max_delay. A pair or
 * source forgets its failures window seconds after its last one, when no lock is running; a correct
 * password clears the pair (not the source).
 *
 * Bounded: a fixed open-addressing table. A live entry (locked, or with failures in its
 * window) is never evicted: when no slot is free, new pairs are refused (THR_FULL) rather than
 * old ones forgotten. Thread-safe.
 */
#ifndef ZW_API_THROTTLE_H
#define ZW_API_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct throttle;

struct throttle_cfg {
	size_t slots;          /* entries in the table (pairs and sources together) */
	unsigned pair_free;    /* failures of one (account, source) that lock it */
	unsigned source_free;  /* failures from one source, any account, that lock it */
	unsigned base_delay_s; /* the first lock */
	unsigned max_delay_s;  /* the longest lock */
	unsigned window_s;     /* failures are forgotten this long after the last one */
};

struct throttle *throttle_new(const struct throttle_cfg *cfg);
void throttle_free(struct throttle *t);

enum throttle_verdict {
	THR_OK,     /* may try */
	THR_LOCKED, /* the pair or the source is locked: retry_after seconds */
	THR_FULL,   /* the table has no room to count a failure of this pair: refuse */
};
/* Before a password is checked. now_ms: a monotonic clock. */
enum throttle_verdict throttle_check(struct throttle *t, const char *account, const char *source,
                                     int64_t now_ms, unsigned *retry_after);

struct throttle_fail_info {
	unsigned pair_failures, source_failures; /* in the current window, this one included */
	unsigned locked_s;                       /* the lock this failure started, 0 if none */
};
/* A wrong password (or unknown account). */
void throttle_fail(struct throttle *t, const char *account, const char *source, int64_t now_ms,
                   struct throttle_fail_info *info);
/* A refused (throttled) attempt: counted; true when it should be written to the audit log
 * (the first refusal of the pair, then at most once a minute), with *refused the refusals
 * since the last one written. */
bool throttle_refused(struct throttle *t, const char *account, const char *source, int64_t now_ms,
                      unsigned *refused);
/* A correct password: the pair starts afresh. */
void throttle_success(struct throttle *t, const char *account, const char *source);

/* Entries in use (for tests and metrics). */
size_t throttle_used(struct throttle *t);

#endif
