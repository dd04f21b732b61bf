/*
 * server: the HTTP/1.1 JSON API (libmicrohttpd, optional TLS).
 *
 * A request is read whole into a bounded buffer (body_limit; upload_limit for file uploads,
 * refused with 413 past it), routed by the table in routes.c, authenticated (bearer token or
 * session cookie with CSRF token for writes), authorised in the domain through policy/authz,
 * and answered with JSON. Each request gets an id (X-Request-Id) that the access log and the
 * audit log carry. SIGTERM stops accepting, lets in-flight requests finish, then exits.
 * Connections have deadlines for their headers and bodies and a cap per source
 * (api/conn_guard.h). Every answer carries nosniff, no-referrer and X-Frame-Options (and HSTS
 * over TLS); HTML carries a Content-Security-Policy.
 */
#ifndef ZW_API_SERVER_H
#define ZW_API_SERVER_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "api/web.h"
#include "core/err.h"
#include "domain/ops.h"
#include "domain/org/account.h"
#include "domain/import.h"
#include "domain/ipam/ipam.h"
#include "policy/authz.h"
#include "policy/profile.h"
#include "store/store.h"

struct throttle;
struct watch;
struct scheduler;
struct metrics;
struct registry_kind;
struct conn_guard;
#include "domain/violation/radius.h"
#include "domain/violation/violation.h"

struct server_cfg {
	const char *listen; /* ADDR:PORT */
	const char *tls_cert, *tls_key;
	size_t body_limit, upload_limit;
	unsigned conn_timeout;    /* seconds a connection may stay idle */
	unsigned header_timeout;  /* seconds for a request line and headers (api/conn_guard.h) */
	unsigned request_timeout; /* seconds a request body may take to arrive */
	unsigned max_connections; /* open at once, in all */
	unsigned max_per_source;  /* open at once from one IPv4 address or IPv6 /64 */
	unsigned threads;
	unsigned shutdown_grace; /* seconds to wait for in-flight requests */
	const char *access_log;  /* path, "-" for stderr, "" for none */
	/* login throttling (api/throttle.h): failures per (account, source) and per source
	 * before a lock, the first and longest lock and the window in seconds, table size */
	unsigned login_max_failures, login_ip_max_failures, login_delay, login_max_delay;
	unsigned login_window, login_table_size;
};

struct server {
	struct server_cfg cfg;
	struct store *st;
	const struct profile *prof;
	const struct ops_cfg *ops; /* the disk /health watches; or NULL */
	struct account_cfg acct;
	struct throttle *thr;
	struct ipam_cache *ipam; /* free-space pools, used under the writer lock */
	struct ipam_cfg ipam_cfg;
	struct import_limits import; /* rows, listed problems, xlsx members */
	FILE *access;
	struct MHD_Daemon *d;
	atomic_int inflight;
	atomic_bool stopping;
	char boot[33]; /* this run of the server, random (Idempotency-Key rows it took) */
	char *tls_cert_pem, *tls_key_pem;
	bool tls;
	struct conn_guard *guard; /* deadlines and the per-source cap (api/conn_guard.h) */
	int64_t started_at;
	struct webroot web;  /* the console's files (api/web.h), loaded by the caller */
	struct watch *watch; /* the rules on the wire (watch/watch.h) */
	struct violation_policy vp;
	struct radius_policy rp;
	/* the scheduler of this server (domain/scheduler.h), started or not, or NULL: the
	 * metrics read its lag and which outbox channels it delivers */
	const struct scheduler *sched;
	/* the outage check's thread (domain/ops/outage.h), running or not, or NULL */
	struct outage_monitor *outage;
	struct metrics *metrics; /* the request and ingest counters (api/metrics.h) */
};

int server_start(struct server *srv, struct zw_err *err);
/* Stop accepting, wait up to shutdown_grace for in-flight requests, then stop. */
void server_stop(struct server *srv);

/* ---- what handlers see ---- */

#define REQ_MAX_PARAMS 4

struct req {
	struct server *srv;
	struct MHD_Connection *conn;
	const char *method, *url;
	char id[40];
	char source[64];
	char source_key[48]; /* what the source is counted under: IPv4 address, IPv6 /64 */
	struct buf body;
	bool too_large, is_upload;
	int64_t start_ms;
	struct principal who;
	bool authed;
	char token[64];
	int64_t params[REQ_MAX_PARAMS];
	char sparam[128];
	int nparams;
	const struct registry_kind *kind; /* the route row's (api/registry_api.h), or NULL */
	/* what the request was counted under (api/metrics.h): its route, or none (web: the
	 * console's files); routed once route_dispatch has looked */
	const struct route *rt;
	bool web, routed;
	int64_t start_us;
	/* the answer */
	const struct zw_err *failure; /* while reply_error answers: the error a 5xx logs */
	int status;
	struct MHD_Response *resp;
	char etag[48];
	/* a POST with an Idempotency-Key keeps a copy of its answer (api/idempotency.c) */
	bool idem;
	char *idem_body;
	size_t idem_len;
	char idem_type[100];
};

typedef void (*handler_fn)(struct req *r);
/* Run fn for r, honouring an Idempotency-Key (api/idempotency.c). */
void idem_dispatch(struct req *r, handler_fn fn, bool secret_answer);

void reply_json(struct req *r, int status, json_t *body_take);
/* text: malloc'd JSON, taken. */
void reply_json_text(struct req *r, int status, char *text, size_t len);
void reply_error(struct req *r, const struct zw_err *err);
void reply_code(struct req *r, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A static file of the console: data stays owned by the caller for the server's lifetime;
 * encoding (Content-Encoding), cache (Cache-Control) and csp may be NULL. */
void reply_web(struct req *r, int status, const char *type, const void *data, size_t len,
               const char *encoding, const char *cache, const char *csp);
void reply_bytes(struct req *r, int status, const char *type, const void *data, size_t len,
                 const char *disposition_name);
void reply_no_content(struct req *r);
/* ETag of an object at revision rev: "r<rev>". */
void req_set_etag_rev(struct req *r, int64_t rev);

const char *req_header(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
/* Parse the body as a JSON object; on failure replies 400 and returns NULL. */
json_t *req_json(struct req *r);
/* If-Match: 0 when absent or "*", the revision otherwise; -1 when malformed (replied 400). */
int64_t req_if_match(struct req *r);
/* The body of a state-changing write with If-Match folded in as its if_rev (unless the body
 * names one); NULL when either was refused (replied 400). */
json_t *req_json_rev(struct req *r);

/* The domain context of this request. */
struct ctx;
void req_ctx(struct req *r, struct ctx *x);

/* List query from ?limit=&sort=&cursor= and the resource's filters. */
struct list_filter_def {
	const char *param, *column;
	int op; /* enum lq_op */
};
int req_list_query(struct req *r, struct list_query *q, const char *const *sorts,
                   const char *default_sort, const struct list_filter_def *filters,
                   struct zw_err *err);
void reply_list(struct req *r, json_t *items_take, const struct list_page *page);
/* A list answer written as text: reply_list_begin opens {"items": in b, the caller appends
 * the JSON array, reply_list_buf closes it (page may be NULL for an unpaged list) and sends,
 * or answers 413 when b passed its maximum (64 MB). */
void reply_list_begin(struct buf *b);
void reply_list_buf(struct req *r, struct buf *b, const struct list_page *page);
/* The same list closed into its text (b's, taken) without sending it; NULL with err set when b
 * passed its maximum. */
char *list_text(struct buf *b, const struct list_page *page, size_t *len, struct zw_err *err);

/* routes.c */
struct route {
	const char *method, *path;
	handler_fn fn;
	unsigned flags;
	const char *params; /* query parameters it takes, space-separated; "*": the handler
	                     * checks them (list endpoints, via req_list_query) */
	const char *summary;
	/* the registry kind a generic handler (reg_list, reg_get, ...) serves, or NULL; the
	 * OpenAPI document describes the route from it (api/openapi.c) */
	const struct registry_kind *kind;
};
/* flags: PUBLIC needs no authentication; UPLOAD takes a file body; MACHINE_ONLY refuses a
 * person (session or all-scope token); OPTIONAL_AUTH (on a public route) authenticates the
 * caller when credentials come, and goes on anonymously when they fail. ROUTE_SCOPE(TSCOPE_...)
 * names the machine scopes that may reach the route: a token of a machine scope reaches a route
 * only when the route names one of its scopes, and nothing else whatever its owner may do. */
/* ROUTE_SECRET_ANSWER: the answer carries a secret (a token, a password) that is not kept
 * for an Idempotency-Key's repeat. */
enum {
	ROUTE_PUBLIC = 1,
	ROUTE_UPLOAD = 2,
	ROUTE_MACHINE_ONLY = 4,
	ROUTE_OPTIONAL_AUTH = 8,
	ROUTE_SECRET_ANSWER = 16
};
#define ROUTE_SCOPE(mask)   ((unsigned)(mask) << 8)
#define ROUTE_SCOPES(flags) (((unsigned)(flags) >> 8) & TSCOPE_ALL_MACHINE)
extern const struct route routes[];
extern const size_t nroutes;
void route_dispatch(struct req *r);
/* The route of method and url, or NULL: then allow (n bytes, may be 0) lists the methods the
 * path has ("" when it is no route's). */
const struct route *route_find(const char *method, const char *url, char *allow, size_t n);
/* Match path against a pattern, filling params. 1 on match. */
int route_match(const char *pattern, const char *path, struct req *r);

#endif
