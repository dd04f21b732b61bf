"""The server answers health, login and a unit list on the demo county."""
from harness import ServerTest


class Smoke(ServerTest):
    def test_health_is_public(self):
        r = self.srv.request("GET", "/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["profile"], "tongbai")
        self.assertTrue(r.header("X-Request-Id"))

    def test_manager_lists_units(self):
        r = self.srv.as_("admin", "GET", "/api/v1/units?limit=5")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["items"]), 5)
        self.assertTrue(r.json["next_cursor"])
