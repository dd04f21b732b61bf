"""Eyes on the wire (issue 6): a probe reads a capture (`zwnet probe --pcap`), sends its
observations to the real server with a probe token, and the rules raise findings against the
registers: unregistered MAC, address outside every allocation, another unit's address, an
address other than the registered one (私改IP, JX-22), two MACs on one address, a rogue DHCP
server, a host scanning many addresses (TB-20). Batches are refused whole when malformed; the
spool keeps what the server could not take and delivers it once."""

import os
import subprocess
import tempfile

import wire
from harness import BIN, ServerTest

A = "/api/v1"
TERM_A = "00:16:3e:00:00:0a"   # registered in unit 1 at .10
TERM_B = "00:16:3e:00:00:0b"   # registered in unit 2
STRANGER = "00:16:3e:00:00:99"  # in no register
GW1 = "00:16:3e:00:00:01"       # unit 1's gateway, registered as a host address
ROGUE = "00:16:3e:00:00:66"
CAMERA = "44:47:cc:00:00:0c"    # Hangzhou Hikvision Digital Technology (IEEE registry)
TPLINK = "d0:37:45:00:00:0d"    # TP-LINK TECHNOLOGIES CO.,LTD.


class WatchTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        units = [u["id"] for u in s.as_("admin", "GET", A + "/units?limit=2").json["items"]]
        cls.u1, cls.u2 = units
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        ok(s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.200.0.0/16", "status": "container"}))
        for u, net in ((cls.u1, 1), (cls.u2, 2)):
            r = s.as_("admin", "POST", A + "/prefixes",
                      {"cidr": "10.200.%d.0/24" % net, "status": "active", "unit_id": u,
                       "gateway": "10.200.%d.1" % net, "dns": "10.200.0.53"})
            ok(r)
            if net == 1:
                cls.p1 = r.json["id"]
        ok(s.as_("admin", "POST", A + "/terminals",
                 {"mac": TERM_A, "ip": "10.200.1.10", "unit_id": cls.u1, "kind": "计算机"}))
        ok(s.as_("admin", "POST", A + "/terminals",
                 {"mac": TERM_B, "ip": "10.200.2.10", "unit_id": cls.u2, "kind": "计算机"}))
        ok(s.as_("admin", "POST", A + "/terminals",
                 {"mac": CAMERA, "ip": "10.200.1.20", "unit_id": cls.u1, "kind": "摄像头"}))
        ok(s.as_("admin", "POST", A + "/addresses",
                 {"prefix_id": cls.p1, "address": "10.200.1.1", "kind": "网关", "mac": GW1}))
        # a probe token: created by a manager, good for sending observations only
        r = s.as_("admin", "POST", A + "/tokens", {"name": "gw1", "scope": "probe"})
        ok(r)
        cls.token = r.json["token"]
        cls.probe_user = r.json["user_id"]

    def probe(self, frames, *extra, server=None):
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            f.write(wire.pcap(frames))
        try:
            env = dict(os.environ, ZWNET_TOKEN=self.token)
            return subprocess.run(
                [BIN, "probe", "--server", server or "http://127.0.0.1:%d" % self.srv.port,
                 "--name", "gw1", "--pcap", f.name] + list(extra),
                env=env, capture_output=True, text=True, timeout=120)
        finally:
            os.unlink(f.name)

    def findings(self, **q):
        qs = "&".join("%s=%s" % kv for kv in q.items())
        return self.srv.as_("admin", "GET", A + "/findings?limit=500&" + qs).json["items"]

    def test_a_registered_host_raises_nothing(self):
        before = len(self.findings())
        p = self.probe([wire.arp(2, TERM_A, "10.200.1.10", "10.200.1.1", GW1),
                        wire.arp(2, GW1, "10.200.1.1", "10.200.1.10", TERM_A)])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("已上报 2 条观测", p.stdout)
        self.assertEqual(len(self.findings()), before)
        row = self.srv.sql("SELECT observations FROM probes WHERE name = 'gw1'")
        self.assertGreaterEqual(row[0][0], 2)

    def test_a_router_maker_is_a_hint_and_a_camera_no_router(self):
        # the registered Hikvision camera: "... Technology" is no router maker, and a
        # registered terminal is never a rogue router by its maker
        p = self.probe([wire.arp(2, CAMERA, "10.200.1.20", "10.200.1.1", GW1),
                        wire.arp(2, TPLINK, "10.200.1.66", "10.200.1.1", GW1)])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.findings(mac=CAMERA), [])
        # an unregistered TP-Link: a stranger (a case), and its maker a hint to review
        # (no case), both on the unit whose address it used
        kinds = {f["kind"]: f for f in self.findings(mac=TPLINK)}
        self.assertEqual(set(kinds), {"unregistered", "router_maker"}, kinds)
        hint = kinds["router_maker"]
        self.assertEqual((hint["unit_id"], hint["ip"], hint["status"], hint["violation_id"]),
                         (self.u1, "10.200.1.66", "open", None))
        self.assertEqual(hint["behaviour"], "wireless_device")
        self.assertEqual(self.srv.sql("SELECT count(*) FROM violations WHERE finding_id = ?",
                                      (hint["id"],))[0][0], 0)

    def test_jx22_changed_address_foreign_and_outside(self):
        p = self.probe([
            wire.arp(2, TERM_A, "10.200.1.77", "10.200.1.1", GW1),   # not its registered .10
            wire.arp(2, TERM_B, "10.200.1.78", "10.200.1.1", GW1),   # unit 2's host in unit 1
            wire.arp(1, STRANGER, "192.0.2.9", "192.0.2.1"),         # in no allocation
        ])
        self.assertEqual(p.returncode, 0, p.stderr)
        changed = self.findings(kind="ip_changed", mac=TERM_A)
        self.assertTrue(any(f["ip"] == "10.200.1.77" for f in changed), changed)
        f = [f for f in changed if f["ip"] == "10.200.1.77"][0]
        self.assertEqual(f["unit_id"], self.u1)
        self.assertEqual(f["behaviour"], "private_address_change")
        self.assertIn("10.200.1.10", f["detail"])
        foreign = self.findings(kind="foreign", mac=TERM_B)
        self.assertEqual([x["ip"] for x in foreign], ["10.200.1.78"])
        outside = self.findings(kind="outside", mac=STRANGER)
        self.assertEqual([x["ip"] for x in outside], ["192.0.2.9"])
        self.assertTrue(self.findings(kind="unregistered", mac=STRANGER))
        # the evidence: the observation itself, with the probe and time
        one = self.srv.as_("admin", "GET", A + "/findings/%d" % f["id"]).json
        ev = one["evidence"][0]
        self.assertEqual(ev["probe"], "gw1")
        self.assertEqual(ev["observation"]["kind"], "arp")
        self.assertEqual(ev["observation"]["mac"], TERM_A)
        self.assertEqual(ev["observation"]["ip"], "10.200.1.77")

    def test_conflict_and_repeat_sightings(self):
        p = self.probe([wire.arp(2, TERM_A, "10.200.1.10", "10.200.1.1", GW1),
                        wire.arp(2, STRANGER, "10.200.1.10", "10.200.1.1", GW1)])
        self.assertEqual(p.returncode, 0, p.stderr)
        c = self.findings(kind="conflict", ip="10.200.1.10")
        self.assertTrue(c, self.findings())
        self.assertIn(TERM_A, c[0]["detail"])
        # the same stranger seen again later (past the 60 s repeat) is the same open finding,
        # counted once more, with the new sighting in its evidence
        key = dict(kind="unregistered", mac=STRANGER, ip="10.200.1.10")
        before = self.findings(**key)
        self.assertEqual(len(before), 1, before)
        self.probe([(1795000300.0, wire.arp(1, STRANGER, "10.200.1.10", "10.200.1.1"))])
        after = self.findings(**key)
        self.assertEqual([f["id"] for f in after], [before[0]["id"]])
        self.assertEqual(after[0]["count"], before[0]["count"] + 1)
        ev = self.srv.as_("admin", "GET", A + "/findings/%d" % after[0]["id"]).json["evidence"]
        self.assertEqual(len(ev), before[0]["count"] + 1)

    def test_rogue_dhcp_server(self):
        offer = wire.dhcp_frame(ROGUE, STRANGER, "192.168.0.1", "255.255.255.255", 2, 2,
                                STRANGER, "192.168.0.100",
                                [(54, wire.ip4("192.168.0.1")), (3, wire.ip4("192.168.0.1"))])
        legit = wire.dhcp_frame(GW1, TERM_A, "10.200.1.1", "10.200.1.10", 2, 5, TERM_A,
                                "10.200.1.10", [(54, wire.ip4("10.200.1.1")),
                                                (3, wire.ip4("10.200.1.1")),
                                                (6, wire.ip4("10.200.0.53"))])
        p = self.probe([offer, legit])
        self.assertEqual(p.returncode, 0, p.stderr)
        rogue = [f for f in self.findings(kind="rogue_dhcp") if f["mac"] != TERM_B]
        self.assertEqual([(f["mac"], f["ip"]) for f in rogue], [(ROGUE, "192.168.0.1")])
        self.assertIn("192.168.0.100", rogue[0]["detail"])
        self.assertFalse(self.findings(kind="gateway_dns", mac=TERM_A))

    def test_tb20_scanning(self):
        sweep = [wire.arp(1, TERM_B, "10.200.2.10", "10.200.2.%d" % (i + 20)) for i in range(70)]
        p = self.probe(sweep)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = self.findings(kind="scan", mac=TERM_B)
        self.assertEqual(len(s), 1, s)
        self.assertEqual(s[0]["behaviour"], "attack")
        self.assertEqual(s[0]["unit_id"], self.u2)

    def test_mask_changed(self):
        # a unit-1 host asks for a unit-2 address directly: its mask is wider than its /24
        p = self.probe([wire.arp(1, TERM_A, "10.200.1.10", "10.200.2.10")])
        self.assertEqual(p.returncode, 0, p.stderr)
        m = self.findings(kind="mask", mac=TERM_A)
        self.assertTrue(m)
        self.assertIn("10.200.1.0/24", m[0]["detail"])

    def test_registers_change_is_seen(self):
        mac = "00:16:3e:00:00:c1"
        self.probe([wire.arp(2, mac, "10.200.1.50", "10.200.1.1", GW1)])
        self.assertTrue(self.findings(kind="unregistered", mac=mac))
        r = self.srv.as_("admin", "POST", A + "/terminals",
                         {"mac": mac, "ip": "10.200.1.51", "unit_id": self.u1, "kind": "计算机"})
        self.assertEqual(r.status, 201, r)
        self.probe([(1795000900.0, wire.arp(2, mac, "10.200.1.50", "10.200.1.1", GW1))])
        # registered now, but at .51: the index was rebuilt, and the rule sees the change
        self.assertTrue(self.findings(kind="ip_changed", mac=mac))

    def post(self, observations):
        r = self.srv.request("POST", A + "/observations",
                             {"probe": "gw1", "observations": observations}, token=self.token)
        self.assertEqual(r.status, 202, r)
        return r.json

    def test_observations_from_switches_and_routers(self):
        # what the SNMP poller sends: three MACs behind one access port (TB-19) ...
        at = "2026-11-24T09:00:0%d Z".replace(" ", "")
        fdb = [{"kind": "fdb", "at": at % i, "device_id": 7, "iface": "Gi0/5", "vlan": 101,
                "mac": "00:16:3e:00:05:%02x" % i} for i in range(3)]
        self.assertEqual(self.post(fdb[:2])["findings"], 2)  # two unregistered, no router yet
        out = self.post(fdb[2:])
        self.assertEqual(out["findings"], 2, out)  # the third MAC and the port
        w = self.findings(kind="wireless")
        self.assertTrue(any("Gi0/5" in f["detail"] for f in w), w)
        # ... a DHCP answer of the county's server whose gateway is not the subnet's ...
        ack = {"kind": "dhcp", "op": "ack", "at": "2026-11-24T09:01:00Z", "mac": TERM_B,
               "ip": "10.200.2.10", "server": "10.200.2.1", "server_mac": "00:16:3e:00:00:02",
               "router": "10.200.2.254", "dns": ["10.200.0.53"]}
        self.post([ack])
        g = self.findings(kind="gateway_dns", mac=TERM_B)
        self.assertEqual(len(g), 1, g)
        self.assertIn("10.200.2.254", g[0]["detail"])
        self.assertIn("10.200.2.0/24", g[0]["detail"])
        # ... and an address whose MAC keeps changing (ARP spoofing)
        flips = [{"kind": "neigh", "at": "2026-11-24T09:02:%02dZ" % i, "device_id": 1,
                  "mac": (TERM_A, STRANGER)[i % 2], "ip": "10.200.1.33"} for i in range(6)]
        self.post(flips)
        self.assertTrue(self.findings(kind="flip_flop", ip="10.200.1.33"))

    def test_findings_carry_what_is_known(self):
        # a port with a registered terminal behind it and two strangers: the wireless finding
        # (TB-19) is the port's, on the terminal's unit and address, and opens the case
        at = "2026-11-25T09:00:0%dZ"
        term = self.srv.sql("SELECT id FROM terminals WHERE mac = ?", (TERM_A,))[0][0]
        fdb = [{"kind": "fdb", "at": at % i, "device_id": 8, "iface": "Gi0/9", "vlan": 101,
                "mac": m} for i, m in enumerate((TERM_A, "00:16:3e:00:09:01",
                                                 "00:16:3e:00:09:02"))]
        self.post(fdb)
        w = [f for f in self.findings(kind="wireless") if "Gi0/9" in f["detail"]]
        self.assertEqual([(f["unit_id"], f["terminal_id"], f["ip"]) for f in w],
                         [(self.u1, term, "10.200.1.10")], w)
        case = self.srv.as_("admin", "GET", A + "/violations/%d" % w[0]["violation_id"]).json
        self.assertEqual((case["behaviour"], case["clause"], case["unit_id"]),
                         ("wireless_device", "TB-19", self.u1))
        # a registered AP's port, and an uplink (the gateway's MAC behind it): many MACs there
        # are expected
        ap = "00:16:3e:00:09:a0"
        self.assertEqual(self.srv.as_("admin", "POST", A + "/terminals",
                                      {"mac": ap, "unit_id": self.u1, "kind": "无线AP"}).status, 201)
        for port, first in (("Gi0/10", ap), ("Gi0/11", GW1)):
            self.post([{"kind": "fdb", "at": at % i, "device_id": 8, "iface": port,
                        "vlan": 101, "mac": m} for i, m in enumerate(
                            (first, "00:16:3e:00:0a:01", "00:16:3e:00:0a:02", "00:16:3e:00:0a:03"))])
        self.assertEqual([f for f in self.findings(kind="wireless")
                          if "Gi0/10" in f["detail"] or "Gi0/11" in f["detail"]], [])
        # a DHCP server on a registered terminal: the finding names the terminal
        offer = {"kind": "dhcp", "op": "offer", "at": "2026-11-25T09:01:00Z",
                 "mac": "00:16:3e:00:09:01", "ip": "10.200.2.200", "server": "10.200.2.10",
                 "server_mac": TERM_B}
        self.post([offer])
        rogue = self.findings(kind="rogue_dhcp", mac=TERM_B)
        b = self.srv.sql("SELECT id FROM terminals WHERE mac = ?", (TERM_B,))[0][0]
        self.assertEqual([(f["terminal_id"], f["unit_id"]) for f in rogue], [(b, self.u2)])
        # the register says when a terminal was first and last seen on the wire
        t = self.srv.as_("admin", "GET", A + "/terminals/%d" % term).json
        self.assertEqual(t["first_seen"] <= "2026-11-25T09:00:00Z" <= t["last_seen"], True, t)
        self.post([{"kind": "arp", "op": "reply", "at": "2027-01-02T03:04:05Z", "mac": TERM_A,
                    "ip": "10.200.1.10"}])
        t2 = self.srv.as_("admin", "GET", A + "/terminals/%d" % term).json
        self.assertEqual((t2["first_seen"], t2["last_seen"]),
                         (t["first_seen"], "2027-01-02T03:04:05Z"))
        self.assertEqual(t2["rev"], t["rev"])  # a sighting is no edit of the register

    def test_a_dhcp_client_is_one_device(self):
        # its first request has no address: the finding is the device's and takes the
        # address (and with it the unit, and the case) when the device uses one
        mac = "00:16:3e:00:0d:01"
        self.post([{"kind": "dhcp", "op": "discover", "at": "2026-11-26T09:00:00Z", "mac": mac}])
        f = self.findings(kind="unregistered", mac=mac)
        self.assertEqual([(x["ip"], x["unit_id"], x["violation_id"]) for x in f],
                         [(None, None, None)])
        self.post([{"kind": "arp", "op": "request", "at": "2026-11-26T09:00:02Z", "mac": mac,
                    "ip": "10.200.1.140", "target": "10.200.1.1"}])
        g = self.findings(kind="unregistered", mac=mac)
        self.assertEqual([(x["id"], x["ip"], x["unit_id"], x["count"]) for x in g],
                         [(f[0]["id"], "10.200.1.140", self.u1, 2)])
        self.assertTrue(g[0]["violation_id"])
        case = self.srv.as_("admin", "GET", A + "/violations/%d" % g[0]["violation_id"]).json
        self.assertEqual((case["mac"], case["ip"], case["unit_id"]), (mac, "10.200.1.140", self.u1))

    def test_malformed_batch_changes_nothing(self):
        before = self.srv.sql("SELECT count(*), coalesce(sum(count), 0) FROM findings")[0]
        probes = self.srv.sql("SELECT coalesce(sum(batches), 0) FROM probes")[0]
        body = {"probe": "gw1", "observations": [
            {"kind": "arp", "at": "2026-11-24T08:00:00Z", "mac": STRANGER, "ip": "10.200.1.9"},
            {"kind": "arp", "at": "2026-11-24T08:00:00Z", "mac": "00:16:3e:zz", "ip": "10.200.1.9"}]}
        r = self.srv.request("POST", A + "/observations", body, token=self.token)
        self.assertError(r, 400, field="observations[1].mac")
        for bad, field in ((dict(body, observations=[{"kind": "arp"}]), "observations[0].at"),
                           ({"probe": "", "observations": []}, "probe"),
                           ({"probe": "x", "observations": [], "extra": 1}, None),
                           ({"probe": "x", "count": 3, "observations": []}, "count"),
                           ({"probe": "x", "observations": [
                               {"kind": "syn", "at": "2026-11-24T08:00:00Z", "mac": STRANGER,
                                "ip": "10.200.1.9", "target": "10.200.2.1", "port": 0}]},
                            "observations[0].port")):
            self.assertError(self.srv.request("POST", A + "/observations", bad, token=self.token),
                             400, field=field)
        self.assertEqual(self.srv.sql("SELECT count(*), coalesce(sum(count), 0) FROM findings")[0],
                         before)
        self.assertEqual(self.srv.sql("SELECT coalesce(sum(batches), 0) FROM probes")[0], probes)

    def test_roles(self):
        ok = {"probe": "gw-roles", "observations": []}
        self.assertEqual(self.srv.request("POST", A + "/observations", ok,
                                          token=self.token).status, 202)
        # the probe's token opens nothing else; others may not pose as a probe
        self.assertEqual(self.srv.request("GET", A + "/units", token=self.token).status, 403)
        self.assertEqual(self.srv.request("GET", A + "/findings", token=self.token).status, 403)
        self.assertEqual(self.srv.as_("admin", "POST", A + "/observations", ok).status, 403)
        self.assertEqual(self.srv.as_("carrier", "GET", A + "/findings").status, 403)
        # only a manager makes probe tokens
        self.assertError(self.srv.as_("carrier", "POST", A + "/tokens",
                                      {"name": "x", "scope": "probe"}), 403)
        self.assertError(self.srv.as_("admin", "POST", A + "/tokens",
                                      {"name": "x", "scope": "root"}), 400, field="scope")
        # a unit administrator sees only their unit's findings
        self.probe([wire.arp(2, TERM_A, "10.200.1.79", "10.200.1.1", GW1)])
        mine = self.srv.as_("unit", "GET", A + "/findings?limit=500").json["items"]
        unit_of = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        self.assertTrue(all(f["unit_id"] == unit_of for f in mine), mine)
        health = self.srv.as_("admin", "GET", A + "/probes").json["items"]
        gw1 = [p for p in health if p["name"] == "gw1"][0]
        self.assertEqual(gw1["user_id"], self.probe_user)
        self.assertGreater(gw1["observations"], 0)


class CountyEquipmentTest(ServerTest):
    """The county's own infrastructure is never a stranger (issue 14): a unit's prefix names
    its gateway and DNS, the site its DHCP server, the device register a switch by address
    and MAC, and the probe its own host. None of them raises a finding, opens a case or
    counts as an offence of the unit; a stranger beside them still does."""
    extra = ("--dhcp-servers", "10.210.0.2")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.unit = s.as_("admin", "GET", A + "/units?limit=1").json["items"][0]["id"]
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        ok(s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.210.0.0/16", "status": "container"}))
        ok(s.as_("admin", "POST", A + "/prefixes",
                 {"cidr": "10.210.1.0/24", "status": "active", "unit_id": cls.unit,
                  "gateway": "10.210.1.1", "dns": "10.210.1.53, 10.210.0.53"}))
        ok(s.as_("admin", "POST", A + "/devices",
                 {"name": "接入交换机", "kind": "交换机", "owner": "信息中心", "unit_id": cls.unit,
                  "mgmt_ip": "10.210.1.2", "mac": "00-16-3E-21-00-02"}))
        ok(s.as_("admin", "POST", A + "/devices",
                 {"name": "汇聚交换机", "kind": "交换机", "owner": "信息中心",
                  "mgmt_ip": "10.210.1.4"}))
        cls.token = s.as_("admin", "POST", A + "/tokens",
                          {"name": "eq", "scope": "probe"}).json["token"]

    def post(self, observations, own=None):
        body = {"probe": "eq", "observations": observations}
        if own:
            body["self"] = own
        r = self.srv.request("POST", A + "/observations", body, token=self.token)
        self.assertEqual(r.status, 202, r)
        return r.json

    def arp(self, mac, ip, at, target="10.210.1.9", op="request"):
        return {"kind": "arp", "op": op, "at": "2026-11-24T10:%s Z".replace(" ", "") % at,
                "mac": mac, "ip": ip, "target": target}

    def test_equipment_raises_nothing_a_stranger_does(self):
        gw, dhcp, dns = "00:16:3e:21:00:01", "00:16:3e:21:00:05", "00:16:3e:21:00:53"
        switch, core, probe = "00:16:3e:21:00:02", "00:16:3e:21:00:04", "00:16:3e:21:00:03"
        stranger = "00:16:3e:21:00:99"
        obs = [self.arp(gw, "10.210.1.1", "00:00"),        # the prefix's gateway
               self.arp(dhcp, "10.210.0.2", "00:01"),      # the configured DHCP server
               self.arp(dns, "10.210.1.53", "00:02"),      # the prefix's DNS server
               self.arp(switch, "10.210.1.77", "00:03"),   # a device by its MAC
               self.arp(core, "10.210.1.4", "00:04"),      # a device by its address
               self.arp(probe, "10.210.1.3", "00:05"),     # the probe's own host
               self.arp(stranger, "10.210.1.99", "00:06")]
        # equipment asks for many neighbours: a gateway or switch does, it is no scan
        obs += [self.arp(gw, "10.210.1.1", "01:%02d" % (i % 60), "10.210.1.%d" % (i + 100))
                for i in range(80)]
        self.post(obs, own={"macs": [probe], "addresses": ["10.210.1.3"]})
        found = self.srv.as_("admin", "GET", A + "/findings?limit=500").json["items"]
        self.assertEqual([(f["kind"], f["mac"]) for f in found], [("unregistered", stranger)])
        cases = self.srv.as_("admin", "GET", A + "/violations?limit=500").json["items"]
        self.assertEqual([(v["mac"], v["offence"]) for v in cases], [(stranger, 1)])
        # the probe's host is its own only in its own batches
        self.post([self.arp(probe, "10.210.1.3", "03:00")])
        self.assertTrue(self.srv.as_("admin", "GET", A + "/findings?mac=" + probe).json["items"])
        health = self.srv.as_("admin", "GET", A + "/probes").json["items"]
        self.assertEqual([p["addresses"] for p in health if p["name"] == "eq"],
                         [probe + ", 10.210.1.3"])

    def test_a_device_mac_is_checked_like_a_terminal_s(self):
        r = self.srv.as_("admin", "POST", A + "/devices",
                         {"name": "坏交换机", "kind": "交换机", "owner": "信息中心",
                          "mac": "01:00:5e:00:00:01"})
        self.assertError(r, 400, field="mac")

    def test_a_bad_self_refuses_the_batch(self):
        body = {"probe": "eq", "self": {"macs": ["zz"]}, "observations": []}
        r = self.srv.request("POST", A + "/observations", body, token=self.token)
        self.assertError(r, 400, field="self.macs[0]")


class SpoolTest(ServerTest):
    """The server down: the probe spools; back up: every observation arrives once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.token = s.as_("admin", "POST", A + "/tokens",
                          {"name": "spool", "scope": "probe"}).json["token"]

    def run_probe(self, name, frames, spool, *extra):
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            f.write(wire.pcap(frames))
        try:
            return subprocess.run(
                [BIN, "probe", "--server", "http://127.0.0.1:%d" % self.srv.port, "--name",
                 name, "--pcap", f.name, "--spool", spool, "--batch", "10"] + list(extra),
                env=dict(os.environ, ZWNET_TOKEN=self.token), capture_output=True, text=True,
                timeout=120)
        finally:
            os.unlink(f.name)

    def test_spool_while_the_server_is_down(self):
        spool = tempfile.mkdtemp(prefix="zwnet-spool-")
        macs = ["00:16:3e:01:00:%02x" % i for i in range(45)]
        frames = [wire.arp(1, m, "10.201.0.%d" % (i + 2), "10.201.0.1") for i, m in
                  enumerate(macs)]
        self.srv.stop()
        try:
            p = self.run_probe("spool-a", frames, spool)
            self.assertEqual(p.returncode, 3, p.stdout + p.stderr)  # waiting in the spool
            self.assertEqual(len([f for f in os.listdir(spool) if f.endswith(".json")]), 5)
        finally:
            self.srv._spawn()
        # back up: an empty capture just delivers the spool, in order
        p = self.run_probe("spool-a", [], spool)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(os.listdir(spool), [])
        row = self.srv.sql("SELECT observations, batches FROM probes WHERE name = 'spool-a'")
        self.assertEqual(row[0], (45, 5))
        seen = self.srv.sql("SELECT mac, count FROM findings WHERE kind = 'unregistered'"
                            " AND mac LIKE '00:16:3e:01:%'")
        self.assertEqual(sorted(m for m, _ in seen), macs)
        self.assertTrue(all(c == 1 for _, c in seen), seen)

    def flush(self, name, spool):
        return subprocess.run(
            [BIN, "probe", "--server", "http://127.0.0.1:%d" % self.srv.port, "--name", name,
             "--spool", spool, "--flush"],
            env=dict(os.environ, ZWNET_TOKEN=self.token), capture_output=True, text=True,
            timeout=120)

    def test_a_batch_sent_again_after_a_lost_answer_is_taken_once(self):
        """The server took a batch and its answer was lost (killed mid-stream, a timeout):
        the probe still has it in its spool and sends it again. The batch names itself
        (run, seq) and the server, which recorded it with the observations, takes it once;
        --flush sends a spool without capturing, and a probe sends its spool first thing."""
        spool = tempfile.mkdtemp(prefix="zwnet-spool-")
        macs = ["00:16:3e:03:00:%02x" % i for i in range(25)]
        frames = [wire.arp(1, m, "10.203.0.%d" % (i + 2), "10.203.0.1") for i, m in enumerate(macs)]
        self.srv.stop()
        try:
            p = self.run_probe("spool-c", frames, spool)
            self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        finally:
            self.srv._spawn()
        files = sorted(f for f in os.listdir(spool) if f.endswith(".json"))
        self.assertEqual(len(files), 3)
        kept = {f: open(os.path.join(spool, f), "rb").read() for f in files}
        for body in kept.values():
            self.assertIn(b'"batch":{"run":"', body)
        p = self.flush("spool-c", spool)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("已送达 3 批", p.stdout)
        self.assertEqual(os.listdir(spool), [])
        before = self.srv.counts()
        row = self.srv.sql("SELECT observations, batches FROM probes WHERE name = 'spool-c'")
        self.assertEqual(row[0], (25, 3))
        # the answers were "lost": the same batches are back in the spool and sent again,
        # by --flush and by a probe's start
        for f, body in kept.items():
            open(os.path.join(spool, f), "wb").write(body)
        p = self.flush("spool-c", spool)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for f, body in kept.items():
            open(os.path.join(spool, f), "wb").write(body)
        p = self.run_probe("spool-c", [], spool)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(os.listdir(spool), [])
        self.assertEqual(self.srv.sql("SELECT observations, batches FROM probes WHERE name = 'spool-c'")[0], (25, 3))
        after = self.srv.counts()
        self.assertEqual({k: v for k, v in after.items() if k != "probe_runs"},
                         {k: v for k, v in before.items() if k != "probe_runs"})
        seen = self.srv.sql("SELECT count FROM findings WHERE kind = 'unregistered' AND mac LIKE '00:16:3e:03:%'")
        self.assertEqual(sorted(c for (c,) in seen), [1] * 25)
        # a bad batch name is refused naming the field
        r = self.srv.request("POST", A + "/observations", {"probe": "spool-c", "batch": {"run": "x", "seq": 1},
                                                          "observations": []}, token=self.token)
        self.assertEqual((r.status, r.json["error"]["field"]), (400, "batch"), r)
        # --flush needs a spool
        p = subprocess.run([BIN, "probe", "--server", "http://127.0.0.1:1", "--name", "x", "--flush"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)

    def test_spool_is_bounded_and_counts_what_it_dropped(self):
        spool = tempfile.mkdtemp(prefix="zwnet-spool-")
        frames = [wire.arp(1, "00:16:3e:02:00:%02x" % i, "10.202.0.%d" % (i + 2), "10.202.0.1")
                  for i in range(60)]
        self.srv.stop()
        try:
            p = self.run_probe("spool-b", frames, spool, "--spool-max", "4096")
            self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        finally:
            self.srv._spawn()
        kept = sum(int(open(os.path.join(spool, f)).read().split(",")[0].split(":")[1])
                   for f in os.listdir(spool) if f.endswith(".json"))
        self.assertLess(kept, 60)
        p = self.run_probe("spool-b", [], spool)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        row = self.srv.sql("SELECT observations, dropped FROM probes WHERE name = 'spool-b'")
        # what arrived and what the probe says it dropped add up to what it captured
        self.assertEqual(row[0], (kept, 60 - kept))


class LeaseProbeTest(ServerTest):
    """`zwnet probe --leases FILE --lease-format F`: a DHCP server's leases as observations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        u = s.as_("admin", "GET", A + "/units?limit=1").json["items"][0]["id"]
        for body in ({"cidr": "10.201.0.0/16", "status": "container"},
                     {"cidr": "10.201.1.0/24", "status": "active", "unit_id": u}):
            assert s.as_("admin", "POST", A + "/prefixes", body).status == 201
        assert s.as_("admin", "POST", A + "/terminals",
                     {"mac": TERM_A, "ip": "10.201.1.10", "unit_id": u, "kind": "计算机"}).status == 201
        cls.token = s.as_("admin", "POST", A + "/tokens",
                          {"name": "dhcp", "scope": "probe"}).json["token"]

    def run_leases(self, fmt, text):
        with tempfile.NamedTemporaryFile("w", suffix=".leases", delete=False) as f:
            f.write(text)
        try:
            return subprocess.run(
                [BIN, "probe", "--server", "http://127.0.0.1:%d" % self.srv.port, "--name",
                 "dhcp", "--leases", f.name, "--lease-format", fmt],
                env=dict(os.environ, ZWNET_TOKEN=self.token), capture_output=True, text=True,
                timeout=60)
        finally:
            os.unlink(f.name)

    def findings(self, **q):
        qs = "&".join("%s=%s" % kv for kv in q.items())
        return self.srv.as_("admin", "GET", A + "/findings?" + qs).json["items"]

    def test_three_formats(self):
        far = 4102444800  # 2100-01-01: still leased
        p = self.run_leases("dnsmasq", "%d %s 10.201.1.77 pc-a *\ngarbage line\n" % (far, TERM_A))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("已上报 1 条观测", p.stdout)
        self.assertIn("line 2", p.stderr)  # the unreadable line is reported, not fatal
        f = self.findings(kind="ip_changed", mac=TERM_A)
        self.assertEqual([x["ip"] for x in f], ["10.201.1.77"])
        kea = ("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,"
               "hostname,state,user_context\n10.201.1.88,%s,,3600,%d,1,0,0,x,0,\n" % (STRANGER, far))
        p = self.run_leases("kea", kea)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(self.findings(kind="unregistered", mac=STRANGER, ip="10.201.1.88"))
        isc = ("lease 10.201.1.99 {\n  ends never;\n  binding state active;\n"
               "  hardware ethernet %s;\n}\n" % ROGUE)
        p = self.run_leases("isc", isc)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(self.findings(kind="unregistered", mac=ROGUE, ip="10.201.1.99"))
        ev = self.srv.as_("admin", "GET", A + "/findings/%d" % self.findings(mac=ROGUE)[0]["id"]).json
        self.assertEqual(ev["evidence"][0]["observation"]["kind"], "lease")
        # a wrong format name is refused before anything is read
        p = self.run_leases("dhcpd", isc)
        self.assertEqual(p.returncode, 2)

    def test_a_file_of_expired_leases_is_said(self):
        """Issue 14: every lease expired, nothing reported, and nobody was told."""
        p = self.run_leases("dnsmasq", "1700000000 %s 10.201.1.78 pc-b *\n"
                                       "1700000100 %s 10.201.1.79 pc-c *\n" % (STRANGER, ROGUE))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("all 2 leases have expired", p.stderr)
        self.assertIn("2023-11-14T22:15:00Z", p.stderr)  # the latest of them ended then
        self.assertFalse(self.findings(ip="10.201.1.78"))
        probe = [x for x in self.srv.as_("admin", "GET", A + "/probes").json["items"]
                 if x["name"] == "dhcp"][0]
        self.assertEqual((probe["leases"], probe["expired_leases"]), (0, 2))
        self.assertIn("2 条租约均已过期", probe["warning"])
        # a read with current leases clears it
        far = 4102444800
        self.assertEqual(self.run_leases("dnsmasq", "%d %s 10.201.1.10 pc-a *\n" % (far, TERM_A))
                         .returncode, 0)
        probe = [x for x in self.srv.as_("admin", "GET", A + "/probes").json["items"]
                 if x["name"] == "dhcp"][0]
        self.assertEqual((probe["leases"], probe["expired_leases"], probe["warning"]), (1, 0, ""))
        r = self.srv.request("POST", A + "/observations", {"probe": "dhcp", "observations": [],
                                                            "stats": {"expired_leases": -1}},
                             token=self.token)
        self.assertError(r, 400, field="stats.expired_leases")
