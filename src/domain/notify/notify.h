/*
 * notify: what becomes of an outbox event. Today: the in-app inbox. Every outbox row is fanned
 * out once, in one transaction that also marks the row, to the people it concerns: the
 * managers, the unit_admins of the event's unit, and the roles the event names (the
 * authority whose approval step is next, the carriers who must connect a unit). Title and body are
 * Chinese, name the unit, the rule, the due time and the clause. E-mail and webhooks are later
 * channels of the same outbox row.
 */
#ifndef ZW_DOMAIN_NOTIFY_H
#define ZW_DOMAIN_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/org/unit.h"
#include "store/store.h"

struct sconn;
struct outbox_row;

/* The channels that deliver an outbox row outside zwnet, each with its own state columns. */
enum outbox_channel { OUTBOX_MAIL, OUTBOX_HOOK };
#define OUTBOX_MAX_ATTEMPTS 10
enum outbox_send { SEND_OK, SEND_NONE, SEND_RETRY, SEND_ERROR };
struct outbox_sender {
	enum outbox_channel channel;
	const char *name;  /* for the log */
	int64_t retry_min; /* first back-off in seconds, doubling to an hour */
	/* SEND_OK; SEND_NONE (nobody to send to, error says why: the row is failed at once);
	 * SEND_RETRY (error says why); SEND_ERROR (err filled: stop this pass) */
	enum outbox_send (*send)(void *arg, struct sconn *c, const struct outbox_row *o,
	                         const char *title, const char *body, int64_t now, char *error,
	                         size_t en, struct zw_err *err);
	void *arg;
};
/* One pass over the rows due on the sender's channel: each is sent outside any transaction
 * and its result recorded afterwards. Returns how many were sent, or -code. */
int outbox_deliver(struct store *st, const struct profile *prof, const struct outbox_sender *s,
                   int64_t now, struct zw_err *err);

/* The Chinese title and body of an outbox event, for the inbox and for mail. */
void notify_compose(struct sconn *c, const struct profile *prof, const struct outbox_row *o,
                    char *title, size_t tn, char *body, size_t bn);

/* Fan out up to 256 outbox rows; returns how many, or -code. */
int notify_fanout(struct store *st, const struct profile *prof, int64_t now, struct zw_err *err);

/* The caller's own inbox, newest first: items after cursor (an id, 0 = from the newest). */
int inbox_list(const struct ctx *x, bool unread_only, int64_t cursor, int limit, json_t **out,
               struct zw_err *err);
int inbox_mark_read(const struct ctx *x, int64_t id, struct zw_err *err);

/* store/notify_sql.c */
struct sconn;
struct outbox_row {
	int64_t id, subject_id, unit_id, created_at, attempts;
	char *kind, *subject_type, *clause, *payload;
	char *roles; /* more roles to tell, comma separated ("authority", "carrier,operator") */
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
/* Outbox rows whose delivery on the channel is pending and due at now. */
int store_outbox_due(struct sconn *c, enum outbox_channel ch, int64_t now, struct outbox_row *rows,
                     size_t max, size_t *n, struct zw_err *err);
int store_outbox_result(struct sconn *c, enum outbox_channel ch, int64_t id, const char *status,
                        int64_t attempts, int64_t next_at, const char *error, int64_t now,
                        struct zw_err *err);

#endif
