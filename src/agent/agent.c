#include "agent/agent.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

int agent_token(struct agent *a, const char *token_file)
{
	const char *env = getenv("ZWNET_TOKEN");
	if (token_file) {
		FILE *f = fopen(token_file, "r");
		if (!f || !fgets(a->token, sizeof(a->token), f)) {
			fprintf(stderr, "zwnet %s: 无法读取令牌文件 %s\n", a->cmd, token_file);
			if (f)
				fclose(f);
			return 2;
		}
		fclose(f);
		a->token[strcspn(a->token, "\r\n")] = 0;
	} else if (env) {
		snprintf(a->token, sizeof(a->token), "%s", env);
	}
	if (!a->token[0]) {
		fprintf(stderr, "zwnet %s: 缺少令牌（--token-file 或 ZWNET_TOKEN）\n", a->cmd);
		return 2;
	}
	return 0;
}

static size_t keep(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	size_t len = size * n;
	if (b && !buf_failed(b)) {
		/* what fits, then the rest, which fails: the answer keeps its first bytes and says
		 * it was cut (a chunk that did not fit was skipped, and a later one kept) */
		size_t fit = len < b->max - b->len ? len : b->max - b->len;
		buf_append(b, p, fit);
		if (fit < len)
			buf_append(b, p + fit, len - fit);
	}
	return len;
}

long agent_call(struct agent *a, const char *method, const char *path, const char *body, size_t len,
                struct buf *answer)
{
	char url[512], auth[300];
	snprintf(url, sizeof(url), "%s%s", a->server, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a->token);
	struct curl_slist *h = curl_slist_append(NULL, auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_reset(a->curl);
	curl_easy_setopt(a->curl, CURLOPT_URL, url);
	curl_easy_setopt(a->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(a->curl, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(a->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(a->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	curl_easy_setopt(a->curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(a->curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(a->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(a->curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(a->curl, CURLOPT_WRITEDATA, answer);
	CURLcode rc = curl_easy_perform(a->curl);
	long status = 0;
	curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		log_warnx("%s: server %s: %s", a->cmd, a->server, curl_easy_strerror(rc));
		return 0;
	}
	return status;
}

int agent_netns_open(const char *cmd, const char *name, int *ns_fd, int *home_fd)
{
	*ns_fd = *home_fd = -1;
	if (!name)
		return 0;
	char path[300];
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if (strchr(name, '/') || !*name || (*ns_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    (*home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "zwnet %s: 无法打开网络命名空间 %s\n", cmd, name);
		agent_netns_close(*ns_fd, *home_fd);
		*ns_fd = *home_fd = -1;
		return -1;
	}
	return 0;
}

int agent_netns_enter(int ns_fd)
{
	return ns_fd >= 0 && setns(ns_fd, CLONE_NEWNET) < 0 ? -1 : 0;
}

void agent_netns_leave(int home_fd)
{
	if (home_fd >= 0 && setns(home_fd, CLONE_NEWNET) < 0)
		log_warn("setns back to our own namespace");
}

void agent_netns_close(int ns_fd, int home_fd)
{
	if (ns_fd >= 0)
		close(ns_fd);
	if (home_fd >= 0)
		close(home_fd);
}
