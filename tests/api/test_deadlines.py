"""Deadlines over HTTP and the scheduler that breaches and reminds (TB-13, TB-12).

The workflows that start deadlines come later; these tests seed deadline rows directly,
as the workflows will, and check what the API and the scheduler thread do with them."""

import sqlite3
import time

from harness import ServerTest, run_cli


def now():
    return int(time.time())


class DeadlineTest(ServerTest):
    extra = ("--scheduler-interval", "1", "--reminder-hours", "2")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.srv.sql("SELECT id FROM units WHERE status = '已接入' ORDER BY id")[0][0]

    def seed(self, rule="access_implement", clause="TB-13", basis="working_days", amount=7,
             due_at=None, due_date="2099-01-01", status="running", started_at=None, unit=None):

        con = sqlite3.connect(self.srv.db, timeout=30)
        try:
            cur = con.execute(
                "INSERT INTO deadlines (subject_type, subject_id, unit_id, rule, clause, basis,"
                " amount, started_at, due_at, due_date, status, created_at, updated_at)"
                " VALUES ('application', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (unit or self.unit, rule, clause, basis, amount, started_at or now(),
                 due_at if due_at is not None else now() + 30 * 86400, due_date, status, now(),
                 now()))
            con.commit()
            return cur.lastrowid
        finally:
            con.close()

    def status(self, did):
        return self.srv.sql("SELECT status FROM deadlines WHERE id = ?", (did,))[0][0]


    def events(self, did, kind):
        return self.srv.sql("SELECT kind, clause, unit_id, subject_type FROM outbox WHERE"
                            " json_extract(payload, '$.id') = ? AND kind = ?", (did, kind))

    def inbox_users(self, did):
        return [u for (u,) in self.srv.sql(
            "SELECT u.username FROM inbox i JOIN users u ON u.id = i.user_id JOIN outbox o ON"
            " o.id = i.outbox_id WHERE json_extract(o.payload, '$.id') = ?", (did,))]

    def test_inbox_paging_and_bad_parameters(self):
        for q, field in (("unread=yes", "unread"), ("limit=0", "limit"), ("limit=201", "limit"),
                         ("cursor=abc", "cursor"), ("page=2", None)):
            r = self.srv.as_("admin", "GET", "/api/v1/inbox?" + q)
            self.assertError(r, 400, field)
        r = self.srv.as_("admin", "POST", "/api/v1/inbox/99999999/read")
        self.assertError(r, 404)
        ids = [self.seed(due_at=now() - 30, due_date=None) for _ in range(3)]
        self.assertTrue(self.wait_for(lambda: all(self.inbox_users(d) for d in ids)))
        seen, cursor = [], None
        while True:
            r = self.srv.as_("admin", "GET", "/api/v1/inbox?limit=2"
                             + ("&cursor=" + cursor if cursor else ""))
            self.assertEqual(r.status, 200, r)
            self.assertLessEqual(len(r.json["items"]), 2)
            seen += [m["id"] for m in r.json["items"]]
            cursor = r.json["next_cursor"]
            if not cursor:
                break
        mine = [i for (i,) in self.srv.sql("SELECT i.id FROM inbox i JOIN users u ON"
                                          " u.id = i.user_id WHERE u.username = 'admin'"
                                          " ORDER BY i.id DESC")]
        self.assertEqual(seen, mine)
        self.assertGreaterEqual(len(mine), 3)

    def test_notice_names_a_long_unit_name_whole(self):
        # 100 characters, one ASCII then Chinese (298 bytes): the notice used to copy the name
        # into 256 bytes, cutting its 85th character in two; the inbox row then held bytes
        # that are not UTF-8 and the listing answered it without a title.
        name = "A" + "城关镇人民政府网络安全和信息化领导小组办公室" * 4 + "镇" * 11
        self.assertEqual(len(name), 100)
        r = self.srv.as_("admin", "POST", "/api/v1/units",
                         {"name": name, "type": "其他", "level": "县直"})
        self.assertEqual(r.status, 201, r)
        did = self.seed(due_at=now() - 30, due_date=None, unit=r.json["id"])
        self.assertTrue(self.wait_for(lambda: self.inbox_users(did)), self.srv.output())
        r = self.srv.as_("admin", "GET", "/api/v1/inbox?limit=200")
        self.assertEqual(r.status, 200, r)
        r.raw.decode("utf-8")  # strict: valid UTF-8 throughout
        msg = [m for m in r.json["items"] if m["kind"] == "deadline.breached"
               and m.get("title") and name in m["title"]]
        self.assertTrue(msg, [m.get("title") for m in r.json["items"]])
        self.assertIn(name, msg[0]["body"])

    # ---- the scheduler ----

    def test_scheduler_breaches_once_and_not_again_after_restart(self):
        did = self.seed(due_at=now() - 60, due_date=None)
        self.assertTrue(self.wait_for(lambda: self.status(did) == "breached"),
                        self.srv.output())
        audit = self.srv.sql("SELECT actor, role, clause FROM audit WHERE object_type ="
                             " 'deadline' AND object_id = ? AND action = 'deadline.breach'",
                             (str(did),))
        self.assertEqual(audit, [("system:scheduler", "system", "TB-13")])
        self.assertEqual(self.events(did, "deadline.breached"),
                         [("deadline.breached", "TB-13", self.unit, "application")])
        # The breach reaches the managers' and the unit's admins' inboxes, nobody else's.
        self.assertTrue(self.wait_for(lambda: self.inbox_users(did)), self.srv.output())
        want = {u for (u,) in self.srv.sql(
            "SELECT username FROM users WHERE disabled = 0 AND (role = 'manager' OR"
            " (role = 'unit_admin' AND unit_id = ?))", (self.unit,))}
        self.assertIn("admin", want)
        self.assertEqual(set(self.inbox_users(did)), want)
        self.assertEqual(len(self.inbox_users(did)), len(want))
        name = self.srv.sql("SELECT name FROM units WHERE id = ?", (self.unit,))[0][0]
        r = self.srv.as_("admin", "GET", "/api/v1/inbox?unread=true")
        self.assertEqual(r.status, 200, r)
        msg = [m for m in r.json["items"] if m["kind"] == "deadline.breached"
               and m["subject_type"] == "application" and m["unit_id"] == self.unit]
        self.assertTrue(msg, r)
        self.assertIn("已超期", msg[0]["title"])
        self.assertIn(name, msg[0]["title"])
        self.assertIn("接入实施", msg[0]["body"])
        self.assertIn("TB-13", msg[0]["body"])
        self.assertEqual(msg[0]["clause"], "TB-13")
        unread = r.json["unread"]
        r = self.srv.as_("admin", "POST", "/api/v1/inbox/%d/read" % msg[0]["id"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.srv.as_("admin", "GET", "/api/v1/inbox").json["unread"],
                         unread - 1)
        r = self.srv.as_("ops", "GET", "/api/v1/inbox")
        self.assertNotIn(msg[0]["id"], [m["id"] for m in r.json["items"]])
        r = self.srv.as_("admin", "GET", "/api/v1/deadlines?status=breached")
        self.assertEqual(r.status, 200, r)
        self.assertIn(did, [d["id"] for d in r.json["items"]])
        # A restart does not raise the breach again.
        self.srv.restart()
        time.sleep(2.5)
        self.assertEqual(len(self.events(did, "deadline.breached")), 1)
        self.assertEqual(len(self.inbox_users(did)), len(want))
        self.assertEqual(self.srv.sql("SELECT count(*) FROM audit WHERE object_id = ? AND"
                                      " action = 'deadline.breach'", (str(did),))[0][0], 1)
        # A breached deadline cannot be paused.
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/pause" % did, {"reason": "补"})
        self.assertError(r, 409, "status")

    def test_scheduler_reminds_once_before_an_hours_deadline(self):
        """TB-12's repair times, as the profile gives them: a fault of a 县直 unit reported an
        hour ago is due within the reminder window (2 h here), a 乡镇 fault reported now is
        not. (Fault tickets come later; the rows are seeded as they will start them.)"""
        slas = {s["key"]: s for s in self.srv.as_("admin", "GET", "/api/v1/profile").json["slas"]}
        county, township = slas["county"], slas["township"]
        self.assertEqual((county["name"], county["clauses"][0]), ("县直单位", "TB-12"))
        started = now() - 3600

        def fault(sla, at):
            return self.seed(rule="repair:" + sla["key"], clause=sla["clauses"][0], basis="hours",
                             amount=sla["repair_hours"], started_at=at,
                             due_at=at + sla["repair_hours"] * 3600, due_date=None)
        did = fault(county, started)
        far = fault(township, now())
        self.assertTrue(self.wait_for(lambda: self.events(did, "deadline.reminder")),
                        self.srv.output())
        time.sleep(2.5)
        self.assertEqual(len(self.events(did, "deadline.reminder")), 1)
        self.assertEqual(self.events(far, "deadline.reminder"), [])
        self.assertEqual(self.status(did), "running")
        self.assertNotEqual(
            self.srv.sql("SELECT reminded_at FROM deadlines WHERE id = ?", (did,))[0][0], 0)

    # ---- pausing and resuming (TB-13: a unit not ready may be given more time) ----

    def test_pause_and_resume(self):
        did = self.seed()
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/pause" % did,
                         {"reason": "使用单位机房尚未具备接入条件"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "paused")
        self.assertEqual(self.srv.sql("SELECT reason, paused_by, ended_at FROM deadline_pauses"
                                      " WHERE deadline_id = ?", (did,)),
                         [("使用单位机房尚未具备接入条件", "admin", 0)])
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/pause" % did, {"reason": "再"})
        self.assertError(r, 409, "status")
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/resume" % did)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "running")
        ended = self.srv.sql("SELECT ended_at FROM deadline_pauses WHERE deadline_id = ?",
                             (did,))[0][0]
        self.assertGreater(ended, 0)
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/resume" % did)
        self.assertError(r, 409, "status")
        actions = [a for (a,) in self.srv.sql(
            "SELECT action FROM audit WHERE object_type = 'deadline' AND object_id = ?"
            " ORDER BY id", (str(did),))]
        self.assertEqual(actions, ["deadline.pause", "deadline.resume"])

    def test_a_review_deadline_cannot_be_paused(self):
        did = self.seed(rule="access_review", amount=3)
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/pause" % did,
                         {"reason": "想多等几天"})
        e = self.assertError(r, 422, "status", "rule")
        self.assertEqual(e.get("clause"), "TB-13", r)
        self.assertEqual(self.status(did), "running")

    def test_bad_pause_requests_change_nothing(self):
        did = self.seed()
        before = self.srv.counts()
        for body, field in (({}, "reason"), ({"reason": ""}, "reason"),
                            ({"reason": "原因" * 300}, "reason"), ({"reason": 3}, "reason"),
                            ({"reason": "x", "days": 3}, "days")):
            r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/pause" % did, body)
            self.assertError(r, 400, field)
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/999999/pause", {"reason": "x"})
        self.assertError(r, 404)
        self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.status(did), "running")

    def test_list_filters(self):
        a = self.seed(due_at=now() + 10 * 86400)
        b = self.seed(due_at=now() + 20 * 86400)
        cut = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now() + 15 * 86400))
        r = self.srv.as_("admin", "GET", "/api/v1/deadlines?unit_id=%d&due_before=%s"
                         % (self.unit, cut))
        self.assertEqual(r.status, 200, r)
        ids = [d["id"] for d in r.json["items"]]
        self.assertIn(a, ids)
        self.assertNotIn(b, ids)
        r = self.srv.as_("admin", "GET", "/api/v1/deadlines?status=finished")
        self.assertError(r, 400, "status")

    def test_cli_lists_pauses_and_resumes(self):
        did = self.seed()
        p = run_cli("deadline", "list", "--status", "running", db=self.srv.db)
        self.assertIn('"id":%d,' % did, p.stdout)
        p = run_cli("deadline", "pause", str(did), db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("reason", p.stderr)
        self.assertEqual(self.status(did), "running")
        run_cli("deadline", "pause", str(did), "--reason", "单位机房改造", db=self.srv.db)
        self.assertEqual(self.status(did), "paused")
        run_cli("deadline", "resume", str(did), db=self.srv.db)
        self.assertEqual(self.status(did), "running")
        actors = self.srv.sql("SELECT action, actor FROM audit WHERE object_type = 'deadline'"
                              " AND object_id = ? ORDER BY id", (str(did),))
        self.assertEqual([a for a, _ in actors], ["deadline.pause", "deadline.resume"])
        self.assertTrue(all(who.startswith("cli:") for _, who in actors), actors)
        p = run_cli("deadline", "add", db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 2)
