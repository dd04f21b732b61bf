"""Backups a county can rely on (issue 15 §1): `zwnet backup` while the server writes, the
manifest and its chain head, `zwnet restore` that checks before it replaces, `audit verify
--head`, the key file that must come with the database, the scheduled backup and the daily
notice that carries the chain head."""
import glob
import json
import os
import shutil
import subprocess
import sqlite3
import tempfile
import threading
import time
import unittest

from harness import PASSWORD, Server, ServerTest, run_cli


def rows(db, sql):
    """Query a database file and close it (an open connection keeps its -wal beside it)."""
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def unit_names(db):
    return {n for (n,) in rows(db, "SELECT name FROM units")}


def manifests(d):
    """The sets of a folder, oldest first (a second set of one second is named ...-2)."""
    return sorted(glob.glob(os.path.join(d, "zwnet-*.json")), key=lambda m: m[:-5])


class BackupWhileWriting(ServerTest):
    """Units are created over HTTP without pause while backups are taken; each backup holds
    every unit whose creation was answered before the backup began."""

    def test_every_acknowledged_write_is_in_the_backup_taken_after_it(self):
        tok = self.srv.login("admin")
        acked = []  # (monotonic time of the answer, unit id)
        stop = threading.Event()
        errors = []

        def writer(k):
            i = 0
            while not stop.is_set():
                i += 1
                r = self.srv.request("POST", "/api/v1/units",
                                     {"name": "备份测试单位%d-%d" % (k, i), "type": "其他", "level": "县直"},
                                     token=tok)
                if r.status != 201:
                    errors.append(r)
                    return
                acked.append((time.monotonic(), r.json["id"]))

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        d = tempfile.mkdtemp(prefix="zwnet-bk-")
        taken = []
        try:
            time.sleep(0.5)
            for _ in range(3):
                began = time.monotonic()
                p = run_cli("backup", "--to", d, "--keep", "0", db=self.srv.db)
                self.assertIn("备份完成", p.stdout)
                m = p.stdout.split("清单：", 1)[1].split("\n", 1)[0]
                self.assertEqual(m, manifests(d)[-1])
                taken.append((began, m))
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(manifests(d)), 3)
        for began, m in taken:
            man = json.load(open(m))
            db = os.path.join(d, man["database"]["file"])
            have = {i for (i,) in rows(db, "SELECT id FROM units")}
            before = {i for (t, i) in acked if t < began}
            self.assertTrue(before, "writes were answered before the backup")
            self.assertEqual(before - have, set(), m)
            self.assertEqual(man["counts"]["units"], len(have))
            # the manifest's head is the copy's newest audit entry
            last = rows(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")[0]
            self.assertEqual((man["audit_head"]["id"], man["audit_head"]["hash"]), last)
            self.assertEqual(oct(os.stat(db).st_mode & 0o777), "0o600")
            p = run_cli("restore", m, "--check")
            self.assertIn("备份可用", p.stdout)
        shutil.rmtree(d)


class Restore(unittest.TestCase):
    """A backup is checked before it is used, and restoring brings back the database, its key
    and its secrets; an older copy cannot pass for one that holds a later head."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(name="Restore")
        cls.dir = tempfile.mkdtemp(prefix="zwnet-restore-")
        r = cls.srv.as_("admin", "POST", "/api/v1/devices",
                        {"name": "核心交换机", "kind": "交换机", "owner": "信息中心", "snmp_version": "v2c",
                         "snmp_community": "county-secret"})
        assert r.status == 201, r
        cls.device = r.json["id"]
        run_cli("backup", "--to", cls.dir, db=cls.srv.db)
        cls.first = manifests(cls.dir)[-1]
        r = cls.srv.as_("admin", "POST", "/api/v1/units", {"name": "备份之后的单位", "type": "其他", "level": "县直"})
        assert r.status == 201, r
        time.sleep(1.1)  # a new second: a new name
        run_cli("backup", "--to", cls.dir, db=cls.srv.db)
        cls.second = manifests(cls.dir)[-1]

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def copy_set(self, m):
        d = tempfile.mkdtemp(prefix="zwnet-set-")
        man = json.load(open(m))
        for f in (man["database"]["file"], man["key"]["file"], os.path.basename(m)):
            shutil.copy(os.path.join(os.path.dirname(m), f), d)
        return d, os.path.join(d, os.path.basename(m)), man

    def test_restore_brings_back_database_key_and_secrets(self):
        d = tempfile.mkdtemp(prefix="zwnet-into-")
        db = os.path.join(d, "zwnet.db")
        p = run_cli("restore", self.second, db=db)
        self.assertIn("已恢复到", p.stdout)
        self.assertTrue(os.path.exists(db + ".key"))
        self.assertEqual(oct(os.stat(db + ".key").st_mode & 0o777), "0o600")
        run_cli("audit", "verify", "--manifest", self.second, db=db)
        names = unit_names(db)
        self.assertIn("备份之后的单位", names)
        # the restored server opens its sealed secrets with the restored key
        srv = Server(name="Restored", db=db)
        try:
            r = srv.as_("admin", "GET", "/api/v1/devices/%d" % self.device)
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.json["snmp_secrets_set"])
        finally:
            srv.close()

    def test_restore_over_an_existing_database_needs_force_and_keeps_it(self):
        d = tempfile.mkdtemp(prefix="zwnet-into-")
        db = os.path.join(d, "zwnet.db")
        run_cli("restore", self.first, db=db)
        p = run_cli("restore", self.second, db=db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("已存在", p.stderr)
        self.assertNotIn("备份之后的单位", unit_names(db))
        p = run_cli("restore", self.second, "--force", db=db)
        kept = glob.glob(db + ".before-restore-*")
        self.assertEqual(len([k for k in kept if not k.endswith(".key")]), 1, kept)
        self.assertIn("备份之后的单位", unit_names(db))
        shutil.rmtree(d)

    def test_a_damaged_or_incomplete_backup_is_refused_naming_what(self):
        cases = []
        d, m, man = self.copy_set(self.second)
        with open(os.path.join(d, man["database"]["file"]), "r+b") as f:
            f.seek(5000)
            f.write(b"\xff\xfe")
        cases.append((m, "与清单不符"))
        d, m, man = self.copy_set(self.second)
        os.unlink(os.path.join(d, man["key"]["file"]))
        cases.append((m, "缺失"))
        # a manifest that claims a later head than its database holds
        d, m, man = self.copy_set(self.first)
        man["audit_head"] = json.load(open(self.second))["audit_head"]
        json.dump(man, open(m, "w"))
        cases.append((m, "审计日志"))
        for m, said in cases:
            into = os.path.join(tempfile.mkdtemp(), "zwnet.db")
            p = run_cli("restore", m, db=into, check=False)
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn(said, p.stderr)
            self.assertFalse(os.path.exists(into), "a refused restore leaves nothing")
            self.assertEqual(glob.glob(into + "*"), [])

    def test_an_older_copy_does_not_hold_a_later_head(self):
        first_db = os.path.join(os.path.dirname(self.first), json.load(open(self.first))["database"]["file"])
        work = tempfile.mkdtemp()
        db = os.path.join(work, "copy.db")
        shutil.copy(first_db, db)
        shutil.copy(first_db + ".key", db + ".key")
        head = json.load(open(self.second))["audit_head"]
        # the chain of the older copy is intact ...
        p = run_cli("audit", "verify", db=db)
        self.assertIn("哈希链校验通过", p.stdout)
        # ... but it lacks the head recorded later
        p = run_cli("audit", "verify", "--head", "%d:%s" % (head["id"], head["hash"]), db=db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("不含已知的链头", p.stderr)
        p = run_cli("audit", "verify", "--manifest", self.second, db=db, check=False)
        self.assertEqual(p.returncode, 1)
        # the head it does hold
        h1 = json.load(open(self.first))["audit_head"]
        p = run_cli("audit", "verify", "--head", "%d:%s" % (h1["id"], h1["hash"]), db=db)
        self.assertIn("包含已知链头", p.stdout)
        p = run_cli("audit", "verify", "--head", "%d:%s" % (h1["id"] - 1, h1["hash"]), db=db, check=False)
        self.assertEqual(p.returncode, 1)
        p = run_cli("audit", "verify", "--head", "xyz", db=db, check=False)
        self.assertEqual(p.returncode, 2)

    def test_without_its_key_file_the_database_is_refused_naming_the_file(self):
        d = tempfile.mkdtemp(prefix="zwnet-nokey-")
        db = os.path.join(d, "zwnet.db")
        run_cli("restore", self.second, db=db)
        os.unlink(db + ".key")
        p = run_cli("serve", "--listen", "127.0.0.1:1", db=db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(db + ".key", p.stderr)
        self.assertIn("不存在", p.stderr)
        self.assertFalse(os.path.exists(db + ".key"), "no new key was made")
        # another key does not open them either
        with open(db + ".key", "wb") as f:
            f.write(os.urandom(32))
        os.chmod(db + ".key", 0o600)
        p = run_cli("unit", "list", db=db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("不是这个数据库的密钥", p.stderr)
        shutil.rmtree(d)

    def test_a_database_without_sealed_secrets_gets_a_key(self):
        d = tempfile.mkdtemp()
        db = os.path.join(d, "zwnet.db")
        run_cli("user", "add", "admin", "--role", "manager", db=db)
        os.unlink(db + ".key")
        run_cli("unit", "list", db=db)
        self.assertTrue(os.path.exists(db + ".key"))
        shutil.rmtree(d)

    def test_keep_removes_the_oldest_sets(self):
        d = tempfile.mkdtemp()
        for i in range(3):
            run_cli("backup", "--to", d, "--keep", "2", db=self.srv.db)
            time.sleep(1.05)
        left = manifests(d)
        self.assertEqual(len(left), 2)
        self.assertEqual(len(os.listdir(d)), 6, os.listdir(d))  # db, key, manifest each
        p = run_cli("backup", db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--to", p.stderr)
        shutil.rmtree(d)


class ScheduledBackup(ServerTest):
    """The server takes the day's backup at backup_time and tells the managers the audit
    chain's head in the daily notice, once a day across restarts."""

    @classmethod
    def setUpClass(cls):
        cls.bdir = tempfile.mkdtemp(prefix="zwnet-sched-")
        cls.extra = ("--scheduler-interval", "1", "--backup-dir", cls.bdir, "--backup-time",
                     "00:00", "--backup-keep", "3")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.bdir, ignore_errors=True)

    def notices(self):
        return self.srv.sql(
            "SELECT i.title, i.body FROM inbox i JOIN users u ON u.id = i.user_id"
            " WHERE u.username = 'admin' AND i.title LIKE '每日运行报告%'")

    def test_daily_backup_and_notice_with_the_chain_head(self):
        self.assertTrue(self.wait_for(lambda: self.notices(), 30), self.srv.output())
        self.assertEqual(len(manifests(self.bdir)), 1)
        man = json.load(open(manifests(self.bdir)[0]))
        title, body = self.notices()[0]
        self.assertIn("今日备份已完成", body)
        # the head the notice gives proves the live database
        head = body.split("--head ", 1)[1].split("可证明")[0].strip()
        p = run_cli("audit", "verify", "--head", head, db=self.srv.db)
        self.assertIn("包含已知链头", p.stdout)
        self.assertLessEqual(man["audit_head"]["id"], int(head.split(":")[0]))
        # once a day: steps and a restart raise no second one
        self.srv.restart()
        time.sleep(3)
        self.assertEqual(len(self.notices()), 1)
        self.assertEqual(len(manifests(self.bdir)), 1)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM outbox WHERE kind = 'ops.daily'")[0][0], 1)


class ScheduledBackupAfterTheTimer(unittest.TestCase):
    """A set of today's in the folder already (the package's zwnet-backup.timer took it) is
    the day's backup: the server tells it and takes no second one."""

    def test_todays_set_is_told_not_taken_again(self):
        bdir = tempfile.mkdtemp(prefix="zwnet-timer-")
        srv = Server(name="SchedTimer", extra=("--scheduler-interval", "0"))
        try:
            run_cli("backup", "--to", bdir, db=srv.db)
            srv.stop()
            srv.extra = ["--scheduler-interval", "1", "--backup-dir", bdir, "--backup-time", "00:00"]
            srv._spawn()
            notice = lambda: srv.sql("SELECT i.body FROM inbox i JOIN users u ON u.id = i.user_id"
                                     " WHERE u.username = 'admin' AND i.title LIKE '每日运行报告%'")
            self.assertTrue(ServerTest.wait_for(notice, 30), srv.output())
            self.assertIn(manifests(bdir)[0], notice()[0][0])
            self.assertEqual(len(manifests(bdir)), 1)
        finally:
            srv.close()
            shutil.rmtree(bdir, ignore_errors=True)


class DiskLow(ServerTest):
    """Below disk_min_free, /health says degraded and the managers are told once."""

    extra = ("--scheduler-interval", "1", "--disk-min-free", str(1 << 29))

    def test_health_degraded_and_managers_told_once(self):
        r = self.srv.request("GET", "/api/v1/health")
        self.assertEqual(r.json["status"], "degraded")
        r = self.srv.as_("admin", "GET", "/api/v1/health")
        self.assertIn("disk_low", [w["code"] for w in r.json["warnings"]])
        told = lambda: self.srv.sql("SELECT count(*) FROM outbox WHERE kind = 'ops.disk_low'")[0][0]
        self.assertTrue(self.wait_for(told, 20))
        time.sleep(2.5)
        self.assertEqual(told(), 1)
        self.assertTrue(self.wait_for(lambda: self.srv.sql(
            "SELECT 1 FROM inbox i JOIN users u ON u.id = i.user_id WHERE u.username = 'admin'"
            " AND i.title LIKE '磁盘空间不足%'"), 10))


IN_CI = os.environ.get("CI") == "true"


@unittest.skipIf(os.geteuid() != 0 and not IN_CI, "mounting a small tmpfs needs root")
class DiskFull(unittest.TestCase):
    """The database on a small disk of its own (tmpfs) that is then filled: every refused
    write says 磁盘空间不足 with 507, sign-in says why it cannot, /health says degraded,
    nothing half-written stays, and all works again once there is room."""

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise AssertionError("CI=true: mounting a small tmpfs needs root")
        cls.mnt = tempfile.mkdtemp(prefix="zwnet-full-")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", cls.mnt], check=True)
        db = os.path.join(cls.mnt, "zwnet.db")
        run_cli("demo", db=db)
        cls.srv = Server(name="DiskFull", db=db, extra=("--disk-min-free", "8"))

    @classmethod
    def tearDownClass(cls):
        try:
            cls.srv.close()
        finally:
            subprocess.run(["umount", cls.mnt])
            os.rmdir(cls.mnt)

    def fill(self):
        path = os.path.join(self.mnt, "filler")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for size in (1 << 20, 4096, 512):  # to the last bytes a page could use
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError:
                    pass
        finally:
            os.close(fd)
        return path

    def test_full_disk_answers_507_and_recovers(self):
        tok = self.srv.login("admin")
        before = self.srv.counts()
        filler = self.fill()
        try:
            for i in range(3):
                r = self.srv.request("POST", "/api/v1/units",
                                     {"name": "磁盘满时的单位%d" % i, "type": "其他", "level": "县直"}, token=tok)
                self.assertEqual(r.status, 507, r)
                self.assertEqual(r.json["error"]["code"], "insufficient_storage", r)
                self.assertIn("磁盘空间不足", r.json["error"]["message"])
            r = self.srv.request("POST", "/api/v1/session", {"username": "ops", "password": PASSWORD})
            self.assertEqual(r.status, 507, r)
            self.assertIn("磁盘空间不足", r.json["error"]["message"])
            self.assertEqual(self.srv.request("GET", "/api/v1/health").json["status"], "degraded")
            # reading still works
            self.assertEqual(self.srv.request("GET", "/api/v1/units?limit=1", token=tok).status, 200)
        finally:
            os.unlink(filler)
        self.assertEqual(self.srv.counts(), before)
        r = self.srv.request("POST", "/api/v1/units", {"name": "磁盘腾出后的单位", "type": "其他", "level": "县直"},
                             token=tok)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.srv.request("GET", "/api/v1/health").json["status"], "ok")
        run_cli("audit", "verify", db=self.srv.db)


if __name__ == "__main__":
    unittest.main()
