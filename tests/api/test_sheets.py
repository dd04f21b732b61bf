"""Workbooks made the way county offices make them (tests/data/sheets/make.py) imported through
the API: each gives exactly its expected header row, skipped rows, ignored columns, mappings,
written rows and problems by cell, and the register holds the values as registered."""
import os
import sys
import tempfile

from harness import ServerTest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "data", "sheets"))
import make  # noqa: E402

I = "/api/v1/imports/"


class Sheets(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        make.write_all(cls.tmp.name)
        s = cls.srv
        # what the sheets name and the demo county lacks: a zone; and its carrier by the name the
        # office writes (the demo registered 电信 under its full company name)
        assert s.as_("admin", "POST", "/api/v1/zones", {"name": "政务外网区", "code": "gov"}).status == 201
        telecom = s.sql("SELECT id FROM carriers WHERE short_name = '电信'")[0][0]
        assert s.as_("admin", "PATCH", "/api/v1/carriers/%d" % telecom, {"name": "中国电信桐柏分公司"}).status == 200
        assert s.as_("admin", "POST", "/api/v1/vlans", {"vid": 36, "name": "城关镇"}).status == 201
        assert s.as_("admin", "POST", "/api/v1/vlans", {"vid": 37, "name": "城郊乡"}).status == 201

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def post(self, name, q=""):
        kind = make.WORKBOOKS[name][0]
        with open(os.path.join(self.tmp.name, name), "rb") as f:
            return self.srv.as_("admin", "POST", I + kind + q, raw=f.read(),
                                headers={"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})

    def check(self, name, want, rep):
        self.assertEqual(rep["sheet"], want["sheet"], name)
        self.assertEqual(rep["header_row"], want["header_row"], name)
        self.assertEqual([(s["row"], s["reason"]) for s in rep["skipped_rows"]], want.get("skipped", []), name)
        self.assertEqual([c["header"] for c in rep["ignored_columns"]], want.get("ignored", []), name)
        self.assertEqual({(m["header"], m["from"]): m["to"] for m in rep["mappings"]}, want.get("mappings", {}), name)
        self.assertEqual(rep["rows"], want["rows"], name)
        errors = want.get("errors", {})
        got = {e["cell"]: e["message"] for e in rep["errors"]}
        self.assertEqual(set(got), set(errors), (name, rep["errors"]))
        for cell, fragment in errors.items():
            self.assertIn(fragment, got[cell], (name, cell))
        self.assertEqual(rep["good_rows"], want.get("good", want["rows"]), name)

    def test_every_workbook_as_expected_and_stored(self):
        for name, want in make.EXPECT:
            before = self.srv.counts()
            r = self.post(name, "?dry_run=1")
            self.assertEqual(r.status, 200, (name, r))
            self.check(name, want, r.json)
            self.assertEqual(self.srv.counts(), before, name)
            r = self.post(name)
            if want.get("errors"):
                self.assertEqual(r.status, 422, (name, r))
                self.check(name, want, r.json["report"])
                self.assertEqual(self.srv.counts(), before, name)
            else:
                self.assertEqual((r.status, r.json["written"]), (201, want["written"]), (name, r))
        for sql, rows in make.STORED:
            self.assertEqual(self.srv.sql(sql), rows, sql)
        # the problem rows, good rows only: the two good ones written, five refused ones back
        r = self.post("problems.xlsx", "?good_rows_only=1")
        self.assertEqual((r.status, r.json["written"], r.json["refused_rows"]), (201, 2, 5), r)
        import base64
        import io
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(r.json["refused_file"]["base64"])))
        rows = list(wb.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][-2:], ("问题", "原行号"))
        self.assertEqual([row[-1] for row in rows[1:]], ["3", "4", "5", "6", "7"])
        self.assertIn("与本文件第 2 行重复", rows[1][-2])
