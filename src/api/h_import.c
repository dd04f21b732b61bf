/* Spreadsheet imports over HTTP: POST a CSV file or an xlsx workbook to
 * /api/v1/imports/{kind}[?dry_run=1]. */

#include <microhttpd.h>
#include <string.h>

#include "api/handlers.h"
#include "domain/import.h"

void h_import(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	static const char xlsx[] =
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	if (ct && strncmp(ct, "text/csv", 8) && strncmp(ct, "text/plain", 10) &&
	    strncmp(ct, "application/octet-stream", 24) && strncmp(ct, xlsx, sizeof(xlsx) - 1)) {
		reply_code(r, ZW_EMEDIA, "file", "请上传 UTF-8 编码的 CSV 文件或 xlsx 工作簿");
		return;
	}
	const char *dry = req_query(r, "dry_run");
	if (dry && strcmp(dry, "1") && strcmp(dry, "0")) {
		reply_code(r, ZW_EINVALID, "dry_run", "dry_run 只能是 1 或 0");
		return;
	}
	bool dry_run = dry && strcmp(dry, "1") == 0;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *report = import_file(&x, r->srv->ipam, &r->srv->import, r->sparam,
	                             r->body.p ? r->body.p : "", r->body.len, dry_run, &err);
	if (!report) {
		reply_error(r, &err);
		return;
	}
	json_int_t problems = json_integer_value(json_object_get(report, "error_count"));
	if (dry_run || problems == 0) {
		reply_json(r, dry_run ? 200 : 201, report);
		return;
	}
	char msg[200];
	size_t listed = json_array_size(json_object_get(report, "errors"));
	if ((json_int_t)listed < problems)
		snprintf(msg, sizeof(msg),
		         "导入文件有 %lld 处问题（列出前 %zu 处），未写入任何数据",
		         (long long)problems, listed);
	else
		snprintf(msg, sizeof(msg), "导入文件有 %lld 处问题，未写入任何数据",
		         (long long)problems);
	reply_json(r, 422,
	           json_pack("{s:{s:s, s:s, s:s}, s:o}", "error", "code", "rule", "message", msg,
	                     "field", "file", "report", report));
}
