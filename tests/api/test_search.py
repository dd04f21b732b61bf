"""Find anything in one box (issue 16, item 1): GET /search?q= classifies what was typed (an
address, a prefix, a MAC in any notation, a mobile number, or text) and looks it up where that
kind can be, each type read with the caller's own scope.

The expectations come from the database and from the names themselves, not from the server:
the pinyin initials of a demo unit are written out here character by character."""
import urllib.parse

from harness import ServerTest

A = "/api/v1"

# The initials of the characters of the demo's township names, as a person reads them: the
# test builds the query from a unit's name with this table, independently of the server's.
INITIALS = {"城": "c", "关": "g", "镇": "z", "人": "r", "民": "m", "政": "z", "府": "f",
            "教": "j", "育": "y", "局": "j", "县": "x"}


KIND_LABELS = {"ip": "IP 地址", "cidr": "地址段", "mac": "MAC 地址", "mobile": "手机号", "text": "文字"}


class Search(ServerTest):
    @classmethod
    def _fixtures(cls):
        s = cls.srv
        cls.own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.other = s.sql("SELECT id FROM units WHERE id <> ? AND status = '已接入' ORDER BY id"
                          " LIMIT 1", (cls.own,))[0][0]
        c = s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.61.0.0/16", "status": "container"})
        assert c.status == 201, c
        cls.container = c.json
        cls.nets = {}
        for u in (cls.own, cls.other):
            r = s.as_("admin", "POST", A + "/prefixes/%d/allocate" % c.json["id"],
                      {"unit_id": u, "prefix_length": 24})
            assert r.status == 201, r
            cls.nets[u] = r.json
        cls.ip = {u: cls.nets[u]["cidr"].rsplit(".", 1)[0] + ".20" for u in cls.nets}
        cls.mac = {cls.own: "02:61:00:00:00:01", cls.other: "02:61:00:00:00:02"}
        cls.terminal = {}
        for u in (cls.own, cls.other):
            r = s.as_("admin", "POST", A + "/terminals",
                      {"mac": cls.mac[u], "ip": cls.ip[u], "unit_id": u, "kind": "计算机",
                       "user_name": "检索测试用户%d" % u})
            assert r.status == 201, r
            cls.terminal[u] = r.json["id"]
        r = s.as_("admin", "POST", A + "/addresses",
                  {"prefix_id": cls.nets[cls.own]["id"], "address": cls.ip[cls.own].rsplit(".", 1)[0] + ".30",
                   "kind": "静态", "hostname": "print-srv", "mac": "02:61:00:00:00:03"})
        assert r.status == 201, r
        cls.host = r.json

    def search(self, q, user="admin"):
        return self.srv.as_(user, "GET", A + "/search?q=" + urllib.parse.quote(q))

    def ok(self, q, user="admin", kind=None):
        r = self.search(q, user)
        self.assertEqual(r.status, 200, r)
        if kind:
            self.assertEqual(r.json["kind"], kind, r)
            self.assertEqual(r.json["kind_label"], KIND_LABELS[kind], r)
        for x in r.json["results"]:
            self.assertEqual(set(x), {"type", "type_label", "id", "title", "detail", "unit_id", "path"}, x)
            self.assertTrue(x["title"] and x["path"].startswith("/"), x)
        return r.json

    @staticmethod
    def of(answer, type_):
        return [x for x in answer["results"] if x["type"] == type_]

    def test_an_address_finds_its_prefix_unit_and_terminal(self):
        own = self.own
        a = self.ok(self.ip[own], kind="ip")
        prefixes = self.of(a, "prefix")
        self.assertEqual(prefixes[0]["id"], self.nets[own]["id"], a)  # the most specific first
        self.assertEqual(prefixes[0]["title"], self.nets[own]["cidr"])
        self.assertEqual(prefixes[0]["unit_id"], own)
        self.assertEqual([u["id"] for u in self.of(a, "unit")], [own], a)
        name = self.srv.sql("SELECT name FROM units WHERE id = ?", (own,))[0][0]
        self.assertEqual(self.of(a, "unit")[0]["title"], name)
        self.assertEqual(self.of(a, "unit")[0]["type_label"], "单位")
        self.assertEqual([t["id"] for t in self.of(a, "terminal")], [self.terminal[own]], a)
        # the answer lists where the address lies first
        self.assertEqual(a["results"][0]["type"], "prefix")
        # the host address registered at an address
        h = self.ok(self.host["address"], kind="ip")
        self.assertEqual([x["id"] for x in self.of(h, "host")], [self.host["id"]], h)
        self.assertIn("print-srv", self.of(h, "host")[0]["detail"])
        # an address of the county's pool that no unit holds: the pool, no unit
        free = self.ok("10.61.250.9")
        self.assertEqual([p["id"] for p in self.of(free, "prefix")], [self.container["id"]], free)
        self.assertEqual(self.of(free, "unit"), [])
        self.assertEqual(self.ok("192.0.2.1", kind="ip")["results"], [])

    def test_a_prefix_by_cidr(self):
        net = self.nets[self.other]
        a = self.ok(net["cidr"], kind="cidr")
        self.assertEqual([p["id"] for p in self.of(a, "prefix")], [net["id"]], a)
        self.assertEqual([u["id"] for u in self.of(a, "unit")], [self.other], a)
        # a block not registered: the one holding it
        inside = self.ok("10.61.200.0/25", kind="cidr")
        self.assertEqual([p["id"] for p in self.of(inside, "prefix")], [self.container["id"]])

    def test_a_mac_in_every_notation(self):
        mac = self.mac[self.own]
        hexes = mac.replace(":", "")
        for q in (mac, mac.upper().replace(":", "-"), "%s.%s.%s" % (hexes[:4], hexes[4:8], hexes[8:]),
                  hexes.upper()):
            a = self.ok(q, kind="mac")
            self.assertEqual([t["id"] for t in self.of(a, "terminal")], [self.terminal[self.own]], (q, a))
            self.assertEqual([u["id"] for u in self.of(a, "unit")], [self.own], (q, a))
            self.assertIn(mac, self.of(a, "terminal")[0]["path"])
        # a host address's MAC finds the host
        h = self.ok("02-61-00-00-00-03", kind="mac")
        self.assertEqual([x["id"] for x in self.of(h, "host")], [self.host["id"]], h)

    def test_pinyin_initials_find_a_unit(self):
        s = self.srv
        units = dict(s.sql("SELECT id, name FROM units"))
        town = [n for n in units.values() if n.endswith("城关镇人民政府")][0]
        # the initials of the part of its name after the county's: 城关镇 -> cgz
        q = "".join(INITIALS[ch] for ch in "城关镇")
        a = self.ok(q, kind="text")
        found = [u["title"] for u in self.of(a, "unit")]
        want = sorted(n for n in units.values() if "城关镇" in n)
        self.assertEqual(sorted(found), want, a)
        self.assertEqual(found[0], town)  # the shortest name first
        # upper case too, and the initials of a whole name
        self.assertEqual([u["title"] for u in self.of(self.ok(q.upper()), "unit")], found)
        bureau = [n for n in units.values() if n.endswith("县教育局")][0]
        q2 = "".join(INITIALS[ch] for ch in "县教育局")
        self.assertIn(bureau, [u["title"] for u in self.of(self.ok(q2), "unit")])
        # the name itself, also written with full-width letters where it has none: by key
        self.assertIn(town, [u["title"] for u in self.of(self.ok("城关镇"), "unit")])

    def test_a_mobile_finds_the_contact_and_unit(self):
        s = self.srv
        mobile, cid, unit, name = s.sql("SELECT mobile, id, unit_id, name FROM contacts ORDER BY id"
                                        " LIMIT 1")[0]
        a = self.ok(mobile, kind="mobile")
        want = [i for (i,) in s.sql("SELECT id FROM contacts WHERE mobile = ? ORDER BY id", (mobile,))]
        self.assertEqual([c["id"] for c in self.of(a, "contact")], want, a)
        self.assertEqual(self.of(a, "contact")[0]["title"], name)
        self.assertIn(unit, [u["id"] for u in self.of(a, "unit")], a)
        self.assertEqual(self.ok("13999999999", kind="mobile")["results"], [])

    def test_text_finds_people_lines_and_numbers(self):
        s = self.srv
        name, cid = s.sql("SELECT name, id FROM contacts ORDER BY id LIMIT 1")[0]
        self.assertIn(cid, [c["id"] for c in self.of(self.ok(name), "contact")])
        t = self.ok("检索测试用户%d" % self.own)
        self.assertEqual([x["id"] for x in self.of(t, "terminal")], [self.terminal[self.own]], t)
        carrier = s.as_("admin", "POST", A + "/carriers", {"name": "检索运营商"}).json["id"]
        line = s.as_("admin", "POST", A + "/lines",
                     {"carrier_id": carrier, "unit_id": self.own, "circuit_id": "ZW-SEARCH-0071",
                      "bandwidth_mbps": 100, "payer": "管理单位", "status": "在用"})
        self.assertEqual(line.status, 201, line)
        a = self.ok("search-007")  # part of it, either case
        self.assertEqual([x["id"] for x in self.of(a, "line")], [line.json["id"]], a)
        # a LIKE wildcard is a character like any other
        self.assertEqual(self.of(self.ok("ZW%0071"), "line"), [])
        aid = s.sql("SELECT id FROM applications ORDER BY id LIMIT 1")[0][0]
        n = self.ok(str(aid))
        self.assertIn(aid, [x["id"] for x in self.of(n, "application")], n)
        self.assertEqual(self.of(n, "application")[0]["path"], "/applications/%d" % aid)

    def test_a_unit_admin_finds_only_its_own_unit(self):
        other, own = self.other, self.own
        other_name = self.srv.sql("SELECT name FROM units WHERE id = ?", (other,))[0][0]
        self.srv.login("unit")
        self.srv.login("auditor")
        before = self.srv.counts()
        for q in (self.ip[other], self.mac[other], self.nets[other]["cidr"], other_name,
                  "检索测试用户%d" % other):
            r = self.search(q, "unit")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["results"], [], (q, r))
        # its own are there
        mine = self.ok(self.mac[own], "unit")
        self.assertEqual([t["id"] for t in self.of(mine, "terminal")], [self.terminal[own]], mine)
        a = self.ok(self.ip[own], "unit")
        self.assertEqual({x["unit_id"] for x in a["results"]}, {own}, a)
        # the county's pool around its subnet is not its own
        self.assertNotIn(self.container["id"], [p["id"] for p in self.of(a, "prefix")])
        # a role that reads no register finds nothing
        self.assertEqual(self.ok(other_name, "auditor")["results"], [])
        self.assertEqual(self.srv.counts(), before)

    def test_the_cap_is_stated(self):
        s = self.srv
        lines = ["MAC 地址,所属单位,终端类型,使用人"]
        name = s.sql("SELECT name FROM units WHERE id = ?", (self.own,))[0][0]
        for i in range(25):
            lines.append("02:62:00:00:00:%02x,%s,计算机,封顶测试%d" % (i, name, i))
        r = s.as_("admin", "POST", A + "/imports/terminals", raw="\r\n".join(lines).encode("utf-8"),
                  headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 201, r)
        a = self.ok("封顶测试")
        self.assertEqual(len(self.of(a, "terminal")), a["per_type"])
        self.assertIs(a["truncated"], True)
        self.assertIs(self.ok("封顶测试7")["truncated"], False)

    def test_a_bad_query_is_refused_naming_q(self):
        before = self.srv.counts()
        for q in ("", "   ", "\u3000", "测" * 101):
            e = self.assertError(self.search(q), 400, field="q", code="invalid")
            self.assertRegex(e["message"], "[\u4e00-\u9fff]")
        self.assertError(self.srv.as_("admin", "GET", A + "/search"), 400, field="q")
        self.assertError(self.srv.as_("admin", "GET", A + "/search?q=a&x=1"), 400, field="x")
        self.assertError(self.srv.as_("admin", "GET", A + "/search?q=%01"), 400, field="q")
        self.assertEqual(self.ok("测" * 100)["results"], [])
        self.assertEqual(self.srv.request("GET", A + "/search?q=x").status, 401)
        self.assertEqual(self.srv.counts(), before)
