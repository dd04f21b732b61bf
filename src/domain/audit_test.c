#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/test.h"
#include "domain/audit.h"
#include "domain/testdb.h"

static void exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static int64_t verify(struct testdb *t)
{
	/* Reopen so the checks read what is on disk. */
	store_close(t->st);
	struct zw_err err = {0};
	assert_int_equal(store_open(t->path, &t->st, &err), 0);
	t->x.st = t->st;
	struct audit_verify v;
	int rc = audit_verify(t->st, &v, &err);
	assert_int_equal(rc == 0, v.bad_id == 0);
	return v.bad_id;
}

static void seed(struct testdb *t)
{
	assert_int_equal(testdb_open(t, "tongbai"), 0);
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "单位%d", i);
		assert_true(testdb_unit(t, name, NULL) > 0);
	}
	assert_int_equal(verify(t), 0);
}

static void test_chain_holds_and_is_append_only(void **state)
{
	(void)state;
	struct testdb t;
	seed(&t);
	/* The triggers refuse changes through SQL. */
	sqlite3 *db;
	sqlite3_open(t.path, &db);
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE audit SET actor = 'x' WHERE id = 2", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE id = 2", NULL, NULL, NULL),
	                     SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(verify(&t), 0);
	testdb_close(&t);
}

static void test_edit_caught(void **state)
{
	(void)state;
	struct testdb t;
	seed(&t);
	exec(t.path, "DROP TRIGGER audit_no_update; UPDATE audit SET after = '{}' WHERE id = 3;"
	             "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	             " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;");
	assert_int_equal(verify(&t), 3);
	testdb_close(&t);
}

static void test_delete_caught(void **state)
{
	(void)state;
	struct testdb t;
	seed(&t);
	exec(t.path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;"
	             "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	             " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;");
	assert_int_equal(verify(&t), 2);
	testdb_close(&t);
}

static void test_delete_last_caught(void **state)
{
	(void)state;
	struct testdb t;
	seed(&t);
	exec(t.path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 5;"
	             "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	             " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;");
	assert_int_equal(verify(&t), 5);
	testdb_close(&t);
}

static void test_reorder_caught(void **state)
{
	(void)state;
	struct testdb t;
	seed(&t);
	/* Swap the contents of rows 2 and 3 (ids stay in place). */
	exec(t.path, "DROP TRIGGER audit_no_update;"
	             "CREATE TEMP TABLE s AS SELECT * FROM audit WHERE id IN (2, 3);"
	             "UPDATE audit SET at=(SELECT at FROM s WHERE id=3), after=(SELECT after FROM s"
	             " WHERE id=3), object_id=(SELECT object_id FROM s WHERE id=3),"
	             " prev_hash=(SELECT prev_hash FROM s WHERE id=3), hash=(SELECT hash FROM s"
	             " WHERE id=3) WHERE id=2;"
	             "UPDATE audit SET at=(SELECT at FROM s WHERE id=2), after=(SELECT after FROM s"
	             " WHERE id=2), object_id=(SELECT object_id FROM s WHERE id=2),"
	             " prev_hash=(SELECT prev_hash FROM s WHERE id=2), hash=(SELECT hash FROM s"
	             " WHERE id=2) WHERE id=3;");
	assert_int_equal(verify(&t), 2);
	testdb_close(&t);
}

static void test_trigger_removal_caught(void **state)
{
	(void)state;
	struct testdb t;
	seed(&t);
	exec(t.path, "DROP TRIGGER audit_no_delete;");
	assert_int_equal(verify(&t), -1);
	testdb_close(&t);
}

/* The hash of one entry is pinned: every stored chain was written with it. The expected value
 * was computed independently (Python hashlib) from the format in audit.c. */
static void test_entry_hash_is_stable(void **state)
{
	(void)state;
	char after[] = "{\"mac\":\"02:00:00:00:00:01\"}", zero[65];
	memset(zero, '0', 64);
	zero[64] = 0;
	struct audit_entry e = {
	    .id = 123456789012,
	    .at = 1767225600,
	    .actor_id = -7,
	    .unit_id = 0,
	    .actor = "张三",
	    .role = "manager",
	    .source = "",
	    .request_id = NULL,
	    .action = "terminal.create",
	    .object_type = "terminal",
	    .object_id = "42",
	    .before = NULL,
	    .after = after,
	    .clause = "JX-21",
	    .prev_hash = zero,
	};
	char h[65];
	audit_entry_hash(&e, h);
	assert_string_equal(h, "bdd53280ccf9a2cbcbafd009c88c55cfa334a2263d8f84492dc32396dd779842");
}

int main(void)
{
	RUN(cmocka_unit_test(test_entry_hash_is_stable),
	    cmocka_unit_test(test_chain_holds_and_is_append_only),
	    cmocka_unit_test(test_edit_caught), cmocka_unit_test(test_delete_caught),
	    cmocka_unit_test(test_delete_last_caught), cmocka_unit_test(test_reorder_caught),
	    cmocka_unit_test(test_trigger_removal_caught));
}
