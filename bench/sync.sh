#!/bin/sh
# The price of synchronous=FULL (db_synchronous, the default) against NORMAL: API writes
# (POST /api/v1/units, one transaction and its audit entry each) per second from 4 clients,
# with each setting, on the same disk, and the p50/p99 latency of a write.
# Usage: bench/sync.sh [path/to/zwnet] [writes per client]
set -eu
BIN=${1:-build/zwnet}
N=${2:-500}
DIR=$(mktemp -d "${TMPDIR:-/var/tmp}/zwnet-sync.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
export ZWNET_PASSWORD=Bench2026pw
echo "disk of $DIR: $(df -h "$DIR" | awk 'NR==2 {print $1, $2}')"
for mode in full normal; do
	"$BIN" user add admin --role manager --db "$DIR/$mode.db" --password-cost min >/dev/null
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$BIN" serve --db "$DIR/$mode.db" --listen "127.0.0.1:$PORT" --access-log "" \
		--password-cost min --db-synchronous "$mode" --disk-min-free 0 >"$DIR/$mode.log" 2>&1 &
	PID=$!
	python3 - "$PORT" "$N" "$mode" <<'PY'
import json, sys, threading, time, http.client
port, n, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for _ in range(200):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/api/v1/health")
        if c.getresponse().status == 200: break
    except OSError: time.sleep(0.05)
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": "Bench2026pw"}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
lat = []
def client(k):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(n):
        body = json.dumps({"name": "同步测试%d-%d" % (k, i), "type": "其他", "level": "县直"}, ensure_ascii=False)
        t = time.perf_counter()
        c.request("POST", "/api/v1/units", body.encode(), {"Content-Type": "application/json",
                                                             "Authorization": "Bearer " + tok})
        r = c.getresponse(); r.read()
        lat.append(time.perf_counter() - t)
        assert r.status == 201, r.status
t0 = time.perf_counter()
ts = [threading.Thread(target=client, args=(k,)) for k in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
secs = time.perf_counter() - t0
lat.sort()
print("synchronous=%-6s %5d writes in %5.2f s: %6.0f writes/s, p50 %5.1f ms, p99 %5.1f ms" % (
    mode.upper(), len(lat), secs, len(lat) / secs, lat[len(lat) // 2] * 1000, lat[len(lat) * 99 // 100] * 1000))
PY
	kill $PID; wait $PID 2>/dev/null || true
done
