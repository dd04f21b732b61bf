"""Importing existing spreadsheets (CSV): Chinese or English headers, names for references,
every problem by row and column, all rows or none, dry runs."""
from harness import ServerTest

I = "/api/v1/imports/"


class Import(ServerTest):
    def post(self, kind, text, dry=False, user="admin", ctype="text/csv; charset=utf-8"):
        q = "?dry_run=1" if dry else ""
        return self.srv.as_(user, "POST", I + kind + q, raw=text.encode("utf-8"),
                            headers={"Content-Type": ctype})

    def unit_name(self, uid):
        return self.srv.sql("SELECT name FROM units WHERE id = ?", (uid,))[0][0]

    def test_terminals_dry_run_then_real(self):
        u2, u3 = self.unit_name(2), self.unit_name(3)
        csv = ("\ufeffMAC地址,IP 地址,单位名称,使用人,终端类型,防病毒软件\r\n"
               "AABB.CC00.0001,,%s,张三,计算机,某杀毒\r\n"
               "aa-bb-cc-00-00-02,,%s,李四,打印机,\r\n"
               "\"AABBCC000003\",,%s,\"王五, 办公室\",计算机,某杀毒\r\n" % (u2, u2, u3))
        before = self.srv.counts()
        r = self.post("terminals", csv, dry=True)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["rows"], r.json["written"], r.json["errors"]), (3, 0, []))
        self.assertEqual(self.srv.counts(), before)
        r = self.post("terminals", csv)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["written"], 3)
        rows = self.srv.sql("SELECT mac, user_name FROM terminals WHERE mac LIKE 'aa:bb:cc:00:00:0%' ORDER BY mac")
        self.assertEqual(rows, [("aa:bb:cc:00:00:01", "张三"), ("aa:bb:cc:00:00:02", "李四"),
                                ("aa:bb:cc:00:00:03", "王五, 办公室")])
        self.assertEqual(self.srv.counts()["audit"], before["audit"] + 3)

    def test_broken_rows_reported_by_row_and_column_nothing_written(self):
        u2 = self.unit_name(2)
        csv = ("MAC,单位,终端类型,涉密\n"
               "02:00:00:00:10:01,%s,计算机,否\n"     # row 2: fine
               "not-a-mac,%s,计算机,否\n"             # row 3: bad MAC
               "02:00:00:00:10:03,不存在的单位,计算机,否\n"  # row 4: unknown unit
               "02-00-00-00-10-01,%s,计算机,否\n"     # row 5: same MAC as row 2
               "02:00:00:00:10:05,%s,传真机,否\n"     # row 6: unknown kind
               "02:00:00:00:10:06,%s,计算机,是\n"     # row 7: classified (TB-19)
               % (u2, u2, u2, u2, u2))
        self.srv.login("admin")
        before = self.srv.counts()
        r = self.post("terminals", csv)
        self.assertError(r, 422, field="file")
        errs = {(e["row"], e["column"]) for e in r.json["report"]["errors"]}
        self.assertEqual(errs, {(3, "MAC"), (4, "单位"), (5, "MAC"), (6, "终端类型"), (7, "涉密")})
        self.assertEqual(r.json["report"]["written"], 0)
        self.assertEqual(self.srv.counts(), before)

    def test_units_and_prefixes_with_names(self):
        units = ("单位名称,简称,单位类型,单位层级,上级单位,办公地址\n"
                 "导入测试镇人民政府,导入镇,党政机关,乡镇,,某路1号\n"
                 "导入测试村民委员会,导入村,其他,村/社区,导入测试镇人民政府,\n")
        r = self.post("units", units)
        self.assertEqual(r.status, 201, r)
        town = self.srv.sql("SELECT id FROM units WHERE name = '导入测试镇人民政府'")[0][0]
        self.assertEqual(self.srv.sql("SELECT parent_id, status FROM units WHERE name = '导入测试村民委员会'"),
                         [(town, "申请中")])
        self.srv.as_("admin", "POST", "/api/v1/zones", {"name": "导入区", "code": "imp"})
        prefixes = ("网段,状态,区域,使用单位,网关\n"
                    "10.88.0.0/16,container,导入区,,\n"
                    "10.88.1.0/24,active,imp,导入镇,10.88.1.1\n")
        r = self.post("prefixes", prefixes)
        self.assertEqual(r.status, 201, r)
        rows = self.srv.sql("SELECT cidr, unit_id, parent_id IS NOT NULL, zone_id IS NOT NULL FROM prefixes"
                            " WHERE cidr LIKE '10.88.%' ORDER BY length")
        self.assertEqual(rows, [("10.88.0.0/16", None, 0, 1), ("10.88.1.0/24", town, 1, 1)])

    def test_file_level_refusals(self):
        self.srv.login("admin")
        self.srv.login("ops")
        before = self.srv.counts()
        # no row names two known columns: no header, the file is refused saying what a header is
        r = self.post("terminals", "颜色,尺寸\n红,大\n")
        e = self.assertError(r, 400, field="file")
        self.assertIn("找不到表头", e["message"])
        # a header without a required column: refused naming it
        r = self.post("terminals", "MAC,颜色,单位\n02:00:00:00:20:01,红,x\n")
        e = self.assertError(r, 400, field="file")
        self.assertIn("终端类型", e["message"])
        # two columns meaning one field
        e = self.assertError(self.post("terminals", "MAC,物理地址,单位,终端类型\n"), 400, field="file")
        self.assertIn("都是MAC 地址", e["message"])
        self.assertError(self.post("terminals", ""), 400, field="file")
        self.assertError(self.post("terminals", "MAC,单位\n\"unclosed,1\n"), 400, field="file")
        self.assertError(self.srv.as_("admin", "POST", I + "terminals", raw=b"MAC\n\xff\xff\n",
                                      headers={"Content-Type": "text/csv"}), 400, field="file")
        self.assertError(self.post("terminals", "{}", ctype="application/json"), 415)
        self.assertError(self.post("vehicles", "name\nx\n"), 404, field="kind")
        self.assertError(self.post("terminals", "MAC\n", dry=False, user="ops"), 403)
        self.assertError(self.srv.as_("admin", "POST", I + "terminals?dry_run=maybe", raw=b"MAC\n",
                                      headers={"Content-Type": "text/csv"}), 400, field="dry_run")
        self.assertEqual(self.srv.counts(), before)

    def test_unit_admin_imports_only_its_own_units_terminals(self):
        own = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        other = 2 if own != 2 else 3
        self.srv.login("unit")
        before = self.srv.counts()
        csv = "MAC,unit_id,终端类型\n02:00:00:00:30:01,%d,计算机\n02:00:00:00:30:02,%d,计算机\n" % (own, other)
        r = self.post("terminals", csv, user="unit")
        self.assertError(r, 422)
        self.assertEqual([e["row"] for e in r.json["report"]["errors"]], [3])
        self.assertEqual(self.srv.counts(), before)
        r = self.post("terminals", "MAC,unit_id,终端类型\n02:00:00:00:30:01,%d,计算机\n" % own, user="unit")
        self.assertEqual(r.status, 201, r)


def make_xlsx(rows, shared=True, doctype=False, sheet_name="sheet1.xml", sheet_edit=None):
    """A minimal workbook as a spreadsheet program writes it: shared strings, numbers."""
    import io
    import zipfile
    from xml.sax.saxutils import escape
    strings, cells_xml = [], []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = "%s%d" % (chr(ord("A") + c), r)
            if v is None:
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif shared:
                strings.append(v)
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, len(strings) - 1))
            else:
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
        cells_xml.append('<row r="%d">%s</row>' % (r, "".join(cells)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    dt = '<!DOCTYPE x [<!ENTITY a "aaaa">]>' if doctype else ""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook %s %s><sheets>'
                   '<sheet name="终端" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="worksheet" Target="worksheets/%s"/></Relationships>' % sheet_name)
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst %s>%s</sst>' % (
            ns, "".join("<si><t>%s</t></si>" % escape(s) for s in strings)))
        sheet = ('<?xml version="1.0"?>%s<worksheet %s><sheetData>%s</sheetData></worksheet>'
                 % (dt, ns, "".join(cells_xml)))
        z.writestr("xl/worksheets/" + sheet_name, sheet_edit(sheet) if sheet_edit else sheet)
    return b.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportXlsx(ServerTest):
    def post(self, data, dry=False):
        return self.srv.as_("admin", "POST", "/api/v1/imports/terminals" + ("?dry_run=1" if dry else ""),
                            raw=data, headers={"Content-Type": XLSX})

    def test_workbook_with_shared_strings_numbers_and_dates(self):
        u2 = self.srv.sql("SELECT name FROM units WHERE id = 2")[0][0]
        rows = [["MAC地址", "单位名称", "终端类型", "补丁日期", "使用人"],
                ["02:00:00:00:40:01", u2, "计算机", 45962, "甲"],      # 45962 = 2025-11-01
                ["02:00:00:00:40:02", u2, "打印机", "2025-11-02", None]]
        r = self.post(make_xlsx(rows, sheet_name="data.xml"))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["written"], 2)
        got = self.srv.sql("SELECT mac, patch_date, user_name FROM terminals WHERE mac LIKE '02:00:00:00:40:%'"
                           " ORDER BY mac")
        self.assertEqual(got, [("02:00:00:00:40:01", "2025-11-01", "甲"), ("02:00:00:00:40:02", "2025-11-02", "")])
        r = self.post(make_xlsx([["MAC", "单位", "终端类型"], ["02:00:00:00:40:03", u2, "计算机"]], shared=False),
                      dry=True)
        self.assertEqual((r.status, r.json["rows"], r.json["errors"]), (200, 1, []))

    def test_hostile_or_broken_workbooks_refused(self):
        self.srv.login("admin")
        before = self.srv.counts()
        rows = [["MAC", "单位", "终端类型"], ["02:00:00:00:41:01", "x", "计算机"]]
        e = self.assertError(self.post(make_xlsx(rows, doctype=True)), 400, field="file")
        self.assertIn("文档类型", e["message"])
        self.assertError(self.post(b"PK\x03\x04 not really a zip"), 400, field="file")
        bad = make_xlsx(rows)[:-40]  # truncated archive
        self.assertError(self.post(bad), 400, field="file")
        # numbers in the sheet's markup are read whole and in range, or the file is refused
        for old, new, said in [('<row r="2">', '<row r="2x">', "行号“2x”"),
                               ('<row r="2">', '<row r="0">', "行号“0”"),
                               ('<v>3</v>', '<v>3 </v>', "共享字符串编号“3 ”"),
                               ('<v>3</v>', '<v>99</v>', "共享字符串编号“99”")]:
            e = self.assertError(self.post(make_xlsx(rows, sheet_edit=lambda x: x.replace(old, new, 1))),
                                 400, field="file")
            self.assertIn(said, e["message"])
        self.assertEqual(self.srv.counts(), before)
