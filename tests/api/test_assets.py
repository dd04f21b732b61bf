"""Carriers, lines, devices (with SNMP secrets sealed at rest), domain names and ports."""
import os
import stat

from harness import ServerTest


class Assets(ServerTest):
    def api(self, method, path, body=None, user="admin"):
        return self.srv.as_(user, method, path, body)

    def test_device_secrets_sealed_and_never_shown(self):
        r = self.api("POST", "/api/v1/devices", {"name": "核心交换机", "kind": "交换机", "owner": "信息中心",
                                                 "mgmt_ip": "10.0.0.1", "snmp_version": "v2c",
                                                 "snmp_community": "TopSecret-123"})
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("snmp_community", r.json)
        self.assertTrue(r.json["snmp_secrets_set"])
        stored = self.srv.sql("SELECT snmp_community FROM devices WHERE id = ?", (r.json["id"],))[0][0]
        self.assertTrue(stored.startswith("sealed:v1:"), stored)
        self.assertNotIn("TopSecret", stored)
        # nowhere in the audit log, the list or the object
        audit = self.srv.sql("SELECT before, after FROM audit WHERE object_type = 'device'")
        self.assertNotIn("TopSecret", repr(audit))
        self.assertNotIn("sealed:", repr(audit))
        listed = self.api("GET", "/api/v1/devices").raw.decode()
        self.assertNotIn("snmp_community", listed)
        # the key lives beside the database, not in it, readable by the owner only
        key = self.srv.db + ".key"
        self.assertTrue(os.path.exists(key))
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        self.assertEqual(os.path.getsize(key), 32)
        # an unrelated change keeps the sealed value; a new secret reseals; null clears
        self.api("PATCH", "/api/v1/devices/%d" % r.json["id"], {"location": "三楼机房"})
        self.assertEqual(self.srv.sql("SELECT snmp_community FROM devices WHERE id = ?", (r.json["id"],))[0][0],
                         stored)
        self.api("PATCH", "/api/v1/devices/%d" % r.json["id"], {"snmp_community": "Other-456"})
        again = self.srv.sql("SELECT snmp_community FROM devices WHERE id = ?", (r.json["id"],))[0][0]
        self.assertNotEqual(again, stored)
        c = self.api("PATCH", "/api/v1/devices/%d" % r.json["id"], {"snmp_community": None}).json
        self.assertFalse(c["snmp_secrets_set"])
        # a sealed value cannot be smuggled in
        self.assertError(self.api("POST", "/api/v1/devices", {"name": "x", "kind": "其他", "owner": "信息中心",
                                                              "snmp_community": stored}), 400,
                         field="snmp_community")

    def test_device_rules(self):
        self.assertError(self.api("POST", "/api/v1/devices", {"name": "单位交换机", "kind": "交换机",
                                                              "owner": "使用单位"}), 400, field="unit_id")
        self.assertError(self.api("POST", "/api/v1/devices", {"name": "y", "kind": "交换机", "owner": "信息中心",
                                                              "mgmt_ip": "10.0.0.300"}), 400, field="mgmt_ip")
        self.assertError(self.api("POST", "/api/v1/devices", {"name": "z", "kind": "调制解调器",
                                                              "owner": "信息中心"}), 400, field="kind")

    def test_lines_carriers_domains_ports(self):
        c = self.api("POST", "/api/v1/carriers", {"name": "某电信分公司", "contact_mobile": "13800005555"}).json
        self.assertError(self.api("POST", "/api/v1/carriers", {"name": "某电信分公司"}), 409, field="name")
        self.assertError(self.api("POST", "/api/v1/carriers", {"name": "某移动", "contact_mobile": "12345"}), 400,
                         field="contact_mobile")
        line = self.api("POST", "/api/v1/lines", {"carrier_id": c["id"], "unit_id": 2, "circuit_id": "TB-0001",
                                                  "bandwidth_mbps": 100, "payer": "管理单位", "status": "在用"})
        self.assertEqual(line.status, 201, line)
        self.assertEqual(line.json["payer_code"], "manager")
        self.assertError(self.api("POST", "/api/v1/lines", {"carrier_id": 999, "circuit_id": "TB-0002",
                                                            "bandwidth_mbps": 100, "payer": "使用单位",
                                                            "status": "在用"}), 400, field="carrier_id")
        # a carrier still referenced by a line cannot go
        self.assertError(self.api("DELETE", "/api/v1/carriers/%d" % c["id"]), 409)
        d = self.api("POST", "/api/v1/domain-names", {"unit_id": 2, "name": "WWW.Example.GOV.cn"}).json
        self.assertEqual(d["name"], "www.example.gov.cn")
        for bad in ("no_underscores.example.cn", "nodot", "-x.example.cn", "a..b.cn"):
            self.assertError(self.api("POST", "/api/v1/domain-names", {"unit_id": 2, "name": bad}), 400,
                             field="name")
        p = {"unit_id": 2, "protocol": "tcp", "port": 443, "target_ip": "10.20.0.8", "purpose": "政务服务门户"}
        self.assertEqual(self.api("POST", "/api/v1/ports", p).status, 201)
        self.assertError(self.api("POST", "/api/v1/ports", p), 409)
        self.assertError(self.api("POST", "/api/v1/ports", dict(p, port=70000)), 400, field="port")
        self.assertError(self.api("POST", "/api/v1/ports", dict(p, port=80, target_ip="x")), 400,
                         field="target_ip")
