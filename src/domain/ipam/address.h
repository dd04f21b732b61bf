/*
 * address: host addresses inside active prefixes (JX-21, TB-6: the unit's network
 * administrator assigns addresses inside the unit's allocation).
 *
 * An address belongs to one active prefix and, through it, to the prefix's unit; a
 * unit_admin assigns and releases addresses only in its own unit's prefixes. Without an
 * address given, the next free host is taken: the lowest address that is not the network,
 * broadcast or gateway address and not assigned yet. Kinds: 静态 (static), 地址池 (a DHCP
 * pool member), 保留 (reserved), 网关 (gateway). Each change keeps the prefix's usage current.
 */
#ifndef ZW_DOMAIN_ADDRESS_H
#define ZW_DOMAIN_ADDRESS_H

#include <stdint.h>

#include "domain/registry.h"

struct address {
	int64_t id, prefix_id;
	char *address;
	int64_t family;
	char *kind;
	int64_t unit_id, terminal_id;
	char *hostname, *mac, *description;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema address_schema;
extern const struct registry_kind address_kind;

/* DHCP host reservations (addresses with a MAC) as an ISC dhcpd, Kea (JSON) or dnsmasq
 * configuration fragment, for one prefix (0: all the principal may see). */
int address_dhcp_export(const struct ctx *x, const char *format, int64_t prefix_id, struct buf *out,
                        const char **content_type, struct zw_err *err);

#endif
