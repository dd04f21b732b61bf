"""The formats of the field tables (core/record.h): one check refuses, stores the canonical text
and gives clients the pattern (GET /schemas, the OpenAPI document), so what a client is told a
member accepts is what the server accepts. Also the county's vocabularies in the document."""
import re

from harness import ServerTest

A = "/api/v1"


class Formats(ServerTest):
    profile = "jiaxian"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.unit = s.sql("SELECT id FROM units WHERE status = '已接入' ORDER BY id LIMIT 1")[0][0]
        c = s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.77.0.0/16", "status": "container"})
        assert c.status == 201, c
        cls.container = c.json
        sub = s.as_("admin", "POST", A + "/prefixes/%d/allocate" % c.json["id"],
                    {"unit_id": cls.unit, "prefix_length": 24})
        assert sub.status == 201, sub
        cls.subnet = sub.json
        cls.doc = s.as_("admin", "GET", A + "/openapi.json").json
        cls.schemas = s.as_("admin", "GET", A + "/schemas").json

    def api(self, method, path, body=None):
        return self.srv.as_("admin", method, A + path, body)

    def component(self, name):
        return self.doc["components"]["schemas"][name]

    def field(self, obj, name):
        return next(f for f in self.schemas[obj]["fields"] if f["name"] == name)

    def test_address_mac_unicast_and_not_zero(self):
        """An address's MAC is checked like a terminal's: an all-zero one is refused too."""
        for mac in ("00:00:00:00:00:00", "0000.0000.0000", "01:00:5e:00:00:01", "aa:bb"):
            self.assertError(self.api("POST", "/addresses", {"prefix_id": self.subnet["id"],
                                                            "kind": "静态", "mac": mac}),
                             400, field="mac")
        r = self.api("POST", "/addresses", {"prefix_id": self.subnet["id"], "kind": "静态",
                                            "mac": "02-AA-BB-CC-DD-01"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["mac"], "02:aa:bb:cc:dd:01")

    def test_address_hostname_labels(self):
        """A host name is dot-separated labels: no empty label, none starting or ending in -."""
        for name in ("-pc", "pc-", "pc..01", "pc.", ".pc", "pc_01", "主机"):
            self.assertError(self.api("POST", "/addresses", {"prefix_id": self.subnet["id"],
                                                            "kind": "静态", "hostname": name}),
                             400, field="hostname")
        for name in ("pc-01", "pc-01.caizheng", "A1"):
            r = self.api("POST", "/addresses", {"prefix_id": self.subnet["id"], "kind": "静态",
                                                "hostname": name})
            self.assertEqual(r.status, 201, r)

    def test_addresses_stored_canonical(self):
        """Every IP address member is stored in its canonical text, whatever the table."""
        d = self.api("POST", "/devices", {"name": "核心交换机甲", "kind": "交换机", "owner": "信息中心",
                                          "mgmt_ip": "2001:DB8:0:0::1"})
        self.assertEqual(d.status, 201, d)
        self.assertEqual(d.json["mgmt_ip"], "2001:db8::1")
        p = self.api("POST", "/ports", {"unit_id": self.unit, "protocol": "tcp", "port": 8443,
                                        "target_ip": "2001:DB8::0:5", "purpose": "门户"})
        self.assertEqual(p.status, 201, p)
        self.assertEqual(p.json["target_ip"], "2001:db8::5")
        g = self.api("POST", "/prefixes", {"cidr": "2001:DB8:77::/64", "status": "active",
                                           "gateway": "2001:DB8:77:0::1",
                                           "dns": "2001:db8::53, 10.0.0.53"})
        self.assertEqual(g.status, 201, g)
        self.assertEqual((g.json["cidr"], g.json["gateway"]), ("2001:db8:77::/64", "2001:db8:77::1"))
        self.assertError(self.api("POST", "/prefixes", {"cidr": "10.78.0.0/16", "status": "active",
                                                        "dns": "10.0.0.53, 10.0.0"}),
                         400, field="dns")

    def test_allocation_description_is_the_prefix_description(self):
        """An allocation's description follows the description field: no control characters,
        at most 500 characters."""
        path = "/prefixes/%d/allocate" % self.container["id"]
        for bad in ("第一行\u0007", "a" * 501):
            self.assertError(self.api("POST", path, {"unit_id": self.unit, "prefix_length": 28,
                                                     "description": bad}), 400, field="description")
        r = self.api("POST", path, {"unit_id": self.unit, "prefix_length": 28,
                                    "description": "多行说明\n第二行"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["description"], "多行说明\n第二行")

    def test_violation_mac_and_ip(self):
        """A violation registered by hand names a unicast MAC and an IP, stored canonical."""
        base = {"unit_id": self.unit, "behaviour": "line_damage", "detail": "线路被拆改"}
        self.assertError(self.api("POST", "/violations", dict(base, mac="01:00:5e:00:00:01")),
                         400, field="mac")
        self.assertError(self.api("POST", "/violations", dict(base, ip="10.0.0.256")), 400, field="ip")
        r = self.api("POST", "/violations", dict(base, mac="02AA.BBCC.DD02", ip="2001:DB8::7"))
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["mac"], r.json["ip"]), ("02:aa:bb:cc:dd:02", "2001:db8::7"))
        # an amount in yuan has at most two decimals, whatever the action
        tr = A + "/violations/%d/transitions" % r.json["id"]
        for amount in ("1.234", "12,5", "-3", "1e3"):
            self.assertError(self.srv.as_("admin", "POST", tr, {"action": "notify",
                                                               "amount": amount}),
                             400, field="amount")

    def test_schemas_and_document_give_the_same_pattern(self):
        """GET /schemas and the document carry the table's pattern; it accepts what the
        server accepts and refuses what it refuses."""
        for obj, comp, name, good, bad in (
                ("terminal", "TerminalCreate", "mac", ["aa-bb-cc-dd-ee-f0", "aabbccddeef0"],
                 ["01:00:5e:00:00:01", "00:00:00:00:00:00"]),
                ("terminal", "TerminalCreate", "ip", ["10.1.2.3", "2001:db8::1", "::ffff:1.2.3.4"],
                 ["010.1.2.3", "10.1.2.3.4", "fe80::1%eth0"]),
                ("prefix", "PrefixCreate", "cidr", ["10.0.0.0/8", "2001:db8::/32"],
                 ["10.0.0.1/8", "10.0.0.0/08"]),
                ("zone", "ZoneCreate", "code", ["dmz_2"], ["DMZ"]),
                ("user", "UserCreate", "username", ["li.ming"], ["Li", "a"]),
                ("domain_name", "DomainNameCreate", "name", ["www.example.gov.cn"], ["localhost"])):
            f = self.field(obj, name)
            doc = self.component(comp)["properties"][name]
            self.assertEqual(f["pattern"], doc["pattern"], (obj, name))
            self.assertNotEqual(f["type"], "text", (obj, name))
            pat = re.compile(f["pattern"])
            for v in good:
                self.assertTrue(pat.fullmatch(v), (name, v))
            for v in bad:
                self.assertFalse(pat.fullmatch(v), (name, v))
        self.assertTrue(self.field("agreement", "signed_on")["past"])
        self.assertEqual(self.component("AgreementCreate")["properties"]["signed_on"]["x-not-after"],
                         "today")
        # the login and password bodies take the tables' rules
        body = self.doc["paths"]["/api/v1/session"]["post"]["requestBody"]["content"]
        self.assertEqual(body["application/json"]["schema"]["properties"]["username"]["pattern"],
                         self.field("user", "username")["pattern"])
        pw = self.component("UserCreate")["properties"]["password"]
        self.assertEqual((pw["minLength"], pw["maxLength"]), (8, 128))
        self.assertTrue(re.fullmatch(pw["pattern"], "abcdefg1"))
        self.assertFalse(re.fullmatch(pw["pattern"], "abcdefgh"))

    def test_vocabularies_of_the_county(self):
        """The members whose values the profile lists carry them as an enum."""
        prof = self.api("GET", "/profile").json
        kinds = [a["key"] for a in prof["agreements"] if a["party"] == "unit"]
        self.assertTrue(kinds)
        self.assertEqual(self.component("AgreementCreate")["properties"]["kind"]["enum"], kinds)
        self.assertEqual(self.component("ViolationCreate")["properties"]["behaviour"]["enum"],
                         [f["code"] for f in prof["forbidden"]])
        # a move to 暂停 needs a reason; every other status takes one but needs none
        by_status = {v["properties"]["status"]["enum"][0]: v
                     for v in self.component("UnitStatusChange")["oneOf"]}
        self.assertIn("reason", by_status["暂停"]["required"])
        self.assertNotIn("reason", by_status["申请中"]["required"])
        self.assertEqual(by_status["暂停"]["properties"]["reason"]["minLength"], 1)
        scopes = self.doc["paths"]["/api/v1/tokens"]["post"]["requestBody"]["content"][
            "application/json"]["schema"]["properties"]["scope"]["enum"]
        self.assertIn("all", scopes)
        self.assertIn("radius probe", scopes)
        self.assertNotIn("probe probe", scopes)
        # every order of every set of the scopes, and "all"
        import math
        n = len({w for v in scopes if v != "all" for w in v.split()})
        self.assertEqual(n, 4)  # probe, enforcer, radius, metrics
        self.assertEqual(len(scopes), 1 + sum(math.perm(n, k) for k in range(1, n + 1)))
