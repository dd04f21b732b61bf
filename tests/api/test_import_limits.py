"""Imports against hostile or oversized files and beside other writers: a zip bomb is refused
before it inflates, a file over the row cap is refused naming the cap, a report lists the first
problems and counts them all, a dry run takes no write lock, one log line per import."""
import io
import sqlite3
import zipfile

from harness import ServerTest
from test_import import XLSX, make_xlsx

I = "/api/v1/imports/terminals"


def bomb(rows):
    """An xlsx whose sheet is the same row over and over: a few KB that inflate to MBs."""
    def c(v):
        return '<c t="inlineStr"><is><t>%s</t></is></c>' % v
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/worksheets/sheet1.xml",
                   "<worksheet><sheetData><row>" + c("MAC") + c("单位") + "</row>" +
                   ("<row>" + c("x") + c("y") + "</row>") * rows + "</sheetData></worksheet>")
    return b.getvalue()


class ImportLimits(ServerTest):
    extra = ["--import-max-rows", "50"]

    def post(self, body, dry=False, ctype="text/csv"):
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.srv.as_("admin", "POST", I + ("?dry_run=1" if dry else ""), raw=body,
                            headers={"Content-Type": ctype}, timeout=120)

    def unit_name(self):
        return self.srv.sql("SELECT name FROM units WHERE id = 2")[0][0]

    def test_rows_over_the_cap_refused_naming_the_cap(self):
        u = self.unit_name()
        rows = ["MAC,单位,终端类型"] + ["02:00:00:00:60:%02x,%s,计算机" % (i, u) for i in range(51)]
        self.srv.login("admin")
        before = self.srv.counts()
        e = self.assertError(self.post("\n".join(rows) + "\n"), 413, field="file")
        self.assertIn("50", e["message"])
        self.assertIn("上限", e["message"])
        cells = [["MAC", "单位", "终端类型"]] + [["02:00:00:00:61:%02x" % i, u, "计算机"] for i in range(51)]
        e = self.assertError(self.post(make_xlsx(cells), dry=True, ctype=XLSX), 413, field="file")
        self.assertIn("50", e["message"])
        self.assertEqual(self.srv.counts(), before)
        # at the cap, the file is taken
        r = self.post("\n".join(rows[:51]) + "\n")
        self.assertEqual((r.status, r.json["written"]), (201, 50), r)


class ImportReports(ServerTest):
    def post(self, body, dry=False):
        return self.srv.as_("admin", "POST", I + ("?dry_run=1" if dry else ""),
                            raw=body.encode("utf-8"), headers={"Content-Type": "text/csv"},
                            timeout=120)

    def unit_name(self):
        return self.srv.sql("SELECT name FROM units WHERE id = 2")[0][0]

    def test_zip_bomb_refused_before_it_inflates(self):
        data = bomb(120000)  # ~40 KB that inflate to ~9 MB
        self.assertLess(len(data), 100000)
        self.srv.login("admin")
        before = self.srv.counts()
        for dry in (True, False):
            r = self.srv.as_("admin", "POST", I + ("?dry_run=1" if dry else ""), raw=data,
                             headers={"Content-Type": XLSX}, timeout=120)
            e = self.assertError(r, 413, field="file")
            self.assertIn("xl/worksheets/sheet1.xml", e["message"])
            self.assertIn("压缩炸弹", e["message"])
            self.assertLess(len(r.raw), 2000)
        self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.srv.request("GET", "/api/v1/health").status, 200)

    def test_report_lists_the_first_200_problems_and_counts_all(self):
        csv = "MAC,单位,终端类型\n" + "".join("not-a-mac-%d,%s,计算机\n" % (i, self.unit_name())
                                          for i in range(250))
        self.srv.login("admin")
        before = self.srv.counts()
        r = self.post(csv)
        e = self.assertError(r, 422, field="file")
        rep = r.json["report"]
        self.assertEqual(len(rep["errors"]), 200)
        self.assertEqual((rep["rows"], rep["written"], rep["error_count"]), (250, 0, 250))
        self.assertEqual([x["row"] for x in rep["errors"]], list(range(2, 202)))
        self.assertIn("250", e["message"])
        self.assertIn("200", e["message"])
        r = self.post(csv, dry=True)
        self.assertEqual((r.status, r.json["error_count"], len(r.json["errors"])), (200, 250, 200))
        self.assertEqual(self.srv.counts(), before)

    def test_dry_run_takes_no_write_lock(self):
        u = self.unit_name()
        good = "MAC,单位,终端类型\n02:00:00:00:70:01,%s,计算机\n02:00:00:00:70:02,%s,打印机\n" % (u, u)
        # the same MAC twice: only a check that sees row 2 while checking row 3 finds it
        dup = good + "02-00-00-00-70-01,%s,计算机\n" % u
        self.srv.login("admin")
        other = sqlite3.connect(self.srv.db, isolation_level=None, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another process holds the database's write lock
        try:
            r = self.post(good, dry=True)
            self.assertEqual(r.status, 200, r)
            self.assertEqual((r.json["rows"], r.json["error_count"], r.json["written"]), (2, 0, 0))
            r = self.post(dup, dry=True)
            self.assertEqual(r.status, 200, r)
            self.assertEqual([(x["row"], x["field"]) for x in r.json["errors"]], [(4, "mac")])
        finally:
            other.execute("ROLLBACK")
            other.close()
        self.assertEqual(self.srv.sql("SELECT count(*) FROM terminals WHERE mac LIKE '02:00:00:00:70:%'"),
                         [(0,)])

    def test_dry_run_sees_rows_earlier_in_the_file(self):
        units = ("单位名称,简称,单位类型,单位层级,上级单位\n"
                 "草稿测试镇人民政府,草稿镇,党政机关,乡镇,\n"
                 "草稿测试村民委员会,草稿村,其他,村/社区,草稿镇\n")
        r = self.srv.as_("admin", "POST", "/api/v1/imports/units?dry_run=1", raw=units.encode(),
                         headers={"Content-Type": "text/csv"})
        self.assertEqual((r.status, r.json["errors"]), (200, []), r)
        self.srv.as_("admin", "POST", "/api/v1/zones", {"name": "草稿区", "code": "draft"})
        prefixes = "网段,状态,区域\n10.89.0.0/16,container,draft\n10.89.1.0/24,active,draft\n"
        r = self.srv.as_("admin", "POST", "/api/v1/imports/prefixes?dry_run=1",
                         raw=prefixes.encode(), headers={"Content-Type": "text/csv"})
        self.assertEqual((r.status, r.json["errors"]), (200, []), r)
        # the child before its container: the check of the container sees the child
        r = self.srv.as_("admin", "POST", "/api/v1/imports/prefixes?dry_run=1",
                         raw=("网段,状态,区域\n10.89.1.0/24,active,draft\n"
                              "10.89.0.0/16,active,draft\n").encode(),
                         headers={"Content-Type": "text/csv"})
        self.assertEqual([(x["row"], x["field"]) for x in r.json["errors"]], [(3, "status")], r)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM prefixes WHERE cidr LIKE '10.89.%'"), [(0,)])
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE name LIKE '草稿测试%'"), [(0,)])

    def test_one_log_line_per_import_not_per_row(self):
        u = self.unit_name()
        mac = "02:00:00:00:71:01"
        self.assertEqual(self.post("MAC,单位,终端类型\n%s,%s,计算机\n" % (mac, u)).status, 201)
        # 300 rows that each meet the database's UNIQUE constraint on the MAC
        csv = "MAC,单位,终端类型\n" + ("%s,%s,计算机\n" % (mac, u)) * 300
        mark = len(self.srv.output())
        r = self.post(csv)
        self.assertEqual(r.status, 422, r)
        log = self.srv.output()[mark:]
        lines = [l for l in log.splitlines() if l.strip()]
        self.assertFalse([l for l in lines if "sqlite" in l], log[-2000:])
        self.assertEqual(len([l for l in lines if "import terminals" in l]), 1, log[-2000:])
        self.assertIn("300 rows", [l for l in lines if "import terminals" in l][0])
        self.assertEqual(r.json["report"]["error_count"], 300)
