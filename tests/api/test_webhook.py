"""Notices by webhook: the outbox POSTed as JSON to an HTTP receiver on loopback.

The receiver answers 503 at first: the attempt is recorded and retried with back-off; then it
answers 204 and the event arrives exactly once, signed with the configured secret, and a
restart does not post it again."""

import hashlib
import hmac
import http.server
import json
import sqlite3
import threading
import time

from harness import ServerTest, free_port, run_cli

HOOK_PORT = free_port()
SECRET = "县信息中心-共享密钥"


class _Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        srv = self.server
        data = self.rfile.read(int(self.headers["Content-Length"]))
        with srv.lock:
            status = srv.status
            srv.posts.append((dict(self.headers), data, status))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *a):
        pass


class WebhookTest(ServerTest):
    extra = ("--scheduler-interval", "1", "--webhook-url",
             "http://127.0.0.1:%d/zwnet" % HOOK_PORT, "--webhook-secret", SECRET,
             "--notify-retry-min", "1")

    @classmethod
    def setUpClass(cls):
        cls.rx = http.server.ThreadingHTTPServer(("127.0.0.1", HOOK_PORT), _Receiver)
        cls.rx.lock, cls.rx.posts, cls.rx.status = threading.Lock(), [], 503
        threading.Thread(target=cls.rx.serve_forever, daemon=True).start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.rx.shutdown()
        cls.rx.server_close()


    def hook_state(self, did):
        return self.srv.sql("SELECT id, hook_status, hook_attempts, hook_last_error FROM outbox"
                            " WHERE json_extract(payload, '$.id') = ?", (did,))

    def posts_for(self, oid):
        with self.rx.lock:
            return [p for p in self.rx.posts if p[0].get("X-Zwnet-Event") == str(oid)]

    def test_retried_until_accepted_then_exactly_once(self):
        unit = self.srv.sql("SELECT id FROM units WHERE status = '已接入' ORDER BY id")[0][0]
        db = sqlite3.connect(self.srv.db, timeout=30)
        now = int(time.time())
        did = db.execute(
            "INSERT INTO deadlines (subject_type, subject_id, unit_id, rule, clause, basis,"
            " amount, started_at, due_at, status, created_at, updated_at) VALUES"
            " ('application', 9, ?, 'access_implement', 'TB-13', 'working_days', 7, ?, ?,"
            " 'running', ?, ?)", (unit, now - 86400 * 10, now - 60, now, now)).lastrowid
        db.commit()
        db.close()
        failed = self.wait_for(lambda: [o for o in self.hook_state(did) if o[2] >= 1])
        self.assertTrue(failed, self.srv.output())
        oid, status, attempts, error = failed[0]
        self.assertEqual(status, "pending")
        self.assertEqual(error, "HTTP 503")
        with self.rx.lock:
            self.rx.status = 204
        sent = self.wait_for(lambda: [o for o in self.hook_state(did) if o[1] == "sent"])
        self.assertTrue(sent, (self.hook_state(did), self.srv.output()))
        time.sleep(2.5)
        posts = self.posts_for(oid)
        self.assertGreaterEqual(len([p for p in posts if p[2] == 503]), 1)
        accepted = [p for p in posts if p[2] == 204]
        self.assertEqual(len(accepted), 1, posts)
        headers, body, _ = accepted[0]
        want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers.get("X-Zwnet-Signature"), want)
        ev = json.loads(body)
        self.assertEqual((ev["id"], ev["kind"], ev["clause"], ev["unit_id"]),
                         (oid, "deadline.breached", "TB-13", unit))
        self.assertEqual(ev["deadline"]["id"], did)
        self.assertIn("已超期", ev["title"])
        self.assertIn("接入实施", ev["body"])
        # Nothing after the 2xx, not even across a restart.
        self.srv.restart()
        time.sleep(2.5)
        self.assertEqual(len(self.posts_for(oid)), len(posts))

    def test_bad_webhook_url_is_refused(self):
        p = run_cli("serve", "--check", "--profile", "tongbai", "--webhook-url", "ftp://x",
                    db=self.srv.db, check=False)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("webhook_url", p.stderr)
