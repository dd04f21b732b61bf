#!/bin/sh
# Throughput and tail latency of the API on loopback, with wrk:
#   GET /api/v1/units?limit=50 over 1,000 units, next to GET /api/v1/health on the same
#   server (the ceiling of the HTTP stack), and their ratio. Target: units >= 0.5 x health.
#   The same view asked again while nothing changes is answered from the list cache; the
#   cache's hits and misses are printed after.
# Usage: bench/api.sh [path/to/zwnet] [seconds]
set -eu
BIN=${1:-build/zwnet}
SECS=${2:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/deps.sh installs it)"; exit 1; }
DIR=$(mktemp -d /tmp/zwnet-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ZWNET_PASSWORD=Bench2026pw
"$BIN" user add admin --role manager --db "$DIR/z.db" --password-cost min >/dev/null
"$BIN" serve --db "$DIR/z.db" --listen "127.0.0.1:$PORT" --access-log "" --password-cost min \
	>"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
TOKEN=$(python3 - "$PORT" <<'PY'
import json, sys, time, http.client
port = int(sys.argv[1])
for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/api/v1/health")
        if c.getresponse().status == 200: break
    except OSError: time.sleep(0.05)
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": "Bench2026pw"}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
types = ["党政机关", "事业单位", "国有企业", "学校", "医院", "其他"]
for i in range(1000):
    body = json.dumps({"name": "压测单位%04d" % i, "short_name": "压测%d" % i, "type": types[i % 6],
                       "level": "县直" if i % 3 else "乡镇", "address": "测试路%d号" % i}, ensure_ascii=False)
    c.request("POST", "/api/v1/units", body.encode(), {"Content-Type": "application/json",
                                                         "Authorization": "Bearer " + tok})
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
print(tok)
PY
)
run() { # url -> "rps p99_ms"
	wrk -t2 -c32 -d"${SECS}s" --latency -H "Authorization: Bearer $TOKEN" "$1" >"$DIR/wrk.out"
	rps=$(awk '/^Requests\/sec/ {print $2}' "$DIR/wrk.out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$DIR/wrk.out")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$DIR/wrk.out")
	echo "$rps ${p99:-?} ${non2xx:-0}"
}
set -- $(run "http://127.0.0.1:$PORT/api/v1/health"); H_RPS=$1; H_P99=$2; H_BAD=$3
set -- $(run "http://127.0.0.1:$PORT/api/v1/units?limit=50"); U_RPS=$1; U_P99=$2; U_BAD=$3
echo "endpoint                         req/s      p99 (ms)  non-2xx"
printf "GET /api/v1/health          %10s  %10s  %7s\n" "$H_RPS" "$H_P99" "$H_BAD"
printf "GET /api/v1/units?limit=50  %10s  %10s  %7s\n" "$U_RPS" "$U_P99" "$U_BAD"
python3 -c "print('ratio units/health: %.2f (target >= 0.50)' % ($U_RPS / $H_RPS))"
# The list is one view asked again and again while nothing changes, which the worker threads'
# list cache answers (src/api/list_cache.h); how many were built rather than kept:
curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/metrics" |
	awk '/^zwnet_list_cache_(hits|misses)_total/ {printf "%s %s\n", $1, $2}'
