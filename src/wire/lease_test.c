#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "core/test.h"
#include "wire/lease.h"

#define NOW 1795000000 /* 2026-11-18 */

struct got {
	char out[2048];
	int n;
};

/* "mac ip expires hostname" per lease */
static int collect(const struct obs *o, void *arg)
{
	struct got *g = arg;
	char mac[18], ip[INET_ADDR_MAX], line[400];
	format_mac(o->mac, mac);
	inet_format_addr(o->family, o->ip, ip);
	snprintf(line, sizeof(line), "%s %s %lld %s\n", mac, ip, (long long)o->expires,
	         o->hostname);
	strcat(g->out, line);
	g->n++;
	assert_int_equal(o->kind, OBS_LEASE);
	assert_int_equal(o->at_us, (int64_t)NOW * 1000000);
	return 0;
}

static struct lease_stats run(enum lease_format f, const char *text, struct got *g)
{
	struct lease_stats st;
	memset(g, 0, sizeof(*g));
	assert_int_equal(lease_parse(f, text, strlen(text), NOW, collect, g, &st), 0);
	assert_int_equal(st.leases, (size_t)g->n);
	return st;
}

static void test_isc(void **state)
{
	(void)state;
	const char *text =
	    "# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
	    "authoring-byte-order little-endian;\n"
	    "server-duid \"\\000\\001\\000\\001;{}\";\n"
	    "lease 10.0.0.5 {\n"
	    "  starts 3 2026/11/18 01:00:00;\n"
	    "  ends 3 2026/11/18 02:00:00;\n" /* expired before NOW */
	    "  binding state active;\n"
	    "  hardware ethernet 00:16:3e:00:00:05;\n"
	    "}\n"
	    "lease 10.0.0.6 {\n"
	    "  starts 4 2026/11/19 08:00:00;\n"
	    "  ends 4 2026/11/19 20:00:00;\n"
	    "  binding state active;\n"
	    "  next binding state free;\n"
	    "  hardware ethernet 00:16:3e:00:00:06;\n"
	    "  uid \"\\001\\000\\026>\\000\\000\\006\";\n"
	    "  client-hostname \"pc-06\";\n"
	    "  on commit { set x = \"}\"; }\n"
	    "}\n"
	    "lease 10.0.0.7 {\n"
	    "  ends never;\n"
	    "  binding state active;\n"
	    "  hardware ethernet 00:16:3e:00:00:07;\n"
	    "}\n"
	    "lease 10.0.0.7 {\n" /* later: released */
	    "  ends epoch 1795100000;\n"
	    "  binding state free;\n"
	    "  hardware ethernet 00:16:3e:00:00:07;\n"
	    "}\n"
	    "lease 10.0.0.8 {\n"
	    "  ends epoch 1795100000; # 2026/11/19 ...\n"
	    "  binding state active;\n"
	    "  hardware ethernet 00:16:3e:00:00:08;\n"
	    "}\n"
	    "lease 10.0.0.9 {\n"
	    "  binding state active;\n"
	    "  hardware ethernet 00:16:3e:zz:00:09;\n" /* line 37: unreadable */
	    "}\n"
	    "ia-na \"\\001\\000\" {\n"
	    "  iaaddr 2001:db8::5 { binding state active; }\n"
	    "}\n"
	    "lease 10.0.0.10 {\n"
	    "  binding state active;\n"
	    "  hardware ethernet 00:16:3e:00:00:0a;\n"; /* cut off mid-write */
	struct got g;
	struct lease_stats st = run(LEASE_ISC, text, &g);
	assert_string_equal(g.out, "00:16:3e:00:00:06 10.0.0.6 1795118400 pc-06\n"
	                           "00:16:3e:00:00:08 10.0.0.8 1795100000 \n");
	assert_int_equal(st.skipped, 2); /* superseded, released */
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.bad, 2);
	assert_int_equal(st.first_bad, 35);
}

static void test_kea(void **state)
{
	(void)state;
	const char *text =
	    "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,"
	    "state,user_context\n"
	    "10.0.0.6,00:16:3e:00:00:06,01:00:16:3e:00:00:06,3600,1795003600,1,0,0,pc-06,0,\n"
	    "10.0.0.7,00:16:3e:00:00:07,,3600,1795003600,1,0,0,,0,\n"
	    "10.0.0.7,00:16:3e:00:00:07,,0,1795003600,1,0,0,,0,\n"    /* released */
	    "10.0.0.8,00:16:3e:00:00:08,,3600,1795003600,1,0,0,,1,\n" /* declined */
	    "10.0.0.9,not-a-mac,,3600,1795003600,1,0,0,,0,\n"
	    "2001:db8::9,00:16:3e:00:00:09,,3600,1795003600,1,0,0,v6,0,\n";
	struct got g;
	struct lease_stats st = run(LEASE_KEA, text, &g);
	assert_string_equal(g.out, "00:16:3e:00:00:06 10.0.0.6 1795003600 pc-06\n"
	                           "00:16:3e:00:00:09 2001:db8::9 1795003600 v6\n");
	assert_int_equal(st.skipped, 3);
	assert_int_equal(st.bad, 1);
	assert_int_equal(st.first_bad, 6);
	/* a file that is not Kea's */
	st = run(LEASE_KEA, "a,b\n1,2\n", &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(st.bad, 1);
}

static void test_dnsmasq(void **state)
{
	(void)state;
	const char *text = "1795003600 00:16:3e:00:00:06 10.0.0.6 pc-06 01:00:16:3e:00:00:06\n"
	                   "0 00:16:3e:00:00:07 10.0.0.7 * *\n"
	                   "1794000000 00:16:3e:00:00:08 10.0.0.8 old *\n"
	                   "garbage\n"
	                   "duid 00:01:00:01:2c:5b:1a:0e:00:16:3e:00:00:01\n"
	                   "1795003600 1234 2001:db8::6 pc-06 00:01:00:01\n";
	struct got g;
	struct lease_stats st = run(LEASE_DNSMASQ, text, &g);
	assert_string_equal(g.out, "00:16:3e:00:00:06 10.0.0.6 1795003600 pc-06\n"
	                           "00:16:3e:00:00:07 10.0.0.7 0 \n");
	assert_int_equal(st.skipped, 1); /* IPv6 */
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.last_end, 1794000000);
	assert_int_equal(st.bad, 1);
	assert_int_equal(st.first_bad, 4);
	assert_false(lease_all_expired(st.leases, st.expired));
	assert_int_equal(lease_format_parse("kea"), LEASE_KEA);
	assert_int_equal(lease_format_parse("dhcpd"), -1);
}

/* A file whose leases all ended (its server stopped, an old copy) is told apart from one with
 * no leases at all: it is said, not silently empty (issue 14). */
static void test_all_expired(void **state)
{
	(void)state;
	struct got g;
	struct lease_stats st = run(LEASE_DNSMASQ,
	                            "1794000000 00:16:3e:00:00:08 10.0.0.8 old *\n"
	                            "1794000100 00:16:3e:00:00:09 10.0.0.9 older *\n",
	                            &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(st.expired, 2);
	assert_int_equal(st.last_end, 1794000100);
	assert_true(lease_all_expired(st.leases, st.expired));
	st = run(LEASE_DNSMASQ, "", &g);
	assert_false(lease_all_expired(st.leases, st.expired));
}

int main(void)
{
	RUN(cmocka_unit_test(test_isc), cmocka_unit_test(test_kea), cmocka_unit_test(test_dnsmasq),
	    cmocka_unit_test(test_all_expired));
}
