/* HTTP handlers shared by every registry kind (zones, VLANs, prefixes, terminals, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/registry_api.h"

int req_enum_filters(struct req *r, const struct rec_schema *sc,
                     const struct list_filter_def *filters, struct zw_err *err)
{
	for (const struct list_filter_def *f = filters; f && f->param; f++) {
		const struct rec_field *rf = f->op == LQ_EQ ? rec_field(sc, f->column) : NULL;
		const char *v = rf && rf->type == REC_ENUM ? req_query(r, f->param) : NULL;
		if (!v)
			continue;
		char allowed[400] = "";
		size_t off = 0;
		for (const char *const *e = rf->enums; *e; e++) {
			if (strcmp(*e, v) == 0)
				return 0;
			int w = snprintf(allowed + off, sizeof(allowed) - off, "%s%s",
			                 e == rf->enums ? "" : "、", *e);
			if (w > 0 && (size_t)w < sizeof(allowed) - off)
				off += (size_t)w;
		}
		return zw_errf(err, ZW_EINVALID, f->param, "参数“%s”只能是：%s", f->param, allowed);
	}
	return 0;
}

void reg_list(struct req *r, const struct reg_api *a)
{
	struct zw_err err = {0};
	struct list_query q;
	if (fail(r, req_list_query(r, &q, a->sorts, "id", a->filters, &err), &err) ||
	    fail(r, req_enum_filters(r, a->k->sc, a->filters, &err), &err))
		return;
	struct ctx x;
	req_ctx(r, &x);
	struct buf items;
	reply_list_begin(&items);
	struct list_page page;
	if (fail(r, registry_list(&x, a->k, &q, &items, &page, &err), &err)) {
		buf_free(&items);
		return;
	}
	reply_list_buf(r, &items, &page);
}

void reg_reply(struct req *r, const struct registry_kind *k, int status, int64_t id)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	void *rec = calloc(1, k->sc->size);
	if (!rec) {
		reply_code(r, ZW_EINTERNAL, NULL, NULL);
		return;
	}
	if (!fail(r, registry_get(&x, k, id, rec, &err), &err)) {
		req_set_etag_rev(r, rec_get_i64(k->sc, rec, "rev"));
		reply_json(r, status, rec_to_json(k->sc, rec));
	}
	rec_free(k->sc, rec);
	free(rec);
}

void reg_get(struct req *r, const struct reg_api *a)
{
	reg_reply(r, a->k, 200, r->params[0]);
}

void reg_write(struct req *r, const struct reg_api *a, bool update)
{
	const struct registry_kind *k = a->k;
	int64_t rev = update ? req_if_match(r) : 0;
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	void *rec = calloc(1, k->sc->size);
	uint64_t present;
	int64_t id = update ? r->params[0] : 0;
	int rc = rec ? rec_from_json(k->sc, body, !update, rec, &present, &err)
	             : zw_errf(&err, ZW_EINTERNAL, NULL, NULL);
	json_decref(body);
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = update ? registry_update(&x, k, id, rec, present, rev, &err)
		            : registry_create(&x, k, rec, &id, &err);
	if (rec)
		rec_free(k->sc, rec);
	free(rec);
	if (fail(r, rc, &err))
		return;
	reg_reply(r, k, update ? 200 : 201, id);
}

void reg_delete(struct req *r, const struct reg_api *a)
{
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, registry_delete(&x, a->k, r->params[0], rev, &err), &err))
		return;
	reply_no_content(r);
}
