#include "domain/notify/webhook.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "domain/notify/notify.h"

int webhook_cfg_check(const struct webhook_cfg *w, struct zw_err *err)
{
	if (!*w->url)
		return 0;
	if (strncmp(w->url, "http://", 7) && strncmp(w->url, "https://", 8))
		return zw_errf(err, ZW_EINVALID, "webhook_url",
		               "webhook_url 应以 http:// 或 https:// 开头");
	return 0;
}

static size_t discard(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

static enum outbox_send hook_send(void *arg, struct sconn *c, const struct outbox_row *o,
                                  const char *title, const char *body, int64_t now, char *error,
                                  size_t en, struct zw_err *err)
{
	(void)c;
	(void)now;
	const struct webhook_cfg *w = arg;
	json_t *subject = o->payload ? json_loads(o->payload, 0, NULL) : NULL;
	json_t *ev =
	    json_pack("{s:I, s:s, s:I, s:s?, s:I, s:s?, s:s, s:s, s:o}", "id", (json_int_t)o->id,
	              "kind", o->kind, "created_at", (json_int_t)o->created_at, "subject_type",
	              o->subject_type, "subject_id", (json_int_t)o->subject_id, "clause", o->clause,
	              "title", title, "body", body, "deadline", subject ? subject : json_null());
	if (ev && o->unit_id)
		json_object_set_new(ev, "unit_id", json_integer(o->unit_id));
	char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (!text) { /* a text that is not valid UTF-8: json_pack refuses it */
		zw_errf(err, ZW_EINTERNAL, NULL, "通知内容无法写成 JSON");
		return SEND_ERROR;
	}
	char hdr_event[64], hdr_sig[128];
	snprintf(hdr_event, sizeof(hdr_event), "X-Zwnet-Event: %lld", (long long)o->id);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = h ? curl_slist_append(h, hdr_event) : NULL;
	if (h && *w->secret) {
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)w->secret,
		                            strlen(w->secret));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)text, strlen(text));
		crypto_auth_hmacsha256_final(&st, mac);
		char hex[2 * sizeof(mac) + 1];
		sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
		snprintf(hdr_sig, sizeof(hdr_sig), "X-Zwnet-Signature: sha256=%s", hex);
		h = curl_slist_append(h, hdr_sig);
	}
	CURL *cu = curl_easy_init();
	char ebuf[CURL_ERROR_SIZE] = "";
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	long status = 0;
	if (cu && h) {
		curl_easy_setopt(cu, CURLOPT_URL, w->url);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, text);
		curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(cu, CURLOPT_TIMEOUT, w->timeout);
		curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, ebuf);
		curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
		rc = curl_easy_perform(cu);
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(cu);
	free(text);
	if (rc != CURLE_OK) {
		text_printf(error, en, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
		return SEND_RETRY;
	}
	if (status < 200 || status > 299) {
		snprintf(error, en, "HTTP %ld", status);
		return SEND_RETRY;
	}
	return SEND_OK;
}

int webhook_deliver(struct store *st, const struct profile *prof, const struct webhook_cfg *w,
                    int64_t now, struct zw_err *err)
{
	struct outbox_sender s = {OUTBOX_HOOK, "webhook", w->retry_min, hook_send, (void *)w};
	return outbox_deliver(st, prof, &s, now, err);
}
