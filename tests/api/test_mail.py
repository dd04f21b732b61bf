"""Notices by e-mail: the outbox over SMTP (libcurl) to a real SMTP listener on loopback.

The listener is down when the breach happens: the attempt fails, is recorded and retried with
back-off; once the listener is up the notice arrives exactly once, and neither later steps
nor a restart send it again."""

import email
import email.header
import sqlite3
import time

from harness import ServerTest, free_port, run_cli
from smtp import SmtpListener

SMTP_PORT = free_port()


def now():
    return int(time.time())


class MailTest(ServerTest):
    extra = ("--scheduler-interval", "1", "--smtp-url", "smtp://127.0.0.1:%d" % SMTP_PORT,
             "--smtp-from", "zwnet@xxzx.example.cn", "--notify-mail-to",
             "center@xxzx.example.cn", "--notify-retry-min", "1", "--notify-timeout", "5")


    def outbox(self, did):
        return self.srv.sql("SELECT status, attempts, last_error, sent_at FROM outbox WHERE"
                            " json_extract(payload, '$.id') = ?", (did,))

    def test_delivery_when_the_listener_comes_up_exactly_once(self):
        unit, name = self.srv.sql("SELECT id, name FROM units WHERE status = '已接入'"
                                  " ORDER BY id")[0]
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/contacts" % unit,
                         {"role": "网络管理员", "name": "李敏", "mobile": "13900139000",
                          "email": "limin@unit.example.cn"})
        self.assertEqual(r.status, 201, r)
        db = sqlite3.connect(self.srv.db, timeout=30)
        did = db.execute(
            "INSERT INTO deadlines (subject_type, subject_id, unit_id, rule, clause, basis,"
            " amount, started_at, due_at, status, created_at, updated_at) VALUES"
            " ('application', 7, ?, 'access_review', 'TB-13', 'working_days', 3, ?, ?,"
            " 'running', ?, ?)", (unit, now() - 86400 * 5, now() - 60, now(), now())).lastrowid
        db.commit()
        db.close()
        # Listener down: the attempt fails, is recorded, and stays pending.
        failed = self.wait_for(lambda: [o for o in self.outbox(did) if o[1] >= 1])
        self.assertTrue(failed, self.srv.output())
        self.assertEqual(failed[0][0], "pending")
        self.assertTrue(failed[0][2])  # the last error, from libcurl
        # Listener up: delivered once.
        smtp = SmtpListener(SMTP_PORT)
        try:
            sent = self.wait_for(lambda: [o for o in self.outbox(did) if o[0] == "sent"],
                                 timeout=30)
            self.assertTrue(sent, (self.outbox(did), self.srv.output()))
            time.sleep(2.5)
            mine = [m for m in smtp.messages if b"zwnet-outbox-" in m["data"]]
            self.assertEqual(len(mine), 1, smtp.messages)
            m = mine[0]
            self.assertEqual(m["from"], "zwnet@xxzx.example.cn")
            want = {e for (e,) in self.srv.sql("SELECT email FROM contacts WHERE unit_id = ? AND"
                                               " email != ''", (unit,))}
            self.assertIn("limin@unit.example.cn", want)
            self.assertEqual(sorted(m["to"]), sorted(want | {"center@xxzx.example.cn"}))
            msg = email.message_from_bytes(m["data"])
            subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
            self.assertIn("已超期", subject)
            self.assertIn(name, subject)
            body = msg.get_payload(decode=True).decode("utf-8")
            self.assertIn("接入申请审核", body)
            self.assertIn("TB-13", body)
            # the seeded row has no due day: the due time is shown on the clock, Beijing time
            due = self.srv.sql("SELECT due_at FROM deadlines WHERE id = ?", (did,))[0][0]
            self.assertIn(time.strftime("%Y-%m-%d %H:%M", time.gmtime(due + 8 * 3600)), body)
            # A restart sends nothing again.
            self.srv.restart()
            time.sleep(2.5)
            self.assertEqual(len([m for m in smtp.messages if b"zwnet-outbox-" in m["data"]]), 1)
        finally:
            smtp.close()

    def test_bad_mail_configuration_is_refused(self):
        for flags, field in ((["--smtp-url", "http://x"], "smtp_url"),
                             (["--smtp-url", "smtp://127.0.0.1:1"], "smtp_from"),
                             (["--smtp-url", "smtp://127.0.0.1:1", "--smtp-from", "a@b.cn",
                               "--notify-mail-to", "a@b.cn,不是地址"], "notify_mail_to")):
            p = run_cli("serve", "--check", "--profile", "tongbai", *flags, db=self.srv.db,
                        check=False)
            self.assertNotEqual(p.returncode, 0, p.stdout)
            self.assertIn(field, p.stderr)
