"""The Debian package (issue 15 section 7): `make deb` builds it (incrementally: nothing is
rebuilt while the package is newer than its sources) and lintian finds nothing in it; every
systemd unit it ships passes `systemd-analyze verify` and keeps its exposure in the OK band of
`systemd-analyze security`.

Unpacked into a scratch root (dpkg -x), the units' own ExecStart lines are run from the
installed layout the way systemd would run them, as far as that can be done without systemd:
as the zwnet user, with no new privileges, with the unit's capability set alone, its umask,
its EnvironmentFile, and the in-process part of its sandbox (unit_exec.py: the system call
filter, the socket families, W^X memory). The server, with the installed
/etc/zwnet/zwnet.conf readable by the zwnet group only, answers /api/v1/health, serves the
console from /usr/share/zwnet/web and prints a PDF; a probe captures on the loopback
interface with CAP_NET_RAW alone (and cannot without it); the enforcer applies its nftables
table with CAP_NET_ADMIN alone (and cannot without it); the backup unit writes a backup (once
`zwnet backup` exists). Only loopback is used; the enforcer's table has a name of its own and
is deleted afterwards. Not covered: the mount namespace options (ProtectSystem=, PrivateTmp=,
...), which only systemd sets up.

ZWNET_DEB=FILE tests that package instead of running make deb. Under CI=true a missing tool
or privilege fails these tests instead of skipping them."""

import errno
import http.client
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import PASSWORD, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
IN_CI = os.environ.get("CI") == "true"
UNITS = ("zwnet.service", "zwnet-probe@.service", "zwnet-enforce.service",
         "zwnet-backup.service", "zwnet-backup.timer")
BUILD_TOOLS = ("dpkg-deb", "make", "dpkg-buildpackage", "dh")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def sh(*args, check=True, timeout=120, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=check, **kw)


def missing_tools(*tools):
    return [t for t in tools if not shutil.which(t)]


def unit_settings(path):
    """A unit file's settings: each key's values in order (empty assignments kept)."""
    vals = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;[":
                continue
            k, v = line.split("=", 1)
            vals.setdefault(k.strip(), []).append(v.strip())
    return vals


def env_file(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                k, v = line.split("=", 1)
                env[k] = v
    return env


_GROUPS = {}


def syscall_groups():
    """systemd's system call groups (@system-service, ...): each group's names and groups."""
    if not _GROUPS:
        group = None
        for line in sh("systemd-analyze", "syscall-filter").stdout.splitlines():
            if line.startswith("@"):
                group = _GROUPS.setdefault(line.strip(), [])
            elif line.strip() and not line.strip().startswith("#") and group is not None:
                group.append(line.strip())
    return _GROUPS


def syscalls(items):
    out = set()
    for item in items:
        if item.startswith("@"):
            out |= syscalls(syscall_groups()[item])
        else:
            out.add(item)
    return out


def sandbox_spec(vals):
    """What unit_exec.py applies: SystemCallFilter= (an allow list, then ~ lists taken out of
    it, and what systemd always allows), SystemCallErrorNumber=, RestrictAddressFamilies=,
    MemoryDenyWriteExecute=."""
    allow = None
    for v in vals.get("SystemCallFilter", []):
        if v.startswith("~"):
            allow -= syscalls(v[1:].split())
        else:
            allow = (allow or set()) | syscalls(v.split())
    if allow is not None:
        allow |= {"execve", "exit", "exit_group", "getrlimit", "rt_sigreturn", "sigreturn"}
    fams = " ".join(vals.get("RestrictAddressFamilies", [])).split()
    assert not fams or allow is not None, "RestrictAddressFamilies= without SystemCallFilter="
    return {"syscalls": sorted(allow) if allow is not None else None,
            "errno": getattr(errno, vals.get("SystemCallErrorNumber", ["EPERM"])[-1]),
            "families": [getattr(socket, f) for f in fams] if fams else None,
            "mdwe": vals.get("MemoryDenyWriteExecute", ["no"])[-1] == "yes"}


def capset(caps):
    return ",".join(["-all"] + ["+" + c.lower()[len("cap_"):] for c in caps])


class Unit:
    """One unit of the unpacked package, run as systemd would run its ExecStart (without the
    sandboxing, which needs systemd itself): the unit's user and group, NoNewPrivileges, its
    capability bounding and ambient sets, its umask, a clean environment with its
    EnvironmentFile, / as the working directory, and every absolute path inside the scratch
    root. extra: arguments appended (the test's database, port and console directory)."""

    def __init__(self, root, name, instance="", env_values=None):
        self.root, self.instance = root, instance
        self.vals = unit_settings(os.path.join(root, "lib/systemd/system", name))
        self.user = self.vals["User"][-1]
        self.group = self.vals.get("Group", [self.user])[-1]
        self.env = {"PATH": PATH, "LANG": "C.UTF-8"}
        for f in self.vals.get("EnvironmentFile", []):
            path = self.inside(self.spec(f.lstrip("-")))
            if env_values is not None:
                self.write_env(path, env_values)
            self.env.update(env_file(path))
        for d in " ".join(self.vals.get("StateDirectory", [])).split():
            p = self.inside("/var/lib/" + self.spec(d))
            os.makedirs(p, exist_ok=True)
            os.chmod(p, int(self.vals.get("StateDirectoryMode", ["0755"])[-1], 8))
            shutil.chown(p, self.user, self.group)

    def spec(self, s):
        return s.replace("%i", self.instance).replace("%I", self.instance)

    def inside(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def write_env(self, path, values):
        """The shipped example, with the test's values."""
        example = os.path.join(self.root, "usr/share/doc/zwnet/examples",
                               os.path.basename(path).replace("-" + self.instance, "-NAME"))
        lines = []
        with open(example) as f:
            for line in f:
                k = line.split("=", 1)[0]
                lines.append("%s=%s\n" % (k, values[k]) if k in values else line)
        with open(path, "w") as f:
            f.writelines(lines)
        os.chmod(path, 0o600)

    def command(self):
        """ExecStart= with the unit's specifiers and environment, paths in the scratch root."""
        words = []
        for w in shlex.split(self.spec(self.vals["ExecStart"][-1])):
            m = re.fullmatch(r"\$(\w+)", w)
            if m:
                words += self.env.get(m.group(1), "").split()
                continue
            w = re.sub(r"\$\{(\w+)\}", lambda m: self.env.get(m.group(1), ""), w)
            words.append(self.inside(w) if w.startswith("/") else w)
        return words

    def prefix(self, caps=True, sandbox=True):
        """setpriv as the unit's user with its capabilities (or none), then unit_exec.py with
        its system call filter, socket families and W^X memory (or none of them)."""
        bounding = " ".join(self.vals.get("CapabilityBoundingSet", [])).split() if caps else []
        ambient = " ".join(self.vals.get("AmbientCapabilities", [])).split() if caps else []
        cmd = ["setpriv", "--reuid", self.user, "--regid", self.group, "--init-groups"]
        if self.vals.get("NoNewPrivileges", ["no"])[-1] == "yes":
            cmd.append("--no-new-privs")
        cmd += ["--bounding-set", capset(bounding), "--inh-caps", capset(ambient),
                "--ambient-caps", capset(ambient), "--"]
        if sandbox:
            spec = os.path.join(self.root, "sandbox-%d.json" % id(self))
            with open(spec, "w") as f:
                json.dump(sandbox_spec(self.vals), f)
            cmd += ["/usr/bin/python3", os.path.join(self.root, "unit_exec.py"), spec]
        return cmd

    def argv(self, extra=(), caps=True):
        return self.prefix(caps) + self.command() + list(extra)

    def popen(self, extra=(), caps=True, **kw):
        umask = int(self.vals.get("UMask", ["0022"])[-1], 8)
        return subprocess.Popen(self.argv(extra, caps), env=self.env, cwd="/",
                                preexec_fn=lambda: os.umask(umask), **kw)

    def run(self, extra=(), caps=True, timeout=60):
        p = self.popen(extra, caps, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        return p.returncode, out


class PackageTest(unittest.TestCase):
    deb = None
    root = None
    build_error = None
    build_seconds = None
    srv = None

    @classmethod
    def setUpClass(cls):
        cls.tools = missing_tools(*BUILD_TOOLS, "lintian", "systemd-analyze", "setpriv", "nft",
                                  "man")
        cls.deb = os.environ.get("ZWNET_DEB")
        if not cls.deb and missing_tools(*BUILD_TOOLS):
            return
        if not cls.deb:
            t0 = time.monotonic()
            r = subprocess.run(["make", "-s", "deb"], cwd=SRC, capture_output=True, text=True,
                               timeout=1200)
            cls.build_seconds = time.monotonic() - t0
            out = os.environ.get("ZWNET_TEST_OUT", os.path.join(SRC, "tests/out"))
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, "deb.log"), "w") as f:
                f.write(r.stdout + r.stderr)
            if r.returncode:
                cls.build_error = "make deb failed (%d): %s" % (r.returncode,
                                                                 (r.stdout + r.stderr)[-3000:])
                return
            version = sh("dpkg-parsechangelog", "-l", os.path.join(SRC, "debian/changelog"),
                         "-S", "Version").stdout.strip()
            arch = sh("dpkg", "--print-architecture").stdout.strip()
            cls.deb = os.path.join(SRC, "build-deb", "zwnet_%s_%s.deb" % (version, arch))
        cls.root = tempfile.mkdtemp(prefix="zwnet-deb-")
        os.chmod(cls.root, 0o755)  # the zwnet user walks into it, as into /
        sh("dpkg-deb", "-x", cls.deb, cls.root)
        shutil.copy(os.path.join(HERE, "unit_exec.py"), cls.root)

    @classmethod
    def tearDownClass(cls):
        cls.stop_server()
        if cls.root:
            shutil.rmtree(cls.root, ignore_errors=True)

    def need(self, *, tools=(), root=False):
        build = ("dpkg-deb",) if os.environ.get("ZWNET_DEB") else BUILD_TOOLS
        why = [t + " not installed" for t in build + tuple(tools) if t in self.tools]
        if root and os.geteuid() != 0:
            why.append("needs root to run the units as the zwnet user")
        if why:
            if IN_CI:
                self.fail("; ".join(why))
            self.skipTest("; ".join(why))
        if self.build_error:
            self.fail(self.build_error)
        self.assertTrue(self.deb and os.path.isfile(self.deb), self.deb)

    def path(self, p):
        return os.path.join(self.root, p.lstrip("/"))

    # ---- the package ----

    def test_lintian_finds_nothing(self):
        self.need(tools=("lintian",))
        r = sh("lintian", "--fail-on", "error,warning", "--display-info", self.deb, check=False,
               timeout=300)
        tags = [l for l in r.stdout.splitlines() if re.match(r"^[EWI]: ", l)]
        self.assertEqual((r.returncode, tags), (0, []), r.stdout + r.stderr)

    def test_contents_and_conffile(self):
        self.need()
        for p in ("usr/bin/zwnet", "usr/share/zwnet/web/index.html",
                  "usr/share/zwnet/freeradius/mods-available/zwnet",
                  "usr/share/zwnet/freeradius/sites-available/zwnet",
                  "usr/share/zwnet/freeradius/install.sh", "usr/share/man/man1/zwnet.1.gz",
                  "usr/share/man/man5/zwnet.conf.5.gz", "etc/zwnet/zwnet.conf",
                  "usr/share/doc/zwnet/OPERATIONS.md.gz", "usr/share/doc/zwnet/examples/enforce.conf",
                  "usr/share/doc/zwnet/examples/probe-NAME.conf"):
            self.assertTrue(os.path.exists(self.path(p)), p)
        for u in UNITS:
            self.assertTrue(os.path.isfile(self.path("lib/systemd/system/" + u)), u)
        # a release build: no sanitizer runtime, stripped
        binary = self.path("usr/bin/zwnet")
        self.assertNotIn("libasan", sh("ldd", binary).stdout)
        self.assertNotIn(".debug_info", sh("readelf", "-S", binary).stdout)
        ctl = tempfile.mkdtemp(dir=self.root)
        sh("dpkg-deb", "-e", self.deb, ctl)
        with open(os.path.join(ctl, "conffiles")) as f:
            self.assertIn("/etc/zwnet/zwnet.conf", f.read().split())
        with open(os.path.join(ctl, "postinst")) as f:
            post = f.read()
        self.assertIn("adduser --quiet --system --group --home /var/lib/zwnet", post)
        shutil.rmtree(ctl)
        # the conffile: the package's paths set, every other setting there, commented
        conf = self.path("etc/zwnet/zwnet.conf")
        with open(conf) as f:
            text = f.read()
        set_ = dict(re.findall(r"^(\w+) = (.*)$", text, re.M))
        # backup_dir: where zwnet-backup.timer writes, so the daily notice tells its set
        self.assertEqual(set_, {"db": "/var/lib/zwnet/zwnet.db", "listen": "127.0.0.1:8080",
                                "web_root": "/usr/share/zwnet/web",
                                "backup_dir": "/var/lib/zwnet/backups"})
        commented = re.findall(r"^#(\w+) =", text, re.M)
        man = sh(binary, "config", "man").stdout
        settings = re.findall(r"^\.B (\S+)$", man, re.M)
        self.assertGreater(len(settings), 40)
        self.assertEqual(sorted(commented + list(set_)), sorted(s.replace("\\", "") for s in settings))
        r = sh(binary, "serve", "--check", "--config", conf, check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # zwnet.conf(5) lists what the program says, every setting
        page = sh("zcat", self.path("usr/share/man/man5/zwnet.conf.5.gz")).stdout
        self.assertTrue(man in page, "zwnet.conf(5) does not list what zwnet config man prints")
        self.assertNotIn("@SETTINGS@", page)

    # ---- the units ----

    def systemd_root(self):
        """The scratch root with the host's own units beside the package's, for the
        dependencies (sysinit.target, network.target, ...) systemd-analyze loads."""
        dst = self.path("usr/lib/systemd/system")
        if not os.path.isdir(dst):
            host = "/lib/systemd/system" if os.path.isdir("/lib/systemd/system") else \
                "/usr/lib/systemd/system"
            shutil.copytree(host, dst, symlinks=True)
        return self.root

    def verify(self, unit_path):
        return sh("systemd-analyze", "verify", "--root=" + self.systemd_root(), unit_path,
                  check=False, env=dict(os.environ, MANPATH=self.path("usr/share/man")))

    def test_units_verify_clean(self):
        self.need(tools=("systemd-analyze", "man"))
        for u in UNITS:
            r = self.verify(self.path("lib/systemd/system/" + u))
            self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""), u)
        # the check sees a bad unit: an unknown setting and a command not installed
        bad = self.path("lib/systemd/system/zwnet-bad.service")
        with open(self.path("lib/systemd/system/zwnet.service")) as f:
            text = f.read()
        with open(bad, "w") as f:
            f.write(text.replace("ExecStart=/usr/bin/zwnet", "ExecStart=/usr/bin/zwnot")
                    .replace("[Service]", "[Service]\nProtectEverything=yes"))
        try:
            r = self.verify(bad)
            self.assertIn("ProtectEverything", r.stderr)
            self.assertIn("/usr/bin/zwnot", r.stderr)
        finally:
            os.unlink(bad)

    def test_units_exposure_ok(self):
        self.need(tools=("systemd-analyze",))
        for u in ("zwnet.service", "zwnet-probe@pkg.service", "zwnet-enforce.service",
                  "zwnet-backup.service"):
            r = sh("systemd-analyze", "security", "--offline=yes", "--threshold=20",
                   "--root=" + self.systemd_root(), u, check=False)
            level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", r.stdout)
            self.assertTrue(level, r.stdout + r.stderr)
            self.assertLessEqual(float(level.group(1)), 2.0, u + "\n" + r.stdout)

    # ---- the installed layout, run as the units run it ----

    @classmethod
    def ensure_user(cls):
        try:
            pwd.getpwnam("zwnet")
        except KeyError:  # what the postinst does, without making /var/lib/zwnet here
            sh("adduser", "--quiet", "--system", "--group", "--home", "/var/lib/zwnet",
               "--no-create-home", "zwnet")

    @classmethod
    def stop_server(cls):
        if cls.srv:
            proc, log = cls.srv["proc"], cls.srv["log"]
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()
            cls.srv = None

    def request(self, method, path, body=None, token=None):
        c = http.client.HTTPConnection("127.0.0.1", self.srv["port"], timeout=30)
        h = {"Authorization": "Bearer " + token} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        out = (r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read())
        c.close()
        return out

    def server(self):
        """zwnet.service's ExecStart from the installed layout, on a free loopback port and the
        scratch root's /var/lib/zwnet; started once for the tests that need it."""
        cls = type(self)
        if cls.srv:
            return cls.srv
        self.ensure_user()
        conf = self.path("etc/zwnet/zwnet.conf")
        shutil.chown(conf, "root", "zwnet")  # as the postinst leaves it
        os.chmod(conf, 0o640)
        u = Unit(self.root, "zwnet.service")
        port = free_port()
        db = self.path("var/lib/zwnet/zwnet.db")
        extra = ["--db", db, "--listen", "127.0.0.1:%d" % port, "--web-root",
                 self.path("usr/share/zwnet/web"), "--password-cost", "min"]
        # the demo county (applications to print), and a user added as OPERATIONS.md says:
        # the installed program as the zwnet user, with the installed configuration
        if not os.path.exists(db):
            cli = u.prefix(caps=False, sandbox=False) + [self.path("usr/bin/zwnet")]
            for args in (["demo"], ["user", "add", "ops2", "--role", "operator"]):
                r = subprocess.run(cli + args + ["--config", conf] + extra[:2] + extra[-2:],
                                   env=dict(u.env, ZWNET_PASSWORD=PASSWORD), cwd="/",
                                   capture_output=True, text=True, timeout=120)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        log = open(os.path.join(self.root, "serve.log"), "w+")
        proc = u.popen(extra, stdout=log, stderr=subprocess.STDOUT)
        cls.srv = {"proc": proc, "log": log, "port": port, "unit": u, "db": db}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if self.request("GET", "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            log.seek(0)
            out = log.read()
            cls.stop_server()
            self.fail("the installed server did not start: " + out)
        return cls.srv

    def login(self):
        st, _, body = self.request("POST", "/api/v1/session",
                                   {"username": "admin", "password": PASSWORD})
        self.assertEqual(st, 201, body)
        return json.loads(body)["token"]

    def token(self, name, scope):
        st, _, body = self.request("POST", "/api/v1/tokens", {"name": name, "scope": scope},
                                   token=self.login())
        self.assertEqual(st, 201, body)
        return json.loads(body)["token"]

    def test_server_runs_as_zwnet_from_the_installed_layout(self):
        self.need(tools=("setpriv",), root=True)
        s = self.server()
        st, _, body = self.request("GET", "/api/v1/health")
        self.assertEqual(st, 200, body)
        # the console, from the installed /usr/share/zwnet/web
        with open(self.path("usr/share/zwnet/web/index.html"), "rb") as f:
            index = f.read()
        st, hdr, body = self.request("GET", "/")
        self.assertEqual((st, body), (200, index))
        self.assertTrue(hdr["content-type"].startswith("text/html"), hdr)
        asset = re.search(rb'src="(/assets/[^"]+\.js)"', index).group(1).decode()
        with open(self.path("usr/share/zwnet/web" + asset), "rb") as f:
            self.assertEqual(self.request("GET", asset)[:3:2], (200, f.read()))
        # the database is the zwnet user's, and it can write it: a login is a new session
        token = self.login()
        st, _, body = self.request("POST", "/api/v1/session",
                                   {"username": "ops2", "password": PASSWORD})
        self.assertEqual(st, 201, body)
        # a printed form: pango, cairo and the fonts under the system call filter and W^X
        st, hdr, body = self.request("GET", "/api/v1/applications/1/form?format=pdf", token=token)
        self.assertEqual((st, hdr.get("content-type"), body[:5]),
                         (200, "application/pdf", b"%PDF-"), body[:300])
        zw = pwd.getpwnam("zwnet")
        with open("/proc/%d/status" % s["proc"].pid) as f:
            status = dict(l.split(":", 1) for l in f.read().splitlines())
        self.assertEqual(status["Uid"].split()[0], str(zw.pw_uid))
        self.assertEqual(int(status["CapEff"], 16), 0)
        self.assertEqual(int(status["CapBnd"], 16), 0)
        self.assertEqual(status["NoNewPrivs"].strip(), "1")
        self.assertEqual(status["Seccomp"].strip(), "2")  # filtered, as SystemCallFilter=
        # and the filter bites: with AF_UNIX alone the server cannot listen
        narrow = Unit(self.root, "zwnet.service")
        narrow.vals["RestrictAddressFamilies"] = ["AF_UNIX"]
        rc, out = narrow.run(["--db", s["db"], "--listen", "127.0.0.1:%d" % free_port(),
                              "--web-root", "", "--password-cost", "min"], timeout=60)
        self.assertNotEqual(rc, 0, out)
        state = os.path.dirname(s["db"])
        self.assertEqual(os.stat(state).st_mode & 0o777, 0o750)  # StateDirectoryMode
        for f in os.listdir(state):
            self.assertEqual(os.stat(os.path.join(state, f)).st_uid, zw.pw_uid, f)
        # SIGTERM, as systemctl stop: in-flight requests finish, a clean exit
        proc = s["proc"]
        type(self).stop_server()
        self.assertEqual(proc.returncode, 0)

    def test_probe_captures_with_cap_net_raw_alone(self):
        self.need(tools=("setpriv",), root=True)
        self.server()
        values = {"ZWNET_SERVER": "http://127.0.0.1:%d" % self.srv["port"], "ZWNET_IFACE": "lo",
                  "ZWNET_TOKEN": self.token("pkg-probe", "probe"),
                  "ZWNET_PROBE_OPTS": "--interval 200"}
        u = Unit(self.root, "zwnet-probe@.service", "pkg", values)
        # without the capability the unit gives, no capture
        rc, out = u.run(caps=False, timeout=30)
        self.assertNotEqual(rc, 0, out)
        self.assertIn("lo", out)
        log = open(os.path.join(self.root, "probe.log"), "w+")
        proc = u.popen(stdout=log, stderr=subprocess.STDOUT)
        try:
            seen = []
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and proc.poll() is None and not seen:
                time.sleep(0.5)
                st, _, body = self.request("GET", "/api/v1/probes", token=self.login())
                self.assertEqual(st, 200, body)
                seen = [p for p in json.loads(body)["items"] if p["name"] == "pkg"]
            log.seek(0)
            self.assertIsNone(proc.poll(), log.read())
            self.assertTrue(seen, "the probe never reported: " + log.read())
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            log.close()
        spool = self.path("var/lib/zwnet-probe/pkg")
        self.assertEqual(os.stat(spool).st_uid, pwd.getpwnam("zwnet").pw_uid)

    def test_backup_unit_writes_a_backup(self):
        self.need(tools=("setpriv",), root=True)
        self.server()
        u = Unit(self.root, "zwnet-backup.service")
        rc, out = u.run(timeout=120)
        if rc == 2 and '"backup"' in out:
            self.skipTest("zwnet backup is not in this build yet")
        self.assertEqual(rc, 0, out)
        backups = self.path("var/lib/zwnet/backups")
        made = os.listdir(backups)
        self.assertTrue(made, out)
        zw = pwd.getpwnam("zwnet").pw_uid
        for f in made:
            self.assertEqual(os.stat(os.path.join(backups, f)).st_uid, zw, f)

    def test_enforcer_applies_its_table_with_cap_net_admin_alone(self):
        self.need(tools=("setpriv", "nft"), root=True)
        self.server()
        table = "zwnetpkg%d" % os.getpid()
        values = {"ZWNET_SERVER": "http://127.0.0.1:%d" % self.srv["port"], "ZWNET_NAME": "pkg",
                  "ZWNET_TOKEN": self.token("pkg-enforce", "enforcer"),
                  "ZWNET_ENFORCE_OPTS": "--once --table " + table}
        u = Unit(self.root, "zwnet-enforce.service", "", values)
        try:
            rc, out = u.run(caps=False, timeout=60)
            self.assertNotEqual(rc, 0, out)
            rc, out = u.run(timeout=60)
            self.assertEqual(rc, 0, out)
            listed = sh("nft", "list", "table", "inet", table).stdout
            self.assertIn("chain forward", listed)
        finally:
            sh("nft", "delete", "table", "inet", table, check=False)


if __name__ == "__main__":
    unittest.main()
