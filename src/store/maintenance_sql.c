#include "store/maintenance_sql.h"

#include <sqlite3.h>

#include "store/store_int.h"

int store_maintenance_line_add(struct sconn *c, int64_t maintenance_id, int64_t line_id,
                               int64_t unit_id, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "INSERT OR IGNORE INTO maintenance_lines (maintenance_id,"
	                             " line_id, unit_id) VALUES (?,?,?)",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, maintenance_id);
	sqlite3_bind_int64(s, 2, line_id);
	sq_id(s, 3, unit_id);
	return sq_exec_stmt(c, s, err);
}

int store_maintenance_lines(struct sconn *c, int64_t maintenance_id, json_t *out,
                            struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT ml.line_id, l.circuit_id, ml.unit_id, u.name"
	                             " FROM maintenance_lines ml JOIN lines l ON l.id = ml.line_id"
	                             " LEFT JOIN units u ON u.id = ml.unit_id"
	                             " WHERE ml.maintenance_id = ? ORDER BY ml.line_id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, maintenance_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "line_id", json_integer(sqlite3_column_int64(s, 0)));
		json_object_set_new(o, "circuit_id",
		                    json_string((const char *)sqlite3_column_text(s, 1)));
		json_object_set_new(o, "unit_id",
		                    sqlite3_column_type(s, 2) == SQLITE_NULL
		                        ? json_null()
		                        : json_integer(sqlite3_column_int64(s, 2)));
		const char *name = (const char *)sqlite3_column_text(s, 3);
		json_object_set_new(o, "unit_name", name ? json_string(name) : json_null());
		json_array_append_new(out, o);
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "maintenance lines");
}

int store_maintenance_units(struct sconn *c, int64_t maintenance_id,
                            int (*fn)(int64_t unit, void *arg), void *arg, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT DISTINCT unit_id FROM maintenance_lines WHERE"
	                             " maintenance_id = ? AND unit_id IS NOT NULL ORDER BY unit_id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, maintenance_id);
	int rc, out = 0;
	while (!out && (rc = sqlite3_step(s)) == SQLITE_ROW)
		out = fn(sqlite3_column_int64(s, 0), arg);
	sq_done(c, s);
	if (out)
		return out;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "maintenance units");
}

int store_carrier_unit_lines(struct sconn *c, int64_t carrier, int64_t unit,
                             int (*fn)(int64_t line, void *arg), void *arg, int *n,
                             struct zw_err *err)
{
	*n = 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT id FROM lines WHERE carrier_id = ? AND unit_id = ?"
	                             " AND status = '在用' ORDER BY id",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, carrier);
	sqlite3_bind_int64(s, 2, unit);
	int rc, out = 0;
	while (!out && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		++*n;
		out = fn(sqlite3_column_int64(s, 0), arg);
	}
	sq_done(c, s);
	if (out)
		return out;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, err, "carrier lines");
}

int store_maintenance_window(struct sconn *c, int64_t line, int64_t unit, int64_t at, int64_t *id,
                             int64_t *ends, struct zw_err *err)
{
	*id = *ends = 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT m.id, m.ends_at FROM maintenances m JOIN"
	                             " maintenance_lines ml ON ml.maintenance_id = m.id"
	                             " WHERE m.state = 'approved' AND m.starts_at <= ?3 AND"
	                             " m.ends_at > ?3 AND (ml.line_id = ?1 OR (?1 = 0 AND"
	                             " ml.unit_id = ?2)) ORDER BY m.ends_at DESC LIMIT 1",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, line);
	sqlite3_bind_int64(s, 2, unit);
	sqlite3_bind_int64(s, 3, at);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*ends = sqlite3_column_int64(s, 1);
	}
	sq_done(c, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(c, err, "maintenance window");
}
