/*
 * deadline: one engine for the regulations' time limits, in Chinese working days (TB-13: review
 * within 3 working days) or in hours on the wall clock (TB-12: repair within 2 hours).
 *
 * A deadline belongs to a subject (an application, a ticket, a notice ...), names the
 * profile's rule and cites its clause, and records when it started, when it is due, each
 * pause with its reason and who paused it (TB-13 allows an extension when the unit is not
 * ready), and when it was met or breached:
 *
 *      running --pause--> paused --resume--> running      (the due time moves by the pause)
 *      running --met--> met          running --(due passes, scheduler)--> breached
 *      running, paused --cancel--> cancelled          breached --met--> breached, met_at set
 *
 * A working-day deadline is due at the end of its due day, Beijing time. Its due day is
 * provisional while it falls in a year whose holiday arrangement is not loaded, and is
 * recomputed (deadline_recompute) when that year arrives. The scheduler (deadline_tick)
 * marks breaches and raises reminders from the database's own state, so a restart neither
 * loses nor repeats an event.
 */
#ifndef ZW_DOMAIN_DEADLINE_H
#define ZW_DOMAIN_DEADLINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/ctx.h"

struct deadline {
	int64_t id;
	char *subject_type;
	int64_t subject_id, unit_id;
	char *rule, *clause, *basis; /* basis: working_days | hours */
	int64_t amount;
	int64_t started_at, due_at;
	char *due_date; /* working-day deadlines: the due day */
	bool provisional;
	char *status; /* running paused met breached */
	int64_t paused_at, met_at, breached_at, reminded_at;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema deadline_schema;
struct registry_kind;
extern const struct registry_kind deadline_kind; /* read through the registry; written here */

/* Start the profile's deadline `rule` (a [deadline] key, or "respond:<class>" /
 * "repair:<class>" of its fault SLAs) for a subject, inside the caller's transaction. */
int deadline_start_tx(const struct ctx *x, struct store_tx *tx, const char *rule,
                      const char *subject_type, int64_t subject_id, int64_t unit_id, int64_t at,
                      int64_t *id, struct zw_err *err);
int deadline_pause(const struct ctx *x, int64_t id, const char *reason, struct zw_err *err);
int deadline_resume(const struct ctx *x, int64_t id, struct zw_err *err);
/* The same inside the caller's transaction, authorised by the caller (application steps). */
int deadline_pause_tx(const struct ctx *x, struct store_tx *tx, int64_t id, const char *reason,
                      struct zw_err *err);
int deadline_resume_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err);
/* Met (a deadline met after its due time is "breached" with met_at set); cancelled when its
 * subject went away (an application withdrawn). */
int deadline_met_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err);
int deadline_cancel_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err);
/* A deadline met too soon opens again (a fault reported fixed that was not): running, or
 * breached now when its due time has passed; the due time is where it was. */
int deadline_reopen_tx(const struct ctx *x, struct store_tx *tx, int64_t id, struct zw_err *err);
/* A fault's repair clock under another class of the profile ("repair:complex"): due from its
 * start by the class's hours plus the pauses so far; a breach the new due time undoes runs
 * again. The caller audits the reason (a reclassification). */
int deadline_rerule_tx(const struct ctx *x, struct store_tx *tx, int64_t id, const char *rule,
                       struct zw_err *err);

/* Put deadline id's rule, due_at and due_date into a notice's payload (an outbox event). */
int deadline_payload(struct sconn *c, int64_t id, json_t *payload, struct zw_err *err);
/* The scheduler's step at time now: breaches and reminders (reminder_working_days before a
 * working-day deadline is due, reminder_hours before an hours one); each becomes an outbox
 * event in the same transaction. Returns how many events it raised. */
int deadline_tick(struct store *st, int64_t now, int reminder_working_days, int reminder_hours,
                  struct zw_err *err);
/* The same, one page of at most 512 breaches and 512 reminders: *more when others wait for
 * the next call (a scheduler that was off for long catches up page by page). */
int deadline_tick_more(struct store *st, int64_t now, int reminder_working_days, int reminder_hours,
                       bool *more, struct zw_err *err);
/* Recompute provisional due days now that more of the calendar is known. */
int deadline_recompute(struct store *st, struct zw_err *err);

/* The end of a day (days since epoch) in Beijing time, as Unix seconds. */
int64_t deadline_day_end(int32_t day);

/* Every deadline of a subject ("application", "violation"), as the API shows them, into out. */
int deadline_subject_list(struct sconn *c, const char *subject_type, int64_t subject_id,
                          json_t *out, struct zw_err *err);
/* The deadline a subject waits on, as the API shows it (NULL: none): one breached and not yet
 * met first, then a running one, then a paused one, the earliest due of each. */
int deadline_open_of(struct sconn *c, const char *subject_type, int64_t subject_id, json_t **out,
                     struct zw_err *err);

#endif
