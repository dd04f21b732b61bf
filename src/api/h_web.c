/* The web console's files over HTTP (see api/web.h): every GET or HEAD outside /api/. */

#include <microhttpd.h>
#include <string.h>

#include "api/handlers.h"
#include "core/text.h"
#include "api/server.h"

static const char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

static const char not_built[] =
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>政务外网管理平台"
    "</title></head><body><h1>政务外网管理平台</h1><p>Web 控制台尚未构建：请在源码目录运行 "
    "<code>make web</code>（或 <code>make run</code>），或用 <code>--web-root</code> 指定构建好的"
    "目录。JSON 接口在 <a href=\"/api/v1/openapi.json\">/api/v1/</a>。</p></body></html>\n";

void h_web(struct req *r)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		reply_code(r, ZW_EMETHOD, NULL, "此地址只支持：GET, HEAD");
		if (r->resp)
			MHD_add_response_header(r->resp, "Allow", "GET, HEAD");
		return;
	}
	const struct webroot *root = &r->srv->web;
	const struct web_file *f = web_route(root, r->url);
	if (!f) {
		if (!root->n && strcmp(r->url, "/") == 0)
			reply_web(r, 503, "text/html; charset=utf-8", not_built,
			          sizeof(not_built) - 1, NULL, "no-store", csp);
		else
			reply_code(r, ZW_ENOTFOUND, NULL, "没有这个页面：%.*s", CUT(r->url, 100));
		return;
	}
	if (!f->immutable) {
		const char *inm = req_header(r, "If-None-Match");
		if (inm && strcmp(inm, f->etag) == 0) {
			reply_web(r, 304, NULL, NULL, 0, NULL, "no-cache", NULL);
			if (r->resp)
				MHD_add_response_header(r->resp, "ETag", f->etag);
			return;
		}
	}
	int enc = web_encoding(f, req_header(r, "Accept-Encoding"));
	static const char *const codings[] = {NULL, "gzip", "br"};
	bool html = strncmp(f->type, "text/html", 9) == 0;
	reply_web(r, 200, f->type, f->data[enc], f->len[enc], codings[enc],
	          f->immutable ? "public, max-age=31536000, immutable" : "no-cache",
	          html ? csp : NULL);
	if (r->resp) {
		MHD_add_response_header(r->resp, "Vary", "Accept-Encoding");
		if (!f->immutable)
			MHD_add_response_header(r->resp, "ETag", f->etag);
	}
}
