/*
 * export: what a list shows, as a sheet people open, file and hand to an inspection (issue 16).
 * Every list route takes ?format=csv|xlsx: every page of the list under the same filters and
 * sort, one column per field a reader of the list sees (write-only secrets and the revision
 * left out), headed by the field's Chinese label, each value as a person reads it
 * (export_value_text: an enum's Chinese name, 是/否, Beijing time, a unit's name for its id).
 * CSV is UTF-8 with a byte-order mark (Excel on a Chinese Windows reads it as such) and
 * formula-safe cells; xlsx through core/xlsx_write.
 */
#ifndef ZW_DOMAIN_EXPORT_H
#define ZW_DOMAIN_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/registry.h"

enum export_format { EXPORT_CSV = 1, EXPORT_XLSX };

/* "csv" or "xlsx" into *f; otherwise a 400 naming the parameter "format". */
int export_format_of(const char *v, enum export_format *f, struct zw_err *err);
/* The media type and file extension of f. */
const char *export_media_type(enum export_format f);
const char *export_extension(enum export_format f);

/* A sheet written a row at a time, the same calls for either format. */
struct sheet;
struct sheet *sheet_new(enum export_format f, const char *title);
/* Cell col of the current row; NULL or "" leaves it blank. */
void sheet_cell(struct sheet *s, unsigned col, const char *text);
void sheet_row_end(struct sheet *s);
/* The rows written so far (the header counts). */
unsigned sheet_rows(const struct sheet *s);
/* A sheet given up (an error while writing it). */
void sheet_free(struct sheet *s);
/* The file into out, and the sheet freed; 413 when it passes its maximum. */
int sheet_finish(struct sheet *s, struct buf *out, struct zw_err *err);

/* The names of referenced objects (a unit's name for unit_id, a VLAN's VID, a prefix's CIDR),
 * each looked up once per export. */
struct ref_names;
struct ref_names *ref_names_new(void);
/* The name of id in the column of field (a field without a reference: NULL); "" when the
 * object is gone. Valid until ref_names_free. */
const char *ref_names_get(struct ref_names *rn, struct sconn *c, const char *field, int64_t id);
void ref_names_free(struct ref_names *rn);

/* The text a person reads for field f of rec, into out (n bytes; may be cut only for a
 * number, never for stored text, which is returned as it is): NULL for a blank (unset text, a
 * 0 time or id, an integer not given (rec_int_unset), a field not shown). rn names references
 * (NULL: ids stay numbers). */
const char *export_value_text(const struct rec_field *f, const void *rec, struct ref_names *rn,
                              struct sconn *c, char *out, size_t n);

/* k's list under q (filters, sort; the cursor is ignored: every page) as the principal may
 * read it, into out in format f. The file's name (without the extension) into name. */
int registry_export(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                    const struct list_query *q, enum export_format f, struct buf *out,
                    struct zw_err *err);

#endif
