#include "wire/reach.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

/* The TCP phase's connections open at once, at most. */
#define TCP_BATCH 512

struct dest {
	int fam; /* 0: the address could not be read */
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} sa;
	socklen_t len;
	int64_t sent_us;
};

struct echo_sock {
	int fd, fam;
	bool raw;
};

/* The payload after the ICMP header: the round's cookie and the target's index. */
struct echo_body {
	uint32_t cookie, index;
	uint8_t pad[16];
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint16_t checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void open_echo(int fam, struct echo_sock *s)
{
	int proto = fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	s->fam = fam;
	s->raw = false;
	s->fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (s->fd < 0) {
		s->raw = true;
		s->fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	}
	if (s->fd >= 0) { /* a burst of answers from a county's units fits */
		int sz = 4 << 20;
		setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
}

static bool same_addr(const struct dest *d, const struct sockaddr_storage *from)
{
	if (d->fam == AF_INET && from->ss_family == AF_INET)
		return ((const struct sockaddr_in *)from)->sin_addr.s_addr ==
		       d->sa.v4.sin_addr.s_addr;
	if (d->fam == AF_INET6 && from->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr, &d->sa.v6.sin6_addr,
		              16) == 0;
	return false;
}

/* Every answer waiting on s: the targets they are from marked up. */
static void drain(const struct echo_sock *s, struct reach_target *t, struct dest *d, size_t n,
                  uint32_t cookie, size_t *left)
{
	uint8_t buf[1500];
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t got = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (got < 0)
			return;
		int64_t now = mono_us();
		size_t off = 0;
		if (s->raw && s->fam == AF_INET) /* a raw IPv4 socket hands the IP header too */
			off = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)got < off + 8 + 8)
			continue;
		uint8_t reply = s->fam == AF_INET ? 0 : 129;
		if (buf[off] != reply || buf[off + 1] != 0)
			continue;
		struct echo_body b;
		memcpy(&b, buf + off + 8, 8);
		if (b.cookie != cookie || b.index >= n)
			continue;
		size_t i = b.index;
		if (t[i].up || d[i].fam != s->fam || !same_addr(&d[i], &from))
			continue;
		t[i].up = true;
		t[i].how = "icmp";
		t[i].rtt_us = now - d[i].sent_us;
		t[i].error[0] = 0;
		(*left)--;
	}
}

static void send_echo(const struct echo_sock *s, struct reach_target *t, struct dest *d, size_t n,
                      size_t i, uint32_t cookie, size_t *left)
{
	uint8_t pkt[8 + sizeof(struct echo_body)] = {0};
	pkt[0] = s->fam == AF_INET ? 8 : 128;
	uint16_t seq = htons((uint16_t)i), id = htons((uint16_t)(cookie >> 16));
	memcpy(pkt + 4, &id, 2);
	memcpy(pkt + 6, &seq, 2);
	struct echo_body b = {.cookie = cookie, .index = (uint32_t)i};
	memcpy(pkt + 8, &b, sizeof(b));
	if (s->fam == AF_INET) { /* the kernel sums ICMPv6 and a ping socket's own */
		uint16_t sum = checksum(pkt, sizeof(pkt));
		memcpy(pkt + 2, &sum, 2);
	}
	for (int tries = 0;; tries++) {
		d[i].sent_us = mono_us();
		if (sendto(s->fd, pkt, sizeof(pkt), 0, (const struct sockaddr *)&d[i].sa,
		           d[i].len) >= 0)
			return;
		if ((errno == EAGAIN || errno == ENOBUFS) && tries < 50) {
			struct pollfd p = {.fd = s->fd, .events = POLLOUT};
			poll(&p, 1, 10);
			drain(s, t, d, n, cookie, left);
			continue;
		}
		snprintf(t[i].error, sizeof(t[i].error), "ICMP 发送失败：%s", strerror(errno));
		(*left)--;
		return;
	}
}

static void icmp_phase(struct reach_target *t, struct dest *d, size_t n, int timeout_ms,
                       struct echo_sock *s4, struct echo_sock *s6)
{
	uint32_t cookie;
	if (getrandom(&cookie, sizeof(cookie), 0) != sizeof(cookie))
		cookie = (uint32_t)mono_us() ^ (uint32_t)getpid();
	size_t left = 0;
	for (size_t i = 0; i < n; i++) {
		struct echo_sock *s = d[i].fam == AF_INET ? s4 : d[i].fam == AF_INET6 ? s6 : NULL;
		if (!s || s->fd < 0)
			continue;
		left++;
		send_echo(s, t, d, n, i, cookie, &left);
		drain(s, t, d, n, cookie, &left);
	}
	int64_t until = mono_us() + (int64_t)timeout_ms * 1000;
	while (left > 0) {
		int64_t now = mono_us();
		if (now >= until)
			break;
		struct pollfd p[2] = {{.fd = s4->fd, .events = POLLIN},
		                      {.fd = s6->fd, .events = POLLIN}};
		int r = poll(p, 2, (int)((until - now + 999) / 1000));
		if (r < 0 && errno != EINTR)
			break;
		if (s4->fd >= 0)
			drain(s4, t, d, n, cookie, &left);
		if (s6->fd >= 0)
			drain(s6, t, d, n, cookie, &left);
	}
}

/* One batch of connections to the port, each an index into t. */
static void tcp_batch(struct reach_target *t, struct dest *d, const size_t *idx, size_t m, int port,
                      int timeout_ms)
{
	struct pollfd *p = xcalloc(m, sizeof(*p));
	for (size_t k = 0; k < m; k++) {
		size_t i = idx[k];
		p[k].fd = -1;
		struct dest a = d[i];
		if (a.fam == AF_INET)
			a.sa.v4.sin_port = htons((uint16_t)port);
		else
			a.sa.v6.sin6_port = htons((uint16_t)port);
		int fd = socket(a.fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			snprintf(t[i].error, sizeof(t[i].error), "TCP 连接失败：%s",
			         strerror(errno));
			continue;
		}
		d[i].sent_us = mono_us();
		if (connect(fd, (const struct sockaddr *)&a.sa, a.len) == 0 ||
		    errno == ECONNREFUSED) {
			t[i].up = true, t[i].how = "tcp", t[i].rtt_us = mono_us() - d[i].sent_us;
			t[i].error[0] = 0;
			close(fd);
		} else if (errno != EINPROGRESS) {
			snprintf(t[i].error, sizeof(t[i].error), "TCP 连接失败：%s",
			         strerror(errno));
			close(fd);
		} else {
			p[k].fd = fd;
			p[k].events = POLLOUT;
		}
	}
	int64_t until = mono_us() + (int64_t)timeout_ms * 1000;
	for (;;) {
		int64_t now = mono_us();
		size_t open = 0;
		for (size_t k = 0; k < m; k++)
			open += p[k].fd >= 0;
		if (!open || now >= until)
			break;
		int r = poll(p, m, (int)((until - now + 999) / 1000));
		if (r < 0 && errno != EINTR)
			break;
		now = mono_us();
		for (size_t k = 0; k < m && r > 0; k++) {
			if (p[k].fd < 0 || !p[k].revents)
				continue;
			size_t i = idx[k];
			int e = 0;
			socklen_t el = sizeof(e);
			getsockopt(p[k].fd, SOL_SOCKET, SO_ERROR, &e, &el);
			if (e == 0 || e == ECONNREFUSED) {
				t[i].up = true, t[i].how = "tcp", t[i].rtt_us = now - d[i].sent_us;
				t[i].error[0] = 0;
			} else {
				snprintf(t[i].error, sizeof(t[i].error), "TCP %d 端口：%s", port,
				         strerror(e));
			}
			close(p[k].fd);
			p[k].fd = -1;
		}
	}
	for (size_t k = 0; k < m; k++)
		if (p[k].fd >= 0)
			close(p[k].fd);
	free(p);
}

int reach_check(struct reach_target *t, size_t n, const struct reach_opts *o)
{
	struct dest *d = xcalloc(n ? n : 1, sizeof(*d));
	for (size_t i = 0; i < n; i++) {
		t[i].up = false, t[i].how = NULL, t[i].rtt_us = 0, t[i].error[0] = 0;
		if (inet_pton(AF_INET, t[i].addr, &d[i].sa.v4.sin_addr) == 1) {
			d[i].fam = d[i].sa.v4.sin_family = AF_INET;
			d[i].len = sizeof(d[i].sa.v4);
		} else if (inet_pton(AF_INET6, t[i].addr, &d[i].sa.v6.sin6_addr) == 1) {
			d[i].fam = d[i].sa.v6.sin6_family = AF_INET6;
			d[i].len = sizeof(d[i].sa.v6);
		} else {
			snprintf(t[i].error, sizeof(t[i].error), "“%.40s”不是 IP 地址", t[i].addr);
		}
	}
	struct echo_sock s4 = {.fd = -1}, s6 = {.fd = -1};
	open_echo(AF_INET, &s4);
	open_echo(AF_INET6, &s6);
	int rc = 0;
	if (s4.fd < 0 && s6.fd < 0 && !o->tcp_port)
		rc = -1;
	icmp_phase(t, d, n, o->timeout_ms, &s4, &s6);
	size_t *idx = xcalloc(TCP_BATCH, sizeof(*idx));
	for (size_t i = 0, m = 0; o->tcp_port && i <= n; i++) {
		if (i < n && !t[i].up && d[i].fam)
			idx[m++] = i;
		if (m && (m == TCP_BATCH || i == n)) {
			tcp_batch(t, d, idx, m, o->tcp_port, o->timeout_ms);
			m = 0;
		}
	}
	free(idx);
	for (size_t i = 0; i < n; i++) {
		struct echo_sock *s = d[i].fam == AF_INET ? &s4 : &s6;
		if (t[i].up || t[i].error[0] || !d[i].fam)
			continue;
		if (s->fd < 0)
			snprintf(t[i].error, sizeof(t[i].error),
			         "无法发送 ICMP（需 CAP_NET_RAW 或 net.ipv4.ping_group_range）%s",
			         o->tcp_port ? "，TCP 也未应答" : "");
		else if (o->tcp_port)
			snprintf(t[i].error, sizeof(t[i].error), "ICMP 和 TCP %d 端口均未应答",
			         o->tcp_port);
		else
			snprintf(t[i].error, sizeof(t[i].error), "ICMP 未应答（%d 毫秒内）",
			         o->timeout_ms);
	}
	if (s4.fd >= 0)
		close(s4.fd);
	if (s6.fd >= 0)
		close(s6.fd);
	free(d);
	if (rc < 0)
		return -1;
	int up = 0;
	for (size_t i = 0; i < n; i++)
		up += t[i].up;
	return up;
}
