/*
 * snmptab: the rows of the SNMP tables a probe walks, turned into observations. Pure (no
 * net-snmp here): a varbind is its OID below the table column, its ASN.1 type and its value
 * bytes, exactly as a device answered, so anything a device sends is read or refused here and
 * fuzzed as such (fuzz/snmp_fuzz.c).
 *
 *   ifName / ifDescr (IF-MIB)                ifIndex → port name
 *   dot1dBasePortIfIndex (BRIDGE-MIB)        bridge port → ifIndex
 *   ipNetToPhysicalPhysAddress (IP-MIB)      ifIndex.type.len.address → MAC   (neigh)
 *   ipNetToMediaPhysAddress (RFC 1213)       ifIndex.a.b.c.d → MAC            (neigh)
 *   dot1qTpFdbPort (Q-BRIDGE-MIB)            fdbId.mac → bridge port          (fdb, VLAN = fdbId)
 *   dot1dTpFdbPort (BRIDGE-MIB)              mac → bridge port                (fdb)
 */
#ifndef ZW_WIRE_SNMPTAB_H
#define ZW_WIRE_SNMPTAB_H

#include <stddef.h>
#include <stdint.h>

#include "wire/obs.h"

enum snmp_col {
	COL_IFNAME,
	COL_IFDESCR,
	COL_BASEPORT_IFINDEX,
	COL_NET_TO_PHYSICAL,
	COL_NET_TO_MEDIA,
	COL_QFDB_PORT,
	COL_FDB_PORT,
	COL_COUNT
};

/* The column's OID (sub-identifiers) and its length. */
const uint32_t *snmp_col_oid(enum snmp_col c, size_t *n);

/* The value types a varbind may carry that matter here (ASN.1 tags as net-snmp names them). */
#define SNMP_T_INTEGER 0x02
#define SNMP_T_OCTETS  0x04

/* What a walk has learnt so far: port names and the bridge's port numbering. */
#define SNMP_MAX_PORTS 4096
struct snmp_ports {
	uint32_t ifindex[SNMP_MAX_PORTS];
	char name[SNMP_MAX_PORTS][32];
	size_t n;
	uint32_t bport[SNMP_MAX_PORTS], bport_if[SNMP_MAX_PORTS];
	size_t nb;
};

/* One varbind of column c (suffix: the OID below the column). Returns 1 with *o filled (a
 * neighbour or forwarding entry of device_id, seen at at_us), 0 when the row was learnt into
 * ports or is not one to report (an incomplete entry), -1 when it is malformed. */
int snmp_row(enum snmp_col c, const uint32_t *suffix, size_t n, int type, const uint8_t *val,
             size_t vlen, int64_t ival, struct snmp_ports *ports, int64_t device_id, int64_t at_us,
             struct obs *o);

#endif
