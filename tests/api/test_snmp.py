"""The probe's SNMP poller (issue 6) against a real snmpd started by the test in a network
namespace the test makes (a gateway with a Linux bridge and two hosts that ping it): its real
neighbour table (IP-MIB ipNetToPhysicalTable) and IF-MIB names, and the bridge's forwarding
table (BRIDGE-/Q-BRIDGE-MIB, which net-snmp lacks on Linux, served from `bridge fdb` by a pass
program). Devices and their SNMP v2c and v3 credentials come from the device register; the
probe reaches snmpd over a unix socket (--snmp-peer), the namespace having no route to us.

Needs root (ip netns) and snmpd; skipped with the reason otherwise."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from harness import BIN, ServerTest

A = "/api/v1"
HERE = os.path.dirname(os.path.abspath(__file__))
H1, H2 = "02:00:00:40:01:0a", "02:00:00:40:01:0b"


def sh(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=check)


def why_skip():
    if os.geteuid() != 0:
        return "needs root for ip netns"
    if not shutil.which("snmpd"):
        return "snmpd not installed"
    return None


SKIP = why_skip()


@unittest.skipIf(SKIP, SKIP or "")
class SnmpTest(ServerTest):
    profile = "tongbai"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pid = os.getpid()
        cls.gw, cls.hs = "zws-gw-%d" % pid, ["zws-h1-%d" % pid, "zws-h2-%d" % pid]
        cls.made = []
        for ns in [cls.gw] + cls.hs:
            sh("ip", "netns", "del", ns, check=False)
            sh("ip", "netns", "add", ns)
            cls.made.append(ns)
        sh("ip", "-n", cls.gw, "link", "add", "br0", "type", "bridge")
        for i, (ns, mac) in enumerate(zip(cls.hs, (H1, H2))):
            port = "gp%d" % (i + 1)
            sh("ip", "link", "add", "e0", "netns", ns, "address", mac, "type", "veth", "peer",
               "name", port, "netns", cls.gw)
            sh("ip", "-n", ns, "addr", "add", "10.240.1.%d/24" % (10 + i), "dev", "e0")
            sh("ip", "-n", ns, "link", "set", "e0", "up")
            sh("ip", "-n", cls.gw, "link", "set", port, "master", "br0")
            sh("ip", "-n", cls.gw, "link", "set", port, "up")
        sh("ip", "-n", cls.gw, "addr", "add", "10.240.1.1/24", "dev", "br0")
        sh("ip", "-n", cls.gw, "link", "set", "br0", "up")
        for ns in cls.hs:  # the gateway learns both hosts: ARP entries and bridge entries
            for _ in range(50):
                if sh("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", "10.240.1.1",
                      check=False).returncode == 0:
                    break
        cls.dir = tempfile.mkdtemp(prefix="zwnet-snmp-")
        cls.sock = os.path.join(cls.dir, "snmpd.sock")
        with open(os.path.join(cls.dir, "snmpd.conf"), "w") as f:
            f.write("com2secunix zwsec %s zwtest-community\n" % cls.sock +
                    "group zwgroup v2c zwsec\n"
                    "view all included .1\n"
                    'access zwgroup "" any noauth exact all none none\n'
                    "createUser zwv3 SHA zwnet-auth-pass AES zwnet-priv-pass\n"
                    "rouser zwv3 priv\n"
                    "pass .1.3.6.1.2.1.17 %s %s\n" % (sys.executable,
                                                     os.path.join(HERE, "snmp", "bridge_mib.py")))
        env = dict(os.environ, SNMP_PERSISTENT_DIR=os.path.join(cls.dir, "persist"), MIBS="")
        cls.log = open(os.path.join(cls.dir, "snmpd.log"), "w+")
        cls.snmpd = subprocess.Popen(
            ["ip", "netns", "exec", cls.gw, "snmpd", "-f", "-Lo", "-C", "-c",
             os.path.join(cls.dir, "snmpd.conf"), "unix:" + cls.sock],
            stdout=cls.log, stderr=subprocess.STDOUT, env=env)
        for _ in range(100):
            if os.path.exists(cls.sock):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("snmpd did not start")
        s = cls.srv
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        r = s.as_("admin", "POST", A + "/devices",
                  {"name": "汇聚交换机", "kind": "交换机", "owner": "信息中心",
                   "mgmt_ip": "10.240.1.1", "snmp_version": "v2c",
                   "snmp_community": "zwtest-community"})
        ok(r)
        cls.dev = r.json["id"]
        r = s.as_("admin", "POST", A + "/tokens", {"name": "snmp", "scope": "probe"})
        ok(r)
        cls.token = r.json["token"]

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "snmpd", None):
            cls.snmpd.terminate()
            cls.snmpd.wait(timeout=30)
            cls.log.close()
        for ns in getattr(cls, "made", []):
            sh("ip", "netns", "del", ns, check=False)
        shutil.rmtree(getattr(cls, "dir", "/nonexistent"), ignore_errors=True)
        super().tearDownClass()

    def poll(self):
        return subprocess.run(
            [BIN, "probe", "--server", "http://127.0.0.1:%d" % self.srv.port, "--name", "snmp",
             "--snmp", "--snmp-peer", "unix:" + self.sock],
            env=dict(os.environ, ZWNET_TOKEN=self.token), capture_output=True, text=True,
            timeout=120)

    def evidence(self, **q):
        qs = "&".join("%s=%s" % kv for kv in q.items())
        found = self.srv.as_("admin", "GET", A + "/findings?" + qs).json["items"]
        self.assertTrue(found, q)
        return [e["observation"] for f in found for e in
                self.srv.as_("admin", "GET", A + "/findings/%d" % f["id"]).json["evidence"]]

    def test_a_v2c_neighbours_and_forwarding_table(self):
        p = self.poll()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("汇聚交换机", p.stderr)
        self.assertRegex(p.stderr, r"[1-9]\d* neighbours, [1-9]\d* forwarding entries")
        # the router's ARP entry of h1 (on the bridge) and the bridge's entry (on its port)
        obs = self.evidence(kind="unregistered", mac=H1)
        kinds = {o["kind"]: o for o in obs}
        self.assertIn("neigh", kinds)
        self.assertEqual((kinds["neigh"]["ip"], kinds["neigh"]["iface"], kinds["neigh"]["device_id"]),
                         ("10.240.1.10", "br0", self.dev))
        self.assertIn("fdb", kinds)
        self.assertEqual((kinds["fdb"]["iface"], kinds["fdb"]["vlan"]), ("gp1", 1))
        obs = self.evidence(kind="unregistered", mac=H2)
        self.assertIn("gp2", [o.get("iface") for o in obs])

    def test_b_v3_and_a_device_that_does_not_answer(self):
        r = self.srv.as_("admin", "PATCH", A + "/devices/%d" % self.dev,
                         {"snmp_version": "v3", "snmp_user": "zwv3",
                          "snmp_auth_key": "zwnet-auth-pass", "snmp_priv_key": "zwnet-priv-pass"})
        self.assertEqual(r.status, 200, r)
        before = self.srv.sql("SELECT observations FROM probes WHERE name = 'snmp'")[0][0]
        p = self.poll()
        self.assertEqual(p.returncode, 0, p.stderr)
        after = self.srv.sql("SELECT observations FROM probes WHERE name = 'snmp'")[0][0]
        self.assertGreaterEqual(after - before, 4)  # two neighbours, two forwarding entries
        # a wrong key: this device is reported as failing, the probe goes on
        r = self.srv.as_("admin", "PATCH", A + "/devices/%d" % self.dev,
                         {"snmp_priv_key": "not-the-key-at-all"})
        self.assertEqual(r.status, 200, r)
        p = self.poll()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("汇聚交换机 (10.240.1.1)", p.stderr)
        self.assertNotIn("forwarding entries", p.stderr)
