"""Maintenance notices (TB-12): a carrier files a planned interruption at least two hours
ahead, the manager agrees before it starts, the units on its lines are told, and a fault
reported on one of those lines during the window runs its clocks from the window's end."""

import time

from harness import ServerTest
from test_tickets import iso, ts

M = "/api/v1/maintenance"


class Maintenance(ServerTest):
    profile = "tongbai"
    extra = ("--scheduler-interval", "1")

    @classmethod
    def _fixtures(cls):
        srv = cls.srv
        cls.own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.telecom = srv.sql("SELECT carrier_id FROM users WHERE username = 'carrier'")[0][0]
        cls.line = srv.sql("SELECT id FROM lines WHERE unit_id = ?", (cls.own,))[0][0]
        cls.other_line = srv.sql("SELECT id FROM lines WHERE carrier_id != ? LIMIT 1",
                                 (cls.telecom,))[0][0]

    def file(self, start, hours=2, status=201, user="carrier", **kw):
        body = {"starts_at": iso(start), "ends_at": iso(start + hours * 3600),
                "reason": "核心交换机升级", **kw}
        if "line_ids" not in kw and "unit_ids" not in kw:
            body["unit_ids"] = [self.own]
        r = self.srv.as_(user, "POST", M, body)
        self.assertEqual(r.status, status, r)
        return r.json if status == 201 else r

    def step(self, mid, action, user="admin", status=200, **body):
        body["action"] = action
        r = self.srv.as_(user, "POST", "%s/%d/transitions" % (M, mid), body)
        self.assertEqual(r.status, status, r)
        return r.json if status == 200 else r

    def test_filed_in_time_agreed_and_told(self):
        m = self.file(time.time() + 3 * 3600)
        self.assertEqual((m["state"], m["carrier_id"], m["clause"]), ("filed", self.telecom, "TB-12"))
        self.assertEqual([x["line_id"] for x in m["lines"]], [self.line])
        self.step(m["id"], "approve", user="carrier", status=403)
        m = self.step(m["id"], "approve")
        self.assertEqual(m["state"], "approved")
        told = self.wait_for(lambda: self.srv.sql(
            "SELECT u.username, i.title FROM inbox i JOIN users u ON u.id = i.user_id"
            " WHERE i.subject_type = 'maintenance' AND i.subject_id = ? AND u.username = 'unit'",
            (m["id"],)))
        self.assertTrue(told)
        self.assertIn("中断网络", told[0][1])
        # the managers hear of the step once, not once per unit
        n = self.srv.sql("SELECT count(*) FROM inbox i JOIN users u ON u.id = i.user_id"
                         " WHERE u.username = 'admin' AND i.subject_type = 'maintenance'"
                         " AND i.subject_id = ? AND i.kind = 'maintenance.approve'", (m["id"],))
        self.wait_for(lambda: self.srv.sql(
            "SELECT 1 FROM outbox WHERE subject_type = 'maintenance' AND subject_id = ?"
            " AND inbox_at = 0", (m["id"],)) == [])
        n = self.srv.sql("SELECT count(*) FROM inbox i JOIN users u ON u.id = i.user_id"
                         " WHERE u.username = 'admin' AND i.subject_type = 'maintenance'"
                         " AND i.subject_id = ? AND i.kind = 'maintenance.approve'", (m["id"],))
        self.assertEqual(n, [(1,)])

    def test_too_late_refused_citing_tb12(self):
        n = self.srv.sql("SELECT count(*) FROM maintenances")[0][0]
        r = self.file(time.time() + 3600, status=422)
        e = r.json["error"]
        self.assertEqual((e["field"], e["clause"]), ("starts_at", "TB-12"))
        self.assertIn("2 小时", e["message"])
        self.assertEqual(self.srv.sql("SELECT count(*) FROM maintenances")[0][0], n)

    def test_bad_input(self):
        r = self.file(time.time() + 3 * 3600, status=400, hours=0)
        self.assertEqual(r.json["error"]["field"], "ends_at")
        r = self.file(time.time() + 3 * 3600, status=400, line_ids=[self.other_line])
        self.assertEqual(r.json["error"]["field"], "line_ids")
        r = self.file(time.time() + 3 * 3600, status=400, line_ids="3")
        self.assertEqual(r.json["error"]["field"], "line_ids")
        r = self.file(time.time() + 3 * 3600, status=400, carrier_id=self.telecom + 1)
        self.assertEqual(r.json["error"]["field"], "carrier_id")
        self.assertEqual(self.srv.as_("unit", "POST", M, {}).status, 403)

    def test_fault_in_an_agreed_window_runs_from_its_end(self):
        m = self.file(time.time() + 3 * 3600 - 60)
        self.step(m["id"], "approve")
        # a day later the window runs (the server's clock moved on past its start)
        self.srv.env = {"ZWNET_NOW": iso(time.time() + 3 * 3600)}
        self.srv.restart()
        try:
            r = self.srv.as_("unit", "POST", "/api/v1/tickets",
                             {"unit_id": self.own, "location": "backbone", "summary": "断网"})
            self.assertEqual(r.status, 201, r)
            t = r.json
            repair = next(c for c in t["clocks"] if c["rule"].startswith("repair:"))
            self.assertEqual(ts(repair["due_at"]), ts(m["ends_at"]) + 2 * 3600)
            self.assertIn("停机维护", t["events"][0]["detail"])
            self.step(m["id"], "complete", user="carrier")
        finally:
            self.srv.env = None
            self.srv.restart()
