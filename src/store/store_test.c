#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/test.h"
#include "store/store.h"

static char path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/zwnet-store-test-%d.db", (int)getpid());
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[80];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	return 0;
}

static void test_migrate_and_tx(void **state)
{
	(void)state;
	struct store *st;
	struct zw_err err = {0};
	assert_int_equal(store_open(path, &st, &err), 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	struct sconn *c = store_read(st, &err);
	assert_non_null(c);
	assert_int_equal(store_count(c, "units"), 0);
	assert_int_equal(store_count(c, "no_such_table"), -1);
	/* A rolled-back transaction leaves nothing; a committed one stays. */
	struct store_tx *tx;
	assert_int_equal(store_meta_set(st, "k", "v1", &err), 0);
	assert_int_equal(store_begin(st, &tx, &err), 0);
	store_rollback(tx);
	char v[16];
	assert_int_equal(store_meta_get(st, "k", v, sizeof(v)), 0);
	assert_string_equal(v, "v1");
	store_close(st);
	/* Reopening runs no migration twice. */
	assert_int_equal(store_open(path, &st, &err), 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
}

static void test_newer_refused(void **state)
{
	(void)state;
	struct store *st;
	struct zw_err err = {0};
	assert_int_equal(store_open(path, &st, &err), 0);
	store_close(st);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", store_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_not_equal(store_open(path, &st, &err), 0);
	assert_non_null(strstr(err.message, "更新的 zwnet"));
}

static void test_strict_and_fk(void **state)
{
	(void)state;
	struct store *st;
	struct zw_err err = {0};
	assert_int_equal(store_open(path, &st, &err), 0);
	store_close(st);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	/* STRICT: text in an integer column is refused. */
	assert_int_not_equal(
	    sqlite3_exec(db,
	                 "INSERT INTO units (name, type, level, status, status_at,"
	                 " created_at, updated_at) VALUES ('x','其他','县直','申请中',"
	                 "'notanumber',1,1)",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	/* Foreign keys: a contact of a unit that does not exist is refused. */
	assert_int_not_equal(
	    sqlite3_exec(db,
	                 "INSERT INTO contacts (unit_id, role, name, mobile, created_at,"
	                 " updated_at) VALUES (999,'安全联系人','a','13800001234',1,1)",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrate_and_tx, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newer_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_strict_and_fk, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
