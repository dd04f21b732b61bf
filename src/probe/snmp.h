/* The probe's SNMP poller (probe/snmp.c, net-snmp). */
#ifndef ZW_PROBE_SNMP_H
#define ZW_PROBE_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "wire/obs.h"

/* A device of the register with its credentials (as GET /api/v1/probes/devices gives them). */
struct snmp_device {
	int64_t id;
	const char *name, *mgmt_ip, *version;   /* version: v2c or v3 */
	const char *community;                  /* v2c */
	const char *user, *auth_key, *priv_key; /* v3: SHA and AES when the keys are given */
};

struct snmp_poll_stats {
	size_t ports, neigh, fdb, bad;
};

typedef int (*snmp_obs_fn)(const struct obs *o, void *arg);

void snmp_poll_init(void);
/* Poll one device at peer (a net-snmp address: udp:192.0.2.1:161, unix:/path ...). 0, or -1
 * with why filled (it did not answer, bad credentials). */
int snmp_poll_device(const struct snmp_device *d, const char *peer, snmp_obs_fn fn, void *arg,
                     struct snmp_poll_stats *st, char *why, size_t wn);

#endif
