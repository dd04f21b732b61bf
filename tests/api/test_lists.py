"""Lists that work at county scale (issue 16, item 2): every list says how many rows its
filters select (total), and every list exports its current view (?format=csv|xlsx: the same
filters and sort, every page) as a sheet people read: the fields' Chinese labels as headers,
enum values by their names, units by name, Beijing time, secrets never.

The register here holds 1,203 terminals (more than two pages of 500), made by one import."""
import csv
import datetime
import io
import re
import zipfile

from harness import ServerTest, run_cli

A = "/api/v1"
N = 1203


def csv_rows(raw):
    """The rows of an exported CSV: UTF-8 with a byte-order mark."""
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def xlsx_rows(raw):
    """The rows of an exported workbook's first sheet (inline strings, as xlsx_write writes)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    rows = []
    for row in re.findall(r"<row [^>]*>(.*?)</row>", xml, re.S):
        cells = {}
        for ref, text in re.findall(r'<c r="([A-Z]+)\d+"[^>]*><is><t[^>]*>(.*?)</t></is></c>', row, re.S):
            col = 0
            for ch in ref:
                col = col * 26 + ord(ch) - 64
            cells[col - 1] = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                              .replace("&amp;", "&"))
        rows.append([cells.get(i, "") for i in range(max(cells) + 1 if cells else 0)])
    return rows


class Lists(ServerTest):
    @classmethod
    def _fixtures(cls):
        s = cls.srv
        cls.own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.other = s.sql("SELECT id FROM units WHERE id <> ? AND status = '已接入' ORDER BY id LIMIT 1",
                          (cls.own,))[0][0]
        names = dict(s.sql("SELECT id, name FROM units"))
        cls.names = names
        lines = ["MAC 地址,所属单位,终端类型,使用人"]
        for i in range(N):
            unit = cls.own if i % 3 == 0 else cls.other
            lines.append("02:10:00:00:%02x:%02x,%s,计算机,用户%d" % (i // 256, i % 256, names[unit], i))
        r = s.as_("admin", "POST", A + "/imports/terminals", raw="\r\n".join(lines).encode("utf-8"),
                  headers={"Content-Type": "text/csv"})
        assert r.status == 201, r
        # a cell a spreadsheet would run as a formula
        r = s.as_("admin", "POST", A + "/terminals", {"mac": "02:10:00:ff:00:01", "unit_id": cls.own,
                                                      "kind": "计算机", "user_name": "=HYPERLINK(1)"})
        assert r.status == 201, r
        cls.schemas = s.as_("admin", "GET", A + "/schemas").json

    def get(self, path, user="admin"):
        return self.srv.as_(user, "GET", A + path)

    def test_every_page_says_the_total_its_filters_select(self):
        s = self.srv
        all_ = s.sql("SELECT count(*) FROM terminals")[0][0]
        r = self.get("/terminals?limit=5")
        self.assertEqual((r.status, len(r.json["items"]), r.json["total"]), (200, 5, all_), r)
        # the next page says the same total
        r2 = self.get("/terminals?limit=5&cursor=" + r.json["next_cursor"])
        self.assertEqual(r2.json["total"], all_)
        own = s.sql("SELECT count(*) FROM terminals WHERE unit_id = ?", (self.own,))[0][0]
        self.assertEqual(self.get("/terminals?limit=1&unit_id=%d" % self.own).json["total"], own)
        # a unit_admin's total is of its own unit's terminals, whatever it asks
        self.assertEqual(self.get("/terminals?limit=1", user="unit").json["total"], own)
        self.assertEqual(self.get("/terminals?limit=1&unit_id=%d" % self.other, user="unit").json["total"], 0)
        q = s.sql("SELECT count(*) FROM terminals WHERE user_name LIKE '%用户12%'")[0][0]
        self.assertEqual(self.get("/terminals?limit=1&q=" + "%E7%94%A8%E6%88%B712").json["total"], q)

    def columns(self, kind):
        """The labels an export of kind heads its columns with: every field a reader sees."""
        return [f["label"] for f in self.schemas[kind]["fields"]
                if not f.get("write_only") and f["name"] != "rev"]

    def test_csv_export_is_the_whole_view_as_people_read_it(self):
        s = self.srv
        r = self.get("/terminals?format=csv&sort=-mac&unit_id=%d" % self.other)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"), r.headers)
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertIn(".csv", r.header("Content-Disposition"))
        rows = csv_rows(r.raw)
        head, body = rows[0], rows[1:]
        self.assertEqual(head, self.columns("terminal"))
        want = s.sql("SELECT mac FROM terminals WHERE unit_id = ? ORDER BY mac DESC", (self.other,))
        self.assertGreater(len(want), 500)  # more than one page
        col = {h: i for i, h in enumerate(head)}
        self.assertEqual([row[col["MAC 地址"]] for row in body], [m for (m,) in want])
        # the unit by its name, booleans and times as people read them
        self.assertEqual({row[col["所属单位"]] for row in body}, {self.names[self.other]})
        self.assertEqual({row[col["涉密"]] for row in body}, {"否"})
        mac, created = s.sql("SELECT mac, created_at FROM terminals WHERE unit_id = ? ORDER BY mac DESC"
                             " LIMIT 1", (self.other,))[0]
        local = datetime.datetime.fromtimestamp(created, datetime.timezone(datetime.timedelta(hours=8)))
        self.assertEqual(body[0][col["创建时间"]], local.strftime("%Y-%m-%d %H:%M:%S"))
        # a blank stays blank (no IP was given), never "0" or "null"
        self.assertEqual({row[col["IP 地址"]] for row in body}, {""})
        self.assertEqual({row[col["最近发现"]] for row in body}, {""})

    def test_a_formula_is_kept_as_text(self):
        rows = csv_rows(self.get("/terminals?format=csv&q=HYPERLINK").raw)
        self.assertEqual(len(rows), 2, rows)
        self.assertIn("'=HYPERLINK(1)", rows[1])

    def test_xlsx_export_has_the_same_rows(self):
        r = self.get("/terminals?format=xlsx&sort=mac")
        self.assertEqual(r.status, 200, r)
        self.assertIn("spreadsheetml", r.header("Content-Type"))
        rows = xlsx_rows(r.raw)
        self.assertEqual(rows[0], self.columns("terminal"))
        macs = [m for (m,) in self.srv.sql("SELECT mac FROM terminals ORDER BY mac")]
        self.assertEqual([row[1] for row in rows[1:]], macs)

    def test_a_unit_admin_exports_only_its_own(self):
        rows = csv_rows(self.get("/terminals?format=csv", user="unit").raw)
        own = self.srv.sql("SELECT count(*) FROM terminals WHERE unit_id = ?", (self.own,))[0][0]
        self.assertEqual(len(rows) - 1, own)
        self.assertEqual({row[rows[0].index("所属单位")] for row in rows[1:]}, {self.names[self.own]})

    def test_codes_are_named_and_secrets_never_leave(self):
        s = self.srv
        c = s.as_("admin", "POST", A + "/prefixes", {"cidr": "10.77.0.0/16", "status": "container"})
        self.assertEqual(c.status, 201, c)
        rows = csv_rows(self.get("/prefixes?format=csv&q=10.77.").raw)
        status = rows[0].index("状态")
        self.assertEqual([row[status] for row in rows[1:]], ["地址池"])
        d = s.as_("admin", "POST", A + "/devices", {"name": "汇聚交换机-导出", "kind": "交换机",
                                                    "owner": "信息中心", "snmp_version": "v2c",
                                                    "snmp_community": "s3cret-community"})
        self.assertEqual(d.status, 201, d)
        for fmt in ("csv", "xlsx"):
            r = self.get("/devices?format=" + fmt)
            self.assertEqual(r.status, 200, r)
            self.assertNotIn(b"s3cret-community", r.raw)
        head = csv_rows(self.get("/devices?format=csv").raw)[0]
        self.assertNotIn("SNMP 团体名", head)
        self.assertEqual(head, self.columns("device"))

    def test_a_bad_format_is_refused_and_changes_nothing(self):
        before = self.srv.counts()
        for bad in ("pdf", "", "CSV", "csv;"):
            self.assertError(self.get("/terminals?format=" + bad), 400, field="format")
        self.assertError(self.get("/terminals?format=csv&sort=nope"), 400, field="sort")
        self.assertEqual(self.srv.counts(), before)


class ListCache(ServerTest):
    """Lists are answered from a per-thread cache while the database is unchanged
    (api/list_cache.c): an answer never outlives a change, made through the API or by another
    process (the CLI), and never reaches another reader."""

    profile = "tongbai"

    def names(self, user="admin", query="/api/v1/units?limit=500&sort=id"):
        r = self.srv.as_(user, "GET", query)
        self.assertEqual(r.status, 200, r)
        return [u["name"] for u in r.json["items"]], r.json["total"]

    def test_a_change_is_seen_at_once(self):
        first, total = self.names()
        for _ in range(20):  # every worker thread has it now
            self.assertEqual(self.names(), (first, total))
        hits = self.srv.as_("admin", "GET", "/api/v1/metrics").raw.decode()
        self.assertRegex(hits, r"zwnet_list_cache_hits_total [1-9]")
        uid = self.srv.sql("SELECT id FROM units ORDER BY id LIMIT 1")[0][0]
        r = self.srv.as_("admin", "PATCH", "/api/v1/units/%d" % uid, {"name": "缓存测试改名单位"})
        self.assertEqual(r.status, 200, r)
        for _ in range(8):
            names, n = self.names()
            self.assertEqual((names[0], n), ("缓存测试改名单位", total))
        # another process writes: the server's cache sees it through SQLite's data version
        run_cli("unit", "add", "--name", "命令行登记的单位", "--type", "其他", "--level", "县直",
                db=self.srv.db)
        for _ in range(8):
            names, n = self.names()
            self.assertEqual((n, names[-1]), (total + 1, "命令行登记的单位"))

    def test_each_reader_gets_its_own_answer(self):
        admin, total = self.names()
        own = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        name = self.srv.sql("SELECT name FROM units WHERE id = ?", (own,))[0][0]
        for _ in range(8):
            self.assertEqual(self.names("unit"), ([name], 1))
            self.assertEqual(self.names(), (admin, total))
        # the same reader, other parameters: another answer
        for _ in range(8):
            self.assertEqual(self.names(query="/api/v1/units?limit=2&sort=id")[0], admin[:2])
