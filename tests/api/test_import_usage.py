"""The usage figures (used, utilisation) a bulk import leaves on every prefix are the ones
recomputed from scratch by `zwnet prefix verify`, whatever order the file gives its rows in
(subnets before the containers that take them over, IPv6 sizes past 64 bits), and stay so as
allocations, host addresses and releases follow."""
import random
import sqlite3

from harness import ServerTest, run_cli

P = "/api/v1/prefixes"


class ImportUsage(ServerTest):
    def verify(self):
        return run_cli("prefix", "verify", db=self.srv.db, check=False)

    def test_figures_after_a_bulk_import_are_the_recomputed_ones(self):
        unit = self.srv.sql("SELECT name FROM units WHERE status = '已接入' ORDER BY id LIMIT 1")[0][0]
        rows = ["10.90.0.0/16,container,"]
        for a in range(4):  # four /20 pools, each with /24 subnets and one /24 pool of /26s
            rows.append("10.90.%d.0/20,container," % (16 * a))
            for b in range(1, 12):
                rows.append("10.90.%d.0/24,active,%s" % (16 * a + b, unit))
            rows.append("10.90.%d.0/24,container," % (16 * a + 12))
            for c in range(3):
                rows.append("10.90.%d.%d/26,active,%s" % (16 * a + 12, 64 * c, unit))
        rows.append("2001:db8::/32,container,")
        rows.append("2001:db8::/40,container,")
        for h in range(40):
            rows.append("2001:db8:%x::/48,active,%s" % (h * 7, unit))
        random.Random(14).shuffle(rows)  # children often come before their container
        r = self.srv.as_("admin", "POST", "/api/v1/imports/prefixes",
                         raw=("地址段,状态,使用单位\n" + "\n".join(rows) + "\n").encode(),
                         headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["written"], len(rows))
        p = self.verify()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("%d 个地址段" % len(rows), p.stdout)
        top = self.srv.sql("SELECT id, used FROM prefixes WHERE cidr = '10.90.0.0/16'")[0]
        self.assertEqual(top[1], str(4 * 4096))

        # Allocations, host addresses and a release on top of the imported plan.
        pool = self.srv.sql("SELECT id FROM prefixes WHERE cidr = '10.90.0.0/20'")[0][0]
        uid = self.srv.sql("SELECT id FROM units WHERE name = ?", (unit,))[0][0]
        subs = [self.srv.as_("admin", "POST", "%s/%d/allocate" % (P, pool),
                             {"unit_id": uid, "prefix_length": 28}).json for _ in range(3)]
        for s in subs:
            self.assertIn("id", s, s)
        for _ in range(4):
            r = self.srv.as_("admin", "POST", "/api/v1/addresses", {"prefix_id": subs[0]["id"], "kind": "静态"})
            self.assertEqual(r.status, 201, r)
        addr = self.srv.as_("admin", "GET", "/api/v1/addresses?prefix_id=%d" % subs[0]["id"]).json["items"][0]
        self.assertEqual(self.srv.as_("admin", "DELETE", "/api/v1/addresses/%d" % addr["id"]).status, 204)
        self.assertEqual(self.srv.as_("admin", "DELETE", "%s/%d" % (P, subs[2]["id"])).status, 204)
        p = self.verify()
        self.assertEqual(p.returncode, 0, p.stderr)

        # The check can fail: a figure changed behind the writes' back is found.
        con = sqlite3.connect(self.srv.db)
        try:
            con.execute("UPDATE prefixes SET used = '1' WHERE id = ?", (top[0],))
            con.commit()
            p = self.verify()
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn("编号 %d" % top[0], p.stderr)
        finally:
            con.execute("UPDATE prefixes SET used = ? WHERE id = ?", (top[1], top[0]))
            con.commit()
            con.close()
        self.assertEqual(self.verify().returncode, 0)
