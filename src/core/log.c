#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static enum log_level cur_level = LOG_LVL_INFO;
static FILE *out;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local const char *request_id;

void log_init(enum log_level level, FILE *stream)
{
	cur_level = level;
	out = stream;
}

const char *log_set_request(const char *id)
{
	const char *was = request_id;
	request_id = id;
	return was;
}

int log_level_parse(const char *s, enum log_level *lvl)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*lvl = (enum log_level)i;
			return 0;
		}
	return -1;
}

__attribute__((format(printf, 4, 0))) static void vlog(enum log_level lvl, const char *tag,
                                                       int errnum, const char *fmt, va_list ap)
{
	if (lvl > cur_level)
		return;
	FILE *f = out ? out : stderr;
	char ts[32];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&lock);
	fprintf(f, "%s %s ", ts, tag);
	if (request_id)
		fprintf(f, "req=%s ", request_id);
	vfprintf(f, fmt, ap);
	if (errnum)
		fprintf(f, ": %s", strerror(errnum));
	fputc('\n', f);
	fflush(f);
	pthread_mutex_unlock(&lock);
}

void log_errorx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_ERROR, "error", 0, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, "warn", e, fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, "warn", 0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_INFO, "info", 0, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_DEBUG, "debug", 0, fmt, ap);
	va_end(ap);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_ERROR, "fatal", 0, fmt, ap);
	va_end(ap);
	abort();
}
