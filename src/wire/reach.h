/*
 * reach: is an address there? Many addresses checked at once, from this thread's network
 * namespace, as the outage check of the units' gateways and lines needs (JX-19, JX-24, TB-8).
 *
 * An ICMP echo request goes to every address in one burst (IPv4 and IPv6); the answers are read
 * until each address answered or the timeout passed. Where a TCP port is given, an address that
 * did not answer the echo is tried there too, every connection at once: an accepted or a
 * refused connection (RST) both mean the host is there, since a county gateway may drop ICMP.
 * The round takes at most about twice the timeout, whatever the number of addresses.
 *
 * ICMP uses an unprivileged ping socket (net.ipv4.ping_group_range) where the system allows it,
 * else a raw socket (CAP_NET_RAW); with neither, only the TCP check runs and each address that
 * did not pass it says why. An echo answer counts only from the address asked and carrying the
 * round's random cookie, so another pinger's answers on a raw socket are not mistaken for it.
 */
#ifndef ZW_WIRE_REACH_H
#define ZW_WIRE_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reach_target {
	char addr[46]; /* in: an IPv4 or IPv6 address as text */
	/* out */
	bool up;
	const char *how; /* "icmp" or "tcp" when up */
	int64_t rtt_us;  /* the answer's round trip */
	char error[96];  /* why it is not up (Chinese, for the health page) */
};

struct reach_opts {
	int timeout_ms; /* each phase's wait */
	int tcp_port;   /* 0: ICMP only */
};

/* Checks the n targets. Returns how many are up, or -1 when nothing could be sent at all (no
 * ICMP socket and no TCP port); every target's error then says why. */
int reach_check(struct reach_target *t, size_t n, const struct reach_opts *o);

#endif
