/*
 * migrate: numbered schema migrations. migrations[i] takes the schema from version i to i+1
 * (PRAGMA user_version). They run at open, each in its own transaction; a database whose
 * version is above the last one here was written by a newer zwnet and is refused.
 * Never edit a migration that has shipped: add the next one.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/text.h"

static const char *const migrations[] = {
    /* 1: accounts, audit, units, contacts, agreements, blobs */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
    "CREATE TABLE units ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  short_name TEXT NOT NULL DEFAULT '',"
    "  type TEXT NOT NULL CHECK (type IN ('党政机关','事业单位','国有企业','学校','医院','其他')),"
    "  level TEXT NOT NULL CHECK (level IN ('县直','乡镇','村/社区','核心机房')),"
    "  address TEXT NOT NULL DEFAULT '',"
    "  parent_id INTEGER REFERENCES units(id),"
    "  status TEXT NOT NULL CHECK (status IN ('申请中','已接入','暂停','已撤销入网资格','已拆机')),"
    "  status_clause TEXT,"
    "  status_reason TEXT,"
    "  status_at INTEGER NOT NULL,"
    "  connected_on TEXT,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX units_parent ON units(parent_id);"
    "CREATE INDEX units_status ON units(status, id);"
    "CREATE TABLE unit_status_history ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  from_status TEXT,"
    "  to_status TEXT NOT NULL,"
    "  clause TEXT,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  actor TEXT NOT NULL,"
    "  at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX unit_status_history_unit ON unit_status_history(unit_id, id);"
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN "
    "('主要领导','分管领导','网络管理员','技术联系人','安全联系人')),"
    "  name TEXT NOT NULL,"
    "  post TEXT NOT NULL DEFAULT '',"
    "  mobile TEXT NOT NULL,"
    "  email TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX contacts_unit ON contacts(unit_id, id);"
    "CREATE TABLE blobs ("
    "  sha256 TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  data BLOB NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE agreements ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  signed_on TEXT NOT NULL,"
    "  signatories TEXT NOT NULL DEFAULT '',"
    "  scan_sha256 TEXT REFERENCES blobs(sha256),"
    "  scan_name TEXT,"
    "  scan_type TEXT,"
    "  scan_size INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX agreements_unit ON agreements(unit_id, kind);"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  username TEXT NOT NULL UNIQUE,"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  role TEXT NOT NULL CHECK (role IN "
    "('manager','authority','operator','carrier','unit_admin','supervisor','auditor')),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  pwhash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  password_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1,"
    "  CHECK ((role = 'unit_admin') = (unit_id IS NOT NULL))"
    ") STRICT;"
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER,"
    "  last_used_at INTEGER,"
    "  revoked INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  actor_id INTEGER,"
    "  role TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  request_id TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object_type TEXT NOT NULL,"
    "  object_id TEXT NOT NULL,"
    "  unit_id INTEGER,"
    "  before TEXT,"
    "  after TEXT,"
    "  clause TEXT,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX audit_object ON audit(object_type, object_id, id);"
    "CREATE INDEX audit_actor ON audit(actor, id);"
    "CREATE INDEX audit_at ON audit(at, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",

    /* 2: the address plan: zones, VLANs, prefixes, quarantine of released space */
    "CREATE TABLE zones ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  code TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE TABLE vlans ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  vid INTEGER NOT NULL UNIQUE CHECK (vid BETWEEN 1 AND 4094),"
    "  name TEXT NOT NULL,"
    "  zone_id INTEGER REFERENCES zones(id),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX vlans_unit ON vlans(unit_id);"
    "CREATE TABLE prefixes ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  cidr TEXT NOT NULL UNIQUE,"
    "  family INTEGER NOT NULL CHECK (family IN (4, 6)),"
    "  length INTEGER NOT NULL CHECK (length BETWEEN 0 AND 128),"
    "  first BLOB NOT NULL CHECK (length(first) = 16),"
    "  last BLOB NOT NULL CHECK (length(last) = 16),"
    "  parent_id INTEGER REFERENCES prefixes(id),"
    "  status TEXT NOT NULL CHECK (status IN ('container','active','reserved','deprecated')),"
    "  zone_id INTEGER REFERENCES zones(id),"
    "  vlan_id INTEGER REFERENCES vlans(id),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  gateway TEXT,"
    "  dns TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '',"
    "  size TEXT NOT NULL,"
    "  used TEXT NOT NULL DEFAULT '0',"
    "  utilisation REAL NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX prefixes_parent ON prefixes(parent_id, family, first);"
    "CREATE UNIQUE INDEX prefixes_block ON prefixes(family, length, first);"
    "CREATE INDEX prefixes_unit ON prefixes(unit_id);"
    "CREATE INDEX prefixes_zone ON prefixes(zone_id, status);"
    "CREATE TABLE prefix_quarantine ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  parent_id INTEGER NOT NULL REFERENCES prefixes(id) ON DELETE CASCADE,"
    "  cidr TEXT NOT NULL,"
    "  family INTEGER NOT NULL,"
    "  length INTEGER NOT NULL,"
    "  first BLOB NOT NULL,"
    "  last BLOB NOT NULL,"
    "  unit_id INTEGER,"
    "  released_at INTEGER NOT NULL,"
    "  until INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX prefix_quarantine_parent ON prefix_quarantine(parent_id, first);",

    /* 3: terminals */
    "CREATE TABLE terminals ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  mac TEXT NOT NULL UNIQUE,"
    "  ip TEXT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  user_name TEXT NOT NULL DEFAULT '',"
    "  location TEXT NOT NULL DEFAULT '',"
    "  kind TEXT NOT NULL CHECK (kind IN "
    "('计算机','打印机','服务器','摄像头','电话','无线AP','其他')),"
    "  os TEXT NOT NULL DEFAULT '',"
    "  antivirus TEXT NOT NULL DEFAULT '',"
    "  av_signature_date TEXT,"
    "  patch_date TEXT,"
    "  plugin_installed INTEGER NOT NULL DEFAULT 0,"
    "  classified INTEGER NOT NULL DEFAULT 0 CHECK (classified = 0),"
    "  first_seen INTEGER NOT NULL DEFAULT 0,"
    "  last_seen INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX terminals_unit ON terminals(unit_id, id);"
    "CREATE INDEX terminals_ip ON terminals(ip);",

    /* 4: host addresses */
    "CREATE TABLE addresses ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  prefix_id INTEGER NOT NULL REFERENCES prefixes(id),"
    "  address TEXT NOT NULL UNIQUE,"
    "  family INTEGER NOT NULL CHECK (family IN (4, 6)),"
    "  kind TEXT NOT NULL CHECK (kind IN ('静态','地址池','保留','网关')),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  terminal_id INTEGER REFERENCES terminals(id),"
    "  hostname TEXT NOT NULL DEFAULT '',"
    "  mac TEXT,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX addresses_prefix ON addresses(prefix_id);"
    "CREATE INDEX addresses_unit ON addresses(unit_id, id);"
    "CREATE INDEX addresses_mac ON addresses(mac);",

    /* 5: carriers, lines, devices, domain names, ports */
    "CREATE TABLE carriers ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  short_name TEXT NOT NULL DEFAULT '',"
    "  contact_name TEXT NOT NULL DEFAULT '',"
    "  contact_mobile TEXT NOT NULL DEFAULT '',"
    "  service_phone TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE TABLE lines ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  carrier_id INTEGER NOT NULL REFERENCES carriers(id),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  circuit_id TEXT NOT NULL UNIQUE,"
    "  bandwidth_mbps INTEGER NOT NULL CHECK (bandwidth_mbps > 0),"
    "  endpoint_a TEXT NOT NULL DEFAULT '',"
    "  endpoint_b TEXT NOT NULL DEFAULT '',"
    "  payer TEXT NOT NULL CHECK (payer IN ('管理单位','使用单位')),"
    "  status TEXT NOT NULL CHECK (status IN ('在用','停用','已拆除')),"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX lines_unit ON lines(unit_id, id);"
    "CREATE TABLE devices ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('路由器','交换机','防火墙','隔离设备','无线AP','其他')),"
    "  owner TEXT NOT NULL CHECK (owner IN ('信息中心','使用单位')),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  custodian TEXT NOT NULL DEFAULT '',"
    "  model TEXT NOT NULL DEFAULT '',"
    "  serial TEXT NOT NULL DEFAULT '',"
    "  mgmt_ip TEXT,"
    "  location TEXT NOT NULL DEFAULT '',"
    "  snmp_version TEXT NOT NULL DEFAULT 'none' CHECK (snmp_version IN ('none','v2c','v3')),"
    "  snmp_community TEXT CHECK (snmp_community IS NULL OR snmp_community LIKE 'sealed:v1:%'),"
    "  snmp_user TEXT NOT NULL DEFAULT '',"
    "  snmp_auth_key TEXT CHECK (snmp_auth_key IS NULL OR snmp_auth_key LIKE 'sealed:v1:%'),"
    "  snmp_priv_key TEXT CHECK (snmp_priv_key IS NULL OR snmp_priv_key LIKE 'sealed:v1:%'),"
    "  snmp_secrets_set INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX devices_unit ON devices(unit_id, id);"
    "CREATE TABLE domain_names ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  name TEXT NOT NULL UNIQUE,"
    "  target TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX domain_names_unit ON domain_names(unit_id, id);"
    "CREATE TABLE ports ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  protocol TEXT NOT NULL CHECK (protocol IN ('tcp','udp')),"
    "  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),"
    "  target_ip TEXT NOT NULL,"
    "  purpose TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1,"
    "  UNIQUE (target_ip, protocol, port)"
    ") STRICT;"
    "CREATE INDEX ports_unit ON ports(unit_id, id);",

    /* 6: working-day arrangements loaded by managers (they replace the shipped years) */
    "CREATE TABLE calendar_years ("
    "  year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),"
    "  data TEXT NOT NULL,"
    "  loaded_at INTEGER NOT NULL,"
    "  loaded_by TEXT NOT NULL"
    ") STRICT;",

    /* 7: deadlines, their pauses, and the outbox of events to deliver */
    "CREATE TABLE deadlines ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  subject_type TEXT NOT NULL,"
    "  subject_id INTEGER NOT NULL,"
    "  unit_id INTEGER REFERENCES units(id),"
    "  rule TEXT NOT NULL,"
    "  clause TEXT NOT NULL,"
    "  basis TEXT NOT NULL CHECK (basis IN ('working_days', 'hours')),"
    "  amount INTEGER NOT NULL CHECK (amount > 0),"
    "  extension INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL,"
    "  due_at INTEGER NOT NULL,"
    "  due_date TEXT,"
    "  provisional INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'met', 'breached')),"
    "  paused_at INTEGER NOT NULL DEFAULT 0,"
    "  met_at INTEGER NOT NULL DEFAULT 0,"
    "  breached_at INTEGER NOT NULL DEFAULT 0,"
    "  reminded_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX deadlines_due ON deadlines(status, due_at);"
    "CREATE INDEX deadlines_subject ON deadlines(subject_type, subject_id);"
    "CREATE TABLE deadline_pauses ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  deadline_id INTEGER NOT NULL REFERENCES deadlines(id) ON DELETE CASCADE,"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER NOT NULL DEFAULT 0,"
    "  reason TEXT NOT NULL,"
    "  paused_by TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  created_at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  subject_type TEXT,"
    "  subject_id INTEGER,"
    "  unit_id INTEGER,"
    "  clause TEXT,"
    "  payload TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '',"
    "  sent_at INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);",
    /* 8: the in-app inbox, filled from the outbox */
    "ALTER TABLE outbox ADD COLUMN inbox_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX outbox_inbox ON outbox(inbox_at, id);"
    "CREATE TABLE inbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  outbox_id INTEGER NOT NULL REFERENCES outbox(id),"
    "  created_at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  clause TEXT,"
    "  subject_type TEXT,"
    "  subject_id INTEGER,"
    "  unit_id INTEGER,"
    "  read_at INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (user_id, outbox_id)"
    ") STRICT;"
    "CREATE INDEX inbox_user ON inbox(user_id, id);",
    /* 9: the webhook channel of the outbox, with its own delivery state */
    "ALTER TABLE outbox ADD COLUMN hook_status TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (hook_status IN ('pending', 'sent', 'failed'));"
    "ALTER TABLE outbox ADD COLUMN hook_attempts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN hook_next_attempt_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN hook_last_error TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN hook_sent_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX outbox_hook ON outbox(hook_status, hook_next_attempt_at);",
    /* 10: applications (TB-13, TB-15, SS-14, ...), their events and port rows; the approved
     * ports register learns its application, exposure and review date; deadlines can be
     * cancelled (an application withdrawn), so the table is rebuilt with the wider CHECK
     * (its pauses too, which reference it); the outbox names extra roles to notify. */
    "CREATE TABLE applications ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('access','change','port','egress','interconnect',"
    "'system','lan','contact_refile')),"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  status TEXT NOT NULL,"
    "  step INTEGER NOT NULL DEFAULT 0,"
    "  approvals TEXT NOT NULL,"
    "  clause TEXT NOT NULL,"
    "  user_type TEXT, user_type_other TEXT, address TEXT,"
    "  admin_name TEXT, admin_mobile TEXT, tech_name TEXT, tech_mobile TEXT,"
    "  ip_count INTEGER, bandwidth_mbps INTEGER, purpose TEXT,"
    "  change_type TEXT, change_other TEXT, new_address TEXT,"
    "  assessment_org TEXT, assessment_on TEXT, assessment_conclusion TEXT,"
    "  djcp_level TEXT, djcp_filing_no TEXT, djcp_test_on TEXT,"
    "  egress_provider TEXT, valid_until TEXT,"
    "  network_name TEXT, interconnect_type TEXT, isolation_device TEXT, plan TEXT,"
    "  system_name TEXT, hosting TEXT, go_live_on TEXT,"
    "  planned_on TEXT,"
    "  contact_role TEXT, contact_name TEXT, contact_mobile TEXT, changed_on TEXT,"
    "  review_on TEXT,"
    "  carrier_id INTEGER REFERENCES carriers(id),"
    "  zone_id INTEGER REFERENCES zones(id),"
    "  prefix_id INTEGER REFERENCES prefixes(id) ON DELETE SET NULL,"
    "  vlan_id INTEGER REFERENCES vlans(id) ON DELETE SET NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  submitted_by TEXT NOT NULL,"
    "  decided_at INTEGER NOT NULL DEFAULT 0,"
    "  completed_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX applications_unit ON applications(unit_id, id);"
    "CREATE INDEX applications_status ON applications(status, id);"
    "CREATE TABLE application_ports ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  application_id INTEGER NOT NULL REFERENCES applications(id),"
    "  exposure TEXT NOT NULL CHECK (exposure IN ('政务外网','互联网')),"
    "  protocol TEXT NOT NULL CHECK (protocol IN ('tcp','udp')),"
    "  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),"
    "  target_ip TEXT NOT NULL,"
    "  purpose TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX application_ports_app ON application_ports(application_id, id);"
    "CREATE TABLE application_events ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  application_id INTEGER NOT NULL REFERENCES applications(id),"
    "  at INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  from_status TEXT NOT NULL,"
    "  to_status TEXT NOT NULL,"
    "  step INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  actor_role TEXT NOT NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  clause TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX application_events_app ON application_events(application_id, id);"
    "ALTER TABLE ports ADD COLUMN application_id INTEGER REFERENCES applications(id);"
    "ALTER TABLE ports ADD COLUMN exposure TEXT NOT NULL DEFAULT '政务外网'"
    "  CHECK (exposure IN ('政务外网','互联网'));"
    "ALTER TABLE ports ADD COLUMN review_on TEXT;"
    "ALTER TABLE outbox ADD COLUMN roles TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE deadlines_v10 ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  subject_type TEXT NOT NULL,"
    "  subject_id INTEGER NOT NULL,"
    "  unit_id INTEGER REFERENCES units(id),"
    "  rule TEXT NOT NULL,"
    "  clause TEXT NOT NULL,"
    "  basis TEXT NOT NULL CHECK (basis IN ('working_days', 'hours')),"
    "  amount INTEGER NOT NULL CHECK (amount > 0),"
    "  extension INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL,"
    "  due_at INTEGER NOT NULL,"
    "  due_date TEXT,"
    "  provisional INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL"
    "    CHECK (status IN ('running', 'paused', 'met', 'breached', 'cancelled')),"
    "  paused_at INTEGER NOT NULL DEFAULT 0,"
    "  met_at INTEGER NOT NULL DEFAULT 0,"
    "  breached_at INTEGER NOT NULL DEFAULT 0,"
    "  reminded_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "INSERT INTO deadlines_v10 SELECT * FROM deadlines;"
    "CREATE TABLE deadline_pauses_v10 ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  deadline_id INTEGER NOT NULL REFERENCES deadlines_v10(id) ON DELETE CASCADE,"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER NOT NULL DEFAULT 0,"
    "  reason TEXT NOT NULL,"
    "  paused_by TEXT NOT NULL"
    ") STRICT;"
    "INSERT INTO deadline_pauses_v10 SELECT * FROM deadline_pauses;"
    "DROP TABLE deadline_pauses;"
    "DROP TABLE deadlines;"
    "ALTER TABLE deadlines_v10 RENAME TO deadlines;"
    "ALTER TABLE deadline_pauses_v10 RENAME TO deadline_pauses;"
    "CREATE INDEX deadlines_due ON deadlines(status, due_at);"
    "CREATE INDEX deadlines_subject ON deadlines(subject_type, subject_id);",
    /* 11: the rules on the wire (issue 6): a change count of the registers they read, kept by
     * triggers so a rebuild is noticed whichever process wrote; findings with their evidence;
     * the probes' health */
    "CREATE TABLE watch_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)"
    " STRICT;"
    "INSERT INTO watch_generation VALUES (1, 0);"
    "CREATE TRIGGER wg_terminals_i AFTER INSERT ON terminals"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_terminals_u AFTER UPDATE OF mac, ip, unit_id, kind ON terminals"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_terminals_d AFTER DELETE ON terminals"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_addresses_i AFTER INSERT ON addresses"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_addresses_u AFTER UPDATE OF address, mac, unit_id, terminal_id ON addresses"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_addresses_d AFTER DELETE ON addresses"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_prefixes_i AFTER INSERT ON prefixes"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_prefixes_u AFTER UPDATE OF unit_id, gateway, dns, status ON prefixes"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TRIGGER wg_prefixes_d AFTER DELETE ON prefixes"
    " BEGIN UPDATE watch_generation SET n = n + 1; END;"
    "CREATE TABLE findings ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  kind TEXT NOT NULL,"
    "  behaviour TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','dismissed','violation')),"
    "  mac TEXT,"
    "  ip TEXT,"
    "  unit_id INTEGER,"
    "  terminal_id INTEGER,"
    "  detail TEXT NOT NULL,"
    "  probe TEXT NOT NULL,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  count INTEGER NOT NULL DEFAULT 1,"
    "  dedup TEXT NOT NULL,"
    "  evidence TEXT NOT NULL DEFAULT '[]',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE UNIQUE INDEX findings_open ON findings(dedup) WHERE status = 'open';"
    "CREATE INDEX findings_unit ON findings(unit_id, id);"
    "CREATE INDEX findings_kind ON findings(kind, id);"
    "ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'all'"
    "  CHECK (scope IN ('all','probe'));"
    "CREATE TABLE probes ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  batches INTEGER NOT NULL DEFAULT 0,"
    "  observations INTEGER NOT NULL DEFAULT 0,"
    "  findings INTEGER NOT NULL DEFAULT 0,"
    "  spooled INTEGER NOT NULL DEFAULT 0,"
    "  dropped INTEGER NOT NULL DEFAULT 0"
    ") STRICT;",
    /* 12: violations (a finding, or an inspection, judged against the profile's forbidden
     * behaviours and penalty ladder), their steps, and the isolations they put on the wire
     * with a change count that `zwnet enforce` polls. A finding now stays joined to its
     * violation while it is handled, so further sightings add evidence to the same case;
     * it is resolved when the case ends. */
    "CREATE TABLE findings_new ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  kind TEXT NOT NULL,"
    "  behaviour TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open'"
    "    CHECK (status IN ('open','dismissed','violation','resolved')),"
    "  mac TEXT,"
    "  ip TEXT,"
    "  unit_id INTEGER,"
    "  terminal_id INTEGER,"
    "  violation_id INTEGER,"
    "  detail TEXT NOT NULL,"
    "  probe TEXT NOT NULL,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  count INTEGER NOT NULL DEFAULT 1,"
    "  dedup TEXT NOT NULL,"
    "  evidence TEXT NOT NULL DEFAULT '[]',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "INSERT INTO findings_new (id, kind, behaviour, label, status, mac, ip, unit_id,"
    "  terminal_id, detail, probe, first_seen, last_seen, count, dedup, evidence, created_at,"
    "  updated_at, rev)"
    " SELECT id, kind, behaviour, label, CASE status WHEN 'violation' THEN 'resolved'"
    "  ELSE status END, mac, ip, unit_id, terminal_id, detail, probe, first_seen, last_seen,"
    "  count, dedup, evidence, created_at, updated_at, rev FROM findings;"
    "DROP TABLE findings;"
    "ALTER TABLE findings_new RENAME TO findings;"
    "CREATE UNIQUE INDEX findings_open ON findings(dedup) WHERE status IN ('open','violation');"
    "CREATE INDEX findings_unit ON findings(unit_id, id);"
    "CREATE INDEX findings_kind ON findings(kind, id);"
    "CREATE INDEX findings_violation ON findings(violation_id);"
    "CREATE TABLE violations ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  terminal_id INTEGER,"
    "  finding_id INTEGER,"
    "  behaviour TEXT NOT NULL,"
    "  behaviour_name TEXT NOT NULL,"
    "  clause TEXT NOT NULL,"
    "  level TEXT NOT NULL CHECK (level IN ('warning','terminal','unit')),"
    "  sanction TEXT,"
    "  sanction_name TEXT,"
    "  sanction_clause TEXT,"
    "  offence INTEGER NOT NULL CHECK (offence >= 1),"
    "  state TEXT NOT NULL CHECK (state IN ('open','notified','isolated','rectifying',"
    "    'verified','reconnected','closed','revoked','dismissed')),"
    "  isolated_scope TEXT CHECK (isolated_scope IN ('terminal','unit')),"
    "  mac TEXT,"
    "  ip TEXT,"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL,"
    "  deadline_id INTEGER,"
    "  repair_cost INTEGER NOT NULL DEFAULT 0 CHECK (repair_cost >= 0),"
    "  cost_note TEXT NOT NULL DEFAULT '',"
    "  closed_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 1"
    ") STRICT;"
    "CREATE INDEX violations_unit ON violations(unit_id, behaviour, created_at);"
    "CREATE INDEX violations_state ON violations(state, id);"
    "CREATE TABLE violation_events ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  violation_id INTEGER NOT NULL REFERENCES violations(id),"
    "  at INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  from_state TEXT NOT NULL,"
    "  to_state TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  actor_role TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  clause TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX violation_events_v ON violation_events(violation_id, id);"
    "CREATE TABLE isolations ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  violation_id INTEGER NOT NULL REFERENCES violations(id),"
    "  unit_id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('ip4','ip6','mac','net4','net6')),"
    "  value TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  removed_at INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE INDEX isolations_active ON isolations(kind, value) WHERE removed_at = 0;"
    "CREATE INDEX isolations_violation ON isolations(violation_id);"
    "CREATE TABLE enforce_generation (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  n INTEGER NOT NULL) STRICT;"
    "INSERT INTO enforce_generation VALUES (1, 0);"
    "CREATE TRIGGER eg_isolations_i AFTER INSERT ON isolations"
    " BEGIN UPDATE enforce_generation SET n = n + 1; END;"
    "CREATE TRIGGER eg_isolations_u AFTER UPDATE OF removed_at ON isolations"
    " BEGIN UPDATE enforce_generation SET n = n + 1; END;"
    "CREATE TABLE enforcers ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  generation INTEGER NOT NULL DEFAULT 0,"
    "  ok INTEGER NOT NULL DEFAULT 0,"
    "  applied TEXT NOT NULL DEFAULT '{}',"
    "  error TEXT NOT NULL DEFAULT ''"
    ") STRICT;",
    /* 13: an API token's scope is a set of what a machine may reach (probe, enforcer,
     * radius) or "all"; a probe token of before did all three, so it keeps them */
    "CREATE TABLE api_tokens_new ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER,"
    "  last_used_at INTEGER,"
    "  revoked INTEGER NOT NULL DEFAULT 0,"
    "  scope TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all','probe','enforcer','radius',"
    "    'probe enforcer','probe radius','enforcer radius','probe enforcer radius'))"
    ") STRICT;"
    "INSERT INTO api_tokens_new SELECT id, token_hash, user_id, name, created_at, expires_at,"
    "  last_used_at, revoked, CASE scope WHEN 'probe' THEN 'probe enforcer radius' ELSE scope"
    "  END FROM api_tokens;"
    "DROP TABLE api_tokens;"
    "ALTER TABLE api_tokens_new RENAME TO api_tokens;",
    /* 14: units are unique by the comparison key of their name (core/text.h: NFKC, case-folded,
     * blanks collapsed), so "城关镇（一）" cannot be registered beside "城关镇(一)". The key is
     * computed in C: backfill_name_keys fills it for the units already there. */
    ("ALTER TABLE units ADD COLUMN name_key TEXT;"
     "CREATE UNIQUE INDEX units_name_key ON units(name_key);"),
    /* 15: a unit suspended or revoked by hand is isolated like one a case cuts off (TB-9: 断开
     * 连接，待整改完成后再行接入), so an isolation belongs to a case or, with no case, to the
     * unit's status; each row says why and on what clause. */
    ("CREATE TABLE isolations_new ("
     "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
     "  violation_id INTEGER REFERENCES violations(id),"
     "  unit_id INTEGER NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('ip4','ip6','mac','net4','net6')),"
     "  value TEXT NOT NULL,"
     "  reason TEXT NOT NULL DEFAULT '',"
     "  clause TEXT NOT NULL DEFAULT '',"
     "  created_at INTEGER NOT NULL,"
     "  removed_at INTEGER NOT NULL DEFAULT 0"
     ") STRICT;"
     "INSERT INTO isolations_new (id, violation_id, unit_id, kind, value, created_at,"
     "  removed_at) SELECT id, violation_id, unit_id, kind, value, created_at, removed_at"
     "  FROM isolations;"
     "DROP TABLE isolations;"
     "ALTER TABLE isolations_new RENAME TO isolations;"
     "CREATE INDEX isolations_active ON isolations(kind, value) WHERE removed_at = 0;"
     "CREATE INDEX isolations_violation ON isolations(violation_id);"
     "CREATE INDEX isolations_unit ON isolations(unit_id) WHERE removed_at = 0;"
     "CREATE TRIGGER eg_isolations_i AFTER INSERT ON isolations"
     " BEGIN UPDATE enforce_generation SET n = n + 1; END;"
     "CREATE TRIGGER eg_isolations_u AFTER UPDATE OF removed_at ON isolations"
     " BEGIN UPDATE enforce_generation SET n = n + 1; END;"),
    /* 16: the county's own equipment is never a stranger on the wire (issue 14): a device's
     * MAC is registered beside its management address, and the rules' index follows the
     * device register too; a probe says which addresses are its own host's, */
    ("ALTER TABLE devices ADD COLUMN mac TEXT;"
     "CREATE TRIGGER wg_devices_i AFTER INSERT ON devices"
     " BEGIN UPDATE watch_generation SET n = n + 1; END;"
     "CREATE TRIGGER wg_devices_u AFTER UPDATE OF mgmt_ip, mac, unit_id ON devices"
     " BEGIN UPDATE watch_generation SET n = n + 1; END;"
     "CREATE TRIGGER wg_devices_d AFTER DELETE ON devices"
     " BEGIN UPDATE watch_generation SET n = n + 1; END;"
     "ALTER TABLE probes ADD COLUMN addresses TEXT NOT NULL DEFAULT '';"
     /* and a lease reader what its last read found: a file whose leases all expired is
      * said, not silently empty */
     "ALTER TABLE probes ADD COLUMN leases INTEGER;"
     "ALTER TABLE probes ADD COLUMN expired_leases INTEGER;"
     "ALTER TABLE probes ADD COLUMN warning TEXT NOT NULL DEFAULT '';"),
    /* 17: a unit is named by its name or its short name (an import's 单位 and 上级单位
     * cells): both are looked up by index, or each lookup reads every unit and an import of
     * units is quadratic in its rows (IF NOT EXISTS: tests that wind the schema back by hand
     * leave later indexes in place) */
    "CREATE INDEX IF NOT EXISTS units_short_name ON units(short_name);",
    /* 18: the answers a POST with an Idempotency-Key gave, kept a day, so that a retry gets
     * the first answer instead of doing it again (status 0: the request is still running,
     * or its server run ended before it answered: boot says which run took it) */
    "CREATE TABLE IF NOT EXISTS idempotency ("
    "  who TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  request_hash TEXT NOT NULL,"
    "  boot TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  content_type TEXT,"
    "  body BLOB,"
    "  PRIMARY KEY (who, key)"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency(created_at);"
    /* and the batches each probe run sent that were taken (the highest seq of a run: a batch
     * sent again after a lost answer is not counted twice) */
    "CREATE TABLE IF NOT EXISTS probe_runs ("
    "  probe TEXT NOT NULL,"
    "  run TEXT NOT NULL,"
    "  last_seq INTEGER NOT NULL,"
    "  seen_at INTEGER NOT NULL,"
    "  PRIMARY KEY (probe, run)"
    ") WITHOUT ROWID;",
    /* 19: a fourth machine scope, metrics (a Prometheus scraper reads GET /metrics): the
     * CHECK lists every set of the four in their canonical order (token_scope_format), so
     * the table is rebuilt with it */
    "CREATE TABLE api_tokens_new ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER,"
    "  last_used_at INTEGER,"
    "  revoked INTEGER NOT NULL DEFAULT 0,"
    "  scope TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all','probe','enforcer','radius',"
    "    'metrics','probe enforcer','probe radius','probe metrics','enforcer radius',"
    "    'enforcer metrics','radius metrics','probe enforcer radius','probe enforcer metrics',"
    "    'probe radius metrics','enforcer radius metrics','probe enforcer radius metrics'))"
    ") STRICT;"
    "INSERT INTO api_tokens_new SELECT id, token_hash, user_id, name, created_at, expires_at,"
    "  last_used_at, revoked, scope FROM api_tokens;"
    /* the ids go on from where they were, even past a token whose user was deleted */
    "DELETE FROM sqlite_sequence WHERE name = 'api_tokens_new';"
    "INSERT INTO sqlite_sequence (name, seq)"
    "  SELECT 'api_tokens_new', seq FROM sqlite_sequence WHERE name = 'api_tokens';"
    "DROP TABLE api_tokens;"
    "ALTER TABLE api_tokens_new RENAME TO api_tokens;",
    /* 20: a person's own e-mail and the topics they want by mail besides the inbox (issue 16:
     * the user's choice of mail for which notices); mail_topics is a comma list of
     * notify_topics codes */
    "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE users ADD COLUMN mail_topics TEXT NOT NULL DEFAULT '';",
};
#define MIG_NAME_KEYS 14 /* the migration after which backfill_name_keys runs */

#define NMIG ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_latest(void)
{
	return NMIG;
}

/* The name key of every unit, oldest first. Units registered before the key existed may
 * already be look-alikes of each other: the younger keeps no key (NULL, which the UNIQUE index
 * allows) and is named in the log; it is refused as a look-alike only when renamed, and a new
 * unit still meets the key of the older one. */
static int backfill_name_keys(struct sconn *c, struct zw_err *err)
{
	/* plain statements: this connection's statement cache is not closed after migrating */
	sqlite3_stmt *all = NULL, *set = NULL, *who = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT id, name FROM units ORDER BY id", -1, &all, NULL) ||
	    sqlite3_prepare_v2(c->db, "UPDATE units SET name_key = ? WHERE id = ?", -1, &set,
	                       NULL) ||
	    sqlite3_prepare_v2(c->db, "SELECT id, name FROM units WHERE name_key = ?", -1, &who,
	                       NULL)) {
		int rc = sq_fail(c, err, "name keys");
		sqlite3_finalize(all);
		sqlite3_finalize(set);
		return rc;
	}
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(all)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(all, 0);
		const char *name = (const char *)sqlite3_column_text(all, 1);
		char *key = NULL;
		if (!name || text_nfkc_key(name, &key) < 0) {
			log_warnx("unit %lld: its name is not valid UTF-8, no name key",
			          (long long)id);
			continue;
		}
		sqlite3_bind_text(set, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(set, 2, id);
		int r = sqlite3_step(set);
		if (r != SQLITE_DONE &&
		    sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_UNIQUE) {
			sqlite3_bind_text(who, 1, key, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(who) == SQLITE_ROW)
				log_warnx(
				    "unit %lld \"%s\" looks like unit %lld \"%s\" (same name key):"
				    " rename one of them",
				    (long long)id, name, (long long)sqlite3_column_int64(who, 0),
				    (const char *)sqlite3_column_text(who, 1));
			sqlite3_reset(who);
		} else if (r != SQLITE_DONE) {
			rc = sq_fail(c, err, "name keys");
		}
		sqlite3_reset(set);
		free(key);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sq_fail(c, err, "name keys");
	sqlite3_finalize(all);
	sqlite3_finalize(set);
	sqlite3_finalize(who);
	return rc;
}

int store_migrate(sqlite3 *db, struct zw_err *err)
{
	struct sconn c = {.db = db};
	sqlite3_stmt *s;
	int v = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return sq_fail(&c, err, "user_version");
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v > NMIG)
		return zw_errf(err, ZW_EINTERNAL, NULL,
		               "数据库结构版本 %d 高于本程序支持的版本 %d：请使用更新的 zwnet", v,
		               NMIG);
	for (; v < NMIG; v++) {
		char bump[64];
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
		int rc = sq_exec(&c, "BEGIN IMMEDIATE", err);
		if (!rc)
			rc = sq_exec(&c, migrations[v], err);
		if (!rc && v + 1 == MIG_NAME_KEYS)
			rc = backfill_name_keys(&c, err);
		if (!rc)
			rc = sq_exec(&c, bump, err);
		if (!rc)
			rc = sq_exec(&c, "COMMIT", err);
		if (rc) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	return 0;
}
