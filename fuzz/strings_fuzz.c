/* Fuzz the small parsers of outside strings: route paths, list cursors, ETags, dates, times,
 * mobile numbers, e-mail addresses, upload file names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/server.h"
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
	utf8_valid(s, size, true);
	mobile_cn_valid(s);
	email_valid(s);
	if (filename_valid(s) && (strchr(s, '/') || strstr(s, "..") == s))
		abort();
	free(s);
	return 0;
}
