/* What is the unit's own over HTTP: its status moves, their history, its archive, its
 * agreements' scans and the 补签 list. Units, contacts and agreements themselves are registry
 * kinds, served by api/h_registry.c. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "core/text.h"
#include "api/registry_api.h"
#include "domain/org/archive.h"
#include "domain/org/unit.h"

void h_unit_status(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, unit_may_move(&x, r->params[0], &err), &err))
		return;
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "dry_run") == 0 && json_is_boolean(v))
			continue;
		if (strcmp(key, "status") && strcmp(key, "clause") && strcmp(key, "reason")) {
			rc = zw_errf(&err, ZW_EINVALID, key, "未知字段“%.*s”", CUT(key, 40));
			break;
		}
		if (!json_is_string(v)) {
			rc = zw_errf(&err, ZW_EINVALID, key, "字段“%s”应为字符串", key);
			break;
		}
	}
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
	reg_reply(r, &unit_kind, 200, r->params[0]);
}

void h_unit_history(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *items = unit_history(&x, r->params[0], &err);
	if (!items) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void h_agreement_scan_put(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, registry_may_write(&x, &agreement_kind, false, r->params[0], &err), &err))
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
	const char *ct = req_header(r, "Content-Type");
	if (ct && strcmp(ct, "application/octet-stream") == 0)
		ct = NULL;
	if (fail(r,
	         agreement_attach_scan(&x, r->params[0], r->params[1], name, ct, r->body.p,
	                               r->body.len, rev, &err),
	         &err))
		return;
	reg_reply(r, &agreement_kind, 200, r->params[1]);
}

void h_agreement_scan_get(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	void *data = NULL;
	size_t len = 0;
	char mime[64], *name = NULL;
	if (!fail(r, agreement_scan(&x, r->params[0], r->params[1], &data, &len, mime, &name, &err),
	          &err))
		reply_bytes(r, 200, mime, data, len, name);
	free(data);
	free(name);
}

void h_agreements_missing(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *items = agreements_missing(&x, &err);
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
	if (buf_check(&out, &err, "单位档案"))
		reply_error(r, &err);
	else if (rc < 0)
		reply_code(r, ZW_EINTERNAL, NULL, NULL);
	else if (format[0] == 'c')
		reply_bytes(r, 200, "text/csv; charset=utf-8", out.p, out.len, "单位档案.csv");
	else
		reply_bytes(r, 200, "text/html; charset=utf-8", out.p, out.len, NULL);
	buf_free(&out);
}
