"""End to end on the wire (issue 6), every part real and started here, in network namespaces
this test makes: a county gateway (a bridge per unit subnet, IP forwarding, `zwnet enforce`
keeping nftables, `zwnet probe` capturing live on a unit port, dnsmasq as the county's DHCP
server) and three hosts in two units, under 佳县's regulation with auto_isolate on.

A registered host works; it changes its IP by hand → a violation (JX-22, JX-26) within 2 s →
its whole unit isolated → pings of that unit's hosts through the gateway fail, the other
unit's host still reaches its gateway → the manager has it rectified, verified, reconnected →
pings work. A new MAC appears → unregistered finding. A second DHCP server appears on a
host → rogue DHCP finding, the county's own server is not one.

Needs root (ip netns, nftables) and dnsmasq; skipped with the reason otherwise."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest

import wire
from harness import BIN, ServerTest

A = "/api/v1"
GW_MAC = "02:00:00:50:00:01"
HOSTS = {  # name: (unit index, MAC, address)
    "h1": (0, "02:00:00:50:01:0a", "10.250.1.10"),
    "h3": (0, "02:00:00:50:01:0b", "10.250.1.11"),
    "h2": (1, "02:00:00:50:02:0a", "10.250.2.10"),
}


def sh(*args, check=True, timeout=60):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=check)


def why_skip():
    if os.geteuid() != 0:
        return "needs root for ip netns and nftables"
    if not shutil.which("dnsmasq"):
        return "dnsmasq not installed"
    return None


SKIP = why_skip()


@unittest.skipIf(SKIP, SKIP or "")
class WireEndToEnd(ServerTest):
    profile = "jiaxian"
    extra = ("--auto-isolate", "1", "--dhcp-servers", "10.250.1.1", "--scheduler-interval", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        pid = os.getpid()
        cls.dir = tempfile.mkdtemp(prefix="zwnet-e2e-")
        cls.procs, cls.made = [], []
        u1 = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        u2 = s.sql("SELECT id FROM units WHERE status = '已接入' AND id != ? ORDER BY id", (u1,))[0][0]
        cls.units = (u1, u2)
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        ok(s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.250.0.0/16", "status": "container"}))
        for k, u in enumerate(cls.units):
            r = s.as_("admin", "POST", A + "/prefixes",
                      {"cidr": "10.250.%d.0/24" % (k + 1), "status": "active", "unit_id": u,
                       "gateway": "10.250.%d.1" % (k + 1)})
            ok(r)
            ok(s.as_("admin", "POST", A + "/addresses",
                     {"prefix_id": r.json["id"], "address": "10.250.%d.1" % (k + 1), "kind": "网关",
                      "mac": GW_MAC}))
        for name, (k, mac, ip) in HOSTS.items():
            ok(s.as_("admin", "POST", A + "/terminals",
                     {"mac": mac, "ip": ip, "unit_id": cls.units[k], "kind": "计算机"}))
        r = s.as_("admin", "POST", A + "/tokens", {"name": "gw", "scope": "probe enforcer"})
        ok(r)
        token = r.json["token"]
        # the gateway and the hosts
        cls.gw = "zwe-gw-%d" % pid
        cls.ns = {n: "zwe-%s-%d" % (n, pid) for n in HOSTS}
        for ns in [cls.gw] + list(cls.ns.values()):
            sh("ip", "netns", "del", ns, check=False)
            sh("ip", "netns", "add", ns)
            cls.made.append(ns)
        sh("ip", "netns", "exec", cls.gw, "sysctl", "-qw", "net.ipv4.ip_forward=1")
        for k in (1, 2):
            sh("ip", "-n", cls.gw, "link", "add", "br%d" % k, "address", GW_MAC, "type", "bridge")
            sh("ip", "-n", cls.gw, "addr", "add", "10.250.%d.1/24" % k, "dev", "br%d" % k)
            sh("ip", "-n", cls.gw, "link", "set", "br%d" % k, "up")
        for name, (k, mac, ip) in HOSTS.items():
            ns, port = cls.ns[name], "g" + name
            sh("ip", "link", "add", "e0", "netns", ns, "address", mac, "type", "veth", "peer",
               "name", port, "netns", cls.gw)
            sh("ip", "-n", cls.gw, "link", "set", port, "master", "br%d" % (k + 1))
            sh("ip", "-n", cls.gw, "link", "set", port, "up")
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "e0")
            sh("ip", "-n", ns, "link", "set", "e0", "up")
            sh("ip", "-n", ns, "route", "add", "default", "via", "10.250.%d.1" % (k + 1))
        for name in HOSTS:
            for _ in range(50):
                if cls.ping(name, "10.250.%d.1" % (HOSTS[name][0] + 1)):
                    break
            else:
                raise AssertionError(name + " never reached its gateway")
        env = dict(os.environ, ZWNET_TOKEN=token)
        url = "http://127.0.0.1:%d" % s.port
        cls.start([BIN, "enforce", "--server", url, "--name", "gw", "--netns", cls.gw,
                   "--interval", "200"], env, "enforce")
        cls.start([BIN, "probe", "--server", url, "--name", "gw", "--netns", cls.gw, "--iface",
                   "gh1", "--interval", "100"], env, "probe")
        # the county's DHCP server on unit 1's bridge
        cls.start(["ip", "netns", "exec", cls.gw, "dnsmasq", "--no-daemon", "--port=0",
                   "--interface=br1", "--bind-interfaces", "--dhcp-range=10.250.1.100,10.250.1.150",
                   "--dhcp-leasefile=" + os.path.join(cls.dir, "county.leases"),
                   "--pid-file=" + os.path.join(cls.dir, "county.pid"), "--log-facility=-"],
                  None, "dnsmasq-county")
        time.sleep(1)

    @classmethod
    def start(cls, argv, env, name):
        log = open(os.path.join(cls.dir, name + ".log"), "w")
        cls.procs.append((subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT), log))

    @classmethod
    def tearDownClass(cls):
        for p, log in getattr(cls, "procs", []):
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
            log.close()
        for ns in getattr(cls, "made", []):
            sh("ip", "netns", "del", ns, check=False)
        out = ""
        for f in ("probe.log", "enforce.log"):
            path = os.path.join(getattr(cls, "dir", "/nonexistent"), f)
            if os.path.exists(path):
                out += open(path).read()
        shutil.rmtree(getattr(cls, "dir", "/nonexistent"), ignore_errors=True)
        super().tearDownClass()
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            assert bad not in out, out[-3000:]

    @classmethod
    def ping(cls, host, ip):
        return sh("ip", "netns", "exec", cls.ns[host], "ping", "-c", "1", "-W", "1", ip,
                  check=False).returncode == 0

    def send(self, host, frame):
        """A raw frame out of the host's interface."""
        sh("ip", "netns", "exec", self.ns[host], "python3", "-c",
           "import socket,sys; s=socket.socket(socket.AF_PACKET, socket.SOCK_RAW);"
           " s.bind(('e0', 0)); s.send(bytes.fromhex(sys.argv[1]))", frame.hex())

    def readdress(self, host, ip):
        ns = self.ns[host]
        sh("ip", "-n", ns, "addr", "flush", "dev", "e0")
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "e0")
        sh("ip", "-n", ns, "route", "add", "default", "via", "10.250.1.1")

    def step(self, vid, action, **body):
        body["action"] = action
        r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % vid, body)
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_a_changed_address_isolates_the_unit_until_reconnected(self):
        h1, h2 = HOSTS["h1"][2], HOSTS["h2"][2]
        self.assertTrue(self.ping("h1", h2))
        self.assertTrue(self.ping("h3", h2))
        self.readdress("h1", "10.250.1.77")
        t0 = time.monotonic()
        self.ping("h1", "10.250.1.1")  # its ARP for the gateway gives it away
        found = self.wait_for(lambda: self.srv.as_(
            "admin", "GET", A + "/violations?mac=" + HOSTS["h1"][1]).json["items"], timeout=10)
        took = time.monotonic() - t0
        self.assertTrue(found, "no violation")
        self.assertLess(took, 2.0)
        v = found[0]
        self.assertEqual((v["clause"], v["sanction_clause"], v["state"], v["isolated_scope"]),
                         ("JX-22", "JX-26", "isolated", "unit"))
        # the enforcer puts it on the wire: unit 1's hosts are cut, unit 2's host is not
        self.assertTrue(self.wait_for(lambda: not self.ping("h3", h2), timeout=10))
        self.assertFalse(self.ping("h1", h2))
        self.assertTrue(self.ping("h2", "10.250.2.1"))
        st = self.srv.as_("admin", "GET", A + "/enforcement?detail=1").json
        self.assertIn("10.250.1.0/24", st["sets"]["net4"])
        self.assertTrue(self.wait_for(lambda: [e for e in self.srv.as_(
            "admin", "GET", A + "/enforcement?detail=1").json["enforcers"]
            if e["ok"] and e["generation"] == st["generation"]], timeout=10))
        # rectified: the host takes its registered address back; verified; reconnected
        self.step(v["id"], "rectify")
        self.readdress("h1", h1)
        self.step(v["id"], "verify", reason="已改回登记地址")
        self.step(v["id"], "reconnect")
        self.assertTrue(self.wait_for(lambda: self.ping("h1", h2), timeout=10))
        self.assertTrue(self.ping("h3", h2))

    def test_b_new_mac_and_rogue_dhcp(self):
        stranger = "02:00:00:50:01:99"
        self.send("h1", wire.arp(1, stranger, "10.250.1.60", "10.250.1.1"))
        self.assertTrue(self.wait_for(lambda: self.srv.as_(
            "admin", "GET", A + "/findings?kind=unregistered&mac=" + stranger).json["items"],
            timeout=10))
        # a second DHCP server, on h3 (unit 1's subnet)
        self.start(["ip", "netns", "exec", self.ns["h3"], "dnsmasq", "--no-daemon", "--port=0",
                    "--interface=e0", "--bind-interfaces", "--dhcp-range=10.250.1.200,10.250.1.210",
                    "--dhcp-authoritative",
                    "--dhcp-leasefile=" + os.path.join(self.dir, "rogue.leases"),
                    "--pid-file=" + os.path.join(self.dir, "rogue.pid"), "--log-facility=-"],
                   None, "dnsmasq-rogue")
        time.sleep(1)
        client = "02:00:00:50:01:cc"
        discover = wire.dhcp_frame(client, wire.BROADCAST, "0.0.0.0", "255.255.255.255", 1, 1,
                                   client)
        rogue = []
        for _ in range(10):
            self.send("h1", discover)
            rogue = self.wait_for(lambda: self.srv.as_(
                "admin", "GET", A + "/findings?kind=rogue_dhcp").json["items"], timeout=2)
            if rogue:
                break
        self.assertTrue(rogue, "no rogue DHCP finding")
        self.assertEqual({f["ip"] for f in rogue}, {HOSTS["h3"][2]})
        self.assertEqual({f["mac"] for f in rogue}, {HOSTS["h3"][1]})
        # both servers did answer: the county's offer was seen and judged legitimate
        for name in ("dnsmasq-county", "dnsmasq-rogue"):
            with open(os.path.join(self.dir, name + ".log")) as f:
                self.assertIn("DHCPOFFER", f.read(), name)
