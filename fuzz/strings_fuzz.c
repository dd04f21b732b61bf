/* Fuzz the small parsers of outside strings: route paths, list cursors, ETags, dates, times,
 * mobile numbers, e-mail addresses, upload file names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/server.h"
#include "core/inet.h"
#include "core/parse.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	struct req r;
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < nroutes; i++)
		route_match(routes[i].path, s, &r);
	struct list_query q = {.limit = 10, .sort = "id", .sort_int = true};
	struct zw_err err = {0};
	if (list_cursor_decode(s, &q, &err) < 0 && !err.message[0])
		abort();
	int64_t v;
	int32_t d;
	parse_etag_rev(s, &v);
	if (parse_date(s, &d) == 0) {
		char out[11];
		format_date(d, out);
		if (strcmp(out, s) != 0)
			abort(); /* a valid date prints back as itself */
	}
	if (parse_time(s, &v) == 0) {
		char out[32];
		format_time(v, out);
	}
	/* addresses, prefixes and MACs print back to text that parses to the same value */
	struct inet_prefix p, p2;
	if (inet_parse_prefix(s, true, &p) == 0) {
		char out[INET_PREFIX_MAX];
		inet_format_prefix(&p, out);
		if (inet_parse_prefix(out, false, &p2) != 0 || p2.net != p.net || p2.len != p.len)
			abort();
	}
	int fam;
	u128 a;
	if (inet_parse_addr(s, &fam, &a) == 0) {
		char out[INET_ADDR_MAX];
		int fam2;
		u128 b;
		inet_format_addr(fam, a, out);
		if (inet_parse_addr(out, &fam2, &b) != 0 || fam2 != fam || b != a)
			abort();
	}
	uint8_t mac[6], mac2[6];
	if (parse_mac(s, mac) == 0) {
		char out[18];
		format_mac(mac, out);
		if (parse_mac(out, mac2) != 0 || memcmp(mac, mac2, 6) != 0)
			abort();
	}
	utf8_valid(s, size, true);
	mobile_cn_valid(s);
	email_valid(s);
	if (filename_valid(s) && (strchr(s, '/') || strstr(s, "..") == s))
		abort();
	free(s);
	return 0;
}
