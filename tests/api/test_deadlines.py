"""Deadlines over HTTP and the scheduler that breaches and reminds (TB-13, TB-12).

The workflows that start deadlines come later; these tests seed deadline rows directly,
as the workflows will, and check what the API and the scheduler thread do with them."""

import sqlite3
import time

from harness import ServerTest


def now():
    return int(time.time())


class DeadlineTest(ServerTest):
    extra = ("--scheduler-interval", "1", "--reminder-hours", "2")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.srv.sql("SELECT id FROM units WHERE status = '已接入' ORDER BY id")[0][0]

    def seed(self, rule="access_implement", clause="TB-13", basis="working_days", amount=7,
             due_at=None, due_date="2099-01-01", status="running"):

        con = sqlite3.connect(self.srv.db, timeout=30)
        try:
            cur = con.execute(
                "INSERT INTO deadlines (subject_type, subject_id, unit_id, rule, clause, basis,"
                " amount, started_at, due_at, due_date, status, created_at, updated_at)"
                " VALUES ('application', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.unit, rule, clause, basis, amount, now(),
                 due_at if due_at is not None else now() + 30 * 86400, due_date, status, now(),
                 now()))
            con.commit()
            return cur.lastrowid
        finally:
            con.close()

    def status(self, did):
        return self.srv.sql("SELECT status FROM deadlines WHERE id = ?", (did,))[0][0]

    def wait_for(self, cond, timeout=15):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            time.sleep(0.1)
        return False

    def events(self, did, kind):
        return self.srv.sql("SELECT kind, clause, unit_id, subject_type FROM outbox WHERE"
                            " json_extract(payload, '$.id') = ? AND kind = ?", (did, kind))

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
        r = self.srv.as_("admin", "GET", "/api/v1/deadlines?status=breached")
        self.assertEqual(r.status, 200, r)
        self.assertIn(did, [d["id"] for d in r.json["items"]])
        # A restart does not raise the breach again.
        self.srv.restart()
        time.sleep(2.5)
        self.assertEqual(len(self.events(did, "deadline.breached")), 1)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM audit WHERE object_id = ? AND"
                                      " action = 'deadline.breach'", (str(did),))[0][0], 1)
        # A breached deadline cannot be paused.
        r = self.srv.as_("admin", "POST", "/api/v1/deadlines/%d/pause" % did, {"reason": "补"})
        self.assertError(r, 409, "status")

    def test_scheduler_reminds_once_before_an_hours_deadline(self):
        did = self.seed(rule="repair:county", clause="TB-12", basis="hours", amount=4,
                        due_at=now() + 3600, due_date=None)
        far = self.seed(rule="repair:county", clause="TB-12", basis="hours", amount=4,
                        due_at=now() + 5 * 3600, due_date=None)
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
