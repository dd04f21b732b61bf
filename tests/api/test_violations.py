"""Violations (issue 6): findings judged against the county's forbidden behaviours and penalty
ladder, handled step by step (notify, isolate, rectify with the profile's deadline, verify,
reconnect; escalate, dismiss, charge the repair cost), each step citing its clause, audited and
told to the unit. Isolations are the rows `zwnet enforce` will put on the wire.

Under 佳县 a hand-changed address (JX-22) is punished by JX-26: first 暂时断网并限期整改 of the
whole unit, then 取消入网资格; a virus or attack (JX-24) disconnects the terminal."""

import wire
from harness import ServerTest

A = "/api/v1"
TERM = "00:16:3e:00:01:0a"       # registered in the unit admin's unit at .10
OTHER = "00:16:3e:00:02:0a"      # registered in the second unit
THIRD = "00:16:3e:00:03:0a"      # registered in the third unit (the revocation test's)
GW = "00:16:3e:00:01:01"
T0 = 1795000000.0


def arp(mac, ip, at):
    return {"kind": "arp", "op": "reply", "at": at, "mac": mac, "ip": ip}


class Base(ServerTest):
    profile = "jiaxian"
    extra = ("--scheduler-interval", "1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.u1 = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.u2, cls.u3 = [r[0] for r in s.sql(
            "SELECT id FROM units WHERE status = '已接入' AND id != ? ORDER BY id LIMIT 2",
            (cls.u1,))]
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        ok(s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.210.0.0/16", "status": "container"}))
        for u, net in ((cls.u1, 1), (cls.u2, 2), (cls.u3, 3)):
            ok(s.as_("admin", "POST", A + "/prefixes",
                     {"cidr": "10.210.%d.0/24" % net, "status": "active", "unit_id": u,
                      "gateway": "10.210.%d.1" % net}))
        ok(s.as_("admin", "POST", A + "/prefixes",
                 {"cidr": "2001:db8:210:1::/64", "status": "active", "unit_id": cls.u1}))
        r = s.as_("admin", "POST", A + "/terminals",
                  {"mac": TERM, "ip": "10.210.1.10", "unit_id": cls.u1, "kind": "计算机"})
        ok(r)
        cls.term = r.json["id"]
        ok(s.as_("admin", "POST", A + "/terminals",
                 {"mac": OTHER, "ip": "10.210.2.10", "unit_id": cls.u2, "kind": "计算机"}))
        ok(s.as_("admin", "POST", A + "/terminals",
                 {"mac": THIRD, "ip": "10.210.3.10", "unit_id": cls.u3, "kind": "计算机"}))
        r = s.as_("admin", "POST", A + "/tokens", {"name": "gw", "scope": "probe enforcer"})
        ok(r)
        cls.token = r.json["token"]
        cls.clock = T0

    def post(self, observations):
        r = self.srv.request("POST", A + "/observations",
                             {"probe": "gw", "observations": observations}, token=self.token)
        self.assertEqual(r.status, 202, r)
        return r.json

    def at(self):
        """A fresh observation time, past the rules' repeat window each call."""
        type(self).clock += 600
        return self._fmt(self.clock)

    @staticmethod
    def _fmt(t):
        import time
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

    def violations(self, user="admin", **q):
        qs = "&".join("%s=%s" % kv for kv in q.items())
        r = self.srv.as_(user, "GET", A + "/violations?limit=500&" + qs)
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def get(self, vid, user="admin"):
        r = self.srv.as_(user, "GET", A + "/violations/%d" % vid)
        self.assertEqual(r.status, 200, r)
        return r.json

    def step(self, vid, action, user="admin", status=200, **body):
        body["action"] = action
        r = self.srv.as_(user, "POST", A + "/violations/%d/transitions" % vid, body)
        self.assertEqual(r.status, status, r)
        return r

    def unit_status(self, uid):
        return self.srv.sql("SELECT status FROM units WHERE id = ?", (uid,))[0][0]

    def active(self, vid):
        return sorted((k, v) for k, v in self.srv.sql(
            "SELECT kind, value FROM isolations WHERE violation_id = ? AND removed_at = 0",
            (vid,)))


class JiaxianViolationTest(Base):
    def changed_ip(self, ip):
        """The registered terminal seen at another of its unit's addresses (JX-22)."""
        out = self.post([arp(TERM, ip, self.at())])
        cases = [v for v in self.violations(behaviour="private_address_change", mac=TERM)
                 if v["ip"] == ip]
        return out, cases

    def test_jx22_jx26_ladder_isolation_and_reconnection(self):
        out, cases = self.changed_ip("10.210.1.77")
        self.assertEqual(out["new_violations"], 1, out)
        self.assertEqual(len(cases), 1, cases)
        v = self.get(cases[0]["id"])
        self.assertEqual((v["state"], v["level"], v["sanction"], v["sanction_clause"],
                          v["clause"], v["offence"], v["unit_id"], v["source"]),
                         ("open", "unit", "suspend_unit", "JX-26", "JX-22", 1, self.u1,
                          "finding"))
        self.assertEqual(v["sanction_name"], "暂时断网并限期整改")
        self.assertEqual([r["code"] for r in v["ladder"]], ["suspend_unit", "revoke"])
        self.assertIn("isolate", [a["action"] for a in v["actions"]])
        self.assertNotIn("verify", [a["action"] for a in v["actions"]])
        # the finding joined the case; a further sighting adds to it and opens nothing new
        f = self.srv.as_("admin", "GET", A + "/findings/%d" % v["finding_id"]).json
        self.assertEqual((f["status"], f["violation_id"]), ("violation", v["id"]))
        out, cases = self.changed_ip("10.210.1.77")
        self.assertEqual(out["new_violations"], 0, out)
        self.assertEqual([c["id"] for c in cases], [v["id"]])
        f2 = self.srv.as_("admin", "GET", A + "/findings/%d" % v["finding_id"]).json
        self.assertEqual(f2["count"], f["count"] + 1)

        # steps out of order are refused with the reason, and change nothing
        self.step(v["id"], "verify", status=409)
        self.step(v["id"], "reconnect", status=409)
        self.assertEqual(self.get(v["id"])["rev"], v["rev"])

        self.step(v["id"], "notify")
        r = self.step(v["id"], "isolate", reason="私改IP地址")
        v = r.json
        self.assertEqual((v["state"], v["isolated_scope"]), ("isolated", "unit"))
        self.assertEqual(self.unit_status(self.u1), "暂停")
        self.assertEqual(self.active(v["id"]),
                         [("ip4", "10.210.1.77"), ("mac", TERM), ("net4", "10.210.1.0/24"),
                          ("net6", "2001:db8:210:1::/64")])
        self.assertEqual(self.unit_status(self.u2), "已接入")

        v = self.step(v["id"], "rectify").json
        self.assertEqual(v["state"], "rectifying")
        d = v["deadlines"]
        self.assertEqual(len(d), 1, d)
        self.assertEqual((d[0]["rule"], d[0]["clause"], d[0]["status"]),
                         ("rectification", "JX-26", "running"))
        self.assertEqual(v["deadline_id"], d[0]["id"])
        self.assertTrue(d[0]["due_date"])

        e = self.assertError(self.step(v["id"], "verify", status=400), 400, "reason")
        self.assertIn("理由", e["message"])
        v = self.step(v["id"], "verify", reason="已恢复登记地址，现场核实").json
        self.assertEqual(v["state"], "verified")
        self.assertEqual(v["deadlines"][0]["status"], "met")
        self.step(v["id"], "close", status=409)  # isolated: reconnect, not close
        v = self.step(v["id"], "reconnect").json
        self.assertEqual(v["state"], "reconnected")
        self.assertTrue(v["closed_at"])
        self.assertEqual(self.active(v["id"]), [])
        self.assertTrue(all(i["lifted"] for i in v["isolations"]), v["isolations"])
        self.assertEqual(self.unit_status(self.u1), "已接入")
        f = self.srv.as_("admin", "GET", A + "/findings/%d" % v["finding_id"]).json
        self.assertEqual(f["status"], "resolved")
        self.assertEqual([e["action"] for e in v["events"]],
                         ["open", "notify", "isolate", "rectify", "verify", "reconnect"])
        self.assertEqual(v["events"][2]["clause"], "JX-26")
        self.assertEqual(v["events"][2]["actor"], "admin")
        # audited, and told to the unit: its administrator's inbox has the notices
        acts = [a for (a,) in self.srv.sql(
            "SELECT action FROM audit WHERE object_type = 'violation' AND object_id = ?"
            " ORDER BY id", (v["id"],))]
        self.assertEqual(acts, ["violation.open", "violation.notify", "violation.isolate",
                                "violation.rectify", "violation.verify", "violation.reconnect"])
        inbox = self.wait_for(lambda: [
            i for i in self.srv.as_("unit", "GET", A + "/inbox?limit=100").json["items"]
            if "断网通知" in i["title"]])
        self.assertTrue(inbox)
        self.assertIn("JX-26", inbox[0]["body"])
        self.assertIn("本单位", inbox[0]["body"])

        # the same again after the case ended: a second offence, the next rung (取消入网资格)
        out, cases = self.changed_ip("10.210.1.77")
        self.assertEqual(out["new_violations"], 1, out)
        second = [c for c in cases if c["id"] != v["id"]]
        self.assertEqual(len(second), 1, cases)
        self.assertEqual((second[0]["offence"], second[0]["sanction"]), (2, "revoke"))
        # the last rung is the case's own: escalating applies it (tried in a dry run, the unit
        # is shared with the other tests), and nothing heavier can be named
        r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % second[0]["id"],
                         {"action": "escalate", "reason": "再次私改", "dry_run": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get(second[0]["id"])["state"], "open")
        self.step(second[0]["id"], "dismiss", reason="同一事件的重复记录")

    def test_escalation_to_revocation(self):
        ip = "10.210.3.99"
        self.post([arp(THIRD, ip, self.at())])
        cases = self.violations(behaviour="private_address_change", mac=THIRD)
        self.assertEqual(len(cases), 1, cases)
        vid = cases[0]["id"]
        # only a manager escalates; the operator handles the other steps
        self.step(vid, "notify", user="ops")
        self.step(vid, "escalate", user="ops", status=403, reason="情节严重")
        self.assertError(self.step(vid, "escalate", status=400), 400, "reason")
        self.assertError(self.step(vid, "escalate", status=422, reason="x", sanction="nope"),
                         422, "sanction")
        r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % vid,
                         {"action": "escalate", "reason": "x", "sanction": "criticize"})
        self.assertError(r, 422, "sanction")
        v = self.step(vid, "escalate", reason="情节严重：多次私改并造成网络故障").json
        self.assertEqual((v["state"], v["sanction"], v["sanction_name"], v["isolated_scope"]),
                         ("revoked", "revoke", "取消入网资格", "unit"))
        self.assertEqual(self.unit_status(self.u3), "已撤销入网资格")
        self.assertIn(("net4", "10.210.3.0/24"), self.active(vid))
        hist = self.srv.sql("SELECT to_status, clause FROM unit_status_history WHERE unit_id = ?"
                            " ORDER BY id DESC LIMIT 1", (self.u3,))
        self.assertEqual(hist[0], ("已撤销入网资格", "JX-26"))
        # a revoked unit comes back only through a new access: reconnect is refused until then
        e = self.assertError(self.step(vid, "reconnect", status=409), 409, "action")
        self.assertIn("重新申请", e["message"])

    def test_jx24_terminal_isolation_and_manual_cases(self):
        # a scanning terminal (JX-24): the rung cuts the terminal only
        sweep = [{"kind": "arp", "op": "request", "at": self._fmt(self.clock + 3000 + i / 10),
                  "mac": TERM, "ip": "10.210.1.10", "target": "10.210.1.%d" % (20 + i)}
                 for i in range(70)]
        self.post(sweep)
        cases = self.violations(behaviour="attack", mac=TERM)
        self.assertEqual(len(cases), 1, cases)
        v = cases[0]
        self.assertEqual((v["level"], v["sanction"], v["sanction_clause"]),
                         ("terminal", "isolate_terminal", "JX-24"))
        self.assertError(self.step(v["id"], "isolate", status=422, scope="unit"), 422, "scope")
        v = self.step(v["id"], "isolate").json
        self.assertEqual(v["isolated_scope"], "terminal")
        self.assertEqual(self.active(v["id"]), [("ip4", "10.210.1.10"), ("mac", TERM)])
        self.assertEqual(self.unit_status(self.u1), "已接入", self.srv.sql(
            "SELECT * FROM unit_status_history WHERE unit_id = ?", (self.u1,)))
        # close is not for an isolated case; the full path back
        self.step(v["id"], "rectify")
        self.step(v["id"], "verify", reason="已查杀病毒")
        self.step(v["id"], "reconnect")

        # by hand after an inspection: line damage (JX-14, JX-26), repair cost on the unit
        bad = [({"unit_id": self.u1, "behaviour": "wireless_device", "detail": "x"}, "behaviour", 422),
               ({"unit_id": self.u1, "behaviour": "line_damage"}, "detail", 400),
               ({"unit_id": self.u1, "behaviour": "line_damage", "detail": "x",
                 "terminal_id": 999999}, "terminal_id", 400),
               ({"unit_id": self.u2, "behaviour": "line_damage", "detail": "x",
                 "terminal_id": self.term}, "terminal_id", 400),
               ({"unit_id": self.u1, "behaviour": "line_damage", "detail": "x",
                 "mac": "zz"}, "mac", 400),
               ({"unit_id": self.u1, "behaviour": "line_damage", "detail": "x",
                 "state": "closed"}, "state", 400)]
        before = self.srv.sql("SELECT count(*) FROM violations")[0][0]
        for body, field, status in bad:
            self.assertError(self.srv.as_("admin", "POST", A + "/violations", body), status, field)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM violations")[0][0], before)
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"unit_id": self.u1, "behaviour": "line_damage",
                          "detail": "检查发现接入模块被私自拆改，导致线路中断"})
        self.assertEqual(r.status, 201, r)
        v = r.json
        self.assertEqual((v["source"], v["sanction"], v["cost_to_unit"]),
                         ("inspection", "suspend_unit", True))
        for amount in ("12.345", "-1", "abc", "1e3", ""):
            self.assertError(self.step(v["id"], "charge", status=400, amount=amount,
                                       reason="更换接入模块"), 400, "amount")
        v = self.step(v["id"], "charge", amount="1280.5", reason="更换接入模块及熔接光纤").json
        self.assertEqual((v["repair_cost"], v["repair_cost_yuan"]), (128050, "1280.50"))
        self.assertEqual(v["events"][-1]["clause"], "JX-26")
        # the cost is only the unit's where the regulation says so
        other = self.srv.as_("admin", "POST", A + "/violations",
                             {"unit_id": self.u1, "behaviour": "virus", "terminal_id": self.term,
                              "detail": "终端感染病毒"}).json
        self.assertEqual((other["mac"], other["ip"]), (TERM, "10.210.1.10"))
        self.assertError(self.step(other["id"], "charge", status=422, amount="10",
                                   reason="x"), 422, "action")
        # dismissed: not a violation after all
        self.assertError(self.step(other["id"], "dismiss", status=400), 400, "reason")
        v = self.step(other["id"], "dismiss", reason="防病毒软件误报").json
        self.assertEqual(v["state"], "dismissed")
        self.assertEqual(v["actions"], [])

    def test_roles_and_scope(self):
        self.post([arp(OTHER, "10.210.2.55", self.at())])
        theirs = [v for v in self.violations(unit_id=self.u2) if v["ip"] == "10.210.2.55"]
        self.assertTrue(theirs)
        # the unit administrator sees its own unit's cases only, and acts on none
        mine = self.violations(user="unit")
        self.assertTrue(all(v["unit_id"] == self.u1 for v in mine), mine)
        self.assertEqual(self.srv.as_("unit", "GET", A + "/violations/%d" % theirs[0]["id"]).status,
                         404)
        if mine:
            self.assertEqual(self.get(mine[0]["id"], user="unit")["actions"], [])
            self.step(mine[0]["id"], "notify", user="unit", status=403)
        self.assertEqual(self.srv.as_("carrier", "GET", A + "/violations").status, 403)
        self.assertEqual(self.srv.request("GET", A + "/violations", token=self.token).status, 403)
        r = self.srv.as_("unit", "POST", A + "/violations",
                         {"unit_id": self.u1, "behaviour": "virus", "detail": "x"})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.get(theirs[0]["id"], user="inspector")["actions"], [])

    def test_notice_documents(self):
        """The unit's notice, printable and as a PDF: the behaviour, the clauses (quoted), the
        disconnection and the deadline to rectify."""
        import subprocess
        import tempfile
        self.post([arp(OTHER, "10.210.2.66", self.at())])
        vid = [v for v in self.violations(unit_id=self.u2) if v["ip"] == "10.210.2.66"][0]["id"]
        r = self.srv.as_("admin", "GET", A + "/violations/%d/notice" % vid)
        self.assertError(r, 409, "state")  # not yet told to the unit
        self.step(vid, "notify")
        self.step(vid, "isolate", scope="terminal")
        self.step(vid, "rectify")
        r = self.srv.as_("admin", "GET", A + "/violations/%d/notice" % vid)
        self.assertEqual(r.status, 200, r)
        html = r.raw.decode()
        unit = self.srv.sql("SELECT name FROM units WHERE id = ?", (self.u2,))[0][0]
        for text in ("限期整改通知书", unit, "私自更改接入县政务网络计算机的IP地址",
                     "第二十二条", "第二十六条", "暂时断网并限期整改", "断开该终端", "10.210.2.66",
                     "特此通知"):
            self.assertIn(text, html)
        r = self.srv.as_("admin", "GET", A + "/violations/%d/notice?format=pdf" % vid)
        self.assertEqual(r.status, 200, r)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(r.raw)
            f.flush()
            text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True,
                                  text=True).stdout
        self.assertIn("限期整改通知书", text)
        self.assertIn("JX-26", text.replace(" ", ""))
        self.assertError(self.srv.as_("admin", "GET", A + "/violations/%d/notice?format=doc" % vid),
                         400, "format")
        self.step(vid, "verify", reason="已改回")  # the case ends: later sightings are new ones
        self.step(vid, "reconnect")

    def test_finding_dismissal(self):
        # a stranger on no unit's address opens no case: a finding the manager judges
        self.post([arp("00:16:3e:00:09:99", "192.0.2.77", self.at())])
        f = self.srv.as_("admin", "GET", A + "/findings?mac=00:16:3e:00:09:99").json["items"]
        self.assertTrue(f)
        self.assertTrue(all(x["status"] == "open" and x["violation_id"] is None for x in f), f)
        url = A + "/findings/%d/transitions" % f[0]["id"]
        self.assertError(self.srv.as_("admin", "POST", url, {"action": "dismiss"}), 400, "reason")
        self.assertEqual(self.srv.as_("unit", "POST", url,
                                      {"action": "dismiss", "reason": "x"}).status, 404)
        r = self.srv.as_("admin", "POST", url, {"action": "dismiss", "reason": "运营商测试设备"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "dismissed")
        self.assertEqual(self.srv.as_("admin", "POST", url,
                                      {"action": "dismiss", "reason": "x"}).status, 409)


class TongbaiAutoIsolateTest(Base):
    """桐柏 with auto_isolate: a scanning host (TB-20) is an attack; TB-9 suspends the whole
    unit at once, before anyone has acted."""
    profile = "tongbai"
    extra = ("--auto-isolate", "1", "--scheduler-interval", "1")

    def test_attack_suspends_the_unit_at_once(self):
        sweep = [{"kind": "arp", "op": "request", "at": self._fmt(T0 + 100 + i / 10),
                  "mac": OTHER, "ip": "10.210.2.10", "target": "10.210.2.%d" % (20 + i)}
                 for i in range(70)]
        out = self.post(sweep)
        self.assertEqual(out["new_violations"], 1, out)
        v = self.violations(behaviour="attack")[0]
        v = self.get(v["id"])
        self.assertEqual((v["state"], v["isolated_scope"], v["sanction"], v["sanction_clause"]),
                         ("isolated", "unit", "suspend_unit", "TB-9"))
        self.assertEqual([e["action"] for e in v["events"]], ["open", "isolate"])
        self.assertIn("自动", v["events"][1]["reason"])
        self.assertEqual(self.unit_status(self.u2), "暂停")
        self.assertEqual(self.unit_status(self.u1), "已接入")
        self.assertIn(("net4", "10.210.2.0/24"), self.active(v["id"]))
        # 桐柏 forbids no hand-changed address: that finding stays a finding
        out = self.post([arp(TERM, "10.210.1.66", self._fmt(T0 + 900))])
        self.assertEqual(out["new_violations"], 0, out)
        f = self.srv.as_("admin", "GET", A + "/findings?kind=ip_changed&mac=" + TERM).json["items"]
        self.assertEqual([x["status"] for x in f], ["open"])


class EnforcementStateTest(Base):
    """What the enforcer reads and reports, without a gateway (test_enforce.py has one)."""
    extra = ("--isolation-allow", "10.210.0.53, 2001:db8:210::/48")

    def test_state_and_reports(self):
        st = self.srv.request("GET", A + "/enforcement", token=self.token).json
        self.assertEqual(st["sets"]["allow4"], ["10.210.0.53/32"])
        self.assertEqual(st["sets"]["allow6"], ["2001:db8:210::/48"])
        gen = st["generation"]
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"unit_id": self.u1, "behaviour": "virus", "terminal_id": self.term,
                          "detail": "终端感染病毒"})
        self.assertEqual(r.status, 201, r)
        self.step(r.json["id"], "isolate")
        st = self.srv.request("GET", A + "/enforcement", token=self.token).json
        self.assertGreater(st["generation"], gen)
        self.assertEqual((st["sets"]["ip4"], st["sets"]["mac"]), (["10.210.1.10"], [TERM]))
        url = A + "/enforcement/report"
        good = {"name": "gw", "generation": st["generation"], "ok": True,
                "applied": {"ip4": 1, "mac": 1}}
        for bad, field in (({**good, "name": ""}, "name"), ({**good, "generation": -1}, "generation"),
                           ({**good, "ok": "yes"}, "ok"), ({**good, "applied": {"ip9": 1}}, "applied.ip9"),
                           ({**good, "applied": {"ip4": -1}}, "applied.ip4"),
                           ({**good, "extra": 1}, "extra")):
            self.assertError(self.srv.request("POST", url, bad, token=self.token), 400, field)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM enforcers")[0][0], 0)
        self.assertEqual(self.srv.as_("admin", "POST", url, good).status, 403)
        self.assertEqual(self.srv.request("POST", url, good, token=self.token).status, 202)
        d = self.srv.as_("ops", "GET", A + "/enforcement?detail=1").json
        self.assertEqual([(e["name"], e["ok"], e["applied"]) for e in d["enforcers"]],
                         [("gw", True, {"ip4": 1, "mac": 1})])
        self.assertEqual({e["kind"] for e in d["entries"]}, {"ip4", "mac"})


class BadAllowListTest(Base):
    def setUp(self):
        pass

    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    def test_refused_at_start(self):
        import subprocess
        from harness import BIN
        r = subprocess.run([BIN, "serve", "--check", "--db", "/nonexistent/x.db",
                            "--isolation-allow", "10.0.0.1,not-an-address"],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not-an-address", r.stderr)


class AclTest(Base):
    """Switch ACLs of an isolation and of its removal, in three vendors' syntax."""

    def acl(self, vid, vendor, op="apply", status=200):
        r = self.srv.as_("admin", "GET", A + "/violations/%d/acl?vendor=%s&op=%s" % (vid, vendor, op))
        self.assertEqual(r.status, status, r)
        return r.raw.decode()

    def test_vendors_apply_and_remove(self):
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"unit_id": self.u1, "behaviour": "line_damage", "detail": "模块被拆"})
        self.assertEqual(r.status, 201, r)
        vid = r.json["id"]
        self.acl(vid, "vrp", status=409)  # nothing isolated yet
        self.step(vid, "isolate")         # JX-26 suspends the whole unit
        iso = {i["kind"]: i["id"] for i in self.get(vid)["isolations"]}
        n4, n6 = iso["net4"] * 10, iso["net6"] * 10
        vrp = self.acl(vid, "vrp")
        self.assertIn("acl number 3999\n", vrp)
        self.assertIn(" rule %d deny ip source 10.210.1.0 0.0.0.255\n" % n4, vrp)
        self.assertIn(" rule %d deny ip destination 10.210.1.0 0.0.0.255\n" % (n4 + 5), vrp)
        self.assertIn("acl ipv6 number 3999\n", vrp)
        self.assertIn(" rule %d deny ipv6 source 2001:db8:210:1::/64\n" % n6, vrp)
        self.assertIn("JX-26 isolate", vrp)
        cw = self.acl(vid, "comware")
        self.assertIn("acl advanced 3999\n", cw)
        self.assertIn(" rule %d deny ipv6 destination 2001:db8:210:1:: 64\n" % (n6 + 5), cw)
        ios = self.acl(vid, "ios")
        self.assertIn("ip access-list extended ZWNET-ISO\n", ios)
        self.assertIn(" %d deny ip 10.210.1.0 0.0.0.255 any\n" % n4, ios)
        self.assertIn(" %d deny ip any 10.210.1.0 0.0.0.255\n" % (n4 + 5), ios)
        self.assertIn(" 2147483640 permit ip any any\n", ios)
        self.assertIn(" sequence %d deny ipv6 2001:db8:210:1::/64 any\n" % n6, ios)
        # removal names the same rules
        self.step(vid, "rectify")
        self.step(vid, "verify", reason="已修复")
        self.step(vid, "reconnect")
        self.acl(vid, "vrp", status=409)
        undo = self.acl(vid, "vrp", op="remove")
        self.assertIn(" undo rule %d\n undo rule %d\n" % (n4, n4 + 5), undo)
        self.assertIn("reconnect", undo)
        self.assertIn(" no %d\n no %d\n" % (n4, n4 + 5), self.acl(vid, "ios", op="remove"))

    def test_terminal_mac_and_bad_queries(self):
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"unit_id": self.u1, "behaviour": "virus", "terminal_id": self.term,
                          "detail": "病毒"})
        vid = r.json["id"]
        self.step(vid, "isolate")
        iso = {i["kind"]: i["id"] for i in self.get(vid)["isolations"]}
        m, h = iso["mac"] * 10, iso["ip4"] * 10
        self.assertIn(" rule %d deny source-mac 0016-3e00-010a ffff-ffff-ffff\n" % m,
                      self.acl(vid, "vrp"))
        self.assertIn(" rule %d deny ip source 10.210.1.10 0\n" % h, self.acl(vid, "comware"))
        ios = self.acl(vid, "ios")
        self.assertIn(" deny host 0016.3e00.010a any\n", ios)
        self.assertIn(" %d deny ip host 10.210.1.10 any\n" % h, ios)
        for q, field in (("vendor=juniper", "vendor"), ("vendor=ios&op=drop", "op"), ("", "vendor")):
            r = self.srv.as_("admin", "GET", A + "/violations/%d/acl?%s" % (vid, q))
            self.assertError(r, 400, field)
        self.assertEqual(self.srv.as_("admin", "GET", A + "/violations/999999/acl?vendor=ios").status,
                         404)


class OneEventOneOffence(Base):
    """Offences (issue 14): under 桐柏's regulation an unregistered terminal is first
    责令改正 (TB-13), then 立即断开. Strangers seen together are one event, one offence;
    the ladder climbs only on a new offence after the unit was notified: past the profile's
    offence_event_hours, or once a case of the offence has ended."""
    profile = "tongbai"
    env = {"ZWNET_NOW": "2026-12-01T08:00:00Z"}

    def strangers(self, *macs, at=None):
        when = at or self.at()
        # each at an address of its own (a case takes further findings of its MAC or address)
        self.post([arp(m, "10.210.1.%d" % (100 + int(m[-2:], 16)), when) for m in macs])
        return [self.violations(behaviour="unregistered_terminal", mac=m)[0] for m in macs]

    def test_one_event_is_one_offence(self):
        # two in the same second, and a third before the unit was notified: one offence
        a, b = self.strangers("00:16:3e:0e:00:01", "00:16:3e:0e:00:02")
        self.assertEqual([(v["offence"], v["sanction"]) for v in (a, b)],
                         [(1, "rectify"), (1, "rectify")])
        (c,) = self.strangers("00:16:3e:0e:00:03")
        self.assertEqual(c["offence"], 1)
        # notified, still being handled, an hour later and so within the event: the same offence
        self.step(a["id"], "notify")
        self.srv.env = {"ZWNET_NOW": "2026-12-01T09:00:00Z"}
        self.srv.restart()
        (d,) = self.strangers("00:16:3e:0e:00:04")
        self.assertEqual((d["offence"], d["sanction"]), (1, "rectify"))
        # a day and more later, the unit told and the case not ended: a new offence
        self.srv.env = {"ZWNET_NOW": "2026-12-02T09:00:00Z"}
        self.srv.restart()
        (e,) = self.strangers("00:16:3e:0e:00:05")
        self.assertEqual((e["offence"], e["sanction"]), (2, "suspend_unit"))
        # and what comes with it in the same second is that second offence, not a third
        (f,) = self.strangers("00:16:3e:0e:00:06")
        self.assertEqual(f["offence"], 2)

    def test_a_new_offence_after_a_case_ended(self):
        u3 = "10.210.3.%d"
        one = self.post([arp("00:16:3e:0e:03:01", u3 % 101, self.at())])
        v = self.violations(behaviour="unregistered_terminal", mac="00:16:3e:0e:03:01")[0]
        self.assertEqual(v["offence"], 1)
        self.step(v["id"], "notify")
        self.step(v["id"], "rectify")
        self.step(v["id"], "verify", reason="已拆除")
        self.step(v["id"], "close")
        self.post([arp("00:16:3e:0e:03:02", u3 % 102, self.at())])
        w = self.violations(behaviour="unregistered_terminal", mac="00:16:3e:0e:03:02")[0]
        self.assertEqual((w["offence"], w["sanction"]), (2, "suspend_unit"))
        self.assertTrue(one)


class CaseFromFinding(Base):
    """A case opened from a finding (POST /violations {"finding_id"}) takes the finding's
    unit, behaviour, MAC, address and evidence (issue 14: it answered 缺少必填字段：单位)."""
    profile = "tongbai"
    TPLINK = "d0:37:45:00:00:0e"  # TP-LINK TECHNOLOGIES CO.,LTD.

    def hint(self, ip, mac=TPLINK):
        self.post([arp(mac, ip, self.at())])
        return self.srv.as_("admin", "GET", A + "/findings?kind=router_maker&mac="
                            + mac).json["items"][0]

    def test_a_case_from_a_finding_takes_what_it_knows(self):
        f = self.hint("10.210.1.150")
        self.assertEqual((f["status"], f["violation_id"]), ("open", None))
        r = self.srv.as_("admin", "POST", A + "/violations", {"finding_id": f["id"]})
        self.assertEqual(r.status, 201, r)
        v = r.json
        self.assertEqual((v["unit_id"], v["behaviour"], v["mac"], v["ip"], v["finding_id"],
                          v["source"], v["clause"]),
                         (self.u1, "wireless_device", self.TPLINK, "10.210.1.150", f["id"],
                          "inspection", "TB-19"))
        self.assertIn(f["detail"], v["detail"])
        self.assertIn("监测发现 %d" % f["id"], v["detail"])
        f = self.srv.as_("admin", "GET", A + "/findings/%d" % f["id"]).json
        self.assertEqual((f["status"], f["violation_id"]), ("violation", v["id"]))
        # what the body names wins; a finding taken already is refused
        g = self.hint("10.210.1.151", "d0:37:45:00:00:1e")
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"finding_id": g["id"], "behaviour": "unregistered_terminal",
                          "detail": "现场核实为私接的路由器"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["behaviour"], r.json["detail"], r.json["ip"]),
                         ("unregistered_terminal", "现场核实为私接的路由器", "10.210.1.151"))
        self.assertError(self.srv.as_("admin", "POST", A + "/violations", {"finding_id": g["id"]}),
                         409, "finding_id")
        self.assertError(self.srv.as_("admin", "POST", A + "/violations", {"finding_id": 999999}),
                         400, "finding_id")

    def test_the_probe_opens_the_case(self):
        """Issue 14: a case's history showed the manager who made the probe's token."""
        mac = "00:16:3e:0f:00:02"
        self.post([arp(mac, "10.210.1.170", self.at())])
        v = self.violations(behaviour="unregistered_terminal", mac=mac)[0]
        ev = self.get(v["id"])["events"]
        self.assertEqual([(e["action"], e["actor"], e["actor_role"]) for e in ev],
                         [("open", "probe:gw", "probe")])
        audit = self.srv.sql("SELECT actor FROM audit WHERE object_type = 'violation'"
                             " AND object_id = ?", (v["id"],))
        self.assertEqual(audit, [("probe:gw",)])

    def test_a_finding_on_no_unit_needs_one(self):
        self.post([arp("00:16:3e:0f:00:01", "192.0.2.77", self.at())])
        f = self.srv.as_("admin", "GET", A + "/findings?kind=outside&ip=192.0.2.77").json["items"][0]
        e = self.assertError(self.srv.as_("admin", "POST", A + "/violations",
                                          {"finding_id": f["id"]}), 400, "unit_id")
        self.assertIn("单位", e["message"])
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"finding_id": f["id"], "unit_id": self.u2,
                          "behaviour": "unregistered_terminal"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["unit_id"], r.json["mac"], r.json["ip"]),
                         (self.u2, "00:16:3e:0f:00:01", "192.0.2.77"))


class CaseFromFindingJiaxian(Base):
    """佳县's regulation names no wireless device: a case from a maker hint names the finding,
    not the internal code, and asks for a behaviour."""

    def test_the_behaviour_is_asked_for_by_name(self):
        mac = "d0:37:45:00:00:0f"
        self.post([arp(mac, "10.210.1.160", self.at())])
        f = self.srv.as_("admin", "GET", A + "/findings?kind=router_maker&mac=" + mac).json["items"][0]
        e = self.assertError(self.srv.as_("admin", "POST", A + "/violations",
                                          {"finding_id": f["id"]}), 422, "behaviour")
        self.assertIn(f["label"], e["message"])
        self.assertNotIn("wireless_device", e["message"])
