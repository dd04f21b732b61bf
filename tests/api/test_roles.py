"""The role matrix: every role (and an anonymous client) against every route of
src/api/routes.c, with the answer policy/authz.c prescribes.

The expectations are written out below, by hand, as a table (route -> one status per
principal); nothing is learnt from the server. A denied request must change nothing
(srv.counts(), which includes the audit length, is compared before and after); an allowed
write must really change the database (checked with srv.sql) and nothing else.

Every write acts on objects made fresh for that test, so the tests do not depend on their
order. Three servers are started:

* RolesMiyun (profile miyun): the only county profile with an `authority` organisation, so
  the demo creates the `authority` user. Runs the whole matrix. Miyun defines no agreement a
  unit signs, so its agreements are seeded straight into the database, and creating one
  through the API is expected to get past authorisation and then be refused for its `kind`.
* RolesLuoning (profile luoning): defines the unit agreement `security_commitment`, so the
  agreement rows of the matrix run again there with real agreement writes, plus the
  unit_admin's view of the agreements/missing backlog. It annexes no template for it, so the
  agreement documents are refused there (422) once authorised; in Miyun there is no such
  agreement at all (404).
* RolesJiaxian (profile jiaxian): the agreement documents from JX 附件1 once more, answered.
"""
import hashlib
import itertools
import json
import os
import re
import sqlite3
import time
import urllib.parse

from harness import PASSWORD, ServerTest

HERE = os.path.dirname(os.path.abspath(__file__))
ROUTES_C = os.path.join(HERE, "..", "..", "src", "api", "routes.c")

# Demo users (src/domain/demo.c): role -> login name.
USERS = {
    "manager": "admin",
    "authority": "authority",
    "operator": "ops",
    "carrier": "carrier",
    "unit_admin": "unit",  # bound to one connected 县直 unit ("own unit" below)
    "supervisor": "inspector",
    "auditor": "auditor",
}
COLUMNS = ["manager", "authority", "operator", "carrier", "unit_admin", "supervisor", "auditor",
           "anon"]

# The authz table of src/policy/authz.c, copied by hand (role x action -> scope). GET /session
# must report exactly this as the caller's permissions.
_A, _O, _N = "all", "own_unit", "none"
AUTHZ = {  # manager authority operator carrier unit_admin supervisor auditor
    "PROFILE_READ": (_A, _A, _A, _A, _A, _A, _A),
    "UNIT_READ": (_A, _A, _A, _A, _O, _A, _N),
    "UNIT_CREATE": (_A, _N, _N, _N, _N, _N, _N),
    "UNIT_UPDATE": (_A, _N, _N, _N, _N, _N, _N),
    "UNIT_STATUS": (_A, _N, _N, _N, _N, _N, _N),
    "CONTACT_READ": (_A, _A, _A, _A, _O, _A, _N),
    "CONTACT_WRITE": (_A, _N, _N, _N, _O, _N, _N),
    "AGREEMENT_READ": (_A, _A, _A, _N, _O, _A, _N),
    "AGREEMENT_WRITE": (_A, _N, _N, _N, _O, _N, _N),
    "USER_READ": (_A, _N, _N, _N, _N, _N, _N),
    "USER_ADMIN": (_A, _N, _N, _N, _N, _N, _N),
    "TOKEN_SELF": (_A, _A, _A, _A, _A, _A, _A),
    "TOKEN_ADMIN": (_A, _N, _N, _N, _N, _N, _N),
    "AUDIT_READ": (_A, _N, _N, _N, _N, _A, _A),
    "IPAM_READ": (_A, _A, _A, _A, _O, _A, _N),
    "IPAM_WRITE": (_A, _N, _N, _N, _N, _N, _N),
    "TERMINAL_READ": (_A, _A, _A, _N, _O, _A, _N),
    "TERMINAL_WRITE": (_A, _N, _N, _N, _O, _N, _N),
    "ADDRESS_READ": (_A, _A, _A, _N, _O, _A, _N),
    "ADDRESS_WRITE": (_A, _N, _N, _N, _O, _N, _N),
    "ASSET_READ": (_A, _A, _A, _A, _O, _A, _N),
    "ASSET_WRITE": (_A, _N, _A, _N, _N, _N, _N),
    "CALENDAR_WRITE": (_A, _N, _N, _N, _N, _N, _N),
    "DEADLINE_READ": (_A, _A, _A, _A, _O, _A, _N),
    "DEADLINE_WRITE": (_A, _N, _N, _N, _N, _N, _N),
    "APPLICATION_READ": (_A, _A, _A, _A, _O, _A, _N),
    "APPLICATION_SUBMIT": (_A, _N, _N, _N, _O, _N, _N),
    "APPLICATION_REVIEW": (_A, _A, _N, _N, _N, _N, _N),
    "APPLICATION_IMPLEMENT": (_A, _N, _A, _A, _N, _N, _N),
    "OBSERVATION_WRITE": (_N, _N, _N, _N, _N, _N, _N),
    "FINDING_READ": (_A, _A, _A, _N, _O, _A, _N),
    "FINDING_WRITE": (_A, _N, _A, _N, _N, _N, _N),
    "VIOLATION_READ": (_A, _A, _A, _N, _O, _A, _N),
    "VIOLATION_WRITE": (_A, _N, _A, _N, _N, _N, _N),
    "VIOLATION_ESCALATE": (_A, _N, _N, _N, _N, _N, _N),
    "ENFORCEMENT_READ": (_A, _N, _A, _N, _N, _A, _N),
    "ENFORCEMENT_REPORT": (_N, _N, _N, _N, _N, _N, _N),
    "DEVICE_SECRETS": (_N, _N, _N, _N, _N, _N, _N),
    "TICKET_READ": (_A, _A, _A, _A, _O, _A, _N),
    "TICKET_REPORT": (_A, _N, _A, _N, _O, _N, _N),
    "TICKET_DISPATCH": (_A, _N, _A, _N, _N, _N, _N),
    "TICKET_REPAIR": (_A, _N, _A, _A, _N, _N, _N),
    "MAINTENANCE_READ": (_A, _A, _A, _A, _N, _A, _N),
    "MAINTENANCE_FILE": (_A, _N, _A, _A, _N, _N, _N),
    "MAINTENANCE_APPROVE": (_A, _N, _N, _N, _N, _N, _N),
    "CHANGE_READ": (_A, _A, _A, _N, _O, _A, _N),
    "CHANGE_WRITE": (_A, _N, _A, _N, _O, _N, _N),
    "CHANGE_APPROVE": (_A, _N, _N, _N, _N, _N, _N),
    "PLAN_READ": (_A, _A, _A, _N, _O, _A, _N),
    "PLAN_WRITE": (_A, _N, _A, _N, _O, _N, _N),
    "DUTY_READ": (_A, _A, _A, _N, _N, _A, _N),
    "DUTY_PLAN": (_A, _N, _N, _N, _N, _N, _N),
    "DUTY_WRITE": (_A, _N, _A, _N, _N, _N, _N),
    "METRICS_READ": (_A, _N, _N, _N, _N, _N, _N),
}

# The matrix. "own" = the unit_admin's unit, "other" = another connected unit (a fresh unit
# where the test changes the unit itself). "wrong_unit" = the unit_admin's own unit in the
# URL with a child object (contact, agreement) that belongs to another unit.
# 404 for the unit_admin = another unit's object, which must look as if it did not exist.
# Others' API tokens are likewise invisible (404) to a role without TOKEN_ADMIN.
MATRIX = [
    # case                      method    route                                          man auth ops carr unit sup aud anon
    ("health", "GET", "/api/v1/health", "200 200 200 200 200 200 200 200"),
    ("openapi", "GET", "/api/v1/openapi.json", "200 200 200 200 200 200 200 200"),
    # the server's numbers: a manager, or a metrics token (test_metrics.py, test_scopes.py)
    ("metrics", "GET", "/api/v1/metrics", "200 403 403 403 403 403 403 401"),
    ("login", "POST", "/api/v1/session", "201 201 201 201 201 201 201 201"),
    ("whoami", "GET", "/api/v1/session", "200 200 200 200 200 200 200 401"),
    ("logout", "DELETE", "/api/v1/session", "204 204 204 204 204 204 204 401"),
    ("password_change", "POST", "/api/v1/session/password", "200 200 200 200 200 200 200 401"),
    ("tokens_list", "GET", "/api/v1/tokens", "200 200 200 200 200 200 200 401"),
    ("tokens_list_all", "GET", "/api/v1/tokens", "200 403 403 403 403 403 403 401"),
    ("token_create", "POST", "/api/v1/tokens", "201 201 201 201 201 201 201 401"),
    ("token_create_for_other", "POST", "/api/v1/tokens", "201 403 403 403 403 403 403 401"),
    ("probe_token_create", "POST", "/api/v1/tokens", "201 403 403 403 403 403 403 401"),
    ("token_revoke_own", "DELETE", "/api/v1/tokens/{id}", "204 204 204 204 204 204 204 401"),
    ("token_revoke_others", "DELETE", "/api/v1/tokens/{id}", "204 404 404 404 404 404 404 401"),
    ("users_list", "GET", "/api/v1/users", "200 403 403 403 403 403 403 401"),
    ("user_create", "POST", "/api/v1/users", "201 403 403 403 403 403 403 401"),
    ("user_get_self", "GET", "/api/v1/users/{id}", "200 200 200 200 200 200 200 401"),
    ("user_get_other", "GET", "/api/v1/users/{id}", "200 403 403 403 403 403 403 401"),
    ("user_patch", "PATCH", "/api/v1/users/{id}", "200 403 403 403 403 403 403 401"),
    ("user_password_reset", "POST", "/api/v1/users/{id}/password", "200 403 403 403 403 403 403 401"),
    ("profile", "GET", "/api/v1/profile", "200 200 200 200 200 200 200 401"),
    ("profile_clause", "GET", "/api/v1/profile/clauses/{clause}", "200 200 200 200 200 200 200 401"),
    ("audit_list", "GET", "/api/v1/audit", "200 403 403 403 403 200 200 401"),
    ("audit_verify", "GET", "/api/v1/audit/verify", "200 403 403 403 403 200 200 401"),
    ("units_list", "GET", "/api/v1/units", "200 200 200 200 200 200 403 401"),
    ("unit_create", "POST", "/api/v1/units", "201 403 403 403 403 403 403 401"),
    ("unit_get_own", "GET", "/api/v1/units/{id}", "200 200 200 200 200 200 403 401"),
    ("unit_get_other", "GET", "/api/v1/units/{id}", "200 200 200 200 404 200 403 401"),
    ("unit_patch_own", "PATCH", "/api/v1/units/{id}", "200 403 403 403 403 403 403 401"),
    ("unit_patch_other", "PATCH", "/api/v1/units/{id}", "200 403 403 403 403 403 403 401"),
    ("unit_status_own", "POST", "/api/v1/units/{id}/status", "200 403 403 403 403 403 403 401"),
    ("unit_status_other", "POST", "/api/v1/units/{id}/status", "200 403 403 403 403 403 403 401"),
    ("unit_history_own", "GET", "/api/v1/units/{id}/history", "200 200 200 200 200 200 403 401"),
    ("unit_history_other", "GET", "/api/v1/units/{id}/history", "200 200 200 200 404 200 403 401"),
    ("contacts_list_own", "GET", "/api/v1/units/{id}/contacts", "200 200 200 200 200 200 403 401"),
    ("contacts_list_other", "GET", "/api/v1/units/{id}/contacts", "200 200 200 200 404 200 403 401"),
    ("contact_create_own", "POST", "/api/v1/units/{id}/contacts", "201 403 403 403 201 403 403 401"),
    ("contact_create_other", "POST", "/api/v1/units/{id}/contacts", "201 403 403 403 404 403 403 401"),
    ("contact_patch_own", "PATCH", "/api/v1/units/{id}/contacts/{cid}", "200 403 403 403 200 403 403 401"),
    ("contact_patch_other", "PATCH", "/api/v1/units/{id}/contacts/{cid}", "200 403 403 403 404 403 403 401"),
    ("contact_patch_wrong_unit", "PATCH", "/api/v1/units/{id}/contacts/{cid}", "404 403 403 403 404 403 403 401"),
    ("contact_delete_own", "DELETE", "/api/v1/units/{id}/contacts/{cid}", "204 403 403 403 204 403 403 401"),
    ("contact_delete_other", "DELETE", "/api/v1/units/{id}/contacts/{cid}", "204 403 403 403 404 403 403 401"),
    ("contact_delete_wrong_unit", "DELETE", "/api/v1/units/{id}/contacts/{cid}", "404 403 403 403 404 403 403 401"),
    ("agreements_list_own", "GET", "/api/v1/units/{id}/agreements", "200 200 200 403 200 200 403 401"),
    ("agreements_list_other", "GET", "/api/v1/units/{id}/agreements", "200 200 200 403 404 200 403 401"),
    ("agreement_create_own", "POST", "/api/v1/units/{id}/agreements", "201 403 403 403 201 403 403 401"),
    ("agreement_create_other", "POST", "/api/v1/units/{id}/agreements", "201 403 403 403 404 403 403 401"),
    ("agreement_get_own", "GET", "/api/v1/units/{id}/agreements/{aid}", "200 200 200 403 200 200 403 401"),
    ("agreement_get_other", "GET", "/api/v1/units/{id}/agreements/{aid}", "200 200 200 403 404 200 403 401"),
    ("agreement_get_wrong_unit", "GET", "/api/v1/units/{id}/agreements/{aid}", "404 404 404 403 404 404 403 401"),
    ("agreement_patch_own", "PATCH", "/api/v1/units/{id}/agreements/{aid}", "200 403 403 403 200 403 403 401"),
    ("agreement_patch_other", "PATCH", "/api/v1/units/{id}/agreements/{aid}", "200 403 403 403 404 403 403 401"),
    ("agreement_delete_own", "DELETE", "/api/v1/units/{id}/agreements/{aid}", "204 403 403 403 204 403 403 401"),
    ("agreement_delete_other", "DELETE", "/api/v1/units/{id}/agreements/{aid}", "204 403 403 403 404 403 403 401"),
    ("scan_put_own", "PUT", "/api/v1/units/{id}/agreements/{aid}/scan", "200 403 403 403 200 403 403 401"),
    ("scan_put_other", "PUT", "/api/v1/units/{id}/agreements/{aid}/scan", "200 403 403 403 404 403 403 401"),
    ("scan_put_wrong_unit", "PUT", "/api/v1/units/{id}/agreements/{aid}/scan", "404 403 403 403 404 403 403 401"),
    ("scan_get_own", "GET", "/api/v1/units/{id}/agreements/{aid}/scan", "200 200 200 403 200 200 403 401"),
    ("scan_get_other", "GET", "/api/v1/units/{id}/agreements/{aid}/scan", "200 200 200 403 404 200 403 401"),
    ("agreements_missing", "GET", "/api/v1/agreements/missing", "200 200 200 403 200 200 403 401"),
    # the address plan (IPAM_READ: all but the auditor, a unit_admin its own unit's objects;
    # IPAM_WRITE: the manager only)
    ("zones_list", "GET", "/api/v1/zones", "200 200 200 200 200 200 403 401"),
    ("zone_create", "POST", "/api/v1/zones", "201 403 403 403 403 403 403 401"),
    ("zone_get", "GET", "/api/v1/zones/{id}", "200 200 200 200 200 200 403 401"),
    ("zone_patch", "PATCH", "/api/v1/zones/{id}", "200 403 403 403 403 403 403 401"),
    ("zone_delete", "DELETE", "/api/v1/zones/{id}", "204 403 403 403 403 403 403 401"),
    ("vlans_list", "GET", "/api/v1/vlans", "200 200 200 200 200 200 403 401"),
    ("vlan_create", "POST", "/api/v1/vlans", "201 403 403 403 403 403 403 401"),
    ("vlan_get_own", "GET", "/api/v1/vlans/{id}", "200 200 200 200 200 200 403 401"),
    ("vlan_get_other", "GET", "/api/v1/vlans/{id}", "200 200 200 200 404 200 403 401"),
    ("vlan_patch", "PATCH", "/api/v1/vlans/{id}", "200 403 403 403 403 403 403 401"),
    ("vlan_delete", "DELETE", "/api/v1/vlans/{id}", "204 403 403 403 403 403 403 401"),
    ("prefixes_list", "GET", "/api/v1/prefixes", "200 200 200 200 200 200 403 401"),
    ("prefix_create", "POST", "/api/v1/prefixes", "201 403 403 403 403 403 403 401"),
    ("prefixes_allocate", "POST", "/api/v1/prefixes/allocate", "201 403 403 403 403 403 403 401"),
    ("prefix_get_own", "GET", "/api/v1/prefixes/{id}", "200 200 200 200 200 200 403 401"),
    ("prefix_get_other", "GET", "/api/v1/prefixes/{id}", "200 200 200 200 404 200 403 401"),
    ("prefix_patch", "PATCH", "/api/v1/prefixes/{id}", "200 403 403 403 403 403 403 401"),
    ("prefix_delete", "DELETE", "/api/v1/prefixes/{id}", "204 403 403 403 403 403 403 401"),
    ("prefix_allocate", "POST", "/api/v1/prefixes/{id}/allocate", "201 403 403 403 403 403 403 401"),
    ("prefix_free", "GET", "/api/v1/prefixes/{id}/free", "200 200 200 200 404 200 403 401"),
    # terminals (TERMINAL_READ: not carriers or auditors; a unit_admin registers its own)
    ("terminals_list", "GET", "/api/v1/terminals", "200 200 200 403 200 200 403 401"),
    ("terminal_create_own", "POST", "/api/v1/terminals", "201 403 403 403 201 403 403 401"),
    ("terminal_create_other", "POST", "/api/v1/terminals", "201 403 403 403 404 403 403 401"),
    ("terminals_compliance", "GET", "/api/v1/terminals/compliance", "200 200 200 403 200 200 403 401"),
    ("terminal_get_own", "GET", "/api/v1/terminals/{id}", "200 200 200 403 200 200 403 401"),
    ("terminal_get_other", "GET", "/api/v1/terminals/{id}", "200 200 200 403 404 200 403 401"),
    ("terminal_patch_own", "PATCH", "/api/v1/terminals/{id}", "200 403 403 403 200 403 403 401"),
    ("terminal_patch_other", "PATCH", "/api/v1/terminals/{id}", "200 403 403 403 404 403 403 401"),
    ("terminal_delete_own", "DELETE", "/api/v1/terminals/{id}", "204 403 403 403 204 403 403 401"),
    # host addresses (ADDRESS_*: like terminals) and the DHCP export
    ("addresses_list", "GET", "/api/v1/addresses", "200 200 200 403 200 200 403 401"),
    ("address_create_own", "POST", "/api/v1/addresses", "201 403 403 403 201 403 403 401"),
    ("address_create_other", "POST", "/api/v1/addresses", "201 403 403 403 404 403 403 401"),
    ("address_get_own", "GET", "/api/v1/addresses/{id}", "200 200 200 403 200 200 403 401"),
    ("address_get_other", "GET", "/api/v1/addresses/{id}", "200 200 200 403 404 200 403 401"),
    ("address_patch_own", "PATCH", "/api/v1/addresses/{id}", "200 403 403 403 200 403 403 401"),
    ("address_delete_own", "DELETE", "/api/v1/addresses/{id}", "204 403 403 403 204 403 403 401"),
    ("export_dhcp", "GET", "/api/v1/exports/dhcp", "200 200 200 403 200 200 403 401"),
    ("unit_archive_own", "GET", "/api/v1/units/{id}/archive", "200 200 200 200 200 200 403 401"),
    ("unit_archive_other", "GET", "/api/v1/units/{id}/archive", "200 200 200 200 404 200 403 401"),
    ("import_kinds", "GET", "/api/v1/imports", "200 200 200 200 200 200 200 401"),
    ("import_terminals_own", "POST", "/api/v1/imports/{kind}", "201 403 403 403 201 403 403 401"),
    ("import_template", "GET", "/api/v1/imports/{kind}/template", "200 200 200 200 200 200 200 401"),
    # the export is the register as the caller may read it (TERMINAL_READ, a unit_admin its own)
    ("import_export", "GET", "/api/v1/imports/{kind}/export", "200 200 200 403 200 200 403 401"),
    ("export_plan", "GET", "/api/v1/exports/plan", "200 200 200 200 200 200 403 401"),
    ("calendar_add", "GET", "/api/v1/calendar/add", "200 200 200 200 200 200 200 401"),
    ("calendar_year", "GET", "/api/v1/calendar/{year}", "200 200 200 200 200 200 200 401"),
    ("calendar_load", "PUT", "/api/v1/calendar/{year}", "200 403 403 403 403 403 403 401"),
    # deadlines (DEADLINE_READ: all but the auditor, a unit_admin its own unit's)
    ("deadlines_list", "GET", "/api/v1/deadlines", "200 200 200 200 200 200 403 401"),
    # only a probe token sends observations (test_watch.py); no user role may
    ("observations", "POST", "/api/v1/observations", "403 403 403 403 403 403 403 401"),
    ("findings_list", "GET", "/api/v1/findings", "200 200 200 403 200 200 403 401"),
    ("finding_get_own", "GET", "/api/v1/findings/{id}", "200 200 200 403 200 200 403 401"),
    ("finding_get_other", "GET", "/api/v1/findings/{id}", "200 200 200 403 404 200 403 401"),
    ("probes_list", "GET", "/api/v1/probes", "200 200 200 403 200 200 403 401"),
    # SNMP credentials in clear: a probe token only (test_snmp.py), never a person
    ("probe_devices", "GET", "/api/v1/probes/devices", "403 403 403 403 403 403 403 401"),
    ("finding_dismiss", "POST", "/api/v1/findings/{id}/transitions",
     "200 403 200 403 403 403 403 401"),
    ("violations_list", "GET", "/api/v1/violations", "200 200 200 403 200 200 403 401"),
    ("violation_create", "POST", "/api/v1/violations", "201 403 201 403 403 403 403 401"),
    ("violation_get_own", "GET", "/api/v1/violations/{id}", "200 200 200 403 200 200 403 401"),
    ("violation_get_other", "GET", "/api/v1/violations/{id}", "200 200 200 403 404 200 403 401"),
    ("violation_notify", "POST", "/api/v1/violations/{id}/transitions",
     "200 403 200 403 403 403 403 401"),
    # 密云 has one rung for every behaviour (MY-24 通报批评): the manager passes authz and is
    # refused by the ladder (422); the escalation itself is tested in test_violations.py
    ("violation_escalate", "POST", "/api/v1/violations/{id}/transitions",
     "422 403 403 403 403 403 403 401"),
    ("violation_acl", "GET", "/api/v1/violations/{id}/acl", "200 200 200 403 200 200 403 401"),
    ("violation_notice", "GET", "/api/v1/violations/{id}/notice", "200 200 200 403 200 200 403 401"),
    ("enforcement_get", "GET", "/api/v1/enforcement", "200 403 200 403 403 200 403 401"),
    # fault tickets: a carrier's staff reach their carrier's tickets only (404 before dispatch
    # and for another carrier's); a unit its own
    ("tickets_list", "GET", "/api/v1/tickets", "200 200 200 200 200 200 403 401"),
    ("ticket_create", "POST", "/api/v1/tickets", "201 403 201 403 201 403 403 401"),
    ("tickets_sla", "GET", "/api/v1/tickets/sla", "200 200 200 200 403 200 403 401"),
    ("ticket_get_own", "GET", "/api/v1/tickets/{id}", "200 200 200 200 200 200 403 401"),
    ("ticket_get_other", "GET", "/api/v1/tickets/{id}", "200 200 200 404 404 200 403 401"),
    ("ticket_paper", "GET", "/api/v1/tickets/{id}/paper", "200 200 200 200 200 200 403 401"),
    ("ticket_dispatch", "POST", "/api/v1/tickets/{id}/transitions",
     "200 403 200 404 403 403 403 401"),
    ("ticket_respond", "POST", "/api/v1/tickets/{id}/transitions",
     "200 403 200 200 403 403 403 401"),
    # outages and the units' health: read like tickets (a carrier its lines' units)
    ("outages_list", "GET", "/api/v1/outages", "200 200 200 200 200 200 403 401"),
    ("outages_health", "GET", "/api/v1/outages/health", "200 200 200 200 200 200 403 401"),
    ("outages_monitor", "GET", "/api/v1/outages/monitor", "200 200 200 200 200 200 403 401"),
    ("outage_get_own", "GET", "/api/v1/outages/{id}", "200 200 200 200 200 200 403 401"),
    ("outage_get_other", "GET", "/api/v1/outages/{id}", "200 200 200 404 404 200 403 401"),
    ("duty_list", "GET", "/api/v1/duty", "200 200 200 403 403 200 403 401"),
    ("duty_create", "POST", "/api/v1/duty", "201 403 403 403 403 403 403 401"),
    ("duty_get", "GET", "/api/v1/duty/{id}", "200 200 200 403 403 200 403 401"),
    ("duty_log", "GET", "/api/v1/duty/log", "200 200 200 403 403 200 403 401"),
    # only the person on the roster (the duty officer ops) takes the shift over
    ("duty_take_over", "POST", "/api/v1/duty/{id}/transitions",
     "403 403 200 403 403 403 403 401"),
    ("duty_entries_list", "GET", "/api/v1/duty/{id}/entries", "200 200 200 403 403 200 403 401"),
    ("duty_entry_create", "POST", "/api/v1/duty/{id}/entries", "201 403 201 403 403 403 403 401"),
    ("changes_list", "GET", "/api/v1/changes", "200 200 200 403 200 200 403 401"),
    ("change_create", "POST", "/api/v1/changes", "201 403 201 403 201 403 403 401"),
    ("change_get_other", "GET", "/api/v1/changes/{id}", "200 200 200 403 404 200 403 401"),
    ("change_approve", "POST", "/api/v1/changes/{id}/transitions",
     "200 403 403 403 403 403 403 401"),
    ("plans_list", "GET", "/api/v1/plans", "200 200 200 403 200 200 403 401"),
    ("plan_create", "POST", "/api/v1/plans", "201 403 201 403 201 403 403 401"),
    ("plans_missing", "GET", "/api/v1/plans/missing", "200 200 200 403 200 200 403 401"),
    ("plan_get_other", "GET", "/api/v1/plans/{id}", "200 200 200 403 404 200 403 401"),
    ("plan_publish", "POST", "/api/v1/plans/{id}/transitions", "200 403 200 403 200 403 403 401"),
    ("plan_drills_list", "GET", "/api/v1/plans/{id}/drills", "200 200 200 403 200 200 403 401"),
    ("plan_drill_create", "POST", "/api/v1/plans/{id}/drills",
     "201 403 201 403 201 403 403 401"),
    ("maintenance_list", "GET", "/api/v1/maintenance", "200 200 200 200 403 200 403 401"),
    ("maintenance_create", "POST", "/api/v1/maintenance", "201 403 201 201 403 403 403 401"),
    ("maintenance_get", "GET", "/api/v1/maintenance/{id}", "200 200 200 200 403 200 403 401"),
    ("maintenance_approve", "POST", "/api/v1/maintenance/{id}/transitions",
     "200 403 403 403 403 403 403 401"),
    # FreeRADIUS asks with a radius-scoped token (test_radius.py, test_scopes.py); no person may
    ("radius_authorize", "POST", "/api/v1/radius/authorize", "403 403 403 403 403 403 403 401"),
    ("radius_post_auth", "POST", "/api/v1/radius/post-auth", "403 403 403 403 403 403 403 401"),
    # only an enforcer's probe token reports (test_enforce.py)
    ("enforcement_report", "POST", "/api/v1/enforcement/report",
     "403 403 403 403 403 403 403 401"),
    ("deadline_get_own", "GET", "/api/v1/deadlines/{id}", "200 200 200 200 200 200 403 401"),
    ("deadline_get_other", "GET", "/api/v1/deadlines/{id}", "200 200 200 200 404 200 403 401"),
    ("deadline_pause", "POST", "/api/v1/deadlines/{id}/pause", "200 403 403 403 403 403 403 401"),
    ("deadline_resume", "POST", "/api/v1/deadlines/{id}/resume", "200 403 403 403 403 403 403 401"),
    # applications (密云: interconnection is approved by the authority alone, MY-6)
    ("applications_list", "GET", "/api/v1/applications", "200 200 200 200 200 200 403 401"),
    ("application_submit", "POST", "/api/v1/applications", "201 403 403 403 201 403 403 401"),
    ("application_get_own", "GET", "/api/v1/applications/{id}", "200 200 200 200 200 200 403 401"),
    ("application_get_other", "GET", "/api/v1/applications/{id}", "200 200 200 200 404 200 403 401"),
    ("application_approve", "POST", "/api/v1/applications/{id}/transitions",
     "403 200 403 403 403 403 403 401"),
    ("application_withdraw", "POST", "/api/v1/applications/{id}/transitions",
     "200 403 403 403 200 403 403 401"),
    ("ports_export", "GET", "/api/v1/exports/ports", "200 200 200 200 200 200 403 401"),
    ("schemas", "GET", "/api/v1/schemas", "200 200 200 200 200 200 200 401"),
    # printable documents: whoever may read the application (the unit) may print it
    ("application_form_own", "GET", "/api/v1/applications/{id}/form",
     "200 200 200 200 200 200 403 401"),
    ("application_form_other", "GET", "/api/v1/applications/{id}/form",
     "200 200 200 200 404 200 403 401"),
    ("application_notice_own", "GET", "/api/v1/applications/{id}/notice",
     "200 200 200 200 200 200 403 401"),
    ("agreement_document_own", "GET", "/api/v1/units/{id}/agreement-documents/{kind}",
     "200 200 200 200 200 200 403 401"),
    ("agreement_document_other", "GET", "/api/v1/units/{id}/agreement-documents/{kind}",
     "200 200 200 200 404 200 403 401"),
    # the in-app inbox: everyone has their own, and nobody sees another's
    ("inbox_list", "GET", "/api/v1/inbox", "200 200 200 200 200 200 200 401"),
    ("inbox_read_own", "POST", "/api/v1/inbox/{id}/read", "204 204 204 204 204 204 204 401"),
    ("inbox_read_others", "POST", "/api/v1/inbox/{id}/read", "404 404 404 404 404 404 404 401"),
    ("inbox_read_all", "POST", "/api/v1/inbox/read", "200 200 200 200 200 200 200 401"),
    ("mail_prefs_get", "GET", "/api/v1/session/mail", "200 200 200 200 200 200 200 401"),
    ("mail_prefs_put", "PUT", "/api/v1/session/mail", "200 200 200 200 200 200 200 401"),
    # the search box: every person may ask, and finds only what their role may read (a
    # unit_admin its own unit's, the auditor no register at all)
    ("search", "GET", "/api/v1/search", "200 200 200 200 200 200 200 401"),
]

# Carriers, lines, devices, domain names, ports: the same six cells each (ASSET_READ: all but
# the auditor, a unit_admin its own unit's; ASSET_WRITE: the manager and the O&M team).
SIMPLE_KINDS = [
    # name, path, table, unit-scoped
    ("carrier", "/api/v1/carriers", "carriers", False),
    ("line", "/api/v1/lines", "lines", True),
    ("device", "/api/v1/devices", "devices", True),
    ("domain_name", "/api/v1/domain-names", "domain_names", True),
    ("port", "/api/v1/ports", "ports", True),
]
for _k, _p, _t, _scoped in SIMPLE_KINDS:
    MATRIX += [
        (_k + "_list", "GET", _p, "200 200 200 200 200 200 403 401"),
        (_k + "_create", "POST", _p, "201 403 201 403 403 403 403 401"),
        (_k + "_get_own", "GET", _p + "/{id}", "200 200 200 200 200 200 403 401"),
        (_k + "_patch", "PATCH", _p + "/{id}", "200 403 200 403 403 403 403 401"),
        (_k + "_delete", "DELETE", _p + "/{id}", "204 403 204 403 403 403 403 401"),
    ]
    if _scoped:
        MATRIX.append((_k + "_get_other", "GET", _p + "/{id}", "200 200 200 200 404 200 403 401"))

ERROR_CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               422: "rule"}

_seq = itertools.count(1)


def uniq():
    return "%d%d" % (os.getpid() % 1000, next(_seq))


def sha256_hex(b):
    return hashlib.sha256(b).hexdigest()


class Req:
    """One request of a matrix case, prepared with fresh objects.

    delta: the row-count changes (srv.counts()) an allowed request must make, and no others.
    audit: (action, object_type) of the one audit row an allowed write appends.
    ok: extra checks on an allowed answer; same: checks that a denied request left the target
    as it was."""

    def __init__(self, path, body=None, raw=None, headers=None, token=None, delta=None,
                 audit=None, ok=None, same=None, actor=None):
        self.path, self.body, self.raw, self.headers = path, body, raw, headers or {}
        self.token = token  # overrides the principal's cached session token
        self.delta = delta or {}
        self.audit = audit
        self.ok = ok
        self.same = same
        self.actor = actor


class RoleMatrix:
    """Mixin: the matrix tests are generated onto each concrete class by build_matrix()."""

    # Set by the concrete class.
    unit_kind = None  # a unit agreement kind of the profile, or None if it has none
    template = False  # the profile has a template (annex) for unit_kind
    cases = None  # case names to run (None = all)
    principals = COLUMNS

    # ---- set-up ----

    @classmethod
    def _fixtures(cls):
        srv = cls.srv
        cls.uid = {}
        for role, user in USERS.items():
            rows = srv.sql("SELECT id, role FROM users WHERE username = ?", (user,))
            if not rows:
                continue
            assert rows[0][1] == role, rows
            cls.uid[role] = rows[0][0]
            srv.login(user)
        cls.own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0][0]
        assert cls.own, "the demo unit_admin is bound to no unit"
        cls.other = srv.sql("SELECT id FROM units WHERE id != ? AND status = '已接入' ORDER BY id"
                            " LIMIT 1", (cls.own,))[0][0]
        r = srv.as_("admin", "POST", "/api/v1/zones", {"name": "矩阵公用区", "code": "matrix"})
        assert r.status == 201, r
        cls.zone = r.json["id"]
        prof = srv.as_("admin", "GET", "/api/v1/profile").json
        cls.prefix = prof["prefix"]
        cls.clause = cls.prefix + "-1"
        assert any(c["id"] == cls.clause for c in prof["clauses"]), cls.clause
        # An agreement with a scan in each of the two units, and an API token for two users.
        cls.scan_bytes = {}
        cls.scanned = {}
        for u in (cls.own, cls.other):
            aid = cls.mk_agreement_cls(u)
            data = b"%PDF-1.4\n% fixture " + str(u).encode() + b"\n%%EOF\n"
            r = srv.as_("admin", "PUT", "/api/v1/units/%d/agreements/%d/scan?filename=fixture.pdf"
                        % (u, aid), raw=data, headers={"Content-Type": "application/pdf"})
            assert r.status == 200, r
            cls.scanned[u] = aid
            cls.scan_bytes[u] = data
        for user in ("admin", "ops"):
            r = srv.as_(user, "POST", "/api/v1/tokens", {"name": "fixture-" + user})
            assert r.status == 201, r

    # ---- helpers ----

    @classmethod
    def db_exec(cls, sql, args=()):
        con = sqlite3.connect(cls.srv.db, timeout=30)
        try:
            cur = con.execute(sql, args)
            con.commit()
            return cur.lastrowid
        finally:
            con.close()

    @classmethod
    def mk_agreement_cls(cls, unit_id):
        if cls.unit_kind:
            r = cls.srv.as_("admin", "POST", "/api/v1/units/%d/agreements" % unit_id,
                            {"kind": cls.unit_kind, "signed_on": "2025-03-01", "signatories": "甲"})
            assert r.status == 201, r
            return r.json["id"]
        # The profile defines no unit agreement: seed the row directly.
        return cls.db_exec(
            "INSERT INTO agreements (unit_id, kind, name, signed_on, signatories, created_at,"
            " updated_at) VALUES (?, 'legacy', '历史协议', '2025-03-01', '甲', unixepoch(),"
            " unixepoch())", (unit_id,))

    def mk_agreement(self, unit_id):
        return self.mk_agreement_cls(unit_id)

    def mk_unit(self, connected=False):
        r = self.srv.as_("admin", "POST", "/api/v1/units",
                         {"name": "矩阵测试单位" + uniq(), "type": "其他", "level": "县直"})
        self.assertEqual(r.status, 201, r)
        if connected:
            self.db_exec("UPDATE units SET status = '已接入' WHERE id = ?", (r.json["id"],))
        return r.json["id"]

    def mk_contact(self, unit_id):
        r = self.srv.as_("admin", "POST", "/api/v1/units/%d/contacts" % unit_id,
                         {"role": "技术联系人", "name": "联系人" + uniq(), "mobile": "13900002222"})
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def mk_user(self, role="operator"):
        body = {"username": "m" + uniq(), "role": role, "password": PASSWORD}
        if role == "unit_admin":
            body["unit_id"] = self.own
        if role == "carrier":
            body["carrier_id"] = self.demo_carrier()
        r = self.srv.as_("admin", "POST", "/api/v1/users", body)
        self.assertEqual(r.status, 201, r)
        return r.json["id"], body["username"]

    def fresh_session(self, username, password=PASSWORD):
        r = self.srv.request("POST", "/api/v1/session", {"username": username, "password": password})
        self.assertEqual(r.status, 201, r)
        return r.json["token"]

    def me(self, who):
        """The principal's user id (None for anon)."""
        return self.uid.get(who)

    def someone_else(self, who):
        return "auditor" if who != "auditor" else "operator"

    def one(self, sql, args=()):
        rows = self.srv.sql(sql, args)
        self.assertEqual(len(rows), 1, (sql, args, rows))
        return rows[0]

    # ---- the cases: each returns the Req to send as `who` ----

    def c_health(self, who):
        if who == "anon":  # up or not, nothing more (no version)
            return Req("/api/v1/health", ok=lambda r: self.assertEqual(set(r.json), {"status"}))
        return Req("/api/v1/health", ok=lambda r: self.assertEqual(r.json["profile"], self.profile))

    def c_openapi(self, who):
        return Req("/api/v1/openapi.json",
                   ok=lambda r: self.assertIn("/api/v1/units/{id}", r.json["paths"]))

    def c_login(self, who):
        user = USERS.get(who, "admin")
        uid = self.uid.get(who, self.uid["manager"])
        n = self.srv.sql("SELECT count(*) FROM sessions WHERE user_id = ?", (uid,))[0][0]

        def ok(r):
            self.assertEqual(r.json["user"]["username"], user)
            self.assertEqual(self.srv.sql("SELECT count(*) FROM sessions WHERE user_id = ?",
                                          (uid,))[0][0], n + 1)
            me = self.srv.request("GET", "/api/v1/session", token=r.json["token"])
            self.assertEqual(me.status, 200, me)
            self.assertEqual(me.json["username"], user)

        return Req("/api/v1/session", body={"username": user, "password": PASSWORD},
                   delta={"sessions": 1, "audit": 1}, audit=("session.login", "user"), ok=ok, actor=user)

    def c_metrics(self, who):
        return Req("/api/v1/metrics",
                   ok=lambda r: self.assertIn(b"\nzwnet_build_info{version=", r.raw))

    def c_whoami(self, who):
        def ok(r):
            self.assertEqual(r.json["username"], USERS[who])
            self.assertEqual(r.json["role"], who)
            col = COLUMNS.index(who)
            self.assertEqual(r.json["permissions"], {a: s[col] for a, s in AUTHZ.items()})
            if who == "unit_admin":
                self.assertEqual(r.json["unit_id"], self.own)

        return Req("/api/v1/session", ok=ok)

    def c_logout(self, who):
        tok = self.fresh_session(USERS[who]) if who != "anon" else None
        th = sha256_hex(tok.encode()) if tok else ""

        def ok(r):
            self.assertEqual(self.srv.sql("SELECT count(*) FROM sessions WHERE token_hash = ?",
                                          (th,))[0][0], 0)
            self.assertEqual(self.srv.request("GET", "/api/v1/session", token=tok).status, 401)

        return Req("/api/v1/session", token=tok, delta={"sessions": -1, "audit": 1},
                   audit=("session.logout", "user"), ok=ok)

    def c_password_change(self, who):
        tok, uid, name, api_token = None, 0, None, None
        if who != "anon":
            uid, name = self.mk_user(who)
            tok = self.fresh_session(name)
            other_session = self.fresh_session(name)
            r = self.srv.request("POST", "/api/v1/tokens", {"name": "改密前"}, token=tok)
            self.assertEqual(r.status, 201, r)
            api_token = r.json["token"]
        old = self.srv.sql("SELECT pwhash FROM users WHERE id = ?", (uid,))
        new_pw = "Nieuw2026pass"

        def ok(r):
            self.assertNotEqual(self.srv.sql("SELECT pwhash FROM users WHERE id = ?", (uid,)), old)
            # The user's other sessions end and their API tokens with them (whoever knew the
            # old password may have made them); the session that made the change goes on.
            self.assertEqual(self.srv.request("GET", "/api/v1/session", token=other_session).status,
                             401)
            self.assertEqual(self.srv.request("GET", "/api/v1/session", token=api_token).status,
                             401)
            self.assertEqual(self.srv.request("GET", "/api/v1/session", token=tok).status, 200)
            self.assertEqual((r.json["sessions_ended"], r.json["tokens_revoked"],
                              r.json["tokens_kept"]), (1, 1, []), r)
            self.fresh_session(name, new_pw)

        return Req("/api/v1/session/password", token=tok,
                   body={"old_password": PASSWORD, "new_password": new_pw},
                   delta={"sessions": -1, "audit": 1}, audit=("user.password_change", "user"), ok=ok,
                   actor=name if who != "anon" else None)

    def c_tokens_list(self, who):
        def ok(r):
            self.assertEqual({t["user_id"] for t in r.json["items"]} - {self.me(who)}, set())

        return Req("/api/v1/tokens", ok=ok)

    def c_tokens_list_all(self, who):
        def ok(r):
            self.assertGreaterEqual(len({t["user_id"] for t in r.json["items"]}), 2, r)

        return Req("/api/v1/tokens?all=1", ok=ok)

    def c_token_create(self, who):
        name = "矩阵令牌" + uniq()

        def ok(r):
            self.assertEqual(self.one("SELECT user_id, revoked FROM api_tokens WHERE name = ?",
                                      (name,)), (self.me(who), 0))

        return Req("/api/v1/tokens", body={"name": name}, delta={"api_tokens": 1, "audit": 1},
                   audit=("token.create", "token"), ok=ok)

    def c_token_create_for_other(self, who):
        name = "代发令牌" + uniq()
        other = self.uid[self.someone_else(who)]

        def ok(r):
            self.assertEqual(self.one("SELECT user_id FROM api_tokens WHERE name = ?", (name,)),
                             (other,))

        return Req("/api/v1/tokens", body={"name": name, "user_id": other},
                   delta={"api_tokens": 1, "audit": 1}, audit=("token.create", "token"), ok=ok)

    def _token_of(self, user):
        r = self.srv.as_(user, "POST", "/api/v1/tokens", {"name": "吊销用" + uniq()})
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def _revoke(self, tid):
        return Req("/api/v1/tokens/%d" % tid, delta={"audit": 1},
                   audit=("token.revoke", "token"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT revoked FROM api_tokens WHERE id = ?", (tid,)), (1,)),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT revoked FROM api_tokens WHERE id = ?", (tid,)), (0,)))

    def c_token_revoke_own(self, who):
        return self._revoke(self._token_of(USERS.get(who, "admin")))

    def c_token_revoke_others(self, who):
        return self._revoke(self._token_of(USERS[self.someone_else(who)]))

    def c_users_list(self, who):
        return Req("/api/v1/users",
                   ok=lambda r: self.assertGreaterEqual(len(r.json["items"]), len(self.uid)))

    def c_user_create(self, who):
        name = "n" + uniq()

        def ok(r):
            self.assertEqual(self.one("SELECT role, unit_id FROM users WHERE username = ?",
                                      (name,)), ("operator", None))

        return Req("/api/v1/users", body={"username": name, "role": "operator", "password": PASSWORD},
                   delta={"users": 1, "audit": 1}, audit=("user.create", "user"), ok=ok,
                   same=lambda: self.assertEqual(
                       self.srv.sql("SELECT id FROM users WHERE username = ?", (name,)), []))

    def c_user_get_self(self, who):
        uid = self.me(who) or self.uid["manager"]
        return Req("/api/v1/users/%d" % uid,
                   ok=lambda r: self.assertEqual(r.json["username"], USERS[who]))

    def c_user_get_other(self, who):
        other = self.someone_else(who)
        return Req("/api/v1/users/%d" % self.uid[other],
                   ok=lambda r: self.assertEqual(r.json["username"], USERS[other]))

    def c_user_patch(self, who):
        uid, _ = self.mk_user()
        name = "改名" + uniq()
        return Req("/api/v1/users/%d" % uid, body={"display_name": name}, delta={"audit": 1},
                   audit=("user.update", "user"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT display_name FROM users WHERE id = ?", (uid,)), (name,)),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT display_name FROM users WHERE id = ?", (uid,)), ("",)))

    def c_user_password_reset(self, who):
        uid, name = self.mk_user()
        r = self.srv.request("POST", "/api/v1/tokens", {"name": "重置前"},
                             token=self.fresh_session(name))
        self.assertEqual(r.status, 201, r)
        api_token = r.json["token"]
        old = self.one("SELECT pwhash FROM users WHERE id = ?", (uid,))

        def ok(r):
            self.assertNotEqual(self.one("SELECT pwhash FROM users WHERE id = ?", (uid,)), old)
            self.assertEqual(self.srv.request("GET", "/api/v1/session", token=api_token).status,
                             401)
            self.assertEqual((r.json["sessions_ended"], r.json["tokens_revoked"]), (1, 1), r)

        return Req("/api/v1/users/%d/password" % uid, body={"password": "Reset2026pass"},
                   delta={"sessions": -1, "audit": 1}, audit=("user.password_reset", "user"), ok=ok,
                   same=lambda: (self.assertEqual(self.one(
                       "SELECT pwhash FROM users WHERE id = ?", (uid,)), old),
                       self.assertEqual(self.srv.request("GET", "/api/v1/session",
                                                         token=api_token).status, 200)))

    def c_profile(self, who):
        return Req("/api/v1/profile", ok=lambda r: self.assertEqual(r.json["id"], self.profile))

    def c_profile_clause(self, who):
        return Req("/api/v1/profile/clauses/" + self.clause,
                   ok=lambda r: self.assertEqual(r.json["id"], self.clause))

    def c_audit_list(self, who):
        return Req("/api/v1/audit", ok=lambda r: self.assertTrue(r.json["items"], r))

    def c_audit_verify(self, who):
        return Req("/api/v1/audit/verify", ok=lambda r: self.assertIs(r.json["ok"], True, r))

    def c_units_list(self, who):
        def ok(r):
            ids = [u["id"] for u in r.json["items"]]
            if who == "unit_admin":
                self.assertEqual(ids, [self.own])
                self.assertIsNone(r.json["next_cursor"])
            else:
                self.assertIn(self.other, ids)
                self.assertGreater(len(ids), 1)

        return Req("/api/v1/units", ok=ok)

    def c_unit_create(self, who):
        name = "矩阵新单位" + uniq()
        return Req("/api/v1/units", body={"name": name, "type": "其他", "level": "乡镇"},
                   delta={"units": 1, "unit_status_history": 1, "audit": 1},
                   audit=("unit.create", "unit"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT id, status FROM units WHERE name = ?", (name,)),
                       (r.json["id"], "申请中")),
                   same=lambda: self.assertEqual(
                       self.srv.sql("SELECT id FROM units WHERE name = ?", (name,)), []))

    def _unit_get(self, uid):
        return Req("/api/v1/units/%d" % uid, ok=lambda r: self.assertEqual(r.json["id"], uid))

    def c_unit_get_own(self, who):
        return self._unit_get(self.own)

    def c_unit_get_other(self, who):
        return self._unit_get(self.other)

    def _unit_patch(self, uid):
        note = "矩阵备注" + uniq()
        old = self.one("SELECT note, rev FROM units WHERE id = ?", (uid,))
        return Req("/api/v1/units/%d" % uid, body={"note": note}, delta={"audit": 1},
                   audit=("unit.update", "unit"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT note, rev FROM units WHERE id = ?", (uid,)), (note, old[1] + 1)),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT note, rev FROM units WHERE id = ?", (uid,)), old))

    def c_unit_patch_own(self, who):
        return self._unit_patch(self.own)

    def c_unit_patch_other(self, who):
        return self._unit_patch(self.mk_unit())

    def _unit_status(self, uid):
        self.db_exec("UPDATE units SET status = '已接入' WHERE id = ?", (uid,))
        old = self.one("SELECT status, rev FROM units WHERE id = ?", (uid,))
        # A suspension by hand isolates every outermost address block of the unit (TB-9).
        blocks = self.one("SELECT count(*) FROM prefixes p WHERE p.unit_id = ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM prefixes q WHERE q.unit_id = ?1 AND q.family = p.family"
                          " AND q.length < p.length AND q.first <= p.first AND q.last >= p.last)",
                          (uid,))[0]
        self.addCleanup(self.db_exec, "UPDATE isolations SET removed_at = 1 WHERE unit_id = ?"
                        " AND violation_id IS NULL AND removed_at = 0", (uid,))
        delta = {"unit_status_history": 1, "audit": 1}
        if blocks:
            delta["isolations"] = blocks
        return Req("/api/v1/units/%d/status" % uid,
                   body={"status": "暂停", "reason": "角色矩阵测试", "clause": self.clause},
                   delta=delta, audit=("unit.status", "unit"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT status, status_clause FROM units WHERE id = ?", (uid,)),
                       ("暂停", self.clause)),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT status, rev FROM units WHERE id = ?", (uid,)), old))

    def c_unit_status_own(self, who):
        # The unit_admin's unit is shared by all tests: put it back afterwards.
        self.addCleanup(self.db_exec, "UPDATE units SET status = '已接入' WHERE id = ?",
                        (self.own,))
        return self._unit_status(self.own)

    def c_unit_status_other(self, who):
        return self._unit_status(self.mk_unit(connected=True))

    def _history(self, uid):
        return Req("/api/v1/units/%d/history" % uid,
                   ok=lambda r: self.assertTrue(r.json["items"], r))

    def c_unit_history_own(self, who):
        return self._history(self.own)

    def c_unit_history_other(self, who):
        return self._history(self.other)

    def _children(self, uid, what):
        def ok(r):
            self.assertTrue(r.json["items"], r)
            self.assertEqual({c["unit_id"] for c in r.json["items"]}, {uid})

        return Req("/api/v1/units/%d/%s" % (uid, what), ok=ok)

    def c_contacts_list_own(self, who):
        return self._children(self.own, "contacts")

    def c_contacts_list_other(self, who):
        return self._children(self.other, "contacts")

    def _contact_create(self, uid):
        name = "新联系人" + uniq()
        return Req("/api/v1/units/%d/contacts" % uid,
                   body={"role": "安全联系人", "name": name, "mobile": "13700003333"},
                   delta={"contacts": 1, "audit": 1}, audit=("contact.create", "contact"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT unit_id FROM contacts WHERE name = ?", (name,)), (uid,)),
                   same=lambda: self.assertEqual(
                       self.srv.sql("SELECT id FROM contacts WHERE name = ?", (name,)), []))

    def c_contact_create_own(self, who):
        return self._contact_create(self.own)

    def c_contact_create_other(self, who):
        return self._contact_create(self.other)

    def _contact_patch(self, url_unit, real_unit):
        cid = self.mk_contact(real_unit)
        name = "改名联系人" + uniq()
        old = self.one("SELECT unit_id, name, rev FROM contacts WHERE id = ?", (cid,))
        return Req("/api/v1/units/%d/contacts/%d" % (url_unit, cid), body={"name": name},
                   delta={"audit": 1}, audit=("contact.update", "contact"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT unit_id, name FROM contacts WHERE id = ?", (cid,)),
                       (real_unit, name)),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT unit_id, name, rev FROM contacts WHERE id = ?", (cid,)), old))

    def c_contact_patch_own(self, who):
        return self._contact_patch(self.own, self.own)

    def c_contact_patch_other(self, who):
        return self._contact_patch(self.other, self.other)

    def c_contact_patch_wrong_unit(self, who):
        return self._contact_patch(self.own, self.other)

    def _contact_delete(self, url_unit, real_unit):
        cid = self.mk_contact(real_unit)
        return Req("/api/v1/units/%d/contacts/%d" % (url_unit, cid),
                   delta={"contacts": -1, "audit": 1}, audit=("contact.delete", "contact"),
                   ok=lambda r: self.assertEqual(
                       self.srv.sql("SELECT id FROM contacts WHERE id = ?", (cid,)), []),
                   same=lambda: self.one("SELECT id FROM contacts WHERE id = ?", (cid,)))

    def c_contact_delete_own(self, who):
        return self._contact_delete(self.own, self.own)

    def c_contact_delete_other(self, who):
        return self._contact_delete(self.other, self.other)

    def c_contact_delete_wrong_unit(self, who):
        return self._contact_delete(self.own, self.other)

    def c_agreements_list_own(self, who):
        return self._children(self.own, "agreements")

    def c_agreements_list_other(self, who):
        return self._children(self.other, "agreements")

    def _agreement_create(self, uid):
        kind = self.unit_kind or "security_commitment"
        before = self.srv.sql("SELECT count(*) FROM agreements WHERE unit_id = ?", (uid,))[0][0]
        return Req("/api/v1/units/%d/agreements" % uid,
                   body={"kind": kind, "signed_on": "2025-05-05", "signatories": "矩阵"},
                   delta={"agreements": 1, "audit": 1}, audit=("agreement.create", "agreement"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT unit_id, kind FROM agreements WHERE id = ?", (r.json["id"],)),
                       (uid, kind)),
                   same=lambda: self.assertEqual(self.srv.sql(
                       "SELECT count(*) FROM agreements WHERE unit_id = ?", (uid,))[0][0], before))

    def c_agreement_create_own(self, who):
        return self._agreement_create(self.own)

    def c_agreement_create_other(self, who):
        return self._agreement_create(self.other)

    def _agreement_get(self, url_unit, real_unit):
        aid = self.mk_agreement(real_unit)
        return Req("/api/v1/units/%d/agreements/%d" % (url_unit, aid),
                   ok=lambda r: self.assertEqual((r.json["id"], r.json["unit_id"]),
                                                 (aid, real_unit)))

    def c_agreement_get_own(self, who):
        return self._agreement_get(self.own, self.own)

    def c_agreement_get_other(self, who):
        return self._agreement_get(self.other, self.other)

    def c_agreement_get_wrong_unit(self, who):
        return self._agreement_get(self.own, self.other)

    def _agreement_patch(self, uid):
        aid = self.mk_agreement(uid)
        sig = "新签署人" + uniq()
        old = self.one("SELECT signatories, rev FROM agreements WHERE id = ?", (aid,))
        return Req("/api/v1/units/%d/agreements/%d" % (uid, aid), body={"signatories": sig},
                   delta={"audit": 1}, audit=("agreement.update", "agreement"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT signatories FROM agreements WHERE id = ?", (aid,)), (sig,)),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT signatories, rev FROM agreements WHERE id = ?", (aid,)), old))

    def c_agreement_patch_own(self, who):
        return self._agreement_patch(self.own)

    def c_agreement_patch_other(self, who):
        return self._agreement_patch(self.other)

    def _agreement_delete(self, uid):
        aid = self.mk_agreement(uid)
        return Req("/api/v1/units/%d/agreements/%d" % (uid, aid),
                   delta={"agreements": -1, "audit": 1}, audit=("agreement.delete", "agreement"),
                   ok=lambda r: self.assertEqual(
                       self.srv.sql("SELECT id FROM agreements WHERE id = ?", (aid,)), []),
                   same=lambda: self.one("SELECT id FROM agreements WHERE id = ?", (aid,)))

    def c_agreement_delete_own(self, who):
        return self._agreement_delete(self.own)

    def c_agreement_delete_other(self, who):
        return self._agreement_delete(self.other)

    def _scan_put(self, url_unit, real_unit):
        aid = self.mk_agreement(real_unit)
        data = b"%PDF-1.7\n% matrix scan " + uniq().encode() + b"\n%%EOF\n"
        return Req("/api/v1/units/%d/agreements/%d/scan?filename=%s" % (
                       url_unit, aid, urllib.parse.quote("扫描件.pdf")),
                   raw=data, headers={"Content-Type": "application/pdf"},
                   delta={"blobs": 1, "audit": 1}, audit=("agreement.scan", "agreement"),
                   ok=lambda r: self.assertEqual(self.one(
                       "SELECT scan_sha256, scan_type, scan_size FROM agreements WHERE id = ?",
                       (aid,)), (sha256_hex(data), "application/pdf", len(data))),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT scan_sha256 FROM agreements WHERE id = ?", (aid,)), (None,)))

    def c_scan_put_own(self, who):
        return self._scan_put(self.own, self.own)

    def c_scan_put_other(self, who):
        return self._scan_put(self.other, self.other)

    def c_scan_put_wrong_unit(self, who):
        return self._scan_put(self.own, self.other)

    def _scan_get(self, uid):
        aid = self.scanned[uid]

        def ok(r):
            self.assertEqual(r.raw, self.scan_bytes[uid])
            self.assertEqual(r.header("Content-Type"), "application/pdf")

        return Req("/api/v1/units/%d/agreements/%d/scan" % (uid, aid), ok=ok)

    def c_scan_get_own(self, who):
        return self._scan_get(self.own)

    def c_scan_get_other(self, who):
        return self._scan_get(self.other)

    def c_search(self, who):
        other = self.one("SELECT name FROM units WHERE id = ?", (self.other,))[0]

        def ok(r):
            units = {x["unit_id"] for x in r.json["results"]}
            if who == "unit_admin":
                self.assertEqual(units - {self.own}, set(), r)
                self.assertNotIn(other, json.dumps(r.json["results"], ensure_ascii=False))
            elif who == "auditor":
                self.assertEqual(r.json["results"], [], r)
            else:
                self.assertIn(self.other, units, r)

        return Req("/api/v1/search?q=" + urllib.parse.quote(other), ok=ok)

    def c_agreements_missing(self, who):
        def ok(r):
            self.assertIsInstance(r.json["items"], list)
            if who == "unit_admin":
                self.assertEqual({i["unit_id"] for i in r.json["items"]} - {self.own}, set(), r)

        return Req("/api/v1/agreements/missing", ok=ok)

    # ---- running one cell of the matrix ----

    def expected(self, case, who):
        codes = dict(zip(COLUMNS, (int(c) for c in case[3].split())))
        return codes[who]

    # ---- the address plan ----

    def _admin(self, method, path, body=None, status=201):
        r = self.srv.as_("admin", method, path, body)
        self.assertEqual(r.status, status, r)
        return r.json

    def mk_zone(self):
        n = uniq()
        return self._admin("POST", "/api/v1/zones", {"name": "矩阵区域" + n, "code": "z" + n})["id"]

    def mk_vlan(self, unit_id=None):
        vid = 1 + int(uniq()) % 4000
        while self.srv.sql("SELECT 1 FROM vlans WHERE vid = ?", (vid,)):
            vid = 1 + (vid + 7) % 4094
        return self._admin("POST", "/api/v1/vlans", {"vid": vid, "name": "矩阵VLAN", "unit_id": unit_id})["id"]

    _net = itertools.count(1)

    def mk_container(self):
        n = next(self._net)
        return self._admin("POST", "/api/v1/prefixes",
                           {"cidr": "10.%d.%d.0/24" % (200 + n // 250, n % 250), "status": "container",
                            "zone_id": self.zone})["id"]

    def mk_subnet(self, unit_id):
        return self._admin("POST", "/api/v1/prefixes/%d/allocate" % self.mk_container(),
                           {"unit_id": unit_id, "prefix_length": 28})["id"]

    def _same_row(self, table, oid):
        old = self.srv.sql("SELECT * FROM %s WHERE id = ?" % table, (oid,))
        return lambda: self.assertEqual(self.srv.sql("SELECT * FROM %s WHERE id = ?" % table, (oid,)), old)

    def c_zones_list(self, who):
        return Req("/api/v1/zones", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_zone_create(self, who):
        n = uniq()
        return Req("/api/v1/zones", body={"name": "矩阵新区域" + n, "code": "new" + n},
                   delta={"zones": 1, "audit": 1}, audit=("zone.create", "zone"))

    def c_zone_get(self, who):
        return Req("/api/v1/zones/%d" % self.zone, ok=lambda r: self.assertEqual(r.json["id"], self.zone))

    def c_zone_patch(self, who):
        z = self.mk_zone()
        return Req("/api/v1/zones/%d" % z, body={"description": "矩阵" + uniq()}, delta={"audit": 1},
                   audit=("zone.update", "zone"), same=self._same_row("zones", z))

    def c_zone_delete(self, who):
        z = self.mk_zone()
        return Req("/api/v1/zones/%d" % z, delta={"zones": -1, "audit": 1}, audit=("zone.delete", "zone"),
                   same=self._same_row("zones", z))

    def c_vlans_list(self, who):
        self.mk_vlan(self.own)
        self.mk_vlan(self.other)

        def ok(r):
            units = {v["unit_id"] for v in r.json["items"]}
            if who == "unit_admin":
                self.assertEqual(units, {self.own})
            else:
                self.assertIn(self.other, units)

        return Req("/api/v1/vlans?limit=500", ok=ok)

    def c_vlan_create(self, who):
        vid = 1 + int(uniq()) % 4000
        while self.srv.sql("SELECT 1 FROM vlans WHERE vid = ?", (vid,)):
            vid = 1 + (vid + 11) % 4094
        return Req("/api/v1/vlans", body={"vid": vid, "name": "矩阵新VLAN"}, delta={"vlans": 1, "audit": 1},
                   audit=("vlan.create", "vlan"))

    def c_vlan_get_own(self, who):
        v = self.mk_vlan(self.own)
        return Req("/api/v1/vlans/%d" % v, ok=lambda r: self.assertEqual(r.json["unit_id"], self.own))

    def c_vlan_get_other(self, who):
        v = self.mk_vlan(self.other)
        return Req("/api/v1/vlans/%d" % v, ok=lambda r: self.assertEqual(r.json["unit_id"], self.other))

    def c_vlan_patch(self, who):
        v = self.mk_vlan(self.own)
        return Req("/api/v1/vlans/%d" % v, body={"name": "改名" + uniq()}, delta={"audit": 1},
                   audit=("vlan.update", "vlan"), same=self._same_row("vlans", v))

    def c_vlan_delete(self, who):
        v = self.mk_vlan(self.own)
        return Req("/api/v1/vlans/%d" % v, delta={"vlans": -1, "audit": 1}, audit=("vlan.delete", "vlan"),
                   same=self._same_row("vlans", v))

    def c_prefixes_list(self, who):
        self.mk_subnet(self.own)
        self.mk_subnet(self.other)

        def ok(r):
            units = {p["unit_id"] for p in r.json["items"]}
            if who == "unit_admin":
                self.assertEqual(units, {self.own})
            else:
                self.assertIn(self.other, units)

        return Req("/api/v1/prefixes?limit=500", ok=ok)

    def c_prefix_create(self, who):
        n = next(self._net)
        cidr = "10.%d.%d.0/24" % (200 + n // 250, n % 250)
        return Req("/api/v1/prefixes", body={"cidr": cidr, "status": "reserved"},
                   delta={"prefixes": 1, "audit": 1}, audit=("prefix.create", "prefix"),
                   same=lambda: self.assertEqual(self.srv.sql("SELECT id FROM prefixes WHERE cidr = ?",
                                                              (cidr,)), []))

    def c_prefixes_allocate(self, who):
        self.mk_container()  # room in the zone
        return Req("/api/v1/prefixes/allocate", body={"zone_id": self.zone, "unit_id": self.own, "hosts": 5},
                   delta={"prefixes": 1, "audit": 1}, audit=("prefix.allocate", "prefix"),
                   ok=lambda r: self.assertEqual(r.json["unit_id"], self.own))

    def c_prefix_get_own(self, who):
        p = self.mk_subnet(self.own)
        return Req("/api/v1/prefixes/%d" % p, ok=lambda r: self.assertEqual(r.json["id"], p))

    def c_prefix_get_other(self, who):
        p = self.mk_subnet(self.other)
        return Req("/api/v1/prefixes/%d" % p, ok=lambda r: self.assertEqual(r.json["id"], p))

    def c_prefix_patch(self, who):
        p = self.mk_subnet(self.own)
        return Req("/api/v1/prefixes/%d" % p, body={"description": "矩阵" + uniq()}, delta={"audit": 1},
                   audit=("prefix.update", "prefix"), same=self._same_row("prefixes", p))

    def c_prefix_delete(self, who):
        p = self.mk_subnet(self.own)
        return Req("/api/v1/prefixes/%d" % p, delta={"prefixes": -1, "prefix_quarantine": 1, "audit": 1},
                   audit=("prefix.release", "prefix"), same=self._same_row("prefixes", p))

    def c_prefix_allocate(self, who):
        c = self.mk_container()
        return Req("/api/v1/prefixes/%d/allocate" % c, body={"unit_id": self.own, "prefix_length": 29},
                   delta={"prefixes": 1, "audit": 1}, audit=("prefix.allocate", "prefix"),
                   ok=lambda r: self.assertEqual(r.json["parent_id"], c))

    def c_prefix_free(self, who):
        c = self.mk_container()
        return Req("/api/v1/prefixes/%d/free" % c,
                   ok=lambda r: self.assertEqual(r.json["free_addresses"], "256"))

    # ---- terminals ----

    _mac = itertools.count(1)

    def new_mac(self):
        n = next(self._mac) + os.getpid() * 1000
        return "02:%02x:%02x:%02x:%02x:%02x" % ((n >> 32) & 255, (n >> 24) & 255, (n >> 16) & 255,
                                               (n >> 8) & 255, n & 255)

    def mk_terminal(self, unit_id):
        return self._admin("POST", "/api/v1/terminals", {"mac": self.new_mac(), "unit_id": unit_id,
                                                         "kind": "计算机"})["id"]

    def c_terminals_list(self, who):
        self.mk_terminal(self.own)
        self.mk_terminal(self.other)

        def ok(r):
            units = {t["unit_id"] for t in r.json["items"]}
            if who == "unit_admin":
                self.assertEqual(units, {self.own})
            else:
                self.assertIn(self.other, units)

        return Req("/api/v1/terminals?limit=500", ok=ok)

    def _terminal_create(self, unit_id):
        mac = self.new_mac()
        return Req("/api/v1/terminals", body={"mac": mac.upper().replace(":", "-"), "unit_id": unit_id,
                                              "kind": "打印机"},
                   delta={"terminals": 1, "audit": 1}, audit=("terminal.create", "terminal"),
                   ok=lambda r: self.assertEqual(r.json["mac"], mac),
                   same=lambda: self.assertEqual(self.srv.sql("SELECT id FROM terminals WHERE mac = ?",
                                                              (mac,)), []))

    def c_terminal_create_own(self, who):
        return self._terminal_create(self.own)

    def c_terminal_create_other(self, who):
        return self._terminal_create(self.other)

    def c_terminals_compliance(self, who):
        self.mk_terminal(self.own)
        self.mk_terminal(self.other)

        def ok(r):
            units = {t["unit_id"] for t in r.json["items"]}
            if who == "unit_admin":
                self.assertEqual(units, {self.own})
            else:
                self.assertIn(self.other, units)

        return Req("/api/v1/terminals/compliance", ok=ok)

    def c_terminal_get_own(self, who):
        t = self.mk_terminal(self.own)
        return Req("/api/v1/terminals/%d" % t, ok=lambda r: self.assertEqual(r.json["id"], t))

    def c_terminal_get_other(self, who):
        t = self.mk_terminal(self.other)
        return Req("/api/v1/terminals/%d" % t, ok=lambda r: self.assertEqual(r.json["id"], t))

    def _terminal_patch(self, unit_id):
        t = self.mk_terminal(unit_id)
        return Req("/api/v1/terminals/%d" % t, body={"location": "三楼" + uniq()}, delta={"audit": 1},
                   audit=("terminal.update", "terminal"), same=self._same_row("terminals", t))

    def c_terminal_patch_own(self, who):
        return self._terminal_patch(self.own)

    def c_terminal_patch_other(self, who):
        return self._terminal_patch(self.other)

    def c_terminal_delete_own(self, who):
        t = self.mk_terminal(self.own)
        return Req("/api/v1/terminals/%d" % t, delta={"terminals": -1, "audit": 1},
                   audit=("terminal.delete", "terminal"), same=self._same_row("terminals", t))

    # ---- host addresses ----

    def mk_address(self, unit_id):
        return self._admin("POST", "/api/v1/addresses", {"prefix_id": self.mk_subnet(unit_id),
                                                         "kind": "静态"})["id"]

    def c_addresses_list(self, who):
        self.mk_address(self.own)
        self.mk_address(self.other)

        def ok(r):
            units = {a["unit_id"] for a in r.json["items"]}
            if who == "unit_admin":
                self.assertEqual(units, {self.own})
            else:
                self.assertIn(self.other, units)

        return Req("/api/v1/addresses?limit=500", ok=ok)

    def _address_create(self, unit_id):
        p = self.mk_subnet(unit_id)
        return Req("/api/v1/addresses", body={"prefix_id": p, "kind": "静态", "hostname": "m" + uniq()},
                   delta={"addresses": 1, "audit": 1}, audit=("address.create", "address"),
                   ok=lambda r: self.assertEqual(r.json["unit_id"], unit_id),
                   same=lambda: self.assertEqual(self.srv.sql("SELECT id FROM addresses WHERE prefix_id = ?",
                                                              (p,)), []))

    def c_address_create_own(self, who):
        return self._address_create(self.own)

    def c_address_create_other(self, who):
        return self._address_create(self.other)

    def c_address_get_own(self, who):
        a = self.mk_address(self.own)
        return Req("/api/v1/addresses/%d" % a, ok=lambda r: self.assertEqual(r.json["id"], a))

    def c_address_get_other(self, who):
        a = self.mk_address(self.other)
        return Req("/api/v1/addresses/%d" % a, ok=lambda r: self.assertEqual(r.json["id"], a))

    def c_address_patch_own(self, who):
        a = self.mk_address(self.own)
        return Req("/api/v1/addresses/%d" % a, body={"hostname": "h" + uniq()}, delta={"audit": 1},
                   audit=("address.update", "address"), same=self._same_row("addresses", a))

    def c_address_delete_own(self, who):
        a = self.mk_address(self.own)
        return Req("/api/v1/addresses/%d" % a, delta={"addresses": -1, "audit": 1},
                   audit=("address.delete", "address"), same=self._same_row("addresses", a))

    def c_export_dhcp(self, who):
        return Req("/api/v1/exports/dhcp?format=dnsmasq",
                   ok=lambda r: self.assertTrue(r.raw.startswith(b"# zwnet")))

    def c_unit_archive_own(self, who):
        return Req("/api/v1/units/%d/archive" % self.own,
                   ok=lambda r: self.assertEqual(r.json["unit"]["id"], self.own))

    def c_unit_archive_other(self, who):
        return Req("/api/v1/units/%d/archive" % self.other,
                   ok=lambda r: self.assertEqual(r.json["unit"]["id"], self.other))

    def c_import_terminals_own(self, who):
        mac = self.new_mac()
        return Req("/api/v1/imports/terminals", raw=("MAC,unit_id,终端类型\n%s,%d,计算机\n" % (mac, self.own)).encode(),
                   headers={"Content-Type": "text/csv"}, delta={"terminals": 1, "audit": 1},
                   audit=("terminal.create", "terminal"),
                   same=lambda: self.assertEqual(self.srv.sql("SELECT id FROM terminals WHERE mac = ?", (mac,)), []))

    def c_import_kinds(self, who):
        return Req("/api/v1/imports",
                   ok=lambda r: self.assertIn("terminals", [k["kind"] for k in r.json]))

    def c_import_template(self, who):
        return Req("/api/v1/imports/terminals/template", ok=lambda r: self.assertTrue(r.raw.startswith(b"PK")))

    def c_import_export(self, who):
        def ok(r):
            import io
            import openpyxl
            rows = list(openpyxl.load_workbook(io.BytesIO(r.raw)).worksheets[0].iter_rows(values_only=True))
            units = self.srv.sql("SELECT name FROM units WHERE id = ?", (self.own,))[0][0]
            mine = [row for row in rows[1:] if units in row]
            if who == "unit_admin":  # its own unit's terminals only
                self.assertEqual(len(mine), len(rows) - 1)
            self.assertEqual(len(rows) - 1, self.srv.sql(
                "SELECT count(*) FROM terminals" + (" WHERE unit_id = %d" % self.own if who == "unit_admin" else ""))[0][0])
        return Req("/api/v1/imports/terminals/export", ok=ok)

    def c_export_plan(self, who):
        return Req("/api/v1/exports/plan", ok=lambda r: self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf")))

    def c_calendar_add(self, who):
        return Req("/api/v1/calendar/add?from=2026-02-12&working_days=3",
                   ok=lambda r: self.assertEqual(r.json["due"], "2026-02-24"))

    def c_calendar_year(self, who):
        return Req("/api/v1/calendar/2026", ok=lambda r: self.assertEqual(len(r.json["days"]), 365))

    def c_calendar_load(self, who):
        body = {"year": 2030, "days": [{"name": "元旦", "date": "2030-01-01", "isOffDay": True}]}
        return Req("/api/v1/calendar/2030", body=body, delta={"calendar_years": 1, "audit": 1},
                   audit=("calendar.load", "calendar"))

    def mk_deadline(self, unit_id, status="running"):
        """A deadline row of a pausable rule, seeded directly (the workflows start them)."""
        return self.db_exec(
            "INSERT INTO deadlines (subject_type, subject_id, unit_id, rule, clause, basis,"
            " amount, started_at, due_at, due_date, status, paused_at, created_at, updated_at)"
            " VALUES ('application', 1, ?, 'access_implement', ?, 'working_days', 7,"
            " unixepoch(), unixepoch() + 864000, '2099-01-01', ?, ?, unixepoch(), unixepoch())",
            (unit_id, self.clause, status, int(time.time()) if status == "paused" else 0))

    def deadline_is(self, did, status):
        return lambda: self.assertEqual(
            self.srv.sql("SELECT status FROM deadlines WHERE id = ?", (did,))[0][0], status)

    def c_probe_token_create(self, who):
        name = "探针" + uniq()

        def ok(r):
            self.assertEqual(self.one("SELECT scope FROM api_tokens WHERE name = ?", (name,)),
                             ("probe",))

        return Req("/api/v1/tokens", body={"name": name, "scope": "probe"},
                   delta={"api_tokens": 1, "audit": 1}, audit=("token.create", "token"), ok=ok)

    def c_observations(self, who):
        return Req("/api/v1/observations", body={"probe": "x", "observations": []})

    def mk_finding(self, unit_id):
        return self.db_exec(
            "INSERT INTO findings (kind, behaviour, label, mac, ip, unit_id, detail, probe,"
            " first_seen, last_seen, dedup, created_at, updated_at) VALUES ('unregistered',"
            " 'unregistered_terminal', '未登记终端接入', '00:16:3e:00:00:01', NULL, ?, 'x', 'p',"
            " unixepoch(), unixepoch(), ?, unixepoch(), unixepoch())", (unit_id, uniq()))

    def c_findings_list(self, who):
        self.mk_finding(self.own)
        return Req("/api/v1/findings", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_finding_get_own(self, who):
        fid = self.mk_finding(self.own)
        return Req("/api/v1/findings/%d" % fid,
                   ok=lambda r: self.assertEqual(r.json["evidence"], []))

    def c_finding_get_other(self, who):
        return Req("/api/v1/findings/%d" % self.mk_finding(self.other))

    def c_probes_list(self, who):
        return Req("/api/v1/probes")

    def c_probe_devices(self, who):
        return Req("/api/v1/probes/devices")

    def c_finding_dismiss(self, who):
        fid = self.mk_finding(self.own)
        return Req("/api/v1/findings/%d/transitions" % fid,
                   body={"action": "dismiss", "reason": "误报"}, delta={"audit": 1},
                   audit=("finding.dismiss", "finding"),
                   ok=lambda r: self.assertEqual(r.json["status"], "dismissed"),
                   same=lambda: self.assertEqual(
                       self.one("SELECT status FROM findings WHERE id = ?", (fid,)), ("open",)))

    def mk_violation(self, unit_id):
        return self.db_exec(
            "INSERT INTO violations (unit_id, behaviour, behaviour_name, clause, level, sanction,"
            " sanction_name, sanction_clause, offence, state, source, created_at, updated_at)"
            " VALUES (?, 'device_tamper', '擅自更改连接线路、网络接入设备配置', 'MY-5', 'unit',"
            " 'criticize', '通报批评并责令改正', 'MY-24', 1, 'open', 'inspection', unixepoch(),"
            " unixepoch())", (unit_id,))

    def mk_ticket(self, unit_id, carrier=None):
        """A backbone fault of unit_id, reported (or dispatched to carrier)."""
        return self.db_exec(
            "INSERT INTO tickets (unit_id, location, summary, channel, state, carrier_id,"
            " line_id, reported_at, created_at, updated_at) VALUES (?1, 'backbone', '网络中断',"
            " 'phone', ?2, ?3, (SELECT min(id) FROM lines WHERE unit_id = ?1), unixepoch(),"
            " unixepoch(), unixepoch())",
            (unit_id, "dispatched" if carrier else "reported", carrier))

    def ticket_is(self, tid, state):
        return lambda: self.assertEqual(
            self.one("SELECT state FROM tickets WHERE id = ?", (tid,)), (state,))

    def demo_carrier(self):
        return self.one("SELECT carrier_id FROM users WHERE username = 'carrier'")[0]

    def c_tickets_list(self, who):
        self.mk_ticket(self.own, self.demo_carrier())
        return Req("/api/v1/tickets", ok=lambda r: self.assertTrue(r.json["items"]))

    def mk_outage(self, unit_id, carrier=None):
        return self.db_exec(
            "INSERT INTO outages (unit_id, carrier_id, address, state, started_at, detected_at,"
            " created_at, updated_at) VALUES (?, ?, '10.0.0.1', 'open', unixepoch() - 120,"
            " unixepoch() - 60, unixepoch(), unixepoch())", (unit_id, carrier))

    def c_outages_list(self, who):
        self.mk_outage(self.own, self.demo_carrier())
        return Req("/api/v1/outages", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_outages_health(self, who):
        self.db_exec("INSERT OR IGNORE INTO unit_health (unit_id, carrier_id, address, state,"
                     " created_at, updated_at) VALUES (?, ?, '10.0.0.1', 'up', unixepoch(),"
                     " unixepoch())", (self.own, self.demo_carrier()))
        return Req("/api/v1/outages/health",
                   ok=lambda r: self.assertEqual(r.json["items"][0]["trend"], []))

    def c_outages_monitor(self, who):
        # the county's counts only for those who read every unit's state
        counts = who in ("manager", "authority", "operator", "supervisor")
        return Req("/api/v1/outages/monitor", ok=lambda r: self.assertEqual(
            (r.json["enabled"], r.json["checked"] is not None), (False, counts), r.json))

    def c_outage_get_own(self, who):
        return Req("/api/v1/outages/%d" % self.mk_outage(self.own, self.demo_carrier()),
                   ok=lambda r: self.assertEqual(r.json["state"], "open"))

    def c_outage_get_other(self, who):
        return Req("/api/v1/outages/%d" % self.mk_outage(self.other))

    def mk_maintenance(self):
        """A window of the demo carrier tomorrow, filed, over the own unit's line."""
        mid = self.db_exec(
            "INSERT INTO maintenances (carrier_id, reason, state, clause, starts_at, ends_at,"
            " created_at, updated_at) VALUES (?, '割接', 'filed', 'MY-1', unixepoch() + 86400,"
            " unixepoch() + 90000, unixepoch(), unixepoch())", (self.demo_carrier(),))
        self.db_exec("INSERT INTO maintenance_lines (maintenance_id, line_id, unit_id)"
                     " SELECT ?, id, unit_id FROM lines WHERE unit_id = ? LIMIT 1",
                     (mid, self.own))
        return mid

    def mk_shift(self, state="planned"):
        return self.db_exec(
            "INSERT INTO duty_shifts (day, shift, user_id, state, created_at, updated_at)"
            " VALUES ('2026-12-03', '白班', (SELECT id FROM users WHERE username = 'ops'), ?,"
            " unixepoch(), unixepoch())", (state,))

    def c_duty_list(self, who):
        self.mk_shift()
        return Req("/api/v1/duty", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_duty_create(self, who):
        ops = self.one("SELECT id FROM users WHERE username = 'ops'")[0]
        return Req("/api/v1/duty", body={"day": "2026-12-04", "shift": "夜班", "user_id": ops},
                   delta={"duty_shifts": 1, "case_events": 1, "audit": 1, "outbox": 1},
                   audit=("duty_shift.plan", "duty_shift"),
                   ok=lambda r: self.assertEqual(r.json["state"], "planned"))

    def c_duty_get(self, who):
        return Req("/api/v1/duty/%d" % self.mk_shift(),
                   ok=lambda r: self.assertEqual(r.json["entries"], []))

    def c_duty_log(self, who):
        self.mk_shift()
        return Req("/api/v1/duty/log?day=2026-12-03",
                   ok=lambda r: self.assertIn("白班　值班人：".encode(), r.raw))

    def c_duty_take_over(self, who):
        sid = self.mk_shift()
        return Req("/api/v1/duty/%d/transitions" % sid, body={"action": "take_over"},
                   delta={"case_events": 1, "audit": 1, "outbox": 1},
                   audit=("duty_shift.take_over", "duty_shift"),
                   ok=lambda r: self.assertEqual(r.json["state"], "on_duty"),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT state FROM duty_shifts WHERE id = ?", (sid,)), ("planned",)))

    def c_duty_entries_list(self, who):
        sid = self.mk_shift("on_duty")
        self.db_exec("INSERT INTO duty_entries (shift_id, at, seen, recorded_by, created_at,"
                     " updated_at) VALUES (?, unixepoch(), '一切正常', 'ops', unixepoch(),"
                     " unixepoch())", (sid,))
        return Req("/api/v1/duty/%d/entries" % sid, ok=lambda r: self.assertTrue(r.json["items"]))

    def c_duty_entry_create(self, who):
        sid = self.mk_shift("on_duty")
        return Req("/api/v1/duty/%d/entries" % sid, body={"seen": "出口带宽占用 60%"},
                   delta={"duty_entries": 1, "audit": 1},
                   audit=("duty_entry.create", "duty_entry"),
                   ok=lambda r: self.assertEqual(r.json["seen"], "出口带宽占用 60%"))

    def mk_change(self, unit_id):
        return self.db_exec(
            "INSERT INTO changes (unit_id, kind, subject, description, emergency_measures,"
            " rollback_plan, planned_at, state, created_at, updated_at) VALUES (?, 'system',"
            " '公文系统', '升级数据库', '停机前备份', '恢复备份', unixepoch() + 86400,"
            " 'submitted', unixepoch(), unixepoch())", (unit_id,))

    def c_changes_list(self, who):
        self.mk_change(self.own)
        return Req("/api/v1/changes", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_change_create(self, who):
        planned = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        return Req("/api/v1/changes",
                   body={"unit_id": self.own, "kind": "device", "subject": "接入交换机",
                         "description": "升级固件", "planned_at": planned},
                   delta={"changes": 1, "case_events": 1, "audit": 1, "outbox": 1},
                   audit=("change.submit", "change"),
                   ok=lambda r: self.assertEqual(r.json["state"], "submitted"))

    def c_change_get_other(self, who):
        return Req("/api/v1/changes/%d" % self.mk_change(self.other))

    def c_change_approve(self, who):
        cid = self.mk_change(self.own)
        return Req("/api/v1/changes/%d/transitions" % cid, body={"action": "approve"},
                   delta={"case_events": 1, "audit": 1, "outbox": 1},
                   audit=("change.approve", "change"),
                   ok=lambda r: self.assertEqual(r.json["state"], "approved"),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT state FROM changes WHERE id = ?", (cid,)), ("submitted",)))

    def mk_plan(self, unit_id, state="draft"):
        return self.db_exec(
            "INSERT INTO plans (unit_id, kind, title, scope, measures, state, created_at,"
            " updated_at) VALUES (?, 'emergency', '网络突发事件应急预案', '本单位局域网',"
            " '断开网线并报告', ?, unixepoch(), unixepoch())", (unit_id, state))

    def c_plans_list(self, who):
        self.mk_plan(self.own)
        return Req("/api/v1/plans", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_plan_create(self, who):
        return Req("/api/v1/plans",
                   body={"unit_id": self.own, "kind": "emergency", "title": "网络突发事件应急预案",
                         "scope": "本单位局域网", "measures": "断开网线并报告县信息中心"},
                   delta={"plans": 1, "case_events": 1, "audit": 1, "outbox": 1},
                   audit=("plan.draft", "plan"),
                   ok=lambda r: self.assertEqual(r.json["state"], "draft"))

    def c_plans_missing(self, who):
        return Req("/api/v1/plans/missing", ok=lambda r: self.assertIn("items", r.json))

    def c_plan_get_other(self, who):
        return Req("/api/v1/plans/%d" % self.mk_plan(self.other))

    def c_plan_publish(self, who):
        pid = self.mk_plan(self.own)
        return Req("/api/v1/plans/%d/transitions" % pid, body={"action": "publish"},
                   delta={"case_events": 1, "audit": 1, "outbox": 1},
                   audit=("plan.publish", "plan"),
                   ok=lambda r: self.assertEqual(r.json["state"], "in_force"),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT state FROM plans WHERE id = ?", (pid,)), ("draft",)))

    def c_plan_drills_list(self, who):
        return Req("/api/v1/plans/%d/drills" % self.mk_plan(self.own, "in_force"),
                   ok=lambda r: self.assertEqual(r.json["items"], []))

    def c_plan_drill_create(self, who):
        pid = self.mk_plan(self.own, "in_force")
        return Req("/api/v1/plans/%d/drills" % pid,
                   body={"drilled_on": "2026-11-28", "scenario": "终端中病毒",
                         "participants": "本单位网络管理员", "result": "10 分钟断网隔离"},
                   delta={"plan_drills": 1, "audit": 1},
                   audit=("plan_drill.create", "plan_drill"),
                   ok=lambda r: self.assertEqual(r.json["scenario"], "终端中病毒"))

    def c_maintenance_list(self, who):
        self.mk_maintenance()
        return Req("/api/v1/maintenance", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_maintenance_create(self, who):
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        end = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 90000))
        return Req("/api/v1/maintenance",
                   body={"carrier_id": self.demo_carrier(), "starts_at": start, "ends_at": end,
                         "reason": "光缆割接", "unit_ids": [self.own]},
                   delta={"maintenances": 1, "maintenance_lines": 1, "case_events": 1,
                          "audit": 1, "outbox": 1},
                   audit=("maintenance.file", "maintenance"),
                   ok=lambda r: self.assertEqual(r.json["state"], "filed"))

    def c_maintenance_get(self, who):
        mid = self.mk_maintenance()
        return Req("/api/v1/maintenance/%d" % mid,
                   ok=lambda r: self.assertEqual(len(r.json["lines"]), 1))

    def c_maintenance_approve(self, who):
        mid = self.mk_maintenance()
        return Req("/api/v1/maintenance/%d/transitions" % mid, body={"action": "approve"},
                   delta={"case_events": 1, "audit": 1, "outbox": 2},
                   audit=("maintenance.approve", "maintenance"),
                   ok=lambda r: self.assertEqual(r.json["state"], "approved"),
                   same=lambda: self.assertEqual(self.one(
                       "SELECT state FROM maintenances WHERE id = ?", (mid,)), ("filed",)))

    def c_tickets_sla(self, who):
        self.mk_ticket(self.own, self.demo_carrier())
        month = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))
        return Req("/api/v1/tickets/sla?month=" + month,
                   ok=lambda r: self.assertTrue(r.json["rows"]))

    def c_ticket_create(self, who):
        return Req("/api/v1/tickets",
                   body={"unit_id": self.own, "location": "backbone", "summary": "无法上网"},
                   delta={"tickets": 1, "case_events": 1, "audit": 1, "outbox": 1},
                   audit=("ticket.report", "ticket"),
                   ok=lambda r: self.assertEqual(r.json["state"], "reported"))

    def c_ticket_get_own(self, who):
        tid = self.mk_ticket(self.own, self.demo_carrier())
        return Req("/api/v1/tickets/%d" % tid,
                   ok=lambda r: self.assertEqual(r.json["state_label"], "已派单"))

    def c_ticket_paper(self, who):
        tid = self.mk_ticket(self.own, self.demo_carrier())
        return Req("/api/v1/tickets/%d/paper" % tid,
                   ok=lambda r: self.assertIn("故障工单".encode(), r.raw))

    def c_ticket_get_other(self, who):
        return Req("/api/v1/tickets/%d" % self.mk_ticket(self.other))

    def c_ticket_dispatch(self, who):
        tid = self.mk_ticket(self.own)
        return Req("/api/v1/tickets/%d/transitions" % tid, body={"action": "dispatch"},
                   delta={"case_events": 1, "audit": 1, "outbox": 1},
                   audit=("ticket.dispatch", "ticket"),
                   ok=lambda r: self.assertEqual(r.json["carrier_id"], self.demo_carrier()),
                   same=self.ticket_is(tid, "reported"))

    def c_ticket_respond(self, who):
        tid = self.mk_ticket(self.own, self.demo_carrier())
        return Req("/api/v1/tickets/%d/transitions" % tid, body={"action": "respond"},
                   delta={"case_events": 1, "audit": 1, "outbox": 1},
                   audit=("ticket.respond", "ticket"),
                   ok=lambda r: self.assertEqual(r.json["state"], "repairing"),
                   same=self.ticket_is(tid, "dispatched"))

    def c_violations_list(self, who):
        self.mk_violation(self.own)
        return Req("/api/v1/violations", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_violation_create(self, who):
        return Req("/api/v1/violations",
                   body={"unit_id": self.own, "behaviour": "device_tamper",
                         "detail": "检查发现接入交换机配置被改动"},
                   delta={"violations": 1, "violation_events": 1, "audit": 1, "outbox": 1},
                   audit=("violation.open", "violation"),
                   ok=lambda r: self.assertEqual((r.json["sanction"], r.json["sanction_clause"]),
                                                 ("criticize", "MY-24")))

    def c_violation_get_own(self, who):
        vid = self.mk_violation(self.own)
        return Req("/api/v1/violations/%d" % vid,
                   ok=lambda r: self.assertEqual(r.json["ladder"][0]["code"], "criticize"))

    def c_violation_get_other(self, who):
        return Req("/api/v1/violations/%d" % self.mk_violation(self.other))

    def violation_is(self, vid, state):
        return lambda: self.assertEqual(
            self.one("SELECT state FROM violations WHERE id = ?", (vid,)), (state,))

    def c_violation_notify(self, who):
        vid = self.mk_violation(self.own)
        return Req("/api/v1/violations/%d/transitions" % vid, body={"action": "notify"},
                   delta={"violation_events": 1, "audit": 1, "outbox": 1},
                   audit=("violation.notify", "violation"),
                   ok=lambda r: self.assertEqual(r.json["state"], "notified"),
                   same=self.violation_is(vid, "open"))

    def c_enforcement_get(self, who):
        self.db_exec("INSERT INTO isolations (violation_id, unit_id, kind, value, created_at)"
                     " VALUES (?, ?, 'mac', '00:16:3e:00:00:ee', unixepoch())",
                     (self.mk_violation(self.own), self.own))
        return Req("/api/v1/enforcement?detail=1",
                   ok=lambda r: self.assertIn("00:16:3e:00:00:ee", r.json["sets"]["mac"]))

    def c_violation_acl(self, who):
        vid = self.mk_violation(self.own)
        self.db_exec("INSERT INTO isolations (violation_id, unit_id, kind, value, created_at)"
                     " VALUES (?, ?, 'ip4', '10.99.0.1', unixepoch())", (vid, self.own))
        return Req("/api/v1/violations/%d/acl?vendor=ios" % vid,
                   ok=lambda r: self.assertIn(b"deny ip host 10.99.0.1 any", r.raw))

    def c_violation_notice(self, who):
        vid = self.mk_violation(self.own)
        self.db_exec("UPDATE violations SET state = 'notified' WHERE id = ?", (vid,))
        return Req("/api/v1/violations/%d/notice" % vid,
                   ok=lambda r: self.assertIn("违规处理通知书".encode(), r.raw))

    def radius_req(self, path):
        mac = self._admin("GET", "/api/v1/terminals/%d" % self.mk_terminal(self.own),
                          status=200)["mac"]
        return Req(path, body={"Calling-Station-Id": {"type": "string", "value": [mac]}},
                   ok=lambda r: self.assertEqual(r.json["reply:Reply-Message"], "已登记终端"))

    def c_radius_authorize(self, who):
        return self.radius_req("/api/v1/radius/authorize")

    def c_radius_post_auth(self, who):
        return self.radius_req("/api/v1/radius/post-auth")

    def c_enforcement_report(self, who):
        return Req("/api/v1/enforcement/report",
                   body={"name": "gw", "generation": 1, "ok": True, "applied": {}})

    def c_violation_escalate(self, who):
        vid = self.mk_violation(self.own)
        return Req("/api/v1/violations/%d/transitions" % vid,
                   body={"action": "escalate", "reason": "情节严重"},
                   same=self.violation_is(vid, "open"))

    def c_deadlines_list(self, who):
        self.mk_deadline(self.own)
        return Req("/api/v1/deadlines?status=running",
                   ok=lambda r: self.assertTrue(r.json["items"]))

    def c_deadline_get_own(self, who):
        did = self.mk_deadline(self.own)
        return Req("/api/v1/deadlines/%d" % did,
                   ok=lambda r: self.assertEqual(r.json["unit_id"], self.own))

    def c_deadline_get_other(self, who):
        did = self.mk_deadline(self.other)
        return Req("/api/v1/deadlines/%d" % did,
                   ok=lambda r: self.assertEqual(r.json["unit_id"], self.other))

    def c_deadline_pause(self, who):
        did = self.mk_deadline(self.own)
        return Req("/api/v1/deadlines/%d/pause" % did, body={"reason": "使用单位机房未完工"},
                   delta={"audit": 1, "deadline_pauses": 1}, audit=("deadline.pause", "deadline"),
                   ok=lambda r: self.assertEqual(r.json["status"], "paused"),
                   same=self.deadline_is(did, "running"))

    def c_deadline_resume(self, who):
        did = self.mk_deadline(self.own, "paused")
        self.db_exec("INSERT INTO deadline_pauses (deadline_id, started_at, reason, paused_by)"
                     " VALUES (?, unixepoch(), '夹具', 'admin')", (did,))
        return Req("/api/v1/deadlines/%d/resume" % did, delta={"audit": 1},
                   audit=("deadline.resume", "deadline"),
                   ok=lambda r: self.assertEqual(r.json["status"], "running"),
                   same=self.deadline_is(did, "paused"))

    def mk_application(self, unit_id):
        r = self.srv.as_("admin", "POST", "/api/v1/applications", self.interconnect_body(unit_id))
        assert r.status == 201, r
        return r.json["id"]

    def interconnect_body(self, unit_id):
        return {"kind": "interconnect", "unit_id": unit_id, "network_name": "专网" + uniq(),
                "interconnect_type": "整合迁移", "plan": "迁移至政务外网"}

    def app_is(self, aid, status):
        return lambda: self.assertEqual(
            self.srv.sql("SELECT status FROM applications WHERE id = ?", (aid,))[0][0], status)

    def c_applications_list(self, who):
        self.mk_application(self.own)
        return Req("/api/v1/applications", ok=lambda r: self.assertTrue(r.json["items"]))

    def c_application_submit(self, who):
        return Req("/api/v1/applications", body=self.interconnect_body(self.own),
                   delta={"applications": 1, "application_events": 1, "audit": 1, "outbox": 1},
                   audit=("application.submit", "application"),
                   ok=lambda r: self.assertEqual(r.json["status"], "已提交"))

    def c_application_get_own(self, who):
        aid = self.mk_application(self.own)
        return Req("/api/v1/applications/%d" % aid,
                   ok=lambda r: self.assertEqual(r.json["events"][0]["action"], "submit"))

    def c_application_get_other(self, who):
        aid = self.mk_application(self.other)
        return Req("/api/v1/applications/%d" % aid,
                   ok=lambda r: self.assertEqual(r.json["unit_id"], self.other))

    def c_application_approve(self, who):
        aid = self.mk_application(self.own)
        return Req("/api/v1/applications/%d/transitions" % aid, body={"action": "approve"},
                   delta={"application_events": 1, "audit": 1, "outbox": 1},
                   audit=("application.approve", "application"),
                   ok=lambda r: self.assertEqual(r.json["status"], "已批准"),
                   same=self.app_is(aid, "已提交"))

    def c_application_withdraw(self, who):
        aid = self.mk_application(self.own)
        return Req("/api/v1/applications/%d/transitions" % aid, body={"action": "withdraw"},
                   delta={"application_events": 1, "audit": 1, "outbox": 1},
                   audit=("application.withdraw", "application"),
                   ok=lambda r: self.assertEqual(r.json["status"], "已撤回"),
                   same=self.app_is(aid, "已提交"))

    def c_application_form_own(self, who):
        aid = self.mk_application(self.own)
        return Req("/api/v1/applications/%d/form" % aid,
                   ok=lambda r: self.assertIn("业务专网互联申请表".encode(), r.raw))

    def c_application_form_other(self, who):
        aid = self.mk_application(self.other)
        return Req("/api/v1/applications/%d/form?format=pdf" % aid,
                   ok=lambda r: self.assertTrue(r.raw.startswith(b"%PDF-")))

    def c_application_notice_own(self, who):
        aid = self.mk_application(self.own)
        r = self.srv.as_("authority", "POST", "/api/v1/applications/%d/transitions" % aid,
                         {"action": "approve"})
        self.assertEqual(r.status, 200, r)
        return Req("/api/v1/applications/%d/notice" % aid,
                   ok=lambda r: self.assertIn("审核通过通知书".encode(), r.raw))

    def c_agreement_document_own(self, who):
        return Req("/api/v1/units/%d/agreement-documents/%s"
                   % (self.own, self.unit_kind or "confidentiality"),
                   ok=lambda r: self.assertIn(self.unit_name(self.own).encode(), r.raw))

    def c_agreement_document_other(self, who):
        return Req("/api/v1/units/%d/agreement-documents/%s?format=pdf"
                   % (self.other, self.unit_kind or "confidentiality"),
                   ok=lambda r: self.assertTrue(r.raw.startswith(b"%PDF-")))

    def unit_name(self, uid):
        return self.srv.sql("SELECT name FROM units WHERE id = ?", (uid,))[0][0]

    def c_schemas(self, who):
        return Req("/api/v1/schemas",
                   ok=lambda r: self.assertEqual(r.json["contact"]["fields"][3]["label"], "姓名"))

    def c_ports_export(self, who):
        return Req("/api/v1/exports/ports?format=nftables",
                   ok=lambda r: self.assertIn(b"table inet zwnet_ports", r.raw))

    def mk_message(self, user_id):
        ob = self.db_exec("INSERT INTO outbox (created_at, kind, payload, inbox_at) VALUES"
                          " (unixepoch(), 'test', '{}', unixepoch())")
        return self.db_exec("INSERT INTO inbox (user_id, outbox_id, created_at, kind, title, body)"
                            " VALUES (?, ?, unixepoch(), 'test', '测试消息', '正文')",
                            (user_id, ob))

    def read_at(self, mid):
        return self.srv.sql("SELECT read_at FROM inbox WHERE id = ?", (mid,))[0][0]

    def c_inbox_list(self, who):
        mine = self.mk_message(self.uid.get(who, self.uid["manager"]))
        theirs = self.mk_message(self.uid["auditor" if who != "auditor" else "manager"])

        def ok(r):
            ids = [m["id"] for m in r.json["items"]]
            self.assertIn(mine, ids)
            self.assertNotIn(theirs, ids)
        return Req("/api/v1/inbox", ok=ok)

    def c_inbox_read_own(self, who):
        mid = self.mk_message(self.uid.get(who, self.uid["manager"]))
        return Req("/api/v1/inbox/%d/read" % mid, ok=lambda r: self.assertGreater(self.read_at(mid), 0),
                   same=lambda: self.assertEqual(self.read_at(mid), 0))

    def c_inbox_read_others(self, who):
        mid = self.mk_message(self.uid["auditor" if who != "auditor" else "manager"])
        return Req("/api/v1/inbox/%d/read" % mid, same=lambda: self.assertEqual(self.read_at(mid), 0))

    def c_inbox_read_all(self, who):
        mine = self.mk_message(self.uid.get(who, self.uid["manager"]))
        theirs = self.mk_message(self.uid["auditor" if who != "auditor" else "manager"])

        def ok(r):
            self.assertGreaterEqual(r.json["read"], 1)
            self.assertGreater(self.read_at(mine), 0)
            self.assertEqual(self.read_at(theirs), 0)

        return Req("/api/v1/inbox/read", ok=ok, same=lambda: self.assertEqual(self.read_at(mine), 0))

    def c_mail_prefs_get(self, who):
        return Req("/api/v1/session/mail", ok=lambda r: self.assertIn("available", r.json))

    def c_mail_prefs_put(self, who):
        addr = "%s-%d@xxzx.example.cn" % (who, len(self.srv.sql("SELECT id FROM audit")))

        def mine():
            return self.srv.sql("SELECT email FROM users WHERE id = ?",
                                (self.uid.get(who, self.uid["manager"]),))[0][0]

        return Req("/api/v1/session/mail", body={"email": addr, "topics": ["violation"]},
                   delta={"audit": 1}, audit=("user.mail_prefs", "user"),
                   ok=lambda r: self.assertEqual(mine(), addr))

    def run_cell(self, case, who):
        name, method = case[0], case[1]
        want = self.expected(case, who)
        want_field = None
        if name.startswith("agreement_create") and want == 201 and not self.unit_kind:
            # Authorised, but this county's regulation defines no agreement a unit signs:
            # the request must get past authorisation and be refused for its kind.
            want, want_field = 400, "kind"
        if name.startswith("agreement_document") and want == 200 and not self.template:
            # Authorised, but there is no such agreement (404) or no template for it (422).
            want, want_field = (422 if self.unit_kind else 404), "kind"
        req = getattr(self, "c_" + name)(who)
        token = req.token
        if token is None and who != "anon":
            token = self.srv.login(USERS[who])
        before = self.srv.counts()
        r = self.srv.request(method, req.path, req.body, token=token, headers=req.headers,
                             raw=req.raw)
        after = self.srv.counts()
        if want >= 400:
            self.assertError(r, want, code=ERROR_CODES[want], field=want_field)
            self.assertEqual(after, before, "a refused request changed the database: %r" % r)
            if req.same:
                req.same()
            return
        self.assertEqual(r.status, want, r)
        delta = {k: after[k] - before[k] for k in after if after[k] != before[k]}
        self.assertEqual(delta, req.delta, "row counts changed by %r, expected %r" % (delta, req.delta))
        if req.audit:
            actor = req.actor or USERS.get(who, "admin")
            row = self.srv.sql("SELECT actor, role, action, object_type FROM audit ORDER BY id DESC"
                               " LIMIT 1")[0]
            role = who if who != "anon" else "manager"
            self.assertEqual(row, (actor, role, req.audit[0], req.audit[1]))
        if req.ok:
            req.ok(r)


# ---- the simple kinds' cases, generated ----

def _simple_body(self, kind, unit):
    n = uniq()
    if kind == "carrier":
        return {"name": "运营商" + n, "service_phone": "10000"}
    if kind == "line":
        return {"carrier_id": self.carrier_id(), "unit_id": unit, "circuit_id": "XL-" + n,
                "bandwidth_mbps": 100, "payer": "管理单位", "status": "在用"}
    if kind == "device":
        return {"name": "设备" + n, "kind": "交换机", "owner": "使用单位", "unit_id": unit,
                "snmp_version": "v2c", "snmp_community": "secret" + n}
    if kind == "domain_name":
        return {"unit_id": unit, "name": "d%s.example.gov.cn" % n}
    return {"unit_id": unit, "protocol": "tcp", "port": 1 + int(n) % 65000, "target_ip": "10.250.%d.%d"
            % (int(n) % 250, int(n) // 250 % 250), "purpose": "门户网站"}


def _carrier_id(self):
    if not getattr(type(self), "_carrier", None):
        type(self)._carrier = self._admin("POST", "/api/v1/carriers", {"name": "矩阵运营商" + uniq()})["id"]
    return type(self)._carrier


def _mk_simple(self, kind, path, unit):
    return self._admin("POST", path, _simple_body(self, kind, unit))["id"]


def _simple_cases(kind, path, table, scoped):
    def c_list(self, who):
        _mk_simple(self, kind, path, self.own)
        _mk_simple(self, kind, path, self.other)

        def ok(r):
            self.assertTrue(r.json["items"])
            if scoped and who == "unit_admin":
                self.assertEqual({x["unit_id"] for x in r.json["items"]}, {self.own})

        return Req(path + "?limit=500", ok=ok)

    def c_create(self, who):
        body = _simple_body(self, kind, self.own)
        return Req(path, body=body, delta={table: 1, "audit": 1}, audit=(kind + ".create", kind))

    def c_get_own(self, who):
        i = _mk_simple(self, kind, path, self.own)
        return Req("%s/%d" % (path, i), ok=lambda r: self.assertEqual(r.json["id"], i))

    def c_get_other(self, who):
        i = _mk_simple(self, kind, path, self.other)
        return Req("%s/%d" % (path, i), ok=lambda r: self.assertEqual(r.json["id"], i))

    def c_patch(self, who):
        i = _mk_simple(self, kind, path, self.own)
        return Req("%s/%d" % (path, i), body={"note": "矩阵" + uniq()}, delta={"audit": 1},
                   audit=(kind + ".update", kind), same=self._same_row(table, i))

    def c_delete(self, who):
        i = _mk_simple(self, kind, path, self.own)
        return Req("%s/%d" % (path, i), delta={table: -1, "audit": 1}, audit=(kind + ".delete", kind),
                   same=self._same_row(table, i))

    cases = {"list": c_list, "create": c_create, "get_own": c_get_own, "patch": c_patch,
             "delete": c_delete}
    if scoped:
        cases["get_other"] = c_get_other
    for suffix, fn in cases.items():
        setattr(RoleMatrix, "c_%s_%s" % (kind, suffix), fn)


RoleMatrix.carrier_id = _carrier_id
for _k, _p, _t, _scoped in SIMPLE_KINDS:
    _simple_cases(_k, _p, _t, _scoped)


def build_matrix(cls):
    """Add one test per (case, principal) to cls."""
    wanted = cls.cases
    for case in MATRIX:
        if wanted is not None and case[0] not in wanted:
            continue
        for who in cls.principals:
            def test(self, case=case, who=who):
                self.run_cell(case, who)
            test.__name__ = "test_%s__%s" % (case[0], who)
            test.__doc__ = "%s %s as %s -> %d" % (case[1], case[2], who,
                                                  dict(zip(COLUMNS, map(int, case[3].split())))[who])
            setattr(cls, test.__name__, test)
    return cls


@build_matrix
class RolesMiyun(RoleMatrix, ServerTest):
    profile = "miyun"
    extra = ("--scheduler-interval", "0")  # no fan-out to the inbox while a cell counts rows
    unit_kind = None  # 密云县 defines no agreement a unit signs

    def test_matrix_covers_every_route(self):
        """Each route of src/api/routes.c has a row in the matrix and the matrix has no other."""
        with open(ROUTES_C, encoding="utf-8") as f:
            src = f.read()
        table = src[src.index("const struct route routes[]"):src.index("const size_t nroutes")]
        routes = set(re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', table))
        self.assertGreater(len(routes), 30)
        covered = {(m, p) for _, m, p, _ in MATRIX}
        self.assertEqual(routes - covered, set(), "routes without a row in the matrix")
        self.assertEqual(covered - routes, set(), "matrix rows for routes that do not exist")
        for case in MATRIX:
            self.assertEqual(len(case[3].split()), len(COLUMNS), case)
            self.assertTrue(hasattr(self, "c_" + case[0]), case)

    def test_whoami_permissions_agree_with_matrix(self):
        """The hand-written AUTHZ copy and the matrix say the same thing for the unit routes."""
        act_for = {"unit_get_own": "UNIT_READ", "contacts_list_own": "CONTACT_READ",
                   "agreements_list_own": "AGREEMENT_READ", "unit_create": "UNIT_CREATE",
                   "contact_create_own": "CONTACT_WRITE", "agreement_create_own": "AGREEMENT_WRITE",
                   "users_list": "USER_READ", "user_create": "USER_ADMIN", "audit_list": "AUDIT_READ",
                   "unit_patch_own": "UNIT_UPDATE", "unit_status_own": "UNIT_STATUS",
                   "tokens_list_all": "TOKEN_ADMIN", "profile": "PROFILE_READ",
                   "token_create": "TOKEN_SELF", "prefixes_list": "IPAM_READ",
                   "prefix_create": "IPAM_WRITE", "terminals_list": "TERMINAL_READ",
                   "terminal_create_own": "TERMINAL_WRITE"}
        rows = {c[0]: c for c in MATRIX}
        for case, action in act_for.items():
            for i, role in enumerate(COLUMNS[:-1]):
                allowed = self.expected(rows[case], role) < 400
                self.assertEqual(allowed, AUTHZ[action][i] != _N, (case, role))

    def test_unit_admin_unit_list_only_ever_own_unit(self):
        """No query, filter, sort, page size or cursor shows a unit_admin another unit."""
        own = self.srv.as_("admin", "GET", "/api/v1/units/%d" % self.own).json
        other = self.srv.as_("admin", "GET", "/api/v1/units/%d" % self.other).json
        page = self.srv.as_("admin", "GET", "/api/v1/units?limit=1").json
        self.assertTrue(page["next_cursor"])
        before = self.srv.counts()
        qt = urllib.parse.quote
        queries = ["", "?limit=1", "?limit=500", "?sort=-id", "?sort=name", "?sort=-updated_at",
                   "?sort=status", "?q=" + qt(own["name"][:2]), "?status=" + qt(own["status"]),
                   "?level=" + qt(own["level"]), "?type=" + qt(own["type"]),
                   "?limit=1&cursor=" + page["next_cursor"]]
        for q in queries:
            r = self.srv.as_("unit", "GET", "/api/v1/units" + q)
            self.assertEqual(r.status, 200, (q, r))
            self.assertEqual([u["id"] for u in r.json["items"]], [self.own], (q, r))
            self.assertIsNone(r.json["next_cursor"], q)
        # Filters that match only other units give an empty page, never the other units.
        for q in ["?q=" + qt(other["name"]), "?status=" + qt("申请中"),
                  "?level=" + qt("核心机房"), "?parent_id=%d" % self.other]:
            r = self.srv.as_("unit", "GET", "/api/v1/units" + q)
            self.assertEqual(r.status, 200, (q, r))
            self.assertEqual({u["id"] for u in r.json["items"]} - {self.own}, set(), (q, r))
        self.assertEqual(self.srv.counts(), before)

    def test_unit_admin_reaches_nothing_of_another_unit(self):
        """Every unit-scoped route with another unit's id answers the unit_admin 404 (or 403
        where the role has no such right at all), and reveals nothing."""
        before = self.srv.counts()
        o = self.other
        aid = self.scanned[o]
        cid = self.srv.sql("SELECT id FROM contacts WHERE unit_id = ? LIMIT 1", (o,))[0][0]
        probes = [
            ("GET", "/api/v1/units/%d" % o, None, 404),
            ("GET", "/api/v1/units/%d/history" % o, None, 404),
            ("GET", "/api/v1/units/%d/contacts" % o, None, 404),
            ("GET", "/api/v1/units/%d/agreements" % o, None, 404),
            ("GET", "/api/v1/units/%d/agreements/%d" % (o, aid), None, 404),
            ("GET", "/api/v1/units/%d/agreements/%d/scan" % (o, aid), None, 404),
            ("POST", "/api/v1/units/%d/contacts" % o,
             {"role": "技术联系人", "name": "越权", "mobile": "13800001111"}, 404),
            ("PATCH", "/api/v1/units/%d/contacts/%d" % (o, cid), {"name": "越权"}, 404),
            ("DELETE", "/api/v1/units/%d/contacts/%d" % (o, cid), None, 404),
            ("PATCH", "/api/v1/units/%d/agreements/%d" % (o, aid), {"signatories": "越权"}, 404),
            ("DELETE", "/api/v1/units/%d/agreements/%d" % (o, aid), None, 404),
            ("PATCH", "/api/v1/units/%d" % o, {"note": "越权"}, 403),
            ("POST", "/api/v1/units/%d/status" % o, {"status": "暂停", "reason": "越权"}, 403),
            # own unit in the URL, the other unit's child object
            ("PATCH", "/api/v1/units/%d/contacts/%d" % (self.own, cid), {"name": "越权"}, 404),
            ("GET", "/api/v1/units/%d/agreements/%d" % (self.own, aid), None, 404),
            ("GET", "/api/v1/units/%d/agreements/%d/scan" % (self.own, aid), None, 404),
        ]
        for method, path, body, want in probes:
            r = self.srv.as_("unit", method, path, body)
            self.assertError(r, want, code=ERROR_CODES[want])
            # The answer must not carry the other unit's data.
            other_name = self.srv.sql("SELECT name FROM units WHERE id = ?", (o,))[0][0]
            self.assertNotIn(other_name.encode(), r.raw, (method, path))
        r = self.srv.as_("unit", "PUT", "/api/v1/units/%d/agreements/%d/scan?filename=x.pdf" % (o, aid),
                         raw=b"%PDF-1.4 x", headers={"Content-Type": "application/pdf"})
        self.assertError(r, 404, code="not_found")
        # A missing unit and another unit's unit look the same.
        a = self.srv.as_("unit", "GET", "/api/v1/units/%d" % o)
        b = self.srv.as_("unit", "GET", "/api/v1/units/999999")
        self.assertEqual((a.status, a.json["error"]["code"]), (b.status, b.json["error"]["code"]))
        self.assertEqual(self.srv.counts(), before)

    def test_bad_credentials_are_anonymous(self):
        """A garbage, malformed, logged-out or revoked credential is refused like none at all."""
        tok = self.fresh_session("admin")
        r = self.srv.request("DELETE", "/api/v1/session", token=tok)
        self.assertEqual(r.status, 204, r)
        t = self.srv.as_("admin", "POST", "/api/v1/tokens", {"name": "revoked-" + uniq()}).json
        self.assertEqual(self.srv.as_("admin", "DELETE", "/api/v1/tokens/%d" % t["id"]).status, 204)
        before = self.srv.counts()
        creds = [{"Authorization": "Bearer " + tok}, {"Authorization": "Bearer " + t["token"]},
                 {"Authorization": "Bearer zws_" + "A" * 43}, {"Authorization": "Bearer "},
                 {"Authorization": "Basic YWRtaW46VGVzdDIwMjZwYXNz"},
                 {"Authorization": "Bearer " + "x" * 5000},
                 {"Cookie": "zwnet_session=zws_nonsense"}]
        for h in creds:
            for method, path, body in (("GET", "/api/v1/units", None),
                                       ("POST", "/api/v1/units",
                                        {"name": "无权" + uniq(), "type": "其他", "level": "县直"})):
                r = self.srv.request(method, path, body, headers=h)
                self.assertError(r, 401, code="unauthenticated")
        self.assertEqual(self.srv.counts(), before)

    def test_cookie_session_writes_need_csrf_token(self):
        """A session sent as the cookie may read, but writes need X-CSRF-Token."""
        r = self.srv.request("POST", "/api/v1/session", {"username": "admin", "password": PASSWORD})
        cookie = {"Cookie": "zwnet_session=" + r.json["token"]}
        csrf = r.json["csrf_token"]
        self.assertEqual(self.srv.request("GET", "/api/v1/units?limit=1", headers=cookie).status, 200)
        before = self.srv.counts()
        body = {"name": "CSRF测试" + uniq(), "type": "其他", "level": "县直"}
        for extra in ({}, {"X-CSRF-Token": "0" * len(csrf)}, {"X-CSRF-Token": csrf[:-1]}):
            r = self.srv.request("POST", "/api/v1/units", body, headers=dict(cookie, **extra))
            self.assertError(r, 403, code="csrf", field="X-CSRF-Token")
        self.assertEqual(self.srv.counts(), before)
        r = self.srv.request("POST", "/api/v1/units", body, headers=dict(cookie, **{"X-CSRF-Token": csrf}))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM units WHERE name = ?", (body["name"],)),
                         [(1,)])


@build_matrix
class RolesJiaxian(RoleMatrix, ServerTest):
    """The agreement documents in the county whose regulation annexes their templates."""

    profile = "jiaxian"
    unit_kind = "confidentiality"
    template = True
    principals = [c for c in COLUMNS if c != "authority"]
    cases = {"agreement_document_own", "agreement_document_other"}


@build_matrix
class RolesLuoning(RoleMatrix, ServerTest):
    """The agreement rows again, in a county whose regulation has a unit agreement."""

    profile = "luoning"
    unit_kind = "security_commitment"
    principals = [c for c in COLUMNS if c != "authority"]  # no authority organisation here
    cases = {c[0] for c in MATRIX if "agreement" in c[0] or c[0].startswith("scan_")}

    def test_unit_admin_missing_list_is_own_unit_only(self):
        """The 补签 backlog: the manager sees every connected unit lacking the agreement, the
        unit_admin exactly its own unit and nothing of the others."""
        # Make the unit_admin's unit lack the agreement for the length of this test (the
        # matrix's fixtures live there too, so they are relabelled and put back, not deleted).
        ids = [i for (i,) in self.srv.sql("SELECT id FROM agreements WHERE unit_id = ? AND kind = ?",
                                          (self.own, self.unit_kind))]
        marks = ",".join("?" * len(ids))
        self.db_exec("UPDATE agreements SET kind = 'hidden' WHERE id IN (%s)" % marks, ids)
        self.addCleanup(self.db_exec, "UPDATE agreements SET kind = ? WHERE id IN (%s)" % marks,
                        [self.unit_kind] + ids)
        self.db_exec("UPDATE units SET status = '已接入' WHERE id = ?", (self.own,))
        before = self.srv.counts()
        full = self.srv.as_("admin", "GET", "/api/v1/agreements/missing")
        self.assertEqual(full.status, 200, full)
        ids = [i["unit_id"] for i in full.json["items"]]
        self.assertIn(self.own, ids)
        self.assertGreater(len(ids), 1)
        mine = self.srv.as_("unit", "GET", "/api/v1/agreements/missing")
        self.assertEqual(mine.status, 200, mine)
        self.assertEqual([i["unit_id"] for i in mine.json["items"]], [self.own], mine)
        self.assertEqual(mine.json["items"][0]["missing"][0]["kind"], self.unit_kind)
        for i in full.json["items"]:
            if i["unit_id"] != self.own:
                self.assertNotIn(i["unit_name"].encode(), mine.raw)
        self.assertEqual(self.srv.counts(), before)
