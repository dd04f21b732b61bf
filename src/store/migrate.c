/*
 * migrate: numbered schema migrations. migrations[i] takes the schema from version i to i+1
 * (PRAGMA user_version). They run at open, each in its own transaction; a database whose
 * version is above the last one here was written by a newer zwnet and is refused.
 * Never edit a migration that has shipped: add the next one.
 */
#include "store/store_int.h"

#include <stdio.h>

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
};

#define NMIG ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_latest(void)
{
	return NMIG;
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
