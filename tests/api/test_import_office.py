"""Sheets as offices keep them, in CSV (the workbooks themselves are test_sheets.py): a title
above the header, columns we do not know, the headers and values offices write, full-width
text, every problem of every row at its cell, duplicates inside the file, notes rows, GBK,
good rows only, and the CLI."""
import base64
import io
import os
import tempfile

from harness import ServerTest

I = "/api/v1/imports/"


class OfficeCsv(ServerTest):
    def post(self, kind, text, q="", user="admin", raw=None):
        return self.srv.as_(user, "POST", I + kind + q, raw=raw if raw is not None else text.encode("utf-8"),
                            headers={"Content-Type": "text/csv"})

    def unit(self, i):
        return self.srv.sql("SELECT name FROM units WHERE id = ?", (i,))[0][0]

    def register(self):
        u = self.unit(2)
        self.srv.as_("admin", "POST", "/api/v1/prefixes", {"cidr": "10.203.3.0/24", "status": "active", "unit_id": 2})
        return u, ("XX县政务外网终端登记表,,,,,,\n"
                   "填报单位：%s,,,,,,\n"
                   "序号,物理地址,IP 地址,所属单位,设备类型,使用人,安装位置\n"
                   "1,００：１Ａ：２Ｂ：６０：００：０１,１０.２０３.３.１３ ,%s,台式机,张三,二楼\n"
                   "2,00-1A-2B-60-00-02,,%s,笔记本,李四,三楼\n"
                   ",,,,,,\n"
                   "3,001a.2b60.0003,,%s,计算机,王五,\n"
                   "4,,,,,,\n"
                   "注：本表由各单位网络管理员填写,,,,,,\n" % (u, u, u, u))

    def test_title_rows_ignored_columns_synonyms_mappings_full_width(self):
        u, csv = self.register()
        r = self.post("terminals", csv, "?dry_run=1")
        self.assertEqual(r.status, 200, r)
        rep = r.json
        self.assertEqual(rep["header_row"], 3)
        self.assertEqual([(s["row"], s["reason"]) for s in rep["skipped_rows"]],
                         [(1, "title"), (2, "title"), (9, "notes")])
        self.assertEqual(rep["skipped_rows"][1]["text"], "填报单位：%s" % u)
        self.assertEqual(rep["ignored_columns"], [{"column": "A", "header": "序号"}])
        self.assertEqual({c["header"]: c["field"] for c in rep["columns"]},
                         {"物理地址": "mac", "IP 地址": "ip", "所属单位": "unit_id", "设备类型": "kind",
                          "使用人": "user_name", "安装位置": "location"})
        self.assertEqual(sorted((m["from"], m["to"], m["count"]) for m in rep["mappings"]),
                         [("台式机", "计算机", 1), ("笔记本", "计算机", 1)])
        self.assertEqual((rep["rows"], rep["good_rows"], rep["error_count"]), (3, 3, 0), rep["errors"])
        r = self.post("terminals", csv)
        self.assertEqual((r.status, r.json["written"]), (201, 3), r)
        got = self.srv.sql("SELECT mac, ip, kind, location FROM terminals WHERE mac LIKE '00:1a:2b:60:00:0%'"
                           " ORDER BY mac")
        self.assertEqual(got, [("00:1a:2b:60:00:01", "10.203.3.13", "计算机", "二楼"),
                               ("00:1a:2b:60:00:02", None, "计算机", "三楼"),
                               ("00:1a:2b:60:00:03", None, "计算机", "")])

    def test_every_problem_of_every_row_at_its_cell(self):
        u = self.unit(2)
        p = self.srv.as_("admin", "POST", "/api/v1/prefixes", {"cidr": "10.200.0.0/24", "status": "active", "unit_id": 2})
        self.assertEqual(p.status, 201, p)
        taken = self.srv.as_("admin", "POST", "/api/v1/terminals",
                             {"mac": "02:00:00:00:61:99", "ip": "10.200.0.9", "unit_id": 2, "kind": "计算机"})
        self.assertEqual(taken.status, 201, taken)
        csv = ("序号,MAC 地址,IP地址,单位,终端类型,病毒库日期,涉密\n"
               "1,02:00:00:00:61:01,10.200.0.1,%s,台式机,2025年10月31日,否\n"   # row 2 fine
               "2,bad-mac,10.200.0.300,不存在的单位,传真机,2025-13-45,也许\n"  # row 3: six problems
               "3,02-00-00-00-61-01,10.200.0.1,%s,计算机,,否\n"                # row 4: MAC and IP of row 2
               "4,02:00:00:00:61:04,10.200.0.9,%s,计算机,,否\n"                # row 5: IP registered
               "5,,,%s,计算机,,否\n"                                          # row 6: MAC missing
               % (u, u, u, u))
        before = self.srv.counts()
        r = self.post("terminals", csv)
        self.assertError(r, 422, field="file")
        rep = r.json["report"]
        got = {(e["row"], e["cell"], e["column"]) for e in rep["errors"]}
        self.assertEqual(got, {(3, "B3", "MAC 地址"), (3, "C3", "IP地址"), (3, "D3", "单位"), (3, "E3", "终端类型"),
                               (3, "F3", "病毒库日期"), (3, "G3", "涉密"),
                               (4, "B4", "MAC 地址"), (4, "C4", "IP地址"),
                               (5, "C5", "IP地址"), (6, "B6", "MAC 地址")})
        msg = {e["cell"]: e["message"] for e in rep["errors"]}
        self.assertIn("与本文件第 2 行重复", msg["B4"])
        self.assertIn("与本文件第 2 行重复", msg["C4"])
        self.assertIn("不存在的单位", msg["D3"])
        self.assertIn("计算机", msg["E3"])          # the values it may take
        self.assertIn("10.200.0.9", msg["C5"])      # the register's own refusal names the address
        self.assertNotIn("已存在", msg["B4"])
        self.assertEqual((rep["rows"], rep["good_rows"], rep["refused_rows"], rep["written"]), (5, 1, 4, 0))
        self.assertEqual(self.srv.counts(), before)
        self.assertIn("4 行", r.json["error"]["message"])

    def test_good_rows_only_writes_them_and_returns_the_refused_as_a_workbook(self):
        import openpyxl
        u = self.unit(2)
        csv = ("登记表\n"
               "MAC,单位,终端类型,备注\n"
               "02:00:00:00:62:01,%s,计算机,甲\n"
               "02:00:00:00:62:02,没有这个单位,计算机,乙\n"
               "02:00:00:00:62:03,%s,传真机,丙\n"
               "02:00:00:00:62:04,%s,打印机,丁\n" % (u, u, u))
        r = self.post("terminals", csv, "?good_rows_only=1&dry_run=1")
        self.assertEqual((r.status, r.json["good_rows"], r.json["written"], r.json["refused_file"]),
                         (200, 2, 0, None), r)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM terminals WHERE mac LIKE '02:00:00:00:62:%'"), [(0,)])
        r = self.post("terminals", csv, "?good_rows_only=1")
        self.assertEqual((r.status, r.json["written"], r.json["refused_rows"]), (201, 2, 2), r)
        self.assertEqual(self.srv.sql("SELECT mac FROM terminals WHERE mac LIKE '02:00:00:00:62:%' ORDER BY mac"),
                         [("02:00:00:00:62:01",), ("02:00:00:00:62:04",)])
        f = r.json["refused_file"]
        self.assertTrue(f["name"].endswith(".xlsx"))
        wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(f["base64"])))
        rows = [[c if c is not None else "" for c in row] for row in wb.active.iter_rows(values_only=True)]
        self.assertEqual(rows[0], ["MAC", "单位", "终端类型", "备注", "问题", "原行号"])
        self.assertEqual([row[:4] for row in rows[1:]],
                         [["02:00:00:00:62:02", "没有这个单位", "计算机", "乙"],
                          ["02:00:00:00:62:03", u, "传真机", "丙"]])
        self.assertIn("单位：", rows[1][4])
        self.assertIn("传真机", rows[2][4])
        self.assertEqual([row[5] for row in rows[1:]], ["4", "5"])
        # the clerk corrects the refused workbook and imports it: the 问题 and 原行号 columns are
        # not fields and are left out
        ws = wb.active
        ws["B2"] = u
        ws["C3"] = "计算机"
        out = io.BytesIO()
        wb.save(out)
        r = self.srv.as_("admin", "POST", I + "terminals", raw=out.getvalue(),
                         headers={"Content-Type": "application/octet-stream"})
        self.assertEqual((r.status, r.json["written"]), (201, 2), r)
        self.assertEqual([c["header"] for c in r.json["ignored_columns"]], ["问题", "原行号"])

    def test_gbk_csv_as_excel_saves_it(self):
        u = self.unit(2)
        text = ("MAC地址,所属单位,终端类型,使用人\r\n02:00:00:00:63:01,%s,计算机,赵六\r\n" % u).encode("gb18030")
        r = self.post("terminals", None, raw=text)
        self.assertEqual((r.status, r.json["encoding"], r.json["written"]), (201, "GB18030", 1), r)
        self.assertEqual(self.srv.sql("SELECT user_name FROM terminals WHERE mac = '02:00:00:00:63:01'"),
                         [("赵六",)])

    def test_contacts_devices_lines_and_addresses(self):
        u = self.unit(2)
        r = self.post("contacts", "单位,联系人角色,姓名,手机,邮箱\n%s,网管,钱七,13800138001,q7@example.cn\n" % u)
        self.assertEqual((r.status, r.json["written"]), (201, 1), r)
        self.assertEqual(self.srv.sql("SELECT role, name FROM contacts WHERE mobile = '13800138001'"),
                         [("网络管理员", "钱七")])
        # a contact belongs to a unit: a sheet without the column is refused naming it
        e = self.assertError(self.post("contacts", "联系人角色,姓名,手机\n网管,钱八,13800138009\n"), 400, field="file")
        self.assertIn("单位", e["message"])
        r = self.post("devices", "设备名称,设备类型,产权,所在单位,管理IP\n测试汇聚交换机,接入交换机,中心,%s,10.201.0.2\n" % u)
        self.assertEqual((r.status, r.json["written"]), (201, 1), r)
        self.assertEqual(self.srv.sql("SELECT kind, owner FROM devices WHERE name = '测试汇聚交换机'"),
                         [("交换机", "信息中心")])
        c = self.srv.as_("admin", "POST", "/api/v1/carriers", {"name": "导入测试运营商"})
        self.assertEqual(c.status, 201, c)
        r = self.post("lines", "线路编号,运营商,使用单位,带宽,费用承担,线路状态\nIMP-0001,导入测试运营商,%s,100,中心,使用中\n" % u)
        self.assertEqual((r.status, r.json["written"]), (201, 1), r)
        self.assertEqual(self.srv.sql("SELECT payer, status FROM lines WHERE circuit_id = 'IMP-0001'"),
                         [("管理单位", "在用")])
        self.srv.as_("admin", "POST", "/api/v1/prefixes", {"cidr": "10.202.0.0/24", "status": "active", "unit_id": 2})
        r = self.post("addresses", "网段,IP地址,地址类型,主机名\n10.202.0.0/24,10.202.0.20,固定IP,imp-pc-20\n")
        self.assertEqual((r.status, r.json["written"]), (201, 1), r)
        self.assertEqual(self.srv.sql("SELECT kind, hostname FROM addresses WHERE address = '10.202.0.20'"),
                         [("静态", "imp-pc-20")])

    def test_kinds_template_and_export_round_trip(self):
        import openpyxl
        r = self.srv.as_("admin", "GET", "/api/v1/imports")
        self.assertEqual(r.status, 200, r)
        kinds = {k["kind"]: k for k in r.json}
        self.assertEqual(set(kinds), {"units", "contacts", "prefixes", "addresses", "terminals", "devices", "lines"})
        mac = [c for c in kinds["terminals"]["columns"] if c["field"] == "mac"][0]
        self.assertTrue(mac["required"])
        self.assertIn("物理地址", mac["synonyms"])
        for k in kinds:
            r = self.srv.as_("admin", "GET", I + k + "/template")
            self.assertEqual(r.status, 200, (k, r))
            wb = openpyxl.load_workbook(io.BytesIO(r.raw))
            ws = wb.worksheets[0]
            head = [c.value for c in ws[1]]
            self.assertEqual(head, [c["header"] for c in kinds[k]["columns"]])
            self.assertTrue(any(c.value for c in ws[2]), k)  # a sample row
            self.assertIn("填表说明", wb.sheetnames)
            enums = [i for i, c in enumerate(kinds[k]["columns"]) if c["values"]]
            if enums:
                self.assertTrue(ws.data_validations.dataValidation, k)
        # export -> edit -> import: the exported terminals read back as the same rows
        r = self.srv.as_("admin", "GET", I + "terminals/export")
        self.assertEqual(r.status, 200, r)
        wb = openpyxl.load_workbook(io.BytesIO(r.raw))
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        n = self.srv.sql("SELECT count(*) FROM terminals")[0][0]
        self.assertEqual(len(rows) - 1, n)
        # re-importing the export unchanged: every row is already registered, said per row
        r = self.srv.as_("admin", "POST", I + "terminals?dry_run=1", raw=r.raw,
                         headers={"Content-Type": "application/octet-stream"})
        self.assertEqual((r.status, r.json["rows"], r.json["good_rows"]), (200, n, 0), r)
        # edited: new MACs, no IPs (those are taken): the same values are registered again
        ws = wb.worksheets[0]
        head = [c.value for c in ws[1]]
        mc, ic = head.index("MAC 地址") + 1, head.index("IP 地址") + 1
        old = {}
        for i in range(2, ws.max_row + 1):
            new = "02:00:00:65:%02x:%02x" % (i // 256, i % 256)
            old[new] = ws.cell(i, mc).value
            ws.cell(i, mc).value = new
            ws.cell(i, ic).value = None
        out = io.BytesIO()
        wb.save(out)
        r = self.srv.as_("admin", "POST", I + "terminals", raw=out.getvalue(),
                         headers={"Content-Type": "application/octet-stream"})
        self.assertEqual((r.status, r.json["written"]), (201, n), r)
        cols = "unit_id, user_name, location, kind, os, antivirus, av_signature_date, patch_date, " \
               "plugin_installed, classified, note"
        for new, was in old.items():
            self.assertEqual(self.srv.sql("SELECT %s FROM terminals WHERE mac = ?" % cols, (new,)),
                             self.srv.sql("SELECT %s FROM terminals WHERE mac = ?" % cols, (was,)), new)

    def test_cli_import(self):
        from harness import run_cli
        u = self.unit(2)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write("标题\nMAC,单位,终端类型\n02:00:00:00:64:01,%s,台式机\n02:00:00:00:64:02,无此单位,计算机\n" % u)
            refused = os.path.join(d, "refused.xlsx")
            p = run_cli("import", "terminals", path, "--good-rows-only", "--refused", refused,
                        db=self.srv.db, check=False)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("跳过第 1 行（标题）", p.stdout)
            self.assertIn("写入 1 行", p.stdout)
            self.assertIn("第 4 行 B4 单位", p.stdout)
            self.assertTrue(os.path.getsize(refused) > 0)
            p = run_cli("import", "terminals", path, "--dry-run", db=self.srv.db, check=False)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("第 3 行 A3 MAC", p.stdout)  # written by the first run
        self.assertEqual(self.srv.sql("SELECT count(*) FROM terminals WHERE mac LIKE '02:00:00:00:64:%'"), [(1,)])

    def test_long_chinese_text_is_cut_between_characters(self):
        """Issue 14: a 20-character title cut at byte 40 broke a character and the answer was
        a 500. A header is now listed whole; a message quoting a long text cuts it between
        characters."""
        long = "政务外网终端登记表（二〇二五年第四季度更新）备用列"
        r = self.post("terminals", "MAC,单位,终端类型,%s\n" % long, "?dry_run=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["ignored_columns"], [{"column": "D", "header": long}])
        key = "未知字段名称" * 5
        r = self.srv.as_("admin", "PATCH", "/api/v1/users/1", {key: 1})
        self.assertEqual(r.status, 400, r)
        msg = r.json["error"]["message"]
        self.assertNotIn("?", msg)
        self.assertNotIn("\ufffd", msg)
        quoted = msg.split("“", 1)[1].split("”", 1)[0]
        self.assertTrue(key.startswith(quoted) and 10 <= len(quoted) < len(key), msg)

    def test_county_words_file_extends_and_is_checked(self):
        from harness import run_cli
        u = self.unit(2)
        with tempfile.TemporaryDirectory() as d:
            sheet = os.path.join(d, "t.csv")
            with open(sheet, "w", encoding="utf-8") as f:
                f.write("终端物理码,单位,终端类型\n02:00:00:00:66:01,%s,工作站\n" % u)
            good = os.path.join(d, "good.conf")
            with open(good, "w", encoding="utf-8") as f:
                f.write("[kind terminals]\ncolumn.mac = 终端物理码\nvalue.kind = 工作站 -> 计算机\n")
            # without the county's words the header is unknown
            p = run_cli("import", "terminals", sheet, "--dry-run", db=self.srv.db, check=False)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("MAC 地址", p.stdout + p.stderr)
            p = run_cli("import", "terminals", sheet, "--import-words", good, db=self.srv.db, check=False)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("“工作站”按“计算机”登记", p.stdout)
            # a word naming a value, a field or a kind that does not exist stops with file:line
            for body, said in [("[kind terminals]\nvalue.kind = 工作站 -> 超级计算机\n", "超级计算机"),
                               ("[kind terminals]\ncolumn.colour = 颜色\n", "colour"),
                               ("[kind vehicles]\ncolumn.mac = 车牌\n", "vehicles")]:
                bad = os.path.join(d, "bad.conf")
                with open(bad, "w", encoding="utf-8") as f:
                    f.write(body)
                p = run_cli("import", "terminals", sheet, "--import-words", bad, db=self.srv.db, check=False)
                self.assertNotEqual(p.returncode, 0, body)
                self.assertIn(bad + ":2", p.stderr, body)
                self.assertIn(said, p.stderr, body)

    def test_a_long_value_quoted_in_a_problem_is_cut_between_characters(self):
        """A cell's value quoted in its problem ("找不到单位“…”", "终端类型“…”不是可选的值")
        went into a 300-byte buffer whole; a long Chinese value was cut inside a character
        and the problem fell out of the report, whose JSON cannot carry it."""
        unit = "A" + "不存在的单位名称" * 15       # 121 characters, 361 bytes
        kind = "b" + "传真机" * 40                # 121 characters, 361 bytes
        csv = "MAC 地址,单位,终端类型\n02:00:00:00:62:01,%s,%s\n" % (unit, kind)
        r = self.post("terminals", csv, "?dry_run=1")
        self.assertEqual(r.status, 200, r)
        r.raw.decode("utf-8")
        msg = {e["cell"]: e["message"] for e in r.json["errors"]}
        self.assertEqual(set(msg), {"B2", "C2"}, r.json["errors"])
        for cell, value in (("B2", unit), ("C2", kind)):
            self.assertNotIn("?", msg[cell])
            quoted = msg[cell].split("“", 1)[1].split("”", 1)[0]
            self.assertTrue(value.startswith(quoted) and len(quoted) >= 40, msg[cell])
