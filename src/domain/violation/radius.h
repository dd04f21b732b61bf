/*
 * radius: the answers FreeRADIUS's rlm_rest gets for MAC authentication (MAB) and 802.1X
 * (contrib/freeradius/ has the site and module configuration).
 *
 * The terminal is found by its MAC (Calling-Station-Id, else a User-Name that is a MAC):
 *   registered, its unit 已接入 and nothing isolates it  → accept, the unit's VLAN
 *   isolated (its MAC or address, or its whole unit; a 暂停 unit) → accept, the quarantine VLAN
 *   unregistered, or its unit not connected → reject citing the clause that forbids
 *     unregistered terminals, or the registration VLAN when one is set (radius_unknown_vlan)
 * `authorize` answers MAB itself (Auth-Type Accept, or 401 = reject) and lets 802.1X go on to
 * EAP (204), refusing an unknown MAC early; `post-auth` gives the VLAN after EAP succeeded and
 * marks a refusal in control:Tmp-String-0 = "reject" for the site to act on.
 */
#ifndef ZW_DOMAIN_RADIUS_H
#define ZW_DOMAIN_RADIUS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/ctx.h"

struct radius_policy {
	int64_t quarantine_vlan; /* VLAN of isolated terminals */
	int64_t unknown_vlan;    /* registration VLAN for unknown MACs; 0 = reject them */
};

/* section: "authorize" or "post-auth"; body: the request's attributes as rlm_rest's JSON.
 * *status is the HTTP status to answer with, *out the attributes (NULL for 204). */
int radius_answer(const struct ctx *x, const struct radius_policy *rp, const char *section,
                  const json_t *body, int *status, json_t **out, struct zw_err *err);

#endif
