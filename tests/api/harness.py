"""Test harness: start a real `zwnet serve` on a free loopback port with its own database,
talk to it over HTTP, and stop it with SIGTERM, failing if the sanitizers reported anything.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("ZWNET_BIN", "build-asan/zwnet")
OUT = os.environ.get("ZWNET_TEST_OUT", "tests/out")
PASSWORD = "Test2026pass"
SYNC = "normal"  # db_synchronous of the servers and commands under test (see run_cli)


# SQL taking a database back from migration 16 (devices' MACs, probes' own addresses and lease
# counts), 20 (a person's own mail choice) and 21 (carriers' staff, fault tickets), for the tests that set user_version back to
# replay an older migration: what a later migration added as a column must be gone before it
# runs again.
UNDO_MIGRATION_16 = (
    "DROP TRIGGER wg_devices_i; DROP TRIGGER wg_devices_u; DROP TRIGGER wg_devices_d;"
    "ALTER TABLE devices DROP COLUMN mac; ALTER TABLE probes DROP COLUMN addresses;"
    "ALTER TABLE probes DROP COLUMN leases; ALTER TABLE probes DROP COLUMN expired_leases;"
    "ALTER TABLE probes DROP COLUMN warning;"
    "ALTER TABLE users DROP COLUMN mail_topics; ALTER TABLE users DROP COLUMN email;"
    "DROP INDEX users_carrier; ALTER TABLE users DROP COLUMN carrier_id;"
    "DROP TABLE tickets; DROP TABLE case_events; DROP TABLE maintenance_lines;"
    "DROP TABLE maintenances; DROP TABLE changes; DROP TABLE duty_entries;"
    "DROP TABLE duty_shifts; DROP TABLE unit_health; DROP TABLE health_samples;"
    "DROP TABLE outages; DROP TABLE plan_drills; DROP TABLE plans;")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_cli(*args, db=None, env=None, check=True, input=None):
    e = dict(os.environ)
    e["ZWNET_PASSWORD"] = PASSWORD
    if env:
        e.update(env)
    cmd = [BIN] + list(args)
    if db:
        cmd += ["--db", db]
    # the tests' databases are scratch: synchronous=NORMAL spares an fsync per commit, which
    # doubled the suite's time; what a power cut keeps is the crash test's (test_crash.py)
    cmd += ["--password-cost", "min", "--db-synchronous", SYNC]
    p = subprocess.run(cmd, env=e, capture_output=True, text=True, input=input, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d): %s %s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.raw[:300])


class Server:
    """One zwnet server with its own database in a temporary directory."""

    def __init__(self, profile="tongbai", demo=True, extra=(), name="srv", env=None, db=None):
        """env: extra environment variables for the server process only (e.g. ZWNET_NOW).
        db: serve this database (a restored one: nothing is seeded); its folder is removed
        on close like a fresh one."""
        self.dir = os.path.dirname(os.path.abspath(db)) if db else tempfile.mkdtemp(prefix="zwnet-test-")
        self.db = db or os.path.join(self.dir, "zwnet.db")
        self.profile = profile
        self.port = free_port()
        self.name = name
        if db:
            pass
        elif demo:
            run_cli("demo", "--profile", profile, db=self.db)
        else:
            run_cli("user", "add", "admin", "--role", "manager", "--profile", profile, db=self.db)
        self.log = open(os.path.join(self.dir, "server.log"), "w+")
        self.extra, self.env = list(extra), env
        self._spawn()

    def _spawn(self):
        senv = None
        if self.env:
            senv = dict(os.environ)
            senv.update(self.env)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port, "--profile",
             self.profile, "--password-cost", "min", "--access-log",
             os.path.join(self.dir, "access.log"),
             # the test machine's free space is not what a test is about (DiskLow sets its own)
             "--disk-min-free", "0", "--db-synchronous", SYNC,
             # the daily backup and notice would come at a time of day of the machine's
             # clock, into tests that count rows and mails: only where a test asks
             "--backup-time", "off"] + self.extra,
            stdout=self.log, stderr=subprocess.STDOUT, env=senv)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/api/v1/health").status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            raise AssertionError("server did not start: " + self.output())
        self.tokens = {}

    def restart(self):
        """Stop (SIGTERM) and start again on the same database; the stop must be clean."""
        rc = self.stop()
        if rc != 0:
            raise AssertionError("server exited %r: %s" % (rc, self.output()))
        self._spawn()

    def output(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def request(self, method, path, body=None, token=None, headers=None, raw=None, timeout=60,
                source=None):
        """source: the loopback address to connect from (e.g. "127.0.0.5")."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                       source_address=(source, 0) if source else None)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        if token:
            h["Authorization"] = "Bearer " + token
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        c.close()
        return resp

    def login(self, user, password=PASSWORD):
        if user in self.tokens:
            return self.tokens[user]
        r = self.request("POST", "/api/v1/session", {"username": user, "password": password})
        if r.status != 201:
            raise AssertionError("login %s: %r" % (user, r))
        self.tokens[user] = r.json["token"]
        return self.tokens[user]

    def as_(self, user, method, path, body=None, **kw):
        return self.request(method, path, body, token=self.login(user), **kw)

    def sql(self, query, args=()):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def counts(self):
        """Rows of every table in the database (sqlite_schema), for "bad input changed
        nothing". No table of ours is left out: none changes on every request (the access log
        is a file, sessions change only on login and logout, probes and enforcers only on their
        own reports). Left out are SQLite's own tables: sqlite_sequence gains a row with the first
        insert into an AUTOINCREMENT table (that insert shows in its own table), sqlite_stat*
        hold the planner's statistics."""
        con = sqlite3.connect(self.db)
        try:
            names = [n for (n,) in con.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE"
                " 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
            return {t: con.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in names}
        finally:
            con.close()

    def stop(self):
        """SIGTERM and wait; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def close(self):
        rc = self.stop()
        out = self.output()
        self.log.close()
        os.makedirs(OUT, exist_ok=True)
        shutil.copy(self.log.name, os.path.join(OUT, "server-%s.log" % self.name))
        shutil.rmtree(self.dir, ignore_errors=True)
        bad = [m for m in ("AddressSanitizer", "LeakSanitizer", "ThreadSanitizer", "runtime error:")
               if m in out]
        if bad:
            raise AssertionError("sanitizer report in server log: %s\n%s" % (bad, out[-4000:]))
        if rc != 0:
            raise AssertionError("server exited with %d\n%s" % (rc, out[-2000:]))


class ServerTest(unittest.TestCase):
    """A test class whose tests share one server (started in setUpClass)."""

    profile = "tongbai"
    demo = True
    extra = ()
    env = None

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(cls.profile, cls.demo, cls.extra, name=cls.__name__, env=cls.env)
        # a class's shared objects, made once (_fixtures); a failure there stops its server
        if hasattr(cls, "_fixtures"):
            try:
                cls._fixtures()
            except BaseException:
                cls.srv.close()
                raise

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    @staticmethod
    def wait_for(cond, timeout=30):
        """Poll cond() until it returns something true (returned) or the timeout (None)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            v = cond()
            if v:
                return v
            time.sleep(0.1)
        return None

    def assertError(self, r, status, field=None, code=None):
        self.assertEqual(r.status, status, r)
        self.assertIsNotNone(r.json, r)
        e = r.json.get("error")
        self.assertIsInstance(e, dict, r)
        self.assertTrue(e.get("message"), r)
        if field is not None:
            self.assertEqual(e.get("field"), field, r)
        if code is not None:
            self.assertEqual(e.get("code"), code, r)
        return e


def approve_access(srv, uid):
    """Drive an access application of unit uid to 实施中 (approved; no addresses allocated), so
    the unit may be connected (TB-13: no unit is connected without an approved application).
    Does nothing when the unit already has one. Returns the application id or None."""
    have = srv.sql("SELECT id FROM applications WHERE unit_id = ? AND kind = 'access' AND"
                   " status IN ('实施中', '已办结')", (uid,))
    if have:
        return have[0][0]
    body = {"kind": "access", "unit_id": uid, "user_type": "事业单位", "address": "测试地址",
            "admin_name": "网管", "admin_mobile": "13800000001", "tech_name": "技术",
            "tech_mobile": "13800000002", "ip_count": 1, "bandwidth_mbps": 10, "purpose": "测试"}
    prof = srv.as_("admin", "GET", "/api/v1/profile").json
    if any(w["key"] == "access" and w["assessment_required"] for w in prof["workflows"]):
        body.update(assessment_org="测评机构", assessment_on="2026-01-05",
                    assessment_conclusion="符合")
    r = srv.as_("admin", "POST", "/api/v1/applications", body)
    assert r.status == 201, r
    aid = r.json["id"]
    users = {"manager": "admin", "authority": "authority"}
    for _ in range(3):
        a = srv.as_("admin", "GET", "/api/v1/applications/%d" % aid).json
        if a["status"] == "实施中":
            return aid
        r = srv.as_(users[a["awaiting"]["role"]], "POST", "/api/v1/applications/%d/transitions" % aid,
                    {"action": "approve", "allocate": False})
        assert r.status == 200, r
    raise AssertionError("access application %d not approved" % aid)
