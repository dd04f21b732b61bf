"""Outage detection (issue 17: JX-19, JX-24, TB-8, TB-12) with real hosts going down and up, in
network namespaces this test makes: the server's extranet side is a namespace of its own
(outage_netns), with a veth to each of three units' gateways, each a namespace. One gateway
drops ICMP and is seen through its TCP port (a refused connection is a host that is there).

A gateway whose link goes down is an outage from its first failed check and opens a fault
ticket reported then (channel 监测发现中断, the carrier's clocks from that instant, TB-12); back up,
the outage ends at the first good check and the ticket is resolved by the check, its clocks
met. An outage inside an agreed maintenance window of the unit's line opens no ticket while
the window lasts (TB-12), and becomes a fault at the window's end.

Needs root (ip netns, nftables); failed under CI=true rather than skipped."""

import os
import shutil
import subprocess
import time
import unittest

from harness import ServerTest
from test_tickets import iso, ts

A = "/api/v1"


def sh(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=check)


def why_skip():
    if os.geteuid() != 0:
        return "needs root for ip netns"
    if not shutil.which("nft"):
        return "nft not installed (scripts/deps.sh)"
    return None


SKIP = why_skip()
IN_CI = os.environ.get("CI") == "true"


@unittest.skipIf(SKIP and not IN_CI, SKIP or "")
class Outage(ServerTest):
    profile = "tongbai"
    extra = ("--scheduler-interval", "1")

    @classmethod
    def setUpClass(cls):
        if SKIP:
            raise AssertionError("CI=true: " + SKIP)
        pid = os.getpid()
        cls.side = "zwo-s-%d" % pid
        cls.gws = ["zwo-g%d-%d" % (k, pid) for k in (1, 2, 3)]
        cls.made = []
        for ns in [cls.side] + cls.gws:
            sh("ip", "netns", "del", ns, check=False)
            sh("ip", "netns", "add", ns)
            cls.made.append(ns)
        for k, ns in enumerate(cls.gws, 1):
            sh("ip", "link", "add", "e0", "netns", ns, "type", "veth", "peer", "name",
               "u%d" % k, "netns", cls.side)
            sh("ip", "-n", ns, "addr", "add", "10.253.%d.1/24" % k, "dev", "e0")
            sh("ip", "-n", ns, "link", "set", "e0", "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", cls.side, "addr", "add", "10.253.%d.2/24" % k, "dev", "u%d" % k)
            sh("ip", "-n", cls.side, "link", "set", "u%d" % k, "up")
        # the third gateway drops ICMP: only its TCP port says it is there
        sh("ip", "netns", "exec", cls.gws[2], "nft",
           "add table inet zw; add chain inet zw in { type filter hook input priority 0; };"
           " add rule inet zw in meta l4proto icmp drop")
        super().setUpClass()
        s = cls.srv
        # the demo's own gateways are not on this test's wire: only the three here are checked
        s.sql("UPDATE prefixes SET gateway = NULL")
        # the 'unit' user's own unit is among the three, so its scope is seen to hold a row
        own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.units = [r[0] for r in s.sql(
            "SELECT u.id FROM units u WHERE u.status = '已接入' AND (SELECT COUNT(*) FROM lines l"
            " WHERE l.unit_id = u.id AND l.status = '在用') = 1 ORDER BY u.id = ? DESC, u.id"
            " LIMIT 3", (own,))]
        assert own in cls.units, (own, cls.units)
        assert len(cls.units) == 3, cls.units
        for k, u in enumerate(cls.units, 1):
            r = s.as_("admin", "POST", A + "/prefixes",
                      {"cidr": "10.253.%d.0/24" % k, "status": "active", "unit_id": u,
                       "gateway": "10.253.%d.1" % k})
            assert r.status == 201, r
        s.extra += ["--outage-interval", "1", "--outage-timeout", "300", "--outage-down-after",
                    "2", "--outage-up-after", "2", "--outage-tcp-port", "22", "--outage-netns",
                    cls.side]
        s.restart()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        for ns in cls.made:
            sh("ip", "netns", "del", ns, check=False)

    def health(self, unit):
        r = self.srv.as_("admin", "GET", A + "/outages/health?unit_id=%d" % unit)
        self.assertEqual(r.status, 200, r)
        return r.json["items"][0] if r.json["items"] else None

    def wait_state(self, unit, state, timeout=20):
        h = self.wait_for(lambda: (lambda h: h if h and h["state"] == state else None)(
            self.health(unit)), timeout)
        self.assertIsNotNone(h, "unit %d not %s: %s" % (unit, state, self.health(unit)))
        return h

    def outages(self, unit):
        r = self.srv.as_("admin", "GET", A + "/outages?unit_id=%d" % unit)
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def link(self, k, state):
        sh("ip", "-n", self.side, "link", "set", "u%d" % k, state)

    def test_1_up_by_icmp_and_by_tcp(self):
        for k, u in enumerate(self.units, 1):
            h = self.wait_state(u, "up")
            self.assertEqual(h["address"], "10.253.%d.1" % k)
            self.assertEqual(h["last_how"], "tcp" if k == 3 else "icmp", h)
            self.assertTrue(h["trend"] and h["trend"][-1]["checks"] >= 1, h)
            self.assertEqual(h["trend"][-1]["fails"], 0, h)
        # a unit sees its own unit's state only
        own = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        r = self.srv.as_("unit", "GET", A + "/outages/health")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["items"], r.json)
        self.assertEqual({i["unit_id"] for i in r.json["items"]}, {own}, r.json)
        for other in self.units:
            if other != own:
                r = self.srv.as_("unit", "GET", A + "/outages/health?unit_id=%d" % other)
                self.assertEqual(r.json["items"] if r.status == 200 else [], [], r)

    def test_2_down_opens_a_ticket_from_the_first_failure_and_recovery_resolves_it(self):
        u = self.units[0]
        self.wait_state(u, "up")
        before = int(time.time())
        self.link(1, "down")
        h = self.wait_state(u, "down")
        self.assertTrue(h["last_error"], h)
        o = self.wait_for(lambda: [x for x in self.outages(u) if x["state"] == "open"])[0]
        started, detected = ts(o["started_at"]), ts(o["detected_at"])
        self.assertGreaterEqual(started, before)
        self.assertLess(started, detected)  # the first failed check, not the alarm
        self.assertEqual(ts(h["since"]), started)
        self.assertTrue(o["ticket_id"], o)
        t = self.srv.as_("admin", "GET", A + "/tickets/%d" % o["ticket_id"]).json
        self.assertEqual((t["channel"], t["location"], t["state"]), ("outage", "backbone", "reported"))
        self.assertEqual(ts(t["reported_at"]), started)
        self.assertEqual(t["clause"], "TB-12")
        self.assertEqual({ts(c["started_at"]) for c in t["clocks"]}, {started})
        self.assertIn("10.253.1.1", t["summary"])
        # only the check says the line is back: a person is refused "recover" on the open ticket
        r = self.srv.as_("admin", "POST", A + "/tickets/%d/transitions" % t["id"],
                         {"action": "recover", "reason": "x"})
        self.assertEqual(r.status, 403, r)
        self.assertNotIn("recover", [a["action"] for a in self.srv.as_(
            "admin", "GET", A + "/tickets/%d" % t["id"]).json["actions"]])
        self.assertTrue(self.srv.sql("SELECT 1 FROM outbox WHERE kind = 'ticket.report' AND"
                                     " subject_id = ?", (t["id"],)))
        self.link(1, "up")
        h = self.wait_state(u, "up")
        o = [x for x in self.outages(u) if x["id"] == o["id"]][0]
        self.assertEqual(o["state"], "ended")
        self.assertEqual(ts(o["ended_at"]), ts(h["since"]))
        self.assertGreaterEqual(o["minutes"], 1)
        t = self.srv.as_("admin", "GET", A + "/tickets/%d" % o["ticket_id"]).json
        self.assertEqual(t["state"], "resolved", t)
        self.assertEqual(t["events"][-1]["action"], "recover")
        self.assertIn("恢复应答", t["cause"])
        self.assertEqual({c["status"] for c in t["clocks"]}, {"met"})

    def test_3_an_outage_in_an_agreed_window_is_no_fault_until_the_window_ends(self):
        u = self.units[1]
        line = self.srv.sql("SELECT id FROM lines WHERE unit_id = ? AND status = '在用'", (u,))[0][0]
        now = int(time.time())
        starts, ends = now + 2 * 3600 + 60, now + 2 * 3600 + 72
        r = self.srv.as_("carrier", "POST", A + "/maintenance",
                         {"starts_at": iso(starts), "ends_at": iso(ends), "reason": "光缆割接",
                          "line_ids": [line]})
        if r.status == 404 or r.status == 422:  # the line is another carrier's: file as manager
            carrier = self.srv.sql("SELECT carrier_id FROM lines WHERE id = ?", (line,))[0][0]
            r = self.srv.as_("admin", "POST", A + "/maintenance",
                             {"starts_at": iso(starts), "ends_at": iso(ends), "reason": "光缆割接",
                              "line_ids": [line], "carrier_id": carrier})
        self.assertEqual(r.status, 201, r)
        m = r.json
        if m["state"] != "approved":
            r = self.srv.as_("admin", "POST", A + "/maintenance/%d/transitions" % m["id"],
                             {"action": "approve"})
            self.assertEqual(r.status, 200, r)
        # two hours on: the window begins
        self.srv.env = {"ZWNET_NOW": iso(starts + 1)}
        self.srv.restart()
        self.wait_state(u, "up")
        self.link(2, "down")
        self.wait_state(u, "down")
        o = self.wait_for(lambda: [x for x in self.outages(u) if x["state"] == "open"])[0]
        self.assertEqual(o["maintenance_id"], m["id"], o)
        self.assertIsNone(o["ticket_id"], o)
        self.assertIn("停机维护", o["note"])
        # past the window's end, still dark: a fault reported at the end of the window
        o = self.wait_for(lambda: [x for x in self.outages(u)
                                   if x["id"] == o["id"] and x["ticket_id"]], 30)
        self.assertTrue(o, self.outages(u))
        t = self.srv.as_("admin", "GET", A + "/tickets/%d" % o[0]["ticket_id"]).json
        self.assertEqual(ts(t["reported_at"]), ends)
        self.assertEqual({ts(c["started_at"]) for c in t["clocks"]}, {ends})
        self.link(2, "up")
        self.wait_state(u, "up")

    def test_4_the_monitor_says_what_it_checks_and_no_connected_unit_is_left_out(self):
        s = self.srv
        connected = s.sql("SELECT COUNT(*) FROM units WHERE status = '已接入'")[0][0]
        self.assertGreater(connected, 3)
        m = self.wait_for(lambda: (lambda j: j if j["last_round_at"] else None)(
            s.as_("admin", "GET", A + "/outages/monitor").json))
        self.assertEqual((m["enabled"], m["interval_s"], m["timeout_ms"], m["tcp_port"],
                          m["down_after"], m["up_after"]), (True, 1, 300, 22, 2, 2), m)
        self.assertIsNone(m["error"], m)
        self.assertEqual((m["checked"], m["no_address"]), (3, connected - 3), m)
        # every other connected unit has its row, saying why it is not checked
        for (u,) in s.sql("SELECT id FROM units WHERE status = '已接入' AND id NOT IN (?, ?, ?)",
                          tuple(self.units)):
            h = self.health(u)
            self.assertIsNotNone(h, u)
            self.assertEqual((h["state"], h["address"]), ("unknown", ""), h)
            self.assertIn("未登记网关地址", h["last_error"])
        r = s.as_("admin", "GET", A + "/outages/health?state=unknown&limit=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["total"], connected - 3, r.json)
        # a unit reads the settings, not the county's counts
        r = s.as_("unit", "GET", A + "/outages/monitor")
        self.assertEqual(r.status, 200, r)
        m = r.json
        self.assertEqual((m["enabled"], m["checked"], m["no_address"]), (True, None, None), m)
        # a gateway registered later is checked from the next round
        u = s.sql("SELECT id FROM units WHERE status = '已接入' AND id NOT IN (?, ?, ?)"
                  " ORDER BY id LIMIT 1", tuple(self.units))[0][0]
        r = s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.253.9.0/24", "status": "active",
                                                    "unit_id": u, "gateway": "10.253.9.1"})
        self.assertEqual(r.status, 201, r)
        h = self.wait_for(lambda: (lambda h: h if h["address"] else None)(self.health(u)))
        self.assertEqual(h["address"], "10.253.9.1", h)
        h = self.wait_state(u, "down")  # no such host on this wire
        self.assertTrue(h["last_error"] and "未登记" not in h["last_error"], h)


class MonitorOff(ServerTest):
    """Without outage_interval nothing is checked, and the console is told so."""
    profile = "tongbai"

    def test_off(self):
        m = self.srv.as_("admin", "GET", A + "/outages/monitor").json
        self.assertEqual((m["enabled"], m["interval_s"], m["last_round_at"], m["checked"]),
                         (False, 0, None, 0), m)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM unit_health")[0][0], 0)


if __name__ == "__main__":
    unittest.main()
