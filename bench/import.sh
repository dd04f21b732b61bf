#!/bin/sh
# Time to import N terminals (default 100,000) from a CSV through the server's import
# endpoint: parse, check, write and audit every row in one transaction. Target (issue 3):
# 100,000 terminals under 10 s. Usage: bench/import.sh [path/to/zwnet] [N]
set -eu
BIN=${1:-build/zwnet}
N=${2:-100000}
DIR=$(mktemp -d /tmp/zwnet-import.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ZWNET_PASSWORD=Bench2026pw
"$BIN" demo --db "$DIR/z.db" --password-cost min >/dev/null
"$BIN" serve --db "$DIR/z.db" --listen "127.0.0.1:$PORT" --access-log "" --password-cost min \
	--upload-limit 104857600 --request-timeout 600 >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
python3 - "$PORT" "$N" "$DIR" <<'PY'
import json, sys, time, http.client, sqlite3
port, n, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/api/v1/health")
        if c.getresponse().status == 200: break
    except OSError: time.sleep(0.05)
units = [r[0] for r in sqlite3.connect(d + "/z.db").execute("SELECT name FROM units")]
rows = ["MAC地址,单位名称,使用人,终端类型,防病毒软件,病毒库日期,补丁日期"]
for i in range(n):
    rows.append("02%010x,%s,用户%d,计算机,某杀毒,2026-11-01,2026-11-01" % (i, units[i % len(units)], i))
body = ("\n".join(rows) + "\n").encode()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": "Bench2026pw"}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
for dry in (1, 0):
    t = time.monotonic()
    c.request("POST", "/api/v1/imports/terminals" + ("?dry_run=1" if dry else ""), body,
              {"Content-Type": "text/csv", "Authorization": "Bearer " + tok})
    r = c.getresponse(); rep = json.loads(r.read())
    secs = time.monotonic() - t
    print("%s %d terminals (%.1f MB CSV): %.2f s, %d rows/s, status %d, written %s" % (
        "dry run of" if dry else "import of", n, len(body) / 1e6, secs, n / secs, r.status,
        rep.get("written", rep.get("report", {}).get("written"))))
PY
