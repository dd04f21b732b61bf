/*
 * lease: DHCP servers' lease files as observations (kind lease: mac holds ip until expires).
 *
 *   isc      ISC dhcpd's dhcpd.leases (IPv4 `lease A { ... }` blocks; the file is a log, the
 *            last block of an address wins; only `binding state active` leases count)
 *   kea      Kea's memfile CSV (kea-leases4.csv or kea-leases6.csv, columns by the header;
 *            the last row of an address wins; state 0 with a lifetime counts)
 *   dnsmasq  dnsmasq.leases (`expiry mac ip hostname clientid`; the IPv6 part after the
 *            `duid` line names no MAC and is skipped)
 *
 * Leases that expired before `now` are not reported. A line that cannot be read is counted,
 * with the first such line's number, and skipped: a half-written file from a running server
 * must not stop the rest. The reader never allocates more than the file's entries.
 */
#ifndef ZW_WIRE_LEASE_H
#define ZW_WIRE_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "wire/obs.h"

enum lease_format { LEASE_ISC, LEASE_KEA, LEASE_DNSMASQ };

struct lease_stats {
	size_t leases;    /* reported */
	size_t expired;   /* an address's latest lease, active, but ended before now */
	size_t skipped;   /* inactive, superseded or without a MAC */
	size_t bad;       /* lines that could not be read */
	int first_bad;    /* line number of the first of them, 0 when none */
	int64_t last_end; /* the latest end among the expired ones (Unix seconds) */
};

/* A file whose leases have all expired says nothing of who is on the network (its server
 * stopped, or it is an old copy): the probe and the server say so rather than stay silent. */
bool lease_all_expired(size_t current, size_t expired);

int lease_format_parse(const char *s); /* "isc", "kea", "dnsmasq", or -1 */

/* fn gets each current lease (kind LEASE, at = now); returning non-zero stops. Returns 0 or
 * fn's value. */
typedef int (*lease_fn)(const struct obs *o, void *arg);
int lease_parse(enum lease_format f, const char *text, size_t len, int64_t now, lease_fn fn,
                void *arg, struct lease_stats *st);

#endif
