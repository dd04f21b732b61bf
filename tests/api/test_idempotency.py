"""Retries do not duplicate (issue 15 §3): a POST with an Idempotency-Key done once, its
repeat within a day answered with the first answer; the key belongs to one request and one
account; secrets are not kept for a repeat; a request cut off by a crash is said to be
unknown, not done again; a day later the key is free."""
import signal
import threading
import time
import unittest

from harness import Server, ServerTest

A = "/api/v1"


class Idempotency(ServerTest):
    def application(self, key=None, note="幂等测试"):
        h = {"Idempotency-Key": key} if key else {}
        return self.srv.as_("unit", "POST", A + "/applications",
                            {"kind": "change", "unit_id": self.unit, "change_type": "其他",
                             "change_other": note, "bandwidth_mbps": 200}, headers=h)

    @classmethod
    def _fixtures(cls):
        cls.unit = cls.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]

    def count(self):
        return self.srv.sql("SELECT count(*) FROM applications")[0][0]

    def test_three_identical_posts_make_one_application(self):
        before = self.count()
        answers = [self.application("retry-0001-abcdef") for _ in range(3)]
        self.assertEqual(answers[0].status, 201, answers[0])
        self.assertEqual(self.count(), before + 1)
        for r in answers[1:]:
            self.assertEqual((r.status, r.json), (201, answers[0].json))
            self.assertEqual(r.header("Idempotent-Replayed"), "true")
        self.assertIsNone(answers[0].header("Idempotent-Replayed"))
        # without a key, each is its own
        for _ in range(2):
            self.assertEqual(self.application().status, 201)
        self.assertEqual(self.count(), before + 3)

    def test_the_same_key_for_another_request_is_refused(self):
        self.assertEqual(self.application("retry-0002-abcdef").status, 201)
        before = self.srv.counts()
        r = self.application("retry-0002-abcdef", note="另一个申请")
        self.assertError(r, 409, field="Idempotency-Key")
        self.assertIn("另一个请求", r.json["error"]["message"])
        self.assertEqual(self.srv.counts(), before)

    def test_keys_belong_to_their_account(self):
        r = self.srv.as_("admin", "POST", A + "/units", {"name": "幂等单位甲", "type": "其他", "level": "县直"},
                         headers={"Idempotency-Key": "shared-key-0003"})
        self.assertEqual(r.status, 201, r)
        # the unit's admin with the same key: its own request runs, not admin's answer
        before = self.count()
        r2 = self.application("shared-key-0003")
        self.assertEqual(r2.status, 201, r2)
        self.assertNotEqual(r2.header("Idempotent-Replayed"), "true")
        self.assertEqual(r2.json["kind"], "change")
        self.assertEqual(self.count(), before + 1)

    def test_a_refusal_is_repeated_and_a_bad_key_is_refused(self):
        r = self.srv.as_("admin", "POST", A + "/units", {"name": "", "type": "其他"},
                         headers={"Idempotency-Key": "refused-0004"})
        self.assertEqual(r.status, 400, r)
        r2 = self.srv.as_("admin", "POST", A + "/units", {"name": "", "type": "其他"},
                          headers={"Idempotency-Key": "refused-0004"})
        self.assertEqual((r2.status, r2.json), (400, r.json))
        self.assertEqual(r2.header("Idempotent-Replayed"), "true")
        for bad in ("has space", "x" * 129, "中文键"):
            r = self.srv.as_("admin", "POST", A + "/units", {"name": "坏键单位", "type": "其他", "level": "县直"},
                             headers={"Idempotency-Key": bad.encode("utf-8").decode("latin-1")})
            self.assertError(r, 400, field="Idempotency-Key")
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE name = '坏键单位'")[0][0], 0)

    def test_a_new_token_is_not_kept_for_a_repeat(self):
        h = {"Idempotency-Key": "token-0005-abcdef"}
        r = self.srv.as_("admin", "POST", A + "/tokens", {"name": "幂等令牌", "scope": "probe"}, headers=h)
        self.assertEqual(r.status, 201, r)
        r2 = self.srv.as_("admin", "POST", A + "/tokens", {"name": "幂等令牌", "scope": "probe"}, headers=h)
        self.assertError(r2, 409, field="Idempotency-Key")
        self.assertIn("密钥", r2.json["error"]["message"])
        self.assertEqual(self.srv.sql("SELECT count(*) FROM api_tokens WHERE name = '幂等令牌'")[0][0], 1)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM idempotency WHERE body IS NOT NULL AND"
                                      " instr(body, ?) > 0", (r.json["token"],))[0][0], 0)

    def test_concurrent_repeats_run_once(self):
        before = self.count()
        out = []

        def go():
            out.append(self.application("race-0006-abcdef"))
        ts = [threading.Thread(target=go) for _ in range(6)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(self.count(), before + 1)
        ok = [r for r in out if r.status == 201]
        busy = [r for r in out if r.status == 409]
        self.assertEqual(len(ok) + len(busy), 6, out)
        self.assertTrue(all(r.json == ok[0].json for r in ok))
        for r in busy:
            self.assertIn("仍在处理中", r.json["error"]["message"])


class IdempotencyAcrossRuns(unittest.TestCase):
    """A request cut off by a crash leaves its key unanswered: the repeat says the result is
    unknown instead of doing it again; the next day the key is free."""

    def test_crash_then_repeat_and_expiry(self):
        srv = Server(name="IdemRuns")
        try:
            srv.login("admin")
            unit = srv.sql("SELECT name FROM units WHERE id = 2")[0][0]
            body = ("MAC,单位,终端类型\n" + "".join(
                "02:44:%02x:%02x:00:01,%s,计算机\n" % (i >> 8, i & 255, unit) for i in range(15000))).encode()
            h = {"Content-Type": "text/csv", "Idempotency-Key": "import-crash-0007"}
            done = {}

            def run():
                try:
                    done["r"] = srv.as_("admin", "POST", A + "/imports/terminals", raw=body, headers=h, timeout=300)
                except OSError as e:
                    done["e"] = e
            t = threading.Thread(target=run)
            t.start()
            self.assertTrue(ServerTest.wait_for(
                lambda: srv.sql("SELECT count(*) FROM idempotency WHERE key = 'import-crash-0007'")[0][0], 30))
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            t.join(60)
            self.assertIn("e", done)
            srv._spawn()
            srv.tokens = {}
            r = srv.as_("admin", "POST", A + "/imports/terminals", raw=body, headers=h, timeout=300)
            self.assertEqual(r.status, 409, r)
            self.assertIn("结果未知", r.json["error"]["message"])
            self.assertEqual(srv.sql("SELECT count(*) FROM terminals WHERE mac LIKE '02:44:%'")[0][0], 0)
            # a day later the key is free again (the server's clock moved on)
            srv.stop()
            srv.env = {"ZWNET_NOW": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 25 * 3600))}
            srv._spawn()
            srv.tokens = {}
            small = ("MAC,单位,终端类型\n02:44:ff:ff:00:01,%s,计算机\n" % unit).encode()
            r = srv.as_("admin", "POST", A + "/imports/terminals", raw=small,
                        headers=dict(h, **{"Idempotency-Key": "import-crash-0007"}), timeout=300)
            self.assertEqual(r.status, 201, r)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
