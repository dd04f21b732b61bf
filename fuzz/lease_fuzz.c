/* Fuzz the lease-file readers: any bytes, in any of the three formats, give leases that are
 * whole observations (a MAC, an address, a time) which write as JSON and read back the same,
 * or are counted as bad lines; never a crash, never an unbounded allocation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "wire/lease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(const struct obs *o, void *arg)
{
	(void)arg;
	if (o->kind != OBS_LEASE || !o->has_mac || !o->has_ip || (o->family != 4 && o->family != 6))
		abort();
	struct buf b;
	buf_init(&b, 1 << 20);
	if (obs_write_json(&b, o) < 0)
		abort();
	struct zw_err err = {0};
	json_t *j = json_parse_body(b.p, b.len, &err);
	struct obs back;
	if (!j || obs_from_json(j, 0, &back, &err) != 0)
		abort();
	if (memcmp(back.mac, o->mac, 6) || back.ip != o->ip || back.expires != o->expires ||
	    strcmp(back.hostname, o->hostname))
		abort();
	json_decref(j);
	buf_free(&b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct lease_stats st;
	if (lease_parse((enum lease_format)(data[0] % 3), (const char *)data + 1, size - 1,
	                1700000000, check, NULL, &st) < 0)
		abort();
	if (st.bad && !st.first_bad && data[0] % 3 != LEASE_KEA)
		abort();
	return 0;
}
