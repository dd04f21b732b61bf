"""The audit log: list filters, the verify endpoint, and `zwnet audit verify` naming the first bad
entry after the database was tampered with (edit, delete, swap, cut the tail, drop triggers)."""
import os
import pwd
import shutil
import sqlite3
import tempfile
import unittest
import urllib.parse

from harness import Server, ServerTest, approve_access, run_cli
from test_lists import csv_rows, xlsx_rows

CLI_ACTOR = "cli:" + pwd.getpwuid(os.getuid()).pw_name
PAST = "2001-01-15T08:00:00Z"  # a CLI change made at a pinned time (ZWNET_NOW)


def qs(**params):
    return "?" + urllib.parse.urlencode(params)


def make_changes(srv):
    """Some API and CLI changes; returns {label: audit id}."""
    tok = srv.login("admin")
    ids = {}

    def last():
        return srv.sql("SELECT max(id) FROM audit")[0][0]

    r = srv.request("POST", "/api/v1/units", {"name": "审计测试单位", "type": "其他", "level": "县直",
                                              "address": "旧地址"}, token=tok,
                    headers={"X-Request-Id": "audit-test-create-0001"})
    assert r.status == 201, r
    uid = r.json["id"]
    ids["unit.create"] = last()
    r = srv.request("PATCH", "/api/v1/units/%d" % uid, {"address": "新地址"}, token=tok)
    assert r.status == 200, r
    ids["unit.update"] = last()
    approve_access(srv, uid)
    r = srv.request("POST", "/api/v1/units/%d/status" % uid, {"status": "已接入"}, token=tok)
    assert r.status == 200, r
    ids["unit.status"] = last()
    r = srv.request("POST", "/api/v1/units/%d/contacts" % uid,
                    {"role": "网络管理员", "name": "审计员甲", "mobile": "13800000000"}, token=tok)
    assert r.status == 201, r
    ids["contact.create"] = last()
    run_cli("unit", "add", "--name", "命令行审计单位", "--type", "其他", "--level", "乡镇", db=srv.db,
            env={"ZWNET_NOW": PAST})
    ids["cli.create"] = last()
    run_cli("unit", "set", str(uid), "--note", "命令行备注", db=srv.db)
    ids["cli.update"] = last()
    r = srv.as_("ops", "GET", "/api/v1/units/%d" % uid)  # ops logs in: session.login
    assert r.status == 200, r
    ids["ops.login"] = last()
    return uid, ids


class AuditApi(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uid, cls.ids = make_changes(cls.srv)

    def api(self, path, user="admin"):
        r = self.srv.as_(user, "GET", path)
        self.assertEqual(r.status, 200, r)
        return r.json

    def walk(self, **params):
        items, cursor = [], None
        while True:
            p = dict(params)
            if cursor:
                p["cursor"] = cursor
            page = self.api("/api/v1/audit" + qs(**p))
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return items

    def test_verify_ok_on_clean_database(self):
        for user in ("admin", "auditor", "inspector"):
            self.srv.login(user)
        n = self.srv.counts()["audit"]
        v = self.api("/api/v1/audit/verify")
        self.assertEqual(v, {"ok": True, "entries": n, "first_bad_id": None, "reason": None})
        self.assertTrue(self.api("/api/v1/audit/verify", "auditor")["ok"])
        self.assertTrue(self.api("/api/v1/audit/verify", "inspector")["ok"])
        for user in ("ops", "carrier", "unit"):
            self.assertError(self.srv.as_(user, "GET", "/api/v1/audit/verify"), 403)
            self.assertError(self.srv.as_(user, "GET", "/api/v1/audit"), 403)
        p = run_cli("audit", "verify", db=self.srv.db)
        self.assertIn("审计日志完整", p.stdout)

    def test_walk_all_pages(self):
        items = self.walk(limit="37")
        ids = [e["id"] for e in items]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(set(ids), {i for (i,) in self.srv.sql("SELECT id FROM audit WHERE id <= ?", (ids[0],))})
        asc = self.walk(limit="100", sort="id")
        self.assertEqual([e["id"] for e in asc][:len(ids)], sorted(ids))
        # Each entry chains to the one before it.
        by_id = {e["id"]: e for e in asc}
        for i in range(2, max(by_id) + 1):
            self.assertEqual(by_id[i]["prev_hash"], by_id[i - 1]["hash"], i)
        self.assertEqual(by_id[1]["prev_hash"], "0" * 64)
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/audit?sort=at"), 400, field="sort")

    def test_entry_shape(self):
        e = self.api("/api/v1/audit" + qs(object_type="unit", object_id=str(self.uid), sort="id"))["items"][0]
        self.assertEqual(e["id"], self.ids["unit.create"])
        self.assertEqual((e["action"], e["actor"], e["role"], e["source"], e["request_id"]),
                         ("unit.create", "admin", "manager", "127.0.0.1", "audit-test-create-0001"))
        self.assertEqual(e["unit_id"], self.uid)
        # the unit by its name as it is now, for readers who may not read the units themselves
        self.assertEqual(e["unit_name"], self.srv.sql("SELECT name FROM units WHERE id = ?", (self.uid,))[0][0])
        self.assertIsNone(e["before"])
        self.assertEqual(e["after"]["address"], "旧地址")
        self.assertEqual(e["clause"], "TB-13")
        self.assertRegex(e["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertRegex(e["hash"], r"^[0-9a-f]{64}$")

    def test_entries_as_people_read_them(self):
        """Object, verb and role by their names: the verb of a workflow step is the word of its
        button (offered as such on the application), the registry's writes 登记/修改."""
        mine = self.walk(object_type="unit", object_id=str(self.uid), sort="id")
        self.assertEqual([(e["object_label"], e["action_label"]) for e in mine],
                         [("单位", "登记"), ("单位", "修改"), ("单位", "变更状态"), ("单位", "修改")])
        user = [f for f in self.api("/api/v1/schemas")["user"]["fields"] if f["name"] == "role"][0]
        self.assertEqual(mine[0]["role_label"], user["labels"][user["values"].index("manager")])
        apps = self.walk(object_type="application", action="application.approve", limit="5")
        self.assertTrue(apps)
        # the label the workflow offers for the step it took, from the docs' table of it
        rows = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "WORKFLOWS.md"),
                    encoding="utf-8").read()
        self.assertIn("| approve | 批准 |", rows.replace("`", ""))
        self.assertEqual({e["action_label"] for e in apps}, {"批准"})
        # every object type the log names is in /schemas' vocabulary, with a Chinese name
        names = {o["name"]: o["label"] for o in self.api("/api/v1/schemas")["audit_objects"]}
        for (t,) in self.srv.sql("SELECT DISTINCT object_type FROM audit"):
            self.assertIn(t, names)
            self.assertRegex(names[t], "[\u4e00-\u9fff]")
        # no entry is left without a name for its verb
        for e in self.walk(limit="500"):
            self.assertNotEqual(e["action_label"], e["action"], e)

    def test_total_and_export_of_the_view(self):
        q = qs(object_type="unit", object_id=str(self.uid), limit="2")
        page = self.api("/api/v1/audit" + q)
        self.assertEqual(page["total"], self.srv.sql(
            "SELECT count(*) FROM audit WHERE object_type = 'unit' AND object_id = ?", (str(self.uid),))[0][0])
        self.assertEqual(len(page["items"]), 2)
        r = self.srv.as_("admin", "GET", "/api/v1/audit" + qs(object_type="unit", object_id=str(self.uid),
                                                                 sort="id", format="csv"))
        self.assertEqual(r.status, 200, r)
        rows = csv_rows(r.raw)
        self.assertEqual(rows[0][:7], ["编号", "时间", "操作人", "角色", "对象", "对象编号", "操作"])
        mine = self.walk(object_type="unit", object_id=str(self.uid), sort="id")
        self.assertEqual([int(x[0]) for x in rows[1:]], [e["id"] for e in mine])  # every page, in order
        name = self.srv.sql("SELECT name FROM units WHERE id = ?", (self.uid,))[0][0]
        first = dict(zip(rows[0], rows[1]))
        self.assertEqual((first["对象"], first["操作"], first["单位"], first["依据"]), ("单位", "登记", name, "TB-13"))
        self.assertNotIn("T", first["时间"])  # Beijing time as people write it, not RFC 3339
        self.assertIn("旧地址", first["变更后"])
        x = self.srv.as_("admin", "GET", "/api/v1/audit" + qs(object_type="unit", object_id=str(self.uid),
                                                                 sort="id", format="xlsx"))
        self.assertEqual(x.status, 200, x)
        self.assertEqual(xlsx_rows(x.raw), rows)
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/audit?format=pdf"), 400, field="format")
        self.assertError(self.srv.as_("ops", "GET", "/api/v1/audit?format=csv"), 403)

    def test_filter_actor(self):
        items = self.walk(actor="admin", limit="100")
        self.assertTrue(items)
        self.assertTrue(all(e["actor"] == "admin" for e in items))
        self.assertEqual(len(items), self.srv.sql("SELECT count(*) FROM audit WHERE actor='admin'")[0][0])
        cli = self.walk(actor=CLI_ACTOR, limit="500")
        self.assertTrue(all(e["actor"] == CLI_ACTOR and e["role"] == "system" and e["source"] == "cli"
                            for e in cli))
        self.assertIn(self.ids["cli.create"], [e["id"] for e in cli])
        self.assertIn(self.ids["cli.update"], [e["id"] for e in cli])
        self.assertNotIn(self.ids["unit.update"], [e["id"] for e in cli])
        ops = self.walk(actor="ops")
        self.assertIn(self.ids["ops.login"], [e["id"] for e in ops])
        self.assertEqual(self.walk(actor="nobody"), [])

    def test_filter_object(self):
        units = self.walk(object_type="unit", limit="500")
        self.assertTrue(all(e["object_type"] == "unit" for e in units))
        self.assertEqual(len(units), self.srv.sql("SELECT count(*) FROM audit WHERE object_type='unit'")[0][0])
        mine = self.walk(object_type="unit", object_id=str(self.uid), sort="id")
        self.assertEqual([e["action"] for e in mine], ["unit.create", "unit.update", "unit.status", "unit.update"])
        self.assertEqual([e["id"] for e in mine],
                         [self.ids[k] for k in ("unit.create", "unit.update", "unit.status", "cli.update")])
        self.assertEqual((mine[1]["before"]["address"], mine[1]["after"]["address"]), ("旧地址", "新地址"))
        self.assertEqual((mine[2]["before"]["status"], mine[2]["after"]["status"], mine[2]["clause"]),
                         ("申请中", "已接入", "TB-13"))
        self.assertEqual(mine[3]["actor"], CLI_ACTOR)
        self.assertEqual(mine[3]["after"]["note"], "命令行备注")
        # unit_id gathers the unit and what belongs to it.
        by_unit = self.walk(unit_id=str(self.uid), sort="id")
        self.assertEqual([e["action"] for e in by_unit],
                         ["unit.create", "unit.update",
                          # the access application that allows the connection (TB-13)
                          "application.submit", "deadline.start", "deadline.met",
                          "deadline.start", "application.approve",
                          "unit.status", "contact.create", "unit.update"])
        self.assertEqual(self.walk(object_type="unit", object_id="999999"), [])
        self.assertEqual(self.walk(object_type="nothing"), [])

    def test_filter_time(self):
        day = self.walk(**{"from": "2001-01-15T00:00:00Z", "to": "2001-01-15T23:59:59Z"})
        self.assertEqual([e["id"] for e in day], [self.ids["cli.create"]])
        self.assertEqual(day[0]["at"], PAST)
        self.assertEqual(day[0]["actor"], CLI_ACTOR)
        # Dates and offsets work as bounds too.
        self.assertEqual([e["id"] for e in self.walk(**{"from": "2001-01-15", "to": "2001-01-16"})],
                         [self.ids["cli.create"]])
        self.assertEqual([e["id"] for e in self.walk(**{"from": "2001-01-15T16:00:00+08:00",
                                                         "to": "2001-01-15T16:00:00+08:00"})],
                         [self.ids["cli.create"]])
        self.assertEqual([e["id"] for e in self.walk(**{"from": "2001-01-15T08:00:01Z",
                                                         "to": "2001-01-15T23:00:00Z"})], [])
        self.assertEqual(self.walk(to="2001-01-14T23:59:59Z"), [])
        # Everything else happened after the pinned day.
        total = self.srv.sql("SELECT count(*) FROM audit")[0][0]
        later = self.walk(limit="500", **{"from": "2001-01-16T00:00:00Z"})
        self.assertEqual(len(later), total - 1)
        self.assertNotIn(self.ids["cli.create"], [e["id"] for e in later])
        # Combined with another filter.
        self.assertEqual(self.walk(actor="admin", **{"to": "2001-01-16T00:00:00Z"}), [])
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/audit?from=yesterday"), 400, field="from")
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/audit?to=2026-13-01"), 400, field="to")
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/audit?since=2026-01-01"), 400, field="since")


class AuditVerifyLive(ServerTest):
    """The running server's verify endpoint sees a row edited behind its back."""

    def test_append_only_and_tamper_detected(self):
        uid, ids = make_changes(self.srv)
        con = sqlite3.connect(self.srv.db)
        try:
            with self.assertRaises(sqlite3.DatabaseError):
                con.execute("UPDATE audit SET actor='x' WHERE id=1")
            con.rollback()
            with self.assertRaises(sqlite3.DatabaseError):
                con.execute("DELETE FROM audit WHERE id=1")
            con.rollback()
        finally:
            con.close()
        self.assertTrue(self.srv.as_("admin", "GET", "/api/v1/audit/verify").json["ok"])
        k = ids["unit.update"]
        tamper(self.srv.db, lambda c: c.execute(
            "UPDATE audit SET after=replace(after, '新地址', '别处') WHERE id=?", (k,)))
        v = self.srv.as_("admin", "GET", "/api/v1/audit/verify").json
        self.assertEqual((v["ok"], v["first_bad_id"]), (False, k), v)
        self.assertIn("第 %d 条" % k, v["reason"])
        # The API shows the edited text: the chain is what tells.
        e = self.srv.as_("admin", "GET", "/api/v1/audit" + qs(object_type="unit", object_id=str(uid),
                                                              sort="id")).json["items"][1]
        self.assertEqual(e["after"]["address"], "别处")


def tamper(db, fn, keep_triggers_dropped=False):
    """Drop the append-only triggers, apply fn(connection), put the triggers back."""
    con = sqlite3.connect(db)
    try:
        trig = con.execute("SELECT name, sql FROM sqlite_schema WHERE type='trigger' AND tbl_name='audit'").fetchall()
        assert len(trig) == 2, trig
        for name, _ in trig:
            con.execute("DROP TRIGGER %s" % name)
        fn(con)
        if not keep_triggers_dropped:
            for _, sql in trig:
                con.execute(sql)
        con.commit()
    finally:
        con.close()


class AuditTamper(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server("tongbai", name="AuditTamper")
        cls.tmp = tempfile.mkdtemp(prefix="zwnet-tamper-")
        try:
            cls.uid, cls.ids = make_changes(cls.srv)
            assert cls.srv.stop() == 0
            cls.pristine = os.path.join(cls.tmp, "pristine.db")
            src, dst = sqlite3.connect(cls.srv.db), sqlite3.connect(cls.pristine)
            src.backup(dst)
            src.close()
            dst.close()
            cls.n = sqlite3.connect(cls.pristine).execute("SELECT count(*) FROM audit").fetchone()[0]
        except Exception:
            cls.srv.close()
            raise

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        cls.srv.close()

    def copy(self, name):
        path = os.path.join(self.tmp, name + ".db")
        shutil.copy(self.pristine, path)
        return path

    def assertBad(self, db, first_bad, reason_word=None):
        p = run_cli("audit", "verify", db=db, check=False)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        out = p.stdout + p.stderr
        self.assertIn("首个异常记录为第 %d 条" % first_bad, out)
        self.assertNotIn("审计日志完整", out)
        if reason_word:
            self.assertIn(reason_word, out)
        return out

    def test_untouched_database_verifies(self):
        self.assertGreater(self.n, 290)
        self.assertEqual(max(self.ids.values()), self.n)
        p = run_cli("audit", "verify", db=self.copy("clean"))
        self.assertIn("共 %d 条" % self.n, p.stdout)
        # The server's own file after a clean stop, too.
        p = run_cli("audit", "verify", db=self.srv.db)
        self.assertIn("共 %d 条" % self.n, p.stdout)

    def test_edited_row(self):
        k = self.ids["unit.update"]
        db = self.copy("edited")
        tamper(db, lambda c: c.execute("UPDATE audit SET after=replace(after, '新地址', '别处') WHERE id=?", (k,)))
        self.assertBad(db, k, "被修改")
        # Any one column counts: the actor of the CLI entry, the clause of the status entry.
        for col, val, key in (("actor", "admin", "cli.update"), ("clause", "TB-9", "unit.status"),
                              ("at", 1, "unit.create"), ("request_id", "forged-req-0001", "contact.create")):
            db = self.copy("edited-" + col)
            k = self.ids[key]
            tamper(db, lambda c: c.execute("UPDATE audit SET %s=? WHERE id=?" % col, (val, k)))
            self.assertBad(db, k)

    def test_deleted_middle_row(self):
        k = self.ids["unit.status"]
        db = self.copy("deleted")
        tamper(db, lambda c: c.execute("DELETE FROM audit WHERE id=?", (k,)))
        self.assertBad(db, k, "删除")
        # Deleting an early demo entry is found the same way.
        db = self.copy("deleted-early")
        tamper(db, lambda c: c.execute("DELETE FROM audit WHERE id=5"))
        self.assertBad(db, 5)

    def test_swapped_rows(self):
        i, j = self.ids["unit.update"], self.ids["contact.create"]
        self.assertLess(i + 1, j)
        db = self.copy("swapped")
        cols = [r[1] for r in sqlite3.connect(db).execute("PRAGMA table_info(audit)") if r[1] != "id"]

        def swap(c):
            a = c.execute("SELECT %s FROM audit WHERE id=?" % ",".join(cols), (i,)).fetchone()
            b = c.execute("SELECT %s FROM audit WHERE id=?" % ",".join(cols), (j,)).fetchone()
            sets = ",".join("%s=?" % col for col in cols)
            c.execute("UPDATE audit SET %s WHERE id=?" % sets, b + (i,))
            c.execute("UPDATE audit SET %s WHERE id=?" % sets, a + (j,))
        tamper(db, swap)
        self.assertBad(db, i)
        # Neighbours too.
        db = self.copy("swapped-adjacent")
        i, j = self.ids["unit.create"], self.ids["unit.create"] + 1

        def swap2(c):
            a = c.execute("SELECT %s FROM audit WHERE id=?" % ",".join(cols), (i,)).fetchone()
            b = c.execute("SELECT %s FROM audit WHERE id=?" % ",".join(cols), (j,)).fetchone()
            sets = ",".join("%s=?" % col for col in cols)
            c.execute("UPDATE audit SET %s WHERE id=?" % sets, b + (i,))
            c.execute("UPDATE audit SET %s WHERE id=?" % sets, a + (j,))
        tamper(db, swap2)
        self.assertBad(db, i)

    def test_deleted_last_row(self):
        db = self.copy("cut")
        tamper(db, lambda c: c.execute("DELETE FROM audit WHERE id=?", (self.n,)))
        out = self.assertBad(db, self.n)
        self.assertIn("末尾", out)
        # Cutting the last three is found at the first one cut.
        db = self.copy("cut3")
        tamper(db, lambda c: c.execute("DELETE FROM audit WHERE id>?", (self.n - 3,)))
        self.assertBad(db, self.n - 2)

    def test_triggers_dropped(self):
        db = self.copy("notrigger")
        tamper(db, lambda c: None, keep_triggers_dropped=True)
        p = run_cli("audit", "verify", db=db, check=False)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("触发器", p.stderr)
