/*
 * log: one place for diagnostics. log_warn appends strerror(errno); log_warnx does not.
 * log_errorx is for failures an operator must look at (every 5xx answer). fatalx and
 * ZW_ASSERT are for broken invariants only: they log and abort.
 */
#ifndef ZW_CORE_LOG_H
#define ZW_CORE_LOG_H

#include <stdio.h>

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(enum log_level level, FILE *stream);
/* The request this thread works on (its id, NULL for none): every line logged meanwhile,
 * from any layer, names it as "req=<id>", so a warning from the store is found beside the
 * answer it led to. id must outlive the call that ends it (NULL, or what this returned: the
 * request before). */
const char *log_set_request(const char *id);
int log_level_parse(const char *s, enum log_level *out);
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An invariant whose breach would corrupt stored or shared state: checked in every build
 * (NDEBUG does not remove it), logged with file and line, then abort. Not for bad input. */
#define ZW_ASSERT(cond)                                                                            \
	((cond) ? (void)0 : fatalx("%s:%d: invariant broken: %s", __FILE__, __LINE__, #cond))

#endif
