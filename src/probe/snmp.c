/*
 * The probe's SNMP poller (net-snmp): for each device of the register that has SNMP
 * credentials (GET /api/v1/probes/devices, probe token), walk IF-MIB names, the bridge's port
 * numbering, the router's neighbour table (ipNetToPhysical, else ipNetToMedia) and the
 * switch's forwarding table (dot1qTpFdb, else dot1dTpFdb) with GETBULK (v2c and v3), and turn
 * each row into an observation (wire/snmptab.c). A device that does not answer is logged and
 * skipped; the others are still polled.
 */
#include "probe/snmp.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "wire/snmptab.h"
#include "core/xalloc.h"

void snmp_poll_init(void)
{
	setenv("MIBS", "", 1); /* numeric OIDs only: no MIB files to read */
	/* net-snmp keeps engine state on disk: ours, not /var/lib/snmp */
	char dir[512];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/zwnet-probe-snmp-%u", tmp && *tmp ? tmp : "/tmp",
	         (unsigned)getuid());
	mkdir(dir, 0700);
	set_persistent_directory(dir);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	init_snmp("zwnet-probe");
}

/* A USM key localisable from a pass phrase (SHA, as both keys are derived here). */
static bool ku(netsnmp_session *s, const char *pass, u_char *key, size_t *len)
{
	*len = USM_AUTH_KU_LEN;
	return generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
	                   (const u_char *)pass, strlen(pass), key, len) == SNMPERR_SUCCESS;
}

static int open_session(const struct snmp_device *d, const char *peer, void **out, char *why,
                        size_t wn)
{
	netsnmp_session s;
	snmp_sess_init(&s);
	s.peername = (char *)peer;
	s.timeout = 2000000; /* µs */
	s.retries = 1;
	if (strcmp(d->version, "v3") == 0) {
		s.version = SNMP_VERSION_3;
		s.securityName = (char *)d->user;
		s.securityNameLen = strlen(d->user);
		s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
		if (d->auth_key && *d->auth_key) {
			s.securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
			s.securityAuthProto = usmHMACSHA1AuthProtocol;
			s.securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
			if (!ku(&s, d->auth_key, s.securityAuthKey, &s.securityAuthKeyLen)) {
				snprintf(why, wn, "SNMPv3 认证密钥无效");
				return -1;
			}
			if (d->priv_key && *d->priv_key) {
				s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
				s.securityPrivProto = usmAESPrivProtocol;
				s.securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
				if (!ku(&s, d->priv_key, s.securityPrivKey,
				        &s.securityPrivKeyLen)) {
					snprintf(why, wn, "SNMPv3 加密密钥无效");
					return -1;
				}
			}
		}
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)(d->community ? d->community : "");
		s.community_len = strlen((const char *)s.community);
	}
	*out = snmp_sess_open(&s);
	if (!*out) {
		snprintf(why, wn, "无法建立 SNMP 会话（%s）", peer);
		return -1;
	}
	return 0;
}

/* Walk one column with GETBULK, handing each row to snmptab. Returns rows reported, or -1. */
static int walk(void *sess, enum snmp_col c, struct snmp_ports *ports, int64_t device_id,
                snmp_obs_fn fn, void *arg, size_t *bad, char *why, size_t wn)
{
	size_t clen;
	const uint32_t *col = snmp_col_oid(c, &clen);
	oid base[MAX_OID_LEN], cur[MAX_OID_LEN];
	size_t curlen = clen;
	for (size_t i = 0; i < clen; i++)
		base[i] = cur[i] = col[i];
	int reported = 0;
	int64_t at = clock_now() * 1000000;
	for (int round = 0; round < 100000; round++) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK), *resp = NULL;
		pdu->non_repeaters = 0;
		pdu->max_repetitions = 32;
		snmp_add_null_var(pdu, cur, curlen);
		int st = snmp_sess_synch_response(sess, pdu, &resp);
		if (st != STAT_SUCCESS || !resp || resp->errstat != SNMP_ERR_NOERROR) {
			snprintf(why, wn, "%s",
			         st == STAT_TIMEOUT ? "设备无应答（超时）" : "SNMP 请求失败");
			if (resp)
				snmp_free_pdu(resp);
			return -1;
		}
		bool done = !resp->variables;
		for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable) {
			if (v->name_length <= clen ||
			    memcmp(v->name, base, clen * sizeof(oid)) != 0 ||
			    v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
			    v->type == SNMP_NOSUCHINSTANCE) {
				done = true;
				break;
			}
			uint32_t sx[MAX_OID_LEN];
			size_t n = v->name_length - clen;
			for (size_t i = 0; i < n; i++)
				sx[i] = (uint32_t)v->name[clen + i];
			int type = v->type == ASN_OCTET_STR ? SNMP_T_OCTETS
			           : v->type == ASN_INTEGER ? SNMP_T_INTEGER
			                                    : -1;
			int64_t ival =
			    v->type == ASN_INTEGER && v->val.integer ? *v->val.integer : 0;
			struct obs o;
			int r = snmp_row(c, sx, n, type, v->val.string, v->val_len, ival, ports,
			                 device_id, at, &o);
			if (r < 0)
				++*bad;
			else if (r == 1 && fn(&o, arg) == 0)
				reported++;
			memcpy(cur, v->name, v->name_length * sizeof(oid));
			curlen = v->name_length;
		}
		snmp_free_pdu(resp);
		if (done)
			return reported;
	}
	return reported;
}

int snmp_poll_device(const struct snmp_device *d, const char *peer, snmp_obs_fn fn, void *arg,
                     struct snmp_poll_stats *st, char *why, size_t wn)
{
	memset(st, 0, sizeof(*st));
	void *sess = NULL;
	if (open_session(d, peer, &sess, why, wn) < 0)
		return -1;
	struct snmp_ports *ports = xcalloc(1, sizeof(*ports));
	/* names first, then the bridge's numbering, then the tables that refer to them */
	int r = walk(sess, COL_IFNAME, ports, d->id, fn, arg, &st->bad, why, wn);
	int rc = r < 0 ? -1 : 0;
	if (!rc)
		walk(sess, COL_IFDESCR, ports, d->id, fn, arg, &st->bad, why, wn);
	if (!rc)
		walk(sess, COL_BASEPORT_IFINDEX, ports, d->id, fn, arg, &st->bad, why, wn);
	if (!rc) {
		r = walk(sess, COL_NET_TO_PHYSICAL, ports, d->id, fn, arg, &st->bad, why, wn);
		if (r <= 0)
			r = walk(sess, COL_NET_TO_MEDIA, ports, d->id, fn, arg, &st->bad, why, wn);
		st->neigh = r > 0 ? (size_t)r : 0;
		r = walk(sess, COL_QFDB_PORT, ports, d->id, fn, arg, &st->bad, why, wn);
		if (r <= 0)
			r = walk(sess, COL_FDB_PORT, ports, d->id, fn, arg, &st->bad, why, wn);
		st->fdb = r > 0 ? (size_t)r : 0;
		st->ports = ports->n;
		why[0] = 0;
	}
	free(ports);
	snmp_sess_close(sess);
	return rc;
}
