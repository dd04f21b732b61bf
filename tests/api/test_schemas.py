"""GET /api/v1/schemas: the field rules the console checks forms with are the rules the server
enforces. Each rule the document states is tried against the real API at its boundary."""

from harness import ServerTest

U = "/api/v1/units"


class Schemas(ServerTest):
    def rules(self, obj):
        r = self.srv.as_("admin", "GET", "/api/v1/schemas")
        self.assertEqual(r.status, 200, r)
        return {f["name"]: f for f in r.json[obj]["fields"]}

    def unit_body(self, **kw):
        b = {"name": "规则测试单位", "type": "事业单位", "level": "县直"}
        b.update(kw)
        return b

    def test_unit_rules_hold_at_their_boundaries(self):
        f = self.rules("unit")
        self.assertEqual(f["name"]["label"], "单位名称")
        self.assertTrue(f["name"]["required"])
        self.assertTrue(f["id"]["readonly"])
        required = sorted(n for n, x in f.items() if x["required"])
        self.assertEqual(required, ["level", "name", "type"])
        for name in required:  # each required field, left out, is refused by name
            body = self.unit_body()
            del body[name]
            self.assertError(self.srv.as_("admin", "POST", U, body), 400, field=name)
        n = f["name"]["max_chars"]
        self.assertError(self.srv.as_("admin", "POST", U, self.unit_body(name="单" * (n + 1))),
                         400, field="name")
        r = self.srv.as_("admin", "POST", U, self.unit_body(name="单" * n))
        self.assertEqual(r.status, 201, r)
        for v in f["type"]["values"]:  # every listed value is accepted, nothing else
            r = self.srv.as_("admin", "POST", U, self.unit_body(name="类型" + v, type=v))
            self.assertEqual(r.status, 201, r)
        self.assertError(self.srv.as_("admin", "POST", U, self.unit_body(type="外星机构")), 400,
                         field="type")

    def test_contact_mobile_and_application_ranges(self):
        f = self.rules("contact")
        self.assertEqual(f["mobile"]["type"], "mobile")
        uid = self.srv.as_("admin", "POST", U, self.unit_body(name="联系人规则单位")).json["id"]
        path = "%s/%d/contacts" % (U, uid)
        self.assertError(self.srv.as_("admin", "POST", path,
                                      {"role": "网络管理员", "name": "甲", "mobile": "12345"}),
                         400, field="mobile")
        a = self.rules("application")
        lo, hi = a["ip_count"]["min"], a["ip_count"]["max"]
        self.assertEqual((lo, hi), (1, 1048576))
        body = {"kind": "access", "unit_id": uid, "user_type": "党政机关", "address": "地址",
                "admin_name": "甲", "admin_mobile": "13800000001", "tech_name": "乙",
                "tech_mobile": "13800000002", "bandwidth_mbps": 10, "purpose": "办公"}
        for bad in (lo - 1, hi + 1):
            self.assertError(self.srv.as_("admin", "POST", "/api/v1/applications",
                                          dict(body, ip_count=bad)), 400, field="ip_count")
        self.assertEqual(set(a["user_type"]["values"]), {"党政机关", "事业单位", "其他"})
        # the kinds: each required field of a kind, left out, is refused by name
        kinds = {k["kind"]: k for k in self.srv.as_("admin", "GET", "/api/v1/schemas").json[
            "application_kinds"]}
        self.assertEqual(kinds["access"]["label"], "接入申请")
        self.assertEqual(sorted(kinds["access"]["required"]), sorted(
            ["user_type", "address", "admin_name", "admin_mobile", "tech_name", "tech_mobile",
             "ip_count", "bandwidth_mbps", "purpose"]))
        full = dict(body, ip_count=5)
        for name in kinds["access"]["required"]:
            partial = dict(full)
            del partial[name]
            self.assertError(self.srv.as_("admin", "POST", "/api/v1/applications", partial), 400,
                             field=name)

    def test_role_names(self):
        role = self.rules("user")["role"]
        roles = dict(zip(role["values"], role["labels"]))
        self.assertEqual(roles["unit_admin"], "使用单位管理员")
        self.assertNotIn("probe", roles)  # a token's scope, never a user's role

    def test_every_value_has_a_chinese_name(self):
        """Every enum of every record, those a client only reads too, names each of its values
        in Chinese: the console shows a stored value by these names and has none of its own.
        Only protocol and version names stay as they are written."""
        latin = {"tcp", "udp", "v2c", "v3"}
        r = self.srv.as_("admin", "GET", "/api/v1/schemas").json
        for obj in ("violation", "finding", "deadline", "prefix", "user", "application"):
            self.assertIn(obj, r)
        doc = self.srv.as_("admin", "GET", "/api/v1/openapi.json").json["components"]["schemas"]
        seen = documented = 0
        for obj, sc in r.items():
            if not isinstance(sc, dict) or "fields" not in sc:
                continue
            for f in sc["fields"]:
                if f["type"] != "enum":
                    continue
                seen += 1
                where = "%s.%s" % (obj, f["name"])
                self.assertEqual(len(f["labels"]), len(f["values"]), where)
                for v, label in zip(f["values"], f["labels"]):
                    self.assertTrue(label and label.strip() == label, (where, v))
                    if v not in latin:
                        self.assertRegex(label, "[\u4e00-\u9fff]", (where, v))
                # the document names them the same way where they differ from the values
                comp = doc.get("".join(w.title() for w in obj.split("_")), {})
                prop = comp.get("properties", {}).get(f["name"])
                if prop is not None and f["labels"] != f["values"]:
                    self.assertEqual(prop.get("x-labels"), f["labels"], where)
                    documented += 1
        self.assertGreater(seen, 20)
        self.assertGreaterEqual(documented, 10)
        names = {f["name"]: dict(zip(f["values"], f["labels"]))
                 for f in r["violation"]["fields"] if f["type"] == "enum"}
        self.assertEqual(names["state"]["revoked"], "已取消入网资格")
        self.assertEqual(self.rules("prefix")["status"]["labels"][0], "地址池")

    def test_vocabularies_no_field_holds(self):
        """Isolation kinds and switch vendors are named by the server too; the ACL download
        takes exactly the vendors listed."""
        r = self.srv.as_("admin", "GET", "/api/v1/schemas").json
        kinds = {k["name"]: k["label"] for k in r["isolation_kinds"]}
        self.assertEqual(set(kinds), {"ip4", "ip6", "mac", "net4", "net6"})
        vendors = {v["name"]: v["label"] for v in r["acl_vendors"]}
        self.assertEqual(vendors["vrp"], "华为")
        for label in list(kinds.values()) + list(vendors.values()):
            self.assertRegex(label, "[\u4e00-\u9fff]")
        e = self.assertError(self.srv.as_("admin", "GET", "/api/v1/violations/1/acl?vendor=junos"),
                             400, field="vendor")
        for name, label in vendors.items():
            self.assertIn("%s（%s）" % (name, label), e["message"])

    def test_a_refused_code_is_told_with_its_name(self):
        """An enum of codes lists them with their names in the refusal, in a body and in a
        list's filter."""
        e = self.assertError(self.srv.as_("admin", "POST", "/api/v1/prefixes",
                                          {"cidr": "10.99.0.0/16", "status": "pool"}),
                             400, field="status")
        self.assertIn("container（地址池）", e["message"])
        e = self.assertError(self.srv.as_("admin", "GET", "/api/v1/violations?state=gone"),
                             400, field="state")
        self.assertIn("open（待处理）", e["message"])

    def test_token_scopes(self):
        """The console offers exactly the scopes POST /tokens takes."""
        r = self.srv.as_("admin", "GET", "/api/v1/schemas").json
        names = [sc["name"] for sc in r["token_scopes"]]
        self.assertEqual(names, ["probe", "enforcer", "radius", "metrics"])
        self.assertTrue(all(sc["label"] and sc["what"] for sc in r["token_scopes"]))
        for n in names:
            t = self.srv.as_("admin", "POST", "/api/v1/tokens", {"name": "s-" + n, "scope": n})
            self.assertEqual((t.status, t.json["scope"]), (201, n), t)

    def test_needs_login(self):
        self.assertError(self.srv.request("GET", "/api/v1/schemas"), 401)
