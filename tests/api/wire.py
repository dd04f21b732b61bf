"""Ethernet frames and pcap files for the probe's tests, built byte by byte (no capture
library): ARP, DHCPv4, IPv6 neighbour discovery and TCP SYN."""

import ipaddress
import struct

BROADCAST = "ff:ff:ff:ff:ff:ff"


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(":"))


def ip4(a):
    return ipaddress.IPv4Address(a).packed


def eth(dst, src, ethertype, payload, vlan=None):
    head = mac_bytes(dst) + mac_bytes(src)
    if vlan is not None:
        head += struct.pack("!HH", 0x8100, vlan)
    return head + struct.pack("!H", ethertype) + payload


def arp(op, sha, spa, tpa, tha="00:00:00:00:00:00", vlan=None):
    """op 1 request, 2 reply. spa "0.0.0.0" for an ARP probe."""
    body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + mac_bytes(sha) + ip4(spa) + \
        mac_bytes(tha) + ip4(tpa)
    dst = BROADCAST if op == 1 else tha
    return eth(dst, sha, 0x0806, body + b"\0" * 18, vlan)


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                    ip4(src), ip4(dst))
    h = h[:10] + struct.pack("!H", checksum(h)) + h[12:]
    return h + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def dhcp(op, msg_type, chaddr, yiaddr="0.0.0.0", options=()):
    """op 1 from the client, 2 from a server; options: (code, bytes) pairs."""
    body = struct.pack("!BBBBIHH", op, 1, 6, 0, 0x1234, 0, 0) + ip4("0.0.0.0") + ip4(yiaddr) + \
        ip4("0.0.0.0") + ip4("0.0.0.0") + mac_bytes(chaddr) + b"\0" * 10 + b"\0" * 192 + \
        struct.pack("!I", 0x63825363)
    opts = bytes([53, 1, msg_type])
    for code, data in options:
        opts += bytes([code, len(data)]) + data
    return body + opts + b"\xff"


def dhcp_frame(src_mac, dst_mac, src_ip, dst_ip, op, msg_type, chaddr, yiaddr="0.0.0.0",
               options=()):
    sport, dport = (68, 67) if op == 1 else (67, 68)
    return eth(dst_mac, src_mac, 0x0800,
               ipv4(src_ip, dst_ip, 17, udp(sport, dport, dhcp(op, msg_type, chaddr, yiaddr,
                                                                options))))


def syn(src_mac, dst_mac, src, dst, dport, sport=40000):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 64240, 0, 0)
    return eth(dst_mac, src_mac, 0x0800, ipv4(src, dst, 6, tcp))


def pcap(frames, start=1795000000.0, step=0.001):
    """A pcap file (microsecond timestamps) of frames; frame i at start + i * step, or at the
    time given as (t, frame)."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(frames):
        t = start + i * step
        if isinstance(f, tuple):
            t, f = f
        sec = int(t)
        usec = int(round((t - sec) * 1e6))
        out += struct.pack("<IIII", sec, usec, len(f), len(f)) + f
    return out
