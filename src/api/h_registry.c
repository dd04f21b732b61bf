/* HTTP handlers shared by every registry kind (units, zones, VLANs, prefixes, terminals, ...).
 * The route of a kind with a parent gives the parent's id first and the object's second
 * (/units/{id}/contacts/{cid}); the domain authorises every read and write. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/list_cache.h"
#include "api/registry_api.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "domain/export.h"

/* A parameter on f named by the first len bytes of its name and suffix. */
static void add(struct list_param *out, size_t max, size_t *n, const struct rec_field *f,
                enum lq_op op, int len, const char *suffix)
{
	if (*n < max) {
		out[*n] = (struct list_param){.f = f, .op = op};
		snprintf(out[*n].name, sizeof(out[*n].name), "%.*s%s", len, f->name, suffix);
	}
	(*n)++;
}

size_t list_params(const struct registry_kind *k, struct list_param *out, size_t max)
{
	size_t n = 0;
	const struct rec_field *search = NULL;
	for (size_t i = 0; i < k->sc->nfields; i++) {
		const struct rec_field *f = &k->sc->fields[i];
		unsigned fl = f->flags;
		int len = (int)strlen(f->name);
		if (fl & REC_SEARCH)
			search = f;
		if (fl & REC_FILTER)
			add(out, max, &n, f, rec_is_text(f->type) ? LQ_EQ : LQ_EQ_INT, len, "");
		if (fl & REC_RANGE) { /* due_at: due_before, due_after */
			if (len > 3 && strcmp(f->name + len - 3, "_at") == 0)
				len -= 3;
			add(out, max, &n, f, LQ_LE_INT, len, "_before");
			add(out, max, &n, f, LQ_GE_INT, len, "_after");
		}
	}
	if (search)
		add(out, max, &n, search, LQ_LIKE, 0, "q");
	return n < max ? n : max;
}

size_t list_sorts(const struct registry_kind *k, const char **out, size_t max)
{
	size_t n = 0;
	out[n++] = "id";
	for (size_t i = 0; i < k->sc->nfields && n + 1 < max; i++)
		if (k->sc->fields[i].flags & REC_SORT)
			out[n++] = k->sc->fields[i].name;
	out[n] = NULL;
	return n;
}

int req_enum_filters(struct req *r, const struct rec_schema *sc,
                     const struct list_filter_def *filters, struct zw_err *err)
{
	for (const struct list_filter_def *f = filters; f && f->param; f++) {
		const struct rec_field *rf = f->op == LQ_EQ ? rec_field(sc, f->column) : NULL;
		const char *v = rf && rf->type == REC_ENUM ? req_query(r, f->param) : NULL;
		if (!v)
			continue;
		if (rec_enum_label(rf, v))
			return 0;
		char allowed[400];
		rec_enum_list(rf, allowed, sizeof(allowed));
		return zw_errf(err, ZW_EINVALID, f->param, "参数“%s”只能是：%s", f->param, allowed);
	}
	return 0;
}

#define MAX_PARAMS 32
#define MAX_SORTS  64

/* The list query of k's list from the request: what the field table lets it take. */
static int kind_query(struct req *r, const struct registry_kind *k, struct list_query *q,
                      struct zw_err *err)
{
	struct list_param ps[MAX_PARAMS];
	struct list_filter_def defs[MAX_PARAMS + 1];
	size_t n = list_params(k, ps, MAX_PARAMS);
	for (size_t i = 0; i < n; i++)
		defs[i] = (struct list_filter_def){ps[i].name, ps[i].f->name, ps[i].op};
	defs[n] = (struct list_filter_def){NULL, NULL, 0};
	const char *sorts[MAX_SORTS];
	list_sorts(k, sorts, MAX_SORTS);
	int rc = req_list_query(r, q, sorts, "id", defs, err);
	if (!rc)
		rc = req_enum_filters(r, k->sc, defs, err);
	if (!rc) /* the cursor's value is bound as the sort field holds it */
		q->sort_int = !rec_is_text(rec_field(k->sc, q->sort)->type);
	q->count = true; /* every page says how many rows the filters select */
	return rc;
}

/* The route's parent object (a kind with a parent: {id}), or 0. */
static int64_t parent_of(const struct req *r, const struct registry_kind *k)
{
	return k->parent ? r->params[0] : 0;
}

/* The route's object: the last id of its path. */
static int64_t object_of(const struct req *r, const struct registry_kind *k)
{
	return r->params[k->parent ? 1 : 0];
}

void list_export(struct req *r, const struct ctx *x, const struct registry_kind *k, int64_t parent,
                 const struct list_query *q)
{
	struct zw_err err = {0};
	enum export_format f;
	if (fail(r, export_format_of(req_query(r, "format"), &f, &err), &err))
		return;
	struct buf out;
	buf_init(&out, 512u << 20); /* the xlsx writer's; CSV has its own */
	if (fail(r, registry_export(x, k, parent, q, f, &out, &err), &err)) {
		buf_free(&out);
		return;
	}
	reply_sheet(r, k->label, f, &out);
	buf_free(&out);
}

void reply_sheet(struct req *r, const char *title, enum export_format f, const struct buf *out)
{
	char day[24], name[160];
	clock_format_cn(clock_now(), day, sizeof(day));
	day[10] = 0;
	snprintf(name, sizeof(name), "%s-%s.%s", title, day, export_extension(f));
	reply_bytes(r, 200, export_media_type(f), out->p, out->len, name);
}

void reg_list(struct req *r)
{
	struct zw_err err = {0};
	struct list_query q = {0};
	if (!r->kind->whole_list && fail(r, kind_query(r, r->kind, &q, &err), &err))
		return;
	struct ctx x;
	req_ctx(r, &x);
	const char *format = req_query(r, "format");
	if (format) {
		list_export(r, &x, r->kind, parent_of(r, r->kind), &q);
		return;
	}
	/* an answer the thread already built at this version of the database (list_cache.h) */
	struct buf key = {0};
	int64_t dv = 0;
	struct sconn *c = r->kind->extra ? NULL : store_read(x.st, &err);
	bool keep = c && list_cache_key(r, parent_of(r, r->kind), &key) == 0 &&
	            store_data_version(c, &dv, &err) == 0;
	char *text;
	size_t len;
	if (keep && list_cache_get(dv, key.p, &text, &len)) {
		buf_free(&key);
		reply_json_text(r, 200, text, len);
		return;
	}
	zw_err_clear(&err);
	struct buf items;
	reply_list_begin(&items);
	struct list_page page;
	if (fail(r,
	         registry_list_under(&x, r->kind, parent_of(r, r->kind), &q, &items, &page, &err),
	         &err)) {
		buf_free(&items);
		buf_free(&key);
		return;
	}
	text = list_text(&items, r->kind->whole_list ? NULL : &page, &len, &err);
	if (text && keep)
		list_cache_put(dv, key.p, text, len);
	buf_free(&key);
	if (text)
		reply_json_text(r, 200, text, len);
	else
		reply_error(r, &err);
}

void reg_reply(struct req *r, const struct registry_kind *k, int status, int64_t id)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	void *rec = xcalloc(1, k->sc->size);
	if (!fail(r, registry_get_under(&x, k, parent_of(r, k), id, rec, &err), &err)) {
		req_set_etag_rev(r, rec_get_i64(k->sc, rec, "rev"));
		json_t *o = rec_to_json(k->sc, rec);
		if (k->actions)
			json_object_set_new(o, "actions", k->actions(&x, rec));
		struct sconn *c = NULL;
		if (k->extra && (!(c = store_read(x.st, &err)) || k->extra(c, rec, o, &err))) {
			json_decref(o);
			reply_error(r, &err);
		} else {
			reply_json(r, status, o);
		}
	}
	rec_free(k->sc, rec);
	free(rec);
}

void reg_get(struct req *r)
{
	reg_reply(r, r->kind, 200, object_of(r, r->kind));
}

/* create (update false) or patch (update true) from the JSON body */
static void reg_write(struct req *r, bool update)
{
	const struct registry_kind *k = r->kind;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	int64_t parent = parent_of(r, k), id = update ? object_of(r, k) : 0;
	if (fail(r, registry_may_write(&x, k, !update, parent, &err), &err))
		return;
	int64_t rev = update ? req_if_match(r) : 0;
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	void *rec = xcalloc(1, k->sc->size);
	uint64_t present;
	int rc = rec_from_json(k->sc, body, !update, rec, &present, &err);
	json_decref(body);
	if (!rc)
		rc = update ? registry_update_under(&x, k, parent, id, rec, present, rev, &err)
		            : registry_create_under(&x, k, parent, rec, &id, &err);
	rec_free(k->sc, rec);
	free(rec);
	if (fail(r, rc, &err))
		return;
	reg_reply(r, k, update ? 200 : 201, id);
}

void reg_create(struct req *r)
{
	reg_write(r, false);
}

void reg_patch(struct req *r)
{
	reg_write(r, true);
}

void reg_delete(struct req *r)
{
	const struct registry_kind *k = r->kind;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, registry_may_write(&x, k, false, parent_of(r, k), &err), &err))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	if (fail(r, registry_delete_under(&x, k, parent_of(r, k), object_of(r, k), rev, &err),
	         &err))
		return;
	reply_no_content(r);
}
