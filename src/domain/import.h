/*
 * import: existing spreadsheets (CSV, UTF-8) into the registry: units, prefixes, terminals.
 *
 * Columns are matched by their header, in English (the field name) or Chinese (the field's
 * label or a common alias: 单位名称, MAC地址, 网段, ...). Units, zones and VLANs may be named
 * rather than numbered (单位 = the unit's name). Every row goes through the same domain
 * function as an API request, inside one transaction with a savepoint per row, so every
 * problem is reported by row and column, and the file is written whole or not at all. A dry
 * run checks everything and writes nothing.
 */
#ifndef ZW_DOMAIN_IMPORT_H
#define ZW_DOMAIN_IMPORT_H

#include <stdbool.h>

#include "domain/ipam.h"

/* kind: "units", "prefixes" or "terminals". Returns a report
 * {"kind","dry_run","rows","written","errors":[{"row","column","field","message"}]}; NULL
 * with err set when the file as a whole is refused (unknown kind or header, not CSV). */
json_t *import_csv(const struct ctx *x, struct ipam_cache *cache, const char *kind,
                   const char *text, size_t len, bool dry_run, struct zw_err *err);

#endif
