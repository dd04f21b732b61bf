/* Fuzz the SNMP answer reader: any sequence of varbinds (column, OID suffix, type, value) a
 * device might send is either refused or becomes an observation that writes as JSON and reads
 * back the same; the port tables stay bounded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roundtrip.h"
#include "wire/snmptab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snmp_ports ports;
	memset(&ports, 0, sizeof(ports));
	/* each varbind: col, n, n suffix bytes (a sub-id each, 0xff = a large one), type, vlen,
	 * value bytes, ival byte */
	size_t at = 0;
	while (at + 3 <= size) {
		enum snmp_col c = (enum snmp_col)(data[at++] % COL_COUNT);
		size_t n = data[at++] % 24;
		uint32_t sx[24];
		for (size_t i = 0; i < n; i++)
			sx[i] = at < size ? (data[at] == 0xff ? 70000u : data[at]) : 0, at++;
		if (at + 2 > size)
			break;
		int type = data[at++] & 1 ? SNMP_T_OCTETS : SNMP_T_INTEGER;
		size_t vlen = data[at++] % 64;
		if (at + vlen > size)
			vlen = size - at;
		const uint8_t *val = data + at;
		at += vlen;
		int64_t ival = at < size ? (int64_t)data[at++] - 8 : 0;
		struct obs o;
		if (snmp_row(c, sx, n, type, val, vlen, ival, &ports, 7, 1795000000000000, &o) == 1)
			obs_roundtrip(&o);
	}
	if (ports.n > SNMP_MAX_PORTS || ports.nb > SNMP_MAX_PORTS)
		abort();
	return 0;
}
