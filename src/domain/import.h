/*
 * import: existing spreadsheets (CSV, UTF-8, or the first sheet of an xlsx workbook) into the
 * registry: units, prefixes, terminals.
 *
 * Columns are matched by their header, in English (the field name) or Chinese (the field's
 * label or a common alias: 单位名称, MAC地址, 网段, ...). Units, zones and VLANs may be named
 * rather than numbered (单位 = the unit's name). Every row goes through the same domain
 * function as an API request (registry_create_tx, prefix_create_tx), and the file is written
 * whole or not at all. Three phases:
 *
 *   1. read    the file into rows (at most max_rows; no database)
 *   2. check   every row through its create function on a scratch copy of the registers
 *              (store_scratch_open), each in a savepoint: every problem by row and column,
 *              rows earlier in the file seen by later ones; the real database is not locked
 *   3. write   only when phase 2 found nothing and this is no dry run: the rows again, through
 *              the same functions, in one transaction on the real writer, without savepoints
 *
 * A dry run is phases 1 and 2: it never takes the write lock. The report lists the first
 * max_errors problems and counts all of them. One log line per import.
 */
#ifndef ZW_DOMAIN_IMPORT_H
#define ZW_DOMAIN_IMPORT_H

#include <stdbool.h>

#include "core/xlsx.h"
#include "domain/ipam/ipam.h"

#define IMPORT_MAX_ROWS   100000
#define IMPORT_MAX_ERRORS 200

struct import_limits {
	int max_rows;   /* data rows in one file; more refuses the file (413) */
	int max_errors; /* problems listed in a report; all are counted */
	struct xlsx_limits xlsx;
};

/* kind: "units", "prefixes" or "terminals"; lim NULL for the defaults. Returns a report
 * {"kind","dry_run","rows","written","errors":[{"row","column","field","message"}],
 * "error_count"}; NULL with err set when the file as a whole is refused (unknown kind or
 * header, not CSV or xlsx, too many rows, a workbook over its limits). */
json_t *import_file(const struct ctx *x, struct ipam_cache *cache, const struct import_limits *lim,
                    const char *kind, const char *text, size_t len, bool dry_run,
                    struct zw_err *err);

#endif
