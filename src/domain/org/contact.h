/*
 * contact: the people a unit names for the roles of TB-6/TB-7 (主要领导, 分管领导, 网络管理员,
 * 技术联系人, 安全联系人), a registry kind under its unit (/units/{id}/contacts/{cid}). A unit
 * that changes its 安全联系人 itself starts the profile's contact_refile deadline (TB-6).
 */
#ifndef ZW_DOMAIN_CONTACT_H
#define ZW_DOMAIN_CONTACT_H

#include <stdint.h>

#include "core/err.h"
#include "core/record.h"
#include "domain/registry.h"
#include "store/store.h"

struct contact {
	int64_t id, unit_id;
	char *role, *name, *post, *mobile, *email;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema contact_schema;
extern const struct registry_kind contact_kind;

/* One contact of the unit, read for a document (domain/access/paper.c), with no principal:
 * the caller has authorised the document. */
int contact_get(struct store *st, int64_t unit_id, int64_t id, struct contact *c,
                struct zw_err *err);
void contact_free(struct contact *c);

#endif
