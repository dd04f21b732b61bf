"""The terminal register (SS-13, JX-25, LN-20) and its rules: MACs in any notation, IPs only
inside the unit's own allocation (JX-21), never a classified terminal (JX-10, TB-19)."""
import datetime

from harness import ServerTest

T = "/api/v1/terminals"


class Terminals(ServerTest):
    profile = "jiaxian"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.other = s.sql("SELECT id FROM units WHERE id <> ? AND status = '已接入' LIMIT 1", (cls.own,))[0][0]
        c = s.as_("admin", "POST", "/api/v1/prefixes", {"cidr": "10.30.0.0/16", "status": "container"}).json
        cls.net_own = s.as_("admin", "POST", "/api/v1/prefixes/%d/allocate" % c["id"],
                            {"unit_id": cls.own, "prefix_length": 24}).json["cidr"]
        cls.net_other = s.as_("admin", "POST", "/api/v1/prefixes/%d/allocate" % c["id"],
                              {"unit_id": cls.other, "prefix_length": 24}).json["cidr"]

    def api(self, method, path, body=None, user="admin"):
        return self.srv.as_(user, method, path, body)

    def host(self, cidr, n):
        base = cidr.split("/")[0].rsplit(".", 1)[0]
        return "%s.%d" % (base, n)

    def test_an_address_is_one_host_s(self):
        """Issue 14: a duplicate address, the subnet's network, broadcast and gateway address
        were accepted; each is refused at the field with the reason, and nothing changes."""
        s = self.srv
        p = s.as_("admin", "POST", "/api/v1/prefixes",
                  {"cidr": "10.31.1.0/24", "status": "active", "unit_id": self.own,
                   "gateway": "10.31.1.1"}).json
        first = self.api("POST", T, {"mac": "02:00:00:00:03:01", "unit_id": self.own,
                                     "kind": "计算机", "ip": "10.31.1.20"})
        self.assertEqual(first.status, 201, first)
        self.assertEqual(s.as_("admin", "POST", "/api/v1/addresses",
                               {"prefix_id": p["id"], "address": "10.31.1.30", "kind": "静态",
                                "mac": "02:00:00:00:03:99"}).status, 201)
        before = s.counts()
        for ip, status, why in (("10.31.1.20", 409, "终端（编号 %d）" % first.json["id"]),
                                ("10.31.1.0", 400, "网络地址"), ("10.31.1.255", 400, "广播地址"),
                                ("10.31.1.1", 409, "网关地址"), ("10.31.1.30", 409, "主机地址")):
            e = self.assertError(self.api("POST", T, {"mac": "02:00:00:00:03:02", "unit_id": self.own,
                                                      "kind": "计算机", "ip": ip}), status, field="ip")
            self.assertIn(why, e["message"])
            self.assertIn(ip, e["message"])
        # nor can another terminal be moved onto it; the terminal itself keeps its own
        second = self.api("POST", T, {"mac": "02:00:00:00:03:02", "unit_id": self.own,
                                      "kind": "计算机", "ip": "10.31.1.21"}).json
        self.assertError(self.api("PATCH", "%s/%d" % (T, second["id"]), {"ip": "10.31.1.20"}),
                         409, field="ip")
        r = self.api("PATCH", "%s/%d" % (T, first.json["id"]), {"location": "三楼"})
        self.assertEqual(r.status, 200, r)
        # the host address registered for the terminal's own MAC is its own
        r = self.api("POST", T, {"mac": "02:00:00:00:03:99", "unit_id": self.own, "kind": "服务器",
                                 "ip": "10.31.1.30"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(s.counts()["terminals"], before["terminals"] + 2)

    def test_mac_notations_normalised_and_unique(self):
        r = self.api("POST", T, {"mac": "0A1B.2C3D.4E5F", "unit_id": self.own, "kind": "计算机"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["mac"], "0a:1b:2c:3d:4e:5f")
        self.assertEqual(r.json["kind_code"], "pc")
        before = self.srv.counts()
        for same in ("0a-1b-2c-3d-4e-5f", "0A1B2C3D4E5F", "0a1b-2c3d-4e5f"):
            self.assertError(self.api("POST", T, {"mac": same, "unit_id": self.own, "kind": "其他"}), 409,
                             field="mac")
        for bad in ("0a:1b:2c:3d:4e", "zz:1b:2c:3d:4e:5f", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff",
                    "00:00:00:00:00:00"):
            self.assertError(self.api("POST", T, {"mac": bad, "unit_id": self.own, "kind": "其他"}), 400,
                             field="mac")
        self.assertEqual(self.srv.counts(), before)

    def test_ip_must_be_in_the_units_allocation(self):
        ok = self.api("POST", T, {"mac": "02:00:00:00:01:01", "unit_id": self.own, "kind": "计算机",
                                  "ip": self.host(self.net_own, 10)})
        self.assertEqual(ok.status, 201, ok)
        before = self.srv.counts()
        for ip in (self.host(self.net_other, 10), "192.0.2.7", "10.30.200.1"):
            e = self.assertError(self.api("POST", T, {"mac": "02:00:00:00:01:02", "unit_id": self.own,
                                                      "kind": "计算机", "ip": ip}), 400, field="ip")
        self.assertError(self.api("POST", T, {"mac": "02:00:00:00:01:02", "unit_id": self.own,
                                              "kind": "计算机", "ip": "10.30.0.300"}), 400, field="ip")
        # moving it to another unit's address is refused just the same
        self.assertError(self.api("PATCH", "%s/%d" % (T, ok.json["id"]), {"ip": self.host(self.net_other, 9)}),
                         400, field="ip")
        self.assertEqual(self.srv.counts(), before)

    def test_classified_terminal_refused_with_clause(self):
        before = self.srv.counts()
        e = self.assertError(self.api("POST", T, {"mac": "02:00:00:00:02:01", "unit_id": self.own,
                                                  "kind": "计算机", "classified": True}), 422,
                             field="classified", code="rule")
        self.assertEqual(e["clause"], "JX-10")
        t = self.api("POST", T, {"mac": "02:00:00:00:02:02", "unit_id": self.own, "kind": "计算机"}).json
        self.assertError(self.api("PATCH", "%s/%d" % (T, t["id"]), {"classified": True}), 422,
                         field="classified")
        self.assertFalse(self.api("GET", "%s/%d" % (T, t["id"])).json["classified"])
        self.assertEqual(self.srv.counts()["terminals"], before["terminals"] + 1)

    def test_dates_not_in_the_future(self):
        tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
        for field in ("av_signature_date", "patch_date"):
            self.assertError(self.api("POST", T, {"mac": "02:00:00:00:03:01", "unit_id": self.own,
                                                  "kind": "计算机", field: tomorrow}), 400, field=field)

    def test_compliance_view(self):
        today = datetime.date.today()
        fresh, old = today.isoformat(), (today - datetime.timedelta(days=90)).isoformat()
        good = self.api("POST", T, {"mac": "02:00:00:00:04:01", "unit_id": self.own, "kind": "计算机",
                                    "antivirus": "某防病毒软件", "av_signature_date": fresh,
                                    "patch_date": fresh}).json
        bare = self.api("POST", T, {"mac": "02:00:00:00:04:02", "unit_id": self.own, "kind": "计算机"}).json
        stale = self.api("POST", T, {"mac": "02:00:00:00:04:03", "unit_id": self.own, "kind": "计算机",
                                     "antivirus": "某防病毒软件", "av_signature_date": old,
                                     "patch_date": old}).json
        items = {i["terminal_id"]: i for i in self.api("GET", T + "/compliance").json["items"]}
        self.assertNotIn(good["id"], items)
        self.assertEqual({x["code"] for x in items[bare["id"]]["issues"]}, {"no_antivirus", "stale_patches"})
        self.assertEqual({x["code"] for x in items[stale["id"]]["issues"]},
                         {"stale_signatures", "stale_patches"})
        # JX-25 requires antivirus installed; no JX clause requires current patches (JX's own setting)
        cited = {x["code"]: x for x in items[bare["id"]]["issues"]}
        self.assertEqual(cited["no_antivirus"]["clauses"], ["JX-25"])
        self.assertEqual(cited["stale_patches"]["clauses"], [])
        self.assertEqual(cited["stale_patches"].get("basis"), "county")
        # the unit_admin sees its own unit's only
        mine = self.api("GET", T + "/compliance", user="unit").json["items"]
        self.assertTrue(mine)
        self.assertEqual({i["unit_id"] for i in mine}, {self.own})


class LuoningPlugin(ServerTest):
    """LN-20: terminals install the security-management plug-in."""
    profile = "luoning"

    def test_missing_plugin_flagged(self):
        unit = self.srv.sql("SELECT id FROM units WHERE status = '已接入' LIMIT 1")[0][0]
        t = self.srv.as_("admin", "POST", T, {"mac": "02:00:00:00:05:01", "unit_id": unit, "kind": "计算机",
                                              "patch_date": datetime.date.today().isoformat()}).json
        items = {i["terminal_id"]: i for i in self.srv.as_("admin", "GET", T + "/compliance").json["items"]}
        codes = {x["code"]: x for x in items[t["id"]]["issues"]}
        self.assertIn("no_plugin", codes)
        self.assertIn("LN-20", codes["no_plugin"]["clauses"])
        self.srv.as_("admin", "PATCH", "%s/%d" % (T, t["id"]), {"plugin_installed": True})
        items = {i["terminal_id"]: i for i in self.srv.as_("admin", "GET", T + "/compliance").json["items"]}
        self.assertNotIn(t["id"], items)


class ChecksCiteOnlyClausesThatRequireThem:
    """Each compliance check cites the clause that requires it: JX-25 antivirus installed, LN-20
    the plug-in, MY-22 also 及时升级病毒库 and 及时更新补丁, SS-13 及时更新补丁, TB-20 防病毒系统并及时更新.
    A check no clause requires (stale patches under JX, LN, TB; stale signatures under JX, SS) is
    the county's setting and cites none."""

    # profile: {issue code: clauses it cites}, for a terminal missing everything and one outdated
    WANT = {
        "jiaxian": {"no_antivirus": ["JX-25"], "stale_signatures": [], "stale_patches": []},
        "luoning": {"no_plugin": ["LN-20"], "stale_patches": []},
        "miyun": {"no_antivirus": ["MY-22"], "stale_signatures": ["MY-22"], "stale_patches": ["MY-22"]},
        "shengsi": {"no_antivirus": ["SS-13"], "stale_signatures": [], "stale_patches": ["SS-13"]},
        "tongbai": {"no_antivirus": ["TB-20"], "stale_signatures": ["TB-20"], "stale_patches": []},
    }
    def test_each_check_cites_what_its_clause_requires(self):
        s = self.srv
        unit = s.sql("SELECT id FROM units WHERE status = '已接入' LIMIT 1")[0][0]
        old = (datetime.date.today() - datetime.timedelta(days=400)).isoformat()
        bare = s.as_("admin", "POST", T, {"mac": "02:00:00:00:06:01", "unit_id": unit, "kind": "计算机"}).json
        stale = s.as_("admin", "POST", T, {"mac": "02:00:00:00:06:02", "unit_id": unit, "kind": "计算机",
                                           "antivirus": "某防病毒软件", "av_signature_date": old,
                                           "patch_date": old}).json
        items = {i["terminal_id"]: i for i in s.as_("admin", "GET", T + "/compliance").json["items"]}
        issues = [x for t in (bare, stale) for x in items[t["id"]]["issues"]]
        self.assertEqual({x["code"]: x["clauses"] for x in issues}, self.WANT[self.profile])
        for x in issues:
            self.assertEqual(x.get("basis"), "regulation" if x["clauses"] else "county", x)
        # the profile says the same
        tp = s.as_("admin", "GET", "/api/v1/profile").json["terminal_policy"]
        self.assertEqual(tp["patch_clauses"], self.WANT[self.profile]["stale_patches"])


for _pid in ChecksCiteOnlyClausesThatRequireThem.WANT:
    globals()["Cites_" + _pid] = type("Cites_" + _pid, (ChecksCiteOnlyClausesThatRequireThem, ServerTest),
                                      {"profile": _pid})
del _pid
