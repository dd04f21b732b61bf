#include "core/test.h"
#include "policy/authz.h"

static struct principal who(enum role r, int64_t unit)
{
	struct principal p = {.user_id = 1, .role = r, .unit_id = unit};
	return p;
}

static void test_scopes(void **state)
{
	(void)state;
	struct zw_err err = {0};
	struct principal m = who(ROLE_MANAGER, 0), ua = who(ROLE_UNIT_ADMIN, 7),
	                 au = who(ROLE_AUDITOR, 0), sup = who(ROLE_SUPERVISOR, 0),
	                 sys = who(ROLE_SYSTEM, 0), orphan = who(ROLE_UNIT_ADMIN, 0);
	assert_int_equal(authz_check(&m, ACT_UNIT_STATUS, 3, &err), 0);
	/* A unit admin reaches its own unit only; another unit's object "does not exist". */
	assert_int_equal(authz_check(&ua, ACT_CONTACT_WRITE, 7, &err), 0);
	zw_err_clear(&err);
	assert_int_equal(authz_check(&ua, ACT_CONTACT_WRITE, 8, &err), -ZW_ENOTFOUND);
	zw_err_clear(&err);
	assert_int_equal(authz_check(&ua, ACT_UNIT_STATUS, 7, &err), -ZW_EFORBIDDEN);
	assert_int_equal(authz_scope(&ua, ACT_UNIT_READ), SCOPE_OWN_UNIT);
	/* A unit admin without a unit may do nothing unit-scoped. */
	assert_int_equal(authz_scope(&orphan, ACT_UNIT_READ), SCOPE_NONE);
	/* Supervisors read everything and change nothing here; auditors read the audit log. */
	assert_int_equal(authz_scope(&sup, ACT_UNIT_READ), SCOPE_ALL);
	assert_int_equal(authz_scope(&sup, ACT_UNIT_UPDATE), SCOPE_NONE);
	assert_int_equal(authz_scope(&au, ACT_AUDIT_READ), SCOPE_ALL);
	assert_int_equal(authz_scope(&au, ACT_UNIT_READ), SCOPE_NONE);
	assert_int_equal(authz_scope(&sys, ACT_USER_ADMIN), SCOPE_ALL);
	/* Only managers administer users. */
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct principal p = who((enum role)r, 1);
		assert_int_equal(authz_scope(&p, ACT_USER_ADMIN) == SCOPE_ALL, r == ROLE_MANAGER);
	}
}

/* A metrics token reads the metrics and nothing else a user reads; of the people, only a
 * manager reads them. Its scope is written and read like the others'. */
static void test_metrics_scope(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct principal p = who((enum role)r, 1);
		assert_int_equal(authz_scope(&p, ACT_METRICS_READ) == SCOPE_ALL,
		                 r == ROLE_MANAGER || r == ROLE_PROBE);
	}
	unsigned mask;
	char text[TOKEN_SCOPE_TEXT];
	assert_int_equal(token_scope_parse("metrics", &mask), 0);
	assert_int_equal(mask, TSCOPE_METRICS);
	assert_int_equal(token_scope_parse("metrics radius probe enforcer", &mask), 0);
	assert_int_equal(mask, TSCOPE_ALL_MACHINE);
	token_scope_format(mask, text);
	assert_string_equal(text, "probe enforcer radius metrics");
	assert_int_equal(token_scope_parse("metrics metrics", &mask), -1);
}

static void test_names(void **state)
{
	(void)state;
	enum role r;
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_int_equal(role_parse(role_name((enum role)i), &r), 0);
		assert_int_equal(r, i);
	}
	assert_int_equal(role_parse("root", &r), -1);
}

int main(void)
{
	RUN(cmocka_unit_test(test_scopes), cmocka_unit_test(test_metrics_scope),
	    cmocka_unit_test(test_names));
}
