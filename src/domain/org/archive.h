/*
 * archive: everything the center holds about one unit in one document (LN-21: responsible
 * people, networks, VLANs, addresses, terminals, devices, lines, ports, domain names,
 * agreements), as JSON, as CSV (one section after another, for spreadsheets) and as a
 * printable HTML page in Chinese. Sections the principal may not read are left out and
 * named as such; every section is read with the principal's own scope.
 */
#ifndef ZW_DOMAIN_ARCHIVE_H
#define ZW_DOMAIN_ARCHIVE_H

#include "core/buf.h"
#include "domain/ctx.h"

json_t *archive_build(const struct ctx *x, int64_t unit_id, struct zw_err *err);
int archive_csv(const json_t *doc, struct buf *out);
int archive_html(const json_t *doc, const struct profile *prof, struct buf *out);

#endif
