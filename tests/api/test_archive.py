"""The per-unit archive (LN-21) as JSON, CSV and printable HTML."""
import csv
import io
import json

from harness import ServerTest


class Archive(ServerTest):
    profile = "jiaxian"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        a = lambda m, p, b: s.as_("admin", m, p, b).json
        c = a("POST", "/api/v1/prefixes", {"cidr": "10.66.0.0/16", "status": "container"})
        cls.prefix = a("POST", "/api/v1/prefixes/%d/allocate" % c["id"], {"unit_id": cls.own, "hosts": 20})
        a("POST", "/api/v1/vlans", {"vid": 660, "name": "本单位业务", "unit_id": cls.own})
        a("POST", "/api/v1/addresses", {"prefix_id": cls.prefix["id"], "kind": "静态", "hostname": "srv-1"})
        a("POST", "/api/v1/terminals", {"mac": "02:66:00:00:00:01", "unit_id": cls.own, "kind": "计算机",
                                        "user_name": "<script>alert(1)</script>", "location": "=HYPERLINK(1)"})
        car = a("POST", "/api/v1/carriers", {"name": "某联通分公司"})
        a("POST", "/api/v1/lines", {"carrier_id": car["id"], "unit_id": cls.own, "circuit_id": "JX-66",
                                    "bandwidth_mbps": 50, "payer": "管理单位", "status": "在用"})
        a("POST", "/api/v1/devices", {"name": "接入路由器66", "kind": "路由器", "owner": "信息中心",
                                      "unit_id": cls.own, "snmp_community": "never-shown"})
        a("POST", "/api/v1/ports", {"unit_id": cls.own, "protocol": "tcp", "port": 443,
                                    "target_ip": "10.66.0.5", "purpose": "网站"})
        a("POST", "/api/v1/domain-names", {"unit_id": cls.own, "name": "www.unit66.example.cn"})

    def get(self, fmt, user="admin", unit=None):
        return self.srv.as_(user, "GET", "/api/v1/units/%d/archive?format=%s" % (unit or self.own, fmt))

    def test_json_has_every_section(self):
        doc = self.get("json").json
        secs = {s["key"]: s for s in doc["sections"]}
        self.assertEqual(set(secs), {"contacts", "agreements", "prefixes", "vlans", "addresses", "terminals",
                                     "devices", "lines", "ports", "domain_names"})
        self.assertEqual([p["cidr"] for p in secs["prefixes"]["items"]], [self.prefix["cidr"]])
        self.assertEqual(len(secs["agreements"]["items"]), 2)  # JX-9: both signed in the demo
        self.assertTrue(secs["contacts"]["items"])
        self.assertEqual(doc["omitted"], [])
        self.assertNotIn("never-shown", json.dumps(doc, ensure_ascii=False))

    def test_csv_is_a_spreadsheet_safe_document(self):
        r = self.get("csv")
        self.assertEqual(r.status, 200)
        self.assertIn("text/csv", r.header("Content-Type"))
        self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        flat = [c for row in rows for c in row]
        for title in ("联系人", "协议", "地址段", "终端", "设备", "线路", "通信端口", "域名"):
            self.assertIn(title, flat)
        self.assertIn("'=HYPERLINK(1)", flat)  # no formula runs when opened
        self.assertIn("MAC 地址", flat)          # headers are the Chinese labels

    def test_html_is_escaped_and_printable(self):
        r = self.get("html")
        self.assertEqual(r.status, 200)
        text = r.raw.decode()
        self.assertIn("@media print", text)
        self.assertIn("&lt;script&gt;", text)
        self.assertNotIn("<script>", text)
        self.assertIn("单位档案", text)
        self.assertIn("佳县电子政务网络管理办法", text)

    def test_values_as_people_read_them(self):
        """Each value by its field table: the prefix's status by its Chinese name, its VLAN by the
        VLAN's number and a VLAN's zone by the zone's name rather than their row ids, times in
        Beijing time, and a field that was not given left blank."""
        s = self.srv
        a = lambda m, p, b: s.as_("admin", m, p, b).json
        zone = a("POST", "/api/v1/zones", {"name": "档案测试区", "code": "arch"})
        vlan = a("POST", "/api/v1/vlans", {"vid": 661, "name": "档案测试", "unit_id": self.own,
                                           "zone_id": zone["id"]})
        c = a("POST", "/api/v1/prefixes", {"cidr": "10.67.0.0/16", "status": "container"})
        p = a("POST", "/api/v1/prefixes/%d/allocate" % c["id"], {"unit_id": self.own, "hosts": 10})
        self.assertEqual(s.as_("admin", "PATCH", "/api/v1/prefixes/%d" % p["id"],
                               {"vlan_id": vlan["id"]}).status, 200)
        self.assertNotEqual(vlan["id"], 661)  # a row id the document must not show
        status = [f for f in s.as_("admin", "GET", "/api/v1/schemas").json["prefix"]["fields"]
                  if f["name"] == "status"][0]
        active = status["labels"][status["values"].index("active")]
        doc = self.get("json").json
        secs = {x["key"]: x for x in doc["sections"]}

        def row(key, field, value):
            sec = secs[key]
            i = [it[field] for it in sec["items"]].index(value)
            return {c["field"]: sec["rows"][i][j] for j, c in enumerate(sec["columns"])}
        pr = row("prefixes", "cidr", p["cidr"])
        self.assertEqual((pr["status"], pr["vlan_id"]), (active, "661"))
        self.assertEqual(row("vlans", "vid", 661)["zone_id"], "档案测试区")
        self.assertIsNone(row("vlans", "vid", 660)["zone_id"])  # none given: blank, not "0"
        self.assertRegex(doc["generated_at_text"], r"^\d{4}-\d\d-\d\d \d\d:\d\d")
        text = self.get("html").raw.decode()
        self.assertIn(doc["generated_at_text"], text)
        self.assertNotIn(doc["generated_at"], text)
        flat = [c for r in csv.reader(io.StringIO(self.get("csv").raw.decode("utf-8-sig"))) for c in r]
        self.assertIn(active, flat)
        self.assertIn("档案测试区", flat)
        self.assertNotIn("active", flat)

    def test_scope(self):
        other = self.srv.sql("SELECT id FROM units WHERE id <> ? LIMIT 1", (self.own,))[0][0]
        self.assertEqual(self.get("json", user="unit").status, 200)
        self.assertError(self.get("json", user="unit", unit=other), 404)
        self.assertError(self.get("json", user="auditor"), 403)
        # a carrier reads the unit but not its agreements, terminals or addresses: named as left out
        doc = self.get("json", user="carrier").json
        self.assertEqual(set(doc["omitted"]), {"协议", "主机地址", "终端"})
        self.assertError(self.get("pdf"), 400, field="format")
