/* What every observation a reader produces must do: write as JSON and read back the same. */
#ifndef ZW_FUZZ_ROUNDTRIP_H
#define ZW_FUZZ_ROUNDTRIP_H

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "wire/obs.h"

static inline void obs_roundtrip(const struct obs *o)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	if (obs_write_json(&b, o) < 0)
		abort();
	struct zw_err err = {0};
	json_t *j = json_parse_body(b.p, b.len, &err);
	struct obs back;
	if (!j || obs_from_json(j, 0, &back, &err) != 0)
		abort();
	if (back.kind != o->kind || memcmp(back.mac, o->mac, 6) || back.ip != o->ip ||
	    back.expires != o->expires || back.vlan != o->vlan || back.device_id != o->device_id ||
	    strcmp(back.hostname, o->hostname) || strcmp(back.ifname, o->ifname))
		abort();
	json_decref(j);
	buf_free(&b);
}

#endif
