"""The CLI mirrors the address plan's API (zwnet zone|vlan|prefix|terminal|address), audited
like it, while the server runs on the same database."""
import json

from harness import ServerTest, run_cli


class CliIpam(ServerTest):
    def cli(self, *args, check=True):
        return run_cli(*args, db=self.srv.db, check=check)

    def test_plan_through_the_cli(self):
        z = json.loads(self.cli("zone", "add", "--name", "专用网络区", "--code", "private").stdout)
        p = json.loads(self.cli("prefix", "add", "--cidr", "10.77.0.0/16", "--status", "container",
                                "--zone-id", str(z["id"])).stdout)
        a = json.loads(self.cli("prefix", "allocate", str(p["id"]), "--unit-id", "2", "--hosts", "20").stdout)
        self.assertEqual(a["cidr"], "10.77.0.0/27")
        # The running server sees it, and allocates next to it (its pool notices the CLI's write).
        r = self.srv.as_("admin", "POST", "/api/v1/prefixes/%d/allocate" % p["id"],
                         {"unit_id": 3, "prefix_length": 27})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["cidr"], "10.77.0.32/27")
        t = json.loads(self.cli("terminal", "add", "--mac", "02-00-00-77-00-01", "--unit-id", "2",
                                "--kind", "计算机", "--ip", "10.77.0.9").stdout)
        self.assertEqual(t["mac"], "02:00:00:77:00:01")
        lines = self.cli("prefix", "list", "--parent-id", str(p["id"])).stdout.splitlines()
        self.assertEqual(sorted(json.loads(l)["cidr"] for l in lines), ["10.77.0.0/27", "10.77.0.32/27"])
        audit = self.srv.sql("SELECT actor, action FROM audit WHERE object_type = 'prefix' AND object_id = ?",
                             (str(a["id"]),))
        self.assertEqual(len(audit), 1)
        self.assertTrue(audit[0][0].startswith("cli:"), audit)
        self.assertEqual(audit[0][1], "prefix.allocate")
        self.cli("audit", "verify")

    def test_cli_errors_exit_non_zero_and_write_nothing(self):
        before = self.srv.counts()
        for args in (("prefix", "add", "--cidr", "10.1.2.3/16", "--status", "container"),
                     ("terminal", "add", "--mac", "nonsense", "--unit-id", "2", "--kind", "计算机"),
                     ("terminal", "add", "--mac", "02:00:00:00:00:99", "--unit-id", "2", "--kind", "计算机",
                      "--classified", "true"),
                     ("zone", "show", "999"),
                     ("prefix", "frobnicate")):
            p = self.cli(*args, check=False)
            self.assertNotEqual(p.returncode, 0, args)
            self.assertTrue(p.stderr.strip(), args)
        self.assertEqual(self.srv.counts(), before)
