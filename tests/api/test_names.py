"""Names people read (units, contacts, users, carriers, ...): no blank, invisible, control or
bidirectional-control characters, kept as typed less the blanks around them, and units unique
by the NFKC key of their name (full-width/half-width, case and blanks do not make a new unit).
"""
import sqlite3

from harness import UNDO_MIGRATION_16, ServerTest

BAD = [
    ("blank", " "),
    ("full-width spaces only", "\u3000\u3000"),
    ("NBSP only", "\u00a0"),
    ("zero-width space only", "\u200b"),
    ("zero-width joiners only", "\u200c\u200d"),
    ("BOM inside", "县\ufeff财政局"),
    ("RLO", "\u202e局政财县"),
    ("LRI...PDI", "县\u2066财政局\u2069"),
    ("RLM", "县财政局\u200f"),
    ("Arabic letter mark", "县\u061c财政局"),
    ("C1 control", "县\u0085财政局"),
    ("Hangul filler", "\u3164"),
    ("line separator", "县\u2028财政局"),
]


class Names(ServerTest):
    def api(self, method, path, body=None, user="admin"):
        return self.srv.as_(user, method, path, body)

    def refused(self, label, method, path, body, field, status=400):
        self.srv.login("admin")  # a login writes to the audit log
        before = self.srv.counts()
        r = self.api(method, path, body)
        self.assertEqual(r.status, status, "%s: %r" % (label, r))
        e = r.json["error"]
        self.assertEqual(e["field"], field, "%s: %r" % (label, r))
        self.assertEqual(self.srv.counts(), before, "%s wrote to the database" % label)
        return e

    def test_unit_names_refused(self):
        for label, name in BAD:
            e = self.refused(label, "POST", "/api/v1/units",
                             {"name": name, "type": "其他", "level": "县直"}, "name")
            self.assertIn("单位名称", e["message"], label)
        e = self.refused("RLO", "POST", "/api/v1/units",
                         {"name": "\u202e局政财县", "type": "其他", "level": "县直"}, "name")
        self.assertIn("U+202E", e["message"])
        self.assertIn("方向", e["message"])
        e = self.refused("zwsp", "POST", "/api/v1/units",
                         {"name": "\u200b", "type": "其他", "level": "县直"}, "name")
        self.assertIn("不可见", e["message"])
        e = self.refused("blank", "POST", "/api/v1/units",
                         {"name": "\u3000", "type": "其他", "level": "县直"}, "name")
        self.assertIn("空格", e["message"])
        # a rename is held to the same rule, and so is the short name
        self.refused("rename RLO", "PATCH", "/api/v1/units/2", {"name": "\u202e局政财县"}, "name")
        self.refused("short name ZWSP", "PATCH", "/api/v1/units/2", {"short_name": "\u200b"},
                     "short_name")

    def test_person_and_other_names_refused(self):
        contact = {"role": "技术联系人", "mobile": "13800001234"}
        for label, name in BAD:
            self.refused("contact " + label, "POST", "/api/v1/units/2/contacts",
                         dict(contact, name=name), "name")
            self.refused("display_name " + label, "PATCH", "/api/v1/users/2",
                         {"display_name": name}, "display_name")
            self.refused("carrier " + label, "POST", "/api/v1/carriers", {"name": name}, "name")
            self.refused("carrier contact " + label, "POST", "/api/v1/carriers",
                         {"name": "某运营商" + label, "contact_name": name}, "contact_name")
            self.refused("device " + label, "POST", "/api/v1/devices",
                         {"name": name, "kind": "其他", "owner": "信息中心"}, "name")
        e = self.refused("contact RLO", "POST", "/api/v1/units/2/contacts",
                         dict(contact, name="张\u202e三"), "name")
        self.assertIn("姓名", e["message"])
        # the person named in a contact re-filing becomes a contact: the same rule
        self.refused("refiled contact", "POST", "/api/v1/applications",
                     {"kind": "contact_refile", "unit_id": 2, "contact_role": "安全联系人",
                      "contact_name": "\u200b", "contact_mobile": "13800000003",
                      "changed_on": "2026-01-05"}, "contact_name")
        # an empty display name still means "none given"
        r = self.api("PATCH", "/api/v1/users/2", {"display_name": ""})
        self.assertEqual(r.status, 200, r)

    def test_names_kept_as_typed_less_the_blanks_around(self):
        r = self.api("POST", "/api/v1/units", {"name": "\u3000 县档案馆（二） \u00a0", "type": "其他",
                                               "level": "县直"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["name"], "县档案馆（二）")
        c = self.api("POST", "/api/v1/units/%d/contacts" % r.json["id"],
                     {"role": "技术联系人", "name": " 欧阳 明 ", "mobile": "13800001234"})
        self.assertEqual(c.status, 201, c)
        self.assertEqual(c.json["name"], "欧阳 明")

    def test_look_alike_unit_names_refused(self):
        demo = self.srv.sql("SELECT id, name FROM units WHERE name LIKE '%水利局'")[0]
        look_alikes = [
            ("Kangxi radical", demo[1].replace("水", "\u2f54")),
            ("full-width space inside", demo[1][:3] + "\u3000" + demo[1][3:]),
            ("blank inside", demo[1][:3] + " " + demo[1][3:]),
            ("blanks around", " " + demo[1] + "\u3000"),
        ]
        for label, name in look_alikes:
            e = self.refused(label, "POST", "/api/v1/units",
                             {"name": name, "type": "其他", "level": "县直"}, "name", 409)
            self.assertIn(demo[1], e["message"], label)
            self.assertIn(str(demo[0]), e["message"], label)
        a = self.api("POST", "/api/v1/units", {"name": "城关镇(一)", "type": "其他", "level": "县直"})
        self.assertEqual(a.status, 201, a)
        for label, name in (("full-width brackets", "城关镇（一）"), ("full-width letters", None)):
            if name is None:
                b = self.api("POST", "/api/v1/units", {"name": "ABC数据中心", "type": "其他",
                                                       "level": "县直"})
                self.assertEqual(b.status, 201, b)
                for n in ("ＡＢＣ数据中心", "abc数据中心", "Abc 数据中心"):
                    e = self.refused(n, "POST", "/api/v1/units",
                                     {"name": n, "type": "其他", "level": "县直"}, "name", 409)
                    self.assertIn("ABC数据中心", e["message"])
                continue
            e = self.refused(label, "POST", "/api/v1/units",
                             {"name": name, "type": "其他", "level": "县直"}, "name", 409)
            self.assertIn("城关镇(一)", e["message"])
            self.assertIn("全角半角", e["message"])
        # renaming another unit into a look-alike is refused; changing one's own name only in
        # its width or case is not
        self.refused("rename", "PATCH", "/api/v1/units/%d" % demo[0], {"name": "城关镇（一）"},
                     "name", 409)
        r = self.api("PATCH", "/api/v1/units/%d" % a.json["id"], {"name": "城关镇（一）"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], "城关镇（一）")
        # the exact name is still "already exists"
        e = self.refused("same", "POST", "/api/v1/units",
                         {"name": demo[1], "type": "其他", "level": "县直"}, "name", 409)
        self.assertIn("已存在", e["message"])


class NameKeysBackfilled(ServerTest):
    """A database from before name keys: the migration computes the key of every unit; of two
    look-alikes already registered the younger keeps none and is named in the log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        try:
            assert s.stop() == 0
            con = sqlite3.connect(s.db)
            con.executescript(
                "DROP INDEX units_name_key; ALTER TABLE units DROP COLUMN name_key;"
                "INSERT INTO units (name, type, level, status, status_at, created_at, updated_at)"
                " VALUES ('城关镇(二)', '其他', '县直', '申请中', 0, 0, 0),"
                "        ('城关镇（二）', '其他', '县直', '申请中', 0, 0, 0);"
                + UNDO_MIGRATION_16 + "PRAGMA user_version = 13;")
            con.close()
            s._spawn()
        except BaseException:
            s.close()
            raise

    def test_backfill(self):
        s = self.srv
        rows = s.sql("SELECT name, name_key FROM units WHERE name LIKE '城关镇%二%' ORDER BY id")
        self.assertEqual(rows, [("城关镇(二)", "城关镇(二)"), ("城关镇（二）", None)])
        self.assertIn("looks like unit", s.output())
        self.assertEqual(s.sql("SELECT count(*) FROM units WHERE name_key IS NULL")[0][0], 1)
        demo = s.sql("SELECT name, name_key FROM units WHERE name LIKE '%水利局'")[0]
        self.assertEqual(demo[0], demo[1])
        # a new look-alike meets the older unit's key
        r = s.as_("admin", "POST", "/api/v1/units", {"name": "城关镇 (二)", "type": "其他",
                                                     "level": "县直"})
        e = self.assertError(r, 409, field="name")
        self.assertIn("城关镇(二)", e["message"])
        # the younger look-alike may still be edited, and takes a key when renamed
        young = s.sql("SELECT id FROM units WHERE name = '城关镇（二）'")[0][0]
        r = s.as_("admin", "PATCH", "/api/v1/units/%d" % young, {"note": "待更名"})
        self.assertEqual(r.status, 200, r)
        r = s.as_("admin", "PATCH", "/api/v1/units/%d" % young, {"name": "城关镇（三）"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(s.sql("SELECT name_key FROM units WHERE id = ?", (young,))[0][0],
                         "城关镇(三)")
