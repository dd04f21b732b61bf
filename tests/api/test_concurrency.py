"""Concurrency (issue 15 §4): the server and CLI processes writing the same database.

The server's IPAM keeps each container's free space in memory between requests; a CLI command
(`zwnet prefix allocate`) is another process writing the same SQLite file, so the server must
notice its writes under the write lock before it trusts that memory again. In a -Dmutants=true
build (make test's) the server pauses after each allocation's commit (ZWNET_PAUSE, see
src/core/mutant.h), which is where a CLI write used to slip in unnoticed; elsewhere the race is
still run, only less likely to be hit."""
import ipaddress
import json
import sqlite3
import threading
import time

from harness import ServerTest, run_cli

P = "/api/v1/prefixes"

API_THREADS = 2
API_PER_THREAD = 150
CLI_THREADS = 2
CLI_PER_THREAD = 75


class IpamApiAndCli(ServerTest):
    env = {"ZWNET_PAUSE": "ipam_after_commit:40"}

    def test_api_and_cli_allocate_from_one_block(self):
        s = self.srv
        z = s.as_("admin", "POST", "/api/v1/zones", {"name": "并发测试区", "code": "race"})
        self.assertEqual(z.status, 201, z)
        r = s.as_("admin", "POST", P, {"cidr": "10.200.0.0/16", "status": "container",
                                       "zone_id": z.json["id"]})
        self.assertEqual(r.status, 201, r)
        cid = r.json["id"]
        tok = s.login("admin")
        lock = threading.Lock()
        api_got, cli_got, bad = {}, {}, []
        t0 = time.monotonic()

        def api():
            for i in range(API_PER_THREAD):
                # both routes: by container and by zone (best fit, here the one container)
                if i % 2:
                    r = s.request("POST", "%s/%d/allocate" % (P, cid),
                                  {"unit_id": 2, "prefix_length": 28}, token=tok)
                else:
                    r = s.request("POST", P + "/allocate",
                                  {"zone_id": z.json["id"], "unit_id": 2, "prefix_length": 28},
                                  token=tok)
                with lock:
                    if r.status == 201:
                        api_got[r.json["id"]] = r.json["cidr"]
                    else:
                        bad.append(("api", r.status, r.raw[:300]))

        def cli():
            for _ in range(CLI_PER_THREAD):
                p = run_cli("prefix", "allocate", str(cid), "--unit-id", "2", "--prefix-length",
                            "28", db=s.db, check=False)
                with lock:
                    if p.returncode == 0:
                        o = json.loads(p.stdout)
                        cli_got[o["id"]] = o["cidr"]
                    else:
                        bad.append(("cli", p.returncode, p.stderr[-300:]))

        threads = [threading.Thread(target=api) for _ in range(API_THREADS)] + \
                  [threading.Thread(target=cli) for _ in range(CLI_THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        # No 500 (地址池与数据库不一致), nor any other failure, on either side.
        self.assertEqual(bad, [], "%d failed of %d (%.1f s)" % (
            len(bad), API_THREADS * API_PER_THREAD + CLI_THREADS * CLI_PER_THREAD, elapsed))
        self.assertEqual(len(api_got), API_THREADS * API_PER_THREAD)
        self.assertEqual(len(cli_got), CLI_THREADS * CLI_PER_THREAD)
        # Every answered allocation is in the database, as answered, and nothing else is.
        rows = dict(s.sql("SELECT id, cidr FROM prefixes WHERE parent_id = ?", (cid,)))
        answered = dict(api_got)
        answered.update(cli_got)
        self.assertEqual(len(answered), len(api_got) + len(cli_got))  # no id answered twice
        self.assertEqual(rows, answered)
        # No two allocated blocks overlap (first/last are the blocks' bounds, 16-byte blobs).
        overlaps = s.sql(
            "SELECT a.cidr, b.cidr FROM prefixes a JOIN prefixes b ON a.id < b.id"
            " AND a.family = b.family AND a.first <= b.last AND b.first <= a.last"
            " WHERE a.parent_id = ?1 AND b.parent_id = ?1", (cid,))
        self.assertEqual(overlaps, [])
        nets = [ipaddress.ip_network(c) for c in rows.values()]
        self.assertTrue(all(n.prefixlen == 28 and n.subnet_of(ipaddress.ip_network("10.200.0.0/16"))
                            for n in nets))
        # The container's figures agree with its children.
        used = s.sql("SELECT used FROM prefixes WHERE id = ?", (cid,))[0][0]
        self.assertEqual(used, str(16 * len(rows)))
        run_cli("prefix", "verify", db=s.db)
        run_cli("audit", "verify", db=s.db)


class IpamOtherWriter(ServerTest):
    def test_a_write_that_leaves_the_container_alone_is_seen(self):
        """Another connection's commit that does not move the container's rev (an operator's
        sqlite3 session, a restore) still makes the server rebuild the pool (data_version)."""
        s = self.srv
        r = s.as_("admin", "POST", P, {"cidr": "10.201.0.0/24", "status": "container"})
        self.assertEqual(r.status, 201, r)
        cid = r.json["id"]
        a = s.as_("admin", "POST", "%s/%d/allocate" % (P, cid), {"unit_id": 2, "prefix_length": 28})
        self.assertEqual(a.json["cidr"], "10.201.0.0/28", a)
        rev = s.sql("SELECT rev FROM prefixes WHERE id = ?", (cid,))
        con = sqlite3.connect(s.db)
        with con:
            first = bytes(12) + ipaddress.ip_address("10.201.0.16").packed
            last = bytes(12) + ipaddress.ip_address("10.201.0.31").packed
            con.execute("INSERT INTO prefixes (cidr, family, length, first, last, parent_id, status,"
                        " unit_id, size, created_at, updated_at) VALUES ('10.201.0.16/28', 4, 28,"
                        " ?, ?, ?, 'active', 2, '16', 0, 0)", (first, last, cid))
        con.close()
        self.assertEqual(s.sql("SELECT rev FROM prefixes WHERE id = ?", (cid,)), rev)
        b = s.as_("admin", "POST", "%s/%d/allocate" % (P, cid), {"unit_id": 2, "prefix_length": 28})
        self.assertEqual(b.status, 201, b)
        self.assertEqual(b.json["cidr"], "10.201.0.32/28")


class CliWaitsForTheServer(ServerTest):
    """A CLI write while another process holds the write lock (a long API transaction) waits
    for it, saying so, instead of failing with "database is locked" after SQLite's 10 s."""

    def hold(self, seconds):
        """Hold a write transaction on the database for seconds, from another process's
        connection (this one's); returns the thread, started once the lock is held."""
        held = threading.Event()

        def run():
            con = sqlite3.connect(self.srv.db, isolation_level=None)
            try:
                con.execute("BEGIN IMMEDIATE")
                held.set()
                time.sleep(seconds)
                con.execute("ROLLBACK")
            finally:
                con.close()

        t = threading.Thread(target=run)
        t.start()
        self.assertTrue(held.wait(10))
        return t

    def test_a_cli_write_waits_for_a_held_lock(self):
        t = self.hold(3)
        t0 = time.monotonic()
        p = run_cli("zone", "add", "--name", "等待区", "--code", "waiting", db=self.srv.db, check=False)
        elapsed = time.monotonic() - t0
        t.join()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("数据库正被服务占用，等待中", p.stderr)
        self.assertEqual(p.stderr.count("等待中"), 1, p.stderr)
        self.assertGreater(elapsed, 2.0)
        self.assertEqual(json.loads(p.stdout)["code"], "waiting")
        self.assertEqual(self.srv.sql("SELECT count(*) FROM zones WHERE code = 'waiting'"), [(1,)])

    def test_a_cli_write_gives_up_after_its_bound(self):
        # (zones and audit, not counts(): the scheduler's daily step may write meta and
        # outbox at any time of a slow sanitizer build's start)
        def written():
            return self.srv.sql("SELECT (SELECT count(*) FROM zones), (SELECT count(*) FROM audit)")

        before = written()
        t = self.hold(5)
        t0 = time.monotonic()
        p = run_cli("zone", "add", "--name", "放弃区", "--code", "gave-up", "--lock-wait", "2",
                    db=self.srv.db, check=False)
        elapsed = time.monotonic() - t0
        t.join()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("数据库正被服务占用，等待中", p.stderr)
        self.assertIn("写锁", p.stderr)
        self.assertIn("已等待 2 秒", p.stderr)
        self.assertNotIn("database is locked", p.stderr)
        self.assertLess(elapsed, 4.5)
        self.assertEqual(written(), before)
