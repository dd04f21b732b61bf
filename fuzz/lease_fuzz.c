/* Fuzz the lease-file readers: any bytes, in any of the three formats, give leases that are
 * whole observations (a MAC, an address, a time) which write as JSON and read back the same,
 * or are counted as bad lines; never a crash, never an unbounded allocation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roundtrip.h"
#include "wire/lease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(const struct obs *o, void *arg)
{
	(void)arg;
	if (o->kind != OBS_LEASE || !o->has_mac || !o->has_ip || (o->family != 4 && o->family != 6))
		abort();
	obs_roundtrip(o);
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
