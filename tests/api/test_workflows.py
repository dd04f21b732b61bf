"""The workflows' tables (docs/WORKFLOWS.md, domain/workflow.c) walked over the API.

Every case type is one transition table. For every case reached in every state, every role's
user tries every action of the table in a dry run (`dry_run: true`: the step runs in its
transaction and is rolled back). A step succeeds exactly when the case's `actions`, as that
user reads it, offers it; one not offered is refused, and the refusal cites a clause. Cases are
brought into each state by the table itself: a breadth-first walk that follows the offered
actions, replaying each path on a fresh case so every state is reached the regular way.

The docs' diagrams are the tables' (`zwnet workflows`): this file fails when they differ."""

import os
import re
import sqlite3
import unittest

from harness import ServerTest, approve_access, run_cli

A = "/api/v1"
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


class Docs(unittest.TestCase):
    def test_docs_show_the_tables(self):
        with open(os.path.join(ROOT, "docs", "WORKFLOWS.md"), encoding="utf-8") as f:
            doc = f.read()
        m = re.search(r"<!-- BEGIN workflows[^>]*-->\n(.*)<!-- END workflows -->", doc, re.S)
        self.assertIsNotNone(m, "docs/WORKFLOWS.md has no generated block")
        self.assertEqual(m.group(1), run_cli("workflows").stdout,
                         "docs/WORKFLOWS.md differs from the tables: paste `zwnet workflows`")


class Walk(ServerTest):
    """The common part: users, dry runs, the comparison of offered and possible steps."""

    extra = ("--scheduler-interval", "0")

    @classmethod
    def _fixtures(cls):
        cls.users = [u for (u,) in cls.srv.sql("SELECT username FROM users ORDER BY id")]
        cls.tried = cls.allowed = 0

    def offered(self, user, path):
        r = self.srv.as_(user, "GET", path)
        if r.status in (403, 404):
            return None  # the user does not see the case: nothing to offer
        self.assertEqual(r.status, 200, r)
        return r.json

    def check(self, user, path, action, offered, r, case):
        """One dry run compared with the offer."""
        type(self).tried += 1
        where = "%s %s by %s: %s" % (path, action, user, case)
        if action in offered:
            type(self).allowed += 1
            self.assertEqual(r.status, 200, "offered but refused: %s %r" % (where, r))
            return
        self.assertIn(r.status, (400, 403, 404, 409, 422), "%s %r" % (where, r))
        e = r.json["error"]
        # a refusal by the state machine or a guard cites its clause (the role table's 403
        # before any case is looked at cites none: it is no clause of the regulation)
        if r.status in (409, 422):
            self.assertTrue(e.get("clause"), "refused without a clause: %s %r" % (where, r))

    def explore(self, make, step, actions_of, state_of, walk_case, limit=40):
        """Breadth-first over states: make() gives a fresh case id; step(id, action) takes a
        real step as the manager; each new state's case is walked by every user."""
        seen, queue = set(), [()]
        while queue and len(seen) < limit:
            path = queue.pop(0)
            cid = make()
            for a in path:
                step(cid, a)
            state = state_of(cid)
            key = state
            if key in seen:
                continue
            seen.add(key)
            walk_case(cid, path)
            for a in actions_of(cid):
                queue.append(path + (a,))
        return {s.split("/")[0] for s in seen}


class Violations(Walk):
    profile = "jiaxian"

    @classmethod
    def _fixtures(cls):
        super()._fixtures()
        prof = cls.srv.as_("admin", "GET", A + "/profile").json
        cls.forbidden = prof["forbidden"]
        cls.agreements = [a["key"] for a in prof["agreements"]
                          if a.get("required_for_connection") and a.get("party") == "unit"]
        cls.n = 0

    def fresh_unit(self):
        """A unit connected the regular way, with a block and a terminal: every case starts
        on the first rung, and what one case does to its unit touches no other."""
        s, ok = self.srv, lambda r: self.assertIn(r.status, (200, 201), r)
        type(self).n += 1
        r = s.as_("admin", "POST", A + "/units",
                  {"name": "流程表检查单位%d" % self.n, "type": "其他", "level": "县直"})
        ok(r)
        uid = r.json["id"]
        for k in self.agreements:
            ok(s.as_("admin", "POST", A + "/units/%d/agreements" % uid,
                     {"kind": k, "signed_on": "2026-01-05"}))
        approve_access(s, uid)
        ok(s.as_("admin", "POST", A + "/units/%d/status" % uid, {"status": "已接入"}))
        ok(s.as_("admin", "POST", A + "/prefixes",
                 {"cidr": "10.231.%d.0/24" % self.n, "status": "active", "unit_id": uid}))
        r = s.as_("admin", "POST", A + "/terminals",
                  {"mac": "00:16:3e:31:%02x:0a" % self.n, "ip": "10.231.%d.10" % self.n,
                   "unit_id": uid, "kind": "计算机"})
        ok(r)
        return uid, r.json["id"]

    ALL = ("notify", "isolate", "rectify", "verify", "reconnect", "close", "escalate",
           "dismiss", "charge")

    def body(self, action, dry):
        b = {"action": action, "reason": "流程表检查", "dry_run": dry}
        if action == "charge":
            b["amount"] = "100"
        return b

    def walk_behaviour(self, code):
        def make():
            unit, term = self.fresh_unit()
            r = self.srv.as_("admin", "POST", A + "/violations",
                             {"unit_id": unit, "behaviour": code, "terminal_id": term,
                              "detail": "流程表检查"})
            self.assertEqual(r.status, 201, r)
            return r.json["id"]

        def step(cid, a):
            r = self.srv.as_("admin", "POST", A + "/violations/%d/transitions" % cid,
                             self.body(a, False))
            self.assertEqual(r.status, 200, (cid, a, r))

        def actions_of(cid, user="admin"):
            v = self.offered(user, A + "/violations/%d" % cid)
            return None if v is None else [a["action"] for a in v["actions"]]

        def state_of(cid):
            v = self.offered("admin", A + "/violations/%d" % cid)
            return "%s/%s/%s" % (v["state"], v["isolated_scope"], v["sanction"])

        def walk_case(cid, path):
            was = self.offered("admin", A + "/violations/%d" % cid)
            for user in self.users:
                offered = actions_of(cid, user)
                if offered is None:
                    continue
                for a in self.ALL:
                    r = self.srv.as_(user, "POST", A + "/violations/%d/transitions" % cid,
                                     self.body(a, True))
                    self.check(user, "violation %d" % cid, a, offered, r, (code, path))
            # the dry runs changed nothing: not the case, not its history
            now = self.offered("admin", A + "/violations/%d" % cid)
            self.assertEqual((now["rev"], now["state"], len(now["events"])),
                             (was["rev"], was["state"], len(was["events"])), path)

        return self.explore(make, step, actions_of, state_of, walk_case)

    def test_every_behaviour_every_state_every_role(self):
        states = set()
        for f in self.forbidden:
            states |= self.walk_behaviour(f["code"])
        # the walk reached the handled and the ended states the regular way
        for s in ("open", "notified", "isolated", "rectifying", "verified", "reconnected",
                  "closed", "dismissed", "revoked"):
            self.assertIn(s, states)
        self.assertGreater(self.allowed, 0)


class RevokeRung(Walk):
    """A case that stands on the 取消入网资格 rung from the start (佳县 JX-27: 散发恶意信息)
    or by a repeat offence is revoked when a manager escalates it: the rung is applied, not
    refused as 已是最重."""

    profile = "jiaxian"

    def test_escalating_on_the_revoke_rung_revokes(self):
        s = self.srv
        uid = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        code = [f["code"] for f in s.as_("admin", "GET", A + "/profile").json["forbidden"]
                if f.get("sanctions") == ["revoke"]][0]
        r = s.as_("admin", "POST", A + "/violations",
                  {"unit_id": uid, "behaviour": code, "detail": "散发恶意信息"})
        self.assertEqual(r.status, 201, r)
        v = r.json
        self.assertEqual(v["sanction"], "revoke")
        self.assertIn("escalate", [a["action"] for a in v["actions"]])
        r = s.as_("admin", "POST", A + "/violations/%d/transitions" % v["id"],
                  {"action": "escalate", "reason": "情节严重"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["state"], "revoked")
        u = s.as_("admin", "GET", A + "/units/%d" % uid).json
        self.assertEqual((u["status"], u["status_clause"]), ("已撤销入网资格", v["sanction_clause"]))


class Applications(Walk):
    profile = "miyun"  # the authority approves, the 信息中心 implements (MY-4)

    ALL = ("review", "approve", "reject", "withdraw", "pause", "resume", "complete", "go_live")

    def body(self, action, dry):
        return {"action": action, "reason": "流程表检查", "allocate": False, "dry_run": dry}

    def submit(self, kind):
        unit = self.srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        bodies = {
            "change": {"change_type": "其他", "change_other": "增加带宽", "bandwidth_mbps": 20},
            "egress": {"egress_provider": "电信", "purpose": "视频会议"},
            "system": {"system_name": "流程表检查系统%d" % self.n(), "djcp_level": "第二级",
                       "purpose": "办公", "djcp_filing_no": "11010000000-00001",
                       "djcp_test_on": "2026-01-05"},
        }
        body = dict(bodies[kind], kind=kind, unit_id=unit)
        r = self.srv.as_("admin", "POST", A + "/applications", body)
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    _n = 0

    def n(self):
        type(self)._n += 1
        return self._n

    def walk_kind(self, kind):
        def step(cid, a):
            user = [u for u in self.users if a in (actions_of(cid, u) or [])][0]
            r = self.srv.as_(user, "POST", A + "/applications/%d/transitions" % cid,
                             self.body(a, False))
            self.assertEqual(r.status, 200, (cid, a, r))

        def actions_of(cid, user=None):
            users = [user] if user else self.users
            out = set()
            for u in users:
                v = self.offered(u, A + "/applications/%d" % cid)
                if v is not None:
                    out |= {a["action"] for a in v["actions"]}
            return sorted(out)

        def state_of(cid):
            a = self.offered("admin", A + "/applications/%d" % cid)
            return "%s/%d" % (a["status"], a["step"])

        def walk_case(cid, path):
            for user in self.users:
                v = self.offered(user, A + "/applications/%d" % cid)
                if v is None:
                    continue
                offered = [a["action"] for a in v["actions"]]
                for a in self.ALL:
                    r = self.srv.as_(user, "POST", A + "/applications/%d/transitions" % cid,
                                     self.body(a, True))
                    self.check(user, "application %d" % cid, a, offered, r, (kind, path))

        return self.explore(lambda: self.submit(kind), step, actions_of, state_of, walk_case)

    def awaiting(self, cid):
        a = self.offered("admin", A + "/applications/%d" % cid)
        return (a.get("awaiting") or {}).get("role")

    def test_every_kind_every_state_every_role(self):
        states = set()
        for kind in ("change", "egress", "system"):
            states |= self.walk_kind(kind)
        for s in ("已提交", "审核中", "已批准", "未通过", "实施中", "已办结", "已撤回"):
            self.assertIn(s, states)


class Units(Walk):
    profile = "tongbai"
    STATUSES = ("申请中", "已接入", "暂停", "已撤销入网资格", "已拆机")

    def make(self):
        type(self)._n = getattr(type(self), "_n", 0) + 1
        r = self.srv.as_("admin", "POST", A + "/units",
                         {"name": "流程表检查单位%d" % self._n, "type": "其他", "level": "县直"})
        self.assertEqual(r.status, 201, r)
        uid = r.json["id"]
        approve_access(self.srv, uid)
        r = self.srv.as_("admin", "POST", A + "/prefixes",
                         {"cidr": "10.232.%d.0/24" % self._n, "status": "active",
                          "unit_id": uid})
        self.assertEqual(r.status, 201, r)
        return uid

    def move(self, uid, to, user="admin", dry=False):
        return self.srv.as_(user, "POST", A + "/units/%d/status" % uid,
                            {"status": to, "reason": "流程表检查", "dry_run": dry})

    def test_every_status_every_role(self):
        def step(uid, to):
            r = self.move(uid, to)
            self.assertEqual(r.status, 200, (uid, to, r))

        def actions_of(uid, user="admin"):
            u = self.offered(user, A + "/units/%d" % uid)
            return None if u is None else [a["to"] for a in u["actions"]]

        def state_of(uid):
            return self.offered("admin", A + "/units/%d" % uid)["status"]

        def walk_case(uid, path):
            for user in self.users:
                offered = actions_of(uid, user)
                if offered is None:
                    continue
                for to in self.STATUSES:
                    self.check(user, "unit %d" % uid, to, offered, self.move(uid, to, user, True),
                               path)

        states = self.explore(self.make, step, actions_of, state_of, walk_case)
        # 桐柏 names no clause for 撤销入网资格 or 拆机: those moves need one named, and are
        # not offered without it
        self.assertTrue({"申请中", "已接入", "暂停"} <= states, states)


class HandSuspension(ServerTest):
    """TB-9: a suspension by hand is an isolation, and reconnection waits for every case."""

    profile = "tongbai"
    extra = ("--scheduler-interval", "0")

    def test_suspension_isolates_and_reconnection_waits_for_the_case(self):
        s = self.srv
        uid = s.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        r = s.as_("admin", "POST", A + "/prefixes",
                  {"cidr": "10.233.0.0/24", "status": "active", "unit_id": uid})
        self.assertEqual(r.status, 201, r)
        entries = lambda: [e for e in s.as_("admin", "GET", A + "/enforcement?detail=1").json["entries"]
                           if e["unit_id"] == uid]
        self.assertEqual(entries(), [])
        r = s.as_("admin", "POST", A + "/units/%d/status" % uid,
                  {"status": "暂停", "reason": "检查发现私接无线路由器"})
        self.assertEqual(r.status, 200, r)
        hand = entries()
        self.assertIn("10.233.0.0/24", [e["value"] for e in hand])
        self.assertTrue(all(e["violation_id"] is None and e["reason"] == "检查发现私接无线路由器"
                            and e["clause"] == "TB-9" for e in hand), hand)
        # a case cuts the unit off as well: reconnecting by hand is refused, naming it
        prof = s.as_("admin", "GET", A + "/profile").json
        code = [f["code"] for f in prof["forbidden"]
                if (f.get("sanctions") or [""])[0] == "suspend_unit"][0]
        r = s.as_("admin", "POST", A + "/violations",
                  {"unit_id": uid, "behaviour": code, "detail": "检查发现"})
        self.assertEqual(r.status, 201, r)
        vid = r.json["id"]
        for a in ("isolate",):
            r = s.as_("admin", "POST", A + "/violations/%d/transitions" % vid,
                      {"action": a, "scope": "unit"})
            self.assertEqual(r.status, 200, r)
        r = s.as_("admin", "POST", A + "/units/%d/status" % uid, {"status": "已接入"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("违规事项 %d" % vid, r.json["error"]["message"])
        self.assertTrue(r.json["error"]["clause"])
        # the case ends: its isolation goes, the hand suspension stays until lifted by hand
        for a in ("rectify", "verify", "reconnect"):
            r = s.as_("admin", "POST", A + "/violations/%d/transitions" % vid,
                      {"action": a, "reason": "整改完毕"})
            self.assertEqual(r.status, 200, r)
        self.assertEqual(s.as_("admin", "GET", A + "/units/%d" % uid).json["status"], "暂停")
        self.assertEqual(entries(), hand)
        r = s.as_("admin", "POST", A + "/units/%d/status" % uid, {"status": "已接入"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(entries(), [])

    def test_no_unit_registered_connected_without_an_application(self):
        """TB-13: 未经审核，任何组织和个人不得私自接入 — through the API and the import alike."""
        s = self.srv
        tok = s.login("admin")
        before = s.counts()
        body = {"name": "私自接入测试单位", "type": "其他", "level": "县直", "status": "已接入"}
        r = s.request("POST", A + "/units", body, token=tok)
        e = self.assertError(r, 422, field="status", code="rule")
        self.assertEqual(e["clause"], "TB-13")
        csv = "单位名称,单位类型,单位层级,接入状态\n私自接入测试单位,其他,县直,已接入\n".encode("utf-8")
        r = s.request("POST", A + "/imports/units", raw=csv, token=tok,
                      headers={"Content-Type": "text/csv"})
        self.assertIn(r.status, (400, 422), r)
        self.assertIn("TB-13", r.raw.decode("utf-8"))
        self.assertEqual(s.counts(), before)


if __name__ == "__main__":
    unittest.main()
