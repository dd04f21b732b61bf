/*
 * webhook: the outbox as HTTP POSTs of JSON to one configured URL (a county's own OA or
 * messaging gateway). The body carries the event, its Chinese title and body, and the subject
 * as the API shows it; X-Zwnet-Event names the outbox row so a receiver can drop repeats, and
 * with a secret X-Zwnet-Signature is "sha256=" HMAC-SHA256 of the body. Any 2xx answer is
 * delivery; anything else is retried like mail (domain/notify.c).
 */
#ifndef ZW_DOMAIN_WEBHOOK_H
#define ZW_DOMAIN_WEBHOOK_H

#include <stdint.h>

#include "core/err.h"
#include "policy/profile.h"
#include "store/store.h"

struct webhook_cfg {
	const char *url;    /* http:// or https://; "" = off */
	const char *secret; /* HMAC key, may be "" */
	int64_t retry_min;
	long timeout;
};

int webhook_cfg_check(const struct webhook_cfg *w, struct zw_err *err);
int webhook_deliver(struct store *st, const struct profile *prof, const struct webhook_cfg *w,
                    int64_t now, struct zw_err *err);

#endif
