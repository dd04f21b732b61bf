#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/inet.h"
#include "core/parse.h"
#include "core/record.h"
#include "core/test.h"
#include "domain/org/unit.h"

static int check(const char *json, bool create, const char *field)
{
	json_error_t je;
	json_t *o = json_loads(json, 0, &je);
	assert_non_null(o);
	struct contact c = {0};
	struct zw_err err = {0};
	uint64_t present;
	int rc = rec_from_json(&contact_schema, o, create, &c, &present, &err);
	json_decref(o);
	contact_free(&c);
	if (field) {
		assert_int_not_equal(rc, 0);
		if (strcmp(err.field, field) != 0)
			fail_msg("field %s, wanted %s (%s)", err.field, field, err.message);
		assert_true(err.message[0] != 0);
	} else if (rc) {
		fail_msg("unexpected error on %s: %s", err.field, err.message);
	}
	return rc;
}

static void test_contact_fields(void **state)
{
	(void)state;
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\",\"mobile\":\"13800001234\"}", true, NULL);
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\"}", true, "mobile");
	check("{\"role\":\"保安\",\"name\":\"王丽\",\"mobile\":\"13800001234\"}", true, "role");
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\",\"mobile\":\"1380000\"}", true, "mobile");
	check("{\"role\":\"安全联系人\",\"name\":123,\"mobile\":\"13800001234\"}", true, "name");
	check("{\"role\":\"安全联系人\",\"name\":\"王丽\",\"mobile\":\"13800001234\",\"x\":1}",
	      true, "x");
	check("{\"id\":5}", false, "id");
	check("{\"email\":\"not-an-email\"}", false, "email");
	check("{\"name\":\"\"}", false, "name");
	check("{\"name\":null}", false, "name");
	check("{\"name\":\"a\\u0001b\"}", false, "name");
	/* 31 characters is one too many for a name (30). */
	check("{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"}",
	      false, "name");
	check("{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\"}", false,
	      NULL);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct unit u = {.id = 3,
	                 .name = "桐柏县财政局",
	                 .type = "党政机关",
	                 .level = "县直",
	                 .status = "已接入",
	                 .rev = 2};
	json_t *o = rec_to_json(&unit_schema, &u);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "桐柏县财政局");
	assert_true(json_is_null(json_object_get(o, "parent_id")));
	assert_int_equal(json_integer_value(json_object_get(o, "rev")), 2);
	json_decref(o);
}

/* The text writer and the jansson path give the same object, escapes included. */
static void test_text_writer_matches(void **state)
{
	(void)state;
	struct unit u = {.id = 3,
	                 .name = "桐柏县\"财政\\局\n\t\x01",
	                 .type = "党政机关",
	                 .level = "县直",
	                 .address = "人民路 </script>",
	                 .status = "已接入",
	                 .status_at = 1790000000,
	                 .parent_id = 9,
	                 .rev = 2};
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(rec_write_json(&b, &unit_schema, &u), 0);
	json_error_t je;
	json_t *parsed = json_loadb(b.p, b.len, 0, &je);
	if (!parsed)
		fail_msg("not JSON: %s (%s)", b.p, je.text);
	json_t *want = rec_to_json(&unit_schema, &u);
	assert_true(json_equal(parsed, want));
	json_decref(parsed);
	json_decref(want);
	buf_free(&b);
}

/* ---- the patterns a client is given agree with the checks ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static bool accepted(const struct rec_field *f, const char *s)
{
	char *canon = NULL;
	struct zw_err err = {0};
	int rc = rec_check_text(f, s, &canon, &err);
	free(canon);
	return rc == 0;
}

/* s one edit away from seed: a character replaced, inserted or deleted, from alphabet. */
static void mutate(char *out, size_t cap, const char *seed, const char *alphabet)
{
	size_t n = strlen(seed), at = n ? rnd((unsigned)n + 1) : 0, k = strlen(alphabet);
	char c = alphabet[rnd((unsigned)k)];
	switch (rnd(3)) {
	case 0: /* replace */
		snprintf(out, cap, "%.*s%c%s", (int)at, seed, c, at < n ? seed + at + 1 : "");
		break;
	case 1: /* insert */
		snprintf(out, cap, "%.*s%c%s", (int)at, seed, c, seed + at);
		break;
	default: /* delete */
		snprintf(out, cap, "%.*s%s", (int)at, seed, at < n ? seed + at + 1 : "");
	}
}

/* Every text the pattern of f accepts rec_check_text accepts (the pattern is never looser);
 * for an exact pattern the other way round too. The texts: the seeds, and chains of random
 * edits from them. skip: a lookahead at the start the POSIX engine cannot read. */
static void agree(const struct rec_field *f, const char *const *seeds, const char *alphabet,
                  size_t skip, bool must_match_seeds)
{
	bool exact;
	const char *pat = rec_pattern(f, &exact);
	assert_non_null(pat);
	char body[1 << 16];
	snprintf(body, sizeof(body), "^%s", pat + skip);
	regex_t re;
	int rc = regcomp(&re, skip ? body : pat, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char why[200];
		regerror(rc, &re, why, sizeof(why));
		fail_msg("%s: pattern does not compile: %s", f->name, why);
	}
	size_t nseeds = 0;
	while (seeds[nseeds])
		nseeds++;
	for (size_t i = 0; i < nseeds; i++) {
		bool m = regexec(&re, seeds[i], 0, NULL, 0) == 0;
		if (must_match_seeds && !m)
			fail_msg("%s: pattern refuses %s", f->name, seeds[i]);
	}
	char s[128], t[128];
	for (int i = 0; i < 4000; i++) {
		snprintf(s, sizeof(s), "%s", seeds[rnd((unsigned)nseeds)]);
		for (int e = (int)rnd(4); e >= 0; e--) {
			mutate(t, sizeof(t), s, alphabet);
			memcpy(s, t, sizeof(s));
			if (!*s) /* "" is "not given" for an optional field, whatever its type */
				continue;
			bool m = regexec(&re, s, 0, NULL, 0) == 0, ok = accepted(f, s);
			if (m && !ok)
				fail_msg("%s: the pattern accepts “%s”, the server refuses it",
				         f->name, s);
			if (exact && ok && !m)
				fail_msg(
				    "%s: the server accepts “%s”, the exact pattern refuses it",
				    f->name, s);
		}
	}
	regfree(&re);
}

static void test_patterns_agree(void **state)
{
	(void)state;
	static const char *const ips[] = {"10.20.1.5",
	                                  "0.0.0.0",
	                                  "255.255.255.255",
	                                  "1.2.3.4",
	                                  "::",
	                                  "::1",
	                                  "2001:db8::5",
	                                  "fe80::1:2",
	                                  "1:2:3:4:5:6:7:8",
	                                  "1::8",
	                                  "1:2:3:4:5:6::",
	                                  "::ffff:10.0.0.1",
	                                  "1:2:3:4:5:6:1.2.3.4",
	                                  "::1:2:3:4:5:6:7",
	                                  "2001:DB8:0:0:0:0:0:1",
	                                  NULL};
	struct rec_field ip = {.name = "ip", .type = REC_IP, .label = "IP", .maxchars = 45};
	agree(&ip, ips, "0123456789abcdefABCDEFg:.%/ ", 0, true);
	static const char *const lists[] = {"10.0.0.1", "10.0.0.1, 2001:db8::53",   " ,8.8.8.8 ",
	                                    "",         "1.1.1.1 1.0.0.1,,9.9.9.9", NULL};
	struct rec_field ipl = {.name = "dns", .type = REC_IPS, .label = "DNS", .maxchars = 200};
	agree(&ipl, lists, "0123456789abcdef:., x", 0, true);
	static const char *const cidrs[] = {"10.0.0.0/8",          "0.0.0.0/0",
	                                    "192.168.1.128/25",    "10.20.0.0/16",
	                                    "1.2.3.4/32",          "1.2.3.4/31",
	                                    "172.16.0.0/12",       "2001:db8::/32",
	                                    "2001:db8::/48",       "2001:db8:0:1::/64",
	                                    "fe80::/10",           "::/1",
	                                    "1:2:3:4:5:6:7:8/128", "2001:db8:ab00::/40",
	                                    "2001:db8:ab80::/41",  "1:2:3:4:5:6:7:fffe/127",
	                                    "1:2:3:4:5:6:7::/112", NULL};
	struct rec_field cidr = {
	    .name = "cidr", .type = REC_CIDR, .label = "地址段", .maxchars = 50};
	agree(&cidr, cidrs, "0123456789abcdef:./", 0, true);
	/* every prefix with its host bits cleared, in the server's own form for IPv4 */
	regex_t re;
	assert_int_equal(regcomp(&re, rec_pattern(&cidr, NULL), REG_EXTENDED | REG_NOSUB), 0);
	for (int i = 0; i < 2000; i++) {
		struct inet_prefix p = {4, (uint8_t)rnd(33), 0};
		u128 a = ((u128)rnd(1u << 16) << 16) | rnd(1u << 16);
		p.net = p.len ? a & ~((((u128)1) << (32 - p.len)) - 1) : 0;
		char text[INET_PREFIX_MAX];
		inet_format_prefix(&p, text);
		if (regexec(&re, text, 0, NULL, 0) != 0)
			fail_msg("the pattern refuses %s", text);
	}
	regfree(&re);
	static const char *const macs[] = {"aa:bb:cc:dd:ee:ff",
	                                   "00-1a-2b-3c-4d-5e",
	                                   "001a.2b3c.4d5e",
	                                   "001a-2b3c-4d5e",
	                                   "001A2B3C4D5E",
	                                   "02:00:00:00:00:01",
	                                   NULL};
	struct rec_field mac = {.name = "mac", .type = REC_MAC, .label = "MAC", .maxchars = 20};
	/* the lookahead (?![-.:0]*$) refuses all-zero texts; the rest is POSIX */
	agree(&mac, macs, "0123456789abcdefABCDEFg:.-", strlen("^(?![-.:0]*$)"), false);
	assert_false(accepted(&mac, "00:00:00:00:00:00"));
	assert_false(accepted(&mac, "01:00:5e:00:00:01"));
	struct rec_field host = {
	    .name = "hostname", .type = REC_HOSTNAME, .label = "主机名", .maxchars = 63};
	static const char *const hosts[] = {"pc-01", "a", "pc-01.caizheng", "a.b.c", "x1", NULL};
	agree(&host, hosts, "abcZ09-._ ", 0, true);
	struct rec_field dom = {
	    .name = "name", .type = REC_DOMAIN, .label = "域名", .maxchars = 253};
	static const char *const doms[] = {"www.example.gov.cn", "a.b", "x-1.y", "A.CN", NULL};
	agree(&dom, doms, "abcZ09-._ ", 0, true);
	struct rec_field code = {.name = "code", .type = REC_CODE, .label = "代码", .maxchars = 32};
	static const char *const codes[] = {"public", "dmz_2", "a-b", NULL};
	agree(&code, codes, "azAZ09_-. ", 0, true);
	struct rec_field user = {
	    .name = "username", .type = REC_USERNAME, .label = "用户名", .maxchars = 32};
	static const char *const users[] = {"admin", "li.ming", "u_1-2", "ab", NULL};
	agree(&user, users, "azAZ09_.-@ ", 0, true);
	struct rec_field yuan = {
	    .name = "amount", .type = REC_YUAN, .label = "金额", .maxchars = 16};
	static const char *const amounts[] = {"0", "1280.50", "3.5", "1234567890", "007.00", NULL};
	agree(&yuan, amounts, "0123456789.,-e ", 0, true);
	struct rec_field day = {.name = "d", .type = REC_DATE, .label = "日期", .maxchars = 10};
	static const char *const days[] = {"2026-01-05", "2024-02-29", "2000-02-29", "1900-02-28",
	                                   "2199-12-31", "2026-04-30", "2026-03-31", NULL};
	agree(&day, days, "0123456789-", 0, true);
}

/* The patterns of what probes report: a MAC in any notation parse_mac reads, an address of
 * one family; exactly what the parsers take. */
static void test_wire_patterns(void **state)
{
	(void)state;
	static const char *const seeds[] = {
	    "01:00:5e:00:00:01", "00-00-00-00-00-00", "ffff.ffff.ffff",
	    "aabb-ccdd-eeff",    "AABBCCDDEEFF",      "10.0.0.1",
	    "2001:db8::1",       "::ffff:1.2.3.4",    NULL};
	regex_t mac, v4, v6;
	assert_int_equal(regcomp(&mac, rec_mac_any_pattern(), REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&v4, rec_ip_pattern(4), REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&v6, rec_ip_pattern(6), REG_EXTENDED | REG_NOSUB), 0);
	char s[128], t[128];
	for (int i = 0; i < 20000; i++) {
		if (i % 5 == 0)
			snprintf(s, sizeof(s), "%s", seeds[rnd(8)]);
		mutate(t, sizeof(t), s, "0123456789abcdefABCDEFg:.-");
		memcpy(s, t, sizeof(s));
		uint8_t m[6];
		int fam = 0;
		u128 a;
		bool is_mac = parse_mac(s, m) == 0, is_ip = inet_parse_addr(s, &fam, &a) == 0;
		if (is_mac != (regexec(&mac, s, 0, NULL, 0) == 0))
			fail_msg("mac pattern and parse_mac disagree on “%s”", s);
		if ((is_ip && fam == 4) != (regexec(&v4, s, 0, NULL, 0) == 0) ||
		    (is_ip && fam == 6) != (regexec(&v6, s, 0, NULL, 0) == 0))
			fail_msg("address patterns and inet_parse_addr disagree on “%s”", s);
	}
	regfree(&mac);
	regfree(&v4);
	regfree(&v6);
}

/* The checks a type adds: the canonical text stored, and the refusals. */
static void test_formats(void **state)
{
	(void)state;
	struct rec_field mac = {.name = "mac", .type = REC_MAC, .label = "MAC", .maxchars = 20};
	struct rec_field ip = {.name = "ip", .type = REC_IP, .label = "IP", .maxchars = 45};
	struct rec_field cidr = {
	    .name = "cidr", .type = REC_CIDR, .label = "地址段", .maxchars = 50};
	struct rec_field dom = {
	    .name = "name", .type = REC_DOMAIN, .label = "域名", .maxchars = 253};
	struct {
		const struct rec_field *f;
		const char *in, *canon;
	} ok[] = {{&mac, "AA-BB-CC-DD-EE-F0", "aa:bb:cc:dd:ee:f0"},
	          {&mac, "aabb.ccdd.eef0", "aa:bb:cc:dd:ee:f0"},
	          {&ip, "2001:DB8:0:0::5", "2001:db8::5"},
	          {&ip, "10.0.0.1", "10.0.0.1"},
	          {&cidr, "2001:db8:0::/48", "2001:db8::/48"},
	          {&dom, "WWW.Example.GOV.cn", "www.example.gov.cn"}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *canon = NULL;
		struct zw_err err = {0};
		if (rec_check_text(ok[i].f, ok[i].in, &canon, &err))
			fail_msg("%s refused: %s", ok[i].in, err.message);
		assert_string_equal(canon ? canon : ok[i].in, ok[i].canon);
		free(canon);
	}
	struct rec_field host = {
	    .name = "hostname", .type = REC_HOSTNAME, .label = "主机名", .maxchars = 63};
	struct rec_field secret = {.name = "key",
	                           .type = REC_TEXT,
	                           .flags = REC_WRITEONLY,
	                           .label = "密钥",
	                           .maxchars = 100};
	struct rec_field pw = {
	    .name = "password", .type = REC_PASSWORD, .label = "密码", .maxchars = 128};
	struct rec_field past = {
	    .name = "d", .type = REC_DATE, .flags = REC_PAST, .label = "日期", .maxchars = 10};
	char tomorrow[11];
	format_date(clock_today_cn() + 1, tomorrow);
	struct {
		const struct rec_field *f;
		const char *in;
	} bad[] = {{&mac, "01:00:5e:00:00:01"},
	           {&mac, "00:00:00:00:00:00"},
	           {&mac, "aa:bb-cc:dd:ee:ff"},
	           {&ip, "010.0.0.1"},
	           {&ip, "fe80::1%eth0"},
	           {&cidr, "10.0.0.1/8"},
	           {&cidr, "10.0.0.0/08"},
	           {&dom, "localhost"},
	           {&dom, "a..b"},
	           {&dom, "-a.b"},
	           {&host, "-pc"},
	           {&host, "pc..01"},
	           {&host, "pc_01"},
	           {&secret, ""},
	           {&secret, "sealed:v1:abc"},
	           {&pw, "short1"},
	           {&pw, "longenoughbutnodigit"},
	           {&past, tomorrow}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *canon = NULL;
		struct zw_err err = {0};
		if (!rec_check_text(bad[i].f, bad[i].in, &canon, &err))
			fail_msg("%s accepted for %s", bad[i].in, bad[i].f->name);
		assert_string_equal(err.field, bad[i].f->name);
		assert_null(canon);
	}
	char today[11];
	format_date(clock_today_cn(), today);
	char *canon = NULL;
	assert_int_equal(rec_check_text(&past, today, &canon, NULL), 0);
	assert_int_equal(rec_check_text(&pw, "abcdefg1", &canon, NULL), 0);
}

int main(void)
{
	RUN(cmocka_unit_test(test_contact_fields), cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_text_writer_matches), cmocka_unit_test(test_patterns_agree),
	    cmocka_unit_test(test_formats), cmocka_unit_test(test_wire_patterns));
}
