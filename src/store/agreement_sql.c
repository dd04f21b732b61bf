/* SQL of a unit's agreements that the generic record functions (rec_sql.c) do not cover. */
#include "store/agreement_sql.h"

#include "store/store_int.h"

int store_agreement_set_scan(struct sconn *c, int64_t id, const char *sha, const char *name,
                             const char *type, int64_t size, int64_t now, struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(c,
	                             "UPDATE agreements SET scan_sha256 = ?, scan_name = ?,"
	                             " scan_type = ?, scan_size = ?, updated_at = ?, rev = rev + 1"
	                             " WHERE id = ?",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sq_text(s, 1, sha);
	sq_text(s, 2, name);
	sq_text(s, 3, type);
	sqlite3_bind_int64(s, 4, size);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, id);
	return sq_exec_stmt(c, s, err);
}
