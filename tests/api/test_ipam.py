"""The address plan (issue 3, JX-20/MY-5): zones, VLANs, prefixes, allocation, quarantine."""
import ipaddress
import threading
import time

from harness import ServerTest, run_cli

P = "/api/v1/prefixes"


class Ipam(ServerTest):
    extra = ("--quarantine", "2")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        r = s.as_("admin", "POST", "/api/v1/zones", {"name": "公用网络区", "code": "public"})
        assert r.status == 201, r
        cls.zone = r.json["id"]
        r = s.as_("admin", "POST", "/api/v1/zones", {"name": "互联网接入区", "code": "internet"})
        cls.zone2 = r.json["id"]

    def api(self, method, path, body=None, user="admin", **kw):
        return self.srv.as_(user, method, path, body, **kw)

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r)
        return r.json

    def container(self, cidr, zone=None):
        return self.ok(self.api("POST", P, {"cidr": cidr, "status": "container",
                                            "zone_id": zone or self.zone}), 201)

    def test_zones_and_vlans(self):
        e = self.assertError(self.api("POST", "/api/v1/zones", {"name": "公用网络区", "code": "x"}), 409,
                             field="name")
        self.assertError(self.api("POST", "/api/v1/zones", {"name": "专用", "code": "Bad Code"}), 400,
                         field="code")
        v = self.ok(self.api("POST", "/api/v1/vlans", {"vid": 101, "name": "财政局", "zone_id": self.zone,
                                                       "unit_id": 2}), 201)
        self.assertEqual(v["vid"], 101)
        self.assertError(self.api("POST", "/api/v1/vlans", {"vid": 101, "name": "重复"}), 409, field="vid")
        self.assertError(self.api("POST", "/api/v1/vlans", {"vid": 4095, "name": "越界"}), 400, field="vid")
        self.assertError(self.api("POST", "/api/v1/vlans", {"vid": 102, "name": "x", "zone_id": 999}), 400,
                         field="zone_id")
        # A zone in use by a VLAN cannot be deleted.
        self.assertError(self.api("DELETE", "/api/v1/zones/%d" % self.zone), 409)

    def test_bad_prefixes(self):
        before = self.srv.counts()
        for cidr in ("10.1.2.3/16", "10.0.0.0/33", "10.0.0/8", "2001:db8::/0", "abc", "10.0.0.0",
                     "010.0.0.0/8", "10.0.0.0/8 "):
            self.assertError(self.api("POST", P, {"cidr": cidr, "status": "container"}), 400, field="cidr")
        self.assertError(self.api("POST", P, {"cidr": "10.9.0.0/16", "status": "bogus"}), 400, field="status")
        self.assertError(self.api("POST", P, {"cidr": "10.9.0.0/16", "status": "active",
                                              "gateway": "10.8.0.1"}), 400, field="gateway")
        self.assertError(self.api("POST", P, {"cidr": "10.9.0.0/16", "status": "active",
                                              "dns": "10.9.0.2, nonsense"}), 400, field="dns")
        self.assertEqual(self.srv.counts(), before)

    def test_hierarchy_and_usage(self):
        c16 = self.container("172.16.0.0/16")
        sub = self.ok(self.api("POST", P, {"cidr": "172.16.4.0/24", "status": "active", "unit_id": 2,
                                           "gateway": "172.16.4.1", "dns": "172.16.0.53"}), 201)
        self.assertEqual(sub["parent_id"], c16["id"])
        self.assertEqual(sub["zone_id"], self.zone)  # inherited
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (P, c16["id"])))["used"], "256")
        # Inside an active subnet nothing more can be carved; duplicates are refused.
        self.assertError(self.api("POST", P, {"cidr": "172.16.4.128/25", "status": "reserved"}), 409,
                         field="cidr")
        self.assertError(self.api("POST", P, {"cidr": "172.16.4.0/24", "status": "active"}), 409,
                         field="cidr")
        # A larger container slid in above takes the /16 as its child.
        c12 = self.container("172.16.0.0/12")
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (P, c16["id"])))["parent_id"], c12["id"])
        top = self.ok(self.api("GET", "%s/%d" % (P, c12["id"])))
        self.assertEqual(top["used"], str(2 ** 16))
        self.assertAlmostEqual(top["utilisation"], 100.0 * 2 ** 16 / 2 ** 20)
        # A container with children cannot stop being one, nor be released.
        self.assertError(self.api("PATCH", "%s/%d" % (P, c12["id"]), {"status": "active"}), 409,
                         field="status")
        self.assertError(self.api("DELETE", "%s/%d" % (P, c12["id"])), 409)

    def test_allocation_by_hosts_length_and_zone(self):
        c = self.container("10.50.0.0/16")
        a = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "hosts": 50}), 201)
        self.assertEqual(a["length"], 26)  # 64 - network, broadcast, gateway >= 50
        self.assertEqual(a["unit_id"], 2)
        self.assertEqual(a["status"], "active")
        b = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 3, "prefix_length": 28}), 201)
        # best fit: the /28 comes out of the /26's buddy space, not a fresh big block
        self.assertEqual(b["cidr"], "10.50.0.64/28")
        # Zone-based: of two containers, the one with the tighter fit is used.
        big = self.container("10.60.0.0/16", self.zone2)
        small = self.container("10.61.0.0/27", self.zone2)
        z = self.ok(self.api("POST", P + "/allocate", {"zone_id": self.zone2, "unit_id": 2, "hosts": 5}), 201)
        self.assertEqual(z["parent_id"], small["id"])
        self.assertEqual(z["cidr"], "10.61.0.0/29")
        # Errors name their field and change nothing.
        before = self.srv.counts()
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 999, "hosts": 5}), 400,
                         field="unit_id")
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2}), 400, field="hosts")
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]),
                                  {"unit_id": 2, "hosts": 5, "prefix_length": 29}), 400, field="hosts")
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "prefix_length": 8}),
                         400, field="prefix_length")
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, a["id"]), {"unit_id": 2, "hosts": 5}), 409,
                         field="parent")
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "hosts": 5, "x": 1}),
                         400, field="x")
        self.assertError(self.api("POST", P + "/allocate", {"unit_id": 2, "hosts": 5}), 400, field="zone_id")
        self.assertEqual(self.srv.counts(), before)
        # A revoked unit gets no addresses (the demo county has one, under tongbai: 已拆机).
        gone = self.srv.sql("SELECT id FROM units WHERE status IN ('已拆机', '已撤销入网资格') LIMIT 1")[0][0]
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": gone, "hosts": 5}), 409,
                         field="unit_id")

    def test_exhaustion(self):
        c = self.container("10.70.0.0/28")
        got = [self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "prefix_length": 30}),
                       201)["cidr"] for _ in range(4)]
        self.assertEqual(sorted(got), ["10.70.0.0/30", "10.70.0.12/30", "10.70.0.4/30", "10.70.0.8/30"])
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "prefix_length": 30}),
                         409, field="hosts")
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (P, c["id"])))["utilisation"], 100.0)

    def test_release_quarantine_and_reuse(self):
        c = self.container("10.80.0.0/29")
        a = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "prefix_length": 30}), 201)
        self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 3, "prefix_length": 30}), 201)
        self.assertEqual(a["cidr"], "10.80.0.0/30")
        self.assertEqual(self.api("DELETE", "%s/%d" % (P, a["id"])).status, 204)
        free = self.ok(self.api("GET", "%s/%d/free" % (P, c["id"])))
        self.assertEqual([q["cidr"] for q in free["quarantine"]], ["10.80.0.0/30"])
        self.assertEqual(free["free_addresses"], "0")
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (P, c["id"])))["used"], "4")
        # resting: not handed out again yet, not even by an explicit request
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 3, "prefix_length": 30}),
                         409)
        self.assertError(self.api("POST", P, {"cidr": "10.80.0.0/31", "status": "reserved"}), 409, field="cidr")
        time.sleep(2.2)
        b = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 3, "prefix_length": 30}), 201)
        self.assertEqual(b["cidr"], "10.80.0.0/30")
        audit = self.ok(self.api("GET", "/api/v1/audit?object_type=prefix&object_id=%d" % a["id"]))["items"]
        self.assertEqual([e["action"] for e in audit], ["prefix.release", "prefix.allocate"])
        # A container cannot hand itself out whole.
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 3, "prefix_length": 29}),
                         400, field="prefix_length")

    def test_ipv6(self):
        c = self.container("2001:db8:100::/48")
        a = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "hosts": 300}), 201)
        self.assertEqual(a["cidr"], "2001:db8:100::/64")
        self.assertEqual(a["size"], str(2 ** 64))
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": 2, "hosts": 3,
                                                                             "family": 4}), 400, field="family")
        big = self.ok(self.api("GET", "%s/%d" % (P, c["id"])))
        self.assertEqual(big["used"], str(2 ** 64))

    def test_parallel_clients_never_share_space(self):
        """32 clients allocate /28s from one parent at once: all distinct, none overlapping."""
        c = self.container("10.90.0.0/16")
        tok = self.srv.login("admin")
        got, errors = [], []
        lock = threading.Lock()

        def client():
            for _ in range(12):
                r = self.srv.request("POST", "%s/%d/allocate" % (P, c["id"]),
                                     {"unit_id": 2, "prefix_length": 28}, token=tok)
                with lock:
                    (got if r.status == 201 else errors).append(r.json.get("cidr") if r.status == 201 else r)

        threads = [threading.Thread(target=client) for _ in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(got), 32 * 12)
        self.assertEqual(len(set(got)), len(got))
        nets = sorted(ipaddress.ip_network(g) for g in got)
        for x, y in zip(nets, nets[1:]):
            self.assertFalse(x.overlaps(y), (x, y))
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (P, c["id"])))["used"], str(16 * 32 * 12))
        rows = self.srv.sql("SELECT count(*) FROM prefixes WHERE parent_id = ?", (c["id"],))
        self.assertEqual(rows, [(32 * 12,)])
        run_cli("audit", "verify", db=self.srv.db)

    def test_role_scoping(self):
        c = self.container("10.100.0.0/16")
        mine = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        other = 2 if mine != 2 else 3
        a = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": mine, "hosts": 5}), 201)
        b = self.ok(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": other, "hosts": 5}), 201)
        seen = self.ok(self.api("GET", P + "?limit=500", user="unit"))["items"]
        self.assertTrue(seen)
        self.assertEqual({p["unit_id"] for p in seen}, {mine})
        self.assertEqual(self.api("GET", "%s/%d" % (P, a["id"]), user="unit").status, 200)
        self.assertError(self.api("GET", "%s/%d" % (P, b["id"]), user="unit"), 404)
        self.assertError(self.api("GET", "%s/%d/free" % (P, c["id"]), user="unit"), 404)
        self.srv.login("ops")
        before = self.srv.counts()
        self.assertError(self.api("POST", "%s/%d/allocate" % (P, c["id"]), {"unit_id": mine, "hosts": 5},
                                  user="unit"), 403)
        self.assertError(self.api("DELETE", "%s/%d" % (P, a["id"]), user="unit"), 403)
        self.assertError(self.api("POST", "/api/v1/zones", {"name": "x", "code": "x"}, user="ops"), 403)
        self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.api("GET", P, user="ops").status, 200)
        self.assertEqual(self.api("GET", P, user="inspector").status, 200)
        self.assertError(self.api("GET", P, user="auditor"), 403)
        self.assertEqual(self.api("GET", "/api/v1/zones", user="unit").status, 200)


class PlanExport(ServerTest):
    def test_plan_csv(self):
        import csv
        import io
        s = self.srv
        z = s.as_("admin", "POST", "/api/v1/zones", {"name": "公用网络区", "code": "public"}).json
        c = s.as_("admin", "POST", "/api/v1/prefixes", {"cidr": "10.5.0.0/16", "status": "container",
                                                        "zone_id": z["id"], "description": "=cmd|' /c calc'!A0"}).json
        own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        mine = s.as_("admin", "POST", "/api/v1/prefixes/%d/allocate" % c["id"], {"unit_id": own, "hosts": 5}).json
        s.as_("admin", "POST", "/api/v1/prefixes/%d/allocate" % c["id"], {"unit_id": 2 if own != 2 else 3,
                                                                          "hosts": 5})
        r = s.as_("admin", "GET", "/api/v1/exports/plan")
        self.assertEqual(r.status, 200)
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:4], ["地址段", "地址族", "前缀长度", "状态"])
        self.assertEqual([x[0] for x in rows[1:]], ["10.5.0.0/16", "10.5.0.0/29", "10.5.0.8/29"])
        self.assertEqual(rows[2][4], "10.5.0.0/16")  # parent
        self.assertEqual(rows[2][5], "公用网络区")    # zone inherited
        self.assertEqual(rows[1][13], "'=cmd|' /c calc'!A0")  # no formula runs
        # a unit_admin gets its own unit's lines only
        r = s.as_("unit", "GET", "/api/v1/exports/plan")
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        self.assertEqual([x[0] for x in rows[1:]], [mine["cidr"]])
        self.assertError(s.as_("auditor", "GET", "/api/v1/exports/plan"), 403)
