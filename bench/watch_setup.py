"""bench/watch.sh's registers: each demo unit a /16 of 10.0.0.0/8 and N terminals with their
addresses spread over the units, imported through the server's CSV import."""
import http.client
import json
import sqlite3
import sys
import time

port, n, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for _ in range(200):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("GET", "/api/v1/health")
        if c.getresponse().status == 200:
            break
    except OSError:
        time.sleep(0.05)
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)


def call(method, path, body=None, ctype="application/json", tok=None):
    h = {"Content-Type": ctype}
    if tok:
        h["Authorization"] = "Bearer " + tok
    c.request(method, "/api/v1" + path, body if isinstance(body, (bytes, type(None))) else json.dumps(body), h)
    r = c.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit("%s %s: %d %s" % (method, path, r.status, data[:300]))
    return json.loads(data) if data else None


tok = call("POST", "/session", {"username": "admin", "password": "Bench2026pw"})["token"]
units = sqlite3.connect(d + "/z.db").execute("SELECT id, name FROM units ORDER BY id").fetchall()
call("POST", "/prefixes", {"cidr": "10.0.0.0/8", "status": "container"}, tok=tok)
for k, (uid, _) in enumerate(units):
    call("POST", "/prefixes", {"cidr": "10.%d.0.0/16" % (k + 1), "status": "active", "unit_id": uid,
                               "gateway": "10.%d.0.1" % (k + 1)}, tok=tok)
rows = ["MAC地址,IP地址,单位名称,使用人,终端类型"]
for i in range(n):
    k, j = i % len(units), i // len(units)
    rows.append("02%010x,10.%d.%d.%d,%s,用户%d,计算机" % (i, k + 1, 1 + j // 250, 2 + j % 250,
                                                     units[k][1], i))
t = time.monotonic()
rep = call("POST", "/imports/terminals", ("\n".join(rows) + "\n").encode(), "text/csv", tok)
print("registers: %d units, %d terminals imported in %.1f s" % (len(units), n, time.monotonic() - t))
