#include "core/clock.h"

#include <stdbool.h>

#include <stdlib.h>
#include <stdio.h>
#include <time.h>

#include "core/log.h"
#include "core/parse.h"

static int64_t pinned_at;   /* the pinned instant, 0 when not pinned */
static int64_t pinned_mono; /* monotonic ms when it was pinned: pinned time moves on */

void clock_init_from_env(void)
{
	const char *s = getenv("ZWNET_NOW");
	if (!s || !*s)
		return;
	int64_t t;
	if (parse_time(s, &t) < 0) {
		log_warnx("ZWNET_NOW: not an RFC 3339 time: %s (ignored)", s);
		return;
	}
	pinned_at = t;
	pinned_mono = clock_mono_ms();
}

int64_t clock_now(void)
{
	if (pinned_at)
		return pinned_at + (clock_mono_ms() - pinned_mono) / 1000;
	return (int64_t)time(NULL);
}

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int32_t clock_today_cn(void)
{
	int64_t t = clock_now() + CLOCK_CN_OFFSET;
	return (int32_t)(t / 86400);
}

static void format_cn(int64_t t, bool seconds, char *out, size_t n)
{
	time_t local = (time_t)(t + CLOCK_CN_OFFSET);
	struct tm tm;
	bool ok = gmtime_r(&local, &tm) && (seconds ? strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm)
	                                            : strftime(out, n, "%Y-%m-%d %H:%M", &tm));
	if (!ok)
		snprintf(out, n, "%lld", (long long)t);
}

void clock_format_cn(int64_t t, char *out, size_t n)
{
	format_cn(t, true, out, n);
}

void clock_format_cn_min(int64_t t, char *out, size_t n)
{
	format_cn(t, false, out, n);
}
