"""GET /api/v1/metrics (issue 15 §7): the server's numbers in the Prometheus text exposition
format 0.0.4, for a manager's session or a token of scope metrics, and nobody else.

Every scrape is parsed strictly (parse below): each sample line is name{labels} value, each
family has its HELP and TYPE before its samples and its samples together, no series twice,
counters whole and not negative, each histogram's buckets cumulative with +Inf equal to its
count. The tests then make requests, observations, outbox rows and cases and watch the numbers
they should move. Requests are counted when their answer has been sent, which may be a moment
after the client read it: the counters are polled (wait_for), never read once.
"""
import math
import re
import sqlite3
import time

from harness import ServerTest

A = "/api/v1"
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(r"^(%s)(?:\{(.*)\})? (\S+)$" % NAME)
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
# what every scrape has, whatever the server did before
FAMILIES = {
    "zwnet_build_info": "gauge",
    "zwnet_uptime_seconds": "gauge",
    "zwnet_http_requests_total": "counter",
    "zwnet_http_requests_unanswered_total": "counter",
    "zwnet_http_request_duration_seconds": "histogram",
    "zwnet_observation_batches_total": "counter",
    "zwnet_observation_batches_duplicate_total": "counter",
    "zwnet_observations_ingested_total": "counter",
    "zwnet_findings_ingested_total": "counter",
    "zwnet_findings_created_total": "counter",
    "zwnet_violations_from_findings_total": "counter",
    "zwnet_db_size_bytes": "gauge",
    "zwnet_db_free_bytes": "gauge",
    "zwnet_db_wal_size_bytes": "gauge",
    "zwnet_outbox_backlog": "gauge",
    "zwnet_findings_open": "gauge",
    "zwnet_violations_open": "gauge",
    "zwnet_applications_open": "gauge",
}


def unescape(v):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def parse_labels(text, where):
    labels, at = {}, 0
    while at < len(text):
        m = LABEL.match(text, at)
        if not m:
            raise AssertionError("bad labels at %d: %s" % (at, where))
        if m.group(1) in labels:
            raise AssertionError("label %s twice: %s" % (m.group(1), where))
        labels[m.group(1)] = unescape(m.group(2))
        at = m.end()
        if at < len(text):
            if text[at] != ",":
                raise AssertionError("labels not separated by a comma: %s" % where)
            at += 1
            if at == len(text):
                raise AssertionError("trailing comma: %s" % where)
    return labels


def parse(text):
    """The families {name: {"type", "help"}} and samples {(name, labels): value} of an
    exposition, failing on anything the format does not allow."""
    if not text.endswith("\n"):
        raise AssertionError("the text does not end with a newline")
    fams, samples, order = {}, {}, []
    current = None  # the family whose samples come now
    closed = set()  # families whose samples ended: none may come back

    def family_of(name):
        if name in fams and fams[name]["type"] != "histogram":
            return name
        for suffix in ("_bucket", "_sum", "_count"):
            base = name[:-len(suffix)]
            if name.endswith(suffix) and fams.get(base, {}).get("type") == "histogram":
                return base
        return None

    for n, line in enumerate(text[:-1].split("\n"), 1):
        where = "line %d: %r" % (n, line)
        if not line:
            raise AssertionError("empty line: " + where)
        if line.startswith("#"):
            m = re.match(r"^# (HELP|TYPE) (%s) (.+)$" % NAME, line)
            if not m:
                raise AssertionError("a comment that is neither HELP nor TYPE: " + where)
            kind, name, rest = m.groups()
            f = fams.setdefault(name, {})
            if name in closed or (f.get("samples")):
                raise AssertionError("%s after the family's samples: %s" % (kind, where))
            key = kind.lower()
            if key in f:
                raise AssertionError("%s twice: %s" % (kind, where))
            if kind == "TYPE" and rest not in TYPES:
                raise AssertionError("unknown type: " + where)
            f[key] = rest
            if current and current != name:
                closed.add(current)
            current = name
            if name not in order:
                order.append(name)
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError("not name{labels} value: " + where)
        name, labels, value = m.group(1), parse_labels(m.group(2) or "", where), m.group(3)
        fam = family_of(name)
        if fam is None or "type" not in fams[fam] or "help" not in fams[fam]:
            raise AssertionError("a sample before its family's HELP and TYPE: " + where)
        if fam != current or fam in closed:
            raise AssertionError("the family's samples are not together: " + where)
        fams[fam]["samples"] = True
        try:
            v = float(value)
        except ValueError:
            raise AssertionError("not a number: " + where)
        key = (name, tuple(sorted(labels.items())))
        if key in samples:
            raise AssertionError("the same series twice: " + where)
        samples[key] = v
        if fams[fam]["type"] == "counter" or name.endswith(("_bucket", "_count")):
            if not (v >= 0 and v == int(v)):
                raise AssertionError("a count that is not a whole number >= 0: " + where)
    for name, f in fams.items():
        if "type" not in f or "help" not in f:
            raise AssertionError("family %s lacks HELP or TYPE" % name)
        if not name.startswith("zwnet_"):
            raise AssertionError("family %s is not zwnet_" % name)
        if f["type"] == "counter" and not name.endswith("_total"):
            raise AssertionError("counter %s does not end in _total" % name)
        if f["type"] == "histogram":
            check_histogram(name, samples)
    return fams, samples


def check_histogram(name, samples):
    series = {}
    for (n, labels), v in samples.items():
        if n == name + "_bucket":
            d = dict(labels)
            le = d.pop("le", None)
            if le is None:
                raise AssertionError("%s bucket without le" % name)
            series.setdefault(tuple(sorted(d.items())), []).append((float(le), v))
    for key, buckets in series.items():
        buckets.sort()
        if buckets[-1][0] != math.inf:
            raise AssertionError("%s%s has no +Inf bucket" % (name, key))
        counts = [v for _, v in buckets]
        if counts != sorted(counts):
            raise AssertionError("%s%s buckets are not cumulative: %s" % (name, key, buckets))
        count = samples.get((name + "_count", key))
        if count is None or (name + "_sum", key) not in samples:
            raise AssertionError("%s%s lacks _count or _sum" % (name, key))
        if count != counts[-1]:
            raise AssertionError("%s%s: +Inf %s != count %s" % (name, key, counts[-1], count))
    for (n, labels), _ in samples.items():
        if n in (name + "_count", name + "_sum") and labels not in series:
            raise AssertionError("%s%s has no buckets" % (n, labels))


def write(srv, sql, args=()):
    """Run a write on the server's database and commit it (srv.sql only reads)."""
    con = sqlite3.connect(srv.db, timeout=30)
    try:
        con.execute(sql, args)
        con.commit()
    finally:
        con.close()


def value(samples, name, **labels):
    """The sample's value, 0 when the series is not there (a labelled counter comes with its
    first count)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


class Metrics(ServerTest):
    # the scheduler off (its fan-out would take the outbox rows a test counts); a webhook
    # channel set, which nothing delivers then
    extra = ("--scheduler-interval", "0", "--webhook-url", "http://127.0.0.1:9/zwnet")

    @classmethod
    def _fixtures(cls):
        cls.tok = {}
        for scope in ("metrics", "probe", "enforcer", "radius", "probe enforcer radius"):
            r = cls.srv.as_("admin", "POST", A + "/tokens", {"name": "指标-" + scope,
                                                              "scope": scope})
            assert r.status == 201, r
            cls.tok[scope] = r.json["token"]

    def scrape(self, token=None):
        r = self.srv.request("GET", A + "/metrics", token=token or self.srv.login("admin"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        return parse(r.raw.decode("utf-8"))[1]

    def wait_value(self, want, name, token=None, **labels):
        """Scrape until the series has reached want (the last request may still be being
        counted); its value."""
        got = self.wait_for(lambda: (lambda v: v if v >= want else None)(
            value(self.scrape(token), name, **labels)), timeout=15)
        self.assertIsNotNone(got, "%s%s never reached %s" % (name, labels, want))
        return got

    def test_scrape_is_well_formed_and_complete(self):
        r = self.srv.as_("admin", "GET", A + "/metrics")
        self.assertEqual(r.status, 200, r)
        fams, samples = parse(r.raw.decode("utf-8"))
        for name, typ in FAMILIES.items():
            self.assertIn(name, fams)
            self.assertEqual(fams[name]["type"], typ, name)
        self.assertEqual([k for (n, k) in samples if n == "zwnet_build_info"],
                         [(("version", "0.1.0"),)])
        self.assertGreaterEqual(value(samples, "zwnet_uptime_seconds"), 0)
        # no scheduler, no lag
        self.assertNotIn("zwnet_scheduler_lag_seconds", fams)
        # the size the database gives of itself
        page = self.srv.sql("PRAGMA page_size")[0][0]
        size = value(samples, "zwnet_db_size_bytes")
        self.assertGreater(size, 0)
        self.assertEqual(size % page, 0)
        self.assertGreaterEqual(value(samples, "zwnet_db_wal_size_bytes"), 0)
        # every state a case is handled in, every status an application is open in: 0 too
        self.assertEqual({dict(k)["state"] for (n, k) in samples if n == "zwnet_violations_open"},
                         {"open", "notified", "isolated", "rectifying", "verified"})
        self.assertEqual({dict(k)["status"] for (n, k) in samples
                          if n == "zwnet_applications_open"},
                         {"submitted", "reviewing", "approved", "implementing"})

    def test_requests_counted_by_route_pattern(self):
        before = self.scrape()
        tok = self.srv.login("admin")
        for _ in range(3):
            self.assertEqual(self.srv.request("GET", A + "/units", token=tok).status, 200)
        uid = self.srv.sql("SELECT id FROM units ORDER BY id LIMIT 1")[0][0]
        self.assertEqual(self.srv.request("GET", A + "/units/%d" % uid, token=tok).status, 200)
        units = dict(route="/api/v1/units", method="GET", status="200")
        self.wait_value(value(before, "zwnet_http_requests_total", **units) + 3,
                        "zwnet_http_requests_total", **units)
        one = dict(route="/api/v1/units/{id}", method="GET", status="200")
        after = self.scrape()
        self.wait_value(value(before, "zwnet_http_requests_total", **one) + 1,
                        "zwnet_http_requests_total", **one)
        # 3 more GETs of the pattern's histogram; no label holds a URL as sent
        self.assertGreaterEqual(
            value(after, "zwnet_http_request_duration_seconds_count", route="/api/v1/units")
            - value(before, "zwnet_http_request_duration_seconds_count", route="/api/v1/units"),
            3)
        routes = {dict(k).get("route") for (n, k) in after}
        self.assertNotIn("/api/v1/units/%d" % uid, routes)
        # the histogram's buckets: a few, and the same for every route
        les = [dict(k)["le"] for (n, k) in after
               if n == "zwnet_http_request_duration_seconds_bucket" and
               dict(k)["route"] == "/api/v1/units"]
        self.assertGreaterEqual(len(les), 8)
        self.assertIn("+Inf", les)

    def test_an_unknown_path_counts_under_none(self):
        before = self.scrape()
        tok = self.srv.login("admin")
        for path in ("/nothing-here-1", "/nothing-here-2/42"):
            self.assertEqual(self.srv.request("GET", A + path, token=tok).status, 404)
        # a method the path does not have: 405, not its route's
        self.assertEqual(self.srv.request("DELETE", A + "/units", token=tok).status, 405)
        # a method no route has: one series for all of them
        self.assertEqual(self.srv.request("BREW", A + "/nothing-here-3", token=tok).status, 404)
        none = dict(route="(none)", method="GET", status="404")
        self.wait_value(value(before, "zwnet_http_requests_total", **none) + 2,
                        "zwnet_http_requests_total", **none)
        s = self.wait_value(1, "zwnet_http_requests_total", route="(none)", method="OTHER",
                            status="404")
        self.assertGreaterEqual(s, 1)
        after = self.scrape()
        self.assertGreaterEqual(value(after, "zwnet_http_requests_total", route="(none)",
                                      method="DELETE", status="405"), 1)
        self.assertNotIn("BREW", str(after))
        self.assertNotIn("nothing-here", str(after))

    def test_refused_requests_count_with_their_status(self):
        before = self.scrape()
        self.assertEqual(self.srv.request("GET", A + "/units").status, 401)
        self.assertEqual(self.srv.request("GET", A + "/units", token=self.tok["probe"]).status, 403)
        for status in ("401", "403"):
            want = value(before, "zwnet_http_requests_total", route="/api/v1/units",
                         method="GET", status=status) + 1
            self.wait_value(want, "zwnet_http_requests_total", route="/api/v1/units",
                            method="GET", status=status)

    def test_who_may_scrape(self):
        srv = self.srv
        self.assertEqual(srv.request("GET", A + "/metrics").status, 401)
        for user in ("unit", "ops", "inspector", "auditor", "carrier"):
            r = srv.as_(user, "GET", A + "/metrics")
            self.assertError(r, 403, code="forbidden")
        for scope in ("probe", "enforcer", "radius", "probe enforcer radius"):
            r = srv.request("GET", A + "/metrics", token=self.tok[scope])
            e = self.assertError(r, 403)
            self.assertIn("权限范围", e["message"], scope)
        # a manager's token of scope all acts as the manager
        full = srv.as_("admin", "POST", A + "/tokens", {"name": "全权"}).json["token"]
        self.assertEqual(srv.request("GET", A + "/metrics", token=full).status, 200)

    def test_a_metrics_token_reaches_the_metrics_only(self):
        srv, tok = self.srv, self.tok["metrics"]
        self.scrape(tok)
        before = srv.counts()
        for method, path, body in (("GET", "/units", None), ("GET", "/session", None),
                                   ("GET", "/enforcement", None), ("GET", "/probes/devices", None),
                                   ("POST", "/observations", {"probe": "m", "observations": []}),
                                   ("POST", "/tokens", {"name": "更多"}),
                                   ("GET", "/audit", None)):
            r = srv.request(method, A + path, body, token=tok)
            e = self.assertError(r, 403)
            self.assertIn("权限范围（metrics）", e["message"], (method, path))
        self.assertEqual(srv.counts(), before)

    def test_observations_and_findings_ingested(self):
        srv = self.srv
        before = self.scrape()
        at = "2026-11-24T09:00:0%dZ"
        obs = [{"kind": "fdb", "at": at % i, "device_id": 7, "iface": "Gi0/9", "vlan": 101,
                "mac": "00:16:3e:0a:09:%02x" % i} for i in range(3)]
        body = {"probe": "metrics-gw", "batch": {"run": "abc12345", "seq": 1}, "observations": obs}
        r = srv.request("POST", A + "/observations", body, token=self.tok["probe"])
        self.assertEqual(r.status, 202, r)
        self.assertFalse(r.json["duplicate"])
        # the batch again (its answer lost): recognised, nothing counted twice
        again = srv.request("POST", A + "/observations", body, token=self.tok["probe"])
        self.assertEqual((again.status, again.json["duplicate"]), (202, True), again)
        after = self.wait_value(value(before, "zwnet_observation_batches_total") + 2,
                                "zwnet_observation_batches_total")
        self.assertEqual(after, value(before, "zwnet_observation_batches_total") + 2)
        s = self.scrape()

        def delta(name):
            return value(s, name) - value(before, name)
        self.assertEqual(delta("zwnet_observation_batches_duplicate_total"), 1)
        self.assertEqual(delta("zwnet_observations_ingested_total"), 3)
        self.assertEqual(delta("zwnet_findings_ingested_total"), r.json["findings"])
        self.assertEqual(delta("zwnet_findings_created_total"), r.json["new_findings"])
        self.assertEqual(delta("zwnet_violations_from_findings_total"), r.json["new_violations"])
        self.assertGreater(r.json["new_findings"], 0, r)
        self.assertEqual(value(s, "zwnet_findings_open"),
                         srv.sql("SELECT count(*) FROM findings WHERE status = 'open'")[0][0])
        self.assertGreaterEqual(value(s, "zwnet_http_requests_total", route="/api/v1/observations",
                                      method="POST", status="202"), 2)

    def test_outbox_backlog_reflects_rows(self):
        srv = self.srv

        def pending():
            return (srv.sql("SELECT count(*) FROM outbox WHERE inbox_at = 0")[0][0],
                    srv.sql("SELECT count(*) FROM outbox WHERE hook_status = 'pending'")[0][0])
        inbox, hook = pending()
        s = self.scrape()
        self.assertEqual(value(s, "zwnet_outbox_backlog", channel="inbox"), inbox)
        self.assertEqual(value(s, "zwnet_outbox_backlog", channel="webhook"), hook)
        # no mail server set: no mail channel to wait for
        self.assertNotIn(("zwnet_outbox_backlog", (("channel", "mail"),)), s)
        for i in range(3):
            write(srv, "INSERT INTO outbox (created_at, kind, payload) VALUES (unixepoch(),"
                  " 'metrics.test', '{}')")
        self.assertEqual(pending(), (inbox + 3, hook + 3))
        s = self.scrape()
        self.assertEqual(value(s, "zwnet_outbox_backlog", channel="inbox"), inbox + 3)
        self.assertEqual(value(s, "zwnet_outbox_backlog", channel="webhook"), hook + 3)
        self.assertEqual(value(s, "zwnet_outbox_failed", channel="webhook"),
                         srv.sql("SELECT count(*) FROM outbox WHERE hook_status = 'failed'")[0][0])
        # fanned out to the inbox and sent to the webhook: off both backlogs
        write(srv, "UPDATE outbox SET inbox_at = unixepoch(), hook_status = 'sent'"
              " WHERE kind = 'metrics.test'")
        s = self.scrape()
        self.assertEqual(value(s, "zwnet_outbox_backlog", channel="inbox"), inbox)
        self.assertEqual(value(s, "zwnet_outbox_backlog", channel="webhook"), hook)

    def test_open_cases_and_applications(self):
        srv = self.srv
        before = self.scrape()
        uid = srv.sql("SELECT id FROM units ORDER BY id LIMIT 1")[0][0]
        case = ("INSERT INTO violations (unit_id, behaviour, behaviour_name, clause, level,"
                " offence, state, source, closed_at, created_at, updated_at) VALUES (?,"
                " 'device_tamper', '擅自更改设备配置', 'TB-1', 'unit', 1, ?, 'inspection', ?,"
                " unixepoch(), unixepoch())")
        write(srv, case, (uid, "isolated", 0))
        write(srv, case, (uid, "isolated", 0))
        write(srv, case, (uid, "closed", 1))
        # an access application, of a unit not yet connected
        r = srv.as_("admin", "POST", A + "/units", {"name": "指标测试单位", "type": "其他",
                                                     "level": "县直"})
        self.assertEqual(r.status, 201, r)
        body = {"kind": "access", "unit_id": r.json["id"], "user_type": "事业单位", "address": "测试地址",
                "admin_name": "网管", "admin_mobile": "13800000001", "tech_name": "技术",
                "tech_mobile": "13800000002", "ip_count": 1, "bandwidth_mbps": 10,
                "purpose": "测试"}
        prof = srv.as_("admin", "GET", A + "/profile").json
        if any(w["key"] == "access" and w["assessment_required"] for w in prof["workflows"]):
            body.update(assessment_org="测评机构", assessment_on="2026-01-05",
                        assessment_conclusion="符合")
        r = srv.as_("admin", "POST", A + "/applications", body)
        self.assertEqual(r.status, 201, r)
        status = {"已提交": "submitted", "审核中": "reviewing"}[r.json["status"]]
        s = self.scrape()
        self.assertEqual(value(s, "zwnet_violations_open", state="isolated"),
                         value(before, "zwnet_violations_open", state="isolated") + 2)
        self.assertNotIn(("zwnet_violations_open", (("state", "closed"),)), s)
        self.assertEqual(value(s, "zwnet_applications_open", status=status),
                         value(before, "zwnet_applications_open", status=status) + 1)
        self.assertEqual(sum(v for (n, _), v in s.items() if n == "zwnet_violations_open"),
                         srv.sql("SELECT count(*) FROM violations WHERE closed_at = 0")[0][0])


class MetricsWithScheduler(ServerTest):
    """The scheduler runs every second: its lag is there and stays about that."""

    extra = ("--scheduler-interval", "1")

    def test_scheduler_lag(self):
        tok = self.srv.login("admin")

        def lag():
            r = self.srv.request("GET", A + "/metrics", token=tok)
            self.assertEqual(r.status, 200, r)
            s = parse(r.raw.decode("utf-8"))[1]
            self.assertEqual(value(s, "zwnet_scheduler_interval_seconds"), 1)
            self.assertIn(("zwnet_scheduler_lag_seconds", ()), s)
            return s[("zwnet_scheduler_lag_seconds", ())]
        first = lag()
        self.assertGreaterEqual(first, 0)
        time.sleep(2.5)
        # steps have ended since: the lag is not the time since the start
        self.assertIsNotNone(self.wait_for(lambda: lag() < 2.0, timeout=20))
        self.assertLess(lag(), 30)
