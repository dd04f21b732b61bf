/*
 * Idempotency-Key: a client that may send a POST twice (a retry after a lost answer, a
 * double click) names the request with a key of its own; a repeat with the same key within
 * a day gets the first answer again (with Idempotent-Replayed: true) instead of doing it
 * again. Keys belong to whoever sent them (a person's account or a machine's token) and to
 * one request: the same key with another method, path, query or body is refused. An answer
 * that is not final (5xx, 401, 408, 429) is not kept, so that a retry does the work. An
 * answer that carries a secret (a new token, a password) is not kept either: its repeat is
 * refused, saying the request was done. A request whose server run ended before it answered
 * leaves its key taken and unanswered: its repeat says so, and that the data should be
 * looked at before it is tried again with a new key.
 */
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>

#include "api/handlers.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/text.h"
#include "store/idem_sql.h"

#define IDEM_TTL    (24 * 3600)
#define IDEM_HEADER "Idempotency-Key"

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	if (!n || n > 128)
		return false;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return false;
	return true;
}

static enum MHD_Result hash_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	(void)kind;
	crypto_hash_sha256_state *h = cls;
	crypto_hash_sha256_update(h, (const unsigned char *)key, strlen(key) + 1);
	if (value)
		crypto_hash_sha256_update(h, (const unsigned char *)value, strlen(value) + 1);
	return MHD_YES;
}

/* The request a key names: method, path, query arguments, body. */
static void request_hash(struct req *r, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)r->method, strlen(r->method) + 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)r->url, strlen(r->url) + 1);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, hash_arg, &h);
	if (r->body.len)
		crypto_hash_sha256_update(&h, (const unsigned char *)r->body.p, r->body.len);
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

static void replay(struct req *r, const struct idem_row *row, const char *hash)
{
	if (strcmp(row->hash, hash) != 0) {
		reply_code(
		    r, ZW_ECONFLICT, IDEM_HEADER,
		    "此 Idempotency-Key 已用于另一个请求：24 小时内同一个键只能代表同一个请求");
		return;
	}
	if (row->status == 0) {
		if (strcmp(row->boot, r->srv->boot) == 0)
			reply_code(r, ZW_ECONFLICT, IDEM_HEADER,
			           "使用此 Idempotency-Key 的请求仍在处理中，请稍后再查询结果");
		else
			reply_code(r, ZW_ECONFLICT, IDEM_HEADER,
			           "使用此 Idempotency-Key "
			           "的请求开始处理后服务中断，结果未知：请先查看数据"
			           "是否已经写入，再换用新的 Idempotency-Key 重试");
		return;
	}
	if (!row->body) {
		reply_code(r, ZW_ECONFLICT, IDEM_HEADER,
		           "此请求已经执行（答复 %d）；它的答复含有密钥，不再重复给出",
		           row->status);
		return;
	}
	reply_bytes(r, row->status, row->type[0] ? row->type : "application/json", row->body,
	            row->len, NULL);
	if (r->resp)
		MHD_add_response_header(r->resp, "Idempotent-Replayed", "true");
}

void idem_dispatch(struct req *r, handler_fn fn, bool secret_answer)
{
	const char *key = req_header(r, IDEM_HEADER);
	/* a sign-in is not replayed: it is not authenticated yet, and its answer is a session */
	if (!key || strcmp(r->method, "POST") != 0 || !r->authed) {
		fn(r);
		return;
	}
	if (!key_ok(key)) {
		reply_code(r, ZW_EINVALID, IDEM_HEADER,
		           "Idempotency-Key 应为 1 到 128 个可见的 ASCII 字符（如 UUID）");
		return;
	}
	char who[48], hash[65];
	if (r->who.token_id)
		snprintf(who, sizeof(who), "token:%lld", (long long)r->who.token_id);
	else
		snprintf(who, sizeof(who), "user:%lld", (long long)r->who.user_id);
	request_hash(r, hash);
	struct idem_row row;
	struct zw_err err = {0};
	int64_t now = clock_now();
	int rc = store_idem_claim(r->srv->st, who, key, hash, r->srv->boot, now, now - IDEM_TTL,
	                          &row, &err);
	if (rc < 0) {
		reply_error(r, &err);
		return;
	}
	if (rc == 1) {
		replay(r, &row, hash);
		free(row.body);
		return;
	}
	r->idem = true;
	fn(r);
	int st = r->status;
	bool final = st && st < 500 && st != 401 && st != 408 && st != 429;
	struct zw_err ferr = {0};
	if (final)
		rc = store_idem_finish(r->srv->st, who, key, st, r->idem_type,
		                       secret_answer  ? NULL
		                       : r->idem_body ? r->idem_body
		                                      : "",
		                       r->idem_len, &ferr);
	else
		rc = store_idem_release(r->srv->st, who, key, &ferr);
	if (rc < 0) /* the answer stands; a repeat will say the key's request did not answer */
		log_warnx("Idempotency-Key %.*s: answer not kept: %s", CUT(key, 64), ferr.message);
}
