"""The server answers health, login and a unit list on the demo county."""
from harness import ServerTest


class Smoke(ServerTest):
    def test_health_is_public(self):
        r = self.srv.request("GET", "/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("X-Request-Id"))
        # Anonymous: up or not, and nothing else (no version to look up holes for).
        self.assertEqual(r.json, {"status": "ok"})
        r = self.srv.request("GET", "/api/v1/health", token="zws_not-a-valid-token-at-all")
        self.assertEqual((r.status, r.json), (200, {"status": "ok"}))
        r = self.srv.request("GET", "/api/v1/health", headers={"Authorization": "Basic eDp5"})
        self.assertEqual((r.status, r.json), (200, {"status": "ok"}))

    def test_health_in_full_when_signed_in(self):
        tok = self.srv.login("admin")
        for kw in ({"token": tok}, {"headers": {"Cookie": "zwnet_session=" + tok}}):
            r = self.srv.request("GET", "/api/v1/health", **kw)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["profile"], "tongbai", kw)
            self.assertRegex(r.json["version"], r"^\d+\.\d+")
            self.assertIn("uptime_s", r.json)
            self.assertEqual(r.json["warnings"], [])

    def test_manager_lists_units(self):
        r = self.srv.as_("admin", "GET", "/api/v1/units?limit=5")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["items"]), 5)
        self.assertTrue(r.json["next_cursor"])
