#include "domain/export.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "core/xlsx_write.h"
#include "domain/import_kind.h"
#include "store/store.h"

int export_format_of(const char *v, enum export_format *f, struct zw_err *err)
{
	if (strcmp(v, "csv") == 0)
		*f = EXPORT_CSV;
	else if (strcmp(v, "xlsx") == 0)
		*f = EXPORT_XLSX;
	else
		return zw_errf(err, ZW_EINVALID, "format", "参数“format”只能是 csv 或 xlsx");
	return 0;
}

const char *export_media_type(enum export_format f)
{
	return f == EXPORT_XLSX ? XLSX_MEDIA_TYPE : "text/csv; charset=utf-8";
}

const char *export_extension(enum export_format f)
{
	return f == EXPORT_XLSX ? "xlsx" : "csv";
}

/* ---- the sheet ---- */

struct sheet {
	enum export_format f;
	struct buf csv;
	struct xlsx_book *book;
	int s;
	unsigned row, next_col; /* csv: the next column of the row (blanks before col) */
};

/* An export's maximum: the xlsx writer's own, and as much CSV. */
#define CSV_MAX ((size_t)1 << 30)

struct sheet *sheet_new(enum export_format f, const char *title)
{
	struct sheet *s = xcalloc(1, sizeof(*s));
	s->f = f;
	if (f == EXPORT_XLSX) {
		s->book = xlsx_book_new();
		s->s = xlsx_sheet_add(s->book, title, false);
		xlsx_freeze_rows(s->book, s->s, 1);
	} else {
		buf_init(&s->csv, CSV_MAX);
		buf_puts(&s->csv, "\xEF\xBB\xBF");
	}
	return s;
}

void sheet_cell(struct sheet *s, unsigned col, const char *text)
{
	if (s->f == EXPORT_XLSX) {
		if (text && *text)
			xlsx_cell(s->book, s->s, s->row, col, text, s->row == 0 ? XLSX_HEAD : 0);
		if (s->row == 0)
			xlsx_col_width(s->book, s->s, col, 16);
		return;
	}
	for (; s->next_col < col; s->next_col++)
		csv_cell(&s->csv, "", s->next_col == 0);
	csv_cell(&s->csv, text ? text : "", col == 0);
	s->next_col = col + 1;
}

void sheet_row_end(struct sheet *s)
{
	if (s->f == EXPORT_CSV)
		buf_puts(&s->csv, "\r\n");
	s->next_col = 0;
	s->row++;
}

unsigned sheet_rows(const struct sheet *s)
{
	return s->row;
}

void sheet_free(struct sheet *s)
{
	if (s->f == EXPORT_XLSX)
		xlsx_book_free(s->book);
	else
		buf_free(&s->csv);
	free(s);
}

int sheet_finish(struct sheet *s, struct buf *out, struct zw_err *err)
{
	int rc;
	if (s->f == EXPORT_XLSX) {
		rc = xlsx_book_write(s->book, out, err);
	} else if (!(rc = buf_check(&s->csv, err, "导出的表格"))) {
		buf_free(out);
		*out = s->csv; /* the text moves to out */
		buf_init(&s->csv, 0);
	}
	sheet_free(s);
	return rc;
}

/* ---- names of referenced objects ---- */

struct ref_ent {
	const struct import_ref *ref;
	int64_t id;
	char *name; /* "" when gone */
};

struct ref_names {
	struct ref_ent *v;
	size_t n, cap; /* open addressing, at most half full; cap a power of two */
};

struct ref_names *ref_names_new(void)
{
	return xcalloc(1, sizeof(struct ref_names));
}

static struct ref_ent *ref_slot(struct ref_names *rn, const struct import_ref *ref, int64_t id)
{
	uint64_t h = ((uint64_t)id * 0x9e3779b97f4a7c15ull) ^ (uint64_t)(uintptr_t)ref;
	size_t i = (size_t)(h ^ (h >> 29)) & (rn->cap - 1);
	while (rn->v[i].ref && (rn->v[i].ref != ref || rn->v[i].id != id))
		i = (i + 1) & (rn->cap - 1);
	return &rn->v[i];
}

const char *ref_names_get(struct ref_names *rn, struct sconn *c, const char *field, int64_t id)
{
	const struct import_ref *ref = import_ref(field);
	if (!ref)
		return NULL;
	if (2 * (rn->n + 1) > rn->cap) {
		struct ref_names old = *rn;
		rn->cap = old.cap ? old.cap * 2 : 64;
		rn->v = xcalloc(rn->cap, sizeof(*rn->v));
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].ref)
				*ref_slot(rn, old.v[i].ref, old.v[i].id) = old.v[i];
		free(old.v);
	}
	struct ref_ent *e = ref_slot(rn, ref, id);
	if (!e->ref) {
		char *name = import_ref_name(ref, c, id);
		*e = (struct ref_ent){ref, id, name ? name : xstrdup("")};
		rn->n++;
	}
	return e->name;
}

void ref_names_free(struct ref_names *rn)
{
	if (!rn)
		return;
	for (size_t i = 0; i < rn->cap; i++)
		free(rn->v[i].name);
	free(rn->v);
	free(rn);
}

/* ---- values ---- */

const char *export_value_text(const struct rec_field *f, const void *rec, struct ref_names *rn,
                              struct sconn *c, char *out, size_t n)
{
	const char *at = (const char *)rec + f->offset;
	if (rec_is_text(f->type)) {
		const char *v = *(char *const *)at;
		if (!v || !*v)
			return NULL;
		const char *label = f->type == REC_ENUM ? rec_enum_label(f, v) : NULL;
		return label ? label : v;
	}
	switch (f->type) {
	case REC_BOOL:
		return *(const bool *)at ? "是" : "否";
	case REC_REAL:
		snprintf(out, n, "%g", *(const double *)at);
		return out;
	case REC_TIME: {
		int64_t t = *(const int64_t *)at;
		if (!t)
			return NULL;
		clock_format_cn(t, out, n);
		return out;
	}
	case REC_ID: {
		int64_t id = *(const int64_t *)at;
		if (!id)
			return NULL;
		const char *name = rn && c ? ref_names_get(rn, c, f->name, id) : NULL;
		if (name)
			return *name ? name : NULL;
		break;
	}
	case REC_INT:
		if (rec_int_unset(f, *(const int64_t *)at))
			return NULL;
		break;
	default:
		break;
	}
	snprintf(out, n, "%" PRId64, *(const int64_t *)at);
	return out;
}

/* ---- a registry kind's list ---- */

/* The fields a reader of the list sees, as columns. */
static bool shown(const struct rec_field *f)
{
	return !(f->flags & REC_WRITEONLY) && strcmp(f->name, "rev") != 0;
}

struct kind_export {
	const struct rec_schema *sc;
	struct sheet *sheet;
	struct ref_names *rn;
	struct sconn *c;
};

static int export_row(const void *rec, void *ctx)
{
	struct kind_export *e = ctx;
	unsigned col = 0;
	for (size_t i = 0; i < e->sc->nfields; i++) {
		const struct rec_field *f = &e->sc->fields[i];
		if (!shown(f))
			continue;
		char tmp[64];
		sheet_cell(e->sheet, col++,
		           export_value_text(f, rec, e->rn, e->c, tmp, sizeof(tmp)));
	}
	sheet_row_end(e->sheet);
	return 0;
}

int registry_export(const struct ctx *x, const struct registry_kind *k, int64_t parent,
                    const struct list_query *q, enum export_format f, struct buf *out,
                    struct zw_err *err)
{
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -err->code;
	struct kind_export e = {k->sc, sheet_new(f, k->label), ref_names_new(), c};
	unsigned col = 0;
	for (size_t i = 0; i < k->sc->nfields; i++)
		if (shown(&k->sc->fields[i]))
			sheet_cell(e.sheet, col++, k->sc->fields[i].label);
	sheet_row_end(e.sheet);
	int rc = registry_scan_under(x, k, parent, q, export_row, &e, err);
	ref_names_free(e.rn);
	if (rc) {
		sheet_free(e.sheet);
		return rc;
	}
	return sheet_finish(e.sheet, out, err);
}
