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
#include "domain/ctx.h"
#include "domain/org/unit.h"
#include "store/notify_sql.h"
#include "store/store.h"

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
/* Every unread item of the caller's read: {"read": how many}. */
int inbox_mark_all_read(const struct ctx *x, json_t **out, struct zw_err *err);

/* The topics a person may also want by e-mail (besides the inbox, which has everything):
 * each is an outbox kind or a family of them ("application" is every "application.*"). */
struct notify_topic {
	const char *code, *label;
};
extern const struct notify_topic notify_topics[];
extern const size_t notify_ntopics;
/* The topic an outbox kind belongs to, or NULL. */
const struct notify_topic *notify_topic_of(const char *kind);

/* The caller's own mail choice: {"email", "topics": [code], "available": [{topic, label}]}.
 * A change takes {"email", "topics"} (both required): an address (or "" for none), and the
 * topics wanted by mail, which need an address; audited as user.mail_prefs. */
int mail_prefs_get(const struct ctx *x, json_t **out, struct zw_err *err);
int mail_prefs_set(const struct ctx *x, const json_t *body, json_t **out, struct zw_err *err);

#endif
