/* SQL of a unit's contacts that the generic record functions (rec_sql.c) do not cover. */
#include "store/contact_sql.h"

#include <stdio.h>

#include "store/store_int.h"

int store_contact_emails(struct sconn *c, int64_t unit_id, char *out, size_t n, struct zw_err *err)
{
	*out = 0;
	sqlite3_stmt *s = sq_prepare(c,
	                             "SELECT DISTINCT email FROM contacts WHERE unit_id = ? AND"
	                             " email != '' ORDER BY email",
	                             err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	size_t len = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(s, 0);
		int w = snprintf(out + len, n - len, "%s%s", len ? "," : "", e);
		if (w < 0 || (size_t)w >= n - len) {
			sq_done(c, s);
			return zw_errf(err, ZW_EINTERNAL, NULL, "收件人过多");
		}
		len += (size_t)w;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "contact emails");
}

int store_contact_of_role(struct sconn *c, int64_t unit_id, const char *role, int64_t *id,
                          struct zw_err *err)
{
	sqlite3_stmt *s = sq_prepare(
	    c, "SELECT id FROM contacts WHERE unit_id = ? AND role = ? ORDER BY id LIMIT 1", err);
	if (!s)
		return -ZW_EINTERNAL;
	sqlite3_bind_int64(s, 1, unit_id);
	sq_text(s, 2, role);
	*id = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sq_done(c, s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, err, "contact of role");
}
