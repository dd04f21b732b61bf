/*
 * agreement: the agreements a unit signs, of the kinds its county's profile names (JX 保密协议
 * and 网络安全责任书, LN 安全保密承诺书, ...), a registry kind under its unit
 * (/units/{id}/agreements/{aid}); each may carry its signed scan, stored content-addressed
 * (blob.h). Which ones a connection needs is the unit workflow's gate (unit.c).
 */
#ifndef ZW_DOMAIN_AGREEMENT_H
#define ZW_DOMAIN_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/record.h"
#include "domain/ctx.h"
#include "domain/registry.h"
#include "store/store.h"

struct agreement {
	int64_t id, unit_id;
	char *kind, *name, *signed_on, *signatories;
	char *scan_sha256, *scan_name, *scan_type;
	int64_t scan_size;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema agreement_schema;
extern const struct registry_kind agreement_kind;

/* Attach a signed scan: data is checked (PDF, PNG or JPEG by content, matching the declared
 * type), stored once by SHA-256, and linked with its original file name. */
int agreement_attach_scan(const struct ctx *x, int64_t unit_id, int64_t id, const char *filename,
                          const char *declared_type, const void *data, size_t len, int64_t if_rev,
                          struct zw_err *err);
/* The signed scan of agreement id of the unit as the principal may read it: its bytes (*data
 * malloc'd), type and original file name (*name malloc'd). 404 naming scan when none. */
int agreement_scan(const struct ctx *x, int64_t unit_id, int64_t id, void **data, size_t *len,
                   char mime[64], char **name, struct zw_err *err);
/* The unit's agreements as a JSON array into out, read for a document (domain/access/paper.c)
 * with no principal: the caller has authorised the document. */
int agreement_list(struct store *st, int64_t unit_id, struct buf *out, struct zw_err *err);
void agreement_free(struct agreement *a);

#endif
