#include "domain/notify/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/notify/notify.h"
#include "store/notify_sql.h"

static int check_list(const char *list, const char *field, bool may_be_empty, struct zw_err *err)
{
	char copy[1024];
	if (strlen(list) >= sizeof(copy))
		return zw_errf(err, ZW_EINVALID, field, "%s 过长", field);
	snprintf(copy, sizeof(copy), "%s", list);
	int count = 0;
	for (char *save = NULL, *a = strtok_r(copy, ",", &save); a;
	     a = strtok_r(NULL, ",", &save), count++)
		if (!email_valid(a))
			return zw_errf(err, ZW_EINVALID, field, "%s 中“%s”不是有效的电子邮件地址",
			               field, a);
	if (!count && !may_be_empty)
		return zw_errf(err, ZW_EINVALID, field, "须给出 %s", field);
	return 0;
}

int mail_cfg_check(const struct mail_cfg *m, struct zw_err *err)
{
	if (!*m->smtp_url)
		return 0;
	if (strncmp(m->smtp_url, "smtp://", 7) && strncmp(m->smtp_url, "smtps://", 8))
		return zw_errf(err, ZW_EINVALID, "smtp_url",
		               "smtp_url 应以 smtp:// 或 smtps:// 开头");
	int rc = check_list(m->from, "smtp_from", false, err);
	return rc ? rc : check_list(m->to, "notify_mail_to", true, err);
}

/* base64 of s into b, lines of 76 characters when wrap */
static void b64(struct buf *b, const char *s, size_t n, bool wrap)
{
	for (size_t off = 0; off < n || (!n && !off); off += 57) {
		size_t k = n - off < 57 ? n - off : 57;
		char line[80];
		sodium_bin2base64(line, sizeof(line), (const unsigned char *)s + off, k,
		                  sodium_base64_VARIANT_ORIGINAL);
		buf_puts(b, line);
		if (wrap)
			buf_puts(b, "\r\n");
		if (!n)
			break;
	}
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

static int send_one(const struct mail_cfg *m, const char *rcpts, const char *title,
                    const char *body, int64_t outbox_id, int64_t now, char *error, size_t en)
{
	struct buf msg;
	buf_init(&msg, 1 << 20);
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(&msg, "Date: %s\r\nFrom: %s\r\nTo: %s\r\n", date, m->from, rcpts);
	buf_printf(&msg, "Message-ID: <zwnet-outbox-%lld@zwnet>\r\nSubject:", (long long)outbox_id);
	/* RFC 2047: encoded words of at most 75 characters, split between UTF-8 characters */
	for (size_t off = 0, n = strlen(title); off < n;) {
		size_t k = n - off < 45 ? n - off : 45;
		while (off + k < n && ((unsigned char)title[off + k] & 0xC0) == 0x80)
			k--;
		buf_puts(&msg, off ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
		b64(&msg, title + off, k, false);
		buf_puts(&msg, "?=");
		off += k;
	}
	buf_puts(&msg, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	               "Content-Transfer-Encoding: base64\r\n\r\n");
	b64(&msg, body, strlen(body), true);
	bool whole = !buf_failed(&msg); /* a mail is sent whole or not at all */
	CURL *h = curl_easy_init();
	struct curl_slist *to = NULL;
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", rcpts);
	for (char *save = NULL, *a = strtok_r(copy, ",", &save); a; a = strtok_r(NULL, ",", &save))
		to = curl_slist_append(to, a);
	struct reader rd = {msg.p, msg.len};
	char ebuf[CURL_ERROR_SIZE] = "";
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	if (h && to && whole) {
		curl_easy_setopt(h, CURLOPT_URL, m->smtp_url);
		curl_easy_setopt(h, CURLOPT_MAIL_FROM, m->from);
		curl_easy_setopt(h, CURLOPT_MAIL_RCPT, to);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(h, CURLOPT_READDATA, &rd);
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, m->timeout);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
		rc = curl_easy_perform(h);
	}
	if (!whole)
		text_printf(error, en, "邮件超过 %zu MB 的上限", msg.max >> 20);
	else if (rc != CURLE_OK)
		text_printf(error, en, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
	curl_slist_free_all(to);
	curl_easy_cleanup(h);
	buf_free(&msg);
	return rc == CURLE_OK ? 0 : -1;
}

static enum outbox_send mail_send(void *arg, struct sconn *c, const struct outbox_row *o,
                                  const char *title, const char *body, int64_t now, char *error,
                                  size_t en, struct zw_err *err)
{
	const struct mail_cfg *m = arg;
	/* the center's mailbox, the unit's contacts, and the people the notice went to who want
	 * its topic by mail; each address once */
	char rcpts[4096];
	snprintf(rcpts, sizeof(rcpts), "%s", m->to);
	const struct notify_topic *topic = notify_topic_of(o->kind);
	if (o->unit_id && store_unit_emails(c, o->unit_id, rcpts, sizeof(rcpts), err))
		return SEND_ERROR;
	if (topic && store_outbox_user_emails(c, o->id, topic->code, rcpts, sizeof(rcpts), err))
		return SEND_ERROR;
	if (!*rcpts) {
		snprintf(error, en, "没有邮件收件人");
		return SEND_NONE;
	}
	return send_one(m, rcpts, title, body, o->id, now, error, en) ? SEND_RETRY : SEND_OK;
}

int mail_deliver(struct store *st, const struct profile *prof, const struct mail_cfg *m,
                 int64_t now, struct zw_err *err)
{
	struct outbox_sender s = {OUTBOX_MAIL, "mail", m->retry_min, mail_send, (void *)m};
	return outbox_deliver(st, prof, &s, now, err);
}
