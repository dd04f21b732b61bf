/*
 * zwnet enforce: put the server's isolations on the county gateway with nftables
 * (libnftables), verify them, and report. Needs only CAP_NET_ADMIN.
 *
 * The table `inet zwnet` holds named sets (iso4, iso6, isomac: isolated terminals; net4,
 * net6: isolated units' blocks; allow4, allow6: what isolated hosts may still reach) and one
 * forward chain that drops what the sets name. Each round reads the desired state
 * (GET /api/v1/enforcement), reads the table back as JSON, and reconciles: a missing or
 * altered table is rebuilt whole in one atomic batch; otherwise only the elements that differ
 * are added and deleted, in one batch. The sets are read back again to verify, and the result
 * is reported (POST /api/v1/enforcement/report). When the server cannot be reached the table
 * is left as it is (never flushed for want of an answer).
 *
 * --netns NAME applies the table in that network namespace (ip netns) while talking to the
 * server from the enforcer's own: a gateway whose forwarding lives in a namespace, and the
 * end-to-end tests. It needs CAP_SYS_ADMIN as well.
 */
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <unistd.h>
#include <nftables/libnftables.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/inet.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"

static const struct nset {
	const char *name, *type, *kind; /* kind: the member of the server's sets */
	bool interval;
} nsets[] = {
    {"iso4", "ipv4_addr", "ip4", false},     {"iso6", "ipv6_addr", "ip6", false},
    {"isomac", "ether_addr", "mac", false},  {"net4", "ipv4_addr", "net4", true},
    {"net6", "ipv6_addr", "net6", true},     {"allow4", "ipv4_addr", "allow4", true},
    {"allow6", "ipv6_addr", "allow6", true},
};
#define NSETS (sizeof(nsets) / sizeof(nsets[0]))

/* The forward chain: what isolated hosts may still reach first, then the drops. */
static const char *const rules[] = {
    "ip daddr @allow4 accept",          "ip saddr @allow4 accept",
    "ip6 daddr @allow6 accept",         "ip6 saddr @allow6 accept",
    "ether saddr @isomac counter drop", "ip saddr @iso4 counter drop",
    "ip daddr @iso4 counter drop",      "ip6 saddr @iso6 counter drop",
    "ip6 daddr @iso6 counter drop",     "ip saddr @net4 counter drop",
    "ip daddr @net4 counter drop",      "ip6 saddr @net6 counter drop",
    "ip6 daddr @net6 counter drop",
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *s, const char *v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = xstrdup(v);
}

static void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static const char *text_of(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, each string once (two spellings of one address canonicalise alike). */
static void strs_sort_unique(struct strs *s)
{
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(char *), cmp_str);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++) {
		if (strcmp(s->v[i], s->v[k - 1]) == 0)
			free(s->v[i]);
		else
			s->v[k++] = s->v[i];
	}
	s->n = k;
}

static bool strs_has(const struct strs *s, const char *v)
{
	return s->n && bsearch(&v, s->v, s->n, sizeof(char *), cmp_str);
}

/* An element in one spelling: addresses and MACs canonical, prefixes as addr/len. */
static int canon(const struct nset *ns, const char *in, char *out, size_t n)
{
	if (strcmp(ns->type, "ether_addr") == 0) {
		uint8_t mac[6];
		if (parse_mac(in, mac) < 0)
			return -1;
		char m[18];
		format_mac(mac, m);
		snprintf(out, n, "%s", m);
		return 0;
	}
	struct inet_prefix p;
	if (strchr(in, '/')) {
		if (inet_parse_prefix(in, false, &p) < 0)
			return -1;
	} else {
		int fam;
		u128 a;
		if (inet_parse_addr(in, &fam, &a) < 0)
			return -1;
		p = (struct inet_prefix){
		    .family = (uint8_t)fam, .len = (uint8_t)inet_bits(fam), .net = a};
	}
	if (p.family != (strcmp(ns->type, "ipv4_addr") == 0 ? 4 : 6))
		return -1;
	if (ns->interval) {
		char c[INET_PREFIX_MAX];
		inet_format_prefix(&p, c);
		snprintf(out, n, "%s", c);
	} else {
		if (p.len != inet_bits(p.family))
			return -1;
		char c[INET_ADDR_MAX];
		inet_format_addr(p.family, p.net, c);
		snprintf(out, n, "%s", c);
	}
	return 0;
}

/* Prefixes of an interval set, sorted, without those inside another (nftables refuses
 * overlapping intervals). */
static void outermost(struct strs *s)
{
	struct inet_prefix *p = xcalloc(s->n, sizeof(*p));
	for (size_t i = 0; i < s->n; i++)
		inet_parse_prefix(s->v[i], false, &p[i]);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		bool inside = false;
		for (size_t j = 0; j < s->n && !inside; j++)
			inside =
			    j != i && inet_contains(&p[j], &p[i]) && (p[j].len < p[i].len || j < i);
		if (inside)
			free(s->v[i]);
		else
			s->v[k++] = s->v[i];
	}
	s->n = k;
	free(p);
}

/* ---- nftables ---- */

struct enforcer {
	struct agent agent;
	const char *name, *table;
	struct nft_ctx *nft;
	int64_t interval_ms;
	int ns_fd, home_fd; /* --netns: the namespace the table lives in, and our own; else -1 */
	char error[1000];
};

/* Into the table's namespace (and back): nftables runs there, HTTP here. */
static int ns_enter(struct enforcer *e)
{
	if (agent_netns_enter(e->ns_fd) < 0) {
		snprintf(e->error, sizeof(e->error), "无法进入网络命名空间");
		return -1;
	}
	return 0;
}

static void ns_leave(struct enforcer *e)
{
	agent_netns_leave(e->home_fd);
}

/* Run commands; 0, or -1 with the error text kept. */
static int nft_run(struct enforcer *e, const char *cmds)
{
	if (ns_enter(e) < 0)
		return -1;
	int rc = nft_run_cmd_from_buffer(e->nft, cmds);
	ns_leave(e);
	const char *err = nft_ctx_get_error_buffer(e->nft);
	if (rc != 0) {
		text_printf(e->error, sizeof(e->error), "nft: %s", err && *err ? err : "failed");
		e->error[strcspn(e->error, "\n")] = 0;
		return -1;
	}
	return 0;
}

/* The table as nftables has it: each set's elements (canonical, sorted) and the forward
 * chain's rule count; -1 when there is no such table. */
static int read_table(struct enforcer *e, struct strs have[NSETS], bool present[NSETS],
                      size_t *nrules)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "list table inet %s", e->table);
	*nrules = 0;
	memset(present, 0, NSETS * sizeof(bool));
	if (ns_enter(e) < 0)
		return -1;
	int rc = nft_run_cmd_from_buffer(e->nft, cmd);
	ns_leave(e);
	if (rc != 0) {
		nft_ctx_get_error_buffer(e->nft);
		return -1;
	}
	json_t *root = json_loads(nft_ctx_get_output_buffer(e->nft), 0, NULL);
	json_t *items = json_object_get(root, "nftables");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		json_t *set = json_object_get(it, "set"), *rule = json_object_get(it, "rule");
		if (rule && strcmp(text_of(rule, "chain"), "forward") == 0)
			++*nrules;
		if (!set)
			continue;
		const char *name = json_string_value(json_object_get(set, "name"));
		const char *type = json_string_value(json_object_get(set, "type"));
		for (size_t k = 0; k < NSETS; k++) {
			if (!name || !type || strcmp(name, nsets[k].name) ||
			    strcmp(type, nsets[k].type))
				continue;
			present[k] = true;
			size_t j;
			json_t *el;
			json_array_foreach(json_object_get(set, "elem"), j, el)
			{
				char txt[INET_PREFIX_MAX + 8], c[INET_PREFIX_MAX + 8];
				json_t *pre = json_object_get(el, "prefix");
				if (json_is_string(el))
					snprintf(txt, sizeof(txt), "%s", json_string_value(el));
				else if (pre)
					snprintf(txt, sizeof(txt), "%s/%lld", text_of(pre, "addr"),
					         (long long)json_integer_value(
					             json_object_get(pre, "len")));
				else /* a range or anything else: not ours, rebuild */
					present[k] = false;
				if (present[k] && canon(&nsets[k], txt, c, sizeof(c)) == 0)
					strs_add(&have[k], c);
				else
					present[k] = false;
			}
			strs_sort_unique(&have[k]);
		}
	}
	json_decref(root);
	return 0;
}

static void elements(struct buf *b, const struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", s->v[i]);
}

/* A batch to nft, whole: one past its maximum would lack elements of a set (terminals left
 * connected) or the table's end, so it is not applied. */
static int nft_batch(struct enforcer *e, const struct buf *b)
{
	if (buf_failed(b)) {
		snprintf(e->error, sizeof(e->error), "nftables 批处理超过 %zu MB 的上限，未应用",
		         b->max >> 20);
		return -1;
	}
	return nft_run(e, b->p);
}

/* The whole table in one batch, replacing whatever had the name. */
static int rebuild(struct enforcer *e, struct strs want[NSETS])
{
	struct buf b;
	buf_init(&b, 256u << 20);
	buf_printf(&b, "add table inet %s\ndelete table inet %s\ntable inet %s {\n", e->table,
	           e->table, e->table);
	for (size_t k = 0; k < NSETS; k++) {
		buf_printf(&b, "  set %s { type %s;%s", nsets[k].name, nsets[k].type,
		           nsets[k].interval ? " flags interval;" : "");
		if (want[k].n) {
			buf_puts(&b, " elements = { ");
			elements(&b, &want[k]);
			buf_puts(&b, " };");
		}
		buf_puts(&b, " }\n");
	}
	buf_puts(
	    &b,
	    "  chain forward { type filter hook forward priority filter - 10; policy accept;\n");
	for (size_t i = 0; i < NRULES; i++)
		buf_printf(&b, "    %s\n", rules[i]);
	buf_puts(&b, "  }\n}\n");
	int rc = nft_batch(e, &b);
	buf_free(&b);
	return rc;
}

/* Only what differs, in one batch; *changes how many elements moved. */
static int patch(struct enforcer *e, struct strs want[NSETS], struct strs have[NSETS],
                 size_t *changes)
{
	struct buf b;
	buf_init(&b, 256u << 20);
	*changes = 0;
	for (size_t k = 0; k < NSETS; k++) {
		struct strs add = {0}, del = {0};
		for (size_t i = 0; i < want[k].n; i++)
			if (!strs_has(&have[k], want[k].v[i]))
				strs_add(&add, want[k].v[i]);
		for (size_t i = 0; i < have[k].n; i++)
			if (!strs_has(&want[k], have[k].v[i]))
				strs_add(&del, have[k].v[i]);
		if (del.n) {
			buf_printf(&b, "delete element inet %s %s { ", e->table, nsets[k].name);
			elements(&b, &del);
			buf_puts(&b, " }\n");
		}
		if (add.n) {
			buf_printf(&b, "add element inet %s %s { ", e->table, nsets[k].name);
			elements(&b, &add);
			buf_puts(&b, " }\n");
		}
		*changes += add.n + del.n;
		strs_free(&add);
		strs_free(&del);
	}
	int rc = 0;
	if (b.len || buf_failed(&b))
		rc = nft_batch(e, &b);
	buf_free(&b);
	return rc;
}

/* ---- a round ---- */

/* The desired sets from the server's answer; -1 when it is not one. */
static int desired(struct enforcer *e, const char *text, struct strs want[NSETS], int64_t *gen)
{
	json_t *root = json_loads(text, 0, NULL);
	json_t *sets = json_object_get(root, "sets");
	json_t *g = json_object_get(root, "generation");
	if (!json_is_object(sets) || !json_is_integer(g)) {
		json_decref(root);
		snprintf(e->error, sizeof(e->error), "服务器的回答不是隔离状态");
		return -1;
	}
	*gen = json_integer_value(g);
	int rc = 0;
	for (size_t k = 0; k < NSETS && !rc; k++) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(sets, nsets[k].kind), i, v)
		{
			char c[INET_PREFIX_MAX + 8];
			if (!json_is_string(v) ||
			    canon(&nsets[k], json_string_value(v), c, sizeof(c)) < 0) {
				snprintf(e->error, sizeof(e->error), "服务器给出的 %s 元素无效",
				         nsets[k].kind);
				rc = -1;
				break;
			}
			strs_add(&want[k], c);
		}
		strs_sort_unique(&want[k]);
		if (nsets[k].interval)
			outermost(&want[k]);
	}
	json_decref(root);
	return rc;
}

static void report(struct enforcer *e, int64_t gen, bool ok, struct strs got[NSETS])
{
	json_t *applied = json_object();
	for (size_t k = 0; k < NSETS; k++)
		json_object_set_new(applied, nsets[k].kind, json_integer((json_int_t)got[k].n));
	json_t *body = json_pack("{s:s, s:I, s:b, s:o, s:s}", "name", e->name, "generation",
	                         (json_int_t)gen, "ok", ok, "applied", applied, "error", e->error);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text) {
		long st = agent_call(&e->agent, "POST", "/api/v1/enforcement/report", text,
		                     strlen(text), NULL);
		if (st && (st < 200 || st >= 300))
			log_warnx("enforce: report refused (%ld)", st);
	}
	free(text);
}

/* 0 applied and verified; 1 not (e->error says why). */
static int round_once(struct enforcer *e, bool verbose)
{
	struct strs want[NSETS] = {0}, have[NSETS] = {0};
	bool present[NSETS];
	size_t nrules = 0, changes = 0;
	int64_t gen = -1;
	e->error[0] = 0;
	struct buf answer;
	buf_init(&answer, 256u << 20);
	long st = agent_call(&e->agent, "GET", "/api/v1/enforcement", NULL, 0, &answer);
	int rc = 1;
	if (st == 200 && buf_failed(&answer)) {
		snprintf(e->error, sizeof(e->error), "服务器的隔离状态超过 %zu MB 的上限",
		         answer.max >> 20);
		goto out; /* the table stays as it is */
	}
	if (st != 200 || buf_append(&answer, "", 1)) {
		snprintf(e->error, sizeof(e->error), "读取隔离状态失败（%ld）", st);
		goto out; /* the table stays as it is */
	}
	if (desired(e, answer.p, want, &gen) < 0)
		goto out;
	bool whole = read_table(e, have, present, &nrules) < 0 || nrules != NRULES;
	for (size_t k = 0; k < NSETS; k++)
		whole |= !present[k];
	if (whole ? rebuild(e, want) : patch(e, want, have, &changes))
		goto out;
	for (size_t k = 0; k < NSETS; k++)
		strs_free(&have[k]);
	/* read back: what the kernel holds must be what was asked */
	if (read_table(e, have, present, &nrules) < 0 || nrules != NRULES) {
		snprintf(e->error, sizeof(e->error), "应用后读回的表 inet %s 不完整", e->table);
		goto out;
	}
	for (size_t k = 0; k < NSETS; k++) {
		bool same = present[k] && have[k].n == want[k].n;
		for (size_t i = 0; same && i < want[k].n; i++)
			same = strcmp(have[k].v[i], want[k].v[i]) == 0;
		if (!same) {
			snprintf(e->error, sizeof(e->error), "集合 %s 读回与目标不一致",
			         nsets[k].name);
			goto out;
		}
	}
	rc = 0;
	if (verbose || whole || changes)
		log_info("enforce: generation %lld applied (%s, %zu changes): %zu %zu %zu %zu %zu",
		         (long long)gen, whole ? "rebuilt" : "patched", changes, want[0].n,
		         want[1].n, want[2].n, want[3].n, want[4].n);
out:
	if (rc)
		log_warnx("enforce: %s", e->error);
	if (gen >= 0 || st)
		report(e, gen < 0 ? 0 : gen, rc == 0, rc ? have : want);
	for (size_t k = 0; k < NSETS; k++) {
		strs_free(&want[k]);
		strs_free(&have[k]);
	}
	buf_free(&answer);
	return rc;
}

static volatile sig_atomic_t stop_enforce;

static void on_stop(int sig)
{
	stop_enforce = sig;
}

static void usage(void)
{
	fprintf(stderr, "用法: zwnet enforce --server URL --name 名称 [--token-file 文件]\n"
	                "                    [--table 表名] [--netns 命名空间] [--interval 毫秒]\n"
	                "                    [--once]\n"
	                "令牌取自 --token-file 或环境变量 ZWNET_TOKEN（探针令牌）。\n"
	                "--once 只核对一次：已应用并读回一致时退出码为 0，否则为 1。\n");
}

int cmd_enforce(int argc, char **argv)
{
	struct enforcer e = {.table = "zwnet", .interval_ms = 2000, .ns_fd = -1, .home_fd = -1};
	const char *token_file = NULL, *netns = NULL;
	bool once = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t x;
		if (!strcmp(a, "--once")) {
			once = true;
			continue;
		}
		if (!v) {
			usage();
			return 2;
		}
		i++;
		if (!strcmp(a, "--server"))
			e.agent.server = v;
		else if (!strcmp(a, "--name"))
			e.name = v;
		else if (!strcmp(a, "--token-file"))
			token_file = v;
		else if (!strcmp(a, "--netns"))
			netns = v;
		else if (!strcmp(a, "--table") &&
		         strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(v) && *v &&
		         strlen(v) < 32)
			e.table = v;
		else if (!strcmp(a, "--interval") && parse_i64(v, 100, 3600000, &x) == 0)
			e.interval_ms = x;
		else {
			fprintf(stderr, "zwnet enforce: 无法识别的参数 %s %s\n", a, v);
			usage();
			return 2;
		}
	}
	if (!e.agent.server || !e.name || strlen(e.name) > 64) {
		usage();
		return 2;
	}
	e.agent.cmd = "enforce";
	if (agent_token(&e.agent, token_file))
		return 2;
	if (agent_netns_open("enforce", netns, &e.ns_fd, &e.home_fd) < 0)
		return 1;
	/* the context's netlink socket belongs to the namespace it is made in */
	if (ns_enter(&e) == 0) {
		e.nft = nft_ctx_new(NFT_CTX_DEFAULT);
		ns_leave(&e);
	}
	e.agent.curl = curl_easy_init();
	if (!e.nft || !e.agent.curl) {
		fprintf(stderr, "zwnet enforce: 初始化失败\n");
		if (e.nft)
			nft_ctx_free(e.nft);
		return 1;
	}
	nft_ctx_output_set_flags(e.nft, NFT_CTX_OUTPUT_JSON);
	nft_ctx_buffer_output(e.nft);
	nft_ctx_buffer_error(e.nft);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	int rc = round_once(&e, true);
	while (!once && !stop_enforce) {
		struct timespec ts = {e.interval_ms / 1000, (e.interval_ms % 1000) * 1000000};
		nanosleep(&ts, NULL);
		if (!stop_enforce)
			rc = round_once(&e, false);
	}
	nft_ctx_free(e.nft);
	curl_easy_cleanup(e.agent.curl);
	agent_netns_close(e.ns_fd, e.home_fd);
	return once ? rc : 0;
}
