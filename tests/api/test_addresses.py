"""Host addresses inside a unit's allocation (JX-21, TB-6) and the DHCP exports."""
import json

from harness import ServerTest

A = "/api/v1/addresses"


class Addresses(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.other = s.sql("SELECT id FROM units WHERE id <> ? AND status = '已接入' LIMIT 1", (cls.own,))[0][0]
        cls.container = s.as_("admin", "POST", "/api/v1/prefixes", {"cidr": "10.40.0.0/16", "status": "container"}).json

    def api(self, method, path, body=None, user="admin"):
        return self.srv.as_(user, method, path, body)

    def subnet(self, unit, length=29, gateway=None):
        p = self.api("POST", "/api/v1/prefixes/%d/allocate" % self.container["id"],
                     {"unit_id": unit, "prefix_length": length}).json
        if gateway:
            base = p["cidr"].split("/")[0].rsplit(".", 1)
            gw = "%s.%d" % (base[0], int(base[1]) + gateway)
            p = self.api("PATCH", "/api/v1/prefixes/%d" % p["id"], {"gateway": gw}).json
        return p

    def test_next_free_host_skips_network_gateway_broadcast(self):
        p = self.subnet(self.own, 29, gateway=1)
        base = p["cidr"].split("/")[0].rsplit(".", 1)
        host = lambda n: "%s.%d" % (base[0], int(base[1]) + n)
        got = [self.api("POST", A, {"prefix_id": p["id"], "kind": "静态"}).json["address"] for _ in range(5)]
        self.assertEqual(got, [host(n) for n in (2, 3, 4, 5, 6)])
        self.assertError(self.api("POST", A, {"prefix_id": p["id"], "kind": "静态"}), 409, field="prefix_id")
        self.assertEqual(self.api("GET", "/api/v1/prefixes/%d" % p["id"]).json["used"], "5")
        # release one: it is the next one handed out again
        first = self.api("GET", A + "?prefix_id=%d&sort=id" % p["id"]).json["items"][1]
        self.assertEqual(self.api("DELETE", "%s/%d" % (A, first["id"])).status, 204)
        self.assertEqual(self.api("POST", A, {"prefix_id": p["id"], "kind": "保留"}).json["address"], first["address"])
        # a prefix with hosts cannot be released
        self.assertError(self.api("DELETE", "/api/v1/prefixes/%d" % p["id"]), 409)

    def test_explicit_addresses_checked(self):
        p = self.subnet(self.own, 28)
        base = p["cidr"].split("/")[0].rsplit(".", 1)
        host = lambda n: "%s.%d" % (base[0], int(base[1]) + n)
        r = self.api("POST", A, {"prefix_id": p["id"], "address": host(9), "kind": "静态", "hostname": "pc-09",
                                 "mac": "02AA.BBCC.0009"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["mac"], "02:aa:bb:cc:00:09")
        self.assertEqual(r.json["unit_id"], self.own)
        before = self.srv.counts()
        for addr, field in ((host(9), "address"), (host(0), "address"), (host(15), "address"),
                            ("10.41.0.1", "address"), ("10.40.0.999", "address")):
            self.assertError(self.api("POST", A, {"prefix_id": p["id"], "address": addr, "kind": "静态"}),
                             409 if addr == host(9) else 400, field=field)
        self.assertError(self.api("POST", A, {"prefix_id": p["id"], "kind": "静态", "hostname": "bad name"}),
                         400, field="hostname")
        self.assertError(self.api("POST", A, {"prefix_id": p["id"], "kind": "静态", "mac": "01:00:5e:00:00:01"}),
                         400, field="mac")
        self.assertError(self.api("POST", A, {"prefix_id": self.container["id"], "kind": "静态"}), 409,
                         field="prefix_id")
        self.assertError(self.api("POST", A, {"prefix_id": 999999, "kind": "静态"}), 400, field="prefix_id")
        # the address and its prefix are fixed once assigned
        self.assertError(self.api("PATCH", "%s/%d" % (A, r.json["id"]), {"address": host(10)}), 400,
                         field="address")
        self.assertEqual(self.srv.counts(), before)

    def test_unit_admin_assigns_only_in_own_prefixes(self):
        mine, theirs = self.subnet(self.own), self.subnet(self.other)
        r = self.api("POST", A, {"prefix_id": mine["id"], "kind": "静态"}, user="unit")
        self.assertEqual(r.status, 201, r)
        before = self.srv.counts()
        self.assertError(self.api("POST", A, {"prefix_id": theirs["id"], "kind": "静态"}, user="unit"), 404)
        self.assertEqual(self.srv.counts(), before)
        other = self.api("POST", A, {"prefix_id": theirs["id"], "kind": "静态"}).json
        self.assertError(self.api("GET", "%s/%d" % (A, other["id"]), user="unit"), 404)
        self.assertError(self.api("DELETE", "%s/%d" % (A, other["id"]), user="unit"), 404)
        seen = self.api("GET", A + "?limit=500", user="unit").json["items"]
        self.assertEqual({a["unit_id"] for a in seen}, {self.own})
        self.assertError(self.api("GET", A, user="carrier"), 403)

    def test_ipv6_next_free(self):
        c = self.api("POST", "/api/v1/prefixes", {"cidr": "2001:db8:40::/48", "status": "container"}).json
        p = self.api("POST", "/api/v1/prefixes/%d/allocate" % c["id"], {"unit_id": self.own, "hosts": 10}).json
        a = self.api("POST", A, {"prefix_id": p["id"], "kind": "静态"}).json
        self.assertEqual(a["address"], "2001:db8:40::1")
        self.assertEqual(a["family"], 6)

    def test_dhcp_exports(self):
        p = self.subnet(self.own, 29)
        a = self.api("POST", A, {"prefix_id": p["id"], "kind": "静态", "hostname": "printer-1",
                                 "mac": "02:00:00:00:aa:01"}).json
        self.api("POST", A, {"prefix_id": p["id"], "kind": "静态"})  # no MAC: not exported
        isc = self.api("GET", "/api/v1/exports/dhcp?format=isc&prefix_id=%d" % p["id"])
        self.assertEqual(isc.status, 200)
        self.assertIn("text/plain", isc.header("Content-Type"))
        text = isc.raw.decode()
        self.assertIn("host printer-1 {\n  hardware ethernet 02:00:00:00:aa:01;\n  fixed-address %s;\n}"
                      % a["address"], text)
        self.assertEqual(sum(1 for l in text.splitlines() if l.startswith("host ")), 1)
        dnsmasq = self.api("GET", "/api/v1/exports/dhcp?format=dnsmasq&prefix_id=%d" % p["id"]).raw.decode()
        self.assertIn("dhcp-host=02:00:00:00:aa:01,%s,printer-1" % a["address"], dnsmasq)
        kea = json.loads(self.api("GET", "/api/v1/exports/dhcp?format=kea&prefix_id=%d" % p["id"]).raw)
        self.assertEqual(kea["reservations"], [{"hw-address": "02:00:00:00:aa:01", "ip-address": a["address"],
                                                "hostname": "printer-1"}])
        self.assertError(self.api("GET", "/api/v1/exports/dhcp?format=cisco"), 400, field="format")
        self.assertError(self.api("GET", "/api/v1/exports/dhcp?format=isc&prefix_id=x"), 400, field="prefix_id")

    def test_terminal_ips_are_not_handed_out(self):
        p = self.subnet(self.own, 29)
        base = p["cidr"].split("/")[0].rsplit(".", 1)
        host = lambda n: "%s.%d" % (base[0], int(base[1]) + n)
        t = self.api("POST", "/api/v1/terminals", {"mac": "02:00:00:00:50:01", "unit_id": self.own,
                                                  "kind": "计算机", "ip": host(1)}).json
        a = self.api("POST", A, {"prefix_id": p["id"], "kind": "静态"}).json
        self.assertEqual(a["address"], host(2))  # .1 is the terminal's
        self.assertError(self.api("POST", A, {"prefix_id": p["id"], "kind": "静态", "address": host(1)}), 409,
                         field="address")
        r = self.api("POST", A, {"prefix_id": p["id"], "kind": "静态", "address": host(1),
                                 "terminal_id": t["id"]})
        self.assertEqual(r.status, 201, r)
