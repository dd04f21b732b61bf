/* notify_sql: the outbox (events to tell) and the inbox (what each user was told). */
#ifndef ZW_STORE_NOTIFY_SQL_H
#define ZW_STORE_NOTIFY_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* The channels that deliver an outbox row outside zwnet, each with its own state columns. */
enum outbox_channel { OUTBOX_MAIL, OUTBOX_HOOK };

struct outbox_row {
	int64_t id, subject_id, unit_id, created_at, attempts;
	char *kind, *subject_type, *clause, *payload;
	/* more roles to tell, comma separated ("authority", "carrier,operator"); "carrier:5" is
	 * the staff of carrier 5 only; "units_only" leaves the managers out (a notice to each unit
	 * of a step the managers heard of once) */
	char *roles;
};
/* Forget every queued event (the demo's seeded history). */
int store_outbox_clear(struct sconn *c, struct zw_err *err);
/* Queue an event (same transaction as the change it tells of). */
int store_outbox_event(struct sconn *c, const char *kind, const char *subject_type,
                       int64_t subject_id, int64_t unit_id, const char *clause, const char *payload,
                       const char *roles, int64_t now, struct zw_err *err);
void outbox_row_free(struct outbox_row *o);
int store_outbox_unfanned(struct sconn *c, struct outbox_row *rows, size_t max, size_t *n,
                          struct zw_err *err);
int store_inbox_fanout(struct sconn *c, const struct outbox_row *o, const char *title,
                       const char *body, int64_t now, struct zw_err *err);
int store_inbox_list(struct sconn *c, int64_t user_id, bool unread_only, int64_t cursor, int limit,
                     json_t *items, int64_t *unread, struct zw_err *err);
/* 1 if marked (or already read), 0 if the user has no such item */
int store_inbox_read(struct sconn *c, int64_t user_id, int64_t id, int64_t now, struct zw_err *err);
int store_unit_name(struct sconn *c, int64_t id, char *out, size_t n);
/* Outbox rows whose delivery on the channel is pending and due at now. */
int store_outbox_due(struct sconn *c, enum outbox_channel ch, int64_t now, struct outbox_row *rows,
                     size_t max, size_t *n, struct zw_err *err);
/* The unit's contacts' e-mail addresses appended to the comma list out, each once (too many
 * for n = error). */
int store_unit_emails(struct sconn *c, int64_t unit_id, char *out, size_t n, struct zw_err *err);
/* The same for the people the outbox row went to (their inbox) who want topic by mail. */
int store_outbox_user_emails(struct sconn *c, int64_t outbox_id, const char *topic, char *out,
                             size_t n, struct zw_err *err);
/* Mark every unread item of the user's read; how many, or -code. */
int store_inbox_read_all(struct sconn *c, int64_t user_id, int64_t now, struct zw_err *err);
/* A user's own e-mail and mail topics (comma list); both owned by the caller. */
int store_user_mail_get(struct sconn *c, int64_t user_id, char **email, char **topics,
                        struct zw_err *err);
int store_user_mail_set(struct sconn *c, int64_t user_id, const char *email, const char *topics,
                        int64_t now, struct zw_err *err);
int store_outbox_result(struct sconn *c, enum outbox_channel ch, int64_t id, const char *status,
                        int64_t attempts, int64_t next_at, const char *error, int64_t now,
                        struct zw_err *err);

#endif
