#include "api/conn_guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

/* ---- sources ---- */

int conn_source_of(const struct sockaddr *sa, socklen_t len, struct conn_source *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return -1;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)(const void *)sa;
		memcpy(out->b, &in4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		const uint8_t *a = in6->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			memcpy(out->b, a + 12, 4); /* ::ffff:a.b.c.d is the IPv4 host a.b.c.d */
			return 0;
		}
		out->v6 = 1;
		memcpy(out->b, a, 8);
		return 0;
	}
	return -1;
}

void conn_source_text(const struct conn_source *k, char out[48])
{
	if (!k->v6) {
		inet_ntop(AF_INET, k->b, out, 48);
		return;
	}
	uint8_t a[16] = {0};
	memcpy(a, k->b, 8);
	char t[40]; /* a /64 has at most four groups before "::" */
	inet_ntop(AF_INET6, a, t, sizeof(t));
	snprintf(out, 48, "%.40s/64", t);
}

struct source_node {
	struct source_node *next;
	struct conn_source key;
	unsigned count;
};

struct source_table {
	struct source_node **b;
	size_t nb, n; /* buckets (a power of two), entries */
};

static size_t source_hash(const struct conn_source *k)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	h = (h ^ k->v6) * 1099511628211ull;
	for (int i = 0; i < 8; i++)
		h = (h ^ k->b[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

struct source_table *source_table_new(size_t buckets)
{
	struct source_table *t = xcalloc(1, sizeof(*t));
	t->nb = 16;
	while (t->nb < buckets && t->nb < (1u << 20))
		t->nb *= 2;
	t->b = xcalloc(t->nb, sizeof(*t->b));
	return t;
}

void source_table_free(struct source_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nb; i++)
		for (struct source_node *n = t->b[i], *next; n; n = next) {
			next = n->next;
			free(n);
		}
	free(t->b);
	free(t);
}

static struct source_node **source_slot(const struct source_table *t, const struct conn_source *k)
{
	struct source_node **p = &t->b[source_hash(k) & (t->nb - 1)];
	while (*p && memcmp(&(*p)->key, k, sizeof(*k)) != 0)
		p = &(*p)->next;
	return p;
}

long source_table_add(struct source_table *t, const struct conn_source *k)
{
	struct source_node **p = source_slot(t, k);
	if (!*p) {
		struct source_node *n = xcalloc(1, sizeof(*n));
		n->key = *k;
		*p = n;
		t->n++;
	}
	return (long)++(*p)->count;
}

void source_table_del(struct source_table *t, const struct conn_source *k)
{
	struct source_node **p = source_slot(t, k);
	struct source_node *n = *p;
	/* only a counted connection is let go: one missing means the counts have drifted, and a
	 * source would be locked out (or let past its cap) from then on */
	ZW_ASSERT(n && n->count > 0);
	if (--n->count == 0) {
		*p = n->next;
		free(n);
		t->n--;
	}
}

unsigned source_table_get(const struct source_table *t, const struct conn_source *k)
{
	struct source_node *n = *source_slot(t, k);
	return n ? n->count : 0;
}

size_t source_table_size(const struct source_table *t)
{
	return t->n;
}

/* ---- the guard ---- */

struct gconn {
	struct gconn *prev, *next;
	MHD_socket fd;
	struct conn_source key;
	char addr[INET6_ADDRSTRLEN];
	enum conn_phase phase;
	int64_t since_ms, deadline_ms; /* deadline 0: none */
	bool counted, dropped;
};

struct conn_guard {
	struct conn_guard_cfg cfg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool stop;
	struct gconn *head;
	size_t n;
	struct source_table *sources;
	unsigned refused; /* at the cap since the watchdog's last look */
	struct conn_source refused_last;
};

/* What a drop leaves to be logged once the mutex is released. */
struct drop_note {
	char addr[INET6_ADDRSTRLEN];
	enum conn_phase phase;
	long secs;
};

struct drop_log {
	struct drop_note v[GUARD_LOG_PER_TICK];
	size_t n, more;
};

static const char *const phase_what[] = {
    [CONN_HEADERS] = "request line and headers",
    [CONN_BODY] = "request body",
    [CONN_ANSWER] = "answer",
    [CONN_KEEPALIVE] = "next request on a kept-alive connection",
};

static void set_phase(struct conn_guard *g, struct gconn *e, enum conn_phase phase, int64_t now)
{
	e->phase = phase;
	e->since_ms = now;
	switch (phase) {
	case CONN_HEADERS:
	case CONN_KEEPALIVE:
		e->deadline_ms = now + (int64_t)g->cfg.header_timeout * 1000;
		break;
	case CONN_BODY:
		e->deadline_ms = now + (int64_t)g->cfg.request_timeout * 1000;
		break;
	case CONN_ANSWER:
		e->deadline_ms = 0;
		break;
	}
}

/* Under the mutex: the entry is in the list, so e->fd is still this connection's socket. A
 * connection shut down no longer counts against its source's cap (MHD closes it soon). */
static void drop(struct conn_guard *g, struct gconn *e, int64_t now, struct drop_log *dl)
{
	e->dropped = true;
	shutdown(e->fd, SHUT_RDWR);
	if (e->counted) {
		source_table_del(g->sources, &e->key);
		e->counted = false;
	}
	if (e->phase == CONN_KEEPALIVE) {
		/* an idle keep-alive connection ending is normal: not a warning */
		log_debug("kept-alive connection from %s closed after %llds without a new request",
		          e->addr, (long long)((now - e->since_ms) / 1000));
		return;
	}
	if (dl->n == GUARD_LOG_PER_TICK) {
		dl->more++;
		return;
	}
	struct drop_note *d = &dl->v[dl->n++];
	memcpy(d->addr, e->addr, sizeof(d->addr));
	d->phase = e->phase;
	d->secs = (long)((now - e->since_ms) / 1000);
}

static void drop_log_flush(const struct drop_log *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		log_warnx("slow client %s: %s not complete after %lds, connection closed",
		          dl->v[i].addr, phase_what[dl->v[i].phase], dl->v[i].secs);
	if (dl->more)
		log_warnx("slow clients: %zu more connections past their deadline closed",
		          dl->more);
}

static void refused_log(const struct conn_guard *g, unsigned refused,
                        const struct conn_source *last)
{
	if (!refused)
		return;
	char src[48];
	conn_source_text(last, src);
	log_warnx("refused %u connections of sources at their cap of %u open connections (the "
	          "last from %s)",
	          refused, g->cfg.max_per_source, src);
}

static void *watchdog(void *arg)
{
	struct conn_guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		while (!g->stop && pthread_cond_timedwait(&g->cv, &g->mu, &until) != ETIMEDOUT)
			;
		if (g->stop)
			break;
		struct drop_log dl = {0};
		int64_t now = clock_mono_ms();
		for (struct gconn *e = g->head; e; e = e->next)
			if (!e->dropped && e->deadline_ms && now >= e->deadline_ms)
				drop(g, e, now, &dl);
		unsigned refused = g->refused;
		struct conn_source last = g->refused_last;
		g->refused = 0;
		pthread_mutex_unlock(&g->mu);
		drop_log_flush(&dl);
		refused_log(g, refused, &last);
		pthread_mutex_lock(&g->mu);
	}
	unsigned refused = g->refused;
	struct conn_source last = g->refused_last;
	g->refused = 0;
	pthread_mutex_unlock(&g->mu);
	refused_log(g, refused, &last); /* what the last second refused */
	return NULL;
}

struct conn_guard *conn_guard_new(const struct conn_guard_cfg *cfg)
{
	struct conn_guard *g = xcalloc(1, sizeof(*g));
	g->cfg = *cfg;
	g->sources = source_table_new(1024);
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->thread, NULL, watchdog, g) != 0) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		source_table_free(g->sources);
		free(g);
		return NULL;
	}
	return g;
}

void conn_guard_free(struct conn_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = true;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	/* MHD_stop_daemon closed every connection: anything left is a leak of ours */
	if (g->n || source_table_size(g->sources))
		log_warnx("conn_guard: %zu connections and %zu sources still counted at stop", g->n,
		          source_table_size(g->sources));
	for (struct gconn *e = g->head, *next; e; e = next) {
		next = e->next;
		free(e);
	}
	source_table_free(g->sources);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct conn_guard *g = cls;
	struct conn_source k;
	if (conn_source_of(addr, addrlen, &k) < 0)
		return MHD_YES; /* not IP: no source to count */
	pthread_mutex_lock(&g->mu);
	bool full = source_table_get(g->sources, &k) >= g->cfg.max_per_source;
	if (full) {
		/* A source at its cap gives up its oldest idle kept-alive connection first (often
		 * one its client has already closed, which MHD has not read the end of yet), as a
		 * busy web server reuses idle keep-alive slots. The list is newest first, so on a
		 * tie of the millisecond the one accepted earlier goes (<=). */
		struct gconn *idle = NULL;
		for (struct gconn *e = g->head; e; e = e->next)
			if (!e->dropped && e->counted && e->phase == CONN_KEEPALIVE &&
			    memcmp(&e->key, &k, sizeof(k)) == 0 &&
			    (!idle || e->since_ms <= idle->since_ms))
				idle = e;
		if (idle) {
			struct drop_log dl = {0};
			drop(g, idle, clock_mono_ms(), &dl);
			full = false;
		}
	}
	if (full) {
		g->refused++;
		g->refused_last = k;
	}
	pthread_mutex_unlock(&g->mu);
	return full ? MHD_NO : MHD_YES;
}

static void started(struct conn_guard *g, struct MHD_Connection *c, void **socket_context)
{
	const union MHD_ConnectionInfo *fi =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ai =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!fi) {
		/* a connection the guard cannot watch is not served */
		log_warnx("conn_guard: a new connection without a socket, not tracked");
		*socket_context = NULL;
		return;
	}
	struct gconn *e = xcalloc(1, sizeof(*e));
	e->fd = fi->connect_fd;
	snprintf(e->addr, sizeof(e->addr), "?");
	bool has_source = false;
	if (ai && ai->client_addr) {
		const struct sockaddr *sa = ai->client_addr;
		socklen_t len = sa->sa_family == AF_INET6 ? (socklen_t)sizeof(struct sockaddr_in6)
		                                          : (socklen_t)sizeof(struct sockaddr_in);
		has_source = conn_source_of(sa, len, &e->key) == 0;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			          &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			          e->addr, sizeof(e->addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          e->addr, sizeof(e->addr));
	}
	int64_t now = clock_mono_ms();
	pthread_mutex_lock(&g->mu);
	set_phase(g, e, CONN_HEADERS, now);
	/* two threads may both have passed the accept policy for the last place */
	if (has_source && source_table_add(g->sources, &e->key) > (long)g->cfg.max_per_source) {
		g->refused++;
		g->refused_last = e->key;
		e->dropped = true;
		shutdown(e->fd, SHUT_RDWR);
		source_table_del(g->sources, &e->key);
	} else {
		e->counted = has_source;
	}
	e->next = g->head;
	if (g->head)
		g->head->prev = e;
	g->head = e;
	g->n++;
	pthread_mutex_unlock(&g->mu);
	*socket_context = e;
}

static void closed(struct conn_guard *g, void **socket_context)
{
	struct gconn *e = *socket_context;
	if (!e)
		return;
	pthread_mutex_lock(&g->mu);
	if (e->prev)
		e->prev->next = e->next;
	else
		g->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	g->n--;
	if (e->counted)
		source_table_del(g->sources, &e->key);
	pthread_mutex_unlock(&g->mu);
	free(e);
	*socket_context = NULL;
}

void conn_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode toe)
{
	struct conn_guard *g = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		started(g, c, socket_context);
	else if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
		closed(g, socket_context);
}

static struct gconn *entry_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

void conn_guard_phase(struct conn_guard *g, struct MHD_Connection *c, enum conn_phase phase)
{
	struct gconn *e = g ? entry_of(c) : NULL;
	if (!e)
		return;
	int64_t now = clock_mono_ms();
	pthread_mutex_lock(&g->mu);
	set_phase(g, e, phase, now);
	pthread_mutex_unlock(&g->mu);
}

bool conn_guard_expired(struct conn_guard *g, struct MHD_Connection *c)
{
	struct gconn *e = g ? entry_of(c) : NULL;
	if (!e)
		return false;
	struct drop_log dl = {0};
	int64_t now = clock_mono_ms();
	pthread_mutex_lock(&g->mu);
	if (!e->dropped && e->deadline_ms && now >= e->deadline_ms)
		drop(g, e, now, &dl);
	bool dropped = e->dropped;
	pthread_mutex_unlock(&g->mu);
	drop_log_flush(&dl);
	return dropped;
}

void conn_guard_counts(struct conn_guard *g, size_t *conns, size_t *sources)
{
	pthread_mutex_lock(&g->mu);
	*conns = g->n;
	*sources = source_table_size(g->sources);
	pthread_mutex_unlock(&g->mu);
}
