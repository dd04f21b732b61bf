"""Working days on the Chinese calendar (工作日: holidays and make-up days), issue 4."""
import json

from harness import ServerTest, run_cli

Y2027 = {"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": True},
                                {"name": "春节", "date": "2027-02-06", "isOffDay": False}]}


class Calendar(ServerTest):
    def add(self, frm, n, user="admin"):
        return self.srv.as_(user, "GET", "/api/v1/calendar/add?from=%s&working_days=%d" % (frm, n))

    def test_examples_of_the_issue(self):
        r = self.add("2026-02-12", 3).json
        self.assertEqual((r["due"], r["provisional"]), ("2026-02-24", False))
        r = self.add("2026-09-30", 7).json
        self.assertEqual((r["due"], r["provisional"]), ("2026-10-15", False))
        # any logged-in role may ask; nobody else
        self.assertEqual(self.add("2026-02-12", 3, user="auditor").status, 200)
        self.assertError(self.srv.request("GET", "/api/v1/calendar/add?from=2026-02-12&working_days=3"), 401)

    def test_bad_queries(self):
        for q, field in (("from=2026-02-30&working_days=3", "from"), ("working_days=3", "from"),
                         ("from=2026-02-12&working_days=-1", "working_days"),
                         ("from=2026-02-12&working_days=999", "working_days"),
                         ("from=2026-02-12&working_days=3&x=1", "x")):
            self.assertError(self.srv.as_("admin", "GET", "/api/v1/calendar/add?" + q), 400, field=field)
        self.assertError(self.srv.as_("admin", "GET", "/api/v1/calendar/1800"), 400, field="year")

    def test_year_listing(self):
        y = self.srv.as_("admin", "GET", "/api/v1/calendar/2026").json
        self.assertTrue(y["loaded"])
        self.assertEqual(len(y["days"]), 365)
        days = {d["date"]: d for d in y["days"]}
        self.assertEqual((days["2026-02-14"]["working"], days["2026-02-14"]["name"], days["2026-02-14"]["weekday"]),
                         (True, "春节", "星期六"))
        self.assertEqual((days["2026-10-01"]["working"], days["2026-10-01"]["name"]), (False, "国庆节"))
        self.assertEqual((days["2026-11-23"]["working"], days["2026-11-23"]["name"]), (True, ""))
        self.assertFalse(self.srv.as_("admin", "GET", "/api/v1/calendar/2029").json["loaded"])

    def test_loading_a_new_year_recomputes_and_persists(self):
        r = self.add("2026-12-30", 3).json
        self.assertEqual((r["due"], r["provisional"]), ("2027-01-04", True))
        self.srv.login("ops")
        before = self.srv.counts()
        self.assertError(self.srv.as_("ops", "PUT", "/api/v1/calendar/2027", Y2027), 403)
        self.assertError(self.srv.as_("admin", "PUT", "/api/v1/calendar/2028", Y2027), 400, field="year")
        bad = {"year": 2027, "days": [{"name": "x", "date": "2027-13-01", "isOffDay": True}]}
        self.assertError(self.srv.as_("admin", "PUT", "/api/v1/calendar/2027", bad), 400, field="days[0]")
        self.assertEqual(self.srv.counts(), before)
        self.assertEqual(self.add("2026-12-30", 3).json["due"], "2027-01-04")
        r = self.srv.as_("admin", "PUT", "/api/v1/calendar/2027", Y2027)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["loaded"])
        r = self.add("2026-12-30", 3).json
        self.assertEqual((r["due"], r["provisional"]), ("2027-01-05", False))
        audit = self.srv.sql("SELECT action FROM audit WHERE object_type = 'calendar'")
        self.assertEqual(audit, [("calendar.load",)])
        # stored: a new process (the CLI) knows the year too
        out = run_cli("calendar", "add", "2026-12-30", "3", db=self.srv.db).stdout.strip()
        self.assertEqual(out, "2027-01-05")
