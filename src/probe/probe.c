/*
 * zwnet probe: capture ARP, neighbour discovery, DHCP and TCP SYNs (libpcap), turn them into
 * observations (wire/pkt.c), and POST them in batches to the server's ingest API with a probe
 * token. Needs only CAP_NET_RAW for a live interface; --pcap reads a capture file once.
 *
 * A batch the server does not take (unreachable, 5xx) goes to the spool directory as one
 * file, named by a sequence number; spooled batches are sent again, oldest first, before any
 * new one, so the server sees observations in order and none twice (a batch is removed from
 * the spool only after the server answered 2xx). The spool is bounded (--spool-max bytes):
 * when full, the oldest batches are dropped and their observations counted; the count
 * travels with the next batch built (stats.dropped, which the server adds up) and survives a
 * restart of the probe in the spool's "dropped" file. A batch the server refuses (4xx) is a
 * defect: it is logged and kept aside as *.refused.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/parse.h"
#include "probe/snmp.h"
#include "wire/lease.h"
#include "wire/pkt.h"
#include "core/xalloc.h"

#define FILTER                                                                                     \
	"arp or (udp and (port 67 or port 68 or port 546 or port 547)) or"                         \
	" (icmp6 and (ip6[40] >= 133 and ip6[40] <= 136)) or"                                      \
	" (tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn) or"                                       \
	" (ip6 and tcp and (ip6[53] & 0x12) == 0x02)"

struct probe {
	const char *server, *name, *spool;
	struct agent agent;
	size_t batch_max;
	int64_t spool_max, interval_ms;
	struct obs *batch;
	size_t n;
	uint64_t seq; /* next spool file number */
	/* every batch names itself (run, seq): the server takes a batch once, also when it is
	 * sent again after an answer that was lost (a kill mid-stream, a timeout) */
	char run[33];
	uint64_t batch_seq;
	struct obs_self self; /* the host's own MACs and addresses, sent with every batch */
	bool has_self;
	bool has_leases; /* a lease reader: every batch says what the last read found */
	size_t leases, expired;
	int64_t spooled, dropped, sent, failed;
};

static volatile sig_atomic_t stop_probe;

static void on_stop(int sig)
{
	stop_probe = sig;
}

/* 0 taken, 1 try again later (unreachable, 5xx), -1 refused (4xx) */
static int post(struct probe *p, const char *body, size_t len)
{
	struct buf answer;
	buf_init(&answer, 4096);
	long status = agent_call(&p->agent, "POST", "/api/v1/observations", body, len, &answer);
	int out = 0;
	if (status == 0) {
		out = 1;
	} else if (status >= 500 || status == 429 || status == 401) {
		/* 401: the server may be restarting with its tokens not yet readable; keep it */
		log_warnx("probe: server answered %ld", status);
		out = 1;
	} else if (status < 200 || status >= 300) {
		log_warnx("probe: server refused the batch (%ld): %.*s%s", status, (int)answer.len,
		          answer.p ? answer.p : "", buf_failed(&answer) ? "…" : "");
		out = -1;
	}
	buf_free(&answer);
	return out;
}

/* ---- spool ---- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The spooled batch files, oldest first (names are zero-padded sequence numbers). */
static char **spool_list(const struct probe *p, size_t *n)
{
	*n = 0;
	DIR *d = opendir(p->spool);
	if (!d)
		return NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l != 21 || strcmp(e->d_name + 16, ".json") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof(*v), cmp_names);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The file's bytes; NULL when it cannot be read, or is larger than a batch (*too_large). */
static char *read_file(const char *path, size_t *len, bool *too_large)
{
	*too_large = false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b, 64u << 20);
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf_append(&b, chunk, k) == 0)
		;
	fclose(f);
	*too_large = buf_failed(&b); /* not a batch: flush writes at most 64 MiB */
	if (*too_large) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b, len);
}

/* What dropping a spooled batch loses: its observations and the drop count it carried. */
static int64_t spooled_count(const char *path)
{
	FILE *f = fopen(path, "r");
	long long n = 0, spooled = 0, dropped = 0;
	if (f) {
		if (fscanf(f, "{\"count\":%lld,\"stats\":{\"spooled\":%lld,\"dropped\":%lld}", &n,
		           &spooled, &dropped) != 3)
			n = dropped = 0;
		fclose(f);
	}
	return n + dropped;
}

static void dropped_path(const struct probe *p, char *out, size_t n)
{
	snprintf(out, n, "%s/dropped", p->spool);
}

static int64_t spool_bytes(const struct probe *p, char **names, size_t n)
{
	int64_t total = 0;
	char path[1024];
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", p->spool, names[i]);
		if (stat(path, &st) == 0)
			total += st.st_size;
	}
	return total;
}

static void spool_write(struct probe *p, const char *body, size_t len, size_t count)
{
	if (!p->spool) {
		p->dropped += (int64_t)count;
		log_warnx("probe: no spool directory: %zu observations lost", count);
		return;
	}
	size_t n;
	char **names = spool_list(p, &n);
	/* make room: drop the oldest batches, counting their observations */
	int64_t used = spool_bytes(p, names, n);
	size_t k = 0;
	char path[1024];
	while (k < n && used + (int64_t)len > p->spool_max) {
		snprintf(path, sizeof(path), "%s/%s", p->spool, names[k]);
		struct stat st;
		int64_t size = stat(path, &st) == 0 ? st.st_size : 0;
		p->dropped += spooled_count(path);
		unlink(path);
		used -= size;
		k++;
	}
	free_list(names, n);
	if (used + (int64_t)len > p->spool_max) {
		p->dropped += (int64_t)count;
		return;
	}
	snprintf(path, sizeof(path), "%s/%016llu.json", p->spool, (unsigned long long)p->seq++);
	char tmp[1100];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(body, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		if (f)
			fclose(f);
		unlink(tmp);
		p->dropped += (int64_t)count;
		log_warnx("probe: cannot spool to %s: %s", p->spool, strerror(errno));
		return;
	}
	fclose(f);
	rename(tmp, path);
}

/* Send what the spool holds, oldest first. true when it is empty afterwards. */
static bool spool_replay(struct probe *p)
{
	if (!p->spool)
		return true;
	size_t n;
	char **names = spool_list(p, &n);
	bool empty = true;
	char path[1024];
	for (size_t i = 0; i < n && !stop_probe; i++) {
		snprintf(path, sizeof(path), "%s/%s", p->spool, names[i]);
		size_t len;
		bool too_large;
		char *body = read_file(path, &len, &too_large);
		if (!body && !too_large)
			continue;
		int rc = body ? post(p, body, len) : -1;
		free(body);
		if (too_large)
			log_warnx("probe: %s: larger than a batch (64 MiB), set aside", path);
		if (rc > 0) {
			empty = false;
			break;
		}
		if (rc < 0) {
			char aside[1100];
			snprintf(aside, sizeof(aside), "%s.refused", path);
			rename(path, aside);
		} else {
			unlink(path);
		}
	}
	free_list(names, n);
	return empty;
}

static void spool_init(struct probe *p)
{
	if (!p->spool)
		return;
	mkdir(p->spool, 0700);
	size_t n;
	char **names = spool_list(p, &n);
	if (n)
		p->seq = strtoull(names[n - 1], NULL, 10) + 1;
	free_list(names, n);
	char path[1024];
	dropped_path(p, path, sizeof(path));
	FILE *f = fopen(path, "r");
	long long d = 0;
	if (f) {
		if (fscanf(f, "%lld", &d) == 1 && d > 0)
			p->dropped += d;
		fclose(f);
		unlink(path);
	}
}

/* How many batches wait in the spool. */
static size_t spool_count(const struct probe *p)
{
	size_t n = 0;
	if (p->spool) {
		char **l = spool_list(p, &n);
		free_list(l, n);
	}
	return n;
}

/* What an earlier run left in the spool is sent before anything new (a --pcap run that
 * found the server down, a probe that was stopped). */
static void drain_at_start(struct probe *p)
{
	size_t n = spool_count(p);
	if (!n)
		return;
	spool_replay(p);
	size_t left = spool_count(p);
	log_info("probe: %zu spooled batch(es) from before, %zu sent, %zu still waiting", n,
	         n - left, left);
}

static void spool_close(struct probe *p);

/* --flush: send the spool and stop; 0 when it is empty afterwards, 3 when some wait. */
static int flush_spool(struct probe *p)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	p->agent.curl = curl_easy_init();
	if (!p->agent.curl) {
		fprintf(stderr, "zwnet probe: cannot initialise libcurl\n");
		return 1;
	}
	spool_init(p);
	size_t n = spool_count(p);
	bool empty = spool_replay(p);
	size_t left = spool_count(p);
	printf("探针 %s：缓存中 %zu 批，已送达 %zu 批，仍待发送 %zu 批\n", p->name, n, n - left,
	       left);
	spool_close(p);
	curl_easy_cleanup(p->agent.curl);
	curl_global_cleanup();
	return empty ? 0 : 3;
}

/* A drop count no batch carries yet is kept for the next run. */
static void spool_close(struct probe *p)
{
	if (!p->spool || !p->dropped)
		return;
	char path[1024];
	dropped_path(p, path, sizeof(path));
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "%lld\n", (long long)p->dropped);
		fclose(f);
	}
}

/* ---- the host's own addresses ---- */

/* The MACs and addresses of this host's interfaces (of the network namespace it is in): its
 * own traffic on the wire (asking for the server, answering ARP) is no stranger's. */
static void own_addresses(struct probe *p)
{
	struct ifaddrs *all;
	memset(&p->self, 0, sizeof(p->self));
	p->has_self = true;
	if (getifaddrs(&all) < 0) {
		log_warn("probe: the host's own addresses");
		return;
	}
	for (struct ifaddrs *i = all; i; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		int fam = i->ifa_addr->sa_family;
		if (fam == AF_PACKET) {
			const struct sockaddr_ll *ll = (const struct sockaddr_ll *)i->ifa_addr;
			if (ll->sll_halen == 6)
				obs_self_add_mac(&p->self, ll->sll_addr);
		} else if (fam == AF_INET) {
			const struct sockaddr_in *in = (const struct sockaddr_in *)i->ifa_addr;
			obs_self_add_addr(&p->self, 4, (u128)ntohl(in->sin_addr.s_addr));
		} else if (fam == AF_INET6) {
			const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)i->ifa_addr;
			u128 a = 0;
			for (int k = 0; k < 16; k++)
				a = a << 8 | in6->sin6_addr.s6_addr[k];
			obs_self_add_addr(&p->self, 6, a);
		}
	}
	freeifaddrs(all);
}

/* ---- batches ---- */

static int batch_json(struct probe *p, struct buf *b)
{
	size_t pending = 0;
	if (p->spool) {
		char **names = spool_list(p, &pending);
		free_list(names, pending);
	}
	/* "count" and "stats" first: the spool reads them back without parsing the batch */
	int rc = buf_printf(b, "{\"count\":%zu,\"stats\":{\"spooled\":%zu,\"dropped\":%lld", p->n,
	                    pending, (long long)p->dropped);
	if (p->has_leases)
		rc |=
		    buf_printf(b, ",\"leases\":%zu,\"expired_leases\":%zu", p->leases, p->expired);
	rc |= buf_puts(b, "},\"probe\":");
	rc |= json_write_str(b, p->name);
	rc |= buf_printf(b, ",\"batch\":{\"run\":\"%s\",\"seq\":%llu}", p->run,
	                 (unsigned long long)++p->batch_seq);
	if (p->has_self)
		rc |= buf_puts(b, ",\"self\":") | obs_self_write_json(b, &p->self);
	rc |= buf_puts(b, ",\"observations\":[");
	for (size_t i = 0; i < p->n; i++) {
		if (i)
			rc |= buf_puts(b, ",");
		rc |= obs_write_json(b, &p->batch[i]);
	}
	return rc | buf_puts(b, "]}");
}

/* Send the batch (after what the spool holds); an empty one still carries a drop count. */
static void flush(struct probe *p)
{
	if (!p->n && !p->dropped && !p->has_leases)
		return;
	struct buf b;
	buf_init(&b, 64u << 20);
	if (batch_json(p, &b) < 0) {
		log_warnx("probe: batch too large");
		p->dropped += (int64_t)p->n;
		p->n = 0;
		buf_free(&b);
		return;
	}
	bool clear = spool_replay(p);
	p->dropped = 0; /* the count travels with this batch now, sent or spooled */
	int rc = clear ? post(p, b.p, b.len) : 1;
	if (rc == 0) {
		p->sent += (int64_t)p->n;
	} else if (rc > 0) {
		spool_write(p, b.p, b.len, p->n);
	} else {
		p->failed += (int64_t)p->n;
	}
	p->n = 0;
	buf_free(&b);
}

static void on_packet(u_char *ctx, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct probe *p = (struct probe *)ctx;
	int64_t at = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	if (pkt_decode(bytes, h->caplen, at, &p->batch[p->n]) == 1 && ++p->n == p->batch_max)
		flush(p);
}

static int add_obs(const struct obs *o, void *ctx)
{
	struct probe *p = ctx;
	p->batch[p->n] = *o;
	if (++p->n == p->batch_max)
		flush(p);
	return 0;
}

/* Read a DHCP server's lease file and send its current leases; 1 when it cannot be read. */
static int read_leases(struct probe *p, const char *file, enum lease_format f)
{
	FILE *in = fopen(file, "rb");
	if (!in) {
		log_warn("probe: %s", file);
		return 1;
	}
	struct buf b;
	buf_init(&b, 512u << 20);
	char chunk[65536];
	size_t k;
	int rc = 0;
	while (!rc && (k = fread(chunk, 1, sizeof(chunk), in)) > 0)
		rc = buf_append(&b, chunk, k);
	fclose(in);
	struct lease_stats st = {0};
	if (!rc)
		lease_parse(f, b.p ? b.p : "", b.len, clock_now(), add_obs, p, &st);
	buf_free(&b);
	if (rc) {
		log_warnx("probe: %s: larger than 512 MiB", file);
		return 1;
	}
	/* the last batch of the read says what it found, even when that is nothing */
	p->has_leases = true;
	p->leases = st.leases;
	p->expired = st.expired;
	flush(p);
	if (st.bad)
		log_warnx("probe: %s: %zu lines could not be read (the first on line %d)", file,
		          st.bad, st.first_bad);
	if (lease_all_expired(st.leases, st.expired)) {
		char end[40];
		obs_format_time(st.last_end * 1000000, end);
		log_warnx(
		    "probe %s: %s: all %zu leases have expired (the latest at %s): nothing to "
		    "report; is the DHCP server running, and is this its lease file?",
		    p->name, file, st.expired, end);
	}
	log_info("probe %s: %s: %zu current leases, %zu expired, %zu others", p->name, file,
	         st.leases, st.expired, st.skipped);
	return 0;
}

/* One round of SNMP: the device register from the server, each device polled; 1 when the
 * register could not be had. */
static int snmp_round(struct probe *p, const char *peer_tmpl)
{
	struct buf answer;
	buf_init(&answer, 64u << 20);
	long st = agent_call(&p->agent, "GET", "/api/v1/probes/devices", NULL, 0, &answer);
	bool cut = buf_failed(&answer);
	json_t *root =
	    st == 200 && !cut ? json_loadb(answer.p ? answer.p : "", answer.len, 0, NULL) : NULL;
	buf_free(&answer);
	json_t *items = json_object_get(root, "items");
	if (!json_is_array(items)) {
		log_warnx("probe: the device register could not be read (%ld%s)", st,
		          cut ? ", larger than 64 MiB" : "");
		json_decref(root);
		return 1;
	}
	size_t i;
	json_t *d;
	json_array_foreach(items, i, d)
	{
		struct snmp_device dev = {
		    .id = json_integer_value(json_object_get(d, "id")),
		    .name = json_string_value(json_object_get(d, "name")),
		    .mgmt_ip = json_string_value(json_object_get(d, "mgmt_ip")),
		    .version = json_string_value(json_object_get(d, "snmp_version")),
		    .community = json_string_value(json_object_get(d, "community")),
		    .user = json_string_value(json_object_get(d, "user")),
		    .auth_key = json_string_value(json_object_get(d, "auth_key")),
		    .priv_key = json_string_value(json_object_get(d, "priv_key"))};
		if (!dev.name || !dev.mgmt_ip || !dev.version || !dev.user)
			continue;
		char peer[300], why[200] = "";
		if (peer_tmpl)
			snprintf(peer, sizeof(peer), "%s", peer_tmpl);
		else if (strchr(dev.mgmt_ip, ':'))
			snprintf(peer, sizeof(peer), "udp6:[%s]:161", dev.mgmt_ip);
		else
			snprintf(peer, sizeof(peer), "udp:%s:161", dev.mgmt_ip);
		struct snmp_poll_stats ps;
		if (snmp_poll_device(&dev, peer, add_obs, p, &ps, why, sizeof(why)) < 0) {
			log_warnx("probe: device %s (%s): %s", dev.name, dev.mgmt_ip, why);
			continue;
		}
		log_info("probe %s: device %s: %zu ports, %zu neighbours, %zu forwarding entries%s",
		         p->name, dev.name, ps.ports, ps.neigh, ps.fdb,
		         ps.bad ? " (some rows unreadable)" : "");
	}
	json_decref(root);
	flush(p);
	return 0;
}

/* --leases or --snmp: read the file (poll the devices) once, or every `every` seconds until
 * stopped, and send. */
static int poll_sources(struct probe *p, const char *file, enum lease_format f, int64_t every,
                        const char *peer)
{
	p->batch = xcalloc(p->batch_max, sizeof(*p->batch));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	p->agent.curl = curl_easy_init();
	int rc = !p->agent.curl;
	if (rc)
		fprintf(stderr, "zwnet probe: cannot initialise libcurl\n");
	else
		spool_init(p);
	if (!rc)
		drain_at_start(p);
	struct sigaction sa = {.sa_handler = on_stop};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (!file)
		snmp_poll_init();
	while (!rc) {
		own_addresses(p);
		rc = file ? read_leases(p, file, f) : snmp_round(p, peer);
		if (!every || stop_probe)
			break;
		for (int64_t t = 0; t < every * 10 && !stop_probe; t++) {
			struct timespec ts = {0, 100000000};
			nanosleep(&ts, NULL);
		}
		if (stop_probe)
			break;
	}
	if (!rc && !spool_replay(p))
		rc = 3;
	printf("探针 %s：已上报 %lld 条观测，被拒 %lld 条\n", p->name, (long long)p->sent,
	       (long long)p->failed);
	spool_close(p);
	if (p->failed && !rc)
		rc = 4;
	curl_easy_cleanup(p->agent.curl);
	curl_global_cleanup();
	free(p->batch);
	return rc;
}

static void usage(void)
{
	fprintf(
	    stderr,
	    "用法: zwnet probe --server URL --name 名称\n"
	    "                  (--pcap 文件 | --iface 网卡 | --leases 文件 --lease-format 格式 |\n"
	    "                   --snmp [--snmp-peer 地址])\n"
	    "                  [--token-file 文件] [--spool 目录] [--spool-max 字节]\n"
	    "                  [--batch N] [--interval 毫秒] [--every 秒] [--netns 命名空间]\n"
	    "令牌取自 --token-file 或环境变量 ZWNET_TOKEN（探针角色用户的 API 令牌）。\n"
	    "租约文件格式：isc（dhcpd.leases）、kea（memfile CSV）、dnsmasq；\n"
	    "--snmp 按设备登记轮询路由器和交换机（ARP/邻居表、转发表、端口名）。\n"
	    "--every N 每 N 秒重读（重新轮询）一次，否则一次后退出。\n"
	    "       zwnet probe --server URL --name 名称 --spool 目录 --flush\n"
	    "只发送缓存目录中尚未送达的批次后退出（全部送达为 0，仍有剩余为 3）。\n"
	    "每次启动时先发送缓存中的批次。\n");
}

int cmd_probe(int argc, char **argv)
{
	struct probe p = {.batch_max = 1000, .spool_max = 256ll << 20, .interval_ms = 1000};
	const char *pcap_file = NULL, *iface = NULL, *token_file = NULL, *leases = NULL;
	const char *peer = NULL, *netns = NULL;
	bool snmp = false, flush_only = false;
	int lease_fmt = -1;
	int64_t every = 0;
	for (int i = 0; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t x;
		if (!strcmp(a, "--snmp") || !strcmp(a, "--flush")) {
			*(a[2] == 's' ? &snmp : &flush_only) = true;
			i--;
			continue;
		}
		if (!v) {
			usage();
			return 2;
		}
		if (!strcmp(a, "--server"))
			p.server = v;
		else if (!strcmp(a, "--name"))
			p.name = v;
		else if (!strcmp(a, "--pcap"))
			pcap_file = v;
		else if (!strcmp(a, "--iface"))
			iface = v;
		else if (!strcmp(a, "--leases"))
			leases = v;
		else if (!strcmp(a, "--lease-format") && lease_format_parse(v) >= 0)
			lease_fmt = lease_format_parse(v);
		else if (!strcmp(a, "--every") && parse_i64(v, 1, 86400, &x) == 0)
			every = x;
		else if (!strcmp(a, "--snmp-peer"))
			peer = v;
		else if (!strcmp(a, "--netns"))
			netns = v;
		else if (!strcmp(a, "--token-file"))
			token_file = v;
		else if (!strcmp(a, "--spool"))
			p.spool = v;
		else if (!strcmp(a, "--spool-max") && parse_i64(v, 4096, INT64_MAX, &x) == 0)
			p.spool_max = x;
		else if (!strcmp(a, "--batch") && parse_i64(v, 1, 20000, &x) == 0)
			p.batch_max = (size_t)x;
		else if (!strcmp(a, "--interval") && parse_i64(v, 10, 600000, &x) == 0)
			p.interval_ms = x;
		else {
			fprintf(stderr, "zwnet probe: 无法识别的参数 %s %s\n", a, v);
			usage();
			return 2;
		}
	}
	if (!p.server || !p.name ||
	    (flush_only ? !p.spool || pcap_file || iface || leases || snmp
	                : !!pcap_file + !!iface + !!leases + snmp != 1) ||
	    !!leases != (lease_fmt >= 0)) {
		usage();
		return 2;
	}
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(p.run + 2 * i, 3, "%02x", r[i]);
	p.agent.server = p.server;
	p.agent.cmd = "probe";
	if (agent_token(&p.agent, token_file))
		return 2;
	if (flush_only)
		return flush_spool(&p);
	if (leases || snmp)
		return poll_sources(&p, leases, (enum lease_format)lease_fmt, every, peer);
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	/* --netns: the capture socket is made in that namespace; HTTP stays in ours */
	int ns_fd, home_fd;
	if (agent_netns_open("probe", iface ? netns : NULL, &ns_fd, &home_fd) < 0 ||
	    agent_netns_enter(ns_fd) < 0) {
		agent_netns_close(ns_fd, home_fd);
		return 1;
	}
	pcap_t *pc = pcap_file ? pcap_open_offline(pcap_file, errbuf) : pcap_create(iface, errbuf);
	if (!pc) {
		agent_netns_leave(home_fd);
		agent_netns_close(ns_fd, home_fd);
		fprintf(stderr, "zwnet probe: %s\n", errbuf);
		return 1;
	}
	if (iface) {
		own_addresses(&p); /* of the namespace the capture is in */
		pcap_set_snaplen(pc, 1600);
		pcap_set_promisc(pc, 1);
		pcap_set_timeout(pc, (int)(p.interval_ms < 200 ? p.interval_ms : 200));
		pcap_set_immediate_mode(pc, 1);
		int act = pcap_activate(pc);
		agent_netns_leave(home_fd);
		agent_netns_close(ns_fd, home_fd);
		if (act < 0) {
			fprintf(stderr, "zwnet probe: %s: %s\n", iface, pcap_geterr(pc));
			pcap_close(pc);
			return 1;
		}
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "zwnet probe: 只支持以太网抓包（链路类型 %d）\n",
		        pcap_datalink(pc));
		pcap_close(pc);
		return 1;
	}
	struct bpf_program prog;
	if (pcap_compile(pc, &prog, FILTER, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(pc, &prog) < 0) {
		fprintf(stderr, "zwnet probe: filter: %s\n", pcap_geterr(pc));
		pcap_close(pc);
		return 1;
	}
	pcap_freecode(&prog);
	p.batch = xcalloc(p.batch_max, sizeof(*p.batch));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	p.agent.curl = curl_easy_init();
	if (!p.agent.curl) {
		fprintf(stderr, "zwnet probe: cannot initialise libcurl\n");
		pcap_close(pc);
		free(p.batch);
		return 1;
	}
	spool_init(&p);
	drain_at_start(&p);
	struct sigaction sa = {0};
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int rc = 0;
	if (pcap_file) {
		if (pcap_loop(pc, -1, on_packet, (u_char *)&p) == PCAP_ERROR) {
			fprintf(stderr, "zwnet probe: %s\n", pcap_geterr(pc));
			rc = 1;
		}
		flush(&p);
		if (!spool_replay(&p))
			rc = rc ? rc : 3; /* some batches wait in the spool */
	} else {
		log_info("probe %s: capturing on %s, sending to %s", p.name, iface, p.server);
		/* In immediate mode libpcap ignores its timeout, so a blocking read would hold a
		 * lone packet until the next one arrived: wait on the descriptor ourselves, never
		 * past the next send. */
		int fd = pcap_setnonblock(pc, 1, errbuf) == 0 ? pcap_get_selectable_fd(pc) : -1;
		if (fd < 0)
			log_warnx("probe: %s: no pollable descriptor; batches wait for traffic",
			          iface);
		int64_t last = clock_mono_ms();
		while (!stop_probe) {
			if (fd >= 0) {
				int64_t left = p.interval_ms - (clock_mono_ms() - last);
				struct pollfd pf = {.fd = fd, .events = POLLIN};
				poll(&pf, 1, left > 0 ? (int)left : 0);
			}
			int k = pcap_dispatch(pc, -1, on_packet, (u_char *)&p);
			if (k == PCAP_ERROR) {
				log_warnx("probe: %s", pcap_geterr(pc));
				rc = 1;
				break;
			}
			int64_t now = clock_mono_ms();
			if (now - last >= p.interval_ms) {
				if (p.n || p.dropped)
					flush(&p);
				else
					spool_replay(&p);
				last = now;
			}
		}
		flush(&p);
	}
	printf("探针 %s：已上报 %lld 条观测，被拒 %lld 条%s%s\n", p.name, (long long)p.sent,
	       (long long)p.failed, p.spool ? "，暂存目录 " : "", p.spool ? p.spool : "");
	spool_close(&p);
	if (p.failed && !rc)
		rc = 4;
	curl_easy_cleanup(p.agent.curl);
	curl_global_cleanup();
	pcap_close(pc);
	free(p.batch);
	return rc;
}
