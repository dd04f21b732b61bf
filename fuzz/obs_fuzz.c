/* Fuzz the ingest reader: any JSON a probe (or anyone with a token) sends as one observation
 * is refused with a named field or read into a record that writes back and reads the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "wire/obs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zw_err err = {0};
	json_t *j = json_parse_body((const char *)data, size, &err);
	if (!j)
		return 0;
	struct obs o;
	if (obs_from_json(j, 0, &o, &err) != 0) {
		if (!err.message[0] || strncmp(err.field, "observations[0]", 15) != 0)
			abort();
		json_decref(j);
		return 0;
	}
	json_decref(j);
	struct buf b;
	buf_init(&b, 1 << 20);
	if (obs_write_json(&b, &o) < 0)
		abort();
	j = json_parse_body(b.p, b.len, &err);
	struct obs back;
	if (!j || obs_from_json(j, 0, &back, &err) != 0)
		abort();
	if (memcmp(&back.mac, &o.mac, 6) || back.kind != o.kind || back.ip != o.ip ||
	    back.at_us != o.at_us || back.nprl != o.nprl || strcmp(back.hostname, o.hostname))
		abort();
	json_decref(j);
	buf_free(&b);
	return 0;
}
