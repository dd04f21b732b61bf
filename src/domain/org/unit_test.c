#include <stdlib.h>

#include "core/test.h"
#include "domain/access/application.h"
#include "domain/audit.h"
#include "domain/testdb.h"

static void test_status_moves_cite_clauses(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	int64_t id = testdb_unit(&t, "桐柏县测试局", NULL);
	struct zw_err err = {0};
	struct unit u = {0};
	assert_int_equal(unit_get(t.st, id, &u, &err), 0);
	assert_string_equal(u.status, "申请中");
	unit_free(&u);
	/* 申请中 -> 暂停 is no move at all. */
	assert_int_equal(unit_set_status(&t.x, id, "暂停", NULL, "原因", 0, &err), -ZW_ECONFLICT);
	zw_err_clear(&err);
	/* TB-13: never connected without an approved access application. */
	assert_int_equal(unit_set_status(&t.x, id, "已接入", NULL, NULL, 0, &err), -ZW_ERULE);
	assert_string_equal(err.clause, "TB-13");
	zw_err_clear(&err);
	int64_t app;
	assert_int_equal(application_approve_access(&t.x, id, NULL, &app, &err), 0);
	assert_int_equal(unit_set_status(&t.x, id, "已接入", NULL, NULL, 0, &err), 0);
	assert_int_equal(unit_get(t.st, id, &u, &err), 0);
	assert_string_equal(u.status, "已接入");
	assert_string_equal(u.status_clause, "TB-13");
	unit_free(&u);
	/* Suspension needs a reason, and rests on TB-9. Status codes work as well as names. */
	assert_int_equal(unit_set_status(&t.x, id, "suspended", NULL, NULL, 0, &err), -ZW_EINVALID);
	assert_string_equal(err.field, "reason");
	zw_err_clear(&err);
	assert_int_equal(
	    unit_set_status(&t.x, id, "suspended", NULL, "安全检查发现严重问题", 0, &err), 0);
	assert_int_equal(unit_get(t.st, id, &u, &err), 0);
	assert_string_equal(u.status, "暂停");
	assert_string_equal(u.status_clause, "TB-9");
	int64_t rev = u.rev;
	unit_free(&u);
	/* A stale revision is refused and changes nothing. */
	assert_int_equal(unit_set_status(&t.x, id, "已接入", NULL, NULL, rev - 1, &err),
	                 -ZW_ESTALE);
	zw_err_clear(&err);
	/* A clause that is not in the regulation is refused. */
	assert_int_equal(unit_set_status(&t.x, id, "已接入", "TB-99", NULL, rev, &err),
	                 -ZW_EINVALID);
	assert_string_equal(err.field, "clause");
	zw_err_clear(&err);
	assert_int_equal(unit_set_status(&t.x, id, "已接入", NULL, NULL, rev, &err), 0);
	json_t *h = unit_history(&t.x, id, &err);
	assert_int_equal(json_array_size(h), 4);
	json_decref(h);
	testdb_close(&t);
}

static void test_connection_needs_agreements(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_open(&t, "jiaxian"), 0);
	int64_t id = testdb_unit(&t, "佳县测试局", NULL);
	struct zw_err err = {0};
	assert_int_equal(unit_set_status(&t.x, id, "已接入", NULL, NULL, 0, &err), -ZW_ERULE);
	assert_string_equal(err.clause, "JX-9");
	zw_err_clear(&err);
	for (size_t i = 0; i < t.prof->nagreements; i++) {
		if (!t.prof->agreements[i].required_for_connection)
			continue;
		struct agreement a = {.kind = (char *)t.prof->agreements[i].key,
		                      .signed_on = (char *)"2025-01-02"};
		int64_t aid;
		assert_int_equal(registry_create_under(&t.x, &agreement_kind, id, &a, &aid, &err),
		                 0);
	}
	int64_t app;
	assert_int_equal(application_approve_access(&t.x, id, NULL, &app, &err), 0);
	assert_int_equal(unit_set_status(&t.x, id, "已接入", NULL, NULL, 0, &err), 0);
	/* An agreement kind the profile does not know is refused, naming the field. */
	struct agreement bad = {.kind = (char *)"no_such", .signed_on = (char *)"2025-01-02"};
	int64_t aid;
	assert_int_equal(registry_create_under(&t.x, &agreement_kind, id, &bad, &aid, &err),
	                 -ZW_EINVALID);
	assert_string_equal(err.field, "kind");
	testdb_close(&t);
}

static void test_backfill_list(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_open(&t, "luoning"), 0);
	int64_t a = testdb_unit(&t, "洛宁县甲局", "已接入");
	int64_t b = testdb_unit(&t, "洛宁县乙局", "已接入");
	testdb_unit(&t, "洛宁县丙局", NULL); /* still applying: not in the backlog */
	struct zw_err err = {0};
	/* Registered as connected since after LN took effect: refused, it needed an access
	 * application (LN-16) — and the 承诺书 besides. */
	struct unit late = {.name = (char *)"洛宁县丁局",
	                    .type = (char *)"其他",
	                    .level = (char *)"县直",
	                    .status = (char *)"已接入",
	                    .connected_on = (char *)"2020-01-01"};
	int64_t lid;
	assert_int_equal(registry_create(&t.x, &unit_kind, &late, &lid, &err), -ZW_ERULE);
	assert_string_equal(err.clause, "LN-16");
	zw_err_clear(&err);
	const struct agreement_kind *k = NULL;
	for (size_t i = 0; i < t.prof->nagreements; i++)
		if (t.prof->agreements[i].backfill)
			k = &t.prof->agreements[i];
	assert_non_null(k);
	struct agreement ag = {.kind = (char *)k->key, .signed_on = (char *)"2024-05-06"};
	int64_t aid;
	assert_int_equal(registry_create_under(&t.x, &agreement_kind, a, &ag, &aid, &err), 0);
	json_t *m = agreements_missing(&t.x, &err);
	assert_int_equal(json_array_size(m), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0), "unit_id")), b);
	json_decref(m);
	testdb_close(&t);
}

static void test_unit_admin_scope(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_open(&t, "tongbai"), 0);
	int64_t mine = testdb_unit(&t, "甲单位", NULL), other = testdb_unit(&t, "乙单位", NULL);
	struct principal ua = {.user_id = 9, .role = ROLE_UNIT_ADMIN, .unit_id = mine};
	struct ctx x = {t.st, t.prof, &ua};
	struct contact c = {
	    .role = (char *)"安全联系人", .name = (char *)"王丽", .mobile = (char *)"13800001234"};
	int64_t cid;
	struct zw_err err = {0};
	assert_int_equal(registry_create_under(&x, &contact_kind, mine, &c, &cid, &err), 0);
	assert_int_equal(registry_create_under(&x, &contact_kind, other, &c, &cid, &err),
	                 -ZW_ENOTFOUND);
	zw_err_clear(&err);
	assert_int_equal(unit_set_status(&x, mine, "已接入", NULL, NULL, 0, &err), -ZW_EFORBIDDEN);
	struct sconn *sc = store_read(t.st, &err);
	assert_int_equal(store_count(sc, "contacts"), 1);
	testdb_close(&t);
}

int main(void)
{
	RUN(cmocka_unit_test(test_status_moves_cite_clauses),
	    cmocka_unit_test(test_connection_needs_agreements),
	    cmocka_unit_test(test_backfill_list), cmocka_unit_test(test_unit_admin_scope));
}
