/*
 * import: the sheets county offices keep (an xlsx workbook, or CSV in UTF-8 or GB18030) into
 * the registry: units, their contacts, prefixes, host addresses, terminals, devices, lines.
 *
 * A sheet is read as an office makes it. The header is the first row (of the first 20) whose
 * cells are known column names (a field's name, its Chinese label, or a word offices use for
 * it: domain/import_words.h); the rows above it (a title, 填报单位：…) are skipped and said. The
 * sheet read is the one named, else the first visible one with such a row. Columns with other
 * headers (序号, …) are ignored and listed. Every cell is put in NFKC (full-width digits,
 * letters, colons and dots their ASCII forms) and trimmed; values offices write for an
 * enumeration (台式机) are mapped to the register's (计算机) and the mapping reported; yes/no
 * and dates as offices write them are read. A value merged down a block of rows counts in each
 * of them. Blank rows are skipped silently, notes rows below the data (注：…) are skipped and
 * said. References name their object: a unit by its name, short name or number, a zone by
 * name or code, a VLAN by its VID, a carrier by name, a prefix by CIDR, a terminal by MAC.
 *
 * Every problem of every row is reported, with the row as the sheet numbers it, its cell
 * ("C5") and the column's own header: each cell's own problem (format, vocabulary, unknown
 * reference, required but empty, the same value as an earlier row of the file), then, when the
 * cells are right, what the register refuses the row for. Every row goes through the same
 * domain function as an API request (registry_create_tx, prefix_create_tx). Three phases:
 *
 *   1. read    the file into rows (at most max_rows after the header; no database)
 *   2. check   every row through its create function on a scratch copy of the registers
 *              (store_scratch_open), each in a savepoint, rows earlier in the file seen by
 *              later ones; the real database is not locked
 *   3. write   in one transaction on the real writer: all rows when phase 2 found nothing
 *              (all or nothing, the default), or only the good ones (good_rows_only), whose
 *              refused rows come back as a workbook with a 问题 column
 *
 * A dry run is phases 1 and 2: it never takes the write lock. The report lists the first
 * max_errors problems and counts all of them. One log line per import.
 */
#ifndef ZW_DOMAIN_IMPORT_H
#define ZW_DOMAIN_IMPORT_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/xlsx.h"
#include "domain/import_words.h"
#include "domain/ipam/ipam.h"

#define IMPORT_MAX_ROWS   100000
#define IMPORT_MAX_ERRORS 200

struct import_limits {
	int max_rows;   /* data rows in one file; more refuses the file (413) */
	int max_errors; /* problems listed in a report; all are counted */
	struct xlsx_limits xlsx;
	const struct import_words *words; /* NULL: the shipped ones */
};

struct import_opts {
	bool dry_run;
	bool good_rows_only;
	const char *sheet; /* NULL: the first visible sheet with a header row */
};

/* kind: one of the kinds import_kinds lists; lim NULL for the defaults. Returns a report
 * {"kind","dry_run","good_rows_only","sheet","encoding","header_row","skipped_rows",
 * "columns","ignored_columns","mappings","rows","good_rows","written","refused_rows",
 * "errors":[{"row","cell","column","field","message"}],"error_count","refused_file"}; NULL
 * with err set when the file as a whole is refused (unknown kind, no header row, a required
 * column missing, not CSV or xlsx, too many rows, a workbook over its limits). */
json_t *import_file(const struct ctx *x, struct ipam_cache *cache, const struct import_limits *lim,
                    const char *kind, const char *text, size_t len, const struct import_opts *o,
                    struct zw_err *err);

/* [{"kind","label","columns":[{"field","header","required","reference","values",
 * "synonyms"}]}]: what each kind's sheet may hold, for the console and the docs. */
json_t *import_kinds(const struct import_words *w);

/* An xlsx workbook to fill in for kind: the headers, one sample row, drop-down lists for
 * enumerations and yes/no, and a 填表说明 sheet. */
int import_template(const struct import_words *w, const char *kind, struct buf *out,
                    struct zw_err *err);
/* The register of kind as the principal may read it, in the template's shape (references by
 * name), so that export, edit, import round-trips. */
int import_export(const struct ctx *x, const char *kind, struct buf *out, struct zw_err *err);

#endif
