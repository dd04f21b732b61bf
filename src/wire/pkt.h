/*
 * pkt: Ethernet frames into observations.
 *
 * Decodes what the probe's capture filter lets through: ARP, IPv6 neighbour discovery
 * (ICMPv6 133-136), DHCPv4 (UDP 67/68), DHCPv6 (UDP 546/547) and TCP SYNs over IPv4/IPv6,
 * behind at most two 802.1Q/802.1ad tags. Every length is checked against the bytes captured;
 * a frame that is cut short or malformed yields no observation, never a partial one.
 */
#ifndef ZW_WIRE_PKT_H
#define ZW_WIRE_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "wire/obs.h"

/* 1 and the frame's observation in *out, or 0 when the frame holds nothing we read. */
int pkt_decode(const uint8_t *frame, size_t len, int64_t at_us, struct obs *out);

#endif
