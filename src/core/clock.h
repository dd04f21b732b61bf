/*
 * clock: the one source of "now". Tests and the demo may pin it (ZWNET_NOW=RFC3339 in the
 * environment, read once at start) so that deadlines and expiry warnings are reproducible.
 */
#ifndef ZW_CORE_CLOCK_H
#define ZW_CORE_CLOCK_H

#include <stdint.h>

void clock_init_from_env(void);
int64_t clock_now(void);      /* Unix seconds, UTC */
int64_t clock_mono_ms(void);  /* CLOCK_MONOTONIC in ms, for timeouts and throttles */
int64_t clock_mono_us(void);  /* the same in microseconds, for how long a request took */
int32_t clock_today_cn(void); /* the local date in Asia/Shanghai (UTC+8), days since epoch */

#endif
