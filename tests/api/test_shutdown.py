"""Honest shutdown (issue 15 §3): on SIGTERM the server takes no new request, not even on a
kept-alive connection; what runs finishes within shutdown_grace or is cancelled, rolled back
and answered; every answer it gives is sent; a SIGTERM during startup stops it cleanly."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, Server, free_port, run_cli

I = "/api/v1/imports/terminals"


def big_csv(srv, rows):
    unit = srv.sql("SELECT name FROM units WHERE id = 2")[0][0]
    lines = ["MAC,单位,终端类型"]
    for i in range(rows):
        lines.append("02:%02x:%02x:%02x:00:01,%s,计算机" % (i >> 16 & 255, i >> 8 & 255, i & 255, unit))
    return ("\n".join(lines) + "\n").encode("utf-8")


class Shutdown(unittest.TestCase):
    def start(self, grace):
        self.srv = Server(name="Shutdown%d" % grace, extra=("--shutdown-grace", str(grace)))
        self.addCleanup(self.srv.close)
        return self.srv

    def import_in_background(self, srv, body):
        out = {}

        def run():
            try:
                out["r"] = srv.as_("admin", "POST", I, raw=body,
                                   headers={"Content-Type": "text/csv"}, timeout=300)
            except OSError as e:
                out["e"] = e
        t = threading.Thread(target=run)
        t.start()
        # until the server is at it (the request is open)
        time.sleep(0.5)
        return t, out

    def test_a_long_import_past_the_grace_is_cancelled_rolled_back_and_answered(self):
        srv = self.start(1)
        srv.login("admin")
        before = srv.sql("SELECT count(*) FROM terminals")[0][0]
        t, out = self.import_in_background(srv, big_csv(srv, 20000))
        t0 = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        t.join(120)
        rc = srv.proc.wait(120)
        stopped = time.monotonic() - t0
        self.assertNotIn("e", out, "the import's answer was sent")
        r = out["r"]
        self.assertEqual(r.status, 503, r)
        self.assertIn("服务正在停止", r.json["error"]["message"])
        self.assertEqual(r.header("Connection"), "close")
        self.assertEqual(rc, 0, srv.output()[-2000:])
        self.assertEqual(srv.sql("SELECT count(*) FROM terminals")[0][0], before)
        self.assertIn("cancelling", srv.output())
        print("     shutdown with a 20,000-row import in flight, grace 1 s: %.1f s" % stopped)
        run_cli("audit", "verify", db=srv.db)

    def test_no_new_request_on_a_kept_alive_connection_and_the_running_one_finishes(self):
        srv = self.start(60)
        tok = srv.login("admin")
        before = srv.sql("SELECT count(*) FROM units")[0][0]
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
        c.request("GET", "/api/v1/units?limit=1", headers={"Authorization": "Bearer " + tok})
        r = c.getresponse()
        r.read()
        self.assertEqual(r.status, 200)
        self.assertNotEqual(r.getheader("Connection"), "close")
        # a long request keeps the server in its grace
        t, out = self.import_in_background(srv, big_csv(srv, 6000))
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        self.assertIsNone(srv.proc.poll(), "still in its grace")
        body = json.dumps({"name": "停止时提交的单位", "type": "其他", "level": "县直"}, ensure_ascii=False)
        c.request("POST", "/api/v1/units", body=body.encode("utf-8"),
                  headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
        r = c.getresponse()
        answer = json.loads(r.read())
        self.assertEqual(r.status, 503, answer)
        self.assertEqual(r.getheader("Connection"), "close")
        self.assertIn("服务正在停止", answer["error"]["message"])
        c.close()
        t.join(300)
        self.assertEqual(srv.proc.wait(120), 0)
        self.assertEqual(out["r"].status, 201, out["r"])
        self.assertEqual(out["r"].json["written"], 6000)
        self.assertEqual(srv.sql("SELECT count(*) FROM units")[0][0], before)

    def test_sigterm_during_startup_stops_cleanly(self):
        d = tempfile.mkdtemp(prefix="zwnet-early-")
        db = os.path.join(d, "zwnet.db")
        run_cli("demo", db=db)
        for delay in (0.0, 0.05, 0.4, 0.8, 1.5):
            port = free_port()
            p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                                  "--password-cost", "min", "--disk-min-free", "0"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            time.sleep(delay)
            p.send_signal(signal.SIGTERM)
            try:
                rc = p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                self.fail("no stop within 30 s of a SIGTERM %.2f s after starting" % delay)
            out = p.stdout.read().decode("utf-8", "replace")
            # one that comes before main() blocks it kills the process, which has done nothing
            # yet; from then on it is taken and the stop is clean
            ok = (0,) if delay >= 0.4 else (0, -signal.SIGTERM)
            self.assertIn(rc, ok, "SIGTERM %.2f s after start: %s" % (delay, out[-1500:]))
        shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
