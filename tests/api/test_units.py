"""The unit registry: units (ETag/If-Match, lists, filters, status machine), contacts, agreements
with signed scans, the connection gate of the profile (JX-9, LN-17) and the audit trail."""
import hashlib
import struct
import urllib.parse
import zlib

from harness import ServerTest, approve_access

U = "/api/v1/units"


def qs(**params):
    return "?" + urllib.parse.urlencode(params) if params else ""


def small_pdf(text="zwnet"):
    """A real one-page PDF with a correct xref table."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = ("BT /F1 12 Tf 20 50 Td (%s) Tj ET" % text).encode()
    objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def small_png(rgb=(200, 30, 30)):
    """A real 2x2 RGB PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class RegistryTest(ServerTest):
    """Helpers shared by the classes below."""

    def api(self, method, path, body=None, **kw):
        return self.srv.as_("admin", method, path, body, **kw)

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r)
        return r.json

    def new_unit(self, name, **fields):
        body = {"name": name, "type": "其他", "level": "县直"}
        body.update(fields)
        return self.ok(self.api("POST", U, body), 201)

    def set_status(self, uid, status, **extra):
        """Connecting a unit that applies takes an approved access application (TB-13): the
        helper provides one, so these tests exercise the status machine itself."""
        if status == "已接入" and self.srv.sql("SELECT 1 FROM units WHERE id = ? AND status = '申请中'",
                                              (uid,)):
            approve_access(self.srv, uid)
        body = {"status": status}
        body.update(extra)
        return self.api("POST", "%s/%d/status" % (U, uid), body)

    def audit(self, object_type, object_id):
        """Audit entries of one object, oldest first (walks every page)."""
        items, cursor = [], None
        while True:
            p = {"object_type": object_type, "object_id": str(object_id), "limit": "100"}
            if cursor:
                p["cursor"] = cursor
            page = self.ok(self.api("GET", "/api/v1/audit" + qs(**p)))
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        for e in items:
            self.assertEqual(e["object_type"], object_type, e)
            self.assertEqual(e["object_id"], str(object_id), e)
        return sorted(items, key=lambda e: e["id"])

    def walk(self, path, **params):
        """Every item of a list, following next_cursor; checks page sizes."""
        limit = int(params.get("limit", 50))
        items, cursor, pages = [], None, 0
        while True:
            p = dict(params)
            if cursor:
                p["cursor"] = cursor
            page = self.ok(self.api("GET", path + qs(**p)))
            self.assertLessEqual(len(page["items"]), limit)
            items += page["items"]
            cursor = page["next_cursor"]
            pages += 1
            self.assertLess(pages, 1000)
            if not cursor:
                break
            self.assertEqual(len(page["items"]), limit, "a page before the last is full")
        return items


class Listing(RegistryTest):
    """Read-only checks on the 60 demo units (no test here writes)."""

    def all_units(self):
        return self.walk(U, limit="500")

    def test_walk_by_id(self):
        for limit in (1, 7, 60, 500):
            items = self.walk(U, limit=str(limit))
            ids = [u["id"] for u in items]
            self.assertEqual(ids, list(range(1, 61)), limit)

    def test_walk_by_name(self):
        names = sorted(u["name"] for u in self.all_units())
        self.assertEqual(len(set(names)), 60)
        for limit in (7, 13):
            items = self.walk(U, limit=str(limit), sort="name")
            self.assertEqual([u["name"] for u in items], names)
            self.assertEqual(len({u["id"] for u in items}), 60)
        items = self.walk(U, limit="9", sort="-name")
        self.assertEqual([u["name"] for u in items], names[::-1])

    def test_walk_descending(self):
        items = self.walk(U, limit="7", sort="-id")
        self.assertEqual([u["id"] for u in items], list(range(60, 0, -1)))
        self.assertEqual(self.walk(U, limit="500", sort="+id")[0]["id"], 1)
        # An integer sort key full of ties (the demo was written within a second or two).
        items = self.walk(U, limit="7", sort="-updated_at")
        keys = [(u["updated_at"], u["id"]) for u in items]
        self.assertEqual(keys, sorted(keys, reverse=True))
        self.assertEqual(sorted(u["id"] for u in items), list(range(1, 61)))

    def test_walk_by_status_groups_ties_by_id(self):
        items = self.walk(U, limit="4", sort="status")
        keys = [(u["status"], u["id"]) for u in items]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(len(keys), 60)

    def test_list_etag(self):
        r = self.api("GET", U + "?limit=5")
        etag = r.header("ETag")
        self.assertTrue(etag, r.headers)
        r2 = self.api("GET", U + "?limit=5", headers={"If-None-Match": etag})
        self.assertEqual(r2.status, 304, r2)
        self.assertEqual(r2.raw, b"")

    def test_filters(self):
        every = self.all_units()
        self.assertEqual(len(every), 60)

        def matches(u, k, v):
            if k == "q":
                return v in u["name"]
            return str(u[k]) == v

        def check(expect_count=None, **f):
            got = self.walk(U, limit="7", **f)
            want = [u for u in every if all(matches(u, k, v) for k, v in f.items())]
            self.assertEqual([u["id"] for u in got], [u["id"] for u in want], f)
            if expect_count is not None:
                self.assertEqual(len(got), expect_count, f)
            return got

        check(4, status="申请中")
        check(2, status="暂停")
        check(1, status="已拆机")
        check(10, level="乡镇")
        check(6, level="村/社区")
        check(1, level="核心机房")
        check(4, type="学校")
        check(3, type="医院")
        check(0, status="已撤销入网资格")  # TB names no clause for revocation: the demo connects it
        check(None, status="已接入", level="县直")
        town = [u for u in every if u["level"] == "乡镇" and
                any(c["parent_id"] == u["id"] for c in every)][0]
        kids = check(None, parent_id=str(town["id"]))
        self.assertGreaterEqual(len(kids), 1)
        self.assertTrue(all(k["parent_id"] == town["id"] for k in kids))
        got = check(None, q="镇")
        self.assertTrue(got and all("镇" in u["name"] for u in got))
        check(0, q="没有这个名字")
        check(None, q="卫生", type="医院")

    def test_q_is_a_plain_substring(self):
        # No unit name holds % or _: LIKE wildcards in q must not match everything.
        for ch in ("%", "_"):
            r = self.ok(self.api("GET", U + qs(q=ch, limit="500")))
            self.assertEqual([u["name"] for u in r["items"]], [], "q=%s" % ch)

    def test_bad_list_queries(self):
        self.assertError(self.api("GET", U + "?limit=0"), 400, field="limit")
        self.assertError(self.api("GET", U + "?limit=501"), 400, field="limit")
        self.assertError(self.api("GET", U + "?limit=x"), 400, field="limit")
        self.assertError(self.api("GET", U + "?sort=address"), 400, field="sort")
        self.assertError(self.api("GET", U + "?colour=red"), 400, field="colour")
        self.assertError(self.api("GET", U + "?cursor=%21%21%21"), 400, field="cursor")
        self.assertError(self.api("GET", U + "?parent_id=abc"), 400, field="parent_id")
        cur = self.ok(self.api("GET", U + "?limit=3"))["next_cursor"]
        self.assertError(self.api("GET", U + qs(limit="3", sort="name", cursor=cur)), 400, field="cursor")

    def test_unit_admin_sees_only_its_unit(self):
        r = self.srv.as_("unit", "GET", U + "?limit=500")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([u["id"] for u in r.json["items"]], [2])
        self.assertError(self.srv.as_("unit", "GET", U + "/3"), 404)
        self.assertEqual(self.srv.as_("unit", "GET", U + "/2").status, 200)
        self.assertError(self.srv.as_("auditor", "GET", U), 403)


class Units(RegistryTest):
    def test_create_get_patch_with_etags(self):
        before = self.srv.counts()
        r = self.api("POST", U, {"name": "县档案馆", "short_name": "档案馆", "type": "事业单位",
                                 "level": "县直", "address": "城关镇一号"})
        u = self.ok(r, 201)
        self.assertEqual(r.header("ETag"), '"r1"')
        self.assertEqual(u["rev"], 1)
        self.assertEqual(u["status"], "申请中")
        self.assertEqual(u["status_code"], "applying")
        self.assertEqual(u["status_clause"], "TB-13")
        uid = u["id"]
        after = self.srv.counts()
        self.assertEqual(after["units"], before["units"] + 1)
        self.assertEqual(after["audit"], before["audit"] + 1)
        self.assertEqual(after["unit_status_history"], before["unit_status_history"] + 1)

        r = self.api("GET", "%s/%d" % (U, uid))
        self.assertEqual(r.header("ETag"), '"r1"')
        self.assertEqual(self.ok(r), u)
        r = self.api("GET", "%s/%d" % (U, uid), headers={"If-None-Match": '"r1"'})
        self.assertEqual(r.status, 304, r)
        self.assertEqual(r.raw, b"")
        self.assertEqual(r.header("ETag"), '"r1"')

        r = self.api("PATCH", "%s/%d" % (U, uid), {"address": "城关镇二号"}, headers={"If-Match": '"r1"'})
        self.assertEqual(self.ok(r)["address"], "城关镇二号")
        self.assertEqual(r.header("ETag"), '"r2"')
        self.assertEqual(r.json["rev"], 2)
        self.assertEqual(r.json["short_name"], "档案馆")  # untouched fields stay

        # A stale If-Match changes nothing.
        snap = self.srv.counts()
        r = self.api("PATCH", "%s/%d" % (U, uid), {"address": "城关镇三号"}, headers={"If-Match": '"r1"'})
        self.assertError(r, 412, code="stale")
        self.assertEqual(self.srv.counts(), snap)
        cur = self.ok(self.api("GET", "%s/%d" % (U, uid)))
        self.assertEqual((cur["address"], cur["rev"]), ("城关镇二号", 2))
        r = self.api("GET", "%s/%d" % (U, uid), headers={"If-None-Match": '"r1"'})
        self.assertEqual(r.status, 200, r)
        # Without If-Match the write is unconditional; a malformed one is refused.
        self.assertEqual(self.ok(self.api("PATCH", "%s/%d" % (U, uid), {"note": "备注"}))["rev"], 3)
        self.assertError(self.api("PATCH", "%s/%d" % (U, uid), {"note": "x"}, headers={"If-Match": "3"}),
                         400, field="If-Match")

        log = self.audit("unit", uid)
        self.assertEqual([e["action"] for e in log], ["unit.create", "unit.update", "unit.update"])
        self.assertIsNone(log[0]["before"])
        self.assertEqual(log[0]["after"]["name"], "县档案馆")
        self.assertEqual(log[0]["clause"], "TB-13")
        self.assertEqual(log[1]["before"]["address"], "城关镇一号")
        self.assertEqual(log[1]["after"]["address"], "城关镇二号")
        self.assertEqual(log[2]["after"]["note"], "备注")
        for e in log:
            self.assertEqual(e["actor"], "admin")
            self.assertEqual(e["unit_id"], uid)

    def test_create_and_patch_validation(self):
        self.new_unit("校验测试单位")
        snap = self.srv.counts()
        cases = [
            ({"type": "其他", "level": "县直"}, "name"),
            ({"name": "甲", "type": "外星机构", "level": "县直"}, "type"),
            ({"name": "甲", "type": "其他", "level": "省直"}, "level"),
            ({"name": "甲", "type": "其他", "level": "县直", "colour": "红"}, "colour"),
            ({"name": "甲", "type": "其他", "level": "县直", "parent_id": 999999}, "parent_id"),
            ({"name": "甲" * 101, "type": "其他", "level": "县直"}, "name"),
            ({"name": "甲", "type": "其他", "level": "县直", "id": 5}, "id"),
        ]
        for body, field in cases:
            self.assertError(self.api("POST", U, body), 400, field=field)
        self.assertError(self.api("POST", U, {"name": "校验测试单位", "type": "其他", "level": "县直"}),
                         409, field="name")
        self.assertEqual(self.srv.counts(), snap)
        uid = self.new_unit("校验测试单位二")["id"]
        snap = self.srv.counts()
        self.assertError(self.api("PATCH", "%s/%d" % (U, uid), {"status": "已接入"}), 400, field="status")
        self.assertError(self.api("PATCH", "%s/%d" % (U, uid), {"rev": 9}), 400, field="rev")
        self.assertError(self.api("PATCH", "%s/%d" % (U, uid), {"name": ""}), 400, field="name")
        self.assertError(self.api("PATCH", "%s/%d" % (U, uid), {"parent_id": uid}), 400, field="parent_id")
        self.assertError(self.api("PATCH", "%s/%d" % (U, uid), {"name": "校验测试单位"}), 409, field="name")
        self.assertEqual(self.srv.counts(), snap)
        self.assertError(self.api("GET", U + "/999999"), 404)
        self.assertError(self.api("PATCH", U + "/999999", {"note": "x"}), 404)
        # Only the manager registers units.
        self.assertError(self.srv.as_("ops", "POST", U, {"name": "乙", "type": "其他", "level": "县直"}), 403)

    def test_status_machine_with_clauses(self):
        uid = self.new_unit("状态测试单位")["id"]
        r = self.set_status(uid, "已接入")
        u = self.ok(r)
        self.assertEqual((u["status"], u["status_code"], u["status_clause"]), ("已接入", "connected", "TB-13"))
        self.assertEqual(r.header("ETag"), '"r%d"' % u["rev"])
        # Suspension needs a reason (TB-9).
        snap = self.srv.counts()
        self.assertError(self.set_status(uid, "暂停"), 400, field="reason")
        self.assertError(self.set_status(uid, "暂停", reason=""), 400, field="reason")
        self.assertEqual(self.srv.counts(), snap)
        u = self.ok(self.set_status(uid, "暂停", reason="终端感染病毒，隔离处置"))
        self.assertEqual((u["status"], u["status_clause"], u["status_reason"]),
                         ("暂停", "TB-9", "终端感染病毒，隔离处置"))
        # Illegal moves: 409, nothing changes.
        snap, rev = self.srv.counts(), u["rev"]
        for bad in ("申请中", "暂停"):
            self.assertError(self.set_status(uid, bad, reason="x"), 409, field="status")
        self.assertEqual(self.srv.counts(), snap)
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (U, uid)))["rev"], rev)
        # Reconnect, then disconnect (TB-15); the status code names work too.
        u = self.ok(self.set_status(uid, "connected"))
        self.assertEqual((u["status"], u["status_clause"]), ("已接入", "TB-13"))
        u = self.ok(self.set_status(uid, "已拆机", reason="单位撤并"))
        self.assertEqual((u["status"], u["status_code"], u["status_clause"]), ("已拆机", "disconnected", "TB-15"))
        self.assertError(self.set_status(uid, "已接入"), 409, field="status")
        self.assertError(self.set_status(uid, "暂停", reason="x"), 409, field="status")
        # Re-application is allowed from 已拆机.
        u = self.ok(self.set_status(uid, "申请中"))
        self.assertEqual((u["status"], u["status_clause"]), ("申请中", "TB-13"))

        hist = self.ok(self.api("GET", "%s/%d/history" % (U, uid)))["items"]
        moves = [(h["from"], h["to"], h["clause"]) for h in hist]
        self.assertEqual(moves, [(None, "申请中", "TB-13"), ("申请中", "已接入", "TB-13"),
                                 ("已接入", "暂停", "TB-9"), ("暂停", "已接入", "TB-13"),
                                 ("已接入", "已拆机", "TB-15"), ("已拆机", "申请中", "TB-13")])
        self.assertEqual(hist[2]["reason"], "终端感染病毒，隔离处置")
        self.assertEqual(hist[4]["reason"], "单位撤并")
        self.assertTrue(all(h["actor"] == "admin" for h in hist[1:]), hist)

        log = [e for e in self.audit("unit", uid) if e["action"] == "unit.status"]
        self.assertEqual([(e["before"]["status"], e["after"]["status"], e["clause"]) for e in log],
                         [m for m in moves[1:]])
        self.assertEqual(log[1]["after"]["status_reason"], "终端感染病毒，隔离处置")

    def test_status_explicit_clause_and_errors(self):
        uid = self.new_unit("条款测试单位")["id"]
        self.ok(self.set_status(uid, "已接入"))
        # A clause given explicitly must be in the profile; it is recorded.
        self.assertError(self.set_status(uid, "暂停", reason="x", clause="TB-99"), 400, field="clause")
        self.assertError(self.set_status(uid, "暂停", reason="x", clause="JX-9"), 400, field="clause")
        u = self.ok(self.set_status(uid, "暂停", reason="私设出口", clause="TB-16"))
        self.assertEqual(u["status_clause"], "TB-16")
        self.assertEqual(self.audit("unit", uid)[-1]["clause"], "TB-16")
        # TB names no clause for revocation: the caller must cite one.
        self.assertError(self.set_status(uid, "已撤销入网资格", reason="屡教不改"), 400, field="clause")
        u = self.ok(self.set_status(uid, "已撤销入网资格", reason="屡教不改", clause="TB-16"))
        self.assertEqual((u["status_code"], u["status_clause"]), ("revoked", "TB-16"))
        self.assertError(self.set_status(uid, "失联"), 400, field="status")
        self.assertError(self.api("POST", "%s/%d/status" % (U, uid), {}), 400, field="status")
        self.assertError(self.api("POST", "%s/%d/status" % (U, uid), {"status": "申请中", "by": "x"}),
                         400, field="by")
        self.assertError(self.set_status(999999, "已接入"), 404)
        self.assertError(self.srv.as_("ops", "POST", "%s/%d/status" % (U, uid), {"status": "申请中"}), 403)
        # If-Match applies to status changes too.
        cur = self.ok(self.api("GET", "%s/%d" % (U, uid)))
        r = self.api("POST", "%s/%d/status" % (U, uid), {"status": "申请中"},
                     headers={"If-Match": '"r%d"' % (cur["rev"] - 1)})
        self.assertError(r, 412)
        self.assertEqual(self.ok(self.api("GET", "%s/%d" % (U, uid)))["status"], "已撤销入网资格")
        r = self.api("POST", "%s/%d/status" % (U, uid), {"status": "申请中"},
                     headers={"If-Match": '"r%d"' % cur["rev"]})
        self.assertEqual(self.ok(r)["status"], "申请中")
        self.assertError(self.api("GET", U + "/999999/history"), 404)

    def test_a_whole_list_never_stops_short(self):
        """A unit's contacts are listed whole (no pages): past the cap the answer says so
        instead of leaving the rest out."""
        import sqlite3
        uid = self.new_unit("联系人众多的单位")["id"]
        path = "%s/%d/contacts" % (U, uid)
        con = sqlite3.connect(self.srv.db)
        with con:
            con.executemany("INSERT INTO contacts (unit_id, role, name, mobile, created_at,"
                            " updated_at) VALUES (?, '技术联系人', ?, '13800138000', 0, 0)",
                            [(uid, "联系人%d" % i) for i in range(1000)])
        con.close()
        self.assertEqual(len(self.ok(self.api("GET", path))["items"]), 1000)
        with sqlite3.connect(self.srv.db) as con:
            con.execute("INSERT INTO contacts (unit_id, role, name, mobile, created_at,"
                        " updated_at) VALUES (?, '技术联系人', '第一千零一位', '13800138000', 0, 0)",
                        (uid,))
        self.assertError(self.api("GET", path), 409)

    def test_contacts(self):
        uid = self.new_unit("联系人测试单位")["id"]
        path = "%s/%d/contacts" % (U, uid)
        self.assertEqual(self.ok(self.api("GET", path))["items"], [])
        snap = self.srv.counts()
        for mobile in ("12345", "23800138000", "1380013800a", "138001380001", "+8613800138000",
                       "12800138000", "", "138 0013 800"):
            r = self.api("POST", path, {"role": "网络管理员", "name": "张伟", "mobile": mobile})
            self.assertError(r, 400, field="mobile")
        self.assertError(self.api("POST", path, {"role": "网络管理员", "name": "张伟"}), 400, field="mobile")
        self.assertError(self.api("POST", path, {"role": "司机", "name": "张伟", "mobile": "13800138000"}),
                         400, field="role")
        self.assertError(self.api("POST", path, {"role": "网络管理员", "name": "张伟", "mobile": "13800138000",
                                                 "email": "not-an-email"}), 400, field="email")
        self.assertError(self.api("POST", path, {"role": "网络管理员", "name": "张伟", "mobile": "13800138000",
                                                 "unit_id": 1}), 400, field="unit_id")
        self.assertEqual(self.srv.counts(), snap)
        r = self.api("POST", path, {"role": "网络管理员", "name": "张伟", "post": "科员",
                                    "mobile": "13800138000", "email": "zhangwei@example.com"})
        c = self.ok(r, 201)
        self.assertEqual(r.header("ETag"), '"r1"')
        self.assertEqual((c["unit_id"], c["mobile"], c["rev"]), (uid, "13800138000", 1))
        c2 = self.ok(self.api("POST", path, {"role": "安全联系人", "name": "李娜", "mobile": "19912345678"}), 201)
        self.assertEqual([x["id"] for x in self.ok(self.api("GET", path))["items"]], [c["id"], c2["id"]])
        cp = "%s/%d" % (path, c["id"])
        self.assertError(self.api("PATCH", cp, {"mobile": "1380013800"}), 400, field="mobile")
        r = self.api("PATCH", cp, {"mobile": "13900139000"}, headers={"If-Match": '"r1"'})
        self.assertEqual(self.ok(r)["mobile"], "13900139000")
        self.assertEqual(r.header("ETag"), '"r2"')
        snap = self.srv.counts()
        self.assertError(self.api("PATCH", cp, {"mobile": "13700137000"}, headers={"If-Match": '"r1"'}), 412)
        self.assertError(self.api("DELETE", cp, headers={"If-Match": '"r1"'}), 412)
        self.assertEqual(self.srv.counts(), snap)
        # A contact is reached only under its own unit.
        self.assertError(self.api("PATCH", "%s/1/contacts/%d" % (U, c["id"]), {"name": "王五"}), 404)
        self.assertError(self.api("DELETE", "%s/1/contacts/%d" % (U, c["id"])), 404)
        self.assertError(self.api("POST", U + "/999999/contacts",
                                  {"role": "网络管理员", "name": "张伟", "mobile": "13800138000"}), 404)
        r = self.api("DELETE", cp, headers={"If-Match": '"r2"'})
        self.assertEqual(r.status, 204, r)
        self.assertEqual([x["id"] for x in self.ok(self.api("GET", path))["items"]], [c2["id"]])
        self.assertError(self.api("DELETE", cp), 404)

        log = self.audit("contact", c["id"])
        self.assertEqual([e["action"] for e in log], ["contact.create", "contact.update", "contact.delete"])
        self.assertEqual(log[0]["after"]["mobile"], "13800138000")
        self.assertEqual((log[1]["before"]["mobile"], log[1]["after"]["mobile"]), ("13800138000", "13900139000"))
        self.assertEqual(log[2]["before"]["mobile"], "13900139000")
        self.assertIsNone(log[2]["after"])
        self.assertTrue(all(e["unit_id"] == uid for e in log))

    def test_deleted_contact_ids_are_not_reused(self):
        uid = self.new_unit("联系人编号复用测试单位")["id"]
        path = "%s/%d/contacts" % (U, uid)
        old = self.ok(self.api("POST", path, {"role": "网络管理员", "name": "甲", "mobile": "13800000001"}), 201)
        self.assertEqual(self.api("DELETE", "%s/%d" % (path, old["id"])).status, 204)
        new = self.ok(self.api("POST", path, {"role": "网络管理员", "name": "乙", "mobile": "13800000002"}), 201)
        self.assertNotEqual(new["id"], old["id"])
        self.assertEqual([e["action"] for e in self.audit("contact", new["id"])], ["contact.create"])

    def test_unit_admin_edits_own_contacts_only(self):
        # The demo's unit_admin belongs to unit 2.
        body = {"role": "技术联系人", "name": "赵强", "mobile": "13600136000"}
        r = self.srv.as_("unit", "POST", U + "/2/contacts", body)
        self.assertEqual(r.status, 201, r)
        self.assertError(self.srv.as_("unit", "POST", U + "/3/contacts", body), 404)
        self.assertError(self.srv.as_("unit", "POST", "%s/2/status" % U, {"status": "暂停", "reason": "x"}), 403)
        self.assertError(self.srv.as_("unit", "PATCH", U + "/2", {"note": "x"}), 403)

    def test_no_unit_agreements_in_tongbai(self):
        r = self.api("POST", U + "/1/agreements", {"kind": "om_agreement", "signed_on": "2024-01-01"})
        self.assertError(r, 400, field="kind")
        r = self.api("POST", U + "/1/agreements", {"kind": "confidentiality", "signed_on": "2024-01-01"})
        self.assertError(r, 400, field="kind")


class Jiaxian(RegistryTest):
    profile = "jiaxian"

    def agreement(self, uid, kind, **extra):
        body = {"kind": kind, "signed_on": "2024-03-01", "signatories": "王局长"}
        body.update(extra)
        return self.api("POST", "%s/%d/agreements" % (U, uid), body)

    def test_connection_needs_both_agreements(self):
        uid = self.new_unit("佳县新接入单位")["id"]
        approve_access(self.srv, uid)
        snap = self.srv.counts()
        r = self.set_status(uid, "已接入")
        e = self.assertError(r, 422, code="rule")
        self.assertEqual(e["clause"], "JX-9")
        self.assertIn("保密协议", e["message"])
        self.assertEqual(self.srv.counts(), snap)
        a1 = self.ok(self.agreement(uid, "confidentiality"), 201)
        self.assertEqual(a1["name"], "保密协议")
        e = self.assertError(self.set_status(uid, "已接入"), 422, code="rule")
        self.assertEqual(e["clause"], "JX-9")
        self.assertIn("网络安全责任书", e["message"])
        a2 = self.ok(self.agreement(uid, "security_responsibility"), 201)
        self.assertEqual(a2["name"], "网络安全责任书")
        u = self.ok(self.set_status(uid, "已接入"))
        self.assertEqual((u["status"], u["status_clause"]), ("已接入", "JX-9"))
        hist = self.ok(self.api("GET", "%s/%d/history" % (U, uid)))["items"]
        self.assertEqual([(h["from"], h["to"]) for h in hist], [(None, "申请中"), ("申请中", "已接入")])
        # (entries of this unit only: test_deleted_ids_are_not_reused covers id reuse)
        log = [e for e in self.audit("agreement", a1["id"]) if e["unit_id"] == uid]
        self.assertEqual(log[0]["action"], "agreement.create")
        self.assertEqual(log[0]["clause"], "JX-9")
        self.assertEqual(log[0]["after"]["kind"], "confidentiality")
        self.assertEqual(log[0]["unit_id"], uid)
        # A 422 leaves no audit entry.
        self.assertEqual([e["action"] for e in self.audit("unit", uid)], ["unit.create", "unit.status"])

    def test_agreement_crud(self):
        uid = self.new_unit("佳县协议测试单位")["id"]
        path = "%s/%d/agreements" % (U, uid)
        snap = self.srv.counts()
        self.assertError(self.agreement(uid, "security_commitment"), 400, field="kind")  # LN's kind
        self.assertError(self.agreement(uid, "保密协议"), 400, field="kind")  # the name, not the kind
        self.assertError(self.agreement(uid, "staff_confidentiality"), 400, field="kind")
        self.assertError(self.api("POST", path, {"signed_on": "2024-01-01"}), 400, field="kind")
        self.assertError(self.agreement(uid, "confidentiality", signed_on="2099-01-01"), 400, field="signed_on")
        self.assertError(self.agreement(uid, "confidentiality", signed_on="2024-02-30"), 400, field="signed_on")
        self.assertError(self.agreement(uid, "confidentiality", signed_on=None), 400, field="signed_on")
        self.assertError(self.agreement(uid, "confidentiality", name="自定义"), 400, field="name")
        self.assertError(self.agreement(uid, "confidentiality", scan_sha256="0" * 64), 400, field="scan_sha256")
        self.assertEqual(self.srv.counts(), snap)
        r = self.agreement(uid, "confidentiality")
        a = self.ok(r, 201)
        self.assertEqual(r.header("ETag"), '"r1"')
        self.assertEqual((a["unit_id"], a["kind"], a["name"], a["signed_on"], a["signatories"]),
                         (uid, "confidentiality", "保密协议", "2024-03-01", "王局长"))
        self.assertIsNone(a["scan_sha256"])
        ap = "%s/%d" % (path, a["id"])
        r = self.api("GET", ap)
        self.assertEqual(self.ok(r), a)
        self.assertEqual(self.api("GET", ap, headers={"If-None-Match": '"r1"'}).status, 304)
        self.assertEqual([x["id"] for x in self.ok(self.api("GET", path))["items"]], [a["id"]])
        self.assertError(self.api("PATCH", ap, {"kind": "security_responsibility"}), 400, field="kind")
        r = self.api("PATCH", ap, {"signatories": "王局长、李主任"}, headers={"If-Match": '"r1"'})
        self.assertEqual(self.ok(r)["signatories"], "王局长、李主任")
        self.assertEqual(r.header("ETag"), '"r2"')
        self.assertError(self.api("PATCH", ap, {"signed_on": "2099-01-01"}), 400, field="signed_on")
        self.assertError(self.api("PATCH", ap, {"signatories": "x"}, headers={"If-Match": '"r1"'}), 412)
        self.assertError(self.api("GET", "%s/1/agreements/%d" % (U, a["id"])), 404)
        self.assertError(self.api("GET", U + "/999999/agreements"), 404)
        self.assertError(self.api("POST", U + "/999999/agreements",
                                  {"kind": "confidentiality", "signed_on": "2024-01-01"}), 404)
        self.assertError(self.api("DELETE", ap, headers={"If-Match": '"r1"'}), 412)
        self.assertEqual(self.api("DELETE", ap, headers={"If-Match": '"r2"'}).status, 204)
        self.assertError(self.api("GET", ap), 404)
        log = self.audit("agreement", a["id"])
        self.assertEqual([e["action"] for e in log], ["agreement.create", "agreement.update", "agreement.delete"])
        self.assertEqual(log[1]["before"]["signatories"], "王局长")
        self.assertEqual(log[1]["after"]["signatories"], "王局长、李主任")
        self.assertEqual(log[2]["before"]["signatories"], "王局长、李主任")
        self.assertIsNone(log[2]["after"])

    def scan_put(self, uid, aid, data, filename, ctype="application/octet-stream", **headers):
        h = {"Content-Type": ctype}
        h.update(headers)
        return self.api("PUT", "%s/%d/agreements/%d/scan%s" % (U, uid, aid, qs(filename=filename)),
                        raw=data, headers=h)

    def test_scan_upload_and_download(self):
        uid = self.new_unit("佳县扫描件测试单位")["id"]
        a = self.ok(self.agreement(uid, "confidentiality"), 201)
        b = self.ok(self.agreement(uid, "security_responsibility"), 201)
        sp = "%s/%d/agreements/%d/scan" % (U, uid, a["id"])
        self.assertError(self.api("GET", sp), 404, field="scan")
        pdf, png = small_pdf("confidentiality %d" % uid), small_png()
        name = "保密协议（签字盖章）2025.pdf"
        blobs = self.srv.counts()["blobs"]

        # Refusals first: nothing is stored.
        snap = self.srv.counts()
        self.assertError(self.api("PUT", sp, raw=pdf, headers={"Content-Type": "application/pdf"}),
                         400, field="filename")
        for bad in ("../x.pdf", "a/b.pdf", ".hidden.pdf", "a:b.pdf", ""):
            self.assertError(self.scan_put(uid, a["id"], pdf, bad), 400, field="filename")
        self.assertError(self.scan_put(uid, a["id"], b"just some text, not a scan", "x.pdf"), 415, field="file")
        self.assertError(self.scan_put(uid, a["id"], png, "x.pdf", "application/pdf"), 415, field="file")
        self.assertError(self.scan_put(uid, a["id"], b"", "x.pdf", "application/pdf"), 400)
        self.assertError(self.scan_put(uid, a["id"], pdf, name, "application/pdf", **{"If-Match": '"r9"'}), 412)
        self.assertError(self.api("POST", sp, {"x": 1}), 405)
        self.assertEqual(self.srv.counts(), snap)

        r = self.scan_put(uid, a["id"], pdf, name, "application/pdf", **{"If-Match": '"r1"'})
        got = self.ok(r)
        sha = hashlib.sha256(pdf).hexdigest()
        self.assertEqual((got["scan_sha256"], got["scan_name"], got["scan_type"], got["scan_size"]),
                         (sha, name, "application/pdf", len(pdf)))
        self.assertEqual(r.header("ETag"), '"r%d"' % got["rev"])
        self.assertEqual(self.srv.counts()["blobs"], blobs + 1)

        r = self.api("GET", sp)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.raw, pdf)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        disp = r.header("Content-Disposition")
        self.assertIsNotNone(disp, r.headers)
        self.assertTrue(disp.startswith("attachment"), disp)
        self.assertIn("filename*=UTF-8''" + urllib.parse.quote(name, safe=""), disp)
        enc = disp.split("filename*=UTF-8''", 1)[1].split(";")[0].strip()
        self.assertEqual(urllib.parse.unquote(enc, encoding="utf-8", errors="strict"), name)

        # The same bytes for another agreement: one blob, two links.
        r = self.scan_put(uid, b["id"], pdf, "责任书.pdf")
        self.assertEqual(self.ok(r)["scan_sha256"], sha)
        self.assertEqual(self.srv.counts()["blobs"], blobs + 1)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM blobs WHERE sha256=?", (sha,)), [(1,)])
        r = self.api("GET", "%s/%d/agreements/%d/scan" % (U, uid, b["id"]))
        self.assertEqual(r.raw, pdf)
        self.assertIn("filename*=UTF-8''" + urllib.parse.quote("责任书.pdf", safe=""), r.header("Content-Disposition"))
        # Uploading it again to the first agreement stores nothing new either.
        self.ok(self.scan_put(uid, a["id"], pdf, name))
        self.assertEqual(self.srv.counts()["blobs"], blobs + 1)

        # A PNG replaces the scan; the type is sniffed from the content.
        r = self.scan_put(uid, a["id"], png, "scan.png", "image/png")
        got = self.ok(r)
        self.assertEqual((got["scan_type"], got["scan_size"], got["scan_name"]), ("image/png", len(png), "scan.png"))
        self.assertEqual(self.srv.counts()["blobs"], blobs + 2)
        r = self.api("GET", sp)
        self.assertEqual((r.raw, r.header("Content-Type")), (png, "image/png"))
        self.assertIn("filename*=UTF-8''scan.png", r.header("Content-Disposition"))

        log = [e for e in self.audit("agreement", a["id"]) if e["action"] == "agreement.scan"]
        self.assertEqual(len(log), 3)
        self.assertIsNone(log[0]["before"]["scan_sha256"])
        self.assertEqual(log[0]["after"]["scan_sha256"], sha)
        self.assertEqual(log[2]["before"]["scan_sha256"], sha)
        self.assertEqual(log[2]["after"]["scan_type"], "image/png")

    def test_deleted_ids_are_not_reused(self):
        """A deleted agreement's id must not come back for a new one: the audit trail of
        agreement N (and a client's cached URL and ETag) would then mix two objects."""
        uid = self.new_unit("佳县编号复用测试单位")["id"]
        old = self.ok(self.agreement(uid, "confidentiality"), 201)
        self.assertEqual(self.api("DELETE", "%s/%d/agreements/%d" % (U, uid, old["id"])).status, 204)
        new = self.ok(self.agreement(uid, "confidentiality", signatories="新签署人"), 201)
        self.assertNotEqual(new["id"], old["id"])
        # The old URL and ETag must not reach the new agreement.
        r = self.api("PATCH", "%s/%d/agreements/%d" % (U, uid, old["id"]), {"signatories": "旧页面的修改"},
                     headers={"If-Match": '"r1"'})
        self.assertError(r, 404)
        self.assertEqual([e["action"] for e in self.audit("agreement", new["id"])], ["agreement.create"])

    def test_unit_admin_own_agreements_only(self):
        # unit_admin of unit 2 (a connected county unit with both agreements from the demo).
        r = self.srv.as_("unit", "GET", U + "/2/agreements")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(sorted(a["kind"] for a in r.json["items"]), ["confidentiality", "security_responsibility"])
        self.assertError(self.srv.as_("unit", "GET", U + "/3/agreements"), 404)
        self.assertError(self.srv.as_("carrier", "GET", U + "/2/agreements"), 403)

    def test_no_unit_connected_without_agreements(self):
        # Under JX both unit kinds are required for connection and there is no 补签 (backfill):
        # the demo's units without agreements stay 申请中, and nothing is on the missing list.
        items = self.ok(self.api("GET", "/api/v1/agreements/missing"))["items"]
        self.assertEqual(items, [])
        for name in Luoning.UNSIGNED:
            rows = self.srv.sql("SELECT status FROM units WHERE name = ?", (name.replace("洛宁县", "佳县"),))
            self.assertEqual(rows, [("申请中",)], name)
        # Registering a unit as already connected is a connection too: without a date before
        # the regulation it is refused for want of an access application (JX-5); with one, for
        # want of the agreements, under JX-9 (JX has no 补签).
        before = self.srv.counts()
        for extra, clause in (({}, "JX-5"), ({"connected_on": "2016-03-01"}, "JX-9")):
            body = {"name": "佳县直接接入测试单位", "type": "其他", "level": "县直", "status": "已接入"}
            body.update(extra)
            e = self.assertError(self.api("POST", "/api/v1/units", body), 422, field="status", code="rule")
            self.assertEqual(e["clause"], clause)
        self.assertEqual(self.srv.counts(), before)


class Luoning(RegistryTest):
    profile = "luoning"
    # connected demo units whose agreements are "missing" (data/demo/units.conf)
    UNSIGNED = {"洛宁县民政局", "洛宁县水利局", "洛宁县东关镇人民政府", "洛宁县马庄乡人民政府",
                "洛宁县城关镇东街社区居民委员会", "洛宁县中医院"}

    def missing(self, **kw):
        r = self.api("GET", "/api/v1/agreements/missing", **kw)
        return self.ok(r)["items"]

    def test_backfill_list(self):
        items = self.missing()
        self.assertEqual({i["unit_name"] for i in items}, self.UNSIGNED)
        for it in items:
            self.assertEqual(it["status"], "已接入")
            self.assertEqual(len(it["missing"]), 1, it)
            m = it["missing"][0]
            self.assertEqual((m["kind"], m["name"], m["clauses"], m["backfill"]),
                             ("security_commitment", "安全保密承诺书", ["LN-17"], True))
        # Applying units are not in the backlog, however unsigned.
        ids = {i["unit_id"] for i in items}
        applying = self.walk(U, limit="100", status="申请中")
        self.assertTrue(applying)
        self.assertFalse(ids & {u["id"] for u in applying})
        # Signing drops the unit, and only that unit.
        one = sorted(items, key=lambda i: i["unit_id"])[0]
        r = self.api("POST", "%s/%d/agreements" % (U, one["unit_id"]),
                     {"kind": "security_commitment", "signed_on": "2024-06-01", "signatories": "局长"})
        a = self.ok(r, 201)
        self.assertEqual(a["name"], "安全保密承诺书")
        self.assertEqual(self.audit("agreement", a["id"])[0]["clause"], "LN-17")
        after = self.missing()
        self.assertEqual({i["unit_id"] for i in after}, ids - {one["unit_id"]})
        # Deleting the agreement brings it back.
        self.assertEqual(self.api("DELETE", "%s/%d/agreements/%d" % (U, one["unit_id"], a["id"])).status, 204)
        self.assertEqual({i["unit_id"] for i in self.missing()}, ids)
        # A unit suspended while unsigned stays in the backlog.
        two = sorted(items, key=lambda i: i["unit_id"])[1]
        self.ok(self.set_status(two["unit_id"], "暂停", reason="未签承诺书", clause="LN-17"))
        self.assertIn(two["unit_id"], {i["unit_id"] for i in self.missing()})
        self.assertIn(self.ok(self.api("GET", "%s/%d" % (U, two["unit_id"])))["status"], ("暂停",))

    def test_missing_scoped_for_unit_admin(self):
        r = self.srv.as_("unit", "GET", "/api/v1/agreements/missing")
        self.assertEqual(r.status, 200, r)
        me = self.srv.as_("unit", "GET", "/api/v1/session").json["unit_id"]
        self.assertTrue(all(i["unit_id"] == me for i in r.json["items"]), r.json)
        self.assertError(self.srv.as_("carrier", "GET", "/api/v1/agreements/missing"), 403)

    def test_connection_gate_ln17(self):
        unsigned = [u for u in self.walk(U, limit="100", status="申请中")
                    if u["name"] == "洛宁县河口镇李庄村村民委员会"]
        self.assertEqual(len(unsigned), 1)
        uid = unsigned[0]["id"]
        e = self.assertError(self.set_status(uid, "已接入"), 422, code="rule")
        self.assertEqual(e["clause"], "LN-17")
        self.ok(self.api("POST", "%s/%d/agreements" % (U, uid),
                         {"kind": "security_commitment", "signed_on": "2024-06-01"}), 201)
        u = self.ok(self.set_status(uid, "已接入"))
        self.assertEqual((u["status"], u["status_clause"]), ("已接入", "LN-16"))
        self.assertError(self.api("POST", "%s/%d/agreements" % (U, uid),
                                  {"kind": "carrier_commitment", "signed_on": "2024-06-01"}), 400, field="kind")


class EnumFilters(ServerTest):
    """A list filter on an enum field takes only the field's values (it used to answer an
    empty list for any other text, so a typo looked like "no such units")."""

    def test_unknown_value_is_400_naming_the_parameter(self):
        for url, field in (("/api/v1/units?status=connected", "status"),
                           ("/api/v1/units?type=x", "type"),
                           ("/api/v1/users?role=boss", "role"),
                           ("/api/v1/applications?kind=nope", "kind"),
                           ("/api/v1/deadlines?status=x", "status")):
            r = self.srv.as_("admin", "GET", url)
            self.assertError(r, 400, field=field)
            self.assertIn(field, r.json["error"]["message"])
        r = self.srv.as_("admin", "GET", "/api/v1/units?status=" + urllib.parse.quote("已接入"))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["items"])
