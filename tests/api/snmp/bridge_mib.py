#!/usr/bin/env python3
"""snmpd `pass` program for the test: BRIDGE-MIB dot1dBasePortIfIndex and Q-BRIDGE-MIB
dot1qTpFdbPort of the network namespace's real Linux bridges, read from `bridge fdb` and
`ip link` (net-snmp implements neither table on Linux). Bridge port number = ifIndex."""
import json
import subprocess
import sys

BASE = (1, 3, 6, 1, 2, 1, 17)
PORT_IFINDEX = BASE + (1, 4, 1, 2)
QFDB_PORT = BASE + (7, 1, 2, 2, 1, 2)


def rows():
    links = json.loads(subprocess.run(["ip", "-j", "link", "show"], capture_output=True,
                                      text=True).stdout)
    index = {l["ifname"]: l["ifindex"] for l in links}
    ports = {l["ifindex"] for l in links if l.get("master")}
    out = [(PORT_IFINDEX + (p,), "integer", str(p)) for p in ports]
    fdb = json.loads(subprocess.run(["bridge", "-j", "fdb", "show"], capture_output=True,
                                    text=True).stdout)
    for e in fdb:
        if "self" in e.get("flags", []) or e.get("state") == "permanent" or "master" not in e:
            continue
        mac = tuple(int(x, 16) for x in e["mac"].split(":"))
        out.append((QFDB_PORT + (e.get("vlan", 1),) + mac, "integer", str(index[e["ifname"]])))
    return sorted(out)


def main():
    op, oid = sys.argv[1], tuple(int(x) for x in sys.argv[2].strip(".").split("."))
    for o, t, v in rows():
        if (op == "-g" and o == oid) or (op == "-n" and o > oid):
            print("." + ".".join(map(str, o)))
            print(t)
            print(v)
            return


main()
