#!/bin/sh
# Imports under load. On a county-sized register (BASE terminals, default 50,000, loaded
# first), N terminals (default 100,000) from a CSV through the server's import endpoint: a dry
# run, then the real import; then a file of N bad rows and an xlsx zip bomb. For each it prints
# the time, the answer's size, the server's peak RSS during the request (VmHWM, reset before
# each step) and the longest wait of a concurrent write (a login, one every 50 ms) while the
# request ran: that wait is how long the import held the database's write lock. The server's
# one log line per import (phases in ms) is printed at the end.
# Targets (issue 3, 12): 100,000 terminals under 10 s; peak RSS under 200 MB; a concurrent
# write waits under 1 s; a dry run takes no write lock.
# Usage: bench/import.sh [path/to/zwnet] [N] [BASE]
set -eu
BIN=${1:-build/zwnet}
N=${2:-100000}
BASE=${3:-50000}
DIR=$(mktemp -d /tmp/zwnet-import.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ZWNET_PASSWORD=Bench2026pw
"$BIN" demo --db "$DIR/z.db" --password-cost min >/dev/null
"$BIN" serve --db "$DIR/z.db" --listen "127.0.0.1:$PORT" --access-log "" --password-cost min \
	--upload-limit 104857600 --request-timeout 600 --login-max-failures 1000 \
	>"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
python3 - "$PORT" "$N" "$BASE" "$DIR" "$PID" <<'PY'
import io, json, sys, threading, time, http.client, sqlite3, zipfile
port, n, base, d, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/api/v1/health")
        if c.getresponse().status == 200: break
    except OSError: time.sleep(0.05)
units = [r[0] for r in sqlite3.connect(d + "/z.db").execute("SELECT name FROM units")]
HDR = "MAC地址,单位名称,使用人,终端类型,防病毒软件,病毒库日期,补丁日期"

def csv(count, first, mac=None):
    rows = [HDR]
    for i in range(first, first + count):
        rows.append("%s,%s,用户%d,计算机,某杀毒,2026-11-01,2026-11-01" % (
            mac or "02%010x" % i, units[i % len(units)], i))
    return ("\n".join(rows) + "\n").encode()

def login():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": "Bench2026pw"}),
              {"Content-Type": "application/json"})
    r = c.getresponse(); body = r.read()
    return json.loads(body)["token"] if r.status == 201 or r.status == 200 else None

tok = login()

def post(path, body, ctype="text/csv"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    t = time.monotonic()
    c.request("POST", path, body, {"Content-Type": ctype, "Authorization": "Bearer " + tok})
    r = c.getresponse(); raw = r.read()
    return r.status, json.loads(raw) if raw else {}, time.monotonic() - t, len(raw)

def vm(key):
    for line in open("/proc/%s/status" % pid):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0

def step(label, path, body, ctype="text/csv", parallel=1):
    open("/proc/%s/clear_refs" % pid, "w").write("5")  # reset the peak RSS
    waits, stop = [], threading.Event()
    def probe():
        while not stop.is_set():
            t = time.monotonic(); login(); waits.append(time.monotonic() - t)
            stop.wait(0.05)
    th = threading.Thread(target=probe); th.start()
    res = [None] * parallel
    def one(i): res[i] = post(path, body, ctype)
    ts = [threading.Thread(target=one, args=(i,)) for i in range(parallel)]
    for t in ts: t.start()
    for t in ts: t.join()
    stop.set(); th.join()
    for status, rep, secs, size in res:
        rep = rep.get("report", rep)
        print("%-34s %6.2f s  status %s  rows %s written %s errors %s/%s  answer %.1f KB" % (
            label, secs, status, rep.get("rows"), rep.get("written"),
            len(rep.get("errors", [])) if "errors" in rep else "-", rep.get("error_count", "-"),
            size / 1024))
    print("%-34s peak RSS %.0f MB (now %.0f MB), concurrent login: %d, longest wait %.3f s" % (
        "", vm("VmHWM"), vm("VmRSS"), len(waits), max(waits) if waits else 0))

def bomb(rows):
    # every row the same terminal, already registered: each one reaches the database
    def c(v): return '<c t="inlineStr"><is><t>%s</t></is></c>' % v
    cell = "<row>" + c("02%010x" % (1 << 32)) + c(units[0]) + c("计算机") + "</row>"
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml",
                   '<worksheet><sheetData><row>' + c("MAC") + c("单位") + c("终端类型") + "</row>" +
                   cell * rows +
                   "</sheetData></worksheet>")
    return b.getvalue()

I = "/api/v1/imports/terminals"
if base:
    s, rep, secs, _ = post(I, csv(base, 1 << 32))
    print("register loaded with %d terminals (%.1f s, status %d)" % (base, secs, s))
body = csv(n, 0)
print("file: %d terminals, %.1f MB CSV" % (n, len(body) / 1e6))
step("dry run", I + "?dry_run=1", body)
step("import", I, body)
dup = "02%010x" % (1 << 32)  # registered already: every row is refused by the database
step("dry run, all rows bad", I + "?dry_run=1", csv(n, 0, mac=dup))
step("import, all rows bad", I, csv(n, 0, mac=dup))
zb = bomb(537072)
print("zip bomb: %.0f KB xlsx, 537,073 rows" % (len(zb) / 1024))
step("zip bomb", I, zb, "application/octet-stream")
step("zip bomb, four at once", I, zb, "application/octet-stream", parallel=4)
log = open(d + "/server.log", encoding="utf-8", errors="replace").read().splitlines()
print("server log: %d lines, %.1f KB" % (len(log), sum(len(l) + 1 for l in log) / 1024))
for l in log:
    if "import" in l:
        print("  " + l[:200])
PY
