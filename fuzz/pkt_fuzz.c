/* Fuzz the frame decoder (ARP, ND, DHCPv4/v6, TCP SYN behind VLAN tags): any bytes, no read
 * past the frame, and whatever it decodes must survive the JSON round trip the probe and
 * server share. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "wire/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so ASan sees any read past the frame */
	uint8_t *frame = malloc(size ? size : 1);
	if (!frame)
		return 0;
	memcpy(frame, data, size);
	struct obs o;
	int n = pkt_decode(frame, size, 1795000000123456ll, &o);
	free(frame);
	if (n != 0 && n != 1)
		abort();
	if (!n)
		return 0;
	struct buf b;
	buf_init(&b, 1 << 20);
	if (obs_write_json(&b, &o) < 0)
		abort();
	struct zw_err err = {0};
	json_t *j = json_parse_body(b.p, b.len, &err);
	if (!j)
		abort(); /* the writer must write valid JSON */
	struct obs back;
	/* what a probe decodes the server must accept, except a DHCP answer without an address
	 * the server cannot tell apart from... nothing: every decoded observation must read back */
	if (obs_from_json(j, 0, &back, &err) != 0)
		abort();
	if (back.kind != o.kind || back.op != o.op || memcmp(back.mac, o.mac, 6) != 0 ||
	    back.has_ip != o.has_ip || (o.has_ip && back.ip != o.ip) || back.at_us != o.at_us)
		abort();
	json_decref(j);
	buf_free(&b);
	return 0;
}
