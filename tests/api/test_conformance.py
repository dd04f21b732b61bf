"""Conformance: one scenario per clause of REQUIREMENTS.md §2 (joining, changing, leaving) and
§3 (addresses and the network plan), under the county whose clause it is, driving the real
server through its API. Each test is named after its clause (test_TB_13 is TB-13)."""

import unittest

from harness import ServerTest
from test_applications import A, Flow, beijing_today


class County(Flow):
    zone_cidr = "10.60.0.0/16"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone, cls.container = cls.plan(cls.zone_cidr)
        cls.own = cls.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]

    def approve_all(self, aid, **kw):
        """Approve at every step of the profile (MY-4: the authority alone)."""
        users = {"manager": "admin", "authority": "authority"}
        for _ in range(3):
            a = self.srv.as_("admin", "GET", "%s/%d" % (A, aid)).json
            if "awaiting" not in a:
                return a
            a = self.tr(aid, "approve", user=users[a["awaiting"]["role"]], **kw)
        return a

    def connected(self, **kw):
        """A unit connected the regular way, with its subnet."""
        unit = self.new_unit()
        for kind in getattr(self, "agreements", ()):
            r = self.srv.as_("admin", "POST", "/api/v1/units/%d/agreements" % unit,
                             {"kind": kind, "signed_on": "2026-01-05"})
            self.assertEqual(r.status, 201, r)
        app = self.submit(self.access_body(unit, ip_count=10, **kw))
        app = self.approve_all(app["id"], zone_id=self.zone)
        app = self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(app["status"], "已办结")
        return unit, app

    def host_ip(self, prefix_id, n=5):
        cidr = self.srv.sql("SELECT cidr FROM prefixes WHERE id = ?", (prefix_id,))[0][0]
        base = cidr.split("/")[0].rsplit(".", 1)
        return "%s.%d" % (base[0], int(base[1]) + n)

    def status(self, unit):
        u = self.srv.as_("admin", "GET", "/api/v1/units/%d" % unit).json
        return u["status"], u["status_clause"]

    def case(self, unit, behaviour, detail):
        """A violation found at an inspection (by hand), as the server opened it."""
        r = self.srv.as_("admin", "POST", "/api/v1/violations",
                         {"unit_id": unit, "behaviour": behaviour, "detail": detail})
        self.assertEqual(r.status, 201, r)
        return r.json

    def vstep(self, vid, action, status=200, user="admin", **body):
        body["action"] = action
        r = self.srv.as_(user, "POST", "/api/v1/violations/%d/transitions" % vid, body)
        self.assertEqual(r.status, status, r)
        return r.json if status == 200 else r

    def cut_off(self):
        """The address blocks the enforcer is told to cut off now (GET /enforcement)."""
        r = self.srv.as_("admin", "GET", "/api/v1/enforcement")
        self.assertEqual(r.status, 200, r)
        return r.json["sets"]["net4"] + r.json["sets"]["net6"]

    def cidr(self, prefix_id):
        return self.srv.sql("SELECT cidr FROM prefixes WHERE id = ?", (prefix_id,))[0][0]

    def moved_terminal(self, unit, prefix_id, mac):
        """A computer registered at .5 of the unit's subnet seen by a probe at .6 (its address
        changed by hand). Returns the probe's answer and the moved address."""
        ip, moved = self.host_ip(prefix_id, 5), self.host_ip(prefix_id, 6)
        r = self.srv.as_("admin", "POST", "/api/v1/terminals",
                         {"mac": mac, "ip": ip, "unit_id": unit, "kind": "计算机"})
        self.assertEqual(r.status, 201, r)
        token = self.srv.as_("admin", "POST", "/api/v1/tokens",
                             {"name": "probe-%d" % unit, "scope": "probe"}).json["token"]
        r = self.srv.request("POST", "/api/v1/observations", {"probe": "gw", "observations": [
            {"kind": "arp", "op": "reply", "at": "2026-11-24T09:00:00Z", "mac": mac,
             "ip": moved}]}, token=token)
        self.assertEqual(r.status, 202, r)
        return r.json, moved


    def demo_unit(self, level):
        """A connected demo unit of this level (单位层级) with its line."""
        return self.srv.sql("SELECT u.id FROM units u JOIN lines l ON l.unit_id = u.id WHERE"
                            " u.level = ? AND u.status = '已接入' ORDER BY u.id LIMIT 1",
                            (level,))[0][0]

    def ticket(self, unit, location="backbone", user="admin"):
        r = self.srv.as_(user, "POST", "/api/v1/tickets",
                         {"unit_id": unit, "location": location, "summary": "单位无法访问政务外网"})
        self.assertEqual(r.status, 201, r)
        return r.json

    def tstep(self, tid, action, status=200, user="admin", **body):
        body["action"] = action
        r = self.srv.as_(user, "POST", "/api/v1/tickets/%d/transitions" % tid, body)
        self.assertEqual(r.status, status, r)
        return r.json if status == 200 else r

    @staticmethod
    def hours_to(t, kind):
        """How many hours after the report the ticket's clock of kind is due, and its clause."""
        import calendar
        import time
        at = lambda s: calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
        c = [c for c in t["clocks"] if c["rule"].startswith(kind + ":")]
        if not c:
            return None
        return (at(c[0]["due_at"]) - at(t["reported_at"])) / 3600, c[0]["clause"]


class Tongbai(County, ServerTest):
    profile = "tongbai"

    def test_TB_12(self):
        """Carriers respond in 1 h and repair in 2 h (county units), 6 h (townships), 4 h (the
        core room), complex faults in 48 h, on the wall clock from the report; the repair clock
        stops only for the profile's reasons."""
        for level, hours in (("县直", 2), ("乡镇", 6), ("核心机房", 4)):
            t = self.ticket(self.demo_unit(level))
            self.assertEqual(self.hours_to(t, "respond"), (1, "TB-12"), level)
            self.assertEqual(self.hours_to(t, "repair"), (hours, "TB-12"), level)
        t = self.tstep(t["id"], "reclassify", site_class="complex", reason="主干光缆中断，需熔接")
        self.assertEqual(self.hours_to(t, "repair"), (48, "TB-12"))
        t = self.tstep(t["id"], "dispatch")
        self.tstep(t["id"], "respond", user="carrier")
        r = self.tstep(t["id"], "pause", 422, user="carrier", reason="等待备件",
                       pause_reason="waiting_parts")
        self.assertEqual(self.assertError(r, 422, "pause_reason")["clause"], "TB-12")
        t = self.tstep(t["id"], "pause", user="carrier", reason="机房无人开门",
                       pause_reason="no_access")
        self.assertEqual(t["state"], "paused")
        # a planned interruption: filed at least 2 hours ahead, carried out once agreed
        import time
        iso = lambda x: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(x))
        def maint(lead):
            start = time.time() + lead
            return self.srv.as_("carrier", "POST", "/api/v1/maintenance",
                                {"starts_at": iso(start), "ends_at": iso(start + 3600),
                                 "reason": "汇聚交换机升级", "unit_ids": [self.own]})
        r = maint(2 * 3600 - 120)
        self.assertEqual(self.assertError(r, 422, "starts_at")["clause"], "TB-12")
        r = maint(2 * 3600 + 1800)
        self.assertEqual((r.status, r.json["state"]), (201, "filed"), r)
        r = self.srv.as_("admin", "POST", "/api/v1/maintenance/%d/transitions" % r.json["id"],
                         {"action": "approve"})
        self.assertEqual((r.status, r.json["state"], r.json["clause"]), (200, "approved", "TB-12"))

    def test_TB_11(self):
        """A backbone fault goes to the manager, who has the carrier fix it; a LAN fault is
        the unit's own, which may ask the manager for help."""
        t = self.ticket(self.own, "lan", user="unit")
        self.assertEqual((t["state"], t["clause"], t["clocks"]), ("self", "TB-11", []))
        self.tstep(t["id"], "dispatch", 409)
        t = self.tstep(t["id"], "ask_help", user="unit")
        self.assertEqual(t["state"], "assisting")
        t = self.ticket(self.own, "backbone", user="unit")
        self.assertEqual(t["state"], "reported")
        self.tstep(t["id"], "dispatch", 403, user="unit")
        t = self.tstep(t["id"], "dispatch")
        line = self.srv.sql("SELECT carrier_id FROM lines WHERE id = ?", (t["line_id"],))[0][0]
        self.assertEqual(t["carrier_id"], line)

    def test_TB_13(self):
        """Apply (附件1), review in 3 working days, connect in 7 (extendable); never connect
        without an approved application."""
        unit = self.new_unit()
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/status" % unit, {"status": "已接入"})
        self.assertEqual((self.assertError(r, 422, "status")["clause"]), "TB-13")
        app = self.submit(self.access_body(unit))
        self.assertEqual(self.deadline(app, "access_review")["due_date"], self.due(3))
        app = self.tr(app["id"], "approve", zone_id=self.zone)
        impl = self.deadline(app, "access_implement")
        self.assertEqual((impl["due_date"], impl["clause"]), (self.due(7), "TB-13"))
        self.tr(app["id"], "pause", user="carrier", reason="使用单位不具备接入条件")
        self.tr(app["id"], "resume", user="carrier")
        self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(self.status(unit), ("已接入", "TB-13"))

    def test_TB_15(self):
        """Change application: 拆机 is reviewed in 3 working days, done in 7; the unit's lines
        and addresses are released."""
        unit, access = self.connected()
        app = self.submit({"kind": "change", "unit_id": unit, "change_type": "拆机"})
        self.assertEqual(self.deadline(app, "change_review")["due_date"], self.due(3))
        app = self.tr(app["id"], "approve")
        self.assertEqual(self.deadline(app, "change_implement")["due_date"], self.due(7))
        self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(self.status(unit), ("已拆机", "TB-15"))
        self.assertEqual(self.srv.sql("SELECT count(*) FROM prefixes WHERE unit_id = ?", (unit,)), [(0,)])

    def test_TB_6(self):
        """A changed security contact is re-filed within 1 working day. The unit changing it
        in the register itself starts that day's deadline; its re-filing meets it."""
        r = self.srv.as_("unit", "POST", "/api/v1/units/%d/contacts" % self.own,
                         {"role": "安全联系人", "name": "孙安全", "mobile": "13700000006"})
        self.assertEqual(r.status, 201, r)
        q = "/api/v1/deadlines?subject_type=unit&rule=contact_refile&subject_id=%d" % self.own
        started = [d for d in self.srv.as_("admin", "GET", q).json["items"]
                   if d["subject_id"] == self.own and d["status"] == "running"]
        self.assertEqual([(d["clause"], d["amount"], d["basis"]) for d in started],
                         [("TB-6", 1, "working_days")])
        # a second edit before the re-filing starts no second deadline
        r = self.srv.as_("unit", "PATCH", "/api/v1/units/%d/contacts/%d" % (self.own, r.json["id"]),
                         {"mobile": "13700000007"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len([d for d in self.srv.as_("admin", "GET", q).json["items"]
                              if d["subject_id"] == self.own and d["status"] == "running"]), 1)
        app = self.submit({"kind": "contact_refile", "unit_id": self.own, "contact_name": "孙安全",
                           "contact_mobile": "13700000006", "changed_on": beijing_today()},
                          user="unit")
        d = self.deadline(app, "contact_refile")
        self.assertEqual((d["clause"], d["status"], d["amount"]), ("TB-6", "met", 1))
        d = self.srv.as_("admin", "GET", "/api/v1/deadlines/%d" % started[0]["id"]).json
        self.assertEqual(d["status"], "met")
        self.tr(app["id"], "approve")
        self.assertIn(("孙安全",), self.srv.sql("SELECT name FROM contacts WHERE unit_id = ? AND"
                                               " role = '安全联系人'", (self.own,)))

    def test_TB_17(self):
        """An internet port is opened on an application stating its purpose, once approved."""
        unit, access = self.connected()
        ip = self.host_ip(access["prefix_id"])
        app = self.submit({"kind": "port", "unit_id": unit, "purpose": "政务服务系统对外服务",
                           "ports": [{"exposure": "互联网", "protocol": "tcp", "port": 443,
                                      "target_ip": ip, "purpose": "HTTPS"}]})
        self.assertEqual(app["clause"], "TB-17")
        text = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=nftables").raw.decode()
        self.assertNotIn(ip, text)  # not before approval
        self.tr(app["id"], "approve")
        text = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=nftables").raw.decode()
        self.assertIn("ip daddr %s tcp dport 443 accept" % ip, text)
        # A port put into the register by hand, on no application, stays closed (经审核批准后
        # 实施) and the export names it, so the firewall's keeper sees what was left out.
        other = self.host_ip(access["prefix_id"], 9)
        r = self.srv.as_("admin", "POST", "/api/v1/ports", {
            "unit_id": unit, "exposure": "互联网", "protocol": "tcp", "port": 3389,
            "target_ip": other, "purpose": "远程桌面"})
        self.assertEqual(r.status, 201, r)
        for fmt in ("nftables", "iptables"):
            text = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=" + fmt).raw.decode()
            rules = [l for l in text.splitlines() if not l.startswith("#")]
            self.assertFalse([l for l in rules if other in l], text)
            self.assertTrue([l for l in rules if ip in l], text)
            self.assertIn("未经端口开通申请审核批准（TB-17），不予开放", text)
            self.assertIn("端口 %d：互联网 %s tcp/3389" % (r.json["id"], other), text)

    def test_TB_23(self):
        """Minimal opening: the firewall opens exactly the approved ports, each only from the
        side it was approved for (the extranet or the internet); a refused application opens
        nothing, and every other new connection is dropped."""
        unit, access = self.connected()
        ip, other = self.host_ip(access["prefix_id"], 5), self.host_ip(access["prefix_id"], 6)
        app = self.submit({"kind": "port", "unit_id": unit, "purpose": "业务系统", "ports": [
            {"exposure": "政务外网", "protocol": "tcp", "port": 8080, "target_ip": ip,
             "purpose": "内部接口"},
            {"exposure": "互联网", "protocol": "tcp", "port": 443, "target_ip": ip,
             "purpose": "HTTPS"}]})
        refused = self.submit({"kind": "port", "unit_id": unit, "purpose": "远程维护", "ports": [
            {"exposure": "互联网", "protocol": "tcp", "port": 22, "target_ip": other,
             "purpose": "SSH"}]})
        self.tr(refused["id"], "reject", reason="远程维护不得向互联网开放")
        self.tr(app["id"], "approve")
        text = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=iptables").raw.decode()
        lines = text.splitlines()
        mine = [l.split(" -m comment")[0] for l in lines if " -d %s/32 " % ip in l]
        self.assertEqual(mine, ["-A ZWNET_EXTRANET -d %s/32 -p tcp -m tcp --dport 8080" % ip,
                                "-A ZWNET_INTERNET -d %s/32 -p tcp -m tcp --dport 443" % ip])
        self.assertNotIn(other + "/32", text)
        for chain in ("ZWNET_EXTRANET", "ZWNET_INTERNET"):
            rules = [l for l in lines if l.startswith("-A %s " % chain)]
            self.assertEqual(rules[-1], "-A %s -m conntrack --ctstate NEW -j DROP" % chain)

    def test_TB_18(self):
        """A business network exchanging data with the extranet has an isolation device."""
        body = {"kind": "interconnect", "unit_id": self.own, "network_name": "医保业务专网",
                "interconnect_type": "数据交互", "plan": "经隔离设备摆渡数据"}
        self.assertError(self.srv.as_("unit", "POST", A, body), 400, "isolation_device")
        body["isolation_device"] = "网闸 XX-GAP 2000"
        app = self.submit(body, user="unit")
        self.assertEqual(self.tr(app["id"], "approve")["isolation_device"], "网闸 XX-GAP 2000")

    def test_TB_24(self):
        """Migrating or joining a business network: application, plan, approval."""
        app = self.submit({"kind": "interconnect", "unit_id": self.own, "network_name": "教育专网",
                           "interconnect_type": "整合迁移", "plan": "2027年6月前迁入政务外网"}, user="unit")
        app = self.tr(app["id"], "approve")
        self.assertEqual((app["status"], app["clause"]), ("已批准", "TB-24"))

    def test_TB_4(self):
        """No new or extended dedicated networks: one found at an inspection is a case under
        TB-4 the unit is made to rectify (TB-9); a second offence disconnects the unit (TB-9's
        ladder). An existing network migrates by an application (test_TB_24)."""
        unit, _ = self.connected()
        v = self.case(unit, "private_line", "检查发现该单位新建视频会议业务专网")
        self.assertEqual((v["clause"], v["behaviour_name"], v["sanction"], v["sanction_clause"],
                          v["offence"]),
                         ("TB-4", "新建和改扩建非涉密业务专网", "rectify", "TB-9", 1))
        self.vstep(v["id"], "notify")
        v = self.vstep(v["id"], "rectify")
        self.assertEqual([(d["rule"], d["clause"]) for d in v["deadlines"]],
                         [("rectification", "TB-9")])
        self.vstep(v["id"], "verify", reason="专网已停用，业务迁入县政务外网")
        self.assertEqual(self.vstep(v["id"], "close")["state"], "closed")
        again = self.case(unit, "private_line", "再次发现该单位改扩建业务专网")
        self.assertEqual((again["offence"], again["sanction"], again["sanction_clause"]),
                         (2, "suspend_unit", "TB-9"))

    def test_TB_9(self):
        """A problem found at an inspection is rectified; a serious one disconnects the unit at
        once, and it is connected again only once the rectification is verified."""
        unit, access = self.connected()
        block = self.cidr(access["prefix_id"])
        minor = self.case(unit, "wireless_device", "检查发现私接无线路由器")
        self.assertEqual((minor["sanction"], minor["sanction_clause"]), ("rectify", "TB-9"))
        self.assertError(self.vstep(minor["id"], "isolate", status=422), 422, "action")
        self.vstep(minor["id"], "notify")
        self.vstep(minor["id"], "rectify")
        self.vstep(minor["id"], "verify", reason="无线路由器已拆除")
        self.vstep(minor["id"], "close")
        self.assertEqual(self.status(unit)[0], "已接入")

        v = self.case(unit, "classified_equipment", "检查发现涉密计算机接入县政务外网")
        self.assertEqual((v["clause"], v["sanction"], v["sanction_clause"]),
                         ("TB-19", "suspend_unit", "TB-9"))
        v = self.vstep(v["id"], "isolate", reason="问题严重，立即断网")
        self.assertEqual((v["state"], v["isolated_scope"]), ("isolated", "unit"))
        self.assertEqual(self.status(unit), ("暂停", "TB-9"))
        self.assertIn(block, self.cut_off())
        self.vstep(v["id"], "reconnect", status=409)  # not before the rectification
        v = self.vstep(v["id"], "rectify")
        self.assertEqual([(d["rule"], d["clause"]) for d in v["deadlines"]],
                         [("rectification", "TB-9")])
        self.vstep(v["id"], "reconnect", status=409)  # nor before it is verified
        self.vstep(v["id"], "verify", reason="涉密计算机已撤离，复查合格")
        self.assertIn(block, self.cut_off())
        v = self.vstep(v["id"], "reconnect")
        self.assertEqual(v["state"], "reconnected")
        self.assertEqual(self.status(unit), ("已接入", "TB-9"))
        self.assertNotIn(block, self.cut_off())

    def test_TB_5(self):
        """One unified internet egress: no egress exception procedure exists under TB."""
        r = self.srv.as_("unit", "POST", A, {"kind": "egress", "unit_id": self.own,
                                             "egress_provider": "某运营商", "purpose": "自建出口"})
        self.assertError(r, 422, "kind")

    # TB-14 (units may use the unified internet egress but must keep their own LAN secure) has
    # no scenario: no rule of the server rests on it. The unified egress is TB-5's (no egress
    # exception procedure, test_TB_5); the LAN's terminals are TB-20's (terminal_policy).

    def test_TB_16(self):
        """The devices the manager deploys at a unit are in the unit's custody: one switched off,
        reconfigured or moved, or a line unplugged, is a case under TB-16, and the repair of
        what poor custody damaged is charged to the unit."""
        unit, _ = self.connected()
        r = self.srv.as_("admin", "POST", "/api/v1/devices", {
            "name": "接入路由器%d" % unit, "kind": "路由器", "owner": "信息中心", "unit_id": unit,
            "custodian": "本单位网络管理员"})
        self.assertEqual((r.status, r.json["owner"], r.json["custodian"]),
                         (201, "信息中心", "本单位网络管理员"), r)
        v = self.case(unit, "device_tamper", "接入路由器%d被擅自修改配置" % r.json["id"])
        self.assertEqual((v["clause"], v["sanction"], v["cost_to_unit"]), ("TB-16", "rectify", True))
        self.assertIn("charge", [a["action"] for a in v["actions"]])
        v = self.vstep(v["id"], "charge", amount="800", reason="恢复配置，更换损坏的电源模块")
        self.assertEqual((v["repair_cost"], v["repair_cost_yuan"]), (80000, "800.00"))
        # The charge rests on TB-16 (承担修复费用), not on the sanction's TB-9.
        charge = [e for e in v["events"] if e["action"] == "charge"]
        self.assertEqual([e["clause"] for e in charge], ["TB-16"], v["events"])
        line = self.case(unit, "line_damage", "接入线路被随意插拔，光模块损坏")
        self.assertEqual((line["clause"], line["cost_to_unit"]), ("TB-16", True))
        line = self.vstep(line["id"], "charge", amount="120.5", reason="更换光模块")
        self.assertEqual(line["repair_cost"], 12050)


class Miyun(County, ServerTest):
    profile = "miyun"
    zone_cidr = "10.61.0.0/16"

    def test_MY_4(self):
        """Written application approved by the authority, then implemented by the center."""
        unit = self.new_unit()
        app = self.submit(self.access_body(unit))
        self.assertEqual(app["awaiting"]["role"], "authority")
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "approve"})
        self.assertEqual(self.assertError(r, 403)["clause"], "MY-4")
        # the authority's approval is the decision: the 信息中心 approves nothing after it
        app = self.tr(app["id"], "approve", user="authority", zone_id=self.zone)
        self.assertEqual(app["status"], "实施中")
        self.assertNotIn("awaiting", app)
        self.assertNotIn("approve", [a["action"] for a in app["actions"]])
        # ... it carries the connection out (审批通过后由县信息中心负责网络接入)
        self.assertIn("complete", [a["action"] for a in
                                   self.srv.as_("admin", "GET", "%s/%d" % (A, app["id"])).json["actions"]])
        app = self.tr(app["id"], "complete")
        self.assertEqual(app["status"], "已办结")
        self.assertEqual([(e["action"], e["actor"]) for e in app["events"]
                          if e["action"] in ("approve", "complete")],
                         [("approve", "authority"), ("complete", "admin")])
        self.assertEqual(self.srv.as_("admin", "GET", "/api/v1/units/%d" % unit).json["status"], "已接入")

    def test_MY_5(self):
        """Units do not change the addresses the 信息中心 planned: a registered computer seen at
        another address is a case under MY-5, criticised and ordered to correct (MY-24); a unit
        needing other addresses applies for a change (MY-5)."""
        unit, access = self.connected()
        out, moved = self.moved_terminal(unit, access["prefix_id"], "00:16:3e:05:00:%02x" % (unit % 256))
        self.assertEqual(out["new_violations"], 1, out)
        v = self.srv.as_("admin", "GET", "/api/v1/violations?unit_id=%d" % unit).json["items"]
        self.assertEqual([(x["clause"], x["behaviour"], x["sanction"], x["sanction_clause"], x["ip"])
                          for x in v],
                         [("MY-5", "private_address_change", "criticize", "MY-24", moved)])
        app = self.submit({"kind": "change", "unit_id": unit, "change_type": "其他",
                           "change_other": "增加IP地址", "ip_count": 20})
        self.assertEqual((app["clause"], self.deadline(app, "change_review")["clause"]),
                         ("MY-5", "MY-5"))

    def test_MY_6(self):
        """Special needs for another connection are reviewed and filed by the authority."""
        app = self.submit({"kind": "egress", "unit_id": self.own, "egress_provider": "某运营商专线",
                           "purpose": "视频会议", "valid_until": "2027-12-31"}, user="unit")
        self.assertEqual(self.deadline(app, "egress_review")["clause"], "MY-6")
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "approve"})
        self.assertError(r, 403)
        app = self.tr(app["id"], "approve", user="authority")
        self.assertEqual((app["status"], app["valid_until"]), ("已批准", "2027-12-31"))

    def test_MY_7(self):
        """Information systems are reviewed and filed before they open."""
        app = self.submit({"kind": "system", "unit_id": self.own, "system_name": "行政审批系统",
                           "djcp_level": "第二级", "purpose": "网上审批"}, user="unit")
        self.tr(app["id"], "go_live", user="unit", status=409)
        self.tr(app["id"], "approve", user="authority")
        app = self.tr(app["id"], "go_live", user="unit")
        self.assertEqual((app["status"], app["clause"]), ("已办结", "MY-7"))


class Shengsi(County, ServerTest):
    profile = "shengsi"
    zone_cidr = "10.62.0.0/16"
    assessment = {"assessment_org": "舟山市网络安全测评中心", "assessment_on": "2026-03-01",
                  "assessment_conclusion": "符合"}

    def test_SS_24(self):
        """A change to a system carries emergency measures and a rollback plan before it is
        approved; its execution is recorded."""
        import time
        planned = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        r = self.srv.as_("unit", "POST", "/api/v1/changes",
                         {"unit_id": self.own, "kind": "system", "subject": "OA 办公系统",
                          "description": "升级到 5.0 版", "planned_at": planned})
        self.assertEqual((r.status, r.json["state"]), (201, "submitted"), r)
        cid = r.json["id"]
        path = "/api/v1/changes/%d/transitions" % cid
        r = self.srv.as_("admin", "POST", path, {"action": "approve"})
        self.assertEqual(self.assertError(r, 422, "emergency_measures")["clause"], "SS-24")
        r = self.srv.as_("unit", "POST", path, {"action": "revise",
                                                "emergency_measures": "升级前全量备份，保留旧版本服务器"})
        self.assertEqual(r.status, 200, r)
        r = self.srv.as_("admin", "POST", path, {"action": "approve"})
        self.assertEqual(self.assertError(r, 422, "rollback_plan")["clause"], "SS-24")
        r = self.srv.as_("unit", "POST", path, {"action": "revise",
                                                "rollback_plan": "切回旧版本服务器并恢复备份"})
        r = self.srv.as_("admin", "POST", path, {"action": "approve"})
        self.assertEqual((r.status, r.json["state"], r.json["clause"]), (200, "approved", "SS-24"))
        r = self.srv.as_("unit", "POST", path, {"action": "execute", "reason": "升级完成，运行正常"})
        self.assertEqual((r.status, r.json["state"], r.json["outcome"]),
                         (200, "done", "升级完成，运行正常"), r)

    def test_SS_10(self):
        """Security assessment and 等保 testing before connecting."""
        app = self.submit(self.access_body(self.new_unit()))
        e = self.assertError(self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]),
                                          {"action": "approve", "zone_id": self.zone}), 422, "assessment_on")
        self.assertEqual(e["clause"], "SS-10")
        bad = self.submit(self.access_body(self.new_unit(), **dict(self.assessment, assessment_conclusion="不符合")))
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, bad["id"]), {"action": "approve"})
        self.assertError(r, 422, "assessment_conclusion")
        ok = self.submit(self.access_body(self.new_unit(), **self.assessment))
        self.assertEqual(self.tr(ok["id"], "approve", zone_id=self.zone)["status"], "实施中")

    def test_SS_9(self):
        """Unified egress; an exception is requested, approved and recorded."""
        app = self.submit({"kind": "egress", "unit_id": self.own, "egress_provider": "电信",
                           "purpose": "业务需要", "bandwidth_mbps": 50}, user="unit")
        app = self.tr(app["id"], "approve")
        self.assertEqual((app["status"], app["clause"]), ("已批准", "SS-9"))

    def test_SS_14(self):
        """Port opening with the purpose of each port, approval and filing."""
        unit, access = self.connected(**self.assessment)
        ip = self.host_ip(access["prefix_id"])
        app = self.submit({"kind": "port", "unit_id": unit, "purpose": "对外服务",
                           "ports": [{"protocol": "udp", "port": 53, "target_ip": ip, "purpose": "DNS"}]})
        self.assertEqual(self.deadline(app, "port_review")["clause"], "SS-14")
        self.tr(app["id"], "approve", review_on="2027-03-31")
        self.assertEqual(self.srv.sql("SELECT protocol, port, review_on FROM ports WHERE unit_id = ?", (unit,)),
                         [("udp", 53, "2027-03-31")])

    def test_SS_15(self):
        """A system goes live only after 等保 grading, testing and filing."""
        base = {"kind": "system", "unit_id": self.own, "system_name": "海岛渔业管理系统",
                "djcp_level": "第二级", "purpose": "渔船管理"}
        app = self.submit(dict(base, **self.assessment), user="unit")
        self.tr(app["id"], "approve")
        e = self.assertError(self.srv.as_("unit", "POST", "%s/%d/transitions" % (A, app["id"]),
                                          {"action": "go_live"}), 422, "djcp_filing_no")
        self.assertEqual(e["clause"], "SS-15")
        full = self.submit(dict(base, djcp_filing_no="33090399999-00001", djcp_test_on="2026-04-01",
                                **self.assessment), user="unit")
        self.tr(full["id"], "approve")
        self.assertEqual(self.tr(full["id"], "go_live", user="unit")["status"], "已办结")

    def test_SS_17(self):
        """Cloud resources are used within the approved scope: the filing records them."""
        app = self.submit({"kind": "system", "unit_id": self.own, "system_name": "网站群",
                           "djcp_level": "第二级", "purpose": "门户", "hosting": "政务云 4核8G 两台",
                           **self.assessment}, user="unit")
        app = self.tr(app["id"], "approve")
        self.assertEqual(app["hosting"], "政务云 4核8G 两台")

    def test_SS_11(self):
        """Units may not handle the interface devices or change their configuration: a change
        found at an inspection is a case under SS-11 with a written notice to rectify in time
        (SS-25); a change the unit needs goes by its application, reviewed by the 县大数据局
        within SS-11's time before it is done."""
        unit, _ = self.connected(**self.assessment)
        v = self.case(unit, "device_tamper", "检查发现接入交换机配置被使用单位擅自修改")
        self.assertEqual((v["clause"], v["sanction_name"], v["sanction_clause"]),
                         ("SS-11", "书面通知其限期整改", "SS-25"))
        self.vstep(v["id"], "notify")
        d = self.vstep(v["id"], "rectify")["deadlines"]
        self.assertEqual([(x["rule"], x["clause"], x["due_date"]) for x in d],
                         [("rectification", "SS-25", self.due(10))])
        app = self.submit({"kind": "change", "unit_id": self.own, "change_type": "移机",
                           "new_address": "菜园镇新址"}, user="unit")
        review = self.deadline(app, "change_review")
        self.assertEqual((app["clause"], review["clause"], review["due_date"]),
                         ("SS-11", "SS-11", self.due(5)))
        app = self.tr(app["id"], "approve")
        self.assertEqual((app["status"], self.deadline(app, "change_implement")["clause"]),
                         ("实施中", "SS-11"))

    def test_SS_12(self):
        """A business network exchanging data with the extranet needs an isolation device the
        unit deploys: one found without it is a case under SS-12 with a written notice to
        rectify (SS-25); the device is registered with the unit and the rectification
        verified before the case closes."""
        unit, _ = self.connected(**self.assessment)
        v = self.case(unit, "unapproved_interconnect", "医保业务专网与政务外网直接交换数据，未部署隔离设备")
        self.assertEqual((v["clause"], v["sanction"], v["sanction_clause"]), ("SS-12", "rectify", "SS-25"))
        self.vstep(v["id"], "notify")
        v = self.vstep(v["id"], "rectify")
        self.assertEqual([d["clause"] for d in v["deadlines"]], ["SS-25"])
        r = self.srv.as_("admin", "POST", "/api/v1/devices", {"name": "网闸%d" % unit, "kind": "隔离设备",
                                                              "owner": "使用单位", "unit_id": unit})
        self.assertEqual((r.status, r.json["kind"], r.json["unit_id"]), (201, "隔离设备", unit), r)
        self.vstep(v["id"], "verify", reason="已部署网闸 %s，由本单位负责数据摆渡" % r.json["name"])
        self.assertEqual(self.vstep(v["id"], "close")["state"], "closed")


class Jiaxian(County, ServerTest):
    profile = "jiaxian"
    zone_cidr = "10.63.0.0/16"
    agreements = ("confidentiality", "security_responsibility")

    def test_JX_19(self):
        """A duty system and a duty log: the roster names who is on duty, the shift records
        what it saw and did, and is handed over only with every regular check recorded."""
        ops = self.srv.sql("SELECT id FROM users WHERE username = 'ops'")[0][0]
        r = self.srv.as_("admin", "POST", "/api/v1/duty",
                         {"day": beijing_today(), "shift": "白班", "user_id": ops})
        self.assertEqual(r.status, 201, r)
        sid, checks = r.json["id"], r.json["checks"]
        self.assertEqual(r.json["clause"], "JX-19")
        self.assertGreaterEqual(len(checks), 3)
        path = "/api/v1/duty/%d" % sid
        self.assertEqual(self.srv.as_("admin", "POST", path + "/transitions",
                                      {"action": "take_over"}).status, 403)
        r = self.srv.as_("ops", "POST", path + "/transitions", {"action": "take_over"})
        self.assertEqual((r.status, r.json["state"]), (200, "on_duty"), r)
        r = self.srv.as_("ops", "POST", path + "/entries", {"seen": "08:30 城关镇出口丢包",
                                                           "done": "已电话报修"})
        self.assertEqual(r.status, 201, r)
        for c in checks[:-1]:
            r = self.srv.as_("ops", "POST", path + "/entries",
                             {"check_item": c, "result": "正常", "seen": "无异常"})
            self.assertEqual(r.status, 201, r)
        r = self.srv.as_("ops", "POST", path + "/transitions", {"action": "hand_over"})
        e = self.assertError(r, 422)
        self.assertEqual(e["clause"], "JX-19")
        self.assertIn(checks[-1], e["message"])
        self.srv.as_("ops", "POST", path + "/entries",
                     {"check_item": checks[-1], "result": "异常", "seen": "备份任务失败",
                      "done": "已重新执行"})
        r = self.srv.as_("ops", "POST", path + "/transitions",
                         {"action": "hand_over", "reason": "城关镇线路待电信回复"})
        self.assertEqual((r.status, r.json["state"]), (200, "handed_over"), r)
        self.assertEqual(len(r.json["entries"]), len(checks) + 1)
        # the day's log on paper: every check with its result, what was seen and done, the
        # handover, and the clause it rests on
        r = self.srv.as_("admin", "GET", "/api/v1/duty/log?day=" + beijing_today())
        self.assertEqual(r.status, 200, r)
        page = r.raw.decode()
        for text in checks + ["备份任务失败", "已电话报修", "城关镇线路待电信回复", "JX-19"]:
            self.assertIn(text, page)
        self.assertEqual(page.count("<td>正常</td>"), len(checks) - 1)
        self.assertNotIn("未记录", page)
        r = self.srv.as_("admin", "GET", "/api/v1/duty/log?format=pdf&day=" + beijing_today())
        self.assertEqual((r.status, r.raw[:5]), (200, b"%PDF-"), r)
        self.assertEqual(self.srv.as_("admin", "GET", "/api/v1/duty/log?day=2026-13-01").status,
                         400)

    def test_JX_18(self):
        """The center's emergency and disaster-recovery plans are filed with 榆林市数据局 before
        they are in force: publishing one unfiled is refused citing JX-18; filed, it runs its
        review and drill clocks, each drill recorded restarts the drill clock, and retiring it
        stops them."""
        plan = {"kind": "disaster_recovery", "title": "政务外网核心机房灾难恢复预案",
                "version": "2026版", "scope": "县信息化中心负责的网络、设备、数据和应用系统",
                "measures": "核心交换机故障时切换备用链路；一小时内向县信息化中心主任报告",
                "recovery": "数据每日异地备份；核心业务4小时内恢复"}
        r = self.srv.as_("admin", "POST", "/api/v1/plans", plan)
        self.assertEqual((r.status, r.json["state"], r.json["clause"]), (201, "draft", "JX-18"), r)
        pid, path = r.json["id"], "/api/v1/plans/%d" % r.json["id"]
        self.assertNotIn("publish", [a["action"] for a in r.json["actions"]])
        r = self.srv.as_("admin", "POST", path + "/transitions", {"action": "publish"})
        e = self.assertError(r, 422)
        self.assertEqual(e["clause"], "JX-18")
        self.assertIn("榆林市数据局", e["message"])
        r = self.srv.as_("ops", "POST", path + "/transitions", {"action": "submit_filing"})
        self.assertEqual((r.status, r.json["state"], r.json["filing_authority"]),
                         (200, "filing", "榆林市数据局"), r)
        # the authority it is filed with is told, and reads it
        self.assertTrue(self.srv.sql("SELECT 1 FROM outbox WHERE subject_type = 'plan' AND"
                                     " subject_id = ? AND roles LIKE '%supervisor%'", (pid,)))
        self.assertEqual(self.srv.as_("inspector", "GET", path).status, 200)
        r = self.srv.as_("admin", "POST", path + "/transitions", {"action": "record_filing"})
        self.assertEqual(self.assertError(r, 400)["field"], "filing_no")
        r = self.srv.as_("admin", "POST", path + "/transitions",
                         {"action": "record_filing", "filing_no": "榆数备〔2026〕17号",
                          "filed_on": "2026-11-20"})
        self.assertEqual((r.status, r.json["state"], r.json["filed_on"]),
                         (200, "in_force", "2026-11-20"), r)
        clocks = {c["rule"]: c for c in r.json["clocks"]}
        self.assertEqual(set(clocks), {"plan_review", "plan_drill"})
        self.assertEqual({c["status"] for c in clocks.values()}, {"running"})
        self.assertEqual(clocks["plan_drill"]["clause"], "JX-附件2")
        # a drill: recorded under the plan, its clock met and started again
        r = self.srv.as_("ops", "POST", path + "/drills",
                         {"drilled_on": "2026-11-28", "scenario": "核心交换机断电",
                          "participants": "县信息化中心网络组、电信维护人员",
                          "result": "35 分钟切换至备用链路", "problems": "备用链路带宽不足",
                          "improvements": "申请扩容备用链路"})
        self.assertEqual(r.status, 201, r)
        r = self.srv.as_("admin", "GET", path)
        self.assertEqual(r.json["last_drill_on"], "2026-11-28")
        drills = [c for c in r.json["clocks"] if c["rule"] == "plan_drill"]
        self.assertEqual(sorted(c["status"] for c in drills), ["met", "running"], drills)
        r = self.srv.as_("admin", "POST", path + "/transitions",
                         {"action": "retire", "reason": "机房搬迁，预案重新编制"})
        self.assertEqual((r.status, r.json["state"]), (200, "retired"), r)
        self.assertNotIn("running", [c["status"] for c in r.json["clocks"]])
        # no drill of a plan not in force
        r = self.srv.as_("ops", "POST", path + "/drills",
                         {"drilled_on": "2026-11-29", "scenario": "x", "participants": "x",
                          "result": "x"})
        self.assertEqual(self.assertError(r, 409)["clause"], "JX-18")

    def test_JX_9(self):
        """保密协议 and 网络安全责任书 are signed when connecting."""
        unit = self.new_unit()
        app = self.submit(self.access_body(unit))
        self.tr(app["id"], "approve", zone_id=self.zone)
        names = {"confidentiality": "保密协议", "security_responsibility": "网络安全责任书"}
        for kind in self.agreements:  # each one is required: refused until it is signed
            r = self.srv.as_("carrier", "POST", "%s/%d/transitions" % (A, app["id"]),
                             {"action": "complete"})
            e = self.assertError(r, 422)
            self.assertEqual(e["clause"], "JX-9")
            self.assertIn("《%s》" % names[kind], e["message"])
            r = self.srv.as_("admin", "POST", "/api/v1/units/%d/agreements" % unit,
                             {"kind": kind, "signed_on": "2026-01-05"})
            self.assertEqual(r.status, 201, r)
        self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(self.status(unit), ("已接入", "JX-9"))

    def test_JX_20(self):
        """The center divides VLANs and allocates addresses, sized by the application."""
        unit, app = self.connected()
        length, vid = self.srv.sql("SELECT p.length, v.vid FROM prefixes p JOIN vlans v ON"
                                   " v.id = p.vlan_id WHERE p.id = ?", (app["prefix_id"],))[0]
        self.assertEqual(length, 28)  # 10 hosts
        self.assertGreaterEqual(vid, 100)

    def test_JX_21(self):
        """The unit's admin assigns addresses inside the unit's own subnet only."""
        unit, app = self.connected()
        r = self.srv.as_("unit", "POST", "/api/v1/addresses", {"prefix_id": app["prefix_id"], "kind": "静态"})
        self.assertError(r, 404)  # another unit's subnet
        r = self.srv.as_("admin", "POST", "/api/v1/addresses", {"prefix_id": app["prefix_id"], "kind": "静态"})
        self.assertEqual(r.status, 201, r)

    def test_JX_22(self):
        """A computer whose IP was changed by hand (seen by a probe at another address than
        its registered one) is a violation of JX-22, handled under JX-26: the whole unit is
        disconnected with a deadline to rectify, then reconnected."""
        unit, app = self.connected()
        ip = self.host_ip(app["prefix_id"], 5)
        moved = self.host_ip(app["prefix_id"], 6)
        mac = "00:16:3e:22:00:%02x" % (unit % 256)
        r = self.srv.as_("admin", "POST", "/api/v1/terminals",
                         {"mac": mac, "ip": ip, "unit_id": unit, "kind": "计算机"})
        self.assertEqual(r.status, 201, r)
        token = self.srv.as_("admin", "POST", "/api/v1/tokens",
                             {"name": "jx22-%d" % unit, "scope": "probe"}).json["token"]
        r = self.srv.request("POST", "/api/v1/observations", {"probe": "gw", "observations": [
            {"kind": "arp", "op": "reply", "at": "2026-11-24T09:00:00Z", "mac": mac,
             "ip": moved}]}, token=token)
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json["new_violations"], 1, r)
        v = self.srv.as_("admin", "GET", "/api/v1/violations?unit_id=%d" % unit).json["items"]
        self.assertEqual([(x["clause"], x["sanction_clause"], x["ip"]) for x in v],
                         [("JX-22", "JX-26", moved)])
        for action in ("notify", "isolate", "rectify"):
            r = self.srv.as_("admin", "POST", "/api/v1/violations/%d/transitions" % v[0]["id"],
                             {"action": action})
            self.assertEqual(r.status, 200, r)
        self.assertEqual(self.status(unit), ("暂停", "JX-26"))
        self.assertEqual(r.json["deadlines"][0]["clause"], "JX-26")
        for action in ("verify", "reconnect"):
            r = self.srv.as_("admin", "POST", "/api/v1/violations/%d/transitions" % v[0]["id"],
                             {"action": action, "reason": "已改回登记地址"})
            self.assertEqual(r.status, 200, r)
        self.assertEqual(self.status(unit)[0], "已接入")

    def test_JX_26(self):
        """Damaging the lines or the access module: the unit is disconnected for a time and
        told to rectify by a deadline, the repair is charged to it, and it is connected again
        once the rectification is verified; a second offence is 取消入网资格."""
        unit, access = self.connected()
        block = self.cidr(access["prefix_id"])
        v = self.case(unit, "line_damage", "私自拆改接入模块，导致线路中断")
        self.assertEqual((v["clause"], v["sanction_name"], v["sanction_clause"], v["cost_to_unit"]),
                         ("JX-14", "暂时断网并限期整改", "JX-26", True))
        self.vstep(v["id"], "notify")
        self.vstep(v["id"], "isolate", reason="线路故障影响县政务网络")
        self.assertEqual(self.status(unit), ("暂停", "JX-26"))
        self.assertIn(block, self.cut_off())
        d = self.vstep(v["id"], "rectify")["deadlines"]
        self.assertEqual([(x["rule"], x["clause"], x["due_date"]) for x in d],
                         [("rectification", "JX-26", self.due(10))])
        v = self.vstep(v["id"], "charge", amount="1280.5", reason="更换接入模块及熔接光纤")
        self.assertEqual((v["repair_cost"], v["events"][-1]["clause"]), (128050, "JX-26"))
        self.vstep(v["id"], "verify", reason="接入模块已修复，线路恢复")
        self.vstep(v["id"], "reconnect")
        self.assertEqual(self.status(unit), ("已接入", "JX-26"))
        self.assertNotIn(block, self.cut_off())
        again = self.case(unit, "line_damage", "再次破坏接入线路")
        self.assertEqual((again["offence"], again["sanction_name"], again["sanction_clause"]),
                         (2, "取消入网资格", "JX-26"))

    def test_JX_27(self):
        """Serious cases lose the right to connect; they cannot simply apply again."""
        unit, _ = self.connected()
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/status" % unit,
                         {"status": "已撤销入网资格", "reason": "散发恶意信息", "clause": "JX-27"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.status(unit), ("已撤销入网资格", "JX-27"))
        self.assertError(self.srv.as_("admin", "POST", A, self.access_body(unit)), 409, "unit_id")

    def test_JX_8(self):
        """No private egress: the regulation has no exception procedure."""
        r = self.srv.as_("admin", "POST", A, {"kind": "egress", "unit_id": self.own,
                                              "egress_provider": "x", "purpose": "y"})
        self.assertError(r, 422, "kind")


class Luoning(County, ServerTest):
    profile = "luoning"
    zone_cidr = "10.64.0.0/16"
    agreements = ("security_commitment",)

    def test_LN_13(self):
        """Every unit keeps an emergency plan (LN-13(二)): a connected unit without one in force
        is on the list, and leaves it when its own plan takes effect; a unit's plan is its own
        to publish, with no filing."""
        own = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        r = self.srv.as_("admin", "GET", "/api/v1/plans/missing")
        self.assertEqual((r.status, r.json["required"], r.json["clause"]), (200, True, "LN-13"), r)
        connected = {u for (u,) in self.srv.sql(
            "SELECT id FROM units WHERE status IN ('已接入', '暂停')")}
        self.assertEqual({i["unit_id"] for i in r.json["items"]}, connected)
        r = self.srv.as_("unit", "GET", "/api/v1/plans/missing")
        self.assertEqual([i["unit_id"] for i in r.json["items"]], [own])
        r = self.srv.as_("unit", "POST", "/api/v1/plans",
                         {"unit_id": own, "kind": "emergency", "title": "网络突发事件应急预案",
                          "scope": "本单位局域网及接入政务外网的终端",
                          "measures": "发现病毒立即断开终端网线并报县政府信息中心"})
        self.assertEqual(r.status, 201, r)
        path = "/api/v1/plans/%d" % r.json["id"]
        self.assertEqual([a["action"] for a in r.json["actions"]], ["publish", "retire"])
        r = self.srv.as_("unit", "POST", path + "/transitions", {"action": "submit_filing"})
        self.assertEqual(self.assertError(r, 422)["clause"], "LN-13")
        r = self.srv.as_("unit", "POST", path + "/transitions", {"action": "publish"})
        self.assertEqual((r.status, r.json["state"]), (200, "in_force"), r)
        r = self.srv.as_("admin", "GET", "/api/v1/plans/missing")
        self.assertNotIn(own, {i["unit_id"] for i in r.json["items"]})
        self.assertEqual(len(r.json["items"]), len(connected) - 1)
        self.assertEqual(self.srv.as_("unit", "GET", "/api/v1/plans/missing").json["items"], [])
        # a unit's plan is not another unit's to read
        other = min(connected - {own})
        r = self.srv.as_("unit", "POST", "/api/v1/plans",
                         {"unit_id": other, "kind": "emergency", "title": "x", "scope": "x",
                          "measures": "x"})
        self.assertEqual(r.status, 404, r)

    def test_LN_26(self):
        """Carriers answer faults 7×24 and clear them within 12 hours (LN-25: the unit reports
        to the center)."""
        for level in ("县直", "乡镇"):
            t = self.ticket(self.demo_unit(level))
            self.assertEqual(self.hours_to(t, "repair"), (12, "LN-26"))
            self.assertIsNone(self.hours_to(t, "respond"))
        lan = self.ticket(self.own, "lan", user="unit")
        self.assertEqual((lan["state"], lan["clause"]), ("self", "LN-25"))

    def test_LN_16(self):
        """Access application reviewed by the center."""
        app = self.submit(self.access_body(self.new_unit()))
        d = self.deadline(app, "access_review")
        self.assertEqual((app["clause"], d["due_date"]), ("LN-16", self.due(5)))

    def test_LN_17(self):
        """安全保密承诺书 before connecting; a unit connected before the regulation took effect
        (2018-08-30) is registered as connected and stands on the 补签 list until it signs."""
        unit = self.new_unit()
        app = self.submit(self.access_body(unit))
        self.tr(app["id"], "approve", zone_id=self.zone)
        r = self.srv.as_("carrier", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "complete"})
        self.assertEqual(self.assertError(r, 422)["clause"], "LN-17")
        self.srv.as_("admin", "POST", "/api/v1/units/%d/agreements" % unit,
                     {"kind": "security_commitment", "signed_on": "2026-01-05"})
        self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(self.status(unit)[0], "已接入")

        def register(name, connected_on):
            return self.srv.as_("admin", "POST", "/api/v1/units", {
                "name": name, "type": "事业单位", "level": "县直", "address": "城关镇",
                "status": "已接入", "connected_on": connected_on})
        # after the regulation: no registration as connected at all, it applies (LN-16)
        r = register("补签测试单位甲", "2019-03-01")
        self.assertEqual(self.assertError(r, 422, "status")["clause"], "LN-16")
        r = register("补签测试单位乙", "2016-05-10")
        self.assertEqual(r.status, 201, r)
        old = r.json["id"]

        def backlog():
            items = self.srv.as_("admin", "GET", "/api/v1/agreements/missing").json["items"]
            return [(m["kind"], m["backfill"]) for i in items if i["unit_id"] == old
                    for m in i["missing"]]
        self.assertEqual(backlog(), [("security_commitment", True)])
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/agreements" % old,
                         {"kind": "security_commitment", "signed_on": "2026-02-01"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(backlog(), [])

    def test_LN_23(self):
        """A LAN upgrade or renovation is filed with the center."""
        app = self.submit({"kind": "lan", "unit_id": self.own, "purpose": "办公楼综合布线改造",
                           "planned_on": "2027-01-10"}, user="unit")
        self.assertEqual(self.deadline(app, "filing_review")["due_date"], self.due(5))
        app = self.tr(app["id"], "approve")
        self.assertEqual((app["status"], app["clause"]), ("已批准", "LN-23"))

    def test_LN_21(self):
        """The archive of an access network: addresses, ports, domain names."""
        unit, app = self.connected()
        r = self.srv.as_("admin", "GET", "/api/v1/units/%d/archive" % unit)
        self.assertEqual(r.status, 200, r)
        cidr = self.srv.sql("SELECT cidr FROM prefixes WHERE id = ?", (app["prefix_id"],))[0][0]
        self.assertIn(cidr, r.raw.decode())


if __name__ == "__main__":
    unittest.main()
