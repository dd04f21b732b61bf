"""The HTTP server itself: request ids, access log, limits, timeouts, TLS, shutdown, config."""
import json
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import http.client

import harness
from harness import BIN, PASSWORD, Server, ServerTest, free_port, run_cli


class Basics(ServerTest):
    extra = ("--body-limit", "4096")

    def test_request_id_echoed_logged_and_audited(self):
        tok = self.srv.login("admin")
        rid = "test-req-0001abcd"
        r = self.srv.request("POST", "/api/v1/units", {"name": "请求编号测试单位", "type": "其他", "level": "县直"},
                             token=tok, headers={"X-Request-Id": rid})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.header("X-Request-Id"), rid)
        row = self.srv.sql("SELECT request_id, source, actor, role FROM audit WHERE object_type='unit'"
                           " AND object_id=?", (str(r.json["id"]),))
        self.assertEqual(row, [(rid, "127.0.0.1", "admin", "manager")])
        # The line is written when the request completes, which may be just after the
        # client has its answer.
        deadline = time.monotonic() + 10
        while True:
            with open(os.path.join(self.srv.dir, "access.log")) as f:
                lines = [l for l in f if rid in l]
            if lines or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        self.assertEqual(len(lines), 1)
        self.assertIn(" 201 ", lines[0])
        self.assertIn("user=admin", lines[0])
        # A made-up id with bad characters is replaced by the server's own.
        r = self.srv.request("GET", "/api/v1/health", headers={"X-Request-Id": "bad id<>"})
        self.assertNotEqual(r.header("X-Request-Id"), "bad id<>")
        self.assertEqual(len(r.header("X-Request-Id")), 24)

    def test_access_log_escapes_control_characters(self):
        """A URL carrying %0a, %0d, ESC or a backslash cannot add a line to the access log, forge
        a field, or send terminal escapes to whoever reads it."""
        rid = "test-req-escape-0001"
        r = self.srv.request("GET", "/api/v1/x%0a%0d%1b[31mred%5c%20y%7f", headers={"X-Request-Id": rid})
        self.assertError(r, 404, code="not_found")
        path = os.path.join(self.srv.dir, "access.log")
        deadline = time.monotonic() + 10
        while True:
            with open(path, "rb") as f:
                data = f.read()
            if rid.encode() in data or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        lines = [l for l in data.split(b"\n") if rid.encode() in l]
        self.assertEqual(len(lines), 1, data[-2000:])
        self.assertIn(b" GET /api/v1/x\\x0a\\x0d\\x1b[31mred\\x5c\\x20y\\x7f 404 ", lines[0])
        # Chinese stays readable; a C1 control (U+009B, CSI) and a byte that is not UTF-8 do not.
        rid2 = "test-req-escape-0002"
        self.srv.request("GET", "/api/v1/%E5%8D%95%E4%BD%8D%C2%9B%FF", headers={"X-Request-Id": rid2})
        deadline = time.monotonic() + 10
        while rid2.encode() not in data and time.monotonic() < deadline:
            time.sleep(0.02)
            with open(path, "rb") as f:
                data = f.read()
        lines = [l for l in data.split(b"\n") if rid2.encode() in l]
        self.assertEqual(len(lines), 1, data[-2000:])
        self.assertIn(" GET /api/v1/单位\\xc2\\x9b\\xff ".encode(), lines[0])
        self.assertNotIn(b"\x1b", data)
        self.assertNotIn(b"\r", data)
        for l in data.split(b"\n")[:-1]:  # every line is a whole entry
            self.assertRegex(l, rb"^\d{4}-\d\d-\d\dT\S+ \S+ \S+ \S+ \S+ \d{3} \d+ms user=\S+( aborted)?$")
            self.assertFalse(any(b < 0x20 or b == 0x7f for b in l), l)

    def test_every_5xx_is_logged_with_its_request_id(self):
        """A database damaged by hand (a trigger naming a table that is not there) makes every new
        carrier fail inside SQLite: the client gets 500 and the request id, and the server log
        has one error line with that id and what was answered, beside the store's warning."""
        self.srv.sql("CREATE TRIGGER damaged BEFORE INSERT ON carriers"
                     " BEGIN INSERT INTO no_such_table VALUES (1); END")
        try:
            rid = "test-req-5xx-0001"
            r = self.srv.as_("admin", "POST", "/api/v1/carriers", {"name": "损坏测试运营商"},
                             headers={"X-Request-Id": rid})
            self.assertError(r, 500, code="internal")
            self.assertEqual(r.header("X-Request-Id"), rid)
            lines = [l for l in self.srv.output().splitlines() if "req=" + rid in l]
            errors = [l for l in lines if " error " in l]
            self.assertEqual(len(errors), 1, lines)
            self.assertIn("POST /api/v1/carriers answered 500 internal: 服务器内部错误", errors[0])
            self.assertTrue(any(" warn " in l and "no_such_table" in l for l in lines), lines)
            # a 4xx is the client's business: no error line
            rid = "test-req-4xx-0001"
            self.srv.as_("admin", "POST", "/api/v1/carriers", {"name": ""}, headers={"X-Request-Id": rid})
            self.assertFalse([l for l in self.srv.output().splitlines() if rid in l and " error " in l])
        finally:
            self.srv.sql("DROP TRIGGER damaged")

    def test_body_limit(self):
        tok = self.srv.login("admin")
        before = self.srv.counts()
        big = {"name": "超长", "type": "其他", "level": "县直", "note": "备" * 2000}
        r = self.srv.request("POST", "/api/v1/units", big, token=tok)
        self.assertError(r, 413, code="too_large")
        self.assertEqual(self.srv.counts(), before)

    def test_not_found_and_method(self):
        r = self.srv.request("GET", "/api/v1/nothing-here")
        self.assertError(r, 404, code="not_found")
        # A long path of Chinese: the message quotes it cut to a length, still valid UTF-8.
        r = self.srv.request("GET", "/api/v1/" + urllib.parse.quote("测" * 60))
        self.assertError(r, 404, code="not_found")
        self.assertIn("测" * 20, r.json["error"]["message"])
        r = self.srv.request("PUT", "/api/v1/health")
        self.assertError(r, 405, code="method_not_allowed")
        self.assertEqual(r.header("Allow"), "GET")

    def test_openapi_document(self):
        r = self.srv.request("GET", "/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.json["openapi"].startswith("3."))
        self.assertIn("/api/v1/units/{id}", r.json["paths"])

    def test_every_documented_route_exists(self):
        """Each path and method of the OpenAPI document reaches a handler (never 404/405)."""
        doc = self.srv.request("GET", "/api/v1/openapi.json").json
        # Its own session: this walk includes DELETE /session, which ends it.
        tok = self.srv.request("POST", "/api/v1/session",
                               {"username": "admin", "password": PASSWORD}).json["token"]
        for path, item in doc["paths"].items():
            concrete = path.replace("{clause}", "TB-1")
            for name in ("id", "cid", "aid"):
                concrete = concrete.replace("{%s}" % name, "999999")
            for method in item:
                r = self.srv.request(method.upper(), concrete, token=tok,
                                     raw=b"{}" if method in ("post", "patch", "put") else None,
                                     headers={"Content-Type": "application/json"})
                self.assertNotEqual(r.status, 405, (method, path, r))
                if r.status == 404:
                    # the handler answered: the object 999999 does not exist
                    self.assertNotEqual(r.json["error"]["message"][:6], "没有这个接口", (method, path))


class SecurityHeaders(ServerTest):
    """Every kind of answer carries nosniff, no-referrer and X-Frame-Options; HTML carries a
    Content-Security-Policy that forbids framing; plain HTTP carries no HSTS (see Tls)."""

    @classmethod
    def setUpClass(cls):
        cls.web = tempfile.mkdtemp(prefix="zwnet-web-")
        os.makedirs(os.path.join(cls.web, "assets"))
        with open(os.path.join(cls.web, "index.html"), "w") as f:
            f.write("<!DOCTYPE html><title>console</title><script src=/assets/app-1a2b.js></script>")
        with open(os.path.join(cls.web, "assets", "app-1a2b.js"), "w") as f:
            f.write("console.log(1)")
        cls.extra = ("--web-root", cls.web, "--body-limit", "4096")
        super().setUpClass()

    def check(self, what, r, status, csp=None):
        self.assertEqual(r.status, status, (what, r))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff", what)
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer", what)
        self.assertEqual(r.header("X-Frame-Options"), "DENY", what)
        self.assertIsNone(r.header("Strict-Transport-Security"), what)
        if csp:
            policy = r.header("Content-Security-Policy") or ""
            self.assertIn("frame-ancestors 'none'", policy, what)
            for part in csp:
                self.assertIn(part, policy, what)
        return r

    def test_every_kind_of_answer(self):
        tok = self.srv.login("admin")
        get = lambda path, **kw: self.srv.request("GET", path, token=tok, **kw)
        r = self.check("json", get("/api/v1/schemas"), 200)
        self.check("json 304", get("/api/v1/schemas", headers={"If-None-Match": r.header("ETag")}),
                   304)
        self.check("health", self.srv.request("GET", "/api/v1/health"), 200)
        self.check("error 404", get("/api/v1/nothing-here"), 404)
        self.check("error 401", self.srv.request("GET", "/api/v1/units"), 401)
        self.check("error 413", self.srv.request("POST", "/api/v1/session", raw=b"x" * 5000,
                                                 headers={"Content-Type": "application/json"}), 413)
        uid = self.srv.sql("SELECT id FROM units ORDER BY id LIMIT 1")[0][0]
        # The printable documents: inline print CSS and nothing else.
        doc = ["default-src 'none'", "style-src 'unsafe-inline'"]
        r = self.check("archive html", get("/api/v1/units/%d/archive?format=html" % uid), 200, doc)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        self.assertNotIn("script-src", r.header("Content-Security-Policy"))
        aid = harness.approve_access(self.srv, uid)
        r = self.check("form html", get("/api/v1/applications/%d/form" % aid), 200, doc)
        r = self.check("form pdf", get("/api/v1/applications/%d/form?format=pdf" % aid), 200)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertTrue(r.raw.startswith(b"%PDF"))
        # The console's files.
        r = self.check("console", self.srv.request("GET", "/"), 200, ["script-src 'self'"])
        self.check("console route", self.srv.request("GET", "/units/3"), 200, ["script-src 'self'"])
        self.check("console 304", self.srv.request("GET", "/", headers={
            "If-None-Match": r.header("ETag")}), 304)
        r = self.check("console asset", self.srv.request("GET", "/assets/app-1a2b.js"), 200)
        self.assertTrue(r.header("Content-Type").startswith("text/javascript"))
        self.check("console 404", self.srv.request("GET", "/assets/gone.js"), 404)


class Shutdown(unittest.TestCase):
    def test_inflight_request_finishes_on_sigterm(self):
        srv = Server(name="Shutdown")
        try:
            tok = srv.login("admin")
            body = json.dumps({"name": "停机中登记的单位", "type": "其他", "level": "县直"},
                              ensure_ascii=False).encode()
            s = socket.create_connection(("127.0.0.1", srv.port))
            head = ("POST /api/v1/units HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                    "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (tok, len(body)))
            s.sendall(head.encode() + body[:10])
            time.sleep(0.3)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            # The listening socket is closed: new clients are refused.
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
            s.sendall(body[10:])
            resp = b""
            s.settimeout(20)
            while b"\r\n\r\n" not in resp or len(resp.split(b"\r\n\r\n", 1)[1]) == 0:
                chunk = s.recv(65536)
                if not chunk:
                    break
                resp += chunk
            s.close()
            self.assertTrue(resp.startswith(b"HTTP/1.1 201"), resp[:200])
            self.assertEqual(srv.proc.wait(timeout=30), 0)
            self.assertEqual(srv.sql("SELECT count(*) FROM units WHERE name='停机中登记的单位'"), [(1,)])
            run_cli("audit", "verify", db=srv.db)
        finally:
            srv.close()


class SlowClient(ServerTest):
    extra = ("--request-timeout", "1")

    def test_trickling_body_is_dropped(self):
        tok = self.srv.login("admin")
        s = socket.create_connection(("127.0.0.1", self.srv.port))
        s.sendall(("POST /api/v1/units HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{" % tok).encode())
        time.sleep(1.5)
        try:
            s.sendall(b'"name"')
            s.settimeout(10)
            data = s.recv(4096)
        except OSError:
            data = b""
        s.close()
        self.assertFalse(data.startswith(b"HTTP/1.1 2"), data)
        # The server is still healthy.
        self.assertEqual(self.srv.request("GET", "/api/v1/health").status, 200)


class Tls(unittest.TestCase):
    def test_https(self):
        d = tempfile.mkdtemp(prefix="zwnet-tls-")
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        srv_port = free_port()
        db = os.path.join(d, "z.db")
        run_cli("user", "add", "admin", "--role", "manager", db=db)
        p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:%d" % srv_port,
                              "--tls-cert", cert, "--tls-key", key, "--password-cost", "min",
                              "--access-log", ""], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            ctx = ssl.create_default_context(cafile=cert)
            ctx.check_hostname = False
            deadline = time.monotonic() + 20
            while True:
                try:
                    c = http.client.HTTPSConnection("127.0.0.1", srv_port, context=ctx, timeout=5)
                    c.request("POST", "/api/v1/session", body=json.dumps(
                        {"username": "admin", "password": PASSWORD}),
                        headers={"Content-Type": "application/json"})
                    r = c.getresponse()
                    break
                except (OSError, ssl.SSLError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            self.assertEqual(r.status, 201)
            self.assertIn("Secure", r.getheader("Set-Cookie"))
            self.assertEqual(r.getheader("Strict-Transport-Security"), "max-age=31536000")
            r.read()
            c.request("GET", "/api/v1/nothing-here")
            r = c.getresponse()
            self.assertEqual(r.status, 404)
            self.assertEqual(r.getheader("Strict-Transport-Security"), "max-age=31536000")
            self.assertEqual(r.getheader("X-Frame-Options"), "DENY")
            r.read()
            c.close()
            # Plain HTTP on the TLS port gets no HTTP answer.
            s = socket.create_connection(("127.0.0.1", srv_port))
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(5)
            try:
                got = s.recv(100)
            except OSError:
                got = b""
            s.close()
            self.assertFalse(got.startswith(b"HTTP/1.1 200"))
        finally:
            p.send_signal(signal.SIGTERM)
            out = p.communicate(timeout=30)[0].decode()
            self.assertEqual(p.returncode, 0, out)
            self.assertNotIn("AddressSanitizer", out)


class Config(unittest.TestCase):
    def write(self, text):
        f = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
        f.write(text)
        f.close()
        return f.name

    def check(self, *args):
        return subprocess.run([BIN, "serve", "--check"] + list(args), capture_output=True, text=True,
                              timeout=60)

    def test_good_config(self):
        path = self.write("# zwnet\nlisten = 127.0.0.1:9999\nprofile = luoning\nthreads = 2\n")
        p = self.check("--config", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("洛宁县", p.stdout)

    def test_errors_name_file_and_line(self):
        for text, line in (("listen = 127.0.0.1:1\nbogus = 1\n", 2),
                           ("threads = 0\n", 1),
                           ("\n\nbody_limit = lots\n", 3),
                           ("[section]\n", 1)):
            path = self.write(text)
            p = self.check("--config", path)
            self.assertNotEqual(p.returncode, 0, text)
            self.assertIn("%s:%d" % (path, line), p.stderr, (text, p.stderr))

    def test_flags_override_and_are_checked(self):
        path = self.write("profile = luoning\n")
        p = self.check("--config", path, "--profile", "miyun")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("密云县", p.stdout)
        p = self.check("--profile", "nowhere")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("nowhere", p.stderr)
        p = self.check("--threads", "100000")
        self.assertNotEqual(p.returncode, 0)
        p = self.check("--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key")
        self.assertNotEqual(p.returncode, 0)

    def test_newer_database_refused(self):
        d = tempfile.mkdtemp(prefix="zwnet-newer-")
        db = os.path.join(d, "z.db")
        run_cli("user", "add", "admin", "--role", "manager", db=db)
        import sqlite3
        con = sqlite3.connect(db)
        v = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute("PRAGMA user_version = %d" % (v + 1))
        con.commit()
        con.close()
        p = subprocess.run([BIN, "serve", "--db", db, "--listen", "127.0.0.1:%d" % free_port()],
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("更新的 zwnet", p.stderr)
