#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/registry_api.h"
#include "domain/org/archive.h"
#include "domain/blob.h"
#include "domain/org/unit.h"
#include "core/xalloc.h"

static int allowed(struct req *r, enum action a, int64_t unit_id)
{
	struct zw_err err = {0};
	return fail(r, authz_check(&r->who, a, unit_id, &err), &err);
}

static void reply_unit(struct req *r, int status, int64_t id)
{
	struct zw_err err = {0};
	struct unit u = {0};
	if (fail(r, unit_get(r->srv->st, id, &u, &err), &err))
		return;
	req_set_etag_rev(r, u.rev);
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = unit_json(&u);
	json_object_set_new(o, "actions", unit_actions(&x, &u));
	reply_json(r, status, o);
	unit_free(&u);
}

void h_units_list(struct req *r)
{
	static const char *const sorts[] = {"id", "name", "status", "updated_at", NULL};
	static const struct list_filter_def filters[] = {
	    {"status", "status", LQ_EQ}, {"type", "type", LQ_EQ},
	    {"level", "level", LQ_EQ},   {"parent_id", "parent_id", LQ_EQ_INT},
	    {"q", "name", LQ_LIKE},      {NULL, NULL, 0}};
	struct zw_err err = {0};
	enum scope sc = authz_scope(&r->who, ACT_UNIT_READ);
	if (sc == SCOPE_NONE) {
		allowed(r, ACT_UNIT_READ, 0);
		return;
	}
	struct list_query q;
	if (fail(r, req_list_query(r, &q, sorts, "id", filters, &err), &err) ||
	    fail(r, req_enum_filters(r, &unit_schema, filters, &err), &err))
		return;
	if (sc == SCOPE_OWN_UNIT) {
		if (q.nf == LQ_MAX_FILTERS) {
			reply_code(r, ZW_EINVALID, NULL, "过滤条件过多");
			return;
		}
		q.f[q.nf++] =
		    (struct lq_filter){.col = "id", .ival = r->who.unit_id, .op = LQ_EQ_INT};
	}
	struct buf items;
	reply_list_begin(&items);
	struct list_page page;
	if (fail(r, unit_list(r->srv->st, &q, &items, &page, &err), &err)) {
		buf_free(&items);
		return;
	}
	reply_list_buf(r, &items, &page);
}

void h_units_create(struct req *r)
{
	if (allowed(r, ACT_UNIT_CREATE, 0))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct unit u = {0};
	uint64_t present;
	int64_t id = 0;
	int rc = rec_from_json(&unit_schema, body, true, &u, &present, &err);
	json_decref(body);
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = unit_create(&x, &u, present, &id, &err);
	unit_free(&u);
	if (fail(r, rc, &err))
		return;
	reply_unit(r, 201, id);
}

void h_unit_get(struct req *r)
{
	if (allowed(r, ACT_UNIT_READ, r->params[0]))
		return;
	reply_unit(r, 200, r->params[0]);
}

void h_unit_patch(struct req *r)
{
	if (allowed(r, ACT_UNIT_UPDATE, r->params[0]))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct unit patch = {0};
	uint64_t present;
	int rc = rec_from_json(&unit_schema, body, false, &patch, &present, &err);
	json_decref(body);
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = unit_update(&x, r->params[0], &patch, present, rev, &err);
	unit_free(&patch);
	if (fail(r, rc, &err))
		return;
	reply_unit(r, 200, r->params[0]);
}

void h_unit_status(struct req *r)
{
	if (allowed(r, ACT_UNIT_STATUS, r->params[0]))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "dry_run") == 0 && json_is_boolean(v))
			continue;
		if (strcmp(key, "status") && strcmp(key, "clause") && strcmp(key, "reason")) {
			rc = zw_errf(&err, ZW_EINVALID, key, "未知字段“%.40s”", key);
			break;
		}
		if (!json_is_string(v)) {
			rc = zw_errf(&err, ZW_EINVALID, key, "字段“%s”应为字符串", key);
			break;
		}
	}
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = unit_move(&x, r->params[0],
		               &(struct unit_move){
		                   .status = json_string_value(json_object_get(body, "status")),
		                   .clause = json_string_value(json_object_get(body, "clause")),
		                   .reason = json_string_value(json_object_get(body, "reason")),
		                   .if_rev = rev,
		                   .dry_run = json_is_true(json_object_get(body, "dry_run"))},
		               &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reply_unit(r, 200, r->params[0]);
}

void h_unit_history(struct req *r)
{
	if (allowed(r, ACT_UNIT_READ, r->params[0]))
		return;
	struct zw_err err = {0};
	struct unit u = {0};
	if (fail(r, unit_get(r->srv->st, r->params[0], &u, &err), &err))
		return;
	unit_free(&u);
	json_t *items = unit_history_json(r->srv->st, r->params[0], &err);
	if (!items) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

/*
 * Contacts and agreements are records under a unit with the same five operations. One
 * descriptor per kind; the handlers below are shared.
 */
struct child_kind {
	const struct rec_schema *sc;
	enum action read, write;
	int (*list)(struct store *, int64_t unit, struct buf *, struct zw_err *);
	int (*get)(struct store *, int64_t unit, int64_t id, void *rec, struct zw_err *);
	int (*create)(const struct ctx *, int64_t unit, const void *rec, int64_t *id,
	              struct zw_err *);
	int (*update)(const struct ctx *, int64_t unit, int64_t id, const void *patch,
	              uint64_t present, int64_t rev, struct zw_err *);
	int (*del)(const struct ctx *, int64_t unit, int64_t id, int64_t rev, struct zw_err *);
};

static int c_get(struct store *st, int64_t u, int64_t id, void *rec, struct zw_err *e)
{
	return contact_get(st, u, id, rec, e);
}
static int c_create(const struct ctx *x, int64_t u, const void *rec, int64_t *id, struct zw_err *e)
{
	return contact_create(x, u, rec, id, e);
}
static int c_update(const struct ctx *x, int64_t u, int64_t id, const void *p, uint64_t present,
                    int64_t rev, struct zw_err *e)
{
	return contact_update(x, u, id, p, present, rev, e);
}
static int a_get(struct store *st, int64_t u, int64_t id, void *rec, struct zw_err *e)
{
	return agreement_get(st, u, id, rec, e);
}
static int a_create(const struct ctx *x, int64_t u, const void *rec, int64_t *id, struct zw_err *e)
{
	return agreement_create(x, u, rec, id, e);
}
static int a_update(const struct ctx *x, int64_t u, int64_t id, const void *p, uint64_t present,
                    int64_t rev, struct zw_err *e)
{
	return agreement_update(x, u, id, p, present, rev, e);
}

static const struct child_kind contacts = {
    &contact_schema, ACT_CONTACT_READ, ACT_CONTACT_WRITE, contact_list,
    c_get,           c_create,         c_update,          contact_delete};
static const struct child_kind agreements = {
    &agreement_schema, ACT_AGREEMENT_READ, ACT_AGREEMENT_WRITE, agreement_list, a_get,
    a_create,          a_update,           agreement_delete};

static void child_list(struct req *r, const struct child_kind *k)
{
	if (allowed(r, k->read, r->params[0]))
		return;
	struct zw_err err = {0};
	struct unit u = {0};
	if (fail(r, unit_get(r->srv->st, r->params[0], &u, &err), &err))
		return;
	unit_free(&u);
	struct buf items;
	reply_list_begin(&items);
	if (fail(r, k->list(r->srv->st, r->params[0], &items, &err), &err)) {
		buf_free(&items);
		return;
	}
	reply_list_buf(r, &items, NULL);
}

static void child_reply(struct req *r, const struct child_kind *k, int status, int64_t id)
{
	struct zw_err err = {0};
	void *rec = xcalloc(1, k->sc->size);
	if (!fail(r, k->get(r->srv->st, r->params[0], id, rec, &err), &err)) {
		req_set_etag_rev(r, *(int64_t *)((char *)rec + rec_field(k->sc, "rev")->offset));
		reply_json(r, status, rec_to_json(k->sc, rec));
	}
	rec_free(k->sc, rec);
	free(rec);
}

static void child_get(struct req *r, const struct child_kind *k)
{
	if (allowed(r, k->read, r->params[0]))
		return;
	child_reply(r, k, 200, r->params[1]);
}

/* create (update == false) or patch (update == true) from the JSON body */
static void child_write(struct req *r, const struct child_kind *k, bool update)
{
	if (allowed(r, k->write, r->params[0]))
		return;
	int64_t rev = update ? req_if_match(r) : 0;
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	void *rec = xcalloc(1, k->sc->size);
	uint64_t present;
	int64_t id = r->params[1];
	int rc = rec_from_json(k->sc, body, !update, rec, &present, &err);
	json_decref(body);
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = update ? k->update(&x, r->params[0], id, rec, present, rev, &err)
		            : k->create(&x, r->params[0], rec, &id, &err);
	rec_free(k->sc, rec);
	free(rec);
	if (fail(r, rc, &err))
		return;
	child_reply(r, k, update ? 200 : 201, id);
}

static void child_delete(struct req *r, const struct child_kind *k)
{
	if (allowed(r, k->write, r->params[0]))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, k->del(&x, r->params[0], r->params[1], rev, &err), &err))
		return;
	reply_no_content(r);
}

void h_contacts_list(struct req *r)
{
	child_list(r, &contacts);
}
void h_contacts_create(struct req *r)
{
	child_write(r, &contacts, false);
}
void h_contact_patch(struct req *r)
{
	child_write(r, &contacts, true);
}
void h_contact_delete(struct req *r)
{
	child_delete(r, &contacts);
}
void h_agreements_list(struct req *r)
{
	child_list(r, &agreements);
}
void h_agreements_create(struct req *r)
{
	child_write(r, &agreements, false);
}
void h_agreement_get(struct req *r)
{
	child_get(r, &agreements);
}
void h_agreement_patch(struct req *r)
{
	child_write(r, &agreements, true);
}
void h_agreement_delete(struct req *r)
{
	child_delete(r, &agreements);
}

void h_agreement_scan_put(struct req *r)
{
	if (allowed(r, ACT_AGREEMENT_WRITE, r->params[0]))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	const char *name = req_query(r, "filename");
	if (!name) {
		reply_code(r, ZW_EINVALID, "filename", "请在 filename 参数中给出原文件名");
		return;
	}
	if (r->body.len == 0) {
		reply_code(r, ZW_EINVALID, "file", "扫描件为空");
		return;
	}
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	const char *ct = req_header(r, "Content-Type");
	if (ct && strcmp(ct, "application/octet-stream") == 0)
		ct = NULL;
	if (fail(r,
	         agreement_attach_scan(&x, r->params[0], r->params[1], name, ct, r->body.p,
	                               r->body.len, rev, &err),
	         &err))
		return;
	child_reply(r, &agreements, 200, r->params[1]);
}

void h_agreement_scan_get(struct req *r)
{
	if (allowed(r, ACT_AGREEMENT_READ, r->params[0]))
		return;
	struct zw_err err = {0};
	struct agreement a = {0};
	if (fail(r, agreement_get(r->srv->st, r->params[0], r->params[1], &a, &err), &err))
		return;
	if (!a.scan_sha256) {
		agreement_free(&a);
		reply_code(r, ZW_ENOTFOUND, "scan", "该协议尚未上传扫描件");
		return;
	}
	void *data = NULL;
	size_t len = 0;
	char mime[64];
	struct sconn *c = store_read(r->srv->st, &err);
	int rc = c ? blob_get(c, a.scan_sha256, &data, &len, mime, &err) : -ZW_EINTERNAL;
	if (!fail(r, rc, &err))
		reply_bytes(r, 200, mime, data, len, a.scan_name);
	free(data);
	agreement_free(&a);
}

void h_agreements_missing(struct req *r)
{
	enum scope sc = authz_scope(&r->who, ACT_AGREEMENT_READ);
	if (sc == SCOPE_NONE) {
		allowed(r, ACT_AGREEMENT_READ, 0);
		return;
	}
	struct zw_err err = {0};
	json_t *items = agreements_missing(r->srv->st, r->srv->prof,
	                                   sc == SCOPE_OWN_UNIT ? r->who.unit_id : 0, &err);
	if (!items) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void h_unit_archive(struct req *r)
{
	const char *format = req_query(r, "format");
	if (!format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html")) {
		reply_code(r, ZW_EINVALID, "format", "format 只能是 json、csv 或 html");
		return;
	}
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *doc = archive_build(&x, r->params[0], &err);
	if (!doc) {
		reply_error(r, &err);
		return;
	}
	if (strcmp(format, "json") == 0) {
		reply_json(r, 200, doc);
		return;
	}
	struct buf out;
	buf_init(&out, 256u << 20);
	int rc = format[0] == 'c' ? archive_csv(doc, &out) : archive_html(doc, x.prof, &out);
	json_decref(doc);
	if (rc < 0)
		reply_code(r, ZW_EINTERNAL, NULL, NULL);
	else if (format[0] == 'c')
		reply_bytes(r, 200, "text/csv; charset=utf-8", out.p, out.len, "单位档案.csv");
	else
		reply_bytes(r, 200, "text/html; charset=utf-8", out.p, out.len, NULL);
	buf_free(&out);
}
