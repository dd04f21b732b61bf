#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/parse.h"
#include "core/test.h"
#include "policy/profile.h"
#include "watch/watch.h"

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
	expect_refused("label = 接入申请审核\nclause = TB-13",
	               "label = 接入申请审核\nclause = TB-13, TB-77", "TB-77");
	/* A wrong value is refused with the values allowed. */
	expect_refused("[deadline access_review]", "[deadline bogus_deadline]",
	               "（可选：access_review, access_implement,");
	expect_refused("basis = regulation", "basis = law", "可选：regulation, practice");
	expect_refused("approvals = manager", "approvals = manager, boss",
	               "可选：manager, authority");
	/* Behaviours no detector finds say so; a code the server detects may not. */
	expect_refused("[forbidden private_line]\nby_inspection = yes", "[forbidden private_line]",
	               "by_inspection = yes");
	expect_refused("[forbidden attack]", "[forbidden atack]", "可选：unregistered_terminal");
	expect_refused("[forbidden attack]", "[forbidden attack]\nby_inspection = yes", "自动发现");
	/* Each terminal check cites the clause requiring it, and only a required one has one. */
	expect_refused("antivirus_clause = TB-20\n", "", "antivirus_clause");
	expect_refused("plugin_required = no\n", "plugin_required = no\nplugin_clause = TB-20\n",
	               "plugin_clause");
	/* A period says how it is counted. */
	expect_refused("validity = none", "validity = 2y", "validity_rule");
	expect_refused("validity = none", "validity = two years", "validity");
	expect_refused("validity = none", "validity = none\nvalidity_rule = civil_code",
	               "validity_rule");
	expect_refused("offence_window_days = 365", "offence_window_days = 0", "1 到 3650");
}

static int32_t day(const char *s)
{
	int32_t d;
	assert_int_equal(parse_date(s, &d), 0);
	return d;
}

static void test_periods_by_the_civil_code(void **state)
{
	(void)state;
	/* 民法典 201/202: the first day not counted, ending on the corresponding day */
	assert_int_equal(profile_period_end("civil_code", day("2024-11-28"), 2, 'y'),
	                 day("2026-11-28"));
	assert_int_equal(profile_period_end("civil_code", day("2024-02-29"), 1, 'y'),
	                 day("2025-02-28")); /* no corresponding day: the month's last */
	assert_int_equal(profile_period_end("civil_code", day("2024-01-31"), 1, 'm'),
	                 day("2024-02-29"));
	assert_int_equal(profile_period_end("civil_code", day("2024-11-30"), 1, 'm'),
	                 day("2024-12-30"));
	assert_int_equal(profile_period_end("civil_code", day("2024-12-15"), 1, 'm'),
	                 day("2025-01-15"));
	assert_int_equal(profile_period_end("civil_code", day("2013-04-18"), 30, 'd'),
	                 day("2013-05-18"));
	assert_int_equal(profile_period_end("bogus", day("2024-11-28"), 2, 'y'), PROFILE_NO_DATE);
}

/* JX-28: 自发布之日起施行，有效期2年, issued 2024-11-28: in force to 2026-11-28 inclusive. */
static void test_jx_validity_check_and_warning_agree(void **state)
{
	(void)state;
	struct profile *p;
	struct zw_err err = {0};
	assert_int_equal(profile_load("jiaxian", &p, &err), 0);
	assert_string_equal(p->validity, "2y");
	assert_string_equal(p->validity_rule, "civil_code");
	assert_int_equal(p->expires, day("2026-11-28"));
	char buf[512];
	assert_int_equal(profile_days_to_expiry(p, day("2026-11-28")), 0);
	const char *w = profile_expiry_warning(p, day("2026-11-28"), buf, sizeof(buf));
	assert_non_null(w);
	assert_non_null(strstr(w, "有效期至 2026-11-28"));
	assert_non_null(strstr(w, "今天是最后一天"));
	assert_non_null(strstr(w, "自 2026-11-29 起失效"));
	assert_null(strstr(w, "已"));
	assert_int_equal(profile_days_to_expiry(p, day("2026-11-29")), -1);
	w = profile_expiry_warning(p, day("2026-11-29"), buf, sizeof(buf));
	assert_non_null(strstr(w, "已自 2026-11-29 起失效"));
	assert_null(strstr(w, "已于 2026-11-28"));
	profile_free(p);
	assert_int_equal(profile_load("tongbai", &p, &err), 0);
	assert_int_equal(p->expires, PROFILE_NO_DATE);
	assert_null(profile_expiry_warning(p, day("2099-01-01"), buf, sizeof(buf)));
	profile_free(p);
}

static void test_detected_behaviours_cover_the_watch(void **state)
{
	(void)state;
	for (int k = 0; k < FINDING_COUNT; k++)
		if (!profile_behaviour_detected(finding_behaviour((enum finding_kind)k)))
			fail_msg("%s is detected but not in the profile's list",
			         finding_behaviour((enum finding_kind)k));
	assert_true(profile_behaviour_detected("classified_equipment"));
	assert_false(profile_behaviour_detected("p2p"));
}

static void test_json_from_the_tables(void **state)
{
	(void)state;
	struct profile *p;
	struct zw_err err = {0};
	assert_int_equal(profile_load("tongbai", &p, &err), 0);
	json_t *o = profile_to_json(p, false);
	json_t *d = json_array_get(json_object_get(o, "deadlines"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "key")), "access_review");
	assert_string_equal(json_string_value(json_object_get(d, "label")), "接入申请审核");
	assert_int_equal(json_integer_value(json_object_get(d, "working_days")), 3);
	assert_null(json_object_get(d, "hours")); /* an optional int absent is left out */
	assert_string_equal(json_string_value(json_array_get(json_object_get(d, "clauses"), 0)),
	                    "TB-13");
	json_t *t = json_object_get(o, "terminal_policy");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(t, "signature_clauses"), 0)), "TB-20");
	assert_int_equal(json_array_size(json_object_get(t, "patch_clauses")), 0);
	json_t *v = json_object_get(o, "violation_policy");
	assert_int_equal(json_integer_value(json_object_get(v, "offence_window_days")), 365);
	assert_true(json_is_false(json_object_get(v, "auto_isolate")));
	assert_true(json_is_null(json_object_get(o, "expires")));
	assert_string_equal(json_string_value(json_object_get(o, "validity")), "none");
	assert_true(
	    json_is_array(json_object_get(json_object_get(o, "unit_status_clauses"), "connected")));
	json_decref(o);
	assert_int_equal(profile_check_unit_type(p, "学校", &err), 0);
	assert_int_not_equal(profile_check_unit_type(p, "公司", &err), 0);
	assert_string_equal(err.field, "type");
	assert_non_null(strstr(err.message, "党政机关"));
	profile_free(p);
}

/* docs/PROFILES.md holds the key list profile_keys_markdown prints, between its markers. */
static void test_docs_key_list_matches_the_tables(void **state)
{
	(void)state;
	const char *src = getenv("ZWNET_SRCDIR");
	char path[1024];
	snprintf(path, sizeof(path), "%s/docs/PROFILES.md", src ? src : ".");
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open", path);
	static char doc[1 << 17];
	size_t n = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[n] = 0;
	const char *begin_mark = "<!-- BEGIN zwnet profile keys --markdown -->\n";
	const char *end_mark = "<!-- END zwnet profile keys --markdown -->";
	char *b = strstr(doc, begin_mark), *e = b ? strstr(b, end_mark) : NULL;
	if (!b || !e)
		fail_msg("%s: the generated key list's markers are missing", path);
	b += strlen(begin_mark);
	char *gen = NULL;
	size_t glen = 0;
	FILE *m = open_memstream(&gen, &glen);
	profile_keys_markdown(m);
	fclose(m);
	if (glen != (size_t)(e - b) || memcmp(gen, b, glen) != 0)
		fail_msg("docs/PROFILES.md's key list is stale: regenerate it with "
		         "`zwnet profile keys --markdown`");
	free(gen);
}

int main(void)
{
	RUN(cmocka_unit_test(test_shipped_profiles_load),
	    cmocka_unit_test(test_rules_from_the_texts),
	    cmocka_unit_test(test_bad_profiles_refused),
	    cmocka_unit_test(test_periods_by_the_civil_code),
	    cmocka_unit_test(test_jx_validity_check_and_warning_agree),
	    cmocka_unit_test(test_detected_behaviours_cover_the_watch),
	    cmocka_unit_test(test_json_from_the_tables),
	    cmocka_unit_test(test_docs_key_list_matches_the_tables));
}
