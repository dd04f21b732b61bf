"""A property-based run of the API from its own OpenAPI document (GET /api/v1/openapi.json).

For every operation, hypothesis draws requests the document calls valid (path parameters from
the ids of real objects and random ones, query parameters, JSON bodies from the request
schemas), sends them as the demo manager and checks the answer: never 5xx; a status the
operation documents; a JSON body that validates against the schema documented for that status
(a non-JSON answer carries a documented content type); and a valid request (one whose body
validates against the document) is never refused with 400, but for two reasons the document
states and the run verifies: an id in the body that names no object (the run looks it up and
finds nothing), and the rules of KNOWN_400, each naming the members it may refuse. Then for every JSON body a few invalid variants (an unknown member, a wrong type, a
text too long) must get 400 (or a documented refusal that comes before the body is read), never
5xx. Bounded: EXAMPLES per operation, derandomized (the same requests every run), no shrinking.

The schema -> strategy converter is our own (Debian has no hypothesis-jsonschema). Needs
Debian's python3-hypothesis and python3-jsonschema (tests/api/run.py runs under /usr/bin/python3
when it exists); outside CI a missing module skips, under CI=true it fails.

Four servers, so that what one group writes cannot hide what another reads: the reads (every
GET), the writes (everything else but accounts and agents), the accounts (session, tokens,
users: the run authenticates as its own manager "pbt", logs in again before every example, and
never draws pbt's own id, so that a password reset or a disabled user does not end the run),
and the agents (what probes, enforcers and RADIUS post, sent with a token of those scopes).
"""
import collections
import datetime
import json
import os
import re
import string
import sys
import unittest
import urllib.parse

import harness
from harness import PASSWORD, ServerTest, run_cli

try:
    import hypothesis
    import jsonschema
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    MISSING = None
except ImportError as e:  # pragma: no cover - depends on the machine
    if os.environ.get("CI") == "true":
        raise
    MISSING = str(e)

EXAMPLES = int(os.environ.get("ZWNET_PROP_EXAMPLES", "20"))
ACCOUNT_PATHS = ("/api/v1/session", "/api/v1/tokens", "/api/v1/users")
AGENT_PATHS = ("/api/v1/observations", "/api/v1/enforcement/report", "/api/v1/radius")
METHODS = ("get", "post", "put", "patch", "delete")


_DOC = []


def document():
    """The document the server serves, as `zwnet openapi` prints it (the operations of the
    registry kinds are written from their tables, not in api/openapi.json)."""
    if not _DOC:
        _DOC.append(json.loads(run_cli("openapi").stdout))
    return _DOC[0]


def operations():
    """(path, method, operationId) of the document's operations."""
    for path, item in document()["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op["operationId"]


def group_of(path, method):
    if any(path == p or path.startswith(p + "/") for p in ACCOUNT_PATHS):
        return "accounts"
    if method == "post" and any(path == p or path.startswith(p + "/") for p in AGENT_PATHS):
        return "agents"
    return "reads" if method == "get" else "writes"


# ---- the document as JSON Schema (OpenAPI 3.0 -> draft 7) ----

def to_jsonschema(s):
    """OpenAPI 3.0 schema objects to JSON Schema: nullable becomes null allowed."""
    if isinstance(s, list):
        return [to_jsonschema(x) for x in s]
    if not isinstance(s, dict):
        return s
    out = {k: to_jsonschema(v) for k, v in s.items()
           if k not in ("nullable", "discriminator", "readOnly", "writeOnly", "example")}
    if s.get("nullable"):
        if "$ref" in out or "oneOf" in out or "allOf" in out:
            out = {"anyOf": [out, {"type": "null"}]}
        else:
            if "type" in out:
                out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
    return out


class Doc:
    def __init__(self, doc):
        self.doc = doc
        self.components = to_jsonschema(doc.get("components", {}))

    def resolve(self, s):
        while isinstance(s, dict) and "$ref" in s:
            at = self.doc
            for part in s["$ref"][2:].split("/"):
                at = at[part]
            s = at
        return s

    def validator(self, schema):
        root = {"allOf": [to_jsonschema(schema)], "components": self.components}
        return jsonschema.Draft7Validator(root)


# ---- strategies from schemas ----

TEXT_PATTERNS = {
    "^[^\\x00-\\x1f\\x7f]*$": False,
    "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$": True,
}
SMALL_IDS = list(range(1, 13))
DAY_MIN, DAY_MAX = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)

# The rules a request can break although its body validates against the document, per
# operation: the members whose 400 they explain (a name ending in "[" covers every item of that
# array) and why the document cannot say it. Everything else about these operations is checked
# all the same (a 400 naming another member fails the run). Each is a rule between members, a
# rule against stored data, or a rule against the clock that no JSON Schema keyword states.
KNOWN_400 = {
    "addresses_create": {"address": "must lie in the prefix prefix_id names, and not be its "
                                    "network or broadcast address (stored data)",
                         "terminal_id": "the terminal must be the prefix's unit's (stored data)"},
    "address_patch": {"terminal_id": "the terminal must be the prefix's unit's (stored data)"},
    "devices_create": {"unit_id": "a device the unit owns (owner 使用单位) names its unit"},
    "device_patch": {"unit_id": "a device the unit owns (owner 使用单位) names its unit"},
    "prefixes_create": {"gateway": "the gateway must lie in the prefix (between members)"},
    "prefix_patch": {"gateway": "the gateway must lie in the stored prefix (stored data)"},
    "prefix_allocate": {"family": "must be the parent prefix's family (stored data)",
                        "prefix_length": "must fit in the parent prefix (stored data)"},
    "terminals_create": {"ip": "must lie in a prefix allocated to the unit (JX-21, stored data)"},
    "terminal_patch": {"ip": "must lie in a prefix allocated to the unit (JX-21, stored data)"},
    "user_patch": {"unit_id": "a unit_admin has a unit, no other role has one (between "
                              "members and the stored role)",
                   "carrier_id": "a carrier's staff have their carrier, no other role has one "
                                 "(between members and the stored role)"},
    "users_create": {"unit_id": "a unit_admin has a unit, no other role has one (between "
                                "members)",
                     "carrier_id": "a carrier's staff have their carrier, no other role has "
                                   "one (between members)"},
    "password_change": {"old_password": "must be the current password (stored data)"},
    "tokens_create": {"expires_at": "must lie ahead of the server's clock",
                      "user_id": "the user must not be disabled (stored data)"},
    "unit_patch": {"parent_id": "a unit cannot sit under itself or its own subunits (stored "
                                "data)"},
    "applications_create": {
        "user_type_other": "needed when user_type is 其他 (between members)",
        "change_other": "needed when change_type is 其他 (between members)",
        "new_address": "needed when change_type is 移机 (between members)",
        "isolation_device": "needed when interconnect_type is 数据交互 (between members)",
        "ports[": "each target must lie in the unit's own addresses, no port twice (stored "
                  "data, between items)"},
    "application_transition": {"action": "the actions each application kind has",
                               "reason": "the actions that need a reason"},
    "calendar_load": {"year": "must be the year in the path (between path and body)",
                      "days[": "each day must lie in that year or the one before"},
    "violation_create": {"terminal_id": "the terminal must be the unit's (stored data)",
                         "finding_id": "the finding must be about the unit (stored data)"},
    "violation_transition": {"reason": "verify, escalate and dismiss need a reason",
                             "sanction": "must be a rung of the behaviour's ladder (profile)",
                             "amount": "charge needs an amount"},
    "observations_ingest": {"count": "must equal the number of observations"},
    "ticket_create": {"line_id": "must be a line of the unit (stored data)"},
    "maintenance_create": {"carrier_id": "needed unless a carrier's staff file for their own "
                                         "(between members and the principal)",
                           "line_ids": "line_ids or unit_ids is needed; the carrier's lines "
                                       "(between members, stored data)",
                           "unit_ids": "each unit must have a line in use of the carrier "
                                       "(stored data)",
                           "ends_at": "must be after starts_at (between members)"},
    "maintenance_transition": {"reason": "the actions that need a reason"},
    "duty_create": {"user_id": "must be a manager or a duty officer in use (stored data)"},
    "duty_entry_create": {"check_item": "one of the profile's checks, with a result (profile, "
                                        "between members)",
                          "result": "given with a check item (between members)",
                          "ticket_id": "an existing ticket (stored data)"},
    "change_transition": {"reason": "the actions that need a reason",
                          "rollback_plan": "revise needs a plan or measures (between members)"},
    "ticket_transition": {"reason": "the actions that need a reason",
                          "carrier_id": "dispatch needs one when the fault has no line; "
                                        "reassign needs another than the ticket's (stored data)",
                          "site_class": "reclassify needs another class of the profile",
                          "pause_reason": "pause needs a reason of the profile"},
}

# An id in a body names an object of this collection (a 400 naming it is excused when the
# object is not there).
REFS = {"unit_id": "/api/v1/units", "parent_id": "/api/v1/units", "carrier_id": "/api/v1/carriers",
        "prefix_id": "/api/v1/prefixes", "zone_id": "/api/v1/zones", "vlan_id": "/api/v1/vlans",
        "terminal_id": "/api/v1/terminals", "finding_id": "/api/v1/findings",
        "user_id": "/api/v1/users", "line_id": "/api/v1/lines"}
REF_IN = {("application_transition", "parent_id"): "/api/v1/prefixes"}


def excused(oid, field):
    for k, why in KNOWN_400.get(oid, {}).items():
        if field == k or (k.endswith("[") and field.startswith(k)):
            return why
    return None


def today_cn():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def text_strategy(lo, hi, multiline):
    extra = "\n\t" if multiline else ""
    alphabet = st.one_of(
        st.sampled_from(string.ascii_letters + string.digits + " -_.,:/()" + extra),
        st.sampled_from("政务外网单位地址测试桐柏县信息中心网络管理员"),
        st.characters(blacklist_categories=("Cs", "Cc")))
    return st.text(alphabet=alphabet, min_size=lo, max_size=min(hi, 60)) | \
        st.text(alphabet=st.sampled_from("测a"), min_size=max(lo, hi), max_size=hi)


NAME_PATTERN = "^(?!\\s*$)"  # how a name's pattern starts (api/openapi.c PAT_NAME)


def name_strategy(lo, hi, pat):
    """A name (core/text.h): text without control, format, separator or filler characters, not
    blanks only, and matching the document's pattern."""
    alphabet = st.one_of(
        st.sampled_from(string.ascii_letters + string.digits + " -_.,:/()\u3000"),
        st.sampled_from("政务外网单位地址测试桐柏县信息中心网络管理员（）"),
        st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Cn"),
                      blacklist_characters="\u115f\u1160\u3164\uffa0"))
    ok = re.compile(pat)
    return st.text(alphabet=alphabet, min_size=max(lo, 1), max_size=min(hi, 60)) \
        .filter(lambda v: v.strip() and ok.fullmatch(v)) | \
        st.text(alphabet=st.sampled_from("测a"), min_size=max(lo, hi, 1), max_size=hi)


class Gen:
    """Strategies for the values a schema calls valid."""

    def __init__(self, doc, ids=None, refs=None):
        self.d = doc
        self.ids = ids or SMALL_IDS
        self.refs = refs or (lambda name: [])

    def __call__(self, s, name=""):
        s = self.d.resolve(s)
        base = self._base(s, name)
        if s.get("nullable"):
            return st.none() | base
        return base

    def _base(self, s, name):
        if "oneOf" in s or "anyOf" in s:
            return st.one_of([self(x, name) for x in s.get("oneOf", s.get("anyOf"))])
        if "enum" in s:
            # an empty vocabulary (a county whose profile has none): nothing is valid
            return st.sampled_from(s["enum"]) if s["enum"] else st.just("（无）")
        t = s.get("type")
        if t == "string":
            return self._string(s, name)
        if t == "integer":
            lo = s.get("minimum", -(2 ** 63))
            hi = s.get("maximum", 2 ** 63 - 1)
            anyint = st.integers(lo, hi)
            if lo >= 1 and (name == "id" or name.endswith("_id")):
                real = [i for i in self.refs(name) if lo <= i <= hi]
                if real:
                    return st.sampled_from(real) | st.sampled_from(real) | anyint
                return st.sampled_from([i for i in self.ids if lo <= i <= hi] or [lo]) | anyint
            if hi - lo > 1000:
                return st.integers(lo, min(hi, lo + 100)) | anyint
            return anyint
        if t == "number":
            return st.floats(allow_nan=False, allow_infinity=False, width=32).map(float)
        if t == "boolean":
            return st.booleans()
        if t == "array":
            lo = s.get("minItems", 0)
            return st.lists(self(s.get("items", {})), min_size=lo,
                            max_size=max(lo, min(s.get("maxItems", 3), 3)))
        return self._object(s)

    def _string(self, s, name=""):
        lo, hi = s.get("minLength", 0), s.get("maxLength", 200)
        pat, fmt = s.get("pattern"), s.get("format")
        # a date or time whose pattern bounds the year: real calendar days in that range
        if fmt == "date":
            top = today_cn() if s.get("x-not-after") == "today" else DAY_MAX
            return st.dates(DAY_MIN, top).map(lambda d: d.isoformat())
        if fmt == "password":
            ok = re.compile(pat) if pat else None
            return st.text(alphabet=st.sampled_from(string.ascii_letters + string.digits + "-_!测"),
                           min_size=max(lo, 8), max_size=min(hi, 40)) \
                .filter(lambda v: ok is None or ok.fullmatch(v))
        if fmt == "date-time":
            return st.datetimes(datetime.datetime(1900, 1, 1), datetime.datetime(2199, 12, 31)) \
                .map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if pat in TEXT_PATTERNS:
            return text_strategy(lo, hi, TEXT_PATTERNS[pat])
        if pat and pat.startswith(NAME_PATTERN):
            return name_strategy(lo, hi, pat)
        if pat:
            return st.from_regex(pat, fullmatch=True).filter(lambda v: lo <= len(v) <= hi)
        return text_strategy(lo, hi, False)

    def _object(self, s):
        props = {k: v for k, v in s.get("properties", {}).items()
                 if not self.d.resolve(v).get("readOnly")}
        req = [k for k in s.get("required", []) if k in props]
        opt = [k for k in props if k not in req]
        fixed = st.fixed_dictionaries({k: self(props[k], k) for k in req})
        optional = st.fixed_dictionaries(
            {}, optional={k: self(props[k], k) for k in opt}) if opt else st.just({})
        return st.tuples(fixed, optional).map(lambda t: {**t[1], **t[0]})


# ---- the run ----

class Problems(AssertionError):
    pass


class PropBase(ServerTest):
    group = None
    user = "admin"
    agent = False  # send with a token of the probe, enforcer and radius scopes

    @classmethod
    def setUpClass(cls):
        if MISSING:
            raise unittest.SkipTest("needs python3-hypothesis and python3-jsonschema: " + MISSING)
        super().setUpClass()
        if cls.user != "admin":
            run_cli("user", "add", cls.user, "--role", "manager", db=cls.srv.db)
        r = cls.srv.request("GET", "/api/v1/openapi.json")
        assert r.status == 200, r
        cls.doc = Doc(r.json)
        cls.token = cls.srv.login(cls.user)
        me = cls.srv.request("GET", "/api/v1/session", token=cls.token).json
        cls.own_id = me["id"]
        cls.real = {}
        cls.admin = cls.token
        if cls.agent:
            r = cls.srv.request("POST", "/api/v1/tokens", {"name": "agents", "scope":
                                                           "probe enforcer radius"},
                                token=cls.token)
            assert r.status == 201, r
            cls.token = r.json["token"]

    def fresh_token(self):
        r = self.srv.request("POST", "/api/v1/session",
                             {"username": self.user, "password": PASSWORD})
        self.assertEqual(r.status, 201, r)
        return r.json["token"]

    # Ids of real objects for a path parameter: the list one level up.
    def real_ids(self, url):
        if not url:
            return []
        if url not in self.real:
            ids = []
            r = self.srv.request("GET", url + "?limit=50" if "?" not in url else url,
                                 token=self.admin)
            if r.status == 200 and isinstance(r.json, dict):
                for it in r.json.get("items", []) or []:
                    if isinstance(it, dict) and isinstance(it.get("id"), int):
                        ids.append(it["id"])
            ids = [i for i in ids if not (url.endswith("/users") and i == self.own_id)]
            if not ids:
                return []  # asked again later: the run makes objects as it goes
            self.real[url] = ids
        return self.real[url]

    def path_strategy(self, path, op):
        params = {p["name"]: p for p in (self.doc.resolve(x) for x in op.get("parameters", []))
                  if p.get("in") == "path"}
        names = re.findall(r"\{([^}]+)\}", path)

        @st.composite
        def build(draw):
            url = path
            for n in names:
                head = url.split("{" + n + "}")[0].rstrip("/")
                p = params.get(n, {"schema": {"type": "string"}})
                sch = self.doc.resolve(p.get("schema", {}))
                if sch.get("type") == "integer" and n.endswith("id"):
                    real = self.real_ids(head)
                    anyid = st.integers(1, 2 ** 31 - 1).filter(
                        lambda v: not (head.endswith("/users") and v == self.own_id))
                    v = draw(st.sampled_from(real) | anyid if real else anyid)
                elif n == "clause":
                    v = draw(st.sampled_from(["TB-1", "TB-13", "TB-27"]) | Gen(self.doc)(sch))
                    v = urllib.parse.quote(v, safe="")
                else:
                    v = draw(Gen(self.doc)(sch))
                    v = urllib.parse.quote(str(v), safe="")
                url = url.replace("{" + n + "}", str(v), 1)
            return url
        return build()

    def query_strategy(self, op):
        ps = [p for p in (self.doc.resolve(x) for x in op.get("parameters", []))
              if p.get("in") == "query" and p["name"] != "cursor"]
        if not ps:
            return st.just({})
        gen = Gen(self.doc)
        req = {p["name"]: gen(p.get("schema", {}), p["name"]) for p in ps if p.get("required")}
        opt = {p["name"]: gen(p.get("schema", {}), p["name"]) for p in ps if not p.get("required")}
        return st.tuples(st.fixed_dictionaries(req), st.fixed_dictionaries({}, optional=opt)) \
            .map(lambda t: {**t[1], **t[0]})

    def body_schema(self, op):
        rb = op.get("requestBody")
        if not rb:
            return None, None
        content = rb.get("content", {})
        if "application/json" in content:
            return "application/json", content["application/json"].get("schema", {})
        return next(iter(content)), None

    @staticmethod
    def qs(q):
        def s(v):
            return "true" if v is True else "false" if v is False else str(v)
        return ("?" + urllib.parse.urlencode({k: s(v) for k, v in q.items() if v is not None})) \
            if any(v is not None for v in q.values()) else ""

    def send(self, method, url, ctype, body, token):
        headers = {}
        raw = None
        if ctype == "application/json":
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif ctype:
            raw = b"\x89PNG\r\n\x1a\n" if ctype.startswith("image/") else b"name\n\xe6\xb5\x8b\n"
            headers["Content-Type"] = ctype
        return self.srv.request(method.upper(), url, raw=raw, token=token, headers=headers)

    def check_answer(self, op, method, url, r, valid, sent):
        """The problems with one answer (empty when it is as documented)."""
        where = "%s %s %s -> %d %s" % (method.upper(), url, sent, r.status, r.raw[:300])
        out = []
        if r.status >= 500:
            return ["5xx: " + where]
        rs = op.get("responses", {})
        doc_r = rs.get(str(r.status)) or rs.get("default")
        if doc_r is None:
            return ["undocumented status: " + where]
        if valid and r.status == 400:
            out.append("valid request refused: " + where)
        doc_r = self.doc.resolve(doc_r)
        content = doc_r.get("content")
        ctype = (r.header("Content-Type") or "").split(";")[0].strip()
        if not content:
            if r.raw and r.status != 204 and ctype == "application/json":
                out.append("answer has a body the document does not describe: " + where)
            return out
        if ctype not in content:
            return out + ["content type %r not documented (%s): %s" % (ctype, list(content), where)]
        schema = content[ctype].get("schema")
        if ctype == "application/json" and schema:
            if r.json is None:
                return out + ["not JSON: " + where]
            errs = sorted(self.doc.validator(schema).iter_errors(r.json), key=lambda e: e.path)
            for e in errs[:3]:
                out.append("schema: %s at %s: %s" % (
                    e.message[:200], "/".join(str(x) for x in e.absolute_path), where[:400]))
        return out

    def run_operation(self, path, method):
        op = self.doc.doc["paths"][path][method]
        ctype, bschema = self.body_schema(op)
        oid = op["operationId"]
        gen = Gen(self.doc, refs=lambda name: self.real_ids(REF_IN.get((oid, name),
                                                                       REFS.get(name, ""))))
        body = gen(bschema) if bschema is not None else st.just(None)
        check_body = self.doc.validator(bschema) if bschema is not None else None
        problems = []
        strict = os.environ.get("ZWNET_PROP_COLLECT") != "1"
        seen = collections.Counter()  # statuses, for ZWNET_PROP_STATS=1

        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(url=self.path_strategy(path, op), query=self.query_strategy(op), data=body)
        def prop(url, query, data):
            token = self.fresh_token() if self.group == "accounts" else self.token
            full = url + self.qs(query)
            r = self.send(method, full, ctype, data, token)
            seen[r.status] += 1
            if r.status == 400 and isinstance(r.json, dict):
                seen["400:" + str((r.json.get("error") or {}).get("field"))] += 1
            valid = ctype in (None, "application/json") and \
                (check_body is None or check_body.is_valid(data)) and \
                not self.excused_400(oid, r, data)
            p = self.check_answer(op, method, full, r, valid,
                                  json.dumps(data, ensure_ascii=False)[:300])
            if p and strict:
                raise Problems("\n".join(p))
            problems.extend(p)

        prop()
        if os.environ.get("ZWNET_PROP_STATS") == "1":
            print("stats %s %s" % (oid, dict(sorted(seen.items(), key=str))), flush=True)
        self.invalid_bodies(path, method, op, bschema, problems)
        if problems:
            raise Problems("\n".join(sorted(set(problems))))

    def excused_400(self, oid, r, data):
        """A 400 for a reason KNOWN_400 names, or for an id in the body that names nothing."""
        if r.status != 400 or not isinstance(r.json, dict):
            return False
        field = (r.json.get("error") or {}).get("field") or ""
        if excused(oid, field):
            return True
        coll = REF_IN.get((oid, field), REFS.get(field))
        value = data.get(field) if isinstance(data, dict) else None
        if coll and isinstance(value, int) and not isinstance(value, bool):
            got = self.srv.request("GET", "%s/%d" % (coll, value), token=self.admin)
            return got.status == 404
        return False

    def invalid_bodies(self, path, method, op, bschema, problems):
        """An unknown member, a wrong type, a text one character too long: 400, never 5xx."""
        if bschema is None:
            return
        s = self.doc.resolve(bschema)
        variants = s.get("oneOf", [s])
        url = re.sub(r"\{[^}]+\}", "1", path)
        for v in variants:
            v = self.doc.resolve(v)
            if v.get("type") != "object" or v.get("additionalProperties", True) is not False:
                continue
            props = v.get("properties", {})
            base = {k: self._example(props[k]) for k in v.get("required", []) if k in props}
            bad = [("unknown member", dict(base, zz_unknown=1))]
            for k, p in props.items():
                p = self.doc.resolve(p)
                if p.get("readOnly"):
                    continue
                if p.get("type") in ("string", "integer", "boolean"):
                    bad.append(("wrong type of " + k, dict(base, **{k: [] if p.get("type") != "boolean" else "x"})))
                if p.get("type") == "string" and "maxLength" in p and "enum" not in p:
                    bad.append(("%s too long" % k, dict(base, **{k: "测" * (p["maxLength"] + 1)})))
            token = self.fresh_token() if self.group == "accounts" else self.token
            for what, b in bad[:8]:
                r = self.send(method, url, "application/json", b, token)
                where = "%s %s (%s) %s -> %d %s" % (method.upper(), url, what,
                                                    json.dumps(b, ensure_ascii=False)[:200],
                                                    r.status, r.raw[:200])
                if r.status >= 500 or str(r.status) not in op["responses"]:
                    problems.append("invalid body: " + where)
                elif r.status < 400:
                    problems.append("invalid body accepted: " + where)

    def _example(self, p):
        p = self.doc.resolve(p)
        if "enum" in p:
            return p["enum"][0] if p["enum"] else "（无）"
        t = p.get("type")
        if t == "integer":
            return max(p.get("minimum", 1), 1) if p.get("maximum", 2) >= 1 else p.get("minimum")
        if t == "boolean":
            return False
        if t == "array":
            return []
        if t == "object":
            return {}
        fmt, pat = p.get("format"), p.get("pattern", "")
        if fmt == "date":
            return "2026-01-05"
        if fmt == "date-time":
            return "2026-01-05T08:00:00+08:00"
        if pat.startswith("^1[3-9]"):
            return "13800000000"
        if fmt == "email":
            return "a@example.com"
        return "测试"


# Among the creates, what others refer to comes first.
MAKES_FIRST = {"units_create": 0, "zones_create": 0, "carriers_create": 0, "users_create": 0,
               "vlans_create": 1, "prefixes_create": 2, "prefixes_allocate": 3,
               "terminals_create": 3, "addresses_create": 4}


def make(group, user="admin", agent=False, extra=()):
    attrs = {"group": group, "user": user, "agent": agent, "extra": extra}
    for path, method, oid in operations():
        if group_of(path, method) != group:
            continue

        def t(self, path=path, method=method):
            self.run_operation(path, method)
        t.__doc__ = "%s %s from the document" % (method.upper(), path)
        # what makes objects first, what removes them last (unittest runs tests by name)
        phase = 1 if method == "post" and not re.search(r"\}/[a-z-]+$", path) or \
            method == "put" else 3 if method == "delete" else 2
        attrs["test_%d%d_%s" % (phase, MAKES_FIRST.get(oid, 5) if phase == 1 else 0, oid)] = t
    return type("Props" + group.capitalize(), (PropBase,), attrs)


PropsReads = make("reads")
PropsWrites = make("writes")
# Every example's wrong password counts against the run's address: no lock for that here.
PropsAccounts = make("accounts", user="pbt",
                     extra=("--login-ip-max-failures", "100000", "--login-max-failures", "1000"))
PropsAgents = make("agents", agent=True)


class MethodNotAllowed(ServerTest):
    """Every path answers 405 with Allow for a method it does not have (info.description)."""

    def test_every_path(self):
        doc = document()
        tok = self.srv.login("admin")
        for path, item in doc["paths"].items():
            url = re.sub(r"\{[^}]+\}", "1", path).replace("/clauses/1", "/clauses/TB-1")
            have = {m.upper() for m in item if m in METHODS}
            for m in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                if m in have:
                    continue
                r = self.srv.request(m, url, token=tok, raw=b"{}",
                                     headers={"Content-Type": "application/json"})
                self.assertEqual(r.status, 405, (m, url, r))
                allow = {a.strip() for a in (r.header("Allow") or "").split(",")}
                self.assertEqual(allow, have, (m, url, r.header("Allow")))


def sample(schema):
    """A value of a query parameter's schema (the first enum value, the least integer)."""
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("type") == "integer":
        return str(max(schema.get("minimum", 1), 1) if schema.get("maximum", 2) >= 1
                   else schema.get("minimum", 0))
    if schema.get("format") == "date-time":
        return "2026-01-05"
    return "a"


class ListParameters(ServerTest):
    """The query parameters a list documents are the ones its handler takes: each documented
    one, given a value of its schema, is not refused; one it does not document is refused
    naming it. (The registry kinds' lists are written from their field tables, api/openapi.c;
    this holds them to what the server does.)"""

    def test_every_list(self):
        tok = self.srv.login("admin")
        lists = 0
        for path, item in document()["paths"].items():
            op = item.get("get", {})
            names = {p.get("name"): p for p in op.get("parameters", []) if p.get("in") == "query"}
            if "cursor" not in names or "{" in path:
                continue
            lists += 1
            for name, p in names.items():
                if name == "cursor":
                    continue
                v = urllib.parse.quote(sample(p.get("schema", {})), safe="")
                r = self.srv.request("GET", "%s?%s=%s" % (path, name, v), token=tok)
                self.assertEqual(r.status, 200, (path, name, v, r))
            r = self.srv.request("GET", path + "?undocumented=1", token=tok)
            self.assertError(r, 400, field="undocumented")
        self.assertGreater(lists, 15)


if __name__ == "__main__":
    unittest.main()
