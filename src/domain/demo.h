/*
 * demo: seeds a realistic demo county from the embedded data/demo/units.conf (about 60
 * units with contacts) and the profile (agreements of the kinds it requires, some missing so
 * the 补签 backlog shows), plus one user of each role. Everything goes through the domain
 * functions, so it is validated and audited like any other change.
 */
#ifndef ZW_DOMAIN_DEMO_H
#define ZW_DOMAIN_DEMO_H

#include "domain/org/account.h"
#include "domain/ctx.h"

struct demo_result {
	int units, contacts, agreements, users;
};

int demo_seed(struct store *st, const struct profile *prof, const struct account_cfg *acct,
              const struct principal *by, const char *password, struct demo_result *res,
              struct zw_err *err);

#endif
