"""bench/watch.sh's HTTP ingest: batches of 10,000 observations (the probe's largest) POSTed
with a probe token from two connections at once; observations per second end to end (JSON
read, rules, findings and probe health written in one transaction per batch)."""
import http.client
import json
import sqlite3
import sys
import threading
import time

port, nb, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": "Bench2026pw"}),
          {"Content-Type": "application/json"})
admin = json.loads(c.getresponse().read())["token"]
c.request("POST", "/api/v1/tokens", json.dumps({"name": "bench", "scope": "probe"}),
          {"Content-Type": "application/json", "Authorization": "Bearer " + admin})
tok = json.loads(c.getresponse().read())["token"]
terms = sqlite3.connect(d + "/z.db").execute("SELECT mac, ip FROM terminals").fetchall()
B = 10000
bodies = []
for b in range(nb):
    obs = []
    for i in range(B):
        mac, ip = terms[(b * B + i * 7919) % len(terms)]
        s = (b * B + i) // 100000
        obs.append({"kind": "arp", "op": "reply", "at": "2026-11-24T09:%02d:%02d.%06dZ" % (
            s // 60 % 60, s % 60, (b * B + i) % 100000 * 10), "mac": mac, "ip": ip})
    bodies.append(json.dumps({"probe": "bench", "count": B, "observations": obs}).encode())
done = [0]
lock = threading.Lock()


def worker(mine):
    cc = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for body in mine:
        cc.request("POST", "/api/v1/observations", body,
                   {"Content-Type": "application/json", "Authorization": "Bearer " + tok})
        r = cc.getresponse()
        r.read()
        if r.status != 202:
            raise SystemExit("ingest: %d" % r.status)
        with lock:
            done[0] += B


t = time.monotonic()
ts = [threading.Thread(target=worker, args=(bodies[i::2],)) for i in range(2)]
for x in ts:
    x.start()
for x in ts:
    x.join()
secs = time.monotonic() - t
print("HTTP ingest: %d observations in %d batches of %d over 2 connections: %.2f s = %d/s"
      " (target >= 200,000)" % (done[0], nb, B, secs, done[0] / secs))
