#include "wire/snmptab.h"

#include <string.h>

static const uint32_t oids[COL_COUNT][16] = {
    [COL_IFNAME] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1},
    [COL_IFDESCR] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 2},
    [COL_BASEPORT_IFINDEX] = {1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2},
    [COL_NET_TO_PHYSICAL] = {1, 3, 6, 1, 2, 1, 4, 35, 1, 4},
    [COL_NET_TO_MEDIA] = {1, 3, 6, 1, 2, 1, 4, 22, 1, 2},
    [COL_QFDB_PORT] = {1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2},
    [COL_FDB_PORT] = {1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2},
};
static const size_t lens[COL_COUNT] = {11, 10, 11, 10, 10, 13, 11};

const uint32_t *snmp_col_oid(enum snmp_col c, size_t *n)
{
	*n = lens[c];
	return oids[c];
}

static const char *port_name(const struct snmp_ports *p, uint32_t ifindex)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->ifindex[i] == ifindex)
			return p->name[i];
	return NULL;
}

static void set_port_name(struct snmp_ports *p, uint32_t ifindex, const uint8_t *v, size_t n,
                          bool keep)
{
	size_t i;
	for (i = 0; i < p->n && p->ifindex[i] != ifindex; i++)
		;
	if (i == p->n) {
		if (p->n == SNMP_MAX_PORTS)
			return;
		p->n++;
	} else if (keep) { /* ifDescr only where ifName said nothing */
		return;
	}
	p->ifindex[i] = ifindex;
	/* printable ASCII only: a port name goes into JSON and onto the console */
	size_t k = 0;
	for (size_t j = 0; j < n && k < sizeof(p->name[i]) - 1; j++)
		p->name[i][k++] = v[j] >= 0x20 && v[j] < 0x7f ? (char)v[j] : '?';
	p->name[i][k] = 0;
}

/* The port name of a bridge port, or its number when the device did not say. */
static void bport_name(const struct snmp_ports *p, int64_t bport, char out[32])
{
	for (size_t i = 0; i < p->nb; i++)
		if (p->bport[i] == (uint32_t)bport) {
			const char *n = port_name(p, p->bport_if[i]);
			if (n && *n) {
				snprintf(out, 32, "%s", n);
				return;
			}
			snprintf(out, 32, "ifIndex %u", p->bport_if[i]);
			return;
		}
	snprintf(out, 32, "port %lld", (long long)bport);
}

static bool mac_of(const uint8_t *v, size_t n, uint8_t mac[6])
{
	static const uint8_t zero[6];
	if (n != 6 || memcmp(v, zero, 6) == 0)
		return false;
	memcpy(mac, v, 6);
	return true;
}

static bool mac_suffix(const uint32_t *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (s[i] > 255)
			return false;
		mac[i] = (uint8_t)s[i];
	}
	static const uint8_t zero[6];
	return memcmp(mac, zero, 6) != 0;
}

int snmp_row(enum snmp_col c, const uint32_t *sx, size_t n, int type, const uint8_t *val,
             size_t vlen, int64_t ival, struct snmp_ports *ports, int64_t device_id, int64_t at_us,
             struct obs *o)
{
	memset(o, 0, sizeof(*o));
	o->device_id = device_id;
	o->at_us = at_us;
	switch (c) {
	case COL_IFNAME:
	case COL_IFDESCR:
		if (n != 1 || type != SNMP_T_OCTETS)
			return -1;
		set_port_name(ports, sx[0], val, vlen, c == COL_IFDESCR);
		return 0;
	case COL_BASEPORT_IFINDEX:
		if (n != 1 || type != SNMP_T_INTEGER || ival < 0 || ival > UINT32_MAX)
			return -1;
		if (ports->nb < SNMP_MAX_PORTS) {
			ports->bport[ports->nb] = sx[0];
			ports->bport_if[ports->nb++] = (uint32_t)ival;
		}
		return 0;
	case COL_NET_TO_PHYSICAL:
	case COL_NET_TO_MEDIA: {
		/* ipNetToPhysical: ifIndex, type (1 ipv4, 2 ipv6), length, address bytes;
		 * ipNetToMedia: ifIndex, four address bytes */
		size_t at = 1, alen;
		if (type != SNMP_T_OCTETS || n < 5)
			return -1;
		if (c == COL_NET_TO_PHYSICAL) {
			if (n < 3 || (sx[1] != 1 && sx[1] != 2))
				return -1;
			alen = sx[2];
			at = 3;
			if (alen != (sx[1] == 1 ? 4u : 16u) || n != 3 + alen)
				return -1;
		} else {
			alen = 4;
			if (n != 5)
				return -1;
		}
		uint8_t b[16] = {0};
		for (size_t i = 0; i < alen; i++) {
			if (sx[at + i] > 255)
				return -1;
			b[alen == 4 ? 12 + i : i] = (uint8_t)sx[at + i];
		}
		if (!mac_of(val, vlen, o->mac))
			return 0; /* an incomplete entry */
		o->kind = OBS_NEIGH;
		o->has_mac = o->has_ip = true;
		o->family = alen == 4 ? 4 : 6;
		o->ip = inet_from_bytes(b);
		if (alen == 4)
			o->ip &= (u128)0xffffffffu;
		const char *pn = port_name(ports, sx[0]);
		if (pn)
			snprintf(o->ifname, sizeof(o->ifname), "%s", pn);
		return 1;
	}
	case COL_QFDB_PORT:
	case COL_FDB_PORT: {
		size_t at = c == COL_QFDB_PORT ? 1 : 0;
		if (n != at + 6 || type != SNMP_T_INTEGER || ival < 0 || ival > UINT32_MAX)
			return -1;
		if (!mac_suffix(sx + at, o->mac) || ival == 0)
			return 0; /* no port: the switch's own or a static entry */
		if (at && (sx[0] == 0 || sx[0] > 4094))
			return -1;
		o->kind = OBS_FDB;
		o->has_mac = true;
		o->vlan = at ? (uint16_t)sx[0] : 0;
		bport_name(ports, ival, o->ifname);
		return 1;
	}
	default:
		return -1;
	}
}
