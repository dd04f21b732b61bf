/*
 * conn_guard: deadlines and a per-source cap for the HTTP server's connections.
 *
 * libmicrohttpd 0.9.75 has only an idle timeout, which a client sending one byte every few
 * seconds defeats, and a per-IP limit that counts whole IPv6 addresses (one host holds a /64 of
 * them). The guard knows every live connection, from MHD_CONNECTION_NOTIFY_STARTED to
 * MHD_CONNECTION_NOTIFY_CLOSED, with its phase and the time that phase must end by:
 *
 *   accepted ─> HEADERS ─(headers complete)─> BODY ─(body complete)─> ANSWER ─(answer sent)─┐
 *                                               ^                                            │
 *                                               └─(headers complete)─ KEEPALIVE <────────────┘
 *
 *   HEADERS    the request line and headers (and the TLS handshake): accepted + header_timeout
 *   BODY       the request body: headers complete + request_timeout
 *   ANSWER     the handler runs and the answer is sent: no deadline here (MHD's idle timeout)
 *   KEEPALIVE  a kept-alive connection waiting for, and reading, its next request line and
 *              headers: answer sent + header_timeout. An idle keep-alive connection therefore
 *              lasts header_timeout too, like Apache's KeepAliveTimeout.
 *
 * A watchdog thread looks once a second and shuts the socket of a connection past its deadline
 * down (shutdown(SHUT_RDWR)): MHD then reads end of file and closes the connection itself. The
 * descriptor cannot be a reused one: the guard only touches it under its mutex while the
 * connection is in its list, the entry leaves the list in NOTIFY_CLOSED, and MHD calls
 * NOTIFY_CLOSED before it close()s the socket (MHD_cleanup_connections, and the failure path of
 * new_connection_process_ that follows a NOTIFY_STARTED).
 *
 * A source is an IPv4 address or an IPv6 /64 (an IPv4-mapped IPv6 address counts as its IPv4
 * address). At most max_per_source connections of one source are open at once (a connection
 * shut down no longer counts): at the cap, the accept policy first shuts the source's oldest
 * idle kept-alive connection down and admits the new one; with none idle it refuses (MHD closes
 * the socket at once, without an answer). Counts change only
 * in NOTIFY_STARTED and NOTIFY_CLOSED, which MHD pairs, so they cannot leak; a connection that
 * slips past the policy check while another thread's is starting is shut down in STARTED.
 *
 * Logging: one warning per connection closed for being slow (source, phase, seconds), at most
 * GUARD_LOG_PER_TICK a second plus a count of the rest; refusals at the cap as one line a second
 * at most. An idle keep-alive connection closing is normal and logged at debug level.
 */
#ifndef ZW_API_CONN_GUARD_H
#define ZW_API_CONN_GUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define GUARD_LOG_PER_TICK 16

struct conn_guard_cfg {
	unsigned header_timeout;  /* seconds for the request line and headers */
	unsigned request_timeout; /* seconds for the body, from the end of the headers */
	unsigned max_per_source;  /* open connections of one source */
};

enum conn_phase { CONN_HEADERS, CONN_BODY, CONN_ANSWER, CONN_KEEPALIVE };

struct conn_guard;

/* Starts the watchdog. NULL when no thread can be started. */
struct conn_guard *conn_guard_new(const struct conn_guard_cfg *cfg);
/* Stops the watchdog; call after MHD_stop_daemon (every connection closed). NULL is a no-op. */
void conn_guard_free(struct conn_guard *g);

/* MHD's accept policy (MHD_start_daemon's apc, cls = the guard). */
enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* MHD_OPTION_NOTIFY_CONNECTION (cls = the guard). */
void conn_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode toe);
/* The request callbacks move a connection on: CONN_BODY when its headers are complete,
 * CONN_ANSWER when its body is, CONN_KEEPALIVE when its answer has been sent. */
void conn_guard_phase(struct conn_guard *g, struct MHD_Connection *c, enum conn_phase phase);
/* Whether the connection is past its deadline (it is then logged and shut down once, as the
 * watchdog would a second later). */
bool conn_guard_expired(struct conn_guard *g, struct MHD_Connection *c);
/* Open connections and distinct sources now. */
void conn_guard_counts(struct conn_guard *g, size_t *conns, size_t *sources);

/* ---- sources (exposed for tests) ---- */

struct conn_source {
	uint8_t v6;   /* 0: IPv4 address in b[0..3]; 1: IPv6 /64 in b[0..7] */
	uint8_t b[8]; /* unused bytes 0 */
};

/* The source of a peer address; -1 for anything but IPv4 and IPv6. */
int conn_source_of(const struct sockaddr *sa, socklen_t len, struct conn_source *out);
/* "192.0.2.7" or "2001:db8:1:2::/64". */
void conn_source_text(const struct conn_source *k, char out[48]);

/* Open connections per source: a bounded chained hash table, thread-unsafe (the guard locks). */
struct source_table;
struct source_table *source_table_new(size_t buckets);
void source_table_free(struct source_table *t);
/* Count one more connection of k. Returns the new count. */
long source_table_add(struct source_table *t, const struct conn_source *k);
/* Count one fewer; the entry goes when it reaches 0. k must be counted (else: abort). */
void source_table_del(struct source_table *t, const struct conn_source *k);
unsigned source_table_get(const struct source_table *t, const struct conn_source *k);
size_t source_table_size(const struct source_table *t);

#endif
