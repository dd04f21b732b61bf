/*
 * clock: the one source of "now". Tests and the demo may pin it (ZWNET_NOW=RFC3339 in the
 * environment, read once at start) so that deadlines and expiry warnings are reproducible.
 */
#ifndef ZW_CORE_CLOCK_H
#define ZW_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

void clock_init_from_env(void);
int64_t clock_now(void);      /* Unix seconds, UTC */
int64_t clock_mono_ms(void);  /* CLOCK_MONOTONIC in ms, for timeouts and throttles */
int64_t clock_mono_us(void);  /* the same in microseconds, for how long a request took */
int32_t clock_today_cn(void); /* the local date in Asia/Shanghai (UTC+8), days since epoch */

/* Beijing time is UTC+8 all year (no daylight saving since 1991). */
#define CLOCK_CN_OFFSET (8 * 3600)
/* t (Unix seconds) as Beijing time "2026-12-02 14:05:09", into out (at least 20 bytes). */
void clock_format_cn(int64_t t, char *out, size_t n);
/* The same to the minute, "2026-12-02 14:05" (at least 17 bytes): what notices and papers show. */
void clock_format_cn_min(int64_t t, char *out, size_t n);

#endif
