#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/conn_guard.h"
#include "api/metrics.h"
#include "api/server.h"
#include "api/throttle.h"
#include "core/text.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/parse.h"
#include "domain/org/unit.h"
#include "core/xalloc.h"

static const char *status_text_type = "application/json; charset=utf-8";

/* The printable documents (forms, notices, agreements, the unit archive) are HTML with an
 * inline <style> of print CSS and nothing else: no script, image, font file, link or form. */
static const char doc_csp[] = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                              "form-action 'none'; frame-ancestors 'none'";

static void add_common_headers(struct req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	if (!MHD_get_response_header(resp, "Cache-Control"))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	/* for browsers that predate CSP's frame-ancestors */
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (r->srv->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	const char *type = MHD_get_response_header(resp, "Content-Type");
	if (type && strncmp(type, "text/html", 9) == 0 &&
	    !MHD_get_response_header(resp, "Content-Security-Policy"))
		MHD_add_response_header(resp, "Content-Security-Policy", doc_csp);
}

static void log_escape(const char *s, char *out, size_t n, bool spaces);

/* Every 5xx answer is logged at error level, with the request's id (the X-Request-Id the
 * client was given, the access log's second field) and what went wrong. */
static void log_failure(const struct req *r, int status)
{
	const struct zw_err *e = r->failure;
	char method[64], url[512], msg[1200];
	log_escape(r->method, method, sizeof(method), false);
	log_escape(r->url, url, sizeof(url), false);
	log_escape(e && e->message[0] ? e->message : "(no detail)", msg, sizeof(msg), true);
	const char *was = log_set_request(r->id);
	log_errorx("%s %s answered %d %s%s%s: %s", method, url, status,
	           e ? zw_err_name(e->code) : "-", e && e->field[0] ? " field=" : "",
	           e ? e->field : "", msg);
	log_set_request(was);
}

static void set_response(struct req *r, int status, struct MHD_Response *resp)
{
	if (status >= 500)
		log_failure(r, status);
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->status = status;
	if (resp)
		add_common_headers(r, resp);
}

/* What an Idempotency-Key's repeat will be answered (api/idempotency.c). */
static void keep_answer(struct req *r, const char *type, const void *data, size_t len)
{
	if (!r->idem)
		return;
	free(r->idem_body);
	r->idem_body = xmalloc(len + 1);
	if (len)
		memcpy(r->idem_body, data, len);
	r->idem_body[len] = 0;
	r->idem_len = len;
	snprintf(r->idem_type, sizeof(r->idem_type), "%s", type);
}

void reply_json_text(struct req *r, int status, char *text, size_t len)
{
	/* Conditional GET: an ETag of the representation when the handler set none. */
	if (status == 200 && strcmp(r->method, "GET") == 0) {
		if (!r->etag[0])
			snprintf(r->etag, sizeof(r->etag), "\"h%016llx\"",
			         (unsigned long long)hash64(text, len));
		const char *inm = req_header(r, "If-None-Match");
		if (inm && strcmp(inm, r->etag) == 0) {
			free(text);
			struct MHD_Response *resp =
			    MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(resp, "ETag", r->etag);
			set_response(r, 304, resp);
			return;
		}
	}
	keep_answer(r, status_text_type, text, len);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", status_text_type);
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	set_response(r, status, resp);
}

void reply_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(body);
	if (!text) {
		set_response(r, 500, NULL);
		return;
	}
	reply_json_text(r, status, text, strlen(text));
}

void req_set_etag_rev(struct req *r, int64_t rev)
{
	snprintf(r->etag, sizeof(r->etag), "\"r%lld\"", (long long)rev);
}

void reply_error(struct req *r, const struct zw_err *err)
{
	int code = err && err->code ? err->code : ZW_EINTERNAL;
	struct zw_err said = {.code = code};
	snprintf(said.message, sizeof(said.message), "%s",
	         err && err->message[0] ? err->message : zw_err_default(code));
	if (err)
		memcpy(said.field, err->field, sizeof(said.field));
	json_t *e = json_pack("{s:s, s:s}", "code", zw_err_name(code), "message", said.message);
	if (err && err->field[0])
		json_object_set_new(e, "field", json_string(err->field));
	if (err && err->clause[0])
		json_object_set_new(e, "clause", json_string(err->clause));
	r->etag[0] = 0;
	r->failure = &said;
	reply_json(r, zw_err_status(code), json_pack("{s:o}", "error", e));
	r->failure = NULL;
}

void reply_code(struct req *r, int code, const char *field, const char *fmt, ...)
{
	struct zw_err err = {0};
	va_list ap;
	va_start(ap, fmt);
	zw_verrf(&err, code, field, fmt, ap); /* quotes of what the client sent stay UTF-8 */
	va_end(ap);
	reply_error(r, &err);
}

void reply_bytes(struct req *r, int status, const char *type, const void *data, size_t len,
                 const char *name)
{
	keep_answer(r, type, data, len);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", type);
	if (name) {
		/* RFC 6266 with an RFC 5987 UTF-8 name; the plain name is ASCII-safe. */
		char enc[2100], disp[2200];
		size_t o = 0;
		/* a byte takes at most 3 of enc; a long name loses whole characters only */
		const unsigned char *end =
		    (const unsigned char *)name + utf8_cut(name, (sizeof(enc) - 1) / 3);
		for (const unsigned char *p = (const unsigned char *)name; p < end; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
				enc[o++] = (char)*p;
			else
				o += (size_t)snprintf(enc + o, sizeof(enc) - o, "%%%02X", *p);
		}
		enc[o] = 0;
		const char *ext = strrchr(name, '.');
		if (!ext || strlen(ext) > 8 ||
		    strspn(ext + 1, "abcdefghijklmnopqrstuvwxyz") + 1 != strlen(ext))
			ext = "";
		snprintf(disp, sizeof(disp),
		         "attachment; filename=\"download%s\"; filename*=UTF-8''%s", ext, enc);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	set_response(r, status, resp);
}

void reply_web(struct req *r, int status, const char *type, const void *data, size_t len,
               const char *encoding, const char *cache, const char *csp)
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
	if (type)
		MHD_add_response_header(resp, "Content-Type", type);
	if (encoding)
		MHD_add_response_header(resp, "Content-Encoding", encoding);
	if (cache)
		MHD_add_response_header(resp, "Cache-Control", cache);
	if (csp)
		MHD_add_response_header(resp, "Content-Security-Policy", csp);
	set_response(r, status, resp);
}

void reply_no_content(struct req *r)
{
	keep_answer(r, "", "", 0);
	set_response(r, 204, MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT));
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

json_t *req_json(struct req *r)
{
	struct zw_err err = {0};
	const char *ct = req_header(r, "Content-Type");
	if (ct && strncmp(ct, "application/json", 16) != 0) {
		reply_code(r, ZW_EMEDIA, "", "请求体应为 application/json");
		return NULL;
	}
	json_t *v = json_parse_body(r->body.p ? r->body.p : "", r->body.len, &err);
	if (!v) {
		reply_error(r, &err);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		reply_code(r, ZW_EINVALID, "", "请求体应为 JSON 对象");
		return NULL;
	}
	return v;
}

int64_t req_if_match(struct req *r)
{
	const char *v = req_header(r, "If-Match");
	if (!v || strcmp(v, "*") == 0)
		return 0;
	int64_t rev;
	if (parse_etag_rev(v, &rev) == 0)
		return rev;
	reply_code(r, ZW_EINVALID, "If-Match", "If-Match 应为读取时得到的 ETag，如 \"r3\"");
	return -1;
}

json_t *req_json_rev(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return NULL;
	int64_t rev = req_if_match(r);
	if (rev < 0) {
		json_decref(body);
		return NULL;
	}
	if (rev && !json_object_get(body, "if_rev"))
		json_object_set_new(body, "if_rev", json_integer(rev));
	return body;
}

void req_ctx(struct req *r, struct ctx *x)
{
	x->st = r->srv->st;
	x->prof = r->srv->prof;
	x->by = &r->who;
}

struct qcheck {
	const char *const *allowed;
	const struct list_filter_def *filters;
	const char *bad;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
	(void)kind, (void)value;
	struct qcheck *q = cls;
	for (const char *const *a = q->allowed; *a; a++)
		if (strcmp(*a, key) == 0)
			return MHD_YES;
	for (const struct list_filter_def *f = q->filters; f && f->param; f++)
		if (strcmp(f->param, key) == 0)
			return MHD_YES;
	q->bad = key;
	return MHD_NO;
}

int req_list_query(struct req *r, struct list_query *q, const char *const *sorts,
                   const char *default_sort, const struct list_filter_def *filters,
                   struct zw_err *err)
{
	/* format: the list as a sheet (domain/export.h), read by the list's handler */
	static const char *const common[] = {"limit", "sort", "cursor", "format", NULL};
	struct qcheck qc = {common, filters, NULL};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &qc);
	if (qc.bad)
		return zw_errf(err, ZW_EINVALID, qc.bad, "不支持的查询参数“%.*s”", CUT(qc.bad, 40));
	memset(q, 0, sizeof(*q));
	q->limit = 50;
	const char *v = req_query(r, "limit");
	int64_t n;
	if (v) {
		if (parse_i64(v, 1, 500, &n) < 0)
			return zw_errf(err, ZW_EINVALID, "limit", "limit 应为 1 到 500 的整数");
		q->limit = (int)n;
	}
	const char *sort = req_query(r, "sort");
	if (!sort)
		sort = default_sort;
	q->desc = sort[0] == '-';
	const char *col = sort + (q->desc || sort[0] == '+');
	q->sort = NULL;
	for (const char *const *s = sorts; *s; s++)
		if (strcmp(*s, col) == 0)
			q->sort = *s;
	if (!q->sort)
		return zw_errf(err, ZW_EINVALID, "sort", "不支持按“%.*s”排序", CUT(col, 40));
	q->sort_int =
	    strcmp(q->sort, "id") == 0 || strstr(q->sort, "_at") || strstr(q->sort, "_id");
	if ((v = req_query(r, "cursor")) && list_cursor_decode(v, q, err) < 0)
		return -err->code;
	for (const struct list_filter_def *f = filters; f && f->param; f++) {
		v = req_query(r, f->param);
		if (!v)
			continue;
		if (q->nf == LQ_MAX_FILTERS)
			return zw_errf(err, ZW_EINVALID, f->param, "过滤条件过多");
		struct lq_filter *lf = &q->f[q->nf++];
		lf->col = f->column;
		lf->op = (enum lq_op)f->op;
		lf->val = v;
		if (strlen(v) > 200 || !utf8_valid(v, strlen(v), false))
			return zw_errf(err, ZW_EINVALID, f->param, "参数“%s”过长或含非法字符",
			               f->param);
		if (lf->op == LQ_EQ_INT || lf->op == LQ_GE_INT || lf->op == LQ_LE_INT) {
			bool is_time = strstr(f->column, "at") != NULL &&
			               (lf->op == LQ_GE_INT || lf->op == LQ_LE_INT);
			if (is_time ? parse_time(v, &lf->ival) < 0
			            : parse_i64(v, INT64_MIN, INT64_MAX, &lf->ival) < 0)
				return zw_errf(err, ZW_EINVALID, f->param,
				               is_time ? "参数“%s”应为 RFC 3339 时间或日期"
				                       : "参数“%s”应为整数",
				               f->param);
		}
	}
	return 0;
}

void reply_list_begin(struct buf *b)
{
	buf_init(b, 64u << 20);
	buf_reserve(b, 32u << 10);
	buf_puts(b, "{\"items\":");
}

char *list_text(struct buf *b, const struct list_page *page, size_t *len, struct zw_err *err)
{
	if (page && page->counted)
		buf_printf(b, ",\"total\":%lld", (long long)page->total);
	if (page && page->more)
		buf_printf(b, ",\"next_cursor\":\"%s\"}", page->next_cursor);
	else
		buf_puts(b, ",\"next_cursor\":null}");
	if (buf_check(b, err, "列表的结果")) {
		buf_free(b);
		return NULL;
	}
	return buf_take(b, len);
}

void reply_list_buf(struct req *r, struct buf *b, const struct list_page *page)
{
	struct zw_err err = {0};
	size_t len;
	char *text = list_text(b, page, &len, &err);
	if (!text)
		reply_error(r, &err);
	else
		reply_json_text(r, 200, text, len);
}

void reply_list(struct req *r, json_t *items, const struct list_page *page)
{
	json_t *o = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                      page->more ? json_string(page->next_cursor) : json_null());
	if (page->counted)
		json_object_set_new(o, "total", json_integer(page->total));
	reply_json(r, 200, o);
}

/* ---- the MHD side ---- */

/* The client's address, and the source it is counted under (conn_guard.h: an IPv4 address or
 * an IPv6 /64), which login throttling uses too. */
static void client_address(struct MHD_Connection *c, struct req *r)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->source, sizeof(r->source), "?");
	snprintf(r->source_key, sizeof(r->source_key), "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	socklen_t len =
	    sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		          r->source, (socklen_t)sizeof(r->source));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          r->source, (socklen_t)sizeof(r->source));
	struct conn_source k;
	if (conn_source_of(sa, len, &k) == 0)
		conn_source_text(&k, r->source_key);
}

static void request_id(struct req *r)
{
	const char *given = req_header(r, "X-Request-Id");
	if (given && strlen(given) >= 8 && strlen(given) < sizeof(r->id)) {
		bool ok = true;
		for (const char *p = given; *p; p++)
			ok &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
		if (ok) {
			snprintf(r->id, sizeof(r->id), "%s", given);
			return;
		}
	}
	unsigned char b[12];
	randombytes_buf(b, sizeof(b));
	hex_encode(b, sizeof(b), r->id);
}

/* s for one field of a log line: control characters, space (unless spaces, for a last field),
 * backslash, DEL and bytes that are not well-formed UTF-8 become \xNN, so that a request cannot
 * add lines or fields or send terminal escapes; cut with "..." past n - 1 bytes. */
static void log_escape(const char *s, char *out, size_t n, bool spaces)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t k = *p >= 0xc2 && *p <= 0xdf   ? 2
		           : *p >= 0xe0 && *p <= 0xef ? 3
		           : *p >= 0xf0 && *p <= 0xf4 ? 4
		                                      : 1;
		if (k > 1 &&
		    (strnlen((const char *)p, k) < k || !utf8_wellformed((const char *)p, k) ||
		     (p[0] == 0xc2 && p[1] < 0xa0))) /* U+0080..U+009F: C1 controls */
			k = 1;
		bool plain =
		    k > 1 || (*p > 0x20 && *p < 0x7f && *p != '\\') || (spaces && *p == ' ');
		size_t need = plain ? k : 4;
		if (o + need + 4 > n) {
			memcpy(out + o, "...", 4);
			return;
		}
		if (plain) {
			memcpy(out + o, p, k);
			o += k;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
		p += k;
	}
	out[o] = 0;
}

static enum MHD_Result queue(struct req *r)
{
	if (!r->resp) {
		struct zw_err e = {0};
		zw_errf(&e, ZW_EINTERNAL, NULL, NULL);
		reply_error(r, &e);
	}
	if (!r->resp)
		return MHD_NO;
	/* a stopping server answers what it has and takes nothing more on this connection */
	if (atomic_load(&r->srv->stopping))
		MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONNECTION, "close");
	return MHD_queue_response(r->conn, (unsigned)r->status, r->resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct req *r = *con_cls;
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		*con_cls = r;
		atomic_fetch_add(&srv->inflight, 1);
		r->srv = srv;
		r->conn = conn;
		r->method = method;
		r->url = url;
		r->start_ms = clock_mono_ms();
		r->start_us = clock_mono_us();
		client_address(conn, r);
		snprintf(r->who.source, sizeof(r->who.source), "%s", r->source);
		request_id(r);
		snprintf(r->who.request_id, sizeof(r->who.request_id), "%s", r->id);
		size_t n = strlen(url);
		conn_guard_phase(srv->guard, conn, CONN_BODY);
		r->is_upload =
		    (strcmp(method, "PUT") == 0 && n > 5 && strcmp(url + n - 5, "/scan") == 0) ||
		    (strcmp(method, "POST") == 0 && strncmp(url, "/api/v1/imports/", 16) == 0);
		size_t limit = r->is_upload ? srv->cfg.upload_limit : srv->cfg.body_limit;
		buf_init(&r->body, limit);
		if (atomic_load(&srv->stopping)) {
			/* a new request on a kept-alive connection after SIGTERM: not started */
			reply_code(r, ZW_EUNAVAILABLE, "", "服务正在停止，请稍后重试");
			return queue(r);
		}
		const char *cl = req_header(r, "Content-Length");
		int64_t len;
		if (cl && parse_i64(cl, 0, INT64_MAX, &len) == 0 && (uint64_t)len > limit) {
			r->too_large = true;
			reply_code(r, ZW_ETOOLARGE, "", "请求体过大（上限 %zu 字节）", limit);
			return queue(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		/* A body still arriving past request_timeout is dropped here; one that stops
		 * arriving is shut down by the guard's watchdog (MHD's idle timeout alone does not
		 * stop a trickle). The guard logs either. */
		if (conn_guard_expired(srv->guard, conn))
			return MHD_NO;
		if (!r->too_large && buf_append(&r->body, upload_data, *upload_size) < 0) {
			r->too_large = true;
			buf_free(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	conn_guard_phase(srv->guard, conn, CONN_ANSWER);
	if (r->resp) /* answered early */
		return MHD_YES;
	log_set_request(r->id);
	if (r->too_large)
		reply_code(r, ZW_ETOOLARGE, "", "请求体过大（上限 %zu 字节）", r->body.max);
	else
		route_dispatch(r);
	enum MHD_Result res = queue(r);
	log_set_request(NULL);
	return res;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	/* the next request on this connection, if any, has header_timeout from now */
	conn_guard_phase(srv->guard, conn, CONN_KEEPALIVE);
	struct req *r = *con_cls;
	if (!r)
		return;
	if (srv->access) {
		char ts[32], method[64], url[2048], user[200];
		format_time(clock_now(), ts);
		log_escape(r->method, method, sizeof(method), false);
		log_escape(r->url, url, sizeof(url), false);
		log_escape(r->authed ? r->who.username : "-", user, sizeof(user), false);
		flockfile(srv->access);
		fprintf(srv->access, "%s %s %s %s %s %d %lldms user=%s%s\n", ts, r->id, r->source,
		        method, url, r->status, (long long)(clock_mono_ms() - r->start_ms), user,
		        toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
		fflush(srv->access);
		funlockfile(srv->access);
	}
	if (!r->routed) { /* answered before it was routed (too large, the server stopping) */
		r->web = strncmp(r->url, "/api/", 5) != 0;
		r->rt = r->web ? NULL : route_find(r->method, r->url, NULL, 0);
	}
	metrics_request(srv->metrics, r->rt, r->web, r->method, r->resp ? r->status : 0,
	                clock_mono_us() - r->start_us);
	if (r->resp)
		MHD_destroy_response(r->resp);
	buf_free(&r->body);
	sodium_memzero(r->token, sizeof(r->token));
	free(r->idem_body);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b, 1 << 20);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n) < 0) {
			buf_free(&b);
			fclose(f);
			return NULL;
		}
	fclose(f);
	return buf_take(&b, NULL);
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, struct zw_err *err)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return zw_errf(err, ZW_EINVALID, "listen",
		               "listen 应为 地址:端口，如 127.0.0.1:8080");
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	uint32_t port;
	if (parse_u32(colon + 1, 0, 65535, &port) < 0)
		return zw_errf(err, ZW_EINVALID, "listen", "端口应为 0 到 65535");
	memset(ss, 0, sizeof(*ss));
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = 0;
		h++;
	}
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, h, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, h, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
	} else {
		return zw_errf(err, ZW_EINVALID, "listen", "无法识别的地址：%s", host);
	}
	return 0;
}

/* Each connection is a descriptor: raise the soft limit towards the hard one so that
 * max_connections can be reached (the database, logs and listening socket need some too). */
static void fd_limit(unsigned max_connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)max_connections + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rlim_t cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (cur > rl.rlim_cur) {
		rl.rlim_cur = cur;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want)
		log_warnx("open files limited to %llu: fewer than max_connections %u can be open",
		          (unsigned long long)rl.rlim_cur, max_connections);
}

int server_start(struct server *srv, struct zw_err *err)
{
	struct sockaddr_storage ss;
	int rc = parse_listen(srv->cfg.listen, &ss, err);
	if (rc)
		return rc;
	struct throttle_cfg tc = {
	    .slots = srv->cfg.login_table_size,
	    .pair_free = srv->cfg.login_max_failures,
	    .source_free = srv->cfg.login_ip_max_failures,
	    .base_delay_s = srv->cfg.login_delay,
	    .max_delay_s = srv->cfg.login_max_delay,
	    .window_s = srv->cfg.login_window,
	};
	srv->thr = throttle_new(&tc);
	if (srv->cfg.access_log && *srv->cfg.access_log) {
		srv->access = strcmp(srv->cfg.access_log, "-") == 0
		                  ? stderr
		                  : fopen(srv->cfg.access_log, "a");
		if (!srv->access)
			return zw_errf(err, ZW_EINVALID, "access_log", "无法打开访问日志 %s：%s",
			               srv->cfg.access_log, strerror(errno));
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_EPOLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	bool tls = srv->tls = srv->cfg.tls_cert && *srv->cfg.tls_cert;
	if (tls) {
		srv->tls_cert_pem = read_file(srv->cfg.tls_cert);
		srv->tls_key_pem = read_file(srv->cfg.tls_key ? srv->cfg.tls_key : "");
		if (!srv->tls_cert_pem || !srv->tls_key_pem)
			return zw_errf(err, ZW_EINVALID, "tls_cert", "无法读取 TLS 证书或私钥");
		flags |= MHD_USE_TLS;
	}
	srv->started_at = clock_now();
	unsigned char boot[16];
	randombytes_buf(boot, sizeof(boot));
	hex_encode(boot, sizeof(boot), srv->boot);
	struct MHD_OptionItem tls_opts[] = {
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_cert_pem},
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key_pem},
	    {MHD_OPTION_END, 0, NULL},
	};
	struct MHD_OptionItem none[] = {{MHD_OPTION_END, 0, NULL}};
	fd_limit(srv->cfg.max_connections);
	struct conn_guard_cfg gc = {
	    .header_timeout = srv->cfg.header_timeout,
	    .request_timeout = srv->cfg.request_timeout,
	    .max_per_source = srv->cfg.max_per_source,
	};
	srv->guard = conn_guard_new(&gc);
	if (!srv->guard)
		return zw_errf(err, ZW_EINTERNAL, NULL, "无法启动连接看守线程");
	srv->metrics = metrics_new();
	/* The per-source cap is the guard's (IPv6 per /64), not MHD's per-IP limit. */
	srv->d = MHD_start_daemon(
	    flags, 0, conn_guard_accept, srv->guard, on_request, srv, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.conn_timeout, MHD_OPTION_CONNECTION_LIMIT,
	    srv->cfg.max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
	    conn_guard_notify, srv->guard, MHD_OPTION_ARRAY, tls ? tls_opts : none, MHD_OPTION_END);
	if (!srv->d) {
		conn_guard_free(srv->guard);
		srv->guard = NULL;
		metrics_free(srv->metrics);
		srv->metrics = NULL;
		return zw_errf(err, ZW_EINTERNAL, NULL,
		               "无法在 %s 上启动 HTTP 服务（端口被占用？）", srv->cfg.listen);
	}
	return 0;
}

/* How long a cancelled request has to roll back and send its answer. */
#define SHUTDOWN_CANCEL_MS 5000

/* Wait until no request is open (answered and sent) or until the deadline; how many are. */
static int wait_inflight(struct server *srv, int64_t deadline)
{
	while (atomic_load(&srv->inflight) > 0 && clock_mono_ms() < deadline) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return atomic_load(&srv->inflight);
}

void server_stop(struct server *srv)
{
	if (!srv->d)
		return;
	atomic_store(&srv->stopping, true);
	MHD_socket s = MHD_quiesce_daemon(srv->d);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	int64_t t0 = clock_mono_ms();
	int open = wait_inflight(srv, t0 + (int64_t)srv->cfg.shutdown_grace * 1000);
	if (open > 0) {
		/* past the grace: what still runs is interrupted at its next database step, rolled
		 * back and answered 503; the answers get a moment to leave */
		log_warnx("shutdown: %d request(s) still running after %us: cancelling them", open,
		          srv->cfg.shutdown_grace);
		store_cancel(true);
		open = wait_inflight(srv, clock_mono_ms() + SHUTDOWN_CANCEL_MS);
		if (open > 0)
			log_warnx("shutdown: %d request(s) not answered", open);
	}
	log_info("shutdown: in-flight requests done in %lld ms", (long long)(clock_mono_ms() - t0));
	MHD_stop_daemon(srv->d);
	store_cancel(false);
	srv->d = NULL;
	conn_guard_free(srv->guard); /* after the daemon: every connection has been closed */
	srv->guard = NULL;
	metrics_free(srv->metrics); /* likewise: no request is counted any more */
	srv->metrics = NULL;
	if (srv->access && srv->access != stderr)
		fclose(srv->access);
	srv->access = NULL;
	throttle_free(srv->thr);
	srv->thr = NULL;
	free(srv->tls_cert_pem);
	free(srv->tls_key_pem);
}
