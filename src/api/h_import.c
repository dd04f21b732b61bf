/* Spreadsheet imports over HTTP: POST a CSV file or an xlsx workbook to
 * /api/v1/imports/{kind}[?dry_run=1][&good_rows_only=1][&sheet=名称]; what each kind's sheet
 * holds (GET /imports), its template and the register in the same shape. */

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "domain/import.h"
#include "domain/import_kind.h"

/* ?name= as 0 or 1; -1 after answering 400. */
static int flag(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	if (v && strcmp(v, "1") && strcmp(v, "0")) {
		reply_code(r, ZW_EINVALID, name, "%s 只能是 1 或 0", name);
		return -1;
	}
	return v && strcmp(v, "1") == 0;
}

void h_import(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	if (ct && strncmp(ct, "text/csv", 8) && strncmp(ct, "text/plain", 10) &&
	    strncmp(ct, "application/octet-stream", 24) &&
	    strncmp(ct, XLSX_MEDIA_TYPE, strlen(XLSX_MEDIA_TYPE))) {
		reply_code(r, ZW_EMEDIA, "file",
		           "请上传 xlsx 工作簿或 CSV 文件（UTF-8 或 GBK 编码）");
		return;
	}
	struct import_opts o = {.sheet = req_query(r, "sheet")};
	int dry = flag(r, "dry_run"), good = dry < 0 ? -1 : flag(r, "good_rows_only");
	if (dry < 0 || good < 0)
		return;
	o.dry_run = dry, o.good_rows_only = good;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *report = import_file(&x, r->srv->ipam, &r->srv->import, r->sparam,
	                             r->body.p ? r->body.p : "", r->body.len, &o, &err);
	if (!report) {
		reply_error(r, &err);
		return;
	}
	json_int_t problems = json_integer_value(json_object_get(report, "error_count"));
	json_int_t written = json_integer_value(json_object_get(report, "written"));
	if (o.dry_run || problems == 0 || (o.good_rows_only && written > 0)) {
		reply_json(r, o.dry_run ? 200 : 201, report);
		return;
	}
	char msg[200];
	size_t listed = json_array_size(json_object_get(report, "errors"));
	json_int_t rows = json_integer_value(json_object_get(report, "refused_rows"));
	if ((json_int_t)listed < problems)
		snprintf(msg, sizeof(msg),
		         "导入文件有 %lld 行共 %lld 处问题（列出前 %zu 处），未写入任何数据",
		         (long long)rows, (long long)problems, listed);
	else
		snprintf(msg, sizeof(msg), "导入文件有 %lld 行共 %lld 处问题，未写入任何数据",
		         (long long)rows, (long long)problems);
	reply_json(r, 422,
	           json_pack("{s:{s:s, s:s, s:s}, s:o}", "error", "code", "rule", "message", msg,
	                     "field", "file", "report", report));
}

void h_import_kinds(struct req *r)
{
	reply_json(r, 200, import_kinds(r->srv->import.words));
}

static void sheet_reply(struct req *r, int rc, struct buf *out, const struct zw_err *err,
                        const char *what)
{
	if (rc) {
		reply_error(r, err);
		return;
	}
	const struct import_kind *k = import_kind_named(r->sparam);
	char name[80];
	snprintf(name, sizeof(name), "%s%s.xlsx", k->label, what);
	reply_bytes(r, 200, XLSX_MEDIA_TYPE, out->p, out->len, name);
}

void h_import_template(struct req *r)
{
	struct zw_err err = {0};
	struct buf out;
	buf_init(&out, 64u << 20);
	int rc = import_template(r->srv->import.words, r->sparam, &out, &err);
	sheet_reply(r, rc, &out, &err, "导入模板");
	buf_free(&out);
}

void h_import_export(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct buf out;
	buf_init(&out, 512u << 20);
	int rc = import_export(&x, r->sparam, &out, &err);
	sheet_reply(r, rc, &out, &err, "登记表");
	buf_free(&out);
}
