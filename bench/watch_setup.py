"""bench/watch.sh's registers: each demo unit a /16 of 10.0.0.0/8 and N terminals with their
addresses spread over the units, imported through the server's CSV import."""
import sqlite3
import sys
import time

from api_client import Client

port, n, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
api = Client(port)
api.login("admin", "Bench2026pw")



units = sqlite3.connect(d + "/z.db").execute("SELECT id, name FROM units ORDER BY id").fetchall()
api.call("POST", "/prefixes", {"cidr": "10.0.0.0/8", "status": "container"})
for k, (uid, _) in enumerate(units):
    api.call("POST", "/prefixes", {"cidr": "10.%d.0.0/16" % (k + 1), "status": "active", "unit_id": uid,
                               "gateway": "10.%d.0.1" % (k + 1)})
rows = ["MAC地址,IP地址,单位名称,使用人,终端类型"]
for i in range(n):
    k, j = i % len(units), i // len(units)
    rows.append("02%010x,10.%d.%d.%d,%s,用户%d,计算机" % (i, k + 1, 1 + j // 250, 2 + j % 250,
                                                     units[k][1], i))
t = time.monotonic()
rep = api.call("POST", "/imports/terminals", ("\n".join(rows) + "\n").encode(), "text/csv")
print("registers: %d units, %d terminals imported in %.1f s" % (len(units), n, time.monotonic() - t))
