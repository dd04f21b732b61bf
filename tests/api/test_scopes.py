"""API tokens stay in their lane (issue 12, item 1).

A person acts through a session or a token of scope "all". A machine acts through a token of
one or more machine scopes: "probe" (zwnet probe: observations, the devices it polls),
"enforcer" (zwnet enforce: the isolations to apply, its report), "radius" (FreeRADIUS: MAC
authentication and 802.1X answers), "metrics" (a Prometheus scraper: GET /metrics). A machine's token reaches only what its scope names,
whatever its owner (a manager) may do; everything else is 403 and changes nothing.

ROUTES below is written by hand: for every route of src/api/routes.c, the machine scopes that
reach it ("-" none, "public" needs no authentication). A route of routes.c without a row, or a
row without a route, fails test_table_covers_every_route, so a new route must be placed here.
"""
import os
import re
import sqlite3

from harness import UNDO_MIGRATION_16, Server, ServerTest

HERE = os.path.dirname(os.path.abspath(__file__))
ROUTES_C = os.path.join(HERE, "..", "..", "src", "api", "routes.c")
A = "/api/v1"

ROUTES = """
GET    /health                                            public
GET    /openapi.json                                      public
GET    /metrics                                           metrics
POST   /session                                           public
GET    /session                                           -
DELETE /session                                           -
POST   /session/password                                  -
GET    /tokens                                            -
POST   /tokens                                            -
DELETE /tokens/{id}                                       -
GET    /users                                             -
POST   /users                                             -
GET    /users/{id}                                        -
PATCH  /users/{id}                                        -
POST   /users/{id}/password                               -
GET    /profile                                           -
GET    /profile/clauses/{clause}                          -
GET    /schemas                                           -
GET    /audit                                             -
GET    /audit/verify                                      -
GET    /units                                             -
POST   /units                                             -
GET    /units/{id}                                        -
PATCH  /units/{id}                                        -
POST   /units/{id}/status                                 -
GET    /units/{id}/history                                -
GET    /units/{id}/archive                                -
GET    /units/{id}/contacts                               -
POST   /units/{id}/contacts                               -
PATCH  /units/{id}/contacts/{cid}                         -
DELETE /units/{id}/contacts/{cid}                         -
GET    /units/{id}/agreements                             -
POST   /units/{id}/agreements                             -
GET    /units/{id}/agreements/{aid}                       -
PATCH  /units/{id}/agreements/{aid}                       -
DELETE /units/{id}/agreements/{aid}                       -
PUT    /units/{id}/agreements/{aid}/scan                  -
GET    /units/{id}/agreements/{aid}/scan                  -
GET    /zones                                             -
POST   /zones                                             -
GET    /zones/{id}                                        -
PATCH  /zones/{id}                                        -
DELETE /zones/{id}                                        -
GET    /vlans                                             -
POST   /vlans                                             -
GET    /vlans/{id}                                        -
PATCH  /vlans/{id}                                        -
DELETE /vlans/{id}                                        -
GET    /prefixes                                          -
POST   /prefixes                                          -
POST   /prefixes/allocate                                 -
GET    /prefixes/{id}                                     -
PATCH  /prefixes/{id}                                     -
DELETE /prefixes/{id}                                     -
POST   /prefixes/{id}/allocate                            -
GET    /prefixes/{id}/free                                -
GET    /terminals                                         -
POST   /terminals                                         -
GET    /terminals/compliance                              -
GET    /terminals/{id}                                    -
PATCH  /terminals/{id}                                    -
DELETE /terminals/{id}                                    -
GET    /addresses                                         -
POST   /addresses                                         -
GET    /addresses/{id}                                    -
PATCH  /addresses/{id}                                    -
DELETE /addresses/{id}                                    -
GET    /exports/dhcp                                      -
GET    /carriers                                          -
POST   /carriers                                          -
GET    /carriers/{id}                                     -
PATCH  /carriers/{id}                                     -
DELETE /carriers/{id}                                     -
GET    /lines                                             -
POST   /lines                                             -
GET    /lines/{id}                                        -
PATCH  /lines/{id}                                        -
DELETE /lines/{id}                                        -
GET    /devices                                           -
POST   /devices                                           -
GET    /devices/{id}                                      -
PATCH  /devices/{id}                                      -
DELETE /devices/{id}                                      -
GET    /domain-names                                      -
POST   /domain-names                                      -
GET    /domain-names/{id}                                 -
PATCH  /domain-names/{id}                                 -
DELETE /domain-names/{id}                                 -
GET    /ports                                             -
POST   /ports                                             -
GET    /ports/{id}                                        -
PATCH  /ports/{id}                                        -
DELETE /ports/{id}                                        -
GET    /imports                                           -
POST   /imports/{kind}                                    -
GET    /imports/{kind}/template                           -
GET    /imports/{kind}/export                             -
GET    /exports/plan                                      -
GET    /calendar/add                                      -
GET    /calendar/{year}                                   -
PUT    /calendar/{year}                                   -
GET    /applications                                      -
POST   /applications                                      -
GET    /applications/{id}                                 -
POST   /applications/{id}/transitions                     -
GET    /exports/ports                                     -
GET    /applications/{id}/form                            -
GET    /applications/{id}/notice                          -
GET    /units/{id}/agreement-documents/{kind}             -
POST   /observations                                      probe
GET    /findings                                          -
GET    /findings/{id}                                     -
POST   /findings/{id}/transitions                         -
GET    /probes                                            -
GET    /probes/devices                                    probe
GET    /enforcement                                       enforcer
POST   /enforcement/report                                enforcer
POST   /radius/authorize                                  radius
POST   /radius/post-auth                                  radius
GET    /violations                                        -
POST   /violations                                        -
GET    /violations/{id}                                   -
GET    /violations/{id}/notice                            -
GET    /violations/{id}/acl                               -
POST   /violations/{id}/transitions                       -
GET    /tickets                                           -
POST   /tickets                                           -
GET    /tickets/sla                                       -
GET    /tickets/{id}                                      -
GET    /tickets/{id}/paper                                -
POST   /tickets/{id}/transitions                          -
GET    /maintenance                                       -
POST   /maintenance                                       -
GET    /maintenance/{id}                                  -
POST   /maintenance/{id}/transitions                      -
GET    /outages                                           -
GET    /outages/health                                    -
GET    /outages/monitor                                   -
GET    /outages/{id}                                      -
GET    /duty                                              -
POST   /duty                                              -
GET    /duty/log                                          -
GET    /duty/{id}                                         -
POST   /duty/{id}/transitions                             -
GET    /duty/{id}/entries                                 -
POST   /duty/{id}/entries                                 -
GET    /changes                                           -
POST   /changes                                           -
GET    /changes/{id}                                      -
POST   /changes/{id}/transitions                          -
GET    /plans                                             -
POST   /plans                                             -
GET    /plans/missing                                     -
GET    /plans/{id}                                        -
POST   /plans/{id}/transitions                            -
GET    /plans/{id}/drills                                 -
POST   /plans/{id}/drills                                 -
GET    /deadlines                                         -
GET    /deadlines/{id}                                    -
POST   /deadlines/{id}/pause                              -
POST   /deadlines/{id}/resume                             -
GET    /inbox                                             -
POST   /inbox/{id}/read                                   -
POST   /inbox/read                                        -
GET    /session/mail                                      -
PUT    /session/mail                                      -
GET    /agreements/missing                                -
GET    /search                                            -
"""
TABLE = [tuple(line.split()) for line in ROUTES.strip().splitlines()]
MACHINE = ["probe", "enforcer", "radius", "metrics"]
# the tokens each test sends: one per machine scope and one with the first three (what a probe
# token of before became, migration 13), which must not reach the metrics
KINDS = MACHINE + ["probe enforcer radius"]


def gate_refused(r):
    """The answer of the scope gate or of authentication (a RADIUS reject is 401 too, but
    rlm_rest's, with no error object)."""
    e = (r.json or {}).get("error") if isinstance(r.json, dict) else None
    return r.status == 403 or (r.status == 401 and e is not None and
                                e.get("code") == "unauthenticated")


def concrete(path):
    """A path of the table with its parameters filled (the scope gate answers before any
    object is looked up, so the ids need not exist)."""
    path = path.replace("{clause}", "TB-1").replace("{kind}", "terminals").replace("{year}", "2026")
    return A + re.sub(r"\{[a-z]*id\}", "1", path)


class Scopes(ServerTest):
    extra = ("--scheduler-interval", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for kind in KINDS:
            r = cls.srv.as_("admin", "POST", A + "/tokens", {"name": "机器-" + kind, "scope": kind})
            assert r.status == 201 and r.json["scope"] == kind, r
            cls.tok[kind] = r.json["token"]

    def test_table_covers_every_route(self):
        with open(ROUTES_C, encoding="utf-8") as f:
            src = f.read()
        table = src[src.index("const struct route routes[]"):src.index("const size_t nroutes")]
        routes = {(m, p[len(A):]) for m, p in
                  re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', table)}
        rows = {(m, p) for m, p, _ in TABLE}
        self.assertEqual(routes - rows, set(), "routes without a row in ROUTES")
        self.assertEqual(rows - routes, set(), "rows of ROUTES that are no route")
        for _, _, sc in TABLE:
            self.assertTrue(sc in ("-", "public") or set(sc.split(",")) <= set(MACHINE), sc)

    def test_every_route_by_every_machine_scope(self):
        """Each route, with each machine's token: 403 naming the scope and nothing written,
        unless the row names one of the token's scopes (then the handler answers, never 403 from
        the gate)."""
        srv = self.srv
        for method, path, sc in TABLE:
            allowed = set() if sc in ("-", "public") else set(sc.split(","))
            for kind in KINDS:
                before = srv.counts()
                body = None if method in ("GET", "DELETE") else {}
                r = srv.request(method, concrete(path), body, token=self.tok[kind])
                where = "%s %s with a %s token: %r" % (method, path, kind, r)
                if sc == "public":
                    self.assertLess(r.status, 500, where)
                elif allowed & set(kind.split()):
                    self.assertFalse(gate_refused(r), where)
                else:
                    self.assertEqual(r.status, 403, where)
                    self.assertIn("权限范围", r.json["error"]["message"], where)
                    self.assertEqual(srv.counts(), before, where)

    def test_probe_token_cannot_become_a_manager(self):
        """The tester's path: with a probe token, mint an all-scope token of its owner, then a
        new manager with that. Both refused; nothing written."""
        srv, probe = self.srv, self.tok["probe"]
        before = srv.counts()
        r = srv.request("POST", A + "/tokens", {"name": "p2"}, token=probe)
        self.assertEqual(r.status, 403, r)
        r = srv.request("POST", A + "/users", {"username": "evil", "role": "manager",
                                               "password": "Evil2026pass"}, token=probe)
        self.assertEqual(r.status, 403, r)
        admin_tok = srv.as_("admin", "POST", A + "/tokens", {"name": "他的"}).json["id"]
        before = srv.counts()
        for method, path, body in (("DELETE", "/tokens/%d" % admin_tok, None),
                                   ("GET", "/inbox", None), ("POST", "/inbox/1/read", {}),
                                   ("POST", "/session/password",
                                    {"old_password": "x", "new_password": "Abcdefgh12"}),
                                   ("GET", "/tokens", None), ("GET", "/session", None)):
            r = srv.request(method, A + path, body, token=probe)
            self.assertEqual(r.status, 403, (method, path, r))
        self.assertEqual(srv.counts(), before)
        self.assertEqual(srv.sql("SELECT revoked FROM api_tokens WHERE id = ?", (admin_tok,)),
                         [(0,)])

    def test_radius_only_to_a_radius_token(self):
        """/radius/* answer a radius-scoped token, never a person's session or full token."""
        srv = self.srv
        body = {"User-Name": {"value": ["020000000001"]},
                "Calling-Station-Id": {"value": ["02-00-00-00-00-01"]}}
        full = srv.as_("admin", "POST", A + "/tokens", {"name": "全权"}).json["token"]
        for path in ("/radius/authorize", "/radius/post-auth"):
            for tok in (srv.login("admin"), srv.login("ops"), srv.login("inspector"), full,
                        self.tok["probe"], self.tok["enforcer"]):
                self.assertEqual(srv.request("POST", A + path, body, token=tok).status, 403)
            self.assertFalse(gate_refused(srv.request("POST", A + path, body,
                                                      token=self.tok["radius"])))

    def test_no_token_wider_than_its_maker(self):
        srv = self.srv
        # an all-scope token with an expiry makes tokens that expire no later
        r = srv.as_("admin", "POST", A + "/tokens",
                    {"name": "一小时", "expires_at": "2099-01-01T00:00:00Z"})
        self.assertEqual(r.status, 201, r)
        hour = r.json["token"]
        r = srv.request("POST", A + "/tokens", {"name": "子令牌"}, token=hour)
        self.assertEqual((r.status, r.json["expires_at"]), (201, "2099-01-01T00:00:00Z"), r)
        r = srv.request("POST", A + "/tokens", {"name": "更久", "expires_at": "2099-06-01T00:00:00Z"},
                        token=hour)
        self.assertEqual((r.status, r.json["error"]["field"]), (400, "expires_at"), r)
        # only a manager makes a machine's token, also through a full token
        ops_full = srv.as_("ops", "POST", A + "/tokens", {"name": "运维"}).json["token"]
        r = srv.request("POST", A + "/tokens", {"name": "探针", "scope": "probe"}, token=ops_full)
        self.assertEqual(r.status, 403, r)
        for bad in ("root", "probe probe", "all probe", "", " probe", "probe ", "probe  radius"):
            r = srv.as_("admin", "POST", A + "/tokens", {"name": "x", "scope": bad})
            self.assertEqual((r.status, r.json["error"]["field"]), (400, "scope"), (bad, r))
        r = srv.as_("admin", "POST", A + "/tokens", {"name": "x", "scope": "radius probe"})
        self.assertEqual((r.status, r.json["scope"]), (201, "probe radius"), r)

    def test_compliance_of_another_unit_is_not_there(self):
        srv = self.srv
        own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        other = srv.sql("SELECT id FROM units WHERE id != ? ORDER BY id LIMIT 1", (own,))[0][0]
        r = srv.as_("unit", "GET", A + "/terminals/compliance?unit_id=%d" % other)
        self.assertEqual(r.status, 404, r)
        self.assertEqual(srv.as_("unit", "GET", A + "/terminals/compliance?unit_id=%d" % own).status,
                         200)
        self.assertEqual(srv.as_("admin", "GET", A + "/terminals/compliance?unit_id=%d" % other).status,
                         200)
        r = srv.as_("admin", "GET", A + "/terminals/compliance?unit_id=999999")
        self.assertEqual((r.status, r.json["error"]["field"]), (404, "unit_id"), r)


class ScopeMigration(ServerTest):
    """A probe token of before (scope 'probe' did observations, enforcement and RADIUS) keeps
    all three after the upgrade, so a county's gateway and FreeRADIUS keep working."""

    def test_old_probe_token_keeps_its_reach(self):
        srv = self.srv
        r = srv.as_("admin", "POST", A + "/tokens", {"name": "旧探针", "scope": "probe"})
        token, tid = r.json["token"], r.json["id"]
        srv.stop()
        con = sqlite3.connect(srv.db)
        con.executescript(
            "PRAGMA foreign_keys=OFF; BEGIN;"
            "CREATE TABLE t AS SELECT * FROM api_tokens; DROP TABLE api_tokens;"
            "CREATE TABLE api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " token_hash TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL REFERENCES users(id)"
            " ON DELETE CASCADE, name TEXT NOT NULL, created_at INTEGER NOT NULL,"
            " expires_at INTEGER, last_used_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0,"
            " scope TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all','probe'))) STRICT;"
            "INSERT INTO api_tokens SELECT * FROM t; DROP TABLE t;"
            # and back from migration 14 (units' name keys), to the schema of version 12
            "DROP INDEX units_name_key; ALTER TABLE units DROP COLUMN name_key;"
            + UNDO_MIGRATION_16 + "PRAGMA user_version = 12; COMMIT;")
        con.close()
        srv._spawn()
        self.assertEqual(srv.sql("SELECT scope FROM api_tokens WHERE id = ?", (tid,)),
                         [("probe enforcer radius",)])
        self.assertEqual(srv.request("GET", A + "/enforcement", token=token).status, 200)
        self.assertEqual(srv.request("POST", A + "/observations",
                                     {"probe": "gw", "observations": []}, token=token).status, 202)
        self.assertEqual(srv.request("GET", A + "/units", token=token).status, 403)
