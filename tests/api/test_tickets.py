"""Fault tickets (issue 17): reported by a unit or the duty officer, routed by where the fault
is (TB-11), on the carrier's clocks by the site's class (TB-12), paused only for the profile's
reasons, reclassified with a reason, reopened on the same clock; a carrier's staff see only
their carrier's tickets."""

import calendar
import time

from harness import ServerTest

T = "/api/v1/tickets"


def must(srv, user, method, path, body=None, status=201):
    r = srv.as_(user, method, path, body)
    assert r.status == status, r
    return r.json


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def ts(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


class Tickets(ServerTest):
    profile = "tongbai"
    extra = ("--scheduler-interval", "1")

    @classmethod
    def _fixtures(cls):
        srv = cls.srv
        cls.own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]

        def unit(level):
            return srv.sql("SELECT u.id FROM units u JOIN lines l ON l.unit_id = u.id"
                           " WHERE u.level = ? AND u.status = '已接入' ORDER BY u.id LIMIT 1",
                           (level,))[0][0]
        cls.county, cls.town, cls.core = unit("县直"), unit("乡镇"), unit("核心机房")
        cls.telecom, cls.unicom = [r[0] for r in srv.sql("SELECT id FROM carriers ORDER BY id")]
        must(srv, "admin", "POST", "/api/v1/users",
                 {"username": "unicom", "role": "carrier", "carrier_id": cls.unicom,
                  "display_name": "联通装维", "password": "Test2026pass"})

    def report(self, unit=None, location="backbone", user="admin", status=201, **kw):
        body = {"unit_id": unit or self.county, "location": location, "summary": "网络中断",
                **kw}
        r = self.srv.as_(user, "POST", T, body)
        self.assertEqual(r.status, status, r)
        return r.json if status == 201 else r

    def step(self, tid, action, user="admin", status=200, **body):
        body["action"] = action
        r = self.srv.as_(user, "POST", "%s/%d/transitions" % (T, tid), body)
        self.assertEqual(r.status, status, r)
        return r.json if status == 200 else r

    def clock(self, t, kind):
        return next(c for c in t["clocks"] if c["rule"].startswith(kind + ":"))

    def test_clocks_by_site_class(self):
        """Response in 1 h and repair by class, from the report, citing TB-12."""
        for unit, cls, hours in ((self.county, "county", 2), (self.town, "township", 6),
                                 (self.core, "core", 4)):
            t = self.report(unit)
            self.assertEqual((t["state"], t["site_class"], t["clause"]),
                             ("reported", cls, "TB-12"), t)
            rep = ts(t["reported_at"])
            self.assertEqual(ts(self.clock(t, "respond")["due_at"]), rep + 3600)
            self.assertEqual(ts(self.clock(t, "repair")["due_at"]), rep + hours * 3600)
            self.assertEqual(self.clock(t, "repair")["clause"], "TB-12")
            self.assertEqual(t["state_label"], "待派单")
            self.assertEqual([a["action"] for a in t["actions"]][:1], ["dispatch"])

    def test_dispatch_respond_resolve_confirm(self):
        t = self.report(self.own, user="unit")
        self.assertEqual(t["channel"], "console")
        self.step(t["id"], "dispatch", user="unit", status=403)
        t = self.step(t["id"], "dispatch")
        self.assertEqual(t["carrier_id"], self.telecom)  # the line's carrier
        self.assertIn("派单", t["events"][-1]["detail"])
        t = self.step(t["id"], "respond", user="carrier")
        self.assertEqual(self.clock(t, "respond")["status"], "met")
        r = self.step(t["id"], "resolve", user="carrier", status=400)
        self.assertEqual(r.json["error"]["field"], "reason")
        t = self.step(t["id"], "resolve", user="carrier", reason="光猫掉电，已恢复")
        self.assertEqual((t["state"], t["cause"]), ("resolved", "光猫掉电，已恢复"))
        self.assertEqual(self.clock(t, "repair")["status"], "met")
        t = self.step(t["id"], "confirm", user="unit")
        self.assertEqual(t["state"], "closed")
        # on paper: the clocks with their clause, the cause, the steps, the signatures
        html = self.srv.as_("unit", "GET", "%s/%d/paper" % (T, t["id"]))
        self.assertEqual(html.status, 200, html)
        page = html.raw.decode()
        for want in ("故障工单", "响应时限", "修复时限", "TB-12", "按时完成", "光猫掉电，已恢复",
                     "派单", "维护人员签字", "第十二条"):
            self.assertIn(want, page)
        pdf = self.srv.as_("unit", "GET", "%s/%d/paper?format=pdf" % (T, t["id"]))
        self.assertEqual((pdf.status, pdf.raw[:5]), (200, b"%PDF-"))
        self.assertEqual([e["action_label"] for e in t["events"]],
                         ["报修", "派单", "响应", "修复完成", "确认修复"])
        audit = self.srv.sql("SELECT action, clause FROM audit WHERE object_type = 'ticket'"
                             " AND object_id = ? ORDER BY id", (t["id"],))
        self.assertEqual([a for a, _ in audit], ["ticket.report", "ticket.dispatch",
                                                 "ticket.respond", "ticket.resolve",
                                                 "ticket.confirm"])
        self.assertTrue(all(c == "TB-12" for _, c in audit), audit)

    def test_carrier_sees_its_own(self):
        t = self.report(self.town)
        # before dispatch no carrier sees it; then only the one it went to
        self.assertEqual(self.srv.as_("carrier", "GET", "%s/%d" % (T, t["id"])).status, 404)
        t = self.step(t["id"], "dispatch")
        self.assertEqual(t["carrier_id"], self.unicom)  # the township's line is 联通's
        self.assertEqual(self.srv.as_("carrier", "GET", "%s/%d" % (T, t["id"])).status, 404)
        self.step(t["id"], "respond", user="carrier", status=404)
        self.assertEqual(self.srv.as_("unicom", "GET", "%s/%d" % (T, t["id"])).status, 200)
        ids = [x["id"] for x in self.srv.as_("carrier", "GET", T + "?limit=200").json["items"]]
        self.assertNotIn(t["id"], ids)
        ids = [x["id"] for x in self.srv.as_("unicom", "GET", T + "?limit=200").json["items"]]
        self.assertIn(t["id"], ids)
        # a unit sees only its own
        self.assertEqual(self.srv.as_("unit", "GET", "%s/%d" % (T, t["id"])).status, 404)
        # the notice reached the carrier's staff it went to, not the other's
        self.wait_for(lambda: self.srv.sql(
            "SELECT 1 FROM inbox WHERE subject_type = 'ticket' AND subject_id = ?"
            " AND kind = 'ticket.dispatch'", (t["id"],)))
        inbox = {u for (u,) in self.srv.sql(
            "SELECT u.username FROM inbox i JOIN users u ON u.id = i.user_id"
            " WHERE i.subject_type = 'ticket' AND i.subject_id = ? AND i.kind = 'ticket.dispatch'",
            (t["id"],))}
        self.assertIn("unicom", inbox)
        self.assertNotIn("carrier", inbox)
        title, body = self.srv.sql("SELECT title, body FROM inbox WHERE subject_type = 'ticket'"
                                   " AND subject_id = ? AND kind = 'ticket.dispatch' LIMIT 1",
                                   (t["id"],))[0]
        self.assertIn("故障工单", title)
        self.assertIn("派单", title)
        self.assertIn("TB-12", body)

    def test_pause_only_for_the_profiles_reasons(self):
        t = self.report()
        t = self.step(t["id"], "dispatch")
        self.step(t["id"], "respond", user="carrier")
        r = self.step(t["id"], "pause", user="carrier", status=422, reason="等备件",
                      pause_reason="spare_parts")
        self.assertEqual(r.json["error"]["field"], "pause_reason")
        self.assertIn("no_access", r.json["error"]["message"])
        due = ts(self.clock(t, "repair")["due_at"])
        t = self.step(t["id"], "pause", user="carrier", reason="机房钥匙不在", pause_reason="no_access")
        self.assertEqual((t["state"], t["pause_reason"]), ("paused", "no_access"))
        self.assertEqual(self.clock(t, "repair")["status"], "paused")
        # reassigned while paused: the pause and its reason stay
        t = self.step(t["id"], "reassign", reason="电信线路由联通代维", carrier_id=self.unicom)
        self.assertEqual((t["state"], t["carrier_id"]), ("paused", self.unicom))
        self.assertEqual(self.clock(t, "repair")["status"], "paused")
        time.sleep(2)
        t = self.step(t["id"], "resume", user="unicom")
        self.assertGreaterEqual(ts(self.clock(t, "repair")["due_at"]), due + 2)

    def test_reclassify_needs_a_reason_and_moves_the_clock(self):
        t = self.report()
        rep = ts(t["reported_at"])
        self.step(t["id"], "reclassify", site_class="complex", status=400)
        self.step(t["id"], "reclassify", site_class="complex", reason="光缆被挖断", user="unit",
                  status=403)
        r = self.step(t["id"], "reclassify", site_class="nowhere", reason="x", status=422)
        self.assertEqual(r.json["error"]["field"], "site_class")
        t = self.step(t["id"], "reclassify", site_class="complex", reason="光缆被挖断")
        self.assertEqual((t["site_class"], t["site_class_name"]), ("complex", "复杂故障"))
        self.assertEqual(ts(self.clock(t, "repair")["due_at"]), rep + 48 * 3600)
        e = t["events"][-1]
        self.assertEqual((e["action"], e["reason"]), ("reclassify", "光缆被挖断"))
        self.assertIn("复杂故障", e["detail"])

    def test_lan_fault_is_the_units_own(self):
        """TB-11: the unit solves it; it may ask for help; the manager may take it over."""
        t = self.report(self.own, location="lan", user="unit")
        self.assertEqual((t["state"], t["clause"], t["clocks"]), ("self", "TB-11", []))
        self.step(t["id"], "dispatch", status=409)
        t = self.step(t["id"], "ask_help", user="unit")
        self.assertEqual(t["state"], "assisting")
        t = self.step(t["id"], "relocate", reason="查明为上联线路故障")
        self.assertEqual((t["state"], t["location"], t["clause"]), ("reported", "backbone", "TB-12"))
        self.assertEqual(len(t["clocks"]), 2)

    def test_reopen_runs_the_same_clock(self):
        t = self.report()
        t = self.step(t["id"], "dispatch")
        due = self.clock(t, "repair")["due_at"]
        self.step(t["id"], "respond", user="carrier")
        t = self.step(t["id"], "resolve", user="carrier", reason="重启设备")
        t = self.step(t["id"], "reopen", user="admin", reason="仍然无法访问")
        self.assertEqual(t["state"], "repairing")
        c = self.clock(t, "repair")
        self.assertEqual((c["status"], c["due_at"]), ("running", due))

    def test_bad_input_changes_nothing(self):
        n = self.srv.sql("SELECT count(*) FROM tickets")[0][0]
        r = self.report(status=400, colour="red")
        r = self.report(status=400, location="roof")
        self.assertEqual(r.json["error"]["field"], "location")
        other = self.srv.sql("SELECT id FROM lines WHERE unit_id != ? LIMIT 1", (self.county,))[0][0]
        r = self.report(status=400, line_id=other)
        self.assertEqual(r.json["error"]["field"], "line_id")
        r = self.report(status=400, channel="outage")
        self.assertEqual(r.json["error"]["field"], "channel")
        r = self.report(unit=self.town, user="unit", status=404)  # not the unit's own
        # ... nor one that does not exist: the same answer (nothing learnt of other units)
        self.assertEqual(self.report(unit=999999, user="unit", status=404).json,
                         self.report(unit=self.town, user="unit", status=404).json)
        r = self.report(unit=999999, status=400)
        self.assertEqual(r.json["error"]["field"], "unit_id")
        self.assertEqual(self.srv.sql("SELECT count(*) FROM tickets")[0][0], n)


class Breach(ServerTest):
    """A repair past its due time is a breach, told to the carrier it is with."""
    profile = "tongbai"

    def test_breach_and_late_repair(self):
        unit = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        t = must(self.srv, "admin", "POST", T, {"unit_id": unit, "location": "backbone",
                                              "summary": "无法上网"})
        must(self.srv, "admin", "POST", "%s/%d/transitions" % (T, t["id"]), {"action": "dispatch"},
                      200)
        later = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3 * 3600))
        self.srv.env = {"ZWNET_NOW": later}
        self.srv.restart()
        got = self.wait_for(lambda: self.srv.sql(
            "SELECT u.username FROM inbox i JOIN users u ON u.id = i.user_id WHERE"
            " i.kind = 'deadline.breached' AND i.subject_type = 'ticket' AND i.subject_id = ?",
            (t["id"],)))
        self.assertIn(("carrier",), got)
        must(self.srv, "carrier", "POST", "%s/%d/transitions" % (T, t["id"]),
                      {"action": "respond"}, 200)
        t = must(self.srv, "carrier", "POST", "%s/%d/transitions" % (T, t["id"]),
                          {"action": "resolve", "reason": "更换光模块"}, 200)
        st = {c["rule"]: c["status"] for c in t["clocks"]}
        self.assertEqual(st, {"respond:county": "breached", "repair:county": "breached"})
        month = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600 + 3 * 3600))
        rep = must(self.srv, "admin", "GET", T + "/sla?month=" + month, status=200)
        row = next(r for r in rep["rows"] if r["site_class"] == "county")
        self.assertEqual((row["tickets"], row["repair"]["breached"], row["respond"]["breached"],
                          row["repair_hours"], row["clause"]), (1, 1, 1, 2, "TB-12"))
        self.assertGreaterEqual(row["repair"]["worst_minutes"], 180)


class Report(ServerTest):
    """The month's SLA report per carrier and class, as each reader may see it."""
    profile = "tongbai"

    def test_report_counts_median_and_worst(self):
        srv = self.srv
        own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        town = srv.sql("SELECT u.id FROM units u JOIN lines l ON l.unit_id = u.id"
                       " WHERE u.level = '乡镇' AND u.status = '已接入' LIMIT 1")[0][0]
        ids = [must(srv, "admin", "POST", T, {"unit_id": u, "location": "backbone",
                                              "summary": "中断"})["id"] for u in (own, own, town)]
        for i in ids:
            must(srv, "admin", "POST", "%s/%d/transitions" % (T, i), {"action": "dispatch"}, 200)
        must(srv, "carrier", "POST", "%s/%d/transitions" % (T, ids[0]), {"action": "respond"}, 200)
        must(srv, "carrier", "POST", "%s/%d/transitions" % (T, ids[0]),
             {"action": "resolve", "reason": "重启"}, 200)
        # a LAN fault is the unit's own: in no carrier's report
        must(srv, "unit", "POST", T, {"unit_id": own, "location": "lan", "summary": "交换机坏"})
        month = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))
        rep = must(srv, "admin", "GET", T + "/sla?month=" + month, status=200)
        by = {(r["carrier_name"][:4], r["site_class"]): r for r in rep["rows"]}
        self.assertEqual(set(by), {("中国电信", "county"), ("中国联合", "township")})
        county = by[("中国电信", "county")]
        self.assertEqual(county["tickets"], 2)
        self.assertEqual({k: county["repair"][k] for k in ("clocks", "met", "running", "breached")},
                         {"clocks": 2, "met": 1, "running": 1, "breached": 0})
        self.assertIn(county["repair"]["median_minutes"], (0, 1))  # minutes, rounded up
        self.assertEqual(by[("中国联合", "township")]["repair"]["running"], 1)
        # a carrier's staff see their own carrier's rows; a unit none; a bad month is refused
        mine = must(srv, "carrier", "GET", T + "/sla?month=" + month, status=200)
        self.assertEqual([r["site_class"] for r in mine["rows"]], ["county"])
        self.assertEqual(srv.as_("unit", "GET", T + "/sla?month=" + month).status, 403)
        r = srv.as_("admin", "GET", T + "/sla?month=2026-13")
        self.assertEqual((r.status, r.json["error"]["field"]), (400, "month"))
        empty = must(srv, "admin", "GET", T + "/sla?month=2001-01", status=200)
        self.assertEqual(empty["rows"], [])
