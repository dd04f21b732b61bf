"""Hands on the wire (issue 6): `zwnet enforce` puts the server's isolations into nftables
sets in a network namespace the test creates (the county gateway), reads them back, repairs
what someone changed by hand, lifts them on reconnection and reports each round; and real
pings through the gateway stop for an isolated terminal (by its MAC even after it changes its
address) and for every host of an isolated unit, and come back after reconnection.

Needs root (ip netns, nftables); skipped with the reason otherwise."""

import json
import os
import subprocess
import unittest

from harness import BIN, ServerTest

A = "/api/v1"


def sh(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=check)


def can_netns():
    if os.geteuid() != 0:
        return "needs root for ip netns and nftables"
    name = "zwt-probe-%d" % os.getpid()
    r = sh("ip", "netns", "add", name, check=False)
    if r.returncode:
        return "ip netns add failed: " + r.stderr.strip()
    sh("ip", "netns", "del", name, check=False)
    return None


SKIP = can_netns()


@unittest.skipIf(SKIP, SKIP or "")
class EnforceTest(ServerTest):
    profile = "jiaxian"
    extra = ("--isolation-allow", "10.220.0.53,10.221.0.0/16")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.u1 = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.u2 = s.sql("SELECT id FROM units WHERE status = '已接入' AND id != ? ORDER BY id",
                       (cls.u1,))[0][0]
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        ok(s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.220.0.0/16", "status": "container"}))
        for u, net in ((cls.u1, 1), (cls.u2, 2)):
            ok(s.as_("admin", "POST", A + "/prefixes",
                     {"cidr": "10.220.%d.0/24" % net, "status": "active", "unit_id": u,
                      "gateway": "10.220.%d.1" % net}))
        cls.hosts = {}
        for name, u, net, mac in (("h1", cls.u1, 1, "02:00:00:22:01:0a"),
                                  ("h3", cls.u1, 1, "02:00:00:22:01:0b"),
                                  ("h2", cls.u2, 2, "02:00:00:22:02:0a")):
            ip = "10.220.%d.%d" % (net, 10 if name != "h3" else 11)
            r = s.as_("admin", "POST", A + "/terminals",
                      {"mac": mac, "ip": ip, "unit_id": u, "kind": "计算机"})
            ok(r)
            cls.hosts[name] = {"mac": mac, "ip": ip, "id": r.json["id"], "unit": u, "net": net}
        r = s.as_("admin", "POST", A + "/tokens", {"name": "gw-enforce", "scope": "enforcer"})
        ok(r)
        cls.token = r.json["token"]
        cls.ns = "zwt-gw-%d" % os.getpid()
        cls.made = []
        cls.netns(cls.ns)
        sh("ip", "netns", "exec", cls.ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
        for name, h in cls.hosts.items():
            ns = "zwt-%s-%d" % (name, os.getpid())
            h["ns"] = ns
            cls.netns(ns)
            gw_if = "g%s" % name
            sh("ip", "link", "add", "e0", "netns", ns, "address", h["mac"], "type", "veth",
               "peer", "name", gw_if, "netns", cls.ns)
            sh("ip", "-n", ns, "addr", "add", h["ip"] + "/24", "dev", "e0")
            sh("ip", "-n", ns, "link", "set", "e0", "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "route", "add", "default", "via", "10.220.%d.1" % h["net"])
        # one gateway port per unit subnet; h3 shares unit 1's subnet through a bridge
        sh("ip", "-n", cls.ns, "link", "add", "br1", "type", "bridge")
        for port in ("gh1", "gh3"):
            sh("ip", "-n", cls.ns, "link", "set", port, "master", "br1")
            sh("ip", "-n", cls.ns, "link", "set", port, "up")
        sh("ip", "-n", cls.ns, "addr", "add", "10.220.1.1/24", "dev", "br1")
        sh("ip", "-n", cls.ns, "link", "set", "br1", "up")
        sh("ip", "-n", cls.ns, "addr", "add", "10.220.2.1/24", "dev", "gh2")
        sh("ip", "-n", cls.ns, "link", "set", "gh2", "up")
        # links come up (bridge ports forwarding, neighbours resolved) a moment later
        for h in cls.hosts.values():
            for _ in range(50):
                if sh("ip", "netns", "exec", h["ns"], "ping", "-c", "1", "-W", "1",
                      "10.220.%d.1" % h["net"], check=False).returncode == 0:
                    break
            else:
                raise AssertionError("host %s never reached its gateway" % h["ns"])

    @classmethod
    def netns(cls, name):
        sh("ip", "netns", "del", name, check=False)
        sh("ip", "netns", "add", name)
        cls.made.append(name)

    @classmethod
    def tearDownClass(cls):
        for ns in getattr(cls, "made", []):
            sh("ip", "netns", "del", ns, check=False)
        super().tearDownClass()

    # ---- helpers ----

    def enforce(self, *extra):
        env = dict(os.environ, ZWNET_TOKEN=self.token)
        return subprocess.run(
            [BIN, "enforce", "--server", "http://127.0.0.1:%d" % self.srv.port, "--name", "gw",
             "--netns", self.ns, "--once"] + list(extra),
            env=env, capture_output=True, text=True, timeout=60)

    def applied(self):
        r = self.enforce()
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def nft_set(self, name):
        r = sh("ip", "netns", "exec", self.ns, "nft", "-j", "list", "set", "inet", "zwnet", name)
        s = [x["set"] for x in json.loads(r.stdout)["nftables"] if "set" in x][0]
        out = []
        for e in s.get("elem", []):
            if isinstance(e, dict) and "prefix" in e:
                out.append("%s/%d" % (e["prefix"]["addr"], e["prefix"]["len"]))
            else:
                out.append(e)
        return sorted(out)

    def dropped(self, set_name):
        """Packets the forward chain's drop rules on a set have counted."""
        r = sh("ip", "netns", "exec", self.ns, "nft", "-j", "list", "chain", "inet", "zwnet",
               "forward")
        n = 0
        for x in json.loads(r.stdout)["nftables"]:
            expr = x.get("rule", {}).get("expr", [])
            if any("@" + set_name in json.dumps(e) for e in expr):
                n += sum(e["counter"]["packets"] for e in expr if "counter" in e)
        return n

    def ping(self, src, dst_ip):
        r = sh("ip", "netns", "exec", self.hosts[src]["ns"], "ping", "-c", "1", "-W", "1",
               dst_ip, check=False)
        return r.returncode == 0

    def case(self, behaviour, host=None, unit=None):
        body = {"unit_id": unit or self.hosts[host]["unit"], "behaviour": behaviour,
                "detail": "检查发现"}
        if host:
            body["terminal_id"] = self.hosts[host]["id"]
        r = self.srv.as_("admin", "POST", A + "/violations", body)
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def step(self, vid, action, **body):
        body["action"] = action
        r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % vid, body)
        self.assertEqual(r.status, 200, r)
        return r.json

    def reconnect(self, vid):
        self.step(vid, "rectify")
        self.step(vid, "verify", reason="已整改")
        self.step(vid, "reconnect")

    # ---- tests ----

    def test_a_sets_applied_read_back_repaired_and_lifted(self):
        r = self.applied()
        self.assertEqual(self.nft_set("allow4"), ["10.220.0.53", "10.221.0.0/16"])
        self.assertEqual(self.nft_set("iso4"), [])
        h1 = self.hosts["h1"]
        vid = self.case("virus", host="h1")
        self.step(vid, "isolate")
        self.applied()
        self.assertEqual(self.nft_set("iso4"), [h1["ip"]])
        self.assertEqual(self.nft_set("isomac"), [h1["mac"]])
        # the server has the enforcer's report: generation, what it holds, no error
        st = self.srv.as_("admin", "GET", A + "/enforcement?detail=1").json
        rep = [e for e in st["enforcers"] if e["name"] == "gw"][0]
        self.assertEqual((rep["ok"], rep["generation"], rep["error"]),
                         (True, st["generation"], ""))
        self.assertEqual((rep["applied"]["ip4"], rep["applied"]["mac"]), (1, 1))
        self.assertEqual(st["entries"][0]["violation_id"], vid)
        # changed by hand: a flushed set, a stray element, a dropped table; each round repairs
        sh("ip", "netns", "exec", self.ns, "nft", "flush", "set", "inet", "zwnet", "iso4")
        sh("ip", "netns", "exec", self.ns, "nft", "add", "element", "inet", "zwnet", "isomac",
           "{ 02:00:00:00:00:99 }")
        r = self.applied()
        self.assertIn("patched", r.stderr)
        self.assertEqual(self.nft_set("iso4"), [h1["ip"]])
        self.assertEqual(self.nft_set("isomac"), [h1["mac"]])
        sh("ip", "netns", "exec", self.ns, "nft", "delete", "table", "inet", "zwnet")
        r = self.applied()
        self.assertIn("rebuilt", r.stderr)
        self.assertEqual(self.nft_set("iso4"), [h1["ip"]])
        # reconnection lifts it
        self.reconnect(vid)
        self.applied()
        self.assertEqual(self.nft_set("iso4"), [])
        self.assertEqual(self.nft_set("isomac"), [])

    def test_b_pings_stop_and_come_back(self):
        h1, h2, h3 = self.hosts["h1"], self.hosts["h2"], self.hosts["h3"]
        self.applied()
        self.assertTrue(self.ping("h1", h2["ip"]))
        self.assertTrue(self.ping("h2", h1["ip"]))
        # a terminal isolated: its traffic through the gateway stops, the others' does not
        vid = self.case("virus", host="h1")
        self.step(vid, "isolate")
        self.applied()
        self.assertFalse(self.ping("h1", h2["ip"]))
        self.assertFalse(self.ping("h2", h1["ip"]))
        self.assertTrue(self.ping("h3", h2["ip"]))
        # it changes its address by hand: its MAC is still isolated
        sh("ip", "-n", h1["ns"], "addr", "flush", "dev", "e0")
        sh("ip", "-n", h1["ns"], "addr", "add", "10.220.1.77/24", "dev", "e0")
        sh("ip", "-n", h1["ns"], "route", "add", "default", "via", "10.220.1.1")
        by_mac = self.dropped("isomac")
        self.assertFalse(self.ping("h1", h2["ip"]))
        self.assertGreater(self.dropped("isomac"), by_mac)  # the MAC rule is what stopped it
        sh("ip", "-n", h1["ns"], "addr", "flush", "dev", "e0")
        sh("ip", "-n", h1["ns"], "addr", "add", h1["ip"] + "/24", "dev", "e0")
        sh("ip", "-n", h1["ns"], "route", "add", "default", "via", "10.220.1.1")
        self.reconnect(vid)
        self.applied()
        self.assertTrue(self.ping("h1", h2["ip"]))
        # the whole unit 2 suspended (line damage, JX-26): its host is cut, unit 1's are not
        vid = self.case("line_damage", unit=self.u2)
        v = self.step(vid, "isolate")
        self.assertEqual(v["isolated_scope"], "unit")
        self.applied()
        self.assertIn("10.220.2.0/24", self.nft_set("net4"))
        self.assertFalse(self.ping("h2", h1["ip"]))
        self.assertFalse(self.ping("h1", h2["ip"]))
        self.assertTrue(self.ping("h1", "10.220.1.1"))  # the gateway itself is not forwarding
        self.reconnect(vid)
        self.applied()
        self.assertTrue(self.ping("h2", h1["ip"]))

    def test_c_unreachable_server_leaves_the_table(self):
        vid = self.case("virus", host="h3")
        self.step(vid, "isolate")
        self.applied()
        env = dict(os.environ, ZWNET_TOKEN=self.token)
        r = subprocess.run([BIN, "enforce", "--server", "http://127.0.0.1:9", "--name", "gw",
                            "--netns", self.ns, "--once"], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(self.nft_set("iso4"), [self.hosts["h3"]["ip"]])
        self.reconnect(vid)
        self.applied()
