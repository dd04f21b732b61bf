"""Each of the five county profiles on its own server: demo seed, profile and clause texts, the
CLI working on the live database, the audit chain; and the expiry warning of JX (JX-28)."""
import json
import os
import pwd
import re

from harness import ServerTest, approve_access, run_cli

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n):
    """Chinese numeral for 1..99 as used in article headings (第二十八条)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


PROFILES = {
    # id: (county, prefix, title, articles, unit agreement kinds, connect clause, gate clause)
    "jiaxian": ("佳县", "JX", "佳县电子政务网络管理办法（试行）", 28,
                ["confidentiality", "security_responsibility"], "JX-9", "JX-9"),
    "miyun": ("密云县", "MY", "密云县电子政务网络与网站群管理办法", 25, [], "MY-4", None),
    "shengsi": ("嵊泗县", "SS", "嵊泗县电子政务网络与信息系统安全管理暂行办法", 27, [], "SS-10", None),
    "luoning": ("洛宁县", "LN", "洛宁县电子政务外网建设管理办法", 29, ["security_commitment"], "LN-16", "LN-17"),
    "tongbai": ("桐柏县", "TB", "桐柏县电子政务外网管理办法（征求意见稿）", 27, [], "TB-13", None),
}
SIGNED_DEMO_UNITS = 52  # units with "agreements = signed" in data/demo/units.conf


class ProfileCase:
    """Mixed into one ServerTest per profile (below). Tests are numbered: they run in order."""

    def api(self, method, path, body=None, **kw):
        return self.srv.as_("admin", method, path, body, **kw)

    def get(self, path):
        r = self.api("GET", path)
        self.assertEqual(r.status, 200, r)
        return r.json

    @property
    def exp(self):
        county, prefix, title, articles, kinds, connect, gate = PROFILES[self.profile]
        return dict(county=county, prefix=prefix, title=title, articles=articles, kinds=kinds,
                    connect=connect, gate=gate)

    def test_1_demo_seeded(self):
        units = self.get("/api/v1/units?limit=500")
        self.assertEqual(len(units["items"]), 60)
        self.assertIsNone(units["next_cursor"])
        c = self.exp["county"]
        self.assertTrue(all(c in u["name"] and "{" not in u["name"] for u in units["items"]),
                        [u["name"] for u in units["items"]])
        self.assertEqual(units["items"][0]["name"], c + "信息中心")
        # Every status the demo set rests on a clause this profile gives for it.
        prof = self.get("/api/v1/profile")
        sc = prof["unit_status_clauses"]
        for u in units["items"]:
            code = u["status_code"]
            self.assertTrue(code == "applying" or code in sc, (u["name"], code, sc))
            if code in sc:
                self.assertEqual(u["status_clause"], sc[code][0], u)
        counts = self.srv.counts()
        self.assertEqual(counts["agreements"], SIGNED_DEMO_UNITS * len(self.exp["kinds"]))
        kinds = {k for (k,) in self.srv.sql("SELECT DISTINCT kind FROM agreements")}
        self.assertEqual(kinds, set(self.exp["kinds"]))
        self.assertGreater(counts["contacts"], 100)
        users = {u["username"] for u in self.get("/api/v1/users")["items"]}
        has_authority = any(o["role"] == "authority" for o in prof["organisations"])
        want = {"admin", "ops", "carrier", "unit", "inspector", "auditor"} | ({"authority"} if has_authority else set())
        self.assertEqual(users, want)
        self.assertEqual(has_authority, self.profile == "miyun")
        h = self.srv.as_("admin", "GET", "/api/v1/health").json
        self.assertEqual(h["profile"], self.profile)

    def test_2_profile(self):
        p = self.get("/api/v1/profile")
        e = self.exp
        self.assertEqual((p["id"], p["county"], p["prefix"], p["title"]),
                         (self.profile, e["county"], e["prefix"], e["title"]))
        articles = [c for c in p["clauses"] if c["kind"] == "article"]
        self.assertEqual(len(articles), e["articles"])
        self.assertEqual([c["id"] for c in articles],
                         ["%s-%d" % (e["prefix"], n) for n in range(1, e["articles"] + 1)])
        self.assertEqual([c["article"] for c in articles], list(range(1, e["articles"] + 1)))
        self.assertTrue(all(c["summary"] for c in articles))
        self.assertTrue(all("text" not in c for c in p["clauses"]), "texts only with ?texts=1")
        self.assertEqual(p["validity_clause"], "%s-%d" % (e["prefix"], e["articles"]))
        self.assertEqual(sorted(a["key"] for a in p["agreements"] if a["party"] == "unit"), sorted(e["kinds"]))
        full = self.get("/api/v1/profile?texts=1")
        self.assertTrue(all(c["text"] for c in full["clauses"]))
        # Every role may read the regulation.
        for user in ("ops", "carrier", "unit", "inspector", "auditor"):
            self.assertEqual(self.srv.as_(user, "GET", "/api/v1/profile").status, 200, user)
        self.assertEqual(self.srv.request("GET", "/api/v1/profile").status, 401)

    def test_3_clause_texts(self):
        e = self.exp
        c = self.get("/api/v1/profile/clauses/%s-1" % e["prefix"])
        self.assertEqual((c["id"], c["kind"], c["article"], c["regulation"]),
                         ("%s-1" % e["prefix"], "article", 1, e["title"]))
        self.assertTrue(c["text"].startswith("第一条"), c["text"][:20])
        self.assertTrue(c["chapter"].startswith("第一章") if c.get("chapter") else True, c)
        self.assertGreater(len(c["text"]), 20)
        n = e["articles"]
        last = self.get("/api/v1/profile/clauses/%s-%d" % (e["prefix"], n))
        self.assertTrue(last["text"].startswith("第%s条" % cn_number(n)), last["text"][:20])
        self.assertError(self.api("GET", "/api/v1/profile/clauses/%s-%d" % (e["prefix"], n + 1)), 404, field="clause")
        other = "TB" if e["prefix"] != "TB" else "JX"
        self.assertError(self.api("GET", "/api/v1/profile/clauses/%s-1" % other), 404, field="clause")

    def test_4_cli_on_live_database(self):
        e = self.exp
        name = e["county"] + "命令行登记单位"
        p = run_cli("unit", "add", "--name", name, "--type", "事业单位", "--level", "乡镇",
                    "--address", "命令行路1号", db=self.srv.db)
        m = re.search(r"编号 (\d+)", p.stdout)
        self.assertIsNotNone(m, p.stdout)
        uid = int(m.group(1))
        u = self.get("/api/v1/units/%d" % uid)
        self.assertEqual((u["name"], u["type"], u["level"], u["address"], u["status"], u["rev"]),
                         (name, "事业单位", "乡镇", "命令行路1号", "申请中", 1))
        run_cli("unit", "set", str(uid), "--address", "命令行路2号", "--short-name", "命令行", db=self.srv.db)
        u = self.get("/api/v1/units/%d" % uid)
        self.assertEqual((u["address"], u["short_name"], u["rev"]), ("命令行路2号", "命令行", 2))
        # The CLI obeys the profile the database was set up with (no --profile given).
        approve_access(self.srv, uid)
        p = run_cli("unit", "set", str(uid), "--status", "已接入", db=self.srv.db, check=False)
        if e["gate"]:
            self.assertEqual(p.returncode, 1, p)
            self.assertIn("依据条款：%s" % e["gate"], p.stderr)
            self.assertEqual(self.get("/api/v1/units/%d" % uid)["status"], "申请中")
            for kind in e["kinds"]:
                r = self.api("POST", "/api/v1/units/%d/agreements" % uid, {"kind": kind, "signed_on": "2024-05-05"})
                self.assertEqual(r.status, 201, r)
            p = run_cli("unit", "set", str(uid), "--status", "已接入", db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 0, p)
        u = self.get("/api/v1/units/%d" % uid)
        self.assertEqual((u["status"], u["status_clause"]), ("已接入", e["connect"]))
        # An API change shows in the CLI.
        r = self.api("POST", "/api/v1/units/%d/contacts" % uid,
                     {"role": "网络管理员", "name": "陈明", "mobile": "13512345678"})
        self.assertEqual(r.status, 201, r)
        shown = json.loads(run_cli("unit", "show", str(uid), db=self.srv.db).stdout)
        self.assertEqual(shown["id"], uid)
        self.assertEqual([c["name"] for c in shown["contacts"]], ["陈明"])
        self.assertEqual(sorted(a["kind"] for a in shown["agreements"]), sorted(e["kinds"] if e["gate"] else []))
        self.assertEqual([h["to"] for h in shown["history"]], ["申请中", "已接入"])
        listed = json.loads(run_cli("unit", "list", "--json", db=self.srv.db).stdout)
        self.assertEqual(len(listed), 61)
        self.assertIn(name, [x["name"] for x in listed])
        self.assertIn(name, run_cli("unit", "list", "--status", "已接入", db=self.srv.db).stdout)
        self.assertNotIn(name, run_cli("unit", "list", "--status", "申请中", db=self.srv.db).stdout)
        # CLI changes are audited as cli:<login>, role system.
        me = "cli:" + pwd.getpwuid(os.getuid()).pw_name
        log = self.get("/api/v1/audit?object_type=unit&object_id=%d" % uid)["items"]
        self.assertEqual(sorted((x["action"], x["actor"], x["role"]) for x in log),
                         sorted([("unit.create", me, "system"), ("unit.update", me, "system"),
                                 ("unit.status", me, "system")]))
        bad = run_cli("unit", "add", "--name", name, "--type", "事业单位", "--level", "乡镇", db=self.srv.db,
                      check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.verify_chain()

    def verify_chain(self):
        self.srv.login("admin")  # before counting: a login is audited too
        n = self.srv.counts()["audit"]
        p = run_cli("audit", "verify", db=self.srv.db, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("共 %d 条" % n, p.stdout)
        v = self.get("/api/v1/audit/verify")
        self.assertEqual((v["ok"], v["entries"], v["first_bad_id"]), (True, n, None))

    def test_5_audit_verify(self):
        self.verify_chain()


def _profile_class(pid):
    return type("Profile_" + pid, (ProfileCase, ServerTest), {"profile": pid})


for _pid in PROFILES:
    globals()["Profile_" + _pid] = _profile_class(_pid)
del _pid


class ExpiryCase(ServerTest):
    """JX expires 2026-11-28 (JX-28): the server warns from 30 days before."""

    profile = "jiaxian"
    now = None
    days = None

    @classmethod
    def setUpClass(cls):
        cls.env = {"ZWNET_NOW": cls.now}
        super().setUpClass()

    def check(self, warn):
        h = self.srv.as_("admin", "GET", "/api/v1/health")
        self.assertEqual(h.status, 200, h)
        self.assertTrue(h.json["time"].startswith(self.now[:10]), h.json)
        p = self.srv.as_("admin", "GET", "/api/v1/profile").json
        self.assertEqual(p["expires"], "2026-11-28")
        self.assertEqual(p["days_to_expiry"], self.days)
        if not warn:
            self.assertEqual(h.json["status"], "ok", h.json)
            self.assertEqual(h.json["warnings"], [])
            self.assertIsNone(p["expiry_warning"])
            self.assertNotIn("2026-11-28", self.srv.output())
            return None
        self.assertEqual(h.json["status"], "warning", h.json)
        self.assertEqual(len(h.json["warnings"]), 1, h.json)
        w = h.json["warnings"][0]
        self.assertEqual((w["code"], w["clause"]), ("profile_expiring", "JX-28"))
        self.assertIn("2026-11-28", w["message"])
        self.assertEqual(p["expiry_warning"], w["message"])
        self.assertIn(w["message"], self.srv.output())  # also in the server log at start
        return w


class Expiry_in_5_days(ExpiryCase):
    now = "2026-11-23T04:00:00Z"
    days = 5

    def test_warning(self):
        w = self.check(True)
        self.assertIn("5 天", w["message"])


class Expiry_in_30_days(ExpiryCase):
    now = "2026-10-29T00:00:00Z"  # 08:00 in China: 30 days left
    days = 30

    def test_warning(self):
        self.check(True)


class Expiry_not_yet(ExpiryCase):
    now = "2026-10-01T00:00:00Z"
    days = 58

    def test_no_warning(self):
        self.check(False)


class Expiry_passed(ExpiryCase):
    now = "2026-12-01T00:00:00Z"
    days = -3

    def test_expired_warning(self):
        w = self.check(True)
        self.assertIn("失效", w["message"])


class Expiry_last_day(ExpiryCase):
    """民法典 201/202: 有效期2年 from 2024-11-28 does not count that day and ends on 2026-11-28,
    which is still in force: the warning says so, and that it lapses from 2026-11-29."""
    now = "2026-11-28T04:00:00Z"
    days = 0

    def test_still_in_force_on_the_last_day(self):
        w = self.check(True)
        self.assertIn("有效期至 2026-11-28", w["message"])
        self.assertIn("自 2026-11-29 起失效", w["message"])
        self.assertNotIn("已", w["message"])


class Expiry_first_lapsed_day(ExpiryCase):
    now = "2026-11-29T04:00:00Z"
    days = -1

    def test_lapsed_from_the_day_after(self):
        w = self.check(True)
        self.assertIn("已自 2026-11-29 起失效", w["message"])
        self.assertNotIn("已于 2026-11-28", w["message"])
        p = self.srv.as_("admin", "GET", "/api/v1/profile").json
        self.assertEqual((p["validity"], p["validity_rule"]), ("2y", "civil_code"))
