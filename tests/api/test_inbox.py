"""The inbox and each person's choice of mail (issue 16 item 3): every notice reaches the inbox of
the people it concerns; a person who chose its topic also gets it by e-mail at their own address
(besides the center's mailbox and the unit's contacts, who always do); 全部标为已读 reads every
unread message of one's own and nobody else's. Mail goes to a real SMTP listener on loopback."""

import email
import email.header
import sqlite3
import time

from harness import ServerTest, free_port
from smtp import SmtpListener

A = "/api/v1"
SMTP_PORT = free_port()
CENTER = "center@xxzx.example.cn"


class Inbox(ServerTest):
    extra = ("--scheduler-interval", "1", "--smtp-url", "smtp://127.0.0.1:%d" % SMTP_PORT,
             "--smtp-from", "zwnet@xxzx.example.cn", "--notify-mail-to", CENTER,
             "--notify-retry-min", "1", "--notify-timeout", "5")

    @classmethod
    def _fixtures(cls):
        cls.smtp = SmtpListener(SMTP_PORT)
        s = cls.srv
        cls.own = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        cls.uid = dict(s.sql("SELECT username, id FROM users"))

    @classmethod
    def tearDownClass(cls):
        cls.smtp.close()
        super().tearDownClass()

    def prefs(self, user, body=None):
        if body is None:
            return self.srv.as_(user, "GET", A + "/session/mail")
        return self.srv.as_(user, "PUT", A + "/session/mail", body)

    def submit(self, user="unit"):
        """A 安全联系人变更备案 of the unit's (TB-6; application.submit: the managers and the
        unit's admins are told)."""
        r = self.srv.as_(user, "POST", A + "/applications",
                         {"kind": "contact_refile", "unit_id": self.own, "contact_name": "赵安全",
                          "contact_mobile": "13912345678",
                          "changed_on": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))})
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def db(self, query):
        con = sqlite3.connect(self.srv.db, timeout=30)
        con.execute(query)
        con.commit()
        con.close()

    def outbox_of(self, aid):
        return self.srv.sql("SELECT id, status FROM outbox WHERE subject_type = 'application' AND"
                            " subject_id = ? ORDER BY id", (aid,))

    def mails_of(self, outbox_id):
        tag = ("zwnet-outbox-%d@" % outbox_id).encode()
        with self.smtp.lock:
            return [m for m in self.smtp.messages if tag in m["data"]]

    def test_a_notice_is_mailed_to_those_who_chose_its_topic(self):
        r = self.prefs("admin", {"email": "admin@xxzx.example.cn", "topics": ["application"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["topics"], ["application"])
        # the unit's admin wants violations by mail, not applications
        self.assertEqual(self.prefs("unit", {"email": "unit-admin@unit.example.cn",
                                             "topics": ["violation"]}).status, 200)
        # the operator chose applications too (told of them in some counties only)
        self.assertEqual(self.prefs("ops", {"email": "ops@xxzx.example.cn",
                                            "topics": ["application", "ops"]}).status, 200)
        aid = self.submit()
        rows = self.wait_for(lambda: [o for o in self.outbox_of(aid) if o[1] == "sent"])
        self.assertTrue(rows, (self.outbox_of(aid), self.srv.output()[-2000:]))
        ob = rows[0][0]
        told = {u for (u,) in self.srv.sql("SELECT u.username FROM inbox i JOIN users u ON"
                                          " u.id = i.user_id WHERE i.outbox_id = ?", (ob,))}
        self.assertIn("admin", told)
        self.assertIn("unit", told)
        mails = self.wait_for(lambda: self.mails_of(ob), timeout=10)
        self.assertEqual(len(mails), 1, mails)
        contacts = {e for (e,) in self.srv.sql("SELECT email FROM contacts WHERE unit_id = ? AND"
                                               " email != ''", (self.own,))}
        want = {CENTER, "admin@xxzx.example.cn"} | contacts
        if "ops" in told:  # the operator is told of applications only in some counties
            want.add("ops@xxzx.example.cn")
        self.assertEqual(sorted(mails[0]["to"]), sorted(want), (told, mails[0]["to"]))
        msg = email.message_from_bytes(mails[0]["data"])
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        title = self.srv.sql("SELECT title FROM inbox WHERE outbox_id = ? LIMIT 1", (ob,))[0][0]
        self.assertEqual(subject, title)

        # the same address chosen by two people and written in a contact is sent once
        self.db("UPDATE users SET email = 'admin@xxzx.example.cn' WHERE username = 'ops'")
        self.db("UPDATE users SET disabled = 1 WHERE username = 'ops'")
        aid = self.submit()
        rows = self.wait_for(lambda: [o for o in self.outbox_of(aid) if o[1] == "sent"])
        self.assertTrue(rows, self.outbox_of(aid))
        mails = self.wait_for(lambda: self.mails_of(rows[0][0]), timeout=10)
        self.assertEqual(sorted(mails[0]["to"]), sorted({CENTER, "admin@xxzx.example.cn"} | contacts))
        self.db("UPDATE users SET disabled = 0 WHERE username = 'ops'")

        # no topic chosen: only the center and the contacts
        self.assertEqual(self.prefs("admin", {"email": "admin@xxzx.example.cn", "topics": []}).status, 200)
        self.assertEqual(self.prefs("ops", {"email": "", "topics": []}).status, 200)
        aid = self.submit()
        rows = self.wait_for(lambda: [o for o in self.outbox_of(aid) if o[1] == "sent"])
        mails = self.wait_for(lambda: self.mails_of(rows[0][0]), timeout=10)
        self.assertEqual(sorted(mails[0]["to"]), sorted({CENTER} | contacts))

    def test_read_all_reads_ones_own_only(self):
        self.submit()
        self.wait_for(lambda: self.srv.as_("admin", "GET", A + "/inbox?unread=true&limit=1").json["unread"]
                      and self.srv.as_("unit", "GET", A + "/inbox?unread=true&limit=1").json["unread"])
        mine = self.srv.as_("admin", "GET", A + "/inbox?limit=1").json["unread"]
        theirs = self.srv.as_("unit", "GET", A + "/inbox?limit=1").json["unread"]
        self.assertGreater(mine, 0)
        self.assertGreater(theirs, 0)
        r = self.srv.as_("admin", "POST", A + "/inbox/read")
        self.assertEqual(r.status, 200, r)
        # a notice fanned out between the two reads would be counted too: never fewer
        self.assertGreaterEqual(r.json["read"], mine)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM inbox WHERE user_id = ? AND read_at = 0",
                                      (self.uid["admin"],))[0][0], 0)
        self.assertEqual(self.srv.as_("admin", "GET", A + "/inbox?limit=1").json["unread"], 0)
        self.assertGreaterEqual(self.srv.as_("unit", "GET", A + "/inbox?limit=1").json["unread"], theirs)
        self.assertEqual(self.srv.as_("admin", "POST", A + "/inbox/read").json["read"], 0)

    def test_prefs_are_ones_own_saved_and_audited(self):
        r = self.prefs("inspector")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["email"], r.json["topics"]), ("", []))
        codes = [t["topic"] for t in r.json["available"]]
        self.assertIn("application", codes)
        self.assertIn("deadline.breached", codes)
        for t in r.json["available"]:
            self.assertRegex(t["label"], "[\u4e00-\u9fff]")
        body = {"email": "inspector@wxb.example.cn", "topics": ["deadline.breached", "violation"]}
        r = self.prefs("inspector", body)
        self.assertEqual(r.status, 200, r)
        # stored in the table's order whatever order they were given in
        self.assertEqual(r.json["topics"], [c for c in codes if c in body["topics"]])
        self.assertEqual(self.prefs("inspector").json["topics"], r.json["topics"])
        self.assertEqual(self.prefs("auditor").json["email"], "")  # nobody else's changed
        a = self.srv.sql("SELECT before, after FROM audit WHERE action = 'user.mail_prefs' AND"
                         " object_id = ? ORDER BY id DESC LIMIT 1", (str(self.uid["inspector"]),))
        self.assertEqual(len(a), 1)
        self.assertIn('"email":""', a[0][0].replace(" ", ""))
        self.assertIn("inspector@wxb.example.cn", a[0][1])

    def test_bad_prefs_are_refused_naming_the_field(self):
        self.srv.login("auditor")
        before = self.srv.counts()
        cases = [
            ({"email": "not-an-address", "topics": []}, "email"),
            ({"email": "a@b.cn", "topics": ["nonsense"]}, "topics"),
            ({"email": "a@b.cn", "topics": "application"}, "topics"),
            ({"email": "", "topics": ["application"]}, "email"),
            ({"topics": []}, "email"),
            ({"email": "a@b.cn"}, "topics"),
            ({"email": "a@b.cn", "topics": [], "phone": "1"}, "phone"),
            ({"email": "x" * 250 + "@b.cn", "topics": []}, "email"),
        ]
        for body, field in cases:
            e = self.assertError(self.prefs("auditor", body), 400, field=field)
            self.assertRegex(e["message"], "[\u4e00-\u9fff]", body)
        e = self.assertError(self.prefs("auditor", {"email": "a@b.cn", "topics": ["nonsense"]}), 400)
        self.assertIn("nonsense", e["message"])
        self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.prefs("auditor").json["email"], "")
