"""Bad input: every malformed, mistyped, oversized or tricky request gets a 4xx JSON error
that names the field at fault (where one is) with a non-empty message, and writes nothing:
srv.counts() (row counts, audit length included) is the same before and after each request.

Cases are grouped by theme; a test checks all cases of its theme and, if any fail, lists
every failing case (not just the first) in its failure message.
"""
import hashlib
import json
import os
import re
import socket
import urllib.parse

from harness import PASSWORD, ServerTest, approve_access

LIMIT = 1 << 20  # the default body_limit (1 MiB)
UPLOAD_LIMIT = 20 << 20  # the default upload_limit
PAGED = ("units", "users", "audit")  # lists with limit/cursor/sort (api/openapi.json)
q = urllib.parse.quote

_n = [0]


def uniq():
    _n[0] += 1
    return "%d%d" % (os.getpid() % 1000, _n[0])


def pdf(tag=b""):
    return b"%PDF-1.4\n% zwnet test " + tag + b"\n%%EOF\n"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16


class BadInput(ServerTest):
    # Each bad request must change nothing: no scheduler step may write the inbox meanwhile.
    extra = ("--scheduler-interval", "0")
    profile = "luoning"  # has a unit agreement (security_commitment, LN-17) and a connection gate

    # ---- fixtures ----

    @classmethod
    def _fixtures(cls):
        s = cls.srv
        s.login("admin")
        s.login("unit")

        def ok(r, status=200):
            assert r.status == status, r
            return r.json

        u = ok(s.as_("admin", "POST", "/api/v1/units",
                     {"name": "坏输入测试单位", "type": "其他", "level": "县直"}), 201)
        cls.unit = u["id"]
        cls.ag = ok(s.as_("admin", "POST", "/api/v1/units/%d/agreements" % cls.unit,
                          {"kind": "security_commitment", "signed_on": "2025-01-02"}), 201)["id"]
        approve_access(s, cls.unit)
        ok(s.as_("admin", "POST", "/api/v1/units/%d/status" % cls.unit, {"status": "已接入"}))
        ok(s.as_("admin", "PATCH", "/api/v1/units/%d" % cls.unit, {"note": "已修改"}))
        ok(s.as_("admin", "PATCH", "/api/v1/units/%d/agreements/%d" % (cls.unit, cls.ag),
                 {"signatories": "甲"}))
        cls.contact = ok(s.as_("admin", "POST", "/api/v1/units/%d/contacts" % cls.unit,
                               {"role": "技术联系人", "name": "张三", "mobile": "13800001234"}), 201)["id"]
        ok(s.as_("admin", "PATCH", "/api/v1/units/%d/contacts/%d" % (cls.unit, cls.contact),
                 {"post": "工程师"}))
        cls.user = ok(s.as_("admin", "POST", "/api/v1/users",
                            {"username": "badinput", "role": "operator", "password": PASSWORD}), 201)["id"]
        ok(s.as_("admin", "PATCH", "/api/v1/users/%d" % cls.user, {"display_name": "坏输入"}))
        cls.tok = ok(s.as_("admin", "POST", "/api/v1/tokens", {"name": "fixture"}), 201)["id"]
        for obj, rev in (("units", cls.unit), ("agreements", cls.ag), ("contacts", cls.contact),
                         ("users", cls.user)):
            assert s.sql("SELECT rev FROM %s WHERE id = ?" % obj, (rev,))[0][0] >= 2

    # ---- helpers ----

    def setUp(self):
        self.problems = []

    def done(self):
        self.assertFalse(self.problems, "\n" + "\n".join(self.problems))

    def send(self, method, path, body=None, raw=None, headers=None, who="admin"):
        h = dict(headers or {})
        if raw is not None and "Content-Type" not in h and not path.endswith("/scan") \
                and "/scan?" not in path:
            h["Content-Type"] = "application/json"
        token = self.srv.login(who) if who else None
        return self.srv.request(method, path, body, token=token, headers=h, raw=raw)

    def refused(self, label, method, path, body=None, raw=None, status=400, field=None,
                code=None, headers=None, who="admin", same=None):
        """Send one bad request; record a problem unless it is refused as expected and
        nothing was written. field: the error.field required (None: not checked)."""
        before = self.srv.counts()
        snap = same() if same else None
        try:
            r = self.send(method, path, body, raw, headers, who)
        except OSError as e:
            self.problems.append("%s: %s %s: connection error %r" % (label, method, path, e))
            return None
        after = self.srv.counts()
        self.check_error(label, r, status, field, code)
        if after != before:
            self.problems.append("%s: WROTE to the database: %s" % (
                label, {k: after[k] - before[k] for k in after if after[k] != before[k]}))
        if same and same() != snap:
            self.problems.append("%s: the object changed: %r -> %r" % (label, snap, same()))
        return r

    def check_error(self, label, r, status, field=None, code=None):
        e = (r.json or {}).get("error") if isinstance(r.json, dict) else None
        got = "%d %s" % (r.status, r.raw[:200].decode("utf-8", "replace"))
        if r.status != status:
            self.problems.append("%s: status %d, expected %d: %s" % (label, r.status, status, got))
        elif not isinstance(e, dict) or not e.get("message"):
            self.problems.append("%s: no JSON error with a message: %s" % (label, got))
        else:
            if field is not None and e.get("field") != field:
                self.problems.append("%s: error.field %r, expected %r: %s" % (
                    label, e.get("field"), field, got))
            if code is not None and e.get("code") != code:
                self.problems.append("%s: error.code %r, expected %r: %s" % (
                    label, e.get("code"), code, got))

    def rev(self, table, id_):
        return self.srv.sql("SELECT rev FROM %s WHERE id = ?" % table, (id_,))[0][0]

    def row(self, table, id_):
        return lambda: self.srv.sql("SELECT * FROM %s WHERE id = ?" % table, (id_,))

    @property
    def U(self):
        return "/api/v1/units/%d" % self.unit

    @property
    def C(self):
        return "/api/v1/units/%d/contacts/%d" % (self.unit, self.contact)

    @property
    def A(self):
        return "/api/v1/units/%d/agreements/%d" % (self.unit, self.ag)

    def json_writes(self):
        """(label, method, path, a valid body) of the JSON-body write routes."""
        return [
            ("unit create", "POST", "/api/v1/units", {"name": "合法" + uniq(), "type": "其他", "level": "县直"}),
            ("unit patch", "PATCH", self.U, {"note": "x"}),
            ("unit status", "POST", self.U + "/status", {"status": "暂停", "reason": "x", "clause": "LN-16"}),
            ("contact create", "POST", self.U + "/contacts",
             {"role": "技术联系人", "name": "李四", "mobile": "13800001235"}),
            ("contact patch", "PATCH", self.C, {"name": "李四"}),
            ("agreement create", "POST", self.U + "/agreements",
             {"kind": "security_commitment", "signed_on": "2025-01-03"}),
            ("agreement patch", "PATCH", self.A, {"signatories": "乙"}),
            ("user create", "POST", "/api/v1/users",
             {"username": "x" + uniq(), "role": "operator", "password": PASSWORD}),
            ("user patch", "PATCH", "/api/v1/users/%d" % self.user, {"display_name": "x"}),
            ("user password", "POST", "/api/v1/users/%d/password" % self.user, {"password": "Abcdefgh123"}),
            ("token create", "POST", "/api/v1/tokens", {"name": "x"}),
            ("login", "POST", "/api/v1/session", {"username": "admin", "password": PASSWORD}),
            ("password change", "POST", "/api/v1/session/password",
             {"old_password": PASSWORD, "new_password": "Abcdefgh123"}),
        ]

    def raw_http(self, head, body=b"", chunks=None):
        """Send bytes over a socket and read one response (tolerating a server that answers
        and closes before the whole body is sent). Returns (status, json or None)."""
        s = socket.create_connection(("127.0.0.1", self.srv.port))
        s.settimeout(30)
        try:
            try:
                s.sendall(head + body)
                for c in chunks or ():
                    s.sendall(b"%x\r\n" % len(c) + c + b"\r\n")
                if chunks is not None:
                    s.sendall(b"0\r\n\r\n")
            except OSError:
                pass
            data = b""
            while True:
                try:
                    d = s.recv(65536)
                except OSError:
                    break
                if not d:
                    break
                data += d
                if b"\r\n\r\n" in data:
                    h, b = data.split(b"\r\n\r\n", 1)
                    m = re.search(rb"(?i)content-length: *(\d+)", h)
                    if m and len(b) >= int(m.group(1)):
                        break
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
        if not m:
            return None, None, data
        b = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
        try:
            j = json.loads(b.decode())
        except ValueError:
            j = None
        return int(m.group(1)), j, data

    def raw_refused(self, label, head, body=b"", chunks=None, status=413, code="too_large"):
        before = self.srv.counts()
        st, j, data = self.raw_http(head, body, chunks)
        after = self.srv.counts()
        if st != status:
            self.problems.append("%s: status %r, expected %d: %r" % (label, st, status, data[:300]))
        elif not (isinstance(j, dict) and isinstance(j.get("error"), dict)
                  and j["error"].get("message") and j["error"].get("code") == code):
            self.problems.append("%s: not a JSON %s error: %r" % (label, code, data[:300]))
        if after != before:
            self.problems.append("%s: WROTE to the database" % label)

    def head(self, method, path, extra, who="admin", ctype="application/json"):
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1",
                 "Authorization: Bearer " + self.srv.login(who)]
        if ctype:
            lines.append("Content-Type: " + ctype)
        return ("\r\n".join(lines + extra) + "\r\n\r\n").encode()

    # ---- JSON syntax ----

    def test_malformed_json(self):
        bodies = [b"{", b'{"name": }', b"{'name': 'x'}", b'{"name":"a",}', b"", b"   ", b"nul",
                  b'{"name":"a"} trailing', b'{"name":"a"}{"name":"b"}', b'{"name" "a"}',
                  b'{"name":"a","name":"b"}',  # duplicate key
                  b'{"parent_id": NaN}', b'{"parent_id": 1e999}',
                  b'{"parent_id": 99999999999999999999999}', b'{"name":"\\x41"}',
                  b'{"name":"\\ud800"}',  # lone surrogate escape
                  b"[" * 200000, b'{"a":' * 100000]
        for label, method, path, _ in self.json_writes():
            for b in bodies:
                self.refused("%s body %r" % (label, b[:30]), method, path, raw=b, code="bad_json")
        self.done()

    def test_json_that_is_not_an_object(self):
        for label, method, path, body in self.json_writes():
            # (bad_json or invalid: a scalar top level is also refused by the JSON parser)
            for b in (b"[]", json.dumps([body]).encode(), b'"name"', b"42", b"null", b"true"):
                self.refused("%s body %r" % (label, b[:30]), method, path, raw=b)
        self.done()

    def test_content_type_not_json(self):
        for label, method, path, body in self.json_writes():
            for ct in ("text/plain", "application/x-www-form-urlencoded", "application/pdf",
                       "multipart/form-data; boundary=x"):
                self.refused("%s as %s" % (label, ct), method, path,
                             raw=json.dumps(body).encode(), headers={"Content-Type": ct},
                             status=415, code="unsupported_media_type")
        self.done()

    # ---- types, unknown and read-only fields ----

    def test_wrong_types(self):
        U, C, A = self.U, self.C, self.A
        unit = {"name": "类型测试", "type": "其他", "level": "县直"}
        contact = {"role": "技术联系人", "name": "王五", "mobile": "13800001236"}
        agreement = {"kind": "security_commitment", "signed_on": "2025-01-03"}
        cases = [
            ("POST", "/api/v1/units", dict(unit, name=123), "name"),
            ("POST", "/api/v1/units", dict(unit, name=None), "name"),
            ("POST", "/api/v1/units", dict(unit, name=["a"]), "name"),
            ("POST", "/api/v1/units", dict(unit, name={"zh": "a"}), "name"),
            ("POST", "/api/v1/units", dict(unit, type=1), "type"),
            ("POST", "/api/v1/units", dict(unit, level=True), "level"),
            ("POST", "/api/v1/units", dict(unit, parent_id="1"), "parent_id"),
            ("POST", "/api/v1/units", dict(unit, parent_id=1.5), "parent_id"),
            ("POST", "/api/v1/units", dict(unit, parent_id=True), "parent_id"),
            ("POST", "/api/v1/units", dict(unit, parent_id=0), "parent_id"),
            ("POST", "/api/v1/units", dict(unit, parent_id=-3), "parent_id"),
            ("POST", "/api/v1/units", dict(unit, note={}), "note"),
            ("PATCH", U, {"short_name": 5}, "short_name"),
            ("PATCH", U, {"address": ["x"]}, "address"),
            ("PATCH", U, {"name": None}, "name"),
            ("POST", U + "/contacts", dict(contact, mobile=13800001236), "mobile"),
            ("POST", U + "/contacts", dict(contact, role=None), "role"),
            ("POST", U + "/contacts", dict(contact, email=5), "email"),
            ("PATCH", C, {"post": False}, "post"),
            ("POST", U + "/agreements", dict(agreement, signed_on=20250103), "signed_on"),
            ("POST", U + "/agreements", dict(agreement, kind=7), "kind"),
            ("PATCH", A, {"signatories": ["甲", "乙"]}, "signatories"),
            ("PATCH", "/api/v1/users/%d" % self.user, {"disabled": "yes"}, "disabled"),
            ("PATCH", "/api/v1/users/%d" % self.user, {"disabled": 1}, "disabled"),
            ("PATCH", "/api/v1/users/%d" % self.user, {"unit_id": "2"}, "unit_id"),
            ("POST", "/api/v1/users", {"username": "typ" + uniq(), "role": 3, "password": PASSWORD}, "role"),
            ("POST", "/api/v1/users", {"username": "typ" + uniq(), "role": "operator", "password": 12345678}, "password"),
            ("POST", U + "/status", {"status": 1}, "status"),
            ("POST", U + "/status", {"status": "暂停", "reason": 5, "clause": "LN-16"}, "reason"),
            ("POST", U + "/status", {"status": "暂停", "reason": "x", "clause": ["LN-16"]}, "clause"),
            ("POST", "/api/v1/tokens", {"name": 5}, "name"),
            ("POST", "/api/v1/tokens", {"name": "x", "user_id": "1"}, "user_id"),
            ("POST", "/api/v1/tokens", {"name": "x", "user_id": 1.0}, "user_id"),
            ("POST", "/api/v1/tokens", {"name": "x", "expires_at": True}, "expires_at"),
            ("POST", "/api/v1/tokens", {"name": "x", "expires_at": {"t": 1}}, "expires_at"),
            ("POST", "/api/v1/session", {"username": ["admin"], "password": PASSWORD}, "username"),
            ("POST", "/api/v1/session", {"username": "admin", "password": {"p": 1}}, "password"),
            ("POST", "/api/v1/session/password", {"old_password": PASSWORD, "new_password": 12345678},
             "new_password"),
            ("POST", "/api/v1/users/%d/password" % self.user, {"password": 12345678}, "password"),
        ]
        for method, path, body, field in cases:
            self.refused("%s %s %s" % (method, path, json.dumps(body, ensure_ascii=False)), method, path,
                         body, field=field, code="invalid")
        self.done()

    def test_unknown_and_read_only_fields(self):
        U, C, A = self.U, self.C, self.A
        unit = {"name": "字段测试" + uniq(), "type": "其他", "level": "县直"}
        contact = {"role": "技术联系人", "name": "赵六", "mobile": "13800001237"}
        agreement = {"kind": "security_commitment", "signed_on": "2025-01-03"}
        cases = [
            ("POST", "/api/v1/units", dict(unit, foo=1), "foo"),
            ("POST", "/api/v1/units", dict(unit, Name="x"), "Name"),
            ("POST", "/api/v1/units", dict(unit, id=99), "id"),
            ("POST", "/api/v1/units", dict(unit, rev=5), "rev"),
            ("POST", "/api/v1/units", dict(unit, created_at="2025-01-01T00:00:00Z"), "created_at"),
            ("POST", "/api/v1/units", dict(unit, status_code="connected"), "status_code"),
            ("POST", "/api/v1/units", dict(unit, status_clause="LN-16"), "status_clause"),
            ("PATCH", U, {"bar": 1}, "bar"),
            ("PATCH", U, {"status": "暂停"}, "status"),
            ("PATCH", U, {"updated_at": "2025-01-01T00:00:00Z"}, "updated_at"),
            ("POST", U + "/contacts", dict(contact, unit_id=1), "unit_id"),
            ("POST", U + "/contacts", dict(contact, wechat="x"), "wechat"),
            ("PATCH", C, {"unit_id": 1}, "unit_id"),
            ("PATCH", C, {"id": 1}, "id"),
            ("POST", U + "/agreements", dict(agreement, name="自定义协议名"), "name"),
            ("POST", U + "/agreements", dict(agreement, scan_sha256="0" * 64), "scan_sha256"),
            ("POST", U + "/agreements", dict(agreement, unit_id=1), "unit_id"),
            ("PATCH", A, {"kind": "security_commitment"}, "kind"),
            ("PATCH", A, {"scan_name": "x.pdf"}, "scan_name"),
            ("POST", U + "/status", {"status": "暂停", "reason": "x", "clause": "LN-16", "by": "me"}, "by"),
            ("POST", "/api/v1/users", {"username": "f" + uniq(), "role": "operator",
                                       "password": PASSWORD, "pwhash": "x"}, "pwhash"),
            ("POST", "/api/v1/users", {"username": "f" + uniq(), "role": "operator",
                                       "password": PASSWORD, "id": 1}, "id"),
            ("PATCH", "/api/v1/users/%d" % self.user, {"username": "renamed"}, "username"),
            ("PATCH", "/api/v1/users/%d" % self.user, {"password": "Abcdefgh123"}, "password"),
            ("POST", "/api/v1/users/%d/password" % self.user, {"password": "Abcdefgh123", "x": 1}, "x"),
            ("POST", "/api/v1/tokens", {"name": "x", "scopes": "all"}, "scopes"),
            ("POST", "/api/v1/session", {"username": "admin", "password": PASSWORD, "remember": "1"},
             "remember"),
            ("POST", "/api/v1/session/password", {"old_password": PASSWORD, "new_password": "Abcdefgh123",
                                                  "confirm": "Abcdefgh123"}, "confirm"),
        ]
        for method, path, body, field in cases:
            self.refused("%s %s %s" % (method, path, json.dumps(body, ensure_ascii=False)), method, path,
                         body, field=field, code="invalid")
        self.done()

    # ---- sizes ----

    def padded(self, n, name):
        b = json.dumps({"name": name, "type": "其他", "level": "县直"}, ensure_ascii=False).encode()
        self.assertLessEqual(len(b), n)
        return b + b" " * (n - len(b))

    def test_body_over_limit_is_413(self):
        name = "超限单位" + uniq()
        body = self.padded(LIMIT + 1, name)
        self.raw_refused("1 MiB + 1 byte", self.head("POST", "/api/v1/units",
                                                     ["Content-Length: %d" % len(body)]), body)
        big = json.dumps({"name": "x", "type": "其他", "level": "县直",
                          "note": "备" * (LIMIT // 3 + 10)}, ensure_ascii=False).encode()
        self.raw_refused("long note", self.head("POST", "/api/v1/units",
                                                ["Content-Length: %d" % len(big)]), big)
        self.raw_refused("Content-Length above the limit, short body",
                         self.head("POST", "/api/v1/units", ["Content-Length: %d" % (LIMIT + 1)]),
                         self.padded(200, name))
        self.raw_refused("Content-Length 2 GB, headers only",
                         self.head("PATCH", self.U, ["Content-Length: 2000000000"]))
        self.raw_refused("chunked body above the limit",
                         self.head("POST", "/api/v1/units", ["Transfer-Encoding: chunked"]),
                         chunks=[self.padded(300, name)] + [b" " * 65536] * 17)
        self.raw_refused("login body above the limit",
                         self.head("POST", "/api/v1/session", ["Content-Length: %d" % (LIMIT + 10)]))
        self.raw_refused("scan Content-Length above upload_limit",
                         self.head("PUT", self.A + "/scan?filename=big.pdf",
                                   ["Content-Length: %d" % (UPLOAD_LIMIT + 1)], ctype="application/pdf"),
                         pdf())
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE name = ?", (name,)), [(0,)])
        # The server is still answering.
        self.assertEqual(self.srv.request("GET", "/api/v1/health").status, 200)
        self.done()

    def test_body_at_limit_is_accepted(self):
        """Control for the 413 test: exactly body_limit bytes is fine."""
        name = "刚好上限单位" + uniq()
        body = self.padded(LIMIT, name)
        st, j, data = self.raw_http(self.head("POST", "/api/v1/units",
                                              ["Content-Length: %d" % len(body)]), body)
        self.assertEqual(st, 201, data[:300])
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE name = ?", (name,)), [(1,)])

    def test_strings_over_max_length(self):
        U, C, A = self.U, self.C, self.A
        unit = {"name": "长度测试" + uniq(), "type": "其他", "level": "县直"}
        contact = {"role": "技术联系人", "name": "钱七", "mobile": "13800001238"}
        cases = [
            ("POST", "/api/v1/units", dict(unit, name="a" * 101), "name"),
            ("POST", "/api/v1/units", dict(unit, name="单" * 101), "name"),
            ("POST", "/api/v1/units", dict(unit, name="😀" * 101), "name"),
            ("PATCH", U, {"name": "位" * 101}, "name"),
            ("PATCH", U, {"short_name": "简" * 31}, "short_name"),
            ("PATCH", U, {"address": "址" * 201}, "address"),
            ("PATCH", U, {"note": "注" * 1001}, "note"),
            ("POST", U + "/contacts", dict(contact, name="名" * 31), "name"),
            ("POST", U + "/contacts", dict(contact, name="n" * 31), "name"),
            ("PATCH", C, {"name": "名" * 31}, "name"),
            ("PATCH", C, {"post": "职" * 51}, "post"),
            ("PATCH", C, {"email": "a" * 250 + "@x.cn"}, "email"),
            ("PATCH", A, {"signatories": "签" * 201}, "signatories"),
            ("POST", U + "/status", {"status": "暂停", "reason": "因" * 501, "clause": "LN-16"}, "reason"),
            ("POST", "/api/v1/tokens", {"name": "令" * 101}, "name"),
            ("POST", "/api/v1/users", {"username": "u" * 33, "role": "operator", "password": PASSWORD},
             "username"),
            ("PATCH", "/api/v1/users/%d" % self.user, {"display_name": "姓" * 51}, "display_name"),
            ("POST", "/api/v1/session", {"username": "a" * 65, "password": PASSWORD}, "username"),
            ("POST", "/api/v1/users/%d/password" % self.user, {"password": "Ab1" * 43}, "password"),
        ]
        for method, path, body, field in cases:
            self.refused("%s %s %s=%d chars" % (method, path, field, len(str(body.get(field, "")))),
                         method, path, body, field=field, code="invalid")
        r = self.send("GET", "/api/v1/units?q=" + "x" * 201)
        self.check_error("filter q of 201 chars", r, 400, "q", "invalid")
        self.refused("scan filename of 201 bytes", "PUT",
                     self.A + "/scan?filename=" + "f" * 197 + ".pdf", raw=pdf(b"long"),
                     headers={"Content-Type": "application/pdf"}, field="filename", code="invalid",
                     same=self.row("agreements", self.ag))
        self.done()

    def test_strings_at_max_length_are_accepted(self):
        """Control: the limits count characters, and the maximum itself is allowed."""
        name = ("满" * 96) + uniq()[-4:].rjust(4, "0")
        self.assertEqual(len(name), 100)
        r = self.send("POST", "/api/v1/units", {"name": name, "type": "其他", "level": "县直"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.srv.sql("SELECT name FROM units WHERE id = ?", (r.json["id"],)), [(name,)])
        cname = "联" * 30
        r = self.send("POST", self.U + "/contacts", {"role": "技术联系人", "name": cname,
                                                      "mobile": "13800001239"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.srv.sql("SELECT name FROM contacts WHERE id = ?", (r.json["id"],)),
                         [(cname,)])

    # ---- encodings ----

    def test_invalid_utf8(self):
        """Bytes that are not UTF-8 make the body not JSON (RFC 8259 requires UTF-8): the
        document is refused as bad_json, before any field is looked at."""
        tail = '","type":"其他","level":"县直"}'.encode()
        for label, b in (("0xff 0xfe", b'{"name":"\xff\xfe' + tail),
                         ("lone continuation byte", b'{"name":"a\x80b' + tail),
                         ("overlong slash", b'{"name":"\xc0\xaf' + tail),
                         ("UTF-8 encoded surrogate", b'{"name":"\xed\xa0\x80' + tail),
                         ("truncated sequence", b'{"name":"\xe5\x8d' + tail),
                         ("above U+10FFFF", b'{"name":"\xf4\x90\x80\x80' + tail),
                         ("latin-1 text", '{"name":"Müller单位'.encode("latin-1", "replace") + tail),
                         ("invalid bytes in a key", b'{"n\xffame":"x' + tail)):
            self.refused("unit create, " + label, "POST", "/api/v1/units", raw=b, code="bad_json")
            self.refused("contact patch, " + label, "PATCH", self.C, raw=b, code="bad_json",
                         same=self.row("contacts", self.contact))
        # In query parameters the parameter is at fault.
        r = self.send("GET", "/api/v1/units?q=%FF%FE")
        self.check_error("filter q with invalid UTF-8", r, 400, "q", "invalid")
        r = self.send("GET", "/api/v1/units?status=%E5%B7")
        self.check_error("filter status with truncated UTF-8", r, 400, "status", "invalid")
        r = self.send("GET", "/api/v1/audit?actor=%C0%AF")
        self.check_error("audit actor with overlong UTF-8", r, 400, "actor", "invalid")
        self.refused("scan filename with invalid UTF-8", "PUT", self.A + "/scan?filename=%FF.pdf",
                     raw=pdf(b"utf8"), headers={"Content-Type": "application/pdf"}, field="filename",
                     code="invalid", same=self.row("agreements", self.ag))
        self.done()

    def test_control_characters_in_strings(self):
        """Valid JSON whose string value holds a control character: the field is at fault."""
        unit = {"type": "其他", "level": "县直"}
        for label, name in (("BEL", "a\u0007b"), ("newline", "a\nb"), ("tab", "a\tb"),
                            ("escape char", "\u001b[31m"), ("carriage return", "a\rb")):
            self.refused("unit name with " + label, "POST", "/api/v1/units", dict(unit, name=name),
                         field="name", code="invalid")
        self.refused("token name with newline", "POST", "/api/v1/tokens", {"name": "a\nb"},
                     field="name", code="invalid")
        self.refused("status reason with BEL", "POST", self.U + "/status",
                     {"status": "暂停", "reason": "a\u0007", "clause": "LN-16"}, field="reason",
                     code="invalid", same=self.row("units", self.unit))
        self.done()

    def test_nul_and_del_in_strings_name_the_field(self):
        """Stricter reading: \\u0000 (escaped NUL) and a raw U+007F (DEL) are valid JSON in valid
        UTF-8, so the body is not malformed; the field holding them is at fault and the error
        must name it (as it does for \\u0007)."""
        unit = {"type": "其他", "level": "县直"}
        for label, name in (("NUL escape", "a\u0000b"), ("DEL", "a\u007fb")):
            self.refused("unit name with " + label, "POST", "/api/v1/units", dict(unit, name=name),
                         field="name", code="invalid")
        self.refused("contact name with NUL", "PATCH", self.C, {"name": "x\u0000"}, field="name",
                     code="invalid", same=self.row("contacts", self.contact))
        self.done()

    def test_nul_in_query_parameters_is_refused(self):
        """Stricter reading: %00 in a query value is a control character; the server must refuse
        it, not silently cut the value at the NUL (filename=x%00.pdf stored as "x")."""
        r = self.send("GET", "/api/v1/units?q=" + q("信息中心") + "%00zzz")
        self.check_error("filter q with NUL", r, 400, "q", "invalid")
        self.refused("filename=x%00.pdf", "PUT", self.A + "/scan?filename=x%00.pdf",
                     raw=pdf(b"nul"), headers={"Content-Type": "application/pdf"},
                     field="filename", code="invalid", same=self.row("agreements", self.ag))
        self.refused("filename=scan.pdf%00.exe", "PUT", self.A + "/scan?filename=scan.pdf%00.exe",
                     raw=pdf(b"nul2"), headers={"Content-Type": "application/pdf"},
                     field="filename", code="invalid", same=self.row("agreements", self.ag))
        self.done()

    # ---- SQL metacharacters ----

    def test_sql_metacharacters_are_stored_literally(self):
        names = ["O'Brien\"单位" + uniq(), "x'); DROP TABLE units;--" + uniq(),
                 "100%_单位\\" + uniq(), "' OR '1'='1" + uniq(), "单位; SELECT * FROM users" + uniq()]
        for n in names:
            r = self.send("POST", "/api/v1/units", {"name": n, "type": "其他", "level": "县直",
                                                    "note": "note'--\n/* */"})
            self.assertEqual(r.status, 201, (n, r))
            self.assertEqual(r.json["name"], n)
            self.assertEqual(self.srv.sql("SELECT name, note FROM units WHERE id = ?", (r.json["id"],)),
                             [(n, "note'--\n/* */")])
            got = self.send("GET", "/api/v1/units/%d" % r.json["id"])
            self.assertEqual(got.json["name"], n)
        cname = "O'Neil\";--"
        r = self.send("POST", self.U + "/contacts", {"role": "技术联系人", "name": cname,
                                                      "mobile": "13800001240", "email": "o'neil@example.com"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.srv.sql("SELECT name, email FROM contacts WHERE id = ?", (r.json["id"],)),
                         [(cname, "o'neil@example.com")])
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE name LIKE 'x''); DROP%'"), [(1,)])

    def test_sql_metacharacters_in_filters_are_literal(self):
        """Query filters match their text literally: quotes do not break out, and % _ \\ are
        not wildcards (q is a substring search)."""
        tag = uniq()
        special = {"%": "百分之百%单位" + tag, "_": "下划线_单位" + tag, "\\": "反斜杠\\单位" + tag,
                   "'": "引号'单位" + tag}
        ids = {}
        for ch, n in special.items():
            r = self.send("POST", "/api/v1/units", {"name": n, "type": "其他", "level": "县直"})
            self.assertEqual(r.status, 201, r)
            ids[ch] = r.json["id"]
        all_names = [n for (n,) in self.srv.sql("SELECT name FROM units")]
        before = self.srv.counts()
        for needle in ["%", "_", "\\", "'", "%%", "_%", "%单位", "' OR '1'='1", "') OR 1=1 --",
                       "\\%", "'; DROP TABLE units; --", '"', "*"]:
            r = self.send("GET", "/api/v1/units?limit=500&q=" + q(needle))
            if r.status != 200:
                self.problems.append("q=%r: status %d %r" % (needle, r.status, r.raw[:200]))
                continue
            got = sorted(u["name"] for u in r.json["items"])
            want = sorted(n for n in all_names if needle.lower() in n.lower())
            if got != want:
                self.problems.append("q=%r: %d units returned, %d contain the text literally (e.g. %r)"
                                     % (needle, len(got), len(want),
                                        [n for n in got if n not in want][:3]))
        for param, val in (("status", "已接入' OR '1'='1"), ("type", "其他' --"),
                           ("level", "县直\" OR 1=1")):
            # an enum filter takes only its values: refused naming the parameter
            r = self.send("GET", "/api/v1/units?%s=%s" % (param, q(val)))
            if r.status != 400 or (r.json or {}).get("error", {}).get("field") != param:
                self.problems.append("%s=%r: %d %r" % (param, val, r.status, r.raw[:200]))
        for param, val in (("actor", "admin' OR '1'='1"), ("object_type", "unit' --"),
                           ("action", "%")):
            r = self.send("GET", "/api/v1/audit?%s=%s" % (param, q(val)))
            if r.status != 200 or r.json["items"]:
                self.problems.append("audit %s=%r: %d with %s items" % (
                    param, val, r.status, len((r.json or {}).get("items", []))))
        r = self.send("GET", "/api/v1/users?q=" + q("%"))
        if r.status != 200 or r.json["items"]:
            self.problems.append("users q='%%': %d with %s items" % (
                r.status, len((r.json or {}).get("items", []))))
        for sort in ("name;DROP TABLE units", "name DESC, (SELECT 1)", "id--", "1"):
            r = self.send("GET", "/api/v1/units?sort=" + q(sort))
            self.check_error("sort=%r" % sort, r, 400, "sort", "invalid")
        self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE id IN (%s)" %
                                      ",".join(str(i) for i in ids.values())), [(len(ids),)])
        self.done()

    # ---- uploads ----

    def test_upload_file_name_path_tricks(self):
        same = self.row("agreements", self.ag)
        for raw_name in ["../x.pdf", "..%2Fx.pdf", "%2E%2E%2Fx.pdf", "a/b.pdf", "a%2Fb.pdf",
                         "/etc/passwd", "..%5Cx.pdf", "a%5Cb.pdf", "C%3A%5Cx.pdf", ".x.pdf", ".pdf",
                         "..", "%2E", "x%0A.pdf", "x%0D%0ASet-Cookie%3A%20a%3Db.pdf",
                         "a%3Cb%3E.pdf", "a%7Cb.pdf", "a%2Ab.pdf", "a%3Fb.pdf", "a%22b.pdf", ""]:
            self.refused("filename=%s" % raw_name, "PUT", self.A + "/scan?filename=" + raw_name,
                         raw=pdf(raw_name.encode()), headers={"Content-Type": "application/pdf"},
                         field="filename", code="invalid", same=same)
        self.refused("no filename", "PUT", self.A + "/scan", raw=pdf(b"nofile"),
                     headers={"Content-Type": "application/pdf"}, field="filename", code="invalid",
                     same=same)
        self.done()

    def test_scan_that_is_not_pdf_png_or_jpeg(self):
        same = self.row("agreements", self.ag)
        for label, data in (("GIF", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
                            ("plain text", b"hello, this is not a scan"),
                            ("HTML", b"<html><script>alert(1)</script></html>"),
                            ("ZIP/DOCX", b"PK\x03\x04" + b"\x00" * 30),
                            ("EXE", b"MZ\x90\x00" + b"\x00" * 60),
                            ("SVG", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
                            ("'%PDF' without the dash", b"%PDF1.4 nope"),
                            ("PDF magic after a BOM", b"\xef\xbb\xbf%PDF-1.4\n"),
                            ("truncated PNG magic", b"\x89PNG\r\n"),
                            ("two JPEG bytes", b"\xff\xd8")):
            for ct in ("application/pdf", "application/octet-stream", None):
                h = {"Content-Type": ct} if ct else {}
                self.refused("%s as %s" % (label, ct), "PUT", self.A + "/scan?filename=scan.pdf",
                             raw=data, headers=h, status=415, field="file",
                             code="unsupported_media_type", same=same)
        self.refused("empty scan", "PUT", self.A + "/scan?filename=scan.pdf", raw=b"",
                     headers={"Content-Type": "application/pdf"}, field="file", code="invalid",
                     same=same)
        self.done()

    def test_scan_declared_type_not_matching_bytes(self):
        same = self.row("agreements", self.ag)
        for label, data, ct in (("PDF declared PNG", pdf(b"m1"), "image/png"),
                                ("PDF declared JPEG", pdf(b"m2"), "image/jpeg"),
                                ("PNG declared PDF", PNG, "application/pdf"),
                                ("JPEG declared PNG", JPEG, "image/png"),
                                ("PDF declared text/html", pdf(b"m3"), "text/html"),
                                ("PDF declared JSON", pdf(b"m4"), "application/json")):
            self.refused(label, "PUT", self.A + "/scan?filename=scan.pdf", raw=data,
                         headers={"Content-Type": ct}, status=415, field="file",
                         code="unsupported_media_type", same=same)
        self.done()

    def test_scan_good_types_are_accepted(self):
        """Control for the two tests above."""
        for data, ct, mime in ((pdf(b"ok1"), "application/pdf", "application/pdf"),
                               (PNG + b"1", "image/png", "image/png"),
                               (JPEG + b"1", None, "image/jpeg"),
                               (pdf(b"ok2"), "application/octet-stream", "application/pdf")):
            h = {"Content-Type": ct} if ct else {}
            r = self.send("PUT", self.A + "/scan?filename=" + q("扫描件 (1).pdf"), raw=data, headers=h)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(self.srv.sql("SELECT scan_sha256, scan_type, scan_name FROM agreements"
                                          " WHERE id = ?", (self.ag,)),
                             [(hashlib.sha256(data).hexdigest(), mime, "扫描件 (1).pdf")])

    # ---- formats ----

    def test_bad_mobile_numbers(self):
        base = {"role": "技术联系人", "name": "孙八"}
        for m in ["1380000123", "138000012345", "23800001234", "12800001234", "10800001234",
                  "1380000123a", "+8613800001234", "138 0000 1234", "138-0000-1234",
                  "１３８００００１２３４", "13800001234\n", " 13800001234", "", "0", "13800001234x"]:
            self.refused("create mobile %r" % m, "POST", self.U + "/contacts", dict(base, mobile=m),
                         field="mobile", code="invalid")
            self.refused("patch mobile %r" % m, "PATCH", self.C, {"mobile": m}, field="mobile",
                         code="invalid", same=self.row("contacts", self.contact))
        self.done()

    def test_bad_email_and_enums(self):
        base = {"role": "技术联系人", "name": "周九", "mobile": "13800001241"}
        for e in ["plain", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@.com",
                  "a@example..com", "a@-example.com", "a@example.com.", "张@example.com"]:
            self.refused("email %r" % e, "POST", self.U + "/contacts", dict(base, email=e),
                         field="email", code="invalid")
        unit = {"name": "枚举测试" + uniq(), "type": "其他", "level": "县直"}
        for k, v in (("type", "企业"), ("type", ""), ("type", "其他 "), ("level", "省直"),
                     ("level", "village")):
            self.refused("unit %s=%r" % (k, v), "POST", "/api/v1/units", dict(unit, **{k: v}),
                         field=k, code="invalid")
        self.refused("contact role", "POST", self.U + "/contacts", dict(base, role="司机"),
                     field="role", code="invalid")
        self.refused("agreement kind of another county", "POST", self.U + "/agreements",
                     {"kind": "confidentiality", "signed_on": "2025-01-01"}, field="kind", code="invalid")
        self.refused("agreement kind of another party", "POST", self.U + "/agreements",
                     {"kind": "carrier_commitment", "signed_on": "2025-01-01"}, field="kind",
                     code="invalid")
        self.refused("user role", "POST", "/api/v1/users",
                     {"username": "e" + uniq(), "role": "root", "password": PASSWORD}, field="role",
                     code="invalid")
        self.done()

    def test_bad_dates(self):
        base = {"kind": "security_commitment"}
        for d in ["2026-02-30", "2025-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
                  "2025-1-1", "20250101", "2025/01/01", "2025-01-01T00:00:00Z", "01-01-2025",
                  "２０２５-01-01", "1899-12-31", "2199-01-01", "", "yesterday"]:
            self.refused("signed_on %r" % d, "POST", self.U + "/agreements", dict(base, signed_on=d),
                         field="signed_on", code="invalid")
            self.refused("patch signed_on %r" % d, "PATCH", self.A, {"signed_on": d},
                         field="signed_on", code="invalid", same=self.row("agreements", self.ag))
        for d in ["2026-02-30T00:00:00Z", "2030-01-01T25:00:00Z", "2030-01-01 00:00", "tomorrow",
                  "2020-01-01T00:00:00Z"]:
            self.refused("token expires_at %r" % d, "POST", "/api/v1/tokens",
                         {"name": "x", "expires_at": d}, field="expires_at", code="invalid")
        for p in ("from", "to"):
            r = self.send("GET", "/api/v1/audit?%s=2026-02-30" % p)
            self.check_error("audit %s=2026-02-30" % p, r, 400, p, "invalid")
        self.done()

    def test_leap_day_is_a_date(self):
        """Control for test_bad_dates."""
        r = self.send("POST", self.U + "/agreements", {"kind": "security_commitment", "signed_on": "2024-02-29"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.srv.sql("SELECT signed_on FROM agreements WHERE id = ?", (r.json["id"],)),
                         [("2024-02-29",)])

    # ---- references, rules ----

    def test_bad_references(self):
        unit = {"name": "引用测试" + uniq(), "type": "其他", "level": "县直"}
        self.refused("parent_id of no unit", "POST", "/api/v1/units", dict(unit, parent_id=999999),
                     field="parent_id", code="invalid")
        self.refused("unit its own parent", "PATCH", self.U, {"parent_id": self.unit},
                     field="parent_id", code="invalid", same=self.row("units", self.unit))
        child = self.send("POST", "/api/v1/units", dict(unit, parent_id=self.unit))
        self.assertEqual(child.status, 201, child)
        self.refused("parent cycle", "PATCH", self.U, {"parent_id": child.json["id"]},
                     field="parent_id", code="invalid", same=self.row("units", self.unit))
        self.refused("unit_admin without a unit", "POST", "/api/v1/users",
                     {"username": "r" + uniq(), "role": "unit_admin", "password": PASSWORD},
                     field="unit_id", code="invalid")
        self.refused("operator with a unit", "POST", "/api/v1/users",
                     {"username": "r" + uniq(), "role": "operator", "unit_id": self.unit,
                      "password": PASSWORD}, field="unit_id", code="invalid")
        for name in ("Admin", "a", "has space", "中文名", "a/b", "x" * 33):
            self.refused("username %r" % name, "POST", "/api/v1/users",
                         {"username": name, "role": "operator", "password": PASSWORD},
                         field="username", code="invalid")
        for pw in ("short1A", "onlyletters", "1234567890", ""):
            self.refused("password %r" % pw, "POST", "/api/v1/users",
                         {"username": "p" + uniq(), "role": "operator", "password": pw},
                         field="password", code="invalid")
        self.refused("token for user 0", "POST", "/api/v1/tokens", {"name": "x", "user_id": 0},
                     field="user_id", code="invalid")
        self.refused("token for user -1", "POST", "/api/v1/tokens", {"name": "x", "user_id": -1},
                     field="user_id", code="invalid")
        self.refused("token without a name", "POST", "/api/v1/tokens", {"name": ""},
                     field="name", code="invalid")
        self.refused("wrong old password", "POST", "/api/v1/session/password",
                     {"old_password": "Wrong2026pass", "new_password": "Abcdefgh123"},
                     field="old_password", code="invalid")
        self.refused("weak new password", "POST", "/api/v1/session/password",
                     {"old_password": PASSWORD, "new_password": "weak"},
                     field="new_password", code="invalid")
        self.done()

    def test_token_expires_at_of_wrong_type(self):
        """expires_at must be an RFC 3339 string; a number must not be dropped silently
        (that creates a token that never expires)."""
        for v in (1893456000, 0, -1):
            self.refused("expires_at %r" % v, "POST", "/api/v1/tokens",
                         {"name": "过期时间" + uniq(), "expires_at": v}, field="expires_at",
                         code="invalid")
        self.done()

    def test_unit_admin_bound_to_missing_unit(self):
        """The unit is at fault, not the user name (cf. parent_id: 400 naming parent_id)."""
        self.refused("unit_admin bound to no existing unit", "POST", "/api/v1/users",
                     {"username": "r" + uniq(), "role": "unit_admin", "unit_id": 999999,
                      "password": PASSWORD}, field="unit_id", code="invalid")
        self.done()

    def test_status_change_to_unknown_status(self):
        same = self.row("units", self.unit)
        for body in ({"status": "bogus"}, {"status": "CONNECTED"}, {"status": ""},
                     {"status": " 暂停"}, {"status": "已接入 "}, {}, {"reason": "x"},
                     {"status": "deleted", "reason": "x", "clause": "LN-16"}):
            self.refused("status body %s" % json.dumps(body, ensure_ascii=False), "POST",
                         self.U + "/status", body, field="status", code="invalid", same=same)
        self.refused("suspend without a reason", "POST", self.U + "/status",
                     {"status": "暂停", "clause": "LN-16"}, field="reason", code="invalid", same=same)
        self.done()

    def test_status_clause_not_in_regulation(self):
        same = self.row("units", self.unit)
        for clause in ("LN-999", "LN-0", "TB-1", "JX-9", "ln-16", "LN-16 ", "LN16", "第十六条",
                       "LN-16' OR '1'='1"):
            self.refused("clause %r" % clause, "POST", self.U + "/status",
                         {"status": "暂停", "reason": "检查", "clause": clause}, field="clause",
                         code="invalid", same=same)
        # The regulation names no clause for 暂停, so one must be given.
        self.refused("no clause for a status the regulation does not cover", "POST",
                     self.U + "/status", {"status": "暂停", "reason": "检查"}, field="clause",
                     code="invalid", same=same)
        self.done()

    def test_create_unit_as_connected_obeys_connection_gate(self):
        """Registering a unit straight as 已接入 must not bypass the connection gate (LN-17:
        connection needs the signed 安全保密承诺书), which POST /status enforces with 422."""
        name = "直接接入" + uniq()
        self.refused("create as 已接入 without the agreement", "POST", "/api/v1/units",
                     {"name": name, "type": "其他", "level": "县直", "status": "已接入"},
                     status=422, field="status", code="rule")
        self.done()

    # ---- query parameters ----
    # (one test per list endpoint, generated below)

    def lists(self):
        return {
            "units": "/api/v1/units",
            "users": "/api/v1/users",
            "audit": "/api/v1/audit",
            "tokens": "/api/v1/tokens",
            "contacts": self.U + "/contacts",
            "agreements": self.U + "/agreements",
            "history": self.U + "/history",
            "missing": "/api/v1/agreements/missing",
        }

    def list_refused(self, label, path, field):
        before = self.srv.counts()
        r = self.send("GET", path)
        self.check_error(label, r, 400, field, "invalid")
        if self.srv.counts() != before:
            self.problems.append("%s: wrote to the database" % label)

    def unknown_param(self, which):
        path = self.lists()[which]
        keys = ["foo", "LIMIT", "unit_id_x", "password", "filter[name]", "sort "]
        if which not in PAGED:
            # not paginated (api/openapi.json): the list parameters are unknown here too
            keys += ["limit", "cursor", "sort", "q"]
        for key in keys:
            self.list_refused("%s ?%s=1" % (which, key), path + "?" + q(key) + "=1", key)
        self.done()

    def bad_limit(self, which):
        path = self.lists()[which]
        for v in ("0", "501", "abc", "-1", "1.5", "", "1e2", "0x10", "99999999999999999999"):
            self.list_refused("%s ?limit=%s" % (which, v), path + "?limit=" + v, "limit")
        r = self.send("GET", path + "?limit=500")
        if r.status != 200:
            self.problems.append("%s ?limit=500 (control): %r" % (which, r))
        self.done()

    def bad_cursor(self, which):
        path = self.lists()[which]
        import base64

        def enc(s):
            return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")

        for v in ("!!!", "Zm9v", enc("id\n1"), enc("name\nx\n1"), enc("id\n1\nabc"), enc("id\n1\n0"),
                  "A" * 600, enc("id\n1\n1") + "==="):
            self.list_refused("%s ?cursor=%s" % (which, v[:20]), path + "?cursor=" + q(v), "cursor")
        self.done()

    def bad_sort(self, which):
        path = self.lists()[which]
        for v in ("bogus", "-bogus", "pwhash", "token_hash", "--id", "+-id", "", "-", "id,name",
                  "name;DROP TABLE units"):
            self.list_refused("%s ?sort=%s" % (which, v), path + "?sort=" + q(v), "sort")
        self.done()

    def test_unknown_query_parameter_on_other_routes(self):
        """Not only lists: a parameter a route does not take is refused, never ignored (a
        write with ?dry_run=1 must not be carried out as a real write)."""
        unit = {"name": "参数测试" + uniq(), "type": "其他", "level": "县直"}
        for method, path, body, raw, key in (
                ("POST", "/api/v1/units?dry_run=1", unit, None, "dry_run"),
                ("PATCH", self.U + "?force=1", {"note": "参数"}, None, "force"),
                ("POST", self.U + "/contacts?notify=0",
                 {"role": "技术联系人", "name": "参数", "mobile": "13800001250"}, None, "notify"),
                ("DELETE", self.C + "?cascade=1", None, None, "cascade"),
                ("PUT", self.A + "/scan?filename=a.pdf&overwrite=1", None, pdf(b"p"), "overwrite"),
                ("POST", "/api/v1/tokens?user_id=1", {"name": "参数"}, None, "user_id"),
                ("GET", self.U + "?fields=name", None, None, "fields"),
                ("GET", "/api/v1/profile?texts=1&lang=en", None, None, "lang")):
            h = {"Content-Type": "application/pdf"} if raw else None
            self.refused("%s %s" % (method, path), method, path, body, raw=raw, headers=h,
                         field=key, code="invalid", same=self.row("units", self.unit))
        self.done()

    def test_bad_cursor_valid_cursor_control(self):
        r = self.send("GET", "/api/v1/units?limit=2&sort=name")
        self.assertEqual(r.status, 200, r)
        cur = r.json["next_cursor"]
        self.assertTrue(cur)
        r2 = self.send("GET", "/api/v1/units?limit=2&sort=name&cursor=" + q(cur))
        self.assertEqual(r2.status, 200, r2)
        # A cursor made for one sort order is refused for another.
        r3 = self.send("GET", "/api/v1/units?limit=2&sort=id&cursor=" + q(cur))
        self.check_error("cursor of sort=name used with sort=id", r3, 400, "cursor", "invalid")
        self.done()

    # ---- If-Match ----

    def if_match_routes(self):
        u, c, a = self.unit, self.contact, self.ag
        return [
            ("unit patch", "PATCH", self.U, {"note": "stale"}, None, "units", u),
            ("unit status", "POST", self.U + "/status", {"status": "暂停", "reason": "x", "clause": "LN-16"},
             None, "units", u),
            ("contact patch", "PATCH", self.C, {"name": "过期"}, None, "contacts", c),
            ("contact delete", "DELETE", self.C, None, None, "contacts", c),
            ("agreement patch", "PATCH", self.A, {"signatories": "过期"}, None, "agreements", a),
            ("agreement delete", "DELETE", self.A, None, None, "agreements", a),
            ("scan put", "PUT", self.A + "/scan?filename=s.pdf", None, pdf(b"stale"), "agreements", a),
            ("user patch", "PATCH", "/api/v1/users/%d" % self.user, {"display_name": "过期"}, None,
             "users", self.user),
        ]

    def test_stale_if_match_is_412(self):
        for label, method, path, body, raw, table, id_ in self.if_match_routes():
            rev = self.rev(table, id_)
            h = {"If-Match": '"r%d"' % (rev - 1)}
            if raw is not None:
                h["Content-Type"] = "application/pdf"
            self.refused("%s If-Match r%d (current r%d)" % (label, rev - 1, rev), method, path, body,
                         raw=raw, headers=h, status=412, code="stale", same=self.row(table, id_))
            h["If-Match"] = '"r%d"' % (rev + 1)
            self.refused("%s If-Match r%d (current r%d)" % (label, rev + 1, rev), method, path, body,
                         raw=raw, headers=h, status=412, code="stale", same=self.row(table, id_))
        self.done()

    def test_malformed_if_match_is_400(self):
        for label, method, path, body, raw, table, id_ in self.if_match_routes():
            rev = self.rev(table, id_)
            for v in ("r%d" % rev, '"%d"' % rev, '"x%d"' % rev, '"r"', '"r0"', '"r-1"', '"rabc"',
                      '"r%d' % rev, 'r%d"' % rev, '""', '"r99999999999999999999"', '"r1.0"', '" r1"',
                      "garbage"):
                h = {"If-Match": v}
                if raw is not None:
                    h["Content-Type"] = "application/pdf"
                self.refused("%s If-Match %s" % (label, v), method, path, body, raw=raw, headers=h,
                             field="If-Match", code="invalid", same=self.row(table, id_))
        self.done()

    # ---- paths ----

    def test_bad_ids_in_paths(self):
        for path in ("/api/v1/units/0", "/api/v1/units/-1", "/api/v1/units/abc", "/api/v1/units/1.5",
                     "/api/v1/units/99999999999999999999",
                     "/api/v1/units/%d/contacts/0" % self.unit, "/api/v1/units/../users",
                     "/api/v1/units/%d/agreements/x/scan" % self.unit):
            for method, body in (("GET", None), ("PATCH", {"note": "x"}), ("DELETE", None)):
                self.refused("%s %s" % (method, path), method, path, body, status=404,
                             code="not_found")
        self.done()


def _gen(kind, fn_name, which):
    def test(self):
        getattr(self, fn_name)(which)
    test.__name__ = "test_%s__%s" % (kind, which)
    test.__doc__ = "%s on the %s list: 400 naming the parameter, nothing written." % (kind, which)
    return test


for _which in ("units", "users", "audit", "tokens", "contacts", "agreements", "history", "missing"):
    setattr(BadInput, "test_unknown_query_parameter__" + _which,
            _gen("unknown_query_parameter", "unknown_param", _which))
# limit, cursor and sort: the lists the API documents (api/openapi.json) as paginated.
for _which in PAGED:
    for _kind, _fn in (("bad_limit", "bad_limit"), ("bad_cursor", "bad_cursor"), ("bad_sort", "bad_sort")):
        setattr(BadInput, "test_%s__%s" % (_kind, _which), _gen(_kind, _fn, _which))
