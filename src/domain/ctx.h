/* ctx: what every domain call acts with: the database, the county's profile, and who acts. */
#ifndef ZW_DOMAIN_CTX_H
#define ZW_DOMAIN_CTX_H

#include "policy/authz.h"
#include "policy/profile.h"
#include "store/store.h"

struct ctx {
	struct store *st;
	const struct profile *prof;
	const struct principal *by;
};

#endif
