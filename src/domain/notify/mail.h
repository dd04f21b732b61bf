/*
 * mail: the e-mail channel of the outbox, over SMTP with libcurl. Each pending outbox row goes
 * to the information center's mailbox (notify_mail_to) and the e-mail addresses of the unit's
 * contacts, as one UTF-8 message whose Message-ID names the outbox row. The message is sent
 * outside any transaction; the result is written afterwards. A failure is retried with
 * doubling back-off (notify_retry_min, at most an hour) up to OUTBOX_MAX_ATTEMPTS, then the row is
 * marked failed with the last error. Delivery is at least once: a crash between the SMTP
 * answer and the write would send the row again, with the same Message-ID.
 */
#ifndef ZW_DOMAIN_MAIL_H
#define ZW_DOMAIN_MAIL_H

#include <stdint.h>

#include "core/err.h"
#include "policy/profile.h"
#include "store/store.h"

struct mail_cfg {
	const char *smtp_url; /* smtp://host:port or smtps://...; "" = mail off */
	const char *from;     /* envelope and header sender */
	const char *to;       /* the center's addresses, comma separated, may be "" */
	int64_t retry_min;    /* first back-off in seconds */
	long timeout;         /* seconds per SMTP session */
};

/* Check the configuration (addresses well formed) before the server starts. */
int mail_cfg_check(const struct mail_cfg *m, struct zw_err *err);
/* One pass over the due outbox rows; returns how many were sent, or -code. */
int mail_deliver(struct store *st, const struct profile *prof, const struct mail_cfg *m,
                 int64_t now, struct zw_err *err);

#endif
