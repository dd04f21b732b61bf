/* Printable documents over HTTP: an application's form and its decision notice, and a unit's
 * agreement filled from the profile's template, each as an HTML page (the default, shown in the
 * browser and printed with its print CSS) or as a PDF file (format=pdf). */

#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/server.h"
#include "core/text.h"
#include "domain/paper.h"

typedef int (*build_fn)(const struct ctx *x, int64_t id, const char *key, struct doc *d,
                        struct zw_err *err);

static void reply_doc(struct req *r, build_fn build, int64_t id, const char *key, const char *file)
{
	const char *format = req_query(r, "format");
	if (!format)
		format = "html";
	bool pdf = strcmp(format, "pdf") == 0;
	if (!pdf && strcmp(format, "html") != 0) {
		reply_code(r, ZW_EINVALID, "format", "format 只能是 html 或 pdf");
		return;
	}
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	struct doc d = {0};
	if (fail(r, build(&x, id, key, &d, &err), &err)) {
		doc_free(&d);
		return;
	}
	struct buf out;
	buf_init(&out, 64u << 20);
	int rc = pdf ? doc_pdf(&d, &out) : doc_html(&d, &out);
	if (buf_check(&out, &err, "文档")) {
		reply_error(r, &err);
	} else if (rc < 0) {
		reply_code(r, ZW_EINTERNAL, NULL, "生成文档失败");
	} else if (pdf) {
		/* the title cut so that the whole name fits the header reply_bytes writes */
		char name[256];
		snprintf(name, sizeof(name), "%.*s-%s.pdf", CUT(d.title, 160), file);
		reply_bytes(r, 200, "application/pdf", out.p, out.len, name);
	} else {
		reply_bytes(r, 200, "text/html; charset=utf-8", out.p, out.len, NULL);
	}
	buf_free(&out);
	doc_free(&d);
}

static int form(const struct ctx *x, int64_t id, const char *key, struct doc *d, struct zw_err *err)
{
	return paper_application_form(x, id, d, err);
}

static int notice(const struct ctx *x, int64_t id, const char *key, struct doc *d,
                  struct zw_err *err)
{
	return paper_application_notice(x, id, d, err);
}

static int agreement(const struct ctx *x, int64_t id, const char *key, struct doc *d,
                     struct zw_err *err)
{
	return paper_agreement(x, id, key, d, err);
}

void h_application_form(struct req *r)
{
	char file[32];
	snprintf(file, sizeof(file), "%lld", (long long)r->params[0]);
	reply_doc(r, form, r->params[0], NULL, file);
}

void h_application_notice(struct req *r)
{
	char file[32];
	snprintf(file, sizeof(file), "%lld", (long long)r->params[0]);
	reply_doc(r, notice, r->params[0], NULL, file);
}

void h_agreement_document(struct req *r)
{
	char file[32];
	snprintf(file, sizeof(file), "%lld", (long long)r->params[0]);
	reply_doc(r, agreement, r->params[0], r->sparam, file);
}

static int violation_notice(const struct ctx *x, int64_t id, const char *key, struct doc *d,
                            struct zw_err *err)
{
	return paper_violation_notice(x, id, d, err);
}

static int ticket_paper(const struct ctx *x, int64_t id, const char *key, struct doc *d,
                        struct zw_err *err)
{
	(void)key;
	return paper_ticket(x, id, d, err);
}

void h_ticket_paper(struct req *r)
{
	char file[32];
	snprintf(file, sizeof(file), "%lld", (long long)r->params[0]);
	reply_doc(r, ticket_paper, r->params[0], NULL, file);
}

void h_violation_notice(struct req *r)
{
	char file[32];
	snprintf(file, sizeof(file), "%lld", (long long)r->params[0]);
	reply_doc(r, violation_notice, r->params[0], NULL, file);
}

static int duty_log(const struct ctx *x, int64_t id, const char *day, struct doc *d,
                    struct zw_err *err)
{
	(void)id;
	return paper_duty_log(x, day, d, err);
}

void h_duty_log(struct req *r)
{
	const char *day = req_query(r, "day");
	char file[16];
	snprintf(file, sizeof(file), "%.10s", day ? day : "today");
	reply_doc(r, duty_log, 0, day, file);
}
