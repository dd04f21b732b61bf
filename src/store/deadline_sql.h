/* deadline_sql: the rows of deadlines and their pauses beyond the generic record functions. */
#ifndef ZW_STORE_DEADLINE_SQL_H
#define ZW_STORE_DEADLINE_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* The roles told of a subject's deadline events besides the managers and its unit, into out
 * (notify_sql's roles list): a fault ticket's carrier and the duty officers. */
int store_deadline_roles(struct sconn *c, const char *subject_type, int64_t subject_id, char *out,
                         size_t n, struct zw_err *err);
int store_deadline_extension(struct sconn *c, int64_t id, int64_t *extension, struct zw_err *err);
int store_deadline_set_extension(struct sconn *c, int64_t id, int64_t extension,
                                 struct zw_err *err);
int store_deadline_pause_row(struct sconn *c, int64_t id, int64_t at, const char *reason,
                             const char *by, bool close, struct zw_err *err);
/* The first max ids of the deadlines where says (arg bound to each ?), soonest due first;
 * *more when there are others after them: a page, never a silently short list. */
int store_deadline_ids(struct sconn *c, const char *where, int64_t arg, int64_t *ids, size_t max,
                       size_t *n, bool *more, struct zw_err *err);

/* Ids of the deadlines of a subject that are still running or paused (rule optional); more
 * than max is an error, never a short answer. */
int store_open_deadlines(struct sconn *c, const char *subject_type, int64_t subject_id,
                         const char *rule, int64_t *ids, size_t max, size_t *n, struct zw_err *err);
/* Every deadline matching the trusted condition, by id, in *ids (the caller frees). */
int store_deadline_ids_all(struct sconn *c, const char *where, int64_t **ids, size_t *n,
                           struct zw_err *err);

#endif
