"""Printable documents (issue 4): the 接入申请表 and 变更申请表 of TB 附件1/附件2 filled from the
application, forms of the other kinds, approval and rejection notices citing the clause and the
deadline, and the JX 附件1/附件2 agreements with the unit filled in; as HTML pages and as PDF
files checked with pdftotext (Debian's poppler-utils)."""

import ipaddress
import os
import re
import subprocess
import tempfile
import time

from harness import ServerTest, run_cli
from test_applications import Flow

A = "/api/v1/applications"


def pdf_text(raw, crop=None):
    """The text of a PDF, whitespace removed (pdftotext wraps and spaces table cells); crop
    (x, y, w, h in points) reads only that area of each page."""
    area = []
    if crop:
        area = ["-r", "72"] + [a for k, v in zip(("-x", "-y", "-W", "-H"), crop)
                               for a in (k, str(v))]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(raw)
        f.flush()
        out = subprocess.run(["pdftotext", "-enc", "UTF-8"] + area + [f.name, "-"], check=True,
                             capture_output=True).stdout.decode("utf-8")
    return "".join(out.split())


def pdf_pages(raw):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(raw)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True).stdout
    for line in out.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("no page count")


def cn_date(iso):
    y, m, d = (int(x) for x in iso[:10].split("-"))
    return "%d年%d月%d日" % (y, m, d)


def beijing_today():
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))


class Docs(Flow):
    """Flow's transitions, and units whose name the documents must show."""

    n = 0

    @classmethod
    def named_unit(cls, user="admin"):
        Docs.n += 1
        r = cls.srv.as_(user, "POST", "/api/v1/units",
                        {"name": "文书测试单位%d-%d" % (os.getpid(), Docs.n), "type": "事业单位",
                         "level": "县直", "address": "城关镇文书路%d号" % Docs.n})
        assert r.status == 201, r
        return r.json["id"], r.json["name"]

    def get(self, path, user="admin", status=200):
        r = self.srv.as_(user, "GET", path)
        self.assertEqual(r.status, status, r)
        return r

    def html(self, path, user="admin"):
        r = self.get(path, user)
        self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8")
        text = r.raw.decode("utf-8")
        self.assertIn("@media print", text)  # the print CSS
        self.assertIn("@page{size:A4", text)
        return text

    def pdf(self, path, user="admin"):
        r = self.get(path + ("&" if "?" in path else "?") + "format=pdf", user)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertTrue(r.raw.startswith(b"%PDF-"), r.raw[:20])
        self.assertIn("filename*=UTF-8''", r.header("Content-Disposition"))
        return r.raw



class DocumentsTongbai(Docs, ServerTest):
    profile = "tongbai"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.srv.as_("admin", "POST", "/api/v1/zones", {"name": "文书区域", "code": "docs"})
        cls.zone = r.json["id"]
        r = cls.srv.as_("admin", "POST", "/api/v1/prefixes",
                        {"cidr": "10.91.0.0/16", "status": "container", "zone_id": cls.zone})
        assert r.status == 201, r
        r = cls.srv.as_("admin", "POST", "/api/v1/carriers", {"name": "中国联通桐柏分公司"})
        cls.carrier = r.json["id"]

    def access(self, unit, **kw):
        b = {"kind": "access", "unit_id": unit, "user_type": "其他", "user_type_other": "群团组织",
             "address": "城关镇新华路8号", "admin_name": "赵网管", "admin_mobile": "13900000011",
             "tech_name": "钱技术", "tech_mobile": "13900000012", "ip_count": 30,
             "bandwidth_mbps": 50, "purpose": "公文流转与视频会议"}
        b.update(kw)
        r = self.srv.as_("admin", "POST", A, b)
        self.assertEqual(r.status, 201, r)
        return r.json

    def approved(self):
        unit, name = self.named_unit()
        app = self.access(unit)
        app = self.tr(app["id"], "approve", zone_id=self.zone, carrier_id=self.carrier,
                      reason="材料齐全")
        cidr = self.srv.sql("SELECT cidr FROM prefixes WHERE id = ?", (app["prefix_id"],))[0][0]
        return app, name, cidr

    def test_access_form_follows_annex_1(self):
        app, name, cidr = self.approved()
        path = "%s/%d/form" % (A, app["id"])
        h = self.html(path)
        for want in ("附件1", "桐柏县电子政务外网接入申请表", "使用单位基本信息", name, "□党政机关",
                     "□事业单位", "☑其他：群团组织", "城关镇新华路8号", "赵网管", "13900000011",
                     "钱技术", "30", "50 Mbps", "公文流转与视频会议", "申请业务内容", "管理单位意见",
                     "IP地址分配", cidr, "同意。材料齐全", "管理单位意见及签章",
                     "备注：此表一式两份，管理单位和使用单位各一份。", "第十三条（TB-13）",
                     "3个工作日", "7个工作日", "已按期完成"):
            self.assertIn(want, h, want)
        t = pdf_text(self.pdf(path))
        for want in ("附件1", "桐柏县电子政务外网接入申请表", name, "☑其他：群团组织", "赵网管",
                     "13900000011", cidr, "同意。材料齐全", "TB-13", "此表一式两份"):
            self.assertIn(want, t, want)
        self.assertEqual(pdf_pages(self.pdf(path)), 1)

    def test_pending_form_leaves_the_opinion_blank(self):
        unit, name = self.named_unit()
        app = self.access(unit, user_type="党政机关")
        h = self.html("%s/%d/form" % (A, app["id"]))
        self.assertIn("☑党政机关", h)
        self.assertIn("状态：已提交", h)
        self.assertNotIn("同意。", h)
        self.assertIn("年　　月　　日", h)  # the manager's date still to be written
        self.assertIn("进行中", h)  # the review deadline is running

    def test_approval_notice_cites_clause_and_deadlines(self):
        app, name, cidr = self.approved()
        review = [d for d in app["deadlines"] if d["rule"] == "access_review"][0]
        impl = [d for d in app["deadlines"] if d["rule"] == "access_implement"][0]
        raw = self.pdf("%s/%d/notice" % (A, app["id"]))
        t = pdf_text(raw)
        for want in ("接入申请审核通过通知书", name + "：", "同意你单位接入桐柏县政务外网", cidr,
                     "《桐柏县电子政务外网管理办法（征求意见稿）》第十三条（TB-13）",
                     "审核期限为3个工作日（截至%s）" % cn_date(review["due_date"]),
                     "请中国联通桐柏分公司在7个工作日（截至%s）" % cn_date(impl["due_date"]), "期限暂停计算",
                     "桐柏县行政审批和政务信息管理局", cn_date(beijing_today()), "特此通知",
                     "附：", "合规性"):
            self.assertIn(want.replace(" ", ""), t, want)
        h = self.html("%s/%d/notice" % (A, app["id"]))
        self.assertIn("审核通过通知书", h)
        self.assertIn(name, h)

    def test_rejection_notice_gives_the_reason(self):
        unit, name = self.named_unit()
        app = self.access(unit)
        self.tr(app["id"], "reject", reason="IP数量与单位规模不符，请核减后重新申请")
        t = pdf_text(self.pdf("%s/%d/notice" % (A, app["id"])))
        for want in ("接入申请不予通过通知书", name, "不予通过。理由：IP数量与单位规模不符，请核减后重新申请",
                     "TB-13", "重新提出申请"):
            self.assertIn(want, t, want)
        self.assertNotIn("完成实施", t)  # no implementation after a rejection
        form = self.html("%s/%d/form" % (A, app["id"]))
        self.assertIn("不同意。理由：IP数量与单位规模不符", form)

    def test_no_notice_before_the_decision(self):
        unit, _ = self.named_unit()
        app = self.access(unit)
        for fmt in ("", "?format=pdf"):
            r = self.srv.as_("admin", "GET", "%s/%d/notice%s" % (A, app["id"], fmt))
            e = self.assertError(r, 409, field="status")
            self.assertIn("已提交", e["message"])

    def test_change_form_follows_annex_2(self):
        app, name, _ = self.approved()
        self.tr(app["id"], "complete", user="carrier")
        unit = app["unit_id"]
        r = self.srv.as_("admin", "POST", A, {"kind": "change", "unit_id": unit,
                                              "change_type": "移机", "new_address": "城关镇迁新路2号",
                                              "ip_count": 20, "bandwidth_mbps": 100})
        self.assertEqual(r.status, 201, r)
        t = pdf_text(self.pdf("%s/%d/form" % (A, r.json["id"])))
        for want in ("附件2", "桐柏县电子政务外网变更申请表", name, "☑移机", "□拆机", "城关镇迁新路2号",
                     "100Mbps", "TB-15"):
            self.assertIn(want, t, want)

    def test_change_form_leaves_blanks_blank_and_fills_from_the_register(self):
        """What the application does not say stays blank (no "IP数量 0", no "0 Mbps"), and the
        people the register knows are on the form without being typed again."""
        app, name, _ = self.approved()
        self.tr(app["id"], "complete", user="carrier")
        unit = app["unit_id"]
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/contacts" % unit,
                         {"role": "网络管理员", "name": "孙登记", "mobile": "13900000021"})
        self.assertEqual(r.status, 201, r)
        r = self.srv.as_("admin", "POST", A, {"kind": "change", "unit_id": unit, "change_type": "拆机"})
        self.assertEqual(r.status, 201, r)
        h = self.html("%s/%d/form" % (A, r.json["id"]))
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", h, re.S)]
        for label in ("IP数量", "带宽"):
            self.assertEqual(cells[cells.index(label) + 1], "", label)
        self.assertNotIn("Mbps", h)
        i = cells.index("网络管理员")
        self.assertEqual(cells[i + 1:i + 5], ["姓名", "孙登记", "手机号码", "13900000021"])

    def test_port_form_lists_the_ports(self):
        app, name, cidr = self.approved()
        self.tr(app["id"], "complete", user="carrier")
        host = str(ipaddress.ip_network(cidr)[10])
        r = self.srv.as_("admin", "POST", A, {
            "kind": "port", "unit_id": app["unit_id"], "purpose": "门户网站对外服务",
            "ports": [{"exposure": "互联网", "protocol": "tcp", "port": 443, "target_ip": host,
                       "purpose": "HTTPS 门户"},
                      {"exposure": "政务外网", "protocol": "udp", "port": 5060, "target_ip": host,
                       "purpose": "视频会议信令"}]})
        self.assertEqual(r.status, 201, r)
        aid = r.json["id"]
        h = self.html("%s/%d/form" % (A, aid))
        for want in ("桐柏县政务外网端口开通申请表", name, "门户网站对外服务", "443", "5060", host,
                     "HTTPS 门户", "视频会议信令", "TB-17"):
            self.assertIn(want, h, want)
        self.tr(aid, "approve", review_on="2027-05-31")
        t = pdf_text(self.pdf("%s/%d/notice" % (A, aid)))
        for want in ("端口开通申请审核通过通知书", "准予开放以下端口", "tcp/443", "udp/5060",
                     "2027年5月31日前提交复核"):
            self.assertIn(want, t, want)

    def test_long_text_runs_over_pages_without_loss(self):
        unit, name = self.named_unit()
        r = self.srv.as_("admin", "POST", A, {
            "kind": "interconnect", "unit_id": unit, "network_name": "不动产登记专网",
            "interconnect_type": "整合迁移", "plan": "迁移方案说明。" * 570 + "方案结束标记"})
        self.assertEqual(r.status, 201, r)
        raw = self.pdf("%s/%d/form" % (A, r.json["id"]))
        self.assertGreaterEqual(pdf_pages(raw), 2)
        # every page has its footer
        self.assertEqual(len(re.findall(r"第\d+页共(\d+)页", pdf_text(raw))), pdf_pages(raw))
        # the value column alone (left of it the labels, below it the footers, which
        # pdftotext would read in between the halves of a split row): nothing lost
        t = pdf_text(raw, crop=(209, 0, 386, 755))
        self.assertIn("迁移方案说明。" * 570 + "方案结束标记", t)

    def test_cli_prints_form_and_notice(self):
        app, name, cidr = self.approved()
        p = run_cli("application", "print", str(app["id"]), "form", db=self.srv.db)
        self.assertIn("桐柏县电子政务外网接入申请表", p.stdout)
        self.assertIn(name, p.stdout)
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "通知书.pdf")
            run_cli("application", "print", str(app["id"]), "notice", "--pdf", out, db=self.srv.db)
            with open(out, "rb") as f:
                t = pdf_text(f.read())
            self.assertIn(name, t)
            self.assertIn("TB-13", t)
        unit, _ = self.named_unit()
        pending = self.access(unit)
        p = run_cli("application", "print", str(pending["id"]), "notice", db=self.srv.db,
                    check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("尚未审核完毕", p.stderr)

    def test_bad_format_and_missing_application(self):
        unit, _ = self.named_unit()
        app = self.access(unit)
        for path in ("%s/%d/form?format=docx" % (A, app["id"]),
                     "%s/%d/notice?format=" % (A, app["id"])):
            self.assertError(self.srv.as_("admin", "GET", path), 400, field="format")
        self.assertError(self.srv.as_("admin", "GET", "%s/999999/form" % A), 404)
        self.assertError(self.srv.as_("admin", "GET", "%s/999999/notice?format=pdf" % A), 404)

    def test_text_is_escaped(self):
        unit, _ = self.named_unit()
        app = self.access(unit, purpose="<script>alert(1)</script> & \"引号\"")
        h = self.html("%s/%d/form" % (A, app["id"]))
        self.assertNotIn("<script>", h)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot;", h)
        t = pdf_text(self.pdf("%s/%d/form" % (A, app["id"])))
        self.assertIn("<script>alert(1)</script>&\"引号\"", t)


class DocumentsMiyun(Docs, ServerTest):
    """MY-4: the authority's opinion box, filled when it decides; the 信息中心 implements."""

    profile = "miyun"

    def test_two_step_form_and_notice(self):
        unit, name = self.named_unit()
        r = self.srv.as_("admin", "POST", A, {
            "kind": "access", "unit_id": unit, "user_type": "党政机关", "address": "鼓楼东大街1号",
            "admin_name": "孙网管", "admin_mobile": "13700000001", "tech_name": "周技术",
            "tech_mobile": "13700000002", "ip_count": 10, "bandwidth_mbps": 20,
            "purpose": "电子公文"})
        self.assertEqual(r.status, 201, r)
        aid = r.json["id"]
        self.tr(aid, "approve", user="authority", reason="符合接入条件", allocate=False)
        h = self.html("%s/%d/form" % (A, aid))
        self.assertIn("密云县政务外网接入申请表", h)
        self.assertNotIn("附件1", h)  # the regulation annexes no form
        auth = h.index("县经济和信息化委意见及签章")
        impl = h.index("接入实施意见及签章")
        self.assertLess(auth, impl)
        self.assertIn("同意。符合接入条件", h[auth:impl])
        self.assertNotIn("县信息中心意见及签章", h)  # the 信息中心 approves nothing after it
        self.assertNotIn("已实施完成", h)
        self.tr(aid, "complete")
        self.assertIn("已实施完成", self.html("%s/%d/form" % (A, aid)))
        t = pdf_text(self.pdf("%s/%d/notice" % (A, aid)))
        for want in ("经县经济和信息化委审核", "第四条（MY-4）", name):
            self.assertIn(want, t, want)


class DocumentsJiaxian(Docs, ServerTest):
    """JX-9: the 保密协议 (附件1) and 网络安全责任书 (附件2) with the unit filled in."""

    profile = "jiaxian"

    def test_confidentiality_agreement(self):
        unit, name = self.named_unit()
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/contacts" % unit,
                         {"role": "主要领导", "name": "吴局长", "mobile": "13600000001"})
        self.assertEqual(r.status, 201, r)
        path = "/api/v1/units/%d/agreement-documents/confidentiality" % unit
        raw = self.pdf(path)
        t = pdf_text(raw)
        for want in ("附件1", "政务网络保密协议", "甲方：佳县政务信息化服务中心", "乙方：" + name,
                     "法定代表人：吴局长", "联系方式：13600000001", "保密信息的范围",
                     "乙方不得擅自更改政务网络的网络设置", "第九条（JX-9）", "签订日期："):
            self.assertIn(want, t, want)
        self.assertGreaterEqual(pdf_pages(raw), 1)
        h = self.html(path)
        self.assertIn("乙方：" + name, h)
        # once the signed agreement is registered, its date is printed
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/agreements" % unit,
                         {"kind": "confidentiality", "signed_on": "2026-03-02", "signatories": "吴局长"})
        self.assertEqual(r.status, 201, r)
        self.assertIn("签订日期：2026年3月2日", pdf_text(self.pdf(path)))

    def test_security_responsibility(self):
        unit, name = self.named_unit()
        t = pdf_text(self.pdf("/api/v1/units/%d/agreement-documents/security_responsibility"
                              % unit))
        for want in ("附件2", "政务网络安全责任书", "本责任书的责任主体为：%s。" % name,
                     "责任单位（盖章）：" + name, "监督单位（盖章）：佳县政务信息化服务中心",
                     "应急处置管理", "JX-9"):
            self.assertIn(want, t, want)

    def test_cli_prints_agreement(self):
        unit, name = self.named_unit()
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "a.pdf")
            run_cli("unit", "agreement", str(unit), "security_responsibility", "--pdf", out,
                    db=self.srv.db)
            with open(out, "rb") as f:
                self.assertIn("本责任书的责任主体为：%s。" % name, pdf_text(f.read()))
        p = run_cli("unit", "agreement", str(unit), "nosuch", db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("nosuch", p.stderr)

    def test_unknown_kind_and_unit(self):
        unit, _ = self.named_unit()
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/units/%d/agreement-documents/nosuch"
                                      % unit), 404, field="kind")
        self.assertError(self.srv.as_("admin", "GET",
                                      "/api/v1/units/999999/agreement-documents/confidentiality"),
                         404)
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/units/%d/agreement-documents/"
                                      "confidentiality?format=doc" % unit), 400, field="format")


class DocumentsLuoning(Docs, ServerTest):
    """LN-17's 安全保密承诺书 has no template in the regulation: refused, naming the clause."""

    profile = "luoning"

    def test_no_template(self):
        unit, _ = self.named_unit()
        r = self.srv.as_("admin", "GET",
                         "/api/v1/units/%d/agreement-documents/security_commitment" % unit)
        e = self.assertError(r, 422, field="kind")
        self.assertIn("安全保密承诺书", e["message"])
