"""No request gets a 500 from a database constraint: the domain checks first.

The migrations hold CHECK and NOT NULL constraints (enumerations, ranges, sealed secrets) as a
last line of defence; a request that reaches one is a defect (store.c answers 500). This sweep
sends every writable field of every registry object, on create and on update, the values a
client gets wrong most often (empty text, null, blanks, zero, negative, huge, wrong type) and
requires a 4xx naming the field, or success.
"""
from harness import ServerTest

PATHS = {"unit": "units", "zone": "zones", "vlan": "vlans", "prefix": "prefixes",
         "terminal": "terminals", "address": "addresses", "carrier": "carriers", "line": "lines",
         "device": "devices", "domain_name": "domain-names", "port": "ports", "user": "users"}
VALUES = ["", None, " ", "\u3000", 0, -1, 1 << 40, True]
UNIQUE = ("name", "code", "circuit_id", "mac")


class Constraints(ServerTest):
    @classmethod
    def _fixtures(cls):
        s = cls.srv

        def make(path, body):
            r = s.as_("admin", "POST", "/api/v1/" + path, body)
            assert r.status == 201, (path, r)
            return r.json

        zone = make("zones", {"name": "约束区", "code": "cz"})
        carrier = make("carriers", {"name": "约束运营商"})
        make("prefixes", {"cidr": "10.70.0.0/16", "status": "container", "zone_id": zone["id"]})
        sub = make("prefixes", {"cidr": "10.70.1.0/24", "status": "active", "unit_id": 1,
                                "gateway": "10.70.1.1"})
        cls.base = {
            "unit": {"name": "约束单位", "type": "其他", "level": "县直"},
            "zone": {"name": "约束区二", "code": "cz2"},
            "vlan": {"vid": 300, "name": "约束", "zone_id": zone["id"], "unit_id": 1},
            "prefix": {"cidr": "10.70.2.0/24", "status": "reserved"},
            "terminal": {"mac": "00:11:22:33:70:01", "unit_id": 1, "kind": "计算机",
                         "ip": "10.70.1.9"},
            "address": {"prefix_id": sub["id"], "address": "10.70.1.20", "kind": "静态"},
            "carrier": {"name": "约束运营商二"},
            "line": {"carrier_id": carrier["id"], "unit_id": 1, "circuit_id": "CZ-1",
                     "bandwidth_mbps": 10, "payer": "管理单位", "status": "在用"},
            "device": {"name": "约束交换机", "kind": "交换机", "owner": "信息中心",
                       "snmp_version": "v3", "snmp_user": "zw", "snmp_community": "comm-1234",
                       "snmp_auth_key": "auth-1234", "snmp_priv_key": "priv-1234"},
            "domain_name": {"unit_id": 1, "name": "www.constraint.gov.cn"},
            "port": {"unit_id": 1, "protocol": "tcp", "port": 80, "target_ip": "10.70.1.20",
                     "purpose": "门户"},
        }
        cls.made = {k: make(PATHS[k], b) for k, b in cls.base.items()}
        cls.made["user"] = {"id": s.sql("SELECT id FROM users WHERE username = 'ops'")[0][0]}
        cls.schemas = s.as_("admin", "GET", "/api/v1/schemas").json

    def test_no_field_value_reaches_a_constraint(self):
        s, problems, n = self.srv, [], 0
        for obj, path in PATHS.items():
            for f in self.schemas[obj]["fields"]:
                if f.get("readonly"):
                    continue
                for v in VALUES:
                    tries = []
                    if not f.get("fixed"):
                        tries.append(("PATCH", "/api/v1/%s/%d" % (path, self.made[obj]["id"]),
                                      {f["name"]: v}))
                    if obj in self.base:
                        n += 1
                        b = dict(self.base[obj])
                        for u in UNIQUE:  # keep the other unique fields unique
                            if u in b and u != f["name"] and u != "mac":
                                b[u] = "%s%d" % (b[u], n)
                        b[f["name"]] = v
                        tries.append(("POST", "/api/v1/" + path, b))
                    for method, url, body in tries:
                        r = s.as_("admin", method, url, body)
                        if r.status >= 500:
                            problems.append("%s %s %s=%r: %r" % (method, url, f["name"], v, r))
                        elif r.status >= 400 and (r.json or {}).get("error", {}).get(
                                "field") is None and r.status == 400:
                            problems.append("%s %s %s=%r: 400 names no field: %r" % (
                                method, url, f["name"], v, r))
                        elif method == "POST" and r.status == 201:
                            s.as_("admin", "DELETE", "/api/v1/%s/%d" % (path, r.json["id"]))
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def test_empty_snmp_secret_is_refused_and_keeps_the_stored_one(self):
        """"" for a write-only secret is ambiguous (keep? clear?): refused naming the field;
        omitting the field keeps the secret and null clears it."""
        dev = self.made["device"]["id"]
        stored = self.srv.sql("SELECT snmp_community, snmp_auth_key, snmp_priv_key FROM devices"
                              " WHERE id = ?", (dev,))[0]
        for f in ("snmp_community", "snmp_auth_key", "snmp_priv_key"):
            before = self.srv.counts()
            e = self.assertError(self.srv.as_("admin", "PATCH", "/api/v1/devices/%d" % dev,
                                              {f: ""}), 400, field=f)
            self.assertIn("null", e["message"])
            e = self.assertError(self.srv.as_("admin", "POST", "/api/v1/devices",
                                              dict(self.base["device"], name="空密钥", **{f: ""})),
                                 400, field=f)
            self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.srv.sql("SELECT snmp_community, snmp_auth_key, snmp_priv_key"
                                      " FROM devices WHERE id = ?", (dev,))[0], stored)
        r = self.srv.as_("admin", "PATCH", "/api/v1/devices/%d" % dev,
                         {"snmp_community": None, "snmp_auth_key": None, "snmp_priv_key": None})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["snmp_secrets_set"])
