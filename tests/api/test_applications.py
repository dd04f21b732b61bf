"""The application workflows (REQUIREMENTS.md §2, §3) driven through the real server: access,
change (移机, 拆机), port opening with its firewall export, withdrawal, contact re-filing, and
the refusals: wrong fields, wrong role, wrong state, a kind the county's regulation lacks.

Conformance scenarios per clause are in test_conformance.py; this file tests the engine."""

import ipaddress
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import ServerTest, run_cli

A = "/api/v1/applications"


def beijing_today():
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))


class Flow:
    """Helpers shared by the workflow test classes."""

    n = 0

    @classmethod
    def new_unit(cls, status=None, user="admin"):
        cls.n += 1
        body = {"name": "测试单位%d-%d" % (os.getpid(), cls.n), "type": "事业单位", "level": "县直",
                "address": "城关镇建设路%d号" % cls.n}
        if status:
            body["status"] = status
        r = cls.srv.as_(user, "POST", "/api/v1/units", body)
        assert r.status == 201, r
        return r.json["id"]

    @classmethod
    def plan(cls, cidr="10.80.0.0/16"):
        r = cls.srv.as_("admin", "POST", "/api/v1/zones", {"name": "公用网络区" + cidr, "code": "z" + str(abs(hash(cidr)) % 100000)})
        assert r.status == 201, r
        zone = r.json["id"]
        r = cls.srv.as_("admin", "POST", "/api/v1/prefixes",
                        {"cidr": cidr, "status": "container", "zone_id": zone})
        assert r.status == 201, r
        return zone, r.json["id"]

    def access_body(self, unit, **kw):
        b = {"kind": "access", "unit_id": unit, "user_type": "事业单位", "address": "城关镇新华路1号",
             "admin_name": "张网管", "admin_mobile": "13800000001", "tech_name": "李技术",
             "tech_mobile": "13800000002", "ip_count": 50, "bandwidth_mbps": 100,
             "purpose": "办公业务系统访问"}
        b.update(kw)
        return b

    def submit(self, body, user="admin", status=201):
        r = self.srv.as_(user, "POST", A, body)
        self.assertEqual(r.status, status, r)
        return r.json

    def tr(self, aid, action, user="admin", status=200, **kw):
        body = {"action": action}
        body.update(kw)
        r = self.srv.as_(user, "POST", "%s/%d/transitions" % (A, aid), body)
        self.assertEqual(r.status, status, r)
        return r.json

    def deadline(self, app, rule):
        ds = [d for d in app["deadlines"] if d["rule"] == rule]
        self.assertEqual(len(ds), 1, app["deadlines"])
        return ds[0]

    def due(self, n):
        r = self.srv.as_("admin", "GET", "/api/v1/calendar/add?from=%s&working_days=%d"
                         % (beijing_today(), n))
        return r.json["due"]

    def audit_clauses(self, aid):
        return self.srv.sql("SELECT action, clause FROM audit WHERE object_type = 'application'"
                            " AND object_id = ? ORDER BY id", (str(aid),))


class AccessTongbai(Flow, ServerTest):
    profile = "tongbai"
    extra = ("--scheduler-interval", "1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone, cls.container = cls.plan()
        r = cls.srv.as_("admin", "POST", "/api/v1/carriers", {"name": "中国电信桐柏分公司"})
        cls.carrier = r.json["id"]

    def test_access_from_submission_to_connection(self):
        unit = self.new_unit()
        app = self.submit(self.access_body(unit))
        self.assertEqual((app["status"], app["status_code"], app["clause"]),
                         ("已提交", "submitted", "TB-13"))
        review = self.deadline(app, "access_review")
        self.assertEqual((review["due_date"], review["clause"], review["status"]),
                         (self.due(3), "TB-13", "running"))
        # what is left, counted by the county's calendar: the working days after today up to
        # the due day, on the application and in the deadline list alike
        self.assertEqual(review["working_days_left"], 3)
        listed = self.srv.as_("admin", "GET", "/api/v1/deadlines?subject_type=application&subject_id=%d"
                              % app["id"]).json["items"]
        self.assertEqual([d["working_days_left"] for d in listed], [3])
        app = self.tr(app["id"], "review")
        self.assertEqual(app["status"], "审核中")
        # approval allocates the subnet and the VLAN in the same step
        app = self.tr(app["id"], "approve", zone_id=self.zone, carrier_id=self.carrier)
        self.assertEqual(app["status"], "实施中")
        self.assertEqual(self.deadline(app, "access_review")["status"], "met")
        self.assertIsNone(self.deadline(app, "access_review")["working_days_left"])
        impl = self.deadline(app, "access_implement")
        self.assertEqual((impl["due_date"], impl["status"], impl["working_days_left"]),
                         (self.due(7), "running", 7))
        cidr, punit, vlan = self.srv.sql("SELECT cidr, unit_id, vlan_id FROM prefixes WHERE id = ?",
                                         (app["prefix_id"],))[0]
        self.assertTrue(cidr.startswith("10.80.") and cidr.endswith("/26"), cidr)  # 50 hosts
        self.assertEqual((punit, vlan), (unit, app["vlan_id"]))
        vid, vunit = self.srv.sql("SELECT vid, unit_id FROM vlans WHERE id = ?", (vlan,))[0]
        self.assertGreaterEqual(vid, 100)
        self.assertEqual(vunit, unit)
        # what was granted, by name, on the application and in the carrier's queue alike
        gw = str(ipaddress.ip_network(cidr)[1])
        self.assertEqual(self.srv.as_("admin", "PATCH", "/api/v1/prefixes/%d" % app["prefix_id"],
                                      {"gateway": gw}).status, 200)
        zone_name = self.srv.sql("SELECT name FROM zones WHERE id = ?", (self.zone,))[0][0]
        want = {"zone": {"id": self.zone, "name": zone_name},
                "prefix": {"id": app["prefix_id"], "cidr": cidr, "gateway": gw, "dns": ""},
                "vlan": {"id": vlan, "vid": vid, "name": self.srv.sql("SELECT name FROM vlans WHERE id = ?", (vlan,))[0][0]},
                "carrier": {"id": self.carrier, "name": "中国电信桐柏分公司", "service_phone": ""}}
        self.maxDiff = None
        self.assertEqual(self.srv.as_("admin", "GET", "%s/%d" % (A, app["id"])).json["granted"], want)
        queue = self.srv.as_("carrier", "GET", A + "?status=%s&limit=200" % urllib.parse.quote("实施中")).json["items"]
        self.assertEqual([a["granted"] for a in queue if a["id"] == app["id"]], [want])
        self.assertIsNone(self.submit(self.access_body(self.new_unit()))["granted"])
        # TB-13: the carrier's 7 working days may be extended when the unit is not ready
        self.tr(app["id"], "pause", user="carrier", status=400)  # no reason
        app = self.tr(app["id"], "pause", user="carrier", reason="使用单位机房尚未完工")
        self.assertEqual(self.deadline(app, "access_implement")["status"], "paused")
        app = self.tr(app["id"], "resume", user="carrier")
        self.assertEqual(self.deadline(app, "access_implement")["status"], "running")
        # the unit_admin may not complete; the carrier may
        app = self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(app["status"], "已办结")
        self.assertEqual(self.deadline(app, "access_implement")["status"], "met")
        u = self.srv.as_("admin", "GET", "/api/v1/units/%d" % unit).json
        self.assertEqual((u["status"], u["connected_on"]), ("已接入", beijing_today()))
        self.assertEqual([e["action"] for e in app["events"]],
                         ["submit", "review", "approve", "pause", "resume", "complete"])
        self.assertEqual(app["events"][-1]["actor"], "carrier")
        for action, clause in self.audit_clauses(app["id"]):
            self.assertEqual(clause, "TB-13", action)
        # the carrier was told to connect; the managers of every step
        titles = self.wait_for(lambda: self.srv.sql(
            "SELECT i.title FROM inbox i JOIN users u ON u.id = i.user_id WHERE"
            " u.username = 'carrier' AND i.subject_type = 'application' AND i.subject_id = ?",
            (app["id"],)))
        self.assertTrue(titles)
        self.assertIn("接入申请已批准", titles[0][0])
        n = self.wait_for(lambda: self.srv.sql(
            "SELECT count(*) FROM inbox i JOIN users u ON u.id = i.user_id WHERE"
            " u.username = 'admin' AND i.subject_id = ? AND i.subject_type = 'application'",
            (app["id"],))[0][0] == 6 or None)
        self.assertTrue(n, "the manager hears of every step")

    def test_reject_needs_a_reason_and_closes_the_review(self):
        unit = self.new_unit()
        app = self.submit(self.access_body(unit))
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "reject"})
        self.assertError(r, 400, "reason")
        app = self.tr(app["id"], "reject", reason="IP数量与业务规模不符，请核实后重新申请")
        self.assertEqual((app["status"], app["reason"]),
                         ("未通过", "IP数量与业务规模不符，请核实后重新申请"))
        self.assertEqual(self.deadline(app, "access_review")["status"], "met")
        self.assertNotIn("access_implement", [d["rule"] for d in app["deadlines"]])
        self.tr(app["id"], "approve", status=409)

    def test_withdraw_cancels_the_deadline(self):
        unit = self.new_unit()
        app = self.submit(self.access_body(unit))
        app = self.tr(app["id"], "withdraw")
        self.assertEqual(app["status"], "已撤回")
        self.assertEqual(self.deadline(app, "access_review")["status"], "cancelled")
        r = self.srv.as_("admin", "GET", "/api/v1/deadlines?status=cancelled")
        self.assertIn(app["id"], [d["subject_id"] for d in r.json["items"]])

    def test_a_failed_approval_changes_nothing(self):
        unit = self.new_unit()
        app = self.submit(self.access_body(unit, ip_count=100000))  # no /15 in a /16
        before = self.srv.counts()
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]),
                         {"action": "approve", "zone_id": self.zone})
        self.assertError(r, 409, "zone_id")
        self.assertEqual(self.srv.counts(), before)
        a = self.srv.as_("admin", "GET", "%s/%d" % (A, app["id"])).json
        self.assertEqual((a["status"], a["prefix_id"], a["vlan_id"]), ("已提交", None, None))
        self.assertEqual(self.deadline(a, "access_review")["status"], "running")
        # the pool is still right: a fitting request succeeds afterwards
        other = self.submit(self.access_body(self.new_unit(), ip_count=10))
        other = self.tr(other["id"], "approve", zone_id=self.zone)
        self.assertEqual(other["status"], "实施中")

    def test_an_approval_names_the_zone_to_choose_and_the_pool_it_lacks(self):
        """Approving an access without a zone asks for one; a zone with no pool points to
        地址规划, in words rather than parameters; neither changes anything."""
        app = self.submit(self.access_body(self.new_unit(), ip_count=10))
        before = self.srv.counts()
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "approve"})
        self.assertEqual(self.assertError(r, 400, "zone_id")["message"], "请选择分配地址的区域")
        self.assertEqual(self.srv.counts(), before)
        r = self.srv.as_("admin", "POST", "/api/v1/zones", {"name": "空区域", "code": "empty"})
        before = self.srv.counts()
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]),
                         {"action": "approve", "zone_id": r.json["id"]})
        e = self.assertError(r, 409, "zone_id")
        self.assertIn("地址规划", e["message"])
        self.assertNotRegex(e["message"], "[a-z_]{4,}")
        self.assertEqual(self.srv.counts(), before)

    def test_two_applications_never_share_space(self):
        cidrs = set()
        for _ in range(4):
            app = self.submit(self.access_body(self.new_unit(), ip_count=200))
            app = self.tr(app["id"], "approve", zone_id=self.zone)
            cidrs.add(self.srv.sql("SELECT cidr FROM prefixes WHERE id = ?", (app["prefix_id"],))[0][0])
        self.assertEqual(len(cidrs), 4)

    def test_unit_admin_submits_for_its_own_unit_only(self):
        own = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        other = self.new_unit()
        r = self.srv.as_("unit", "POST", A, self.access_body(other))
        self.assertError(r, 404)
        # its own unit is connected: no access application, but a change application
        r = self.srv.as_("unit", "POST", A, self.access_body(own))
        self.assertError(r, 409, "unit_id")
        app = self.submit({"kind": "change", "unit_id": own, "change_type": "其他",
                           "change_other": "带宽由100M调整为200M", "bandwidth_mbps": 200}, user="unit")
        self.assertEqual(app["submitted_by"], "unit")
        r = self.srv.as_("unit", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "approve"})
        self.assertError(r, 403)
        lst = self.srv.as_("unit", "GET", A).json["items"]
        self.assertEqual({a["unit_id"] for a in lst}, {own})

    def test_bad_input_names_the_field(self):
        unit = self.new_unit()
        cases = [
            (self.access_body(unit, system_name="OA"), "system_name"),  # not an access field
            ({k: v for k, v in self.access_body(unit).items() if k != "ip_count"}, "ip_count"),
            (self.access_body(unit, admin_mobile="12345"), "admin_mobile"),
            (self.access_body(unit, user_type="其他"), "user_type_other"),
            (self.access_body(unit, ports=[]), "ports"),
            (self.access_body(unit, status="已批准"), "status"),
            ({"kind": "change", "unit_id": 2, "change_type": "移机"}, "new_address"),
            ({"kind": "change", "unit_id": 2, "change_type": "其他"}, "change_other"),
            ({"kind": "interconnect", "unit_id": 2, "network_name": "医保专网",
              "interconnect_type": "数据交互", "plan": "方案"}, "isolation_device"),
            ({"kind": "contact_refile", "unit_id": 2, "contact_name": "王", "contact_mobile":
              "13900000000", "changed_on": "2999-01-01"}, "changed_on"),
            ({"kind": "nope", "unit_id": 2}, "kind"),
            ({"kind": "access", "unit_id": 99999, "user_type": "事业单位", "address": "x",
              "admin_name": "a", "admin_mobile": "13800000001", "tech_name": "b",
              "tech_mobile": "13800000002", "ip_count": 1, "bandwidth_mbps": 1, "purpose": "p"},
             "unit_id"),
        ]
        before = self.srv.counts()
        for body, field in cases:
            r = self.srv.as_("admin", "POST", A, body)
            self.assertError(r, 400, field)
        self.assertEqual(self.srv.counts(), before)
        app = self.submit(self.access_body(unit))
        for body, field in (({"action": "fly"}, "action"), ({"action": "approve", "vid": 5000}, "vid"),
                            ({"action": "approve", "extra": 1}, "extra")):
            r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]), body)
            self.assertError(r, 400, field)
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]),
                         {"action": "review"}, headers={"If-Match": '"r999"'})
        self.assertError(r, 412)

    def test_a_kind_the_regulation_lacks_is_refused(self):
        r = self.srv.as_("admin", "POST", A, {"kind": "egress", "unit_id": 2,
                                                "egress_provider": "联通", "purpose": "x"})
        e = self.assertError(r, 422, "kind")
        self.assertIn("桐柏县电子政务外网管理办法", e["message"])


class FreshInstallTongbai(Flow, ServerTest):
    """A server with no address plan yet (the demo county's register has none)."""
    profile = "tongbai"

    def test_the_first_approval_points_to_the_address_plan(self):
        self.assertEqual(self.srv.sql("SELECT count(*) FROM zones")[0][0], 0)
        app = self.submit(self.access_body(self.new_unit(), ip_count=10))
        before = self.srv.counts()
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, app["id"]), {"action": "approve"})
        e = self.assertError(r, 400, "zone_id")
        self.assertIn("请先在“地址规划”中登记区域及其地址池", e["message"])
        self.assertNotRegex(e["message"], "[a-z_]{4,}")
        self.assertEqual(self.srv.counts(), before)
        # approving without allocating is the other way the message names
        app = self.tr(app["id"], "approve", allocate=False)
        self.assertEqual((app["status"], app["granted"]), ("实施中", None))


class ChangeTongbai(Flow, ServerTest):
    profile = "tongbai"
    extra = ("--quarantine", "3600")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone, cls.container = cls.plan("10.90.0.0/16")
        cls.carrier = cls.srv.as_("admin", "POST", "/api/v1/carriers", {"name": "中国移动"}).json["id"]

    def connected_unit(self):
        unit = self.new_unit()
        app = self.submit(self.access_body(unit, ip_count=20))
        app = self.tr(app["id"], "approve", zone_id=self.zone)
        self.tr(app["id"], "complete", user="carrier")
        r = self.srv.as_("admin", "POST", "/api/v1/lines", {
            "carrier_id": self.carrier, "unit_id": unit, "circuit_id": "TB-%d" % unit,
            "bandwidth_mbps": 100, "payer": "管理单位", "status": "在用"})
        self.assertEqual(r.status, 201, r)
        return unit, app

    def test_dismantling_releases_addresses_vlan_and_lines(self):
        unit, access = self.connected_unit()
        host = self.srv.as_("admin", "POST", "/api/v1/addresses",
                            {"prefix_id": access["prefix_id"], "kind": "静态"})
        self.assertEqual(host.status, 201, host)
        app = self.submit({"kind": "change", "unit_id": unit, "change_type": "拆机",
                           "purpose": "单位撤并"})
        self.assertEqual(self.deadline(app, "change_review")["clause"], "TB-15")
        app = self.tr(app["id"], "approve")
        self.assertEqual(self.deadline(app, "change_implement")["due_date"], self.due(7))
        app = self.tr(app["id"], "complete", user="carrier")
        self.assertEqual(app["status"], "已办结")
        self.assertEqual(self.srv.sql("SELECT count(*) FROM prefixes WHERE unit_id = ?", (unit,))[0][0], 0)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM vlans WHERE unit_id = ?", (unit,))[0][0], 0)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM addresses WHERE unit_id = ?", (unit,))[0][0], 0)
        self.assertEqual(self.srv.sql("SELECT status FROM lines WHERE unit_id = ?", (unit,)), [("已拆除",)])
        q = self.srv.sql("SELECT unit_id FROM prefix_quarantine WHERE parent_id = ?", (self.container,))
        self.assertIn((unit,), q)
        u = self.srv.as_("admin", "GET", "/api/v1/units/%d" % unit).json
        self.assertEqual((u["status"], u["status_clause"]), ("已拆机", "TB-15"))
        # a dismantled unit may apply again; its application moves it back to 申请中
        again = self.submit(self.access_body(unit))
        self.assertEqual(again["status"], "已提交")
        self.assertEqual(self.srv.as_("admin", "GET", "/api/v1/units/%d" % unit).json["status"], "申请中")

    def test_moving_changes_the_address(self):
        unit, _ = self.connected_unit()
        app = self.submit({"kind": "change", "unit_id": unit, "change_type": "移机",
                           "new_address": "淮源镇政府大院2号楼"})
        self.tr(app["id"], "approve")
        self.tr(app["id"], "complete", user="ops")
        u = self.srv.as_("admin", "GET", "/api/v1/units/%d" % unit).json
        self.assertEqual(u["address"], "淮源镇政府大院2号楼")
        self.assertEqual(self.srv.sql("SELECT clause FROM audit WHERE action = 'unit.move' AND"
                                      " object_id = ?", (str(unit),)), [("TB-15",)])


class PortsTongbai(Flow, ServerTest):
    profile = "tongbai"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone, _ = cls.plan("10.70.0.0/16")

    def setUp(self):
        self.unit = self.new_unit()
        app = self.submit(self.access_body(self.unit, ip_count=10))
        app = self.tr(app["id"], "approve", zone_id=self.zone)
        self.tr(app["id"], "complete", user="carrier")
        cidr = self.srv.sql("SELECT cidr FROM prefixes WHERE id = ?", (app["prefix_id"],))[0][0]
        base = cidr.split("/")[0].rsplit(".", 1)
        self.ip = "%s.%d" % (base[0], int(base[1]) + 5)

    def test_port_opening_register_and_firewall_export(self):
        rows = [{"protocol": "tcp", "port": 443, "target_ip": self.ip, "purpose": "门户网站\"HTTPS\""},
                {"exposure": "互联网", "protocol": "tcp", "port": 8443, "target_ip": self.ip,
                 "purpose": "移动办公接口"}]
        app = self.submit({"kind": "port", "unit_id": self.unit, "purpose": "对外服务", "ports": rows})
        self.assertEqual(len(app["ports"]), 2)
        self.assertEqual(self.deadline(app, "port_review")["clause"], "TB-17")
        app = self.tr(app["id"], "approve", review_on="2027-06-30")
        self.assertEqual((app["status"], app["review_on"]), ("已批准", "2027-06-30"))
        reg = self.srv.sql("SELECT protocol, port, exposure, review_on, application_id FROM ports"
                           " WHERE unit_id = ? ORDER BY port", (self.unit,))
        self.assertEqual(reg, [("tcp", 443, "政务外网", "2027-06-30", app["id"]),
                               ("tcp", 8443, "互联网", "2027-06-30", app["id"])])
        nft = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=nftables")
        self.assertEqual(nft.status, 200, nft)
        text = nft.raw.decode()
        self.assertIn("ip daddr %s tcp dport 443 accept" % self.ip, text)
        self.assertNotIn('"HTTPS"', text)
        ipt = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=iptables")
        self.assertIn("-A ZWNET_INTERNET -d %s/32 -p tcp -m tcp --dport 8443" % self.ip, ipt.raw.decode())
        self.check_rulesets(text, ipt.raw.decode())
        # the same port twice is refused at approval
        dup = self.submit({"kind": "port", "unit_id": self.unit, "purpose": "重复",
                           "ports": [rows[0]]})
        r = self.srv.as_("admin", "POST", "%s/%d/transitions" % (A, dup["id"]), {"action": "approve"})
        self.assertError(r, 409, "ports")

    def check_rulesets(self, nft, ipt):
        """nft and iptables-restore load the files in a network namespace of the test's own."""
        if os.geteuid() != 0 or not shutil.which("nft") or not shutil.which("ip"):
            self.skipTest("needs root, nft and ip to load the ruleset")
        ns = "zwtest%d" % os.getpid()
        subprocess.run(["ip", "netns", "add", ns], check=True)
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".nft", delete=False) as f:
                f.write(nft)
            p = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", f.name],
                               capture_output=True, text=True)
            os.unlink(f.name)
            self.assertEqual(p.returncode, 0, p.stderr + nft)
            p = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", "zwnet_ports"],
                               capture_output=True, text=True)
            self.assertIn("tcp dport 443 accept", p.stdout)
            if shutil.which("iptables-restore"):
                p = subprocess.run(["ip", "netns", "exec", ns, "iptables-restore"], input=ipt,
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, p.stderr + ipt)
                p = subprocess.run(["ip", "netns", "exec", ns, "iptables", "-S", "ZWNET_INTERNET"],
                                   capture_output=True, text=True)
                self.assertIn("--dport 8443", p.stdout)
        finally:
            subprocess.run(["ip", "netns", "del", ns])

    def test_targets_outside_the_unit_are_refused(self):
        for row, field in (({"protocol": "tcp", "port": 80, "target_ip": "10.99.0.1", "purpose": "x"},
                            "ports[0].target_ip"),
                           ({"protocol": "icmp", "port": 80, "target_ip": self.ip, "purpose": "x"},
                            "ports[0].protocol"),
                           ({"protocol": "tcp", "port": 0, "target_ip": self.ip, "purpose": "x"},
                            "ports[0].port")):
            r = self.srv.as_("admin", "POST", A, {"kind": "port", "unit_id": self.unit,
                                                  "purpose": "x", "ports": [row]})
            self.assertError(r, 400, field)
        r = self.srv.as_("admin", "POST", A, {"kind": "port", "unit_id": self.unit, "purpose": "x",
                                              "ports": [{"protocol": "tcp", "port": 80, "target_ip": self.ip,
                                                         "purpose": "a"}] * 2})
        self.assertError(r, 400, "ports[1].target_ip")
        r = self.srv.as_("admin", "GET", "/api/v1/exports/ports?format=pf")
        self.assertError(r, 400, "format")


class CliTongbai(Flow, ServerTest):
    profile = "tongbai"

    def test_cli_mirrors_the_api(self):
        import json
        unit = self.new_unit()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(self.access_body(unit), f, ensure_ascii=False)
        p = run_cli("application", "submit", "--json", f.name, db=self.srv.db)
        os.unlink(f.name)
        app = json.loads(p.stdout)
        self.assertEqual(app["status"], "已提交")
        self.assertTrue(app["submitted_by"].startswith("cli"), app)
        p = run_cli("application", "act", str(app["id"]), "reject", db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("reason", p.stderr)
        p = run_cli("application", "act", str(app["id"]), "reject", "--reason", "材料不全",
                    db=self.srv.db)
        self.assertEqual(json.loads(p.stdout)["status"], "未通过")
        api = self.srv.as_("admin", "GET", "%s/%d" % (A, app["id"])).json
        self.assertEqual((api["status"], api["reason"]), ("未通过", "材料不全"))
        p = run_cli("application", "list", "--kind", "access", db=self.srv.db)
        self.assertIn(str(app["id"]), p.stdout)


class ContactRefileTongbai(Flow, ServerTest):
    profile = "tongbai"

    def test_refiling_within_one_working_day(self):
        unit = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        app = self.submit({"kind": "contact_refile", "unit_id": unit, "contact_name": "赵安全",
                           "contact_mobile": "13912345678", "changed_on": beijing_today()},
                          user="unit")
        d = self.deadline(app, "contact_refile")
        self.assertEqual((d["status"], d["clause"]), ("met", "TB-6"))
        app = self.tr(app["id"], "approve")
        self.assertEqual(app["status"], "已批准")
        rows = self.srv.sql("SELECT name, mobile FROM contacts WHERE unit_id = ? AND role = '安全联系人'",
                            (unit,))
        self.assertIn(("赵安全", "13912345678"), rows)
        self.assertEqual(self.srv.sql("SELECT clause FROM audit WHERE action = 'contact.refile'"
                                      " ORDER BY id DESC LIMIT 1"), [("TB-6",)])

    def test_late_refiling_is_a_breach(self):
        app = self.submit({"kind": "contact_refile", "unit_id": 2, "contact_name": "钱安全",
                           "contact_mobile": "13912345679", "changed_on": "2026-01-05"})
        d = self.deadline(app, "contact_refile")
        self.assertEqual((d["status"], d["due_date"]), ("breached", "2026-01-06"))
        self.assertTrue(d["met_at"])
        # the breach is told once, though the scheduler never saw the deadline running
        told = self.srv.sql("SELECT kind, clause FROM outbox WHERE kind = 'deadline.breached'"
                            " AND json_extract(payload, '$.id') = ?", (d["id"],))
        self.assertEqual(told, [("deadline.breached", "TB-6")])


if __name__ == "__main__":
    unittest.main()
