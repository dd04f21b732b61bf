"""The driver of bench/import.sh: for each size N, a fresh demo county and a real `zwnet serve`
on loopback; workbooks of N rows per kind (bench/import_sheets.py) imported through
POST /api/v1/imports/{kind}, dry run first, then for real. Per kind and size it prints the
rows, seconds (wall, and the server's CPU: the machine may be shared), rows per second, the
server's peak RSS during the request (VmHWM, reset before each request), the longest wait of a
concurrent login (how long the import held the write lock) and the phases the server logged
(read, check, write under the lock); after the prefixes, `zwnet prefix verify` checks the
figures the import kept. Rows per
second that fall as N grows mean an import is not linear in its rows.

On the last size's register it then runs the load cases: a file of N bad rows, an xlsx zip
bomb, four at once, each with the longest wait of a concurrent login (how long the import held
the write lock).

    import_bench.py ZWNET SIZE [SIZE ...]
"""
import atexit
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Bench2026pw"
KINDS = ["units", "prefixes", "terminals"]  # every kind src/domain/import.c takes
LOG = re.compile(r"import (\w+) by .*?: (\d+) rows, (\d+) written, (\d+) errors.*?; (\d+) ms "
                 r"\(read (\d+), check (\d+) of which copy (\d+), write (\d+) under the lock\)")


class Server:
    def __init__(self, binary, d):
        self.d = d
        env = dict(os.environ, ZWNET_PASSWORD=PASSWORD)
        self.db = db = os.path.join(d, "z.db")
        subprocess.run([binary, "demo", "--db", db, "--password-cost", "min"], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.log_path = os.path.join(d, "server.log")
        self.proc = subprocess.Popen(
            [binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % self.port,
             "--access-log", "", "--password-cost", "min", "--upload-limit", "104857600",
             "--request-timeout", "3600",
             # openpyxl writes every cell as an inline string, Chinese as character
             # references: 100,000 terminals make a 68 MB sheet (a spreadsheet program's shared
             # strings make far less), past the default 64 MB
             "--xlsx-max-member", "268435456", "--login-max-failures", "1000"],
            env=env, stdout=open(self.log_path, "wb"), stderr=subprocess.STDOUT)
        atexit.register(self.stop)  # a driver that fails leaves no server behind
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port)
                c.request("GET", "/api/v1/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit("zwnet serve stopped: " + open(self.log_path).read())
                time.sleep(0.05)
        self.token = self.login()
        self.units = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM units ORDER BY id")]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        shutil.rmtree(self.d, ignore_errors=True)

    def login(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)
        c.request("POST", "/api/v1/session",
                  json.dumps({"username": "admin", "password": PASSWORD}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        return json.loads(body)["token"] if r.status in (200, 201) else None

    def post(self, path, body, ctype):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=7200)
        t = time.monotonic()
        c.request("POST", path, body, {"Content-Type": ctype, "Authorization": "Bearer " + self.token})
        r = c.getresponse()
        raw = r.read()
        return r.status, json.loads(raw) if raw else {}, time.monotonic() - t, len(raw)

    def vm(self, key):
        for line in open("/proc/%d/status" % self.proc.pid):
            if line.startswith(key):
                return int(line.split()[1]) / 1024
        return 0

    def cpu(self):
        """Seconds of CPU the server has used (user and system): on a shared machine the
        wall-clock time also counts other programs' turns."""
        f = open("/proc/%d/stat" % self.proc.pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    def reset_peak(self):
        with open("/proc/%d/clear_refs" % self.proc.pid, "w") as f:
            f.write("5")

    def last_import_log(self):
        lines = [l for l in open(self.log_path, encoding="utf-8", errors="replace") if LOG.search(l)]
        return LOG.search(lines[-1]).groups() if lines else None

    def step(self, path, body, ctype, parallel=1):
        """The request(s) with a concurrent login every 50 ms; the results and the longest wait."""
        self.reset_peak()
        waits, stop = [], threading.Event()

        def probe():
            while not stop.is_set():
                t = time.monotonic()
                self.login()
                waits.append(time.monotonic() - t)
                stop.wait(0.05)

        th = threading.Thread(target=probe)
        th.start()
        cpu = self.cpu()
        res = [None] * parallel

        def one(i):
            res[i] = self.post(path, body, ctype)

        ts = [threading.Thread(target=one, args=(i,)) for i in range(parallel)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.last_cpu = self.cpu() - cpu
        stop.set()
        th.join()
        return res, max(waits) if waits else 0.0


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(kind, n, units, d):
    path = os.path.join(d, "%s-%d.xlsx" % (kind, n))
    subprocess.run([sys.executable, os.path.join(HERE, "import_sheets.py"), kind, str(n), path]
                   + ([] if kind == "units" else units), check=True)
    with open(path, "rb") as f:
        return f.read()


def bomb(units, rows):
    """Every row the same terminal, already registered: each one reaches the database."""
    def c(v):
        return '<c t="inlineStr"><is><t>%s</t></is></c>' % v
    cell = "<row>" + c("02:00:00:00:00:00") + c(units[1]) + c("计算机") + "</row>"
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml",
                   "<worksheet><sheetData><row>" + c("MAC") + c("单位") + c("终端类型") + "</row>"
                   + cell * rows + "</sheetData></worksheet>")
    return b.getvalue()


def report_line(label, res, wait, srv):
    for status, rep, secs, size in res:
        rep = rep.get("report", rep)
        print("%-28s %7.2f s  status %s  rows %s written %s errors %s  answer %.1f KB" % (
            label, secs, status, rep.get("rows"), rep.get("written"), rep.get("error_count", "-"),
            size / 1024))
    print("%-28s peak RSS %.0f MB (now %.0f MB), longest wait of a concurrent login %.3f s" % (
        "", srv.vm("VmHWM"), srv.vm("VmRSS"), wait))


def main():
    binary, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
    print("%-10s %7s %-8s %8s %8s %8s %9s %7s  %s" % (
        "kind", "rows", "run", "seconds", "CPU s", "rows/s", "peak RSS", "wait s",
        "server phases (ms)"))
    srv = None
    for n in sizes:
        if srv:
            srv.stop()
        d = tempfile.mkdtemp(prefix="zwnet-import.")
        srv = Server(binary, d)
        demo_units = list(srv.units)
        for kind in KINDS:
            body = workbook(kind, n, demo_units, d)
            for dry in (True, False):
                res, wait = srv.step("/api/v1/imports/%s%s" % (kind, "?dry_run=1" if dry else ""),
                                     body, XLSX)
                status, rep, secs, _ = res[0]
                rep = rep.get("report", rep)
                if status not in (200, 201) or rep.get("error_count"):
                    print("%s: status %s: %s" % (kind, status, json.dumps(
                        res[0][1], ensure_ascii=False)[:400]))
                ph = srv.last_import_log()
                phases = "read %s, check %s (copy %s), write %s" % (ph[5], ph[6], ph[7], ph[8]) \
                    if ph else "-"
                print("%-10s %7d %-8s %8.2f %8.2f %8.0f %6.0f MB %7.3f  %s" % (
                    kind, rep.get("rows", 0), "dry run" if dry else "import", secs,
                    srv.last_cpu, rep.get("rows", 0) / secs if secs else 0, srv.vm("VmHWM"),
                    wait, phases), flush=True)
            if kind == "prefixes":  # the figures the import kept, against a recomputation
                t = time.monotonic()
                v = subprocess.run([binary, "prefix", "verify", "--db", srv.db], capture_output=True,
                                   text=True, env=dict(os.environ, ZWNET_PASSWORD=PASSWORD))
                print("%-10s %7s %-8s %8.2f  %s" % ("", "", "verify", time.monotonic() - t,
                                                   (v.stdout or v.stderr).strip()), flush=True)
    # the load cases, on the register the last size left
    n = sizes[-1]
    print("\non a register of %d terminals:" % n)
    dup = ("MAC地址,单位名称,终端类型\n" + ("02:00:00:00:00:00,%s,计算机\n" % srv.units[1]) * n).encode()
    for label, q in (("dry run, all rows bad", "?dry_run=1"), ("import, all rows bad", "")):
        res, wait = srv.step("/api/v1/imports/terminals" + q, dup, "text/csv")
        report_line(label, res, wait, srv)
    zb = bomb(srv.units, 537072)
    print("zip bomb: %.0f KB xlsx, 537,073 rows" % (len(zb) / 1024))
    for label, par in (("zip bomb", 1), ("zip bomb, four at once", 4)):
        res, wait = srv.step("/api/v1/imports/terminals", zb, "application/octet-stream", par)
        report_line(label, res, wait, srv)
    srv.stop()


if __name__ == "__main__":
    main()
