/*
 * obs: one thing a probe saw on the wire or read from a device, in one fixed-size record.
 *
 * Probes turn frames (ARP, neighbour discovery, DHCPv4/v6, TCP SYN), SNMP tables (ARP/ND
 * cache, bridge forwarding table) and DHCP lease files into observations, batch them and POST
 * them as JSON to the server, whose rules (watch/) compare them with the registers. The JSON
 * form is the API's; obs_from_json is its strict reader (every error names the member, e.g.
 * "observations[3].mac") and obs_write_json its writer, so probe and server share one codec.
 */
#ifndef ZW_WIRE_OBS_H
#define ZW_WIRE_OBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/inet.h"

#define OBS_KIND_MAP(X)                                                                            \
	X(ARP, "arp")     /* an ARP packet: mac/ip the sender's, target the address asked for */   \
	X(ND, "nd")       /* IPv6 neighbour solicitation/advertisement: mac/ip the claimant */     \
	X(DHCP, "dhcp")   /* DHCPv4 or DHCPv6 message; family tells which */                       \
	X(SYN, "syn")     /* a TCP connection attempt: mac/ip the source, target:port the dest */  \
	X(NEIGH, "neigh") /* a router's ARP/ND cache entry read over SNMP */                       \
	X(FDB, "fdb")     /* a switch's forwarding entry: mac seen on port (ifName) in vlan */     \
	X(LEASE, "lease") /* a DHCP server's lease: mac holds ip until expires */

enum obs_kind {
#define OBS_KIND_ENUM(e, name) OBS_##e,
	OBS_KIND_MAP(OBS_KIND_ENUM)
#undef OBS_KIND_ENUM
	    OBS_KIND_COUNT
};

/* The operation: what kind of ARP/ND packet, or which DHCP message. */
#define OBS_OP_MAP(X)                                                                              \
	X(NONE, "")                                                                                \
	X(REQUEST, "request")       /* ARP who-has; DHCP REQUEST */                                \
	X(REPLY, "reply")           /* ARP is-at */                                                \
	X(GRATUITOUS, "gratuitous") /* ARP announcing its own address (sender = target) */         \
	X(PROBE, "probe")           /* ARP probe (sender 0.0.0.0) / ND duplicate address check */  \
	X(SOLICIT, "solicit")       /* ND neighbour solicitation; DHCPv6 SOLICIT */                \
	X(ADVERT, "advert")         /* ND neighbour advertisement */                               \
	X(ROUTER_ADVERT, "router_advert")                                                          \
	X(DISCOVER, "discover")                                                                    \
	X(OFFER, "offer")                                                                          \
	X(ACK, "ack")                                                                              \
	X(NAK, "nak")                                                                              \
	X(INFORM, "inform")                                                                        \
	X(DECLINE, "decline")                                                                      \
	X(RELEASE, "release")                                                                      \
	X(ADVERTISE, "advertise") /* DHCPv6 ADVERTISE */                                           \
	X(DHCP6_REPLY, "dhcp6_reply")

enum obs_op {
#define OBS_OP_ENUM(e, name) OBS_OP_##e,
	OBS_OP_MAP(OBS_OP_ENUM)
#undef OBS_OP_ENUM
	    OBS_OP_COUNT
};

#define OBS_TEXT 256 /* a DHCP option holds at most 255 bytes */

struct obs {
	uint8_t kind;   /* enum obs_kind */
	uint8_t op;     /* enum obs_op */
	uint8_t family; /* of ip, target, server, router, dns: 4 or 6; 0 when there is no ip */
	bool has_mac, has_ip, has_target, has_server, has_server_mac, has_router;
	uint8_t ndns;
	uint16_t vlan;     /* 0: untagged or unknown */
	uint16_t port;     /* SYN: destination port */
	int64_t at_us;     /* when, microseconds since the Unix epoch */
	int64_t expires;   /* LEASE: Unix seconds; 0 unknown */
	int64_t device_id; /* NEIGH/FDB: the device register's id of the router/switch */
	uint8_t mac[6];
	uint8_t server_mac[6]; /* DHCP answers: the answering server's Ethernet address */
	u128 ip, target, server, router, dns[2];
	char ifname[32];         /* capture interface, or the switch port's ifName */
	char hostname[OBS_TEXT]; /* DHCP option 12 / DHCPv6 FQDN, or the lease's */
	char vendor[OBS_TEXT];   /* DHCP option 60 / DHCPv6 vendor class */
	uint8_t prl[255];        /* DHCP option 55, the client's fingerprint; JSON "1,3,6,15" */
	uint8_t nprl;
};

const char *obs_kind_name(enum obs_kind k);
const char *obs_op_name(enum obs_op op);
int obs_kind_parse(const char *s);
int obs_op_parse(const char *s);

/* Is this op one a DHCP server sends (OFFER, ACK, NAK, ADVERTISE, DHCPv6 REPLY)? */
bool obs_op_from_server(enum obs_op op);
/* The members an observation of kind k takes besides kind and at (" op mac ip ... "), and
 * whether member m must be there with operation op (the OpenAPI document states both). */
const char *obs_members(enum obs_kind k);
bool obs_required(enum obs_kind k, enum obs_op op, const char *m);

/* Read one observation; index is its place in the batch, for the error's field name. */
int obs_from_json(const json_t *o, size_t index, struct obs *out, struct zw_err *err);
/* Append one observation as a JSON object. */
int obs_write_json(struct buf *b, const struct obs *o);

/* What a probe says of the host it runs on: its interfaces' MACs and addresses (the batch's
 * "self": {"macs": [...], "addresses": [...]}). Its own traffic is no stranger's. */
#define OBS_SELF_MAX 32
struct obs_self {
	uint8_t nmacs, naddrs;
	uint8_t macs[OBS_SELF_MAX][6];
	uint8_t family[OBS_SELF_MAX];
	u128 addrs[OBS_SELF_MAX];
};
/* Add a MAC or an address, once each; false when it is already there or there is no room. */
bool obs_self_add_mac(struct obs_self *s, const uint8_t mac[6]);
bool obs_self_add_addr(struct obs_self *s, int family, u128 a);
bool obs_self_has_mac(const struct obs_self *s, const uint8_t mac[6]);
bool obs_self_has_addr(const struct obs_self *s, int family, u128 a);
/* The batch member (fields "self.macs[i]", "self.addresses[i]"), and its writer. */
int obs_self_from_json(const json_t *o, struct obs_self *out, struct zw_err *err);
int obs_self_write_json(struct buf *b, const struct obs_self *s);

/* RFC 3339 with up to 6 fractional digits; microseconds since the epoch. */
int obs_parse_time(const char *s, int64_t *us);
void obs_format_time(int64_t us, char out[40]);

/* Text from a packet (n <= 255) into out[OBS_TEXT]: valid UTF-8 kept, every control byte or
 * byte of broken UTF-8 replaced by '?', so the text can be stored and shown. */
void obs_copy_text(char out[OBS_TEXT], const uint8_t *s, size_t n);

#endif
