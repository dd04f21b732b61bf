"""RADIUS (issue 6): FreeRADIUS started by the test with the shipped module and site
(contrib/freeradius/), asked with radclient for MAC authentication of a registered, an
unregistered and an isolated terminal, and by wpa_supplicant's eapol_test for 802.1X (EAP-MD5
against a users file: the VLAN comes from zwnet at post-auth, an unregistered terminal is
refused after EAP succeeded); the answers and VLAN attributes are checked. The post-auth
contract is also asked over HTTP as rlm_rest would."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from harness import ServerTest

A = "/api/v1"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRIB = os.path.join(ROOT, "contrib", "freeradius")
SECRET = "zwnet-test-secret"
MISSING = [p for p in ("freeradius", "radclient") if not shutil.which(p)]

RADIUSD = """prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = {d}/log
raddbdir = {d}
radacctdir = {d}/log
name = freeradius
confdir = {d}
modconfdir = {d}/mods-config
run_dir = {d}/run
db_dir = {d}
libdir = /usr/lib/freeradius
pidfile = {d}/run/freeradius.pid
max_request_time = 30
cleanup_delay = 1
max_requests = 1024
hostname_lookups = no
log {{
	destination = stdout
	colourise = no
	auth = yes
}}
security {{
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
}}
thread pool {{
	start_servers = 2
	max_servers = 4
	min_spare_servers = 1
	max_spare_servers = 2
	max_requests_per_server = 0
}}
client localhost {{
	ipaddr = 127.0.0.1
	secret = {secret}
}}
modules {{
	$INCLUDE mods-enabled/
}}
policy {{
}}
$INCLUDE sites-enabled/
"""


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@unittest.skipIf(MISSING, "not installed: " + ", ".join(MISSING))
class RadiusTest(ServerTest):
    profile = "tongbai"
    extra = ("--quarantine-vlan", "999")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.u1 = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        ok = lambda r: r.status in (200, 201) or (_ for _ in ()).throw(AssertionError(r))
        r = s.as_("admin", "POST", A + "/vlans", {"vid": 101, "name": "单位一"})
        ok(r)
        ok(s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.230.0.0/16", "status": "container"}))
        ok(s.as_("admin", "POST", A + "/prefixes",
                 {"cidr": "10.230.1.0/24", "status": "active", "unit_id": cls.u1,
                  "vlan_id": r.json["id"], "gateway": "10.230.1.1"}))
        cls.known = "02:00:00:30:01:0a"
        cls.isolated = "02:00:00:30:01:0b"
        for mac, ip in ((cls.known, "10.230.1.10"), (cls.isolated, "10.230.1.11")):
            r = s.as_("admin", "POST", A + "/terminals",
                      {"mac": mac, "ip": ip, "unit_id": cls.u1, "kind": "计算机"})
            ok(r)
            if mac == cls.isolated:
                cls.isolated_id = r.json["id"]
        r = s.as_("admin", "POST", A + "/tokens", {"name": "radius", "scope": "radius"})
        ok(r)
        cls.token = r.json["token"]
        # FreeRADIUS with the shipped module and site, on a port of its own
        cls.dir = tempfile.mkdtemp(prefix="zwnet-radius-")
        d = cls.dir
        for sub in ("mods-enabled", "sites-enabled", "log", "run", "mods-config"):
            os.makedirs(os.path.join(d, sub))
        with open(os.path.join(d, "radiusd.conf"), "w") as f:
            f.write(RADIUSD.format(d=d, secret=SECRET))
        with open(os.path.join(d, "dictionary"), "w") as f:
            f.write("$INCLUDE /usr/share/freeradius/dictionary\n")
        shutil.copy(os.path.join(CONTRIB, "mods-available", "zwnet"),
                    os.path.join(d, "mods-enabled", "zwnet"))
        # the site's reject and ok are the stock "always" module's instances
        shutil.copy("/etc/freeradius/3.0/mods-available/always",
                    os.path.join(d, "mods-enabled", "always"))
        # 802.1X: EAP-MD5 (no certificates needed) and one identity in a users file
        with open(os.path.join(d, "mods-enabled", "eap"), "w") as f:
            f.write("eap {\n\tdefault_eap_type = md5\n\tmd5 {\n\t}\n}\n")
        with open(os.path.join(d, "users"), "w") as f:
            f.write('alice\tCleartext-Password := "alice-pass"\n')
        with open(os.path.join(d, "mods-enabled", "files"), "w") as f:
            f.write("files {\n\tfilename = %s/users\n}\n" % d)
        cls.port = free_udp_port()
        with open(os.path.join(CONTRIB, "sites-available", "zwnet")) as f:
            site = f.read()
        assert "port = 1812" in site
        site = site.replace("ipaddr = *", "ipaddr = 127.0.0.1").replace(
            "port = 1812", "port = %d" % cls.port)
        with open(os.path.join(d, "sites-enabled", "zwnet"), "w") as f:
            f.write(site)
        env = dict(os.environ, ZWNET_URL="http://127.0.0.1:%d" % s.port, ZWNET_TOKEN=cls.token)
        cls.log = open(os.path.join(d, "radiusd.out"), "w+")
        cls.radiusd = subprocess.Popen(["freeradius", "-f", "-d", d, "-l", "stdout"],
                                       stdout=cls.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            cls.log.flush()
            with open(cls.log.name) as f:
                out = f.read()
            if "Ready to process requests" in out:
                break
            if cls.radiusd.poll() is not None:
                raise AssertionError("freeradius exited: " + out[-3000:])
            time.sleep(0.1)
        else:
            raise AssertionError("freeradius did not start: " + out[-3000:])

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "radiusd", None):
            cls.radiusd.terminate()
            cls.radiusd.wait(timeout=30)
            cls.log.close()
            shutil.rmtree(cls.dir, ignore_errors=True)
        super().tearDownClass()

    def mab(self, mac):
        """A switch's MAC authentication for mac (dashes, as many switches send it)."""
        dashed = mac.replace(":", "-").upper()
        req = 'User-Name = "%s", User-Password = "%s", Calling-Station-Id = "%s"\n' % (
            dashed.lower().replace("-", ""), dashed.lower().replace("-", ""), dashed)
        r = subprocess.run(["radclient", "-x", "-r", "1", "-t", "5",
                            "127.0.0.1:%d" % self.port, "auth", SECRET],
                           input=req, capture_output=True, text=True, timeout=30)
        return r.stdout + r.stderr

    def test_mab_registered_unregistered_isolated(self):
        out = self.mab(self.known)
        self.assertIn("Received Access-Accept", out, out)
        self.assertIn('Tunnel-Private-Group-Id:0 = "101"', out, out)
        self.assertIn("Tunnel-Type:0 = VLAN", out, out)
        out = self.mab("02:00:00:30:09:99")
        self.assertIn("Received Access-Reject", out, out)
        self.assertIn("未登记终端", out, out)
        self.assertIn("TB-13", out, out)
        # isolated: a case against the terminal, its unit suspended at the second offence
        # of TB-9 is not needed; a terminal-level isolation is enough
        r = self.srv.as_("admin", "POST", A + "/violations",
                         {"unit_id": self.u1, "behaviour": "attack",
                          "terminal_id": self.isolated_id, "detail": "扫描"})
        self.assertEqual(r.status, 201, r)
        vid = r.json["id"]
        self.assertEqual(self.mab(self.isolated).count("Received Access-Accept"), 1)
        r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % vid,
                         {"action": "isolate"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["isolated_scope"], "unit")  # TB-9: the whole unit
        out = self.mab(self.isolated)
        self.assertIn("Received Access-Accept", out, out)
        self.assertIn('Tunnel-Private-Group-Id:0 = "999"', out, out)
        # the unit is suspended: its other terminal goes to quarantine as well
        out = self.mab(self.known)
        self.assertIn('Tunnel-Private-Group-Id:0 = "999"', out, out)
        for action, reason in (("rectify", None), ("verify", "已整改"), ("reconnect", None)):
            body = {"action": action}
            if reason:
                body["reason"] = reason
            r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % vid, body)
            self.assertEqual(r.status, 200, r)
        out = self.mab(self.isolated)
        self.assertIn('Tunnel-Private-Group-Id:0 = "101"', out, out)

    def dot1x(self, mac, password="alice-pass"):
        """802.1X from a supplicant (wpa_supplicant's eapol_test) on a port, EAP-MD5."""
        conf = os.path.join(self.dir, "eapol.conf")
        with open(conf, "w") as f:
            f.write('network={\n key_mgmt=IEEE8021X\n eap=MD5\n identity="alice"\n'
                    ' password="%s"\n eapol_flags=0\n}\n' % password)
        r = subprocess.run(["eapol_test", "-c", conf, "-a", "127.0.0.1", "-p", str(self.port),
                            "-s", SECRET, "-M", mac, "-t", "10", "-n"],
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout + r.stderr

    @unittest.skipIf(not shutil.which("eapol_test"), "eapol_test not installed")
    def test_dot1x_through_freeradius(self):
        rc, out = self.dot1x(self.known)
        self.assertEqual(rc, 0, out[-3000:])
        self.assertIn("Access-Accept", out)
        self.assertIn("Tunnel-Private-Group-Id", out)
        # the unit's VLAN, 101 ("313031"), and Tunnel-Type VLAN (13)
        self.assertRegex(out, r"Tunnel-Private-Group-Id\) length=5\s+Value: 313031")
        self.assertRegex(out, r"Tunnel-Type\) length=6\s+Value: 0000000d")
        # right password, unregistered terminal: zwnet refuses it after EAP succeeded
        rc, out = self.dot1x("02:00:00:30:09:97")
        self.assertNotEqual(rc, 0, out[-3000:])
        self.assertIn("Access-Reject", out)
        # registered terminal, wrong password: EAP itself refuses
        rc, out = self.dot1x(self.known, "not-her-password")
        self.assertNotEqual(rc, 0)

    def test_post_auth_and_rest_contract(self):
        url = A + "/radius/post-auth"
        body = lambda mac: {"User-Name": {"type": "string", "value": ["alice"]},
                            "Calling-Station-Id": {"type": "string", "value": [mac]},
                            "EAP-Message": {"type": "octets", "value": ["0x02"]}}
        r = self.srv.request("POST", url, body(self.known.replace(":", "-")), token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["reply:Tunnel-Private-Group-Id"], "101")
        r = self.srv.request("POST", url, body("02-00-00-30-09-98"), token=self.token)
        self.assertEqual((r.status, r.json["control:Tmp-String-0"]), (200, "reject"))
        # 802.1X in authorize: a known MAC goes on to EAP (204), an unknown one is refused
        r = self.srv.request("POST", A + "/radius/authorize", body(self.known), token=self.token)
        self.assertEqual(r.status, 204, r)
        r = self.srv.request("POST", A + "/radius/authorize", body("aabb.cc00.0001"),
                             token=self.token)
        self.assertEqual(r.status, 401, r)
        # users are not RADIUS clients; garbage is refused
        self.assertEqual(self.srv.as_("unit", "POST", url, body(self.known)).status, 403)
        self.assertError(self.srv.request("POST", url, [1], token=self.token), 400)
