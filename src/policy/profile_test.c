#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/parse.h"
#include "core/test.h"
#include "policy/profile.h"

static void test_shipped_profiles_load(void **state)
{
	(void)state;
	static const struct {
		const char *id, *prefix;
		int articles;
	} want[] = {{"jiaxian", "JX", 28},
	            {"miyun", "MY", 25},
	            {"shengsi", "SS", 27},
	            {"luoning", "LN", 29},
	            {"tongbai", "TB", 27}};
	for (size_t i = 0; i < 5; i++) {
		struct profile *p = NULL;
		struct zw_err err = {0};
		if (profile_load(want[i].id, &p, &err) != 0)
			fail_msg("%s: %s", want[i].id, err.message);
		assert_string_equal(p->prefix, want[i].prefix);
		int articles = 0;
		for (size_t k = 0; k < p->nclauses; k++)
			articles += p->clauses[k].article > 0;
		assert_int_equal(articles, want[i].articles);
		char id[16];
		snprintf(id, sizeof(id), "%s-%d", want[i].prefix, want[i].articles);
		assert_non_null(profile_clause(p, id));
		assert_true(p->has_terminal_policy);
		assert_non_null(profile_deadline(p, "access_review"));
		profile_free(p);
	}
}

static void test_rules_from_the_texts(void **state)
{
	(void)state;
	struct profile *p;
	struct zw_err err = {0};
	assert_int_equal(profile_load("tongbai", &p, &err), 0);
	const struct deadline_rule *d = profile_deadline(p, "access_review");
	assert_int_equal(d->working_days, 3);
	assert_string_equal(d->basis, "regulation");
	assert_int_equal(profile_deadline(p, "access_implement")->working_days, 7);
	assert_true(profile_deadline(p, "access_implement")->pausable);
	assert_int_equal(profile_deadline(p, "contact_refile")->working_days, 1);
	int county = 0, township = 0, core = 0, complex = 0;
	for (size_t i = 0; i < p->nslas; i++) {
		if (strcmp(p->slas[i].key, "county") == 0)
			county = p->slas[i].repair_hours;
		if (strcmp(p->slas[i].key, "township") == 0)
			township = p->slas[i].repair_hours;
		if (strcmp(p->slas[i].key, "core") == 0)
			core = p->slas[i].repair_hours;
		if (strcmp(p->slas[i].key, "complex") == 0)
			complex = p->slas[i].repair_hours;
	}
	assert_int_equal(county, 2);
	assert_int_equal(township, 6);
	assert_int_equal(core, 4);
	assert_int_equal(complex, 48);
	assert_int_equal(p->maintenance_notice_hours, 2);
	profile_free(p);

	assert_int_equal(profile_load("jiaxian", &p, &err), 0);
	int required = 0;
	for (size_t i = 0; i < p->nagreements; i++)
		required += p->agreements[i].required_for_connection;
	assert_int_equal(required, 2); /* 保密协议, 网络安全责任书 (JX-9) */
	char date[11];
	format_date(p->expires, date);
	assert_string_equal(date, "2026-11-28");
	int32_t today;
	parse_date("2026-11-23", &today);
	char buf[512];
	assert_non_null(profile_expiry_warning(p, today, buf, sizeof(buf)));
	assert_int_equal(profile_days_to_expiry(p, today), 5);
	parse_date("2026-10-01", &today);
	assert_null(profile_expiry_warning(p, today, buf, sizeof(buf)));
	profile_free(p);

	assert_int_equal(profile_load("miyun", &p, &err), 0);
	bool two_step = false;
	for (size_t i = 0; i < p->nworkflows; i++)
		if (strcmp(p->workflows[i].key, "access") == 0)
			two_step = strstr(p->workflows[i].approvals, "authority") != NULL;
	assert_true(two_step); /* MY-4 */
	profile_free(p);

	assert_int_equal(profile_load("shengsi", &p, &err), 0);
	bool assess = false;
	for (size_t i = 0; i < p->nworkflows; i++)
		if (strcmp(p->workflows[i].key, "access") == 0)
			assess = p->workflows[i].assessment_required;
	assert_true(assess); /* SS-10 */
	profile_free(p);
}

/* Take the shipped tongbai profile, replace one string, and expect a refusal at a line. */
static void expect_refused(const char *from, const char *to, const char *msg_part)
{
	const struct embed_file *f = embed_find("profiles/tongbai.conf");
	assert_non_null(f);
	const char *at = strstr(f->data, from);
	assert_non_null(at);
	size_t pre = (size_t)(at - f->data);
	size_t n = f->size - strlen(from) + strlen(to);
	char *text = malloc(n + 1);
	memcpy(text, f->data, pre);
	memcpy(text + pre, to, strlen(to));
	memcpy(text + pre + strlen(to), at + strlen(from), f->size - pre - strlen(from));
	text[n] = 0;
	struct profile *p = NULL;
	struct zw_err err = {0};
	int rc = profile_parse("tongbai.conf", text, n, "tongbai", &p, &err);
	free(text);
	if (rc == 0) {
		profile_free(p);
		fail_msg("accepted after replacing %s", from);
	}
	if (!strstr(err.message, "tongbai.conf:") || !strstr(err.message, msg_part))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, msg_part);
}

static void test_bad_profiles_refused(void **state)
{
	(void)state;
	expect_refused("[clause TB-13]", "[clause TB-13]\nbogus = 1", "未知的键");
	expect_refused("[clause TB-14]", "[clause TB-99]", "article");
	expect_refused("article = 14", "article = 99", "article");
	expect_refused("[deadline access_review]", "[deadline access_review]\nhours = 3",
	               "working_days");
	expect_refused("[deadline access_review]", "[deadline bogus_deadline]", "不在允许的取值中");
	expect_refused("\n[profile]\n", "\n[profile]\nid2 = x\n", "未知的键");
	expect_refused("id = tongbai", "id = other", "文件名");
	expect_refused("[sla county]", "[sla county]\nrepair_hours = two", "整数");
	/* A reference to a clause the catalogue does not hold. */
	expect_refused("[deadline access_review]\nclause = TB-13",
	               "[deadline access_review]\nclause = TB-13, TB-77", "TB-77");
}

int main(void)
{
	RUN(cmocka_unit_test(test_shipped_profiles_load),
	    cmocka_unit_test(test_rules_from_the_texts),
	    cmocka_unit_test(test_bad_profiles_refused));
}
