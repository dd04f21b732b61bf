/*
 * terminal: the register of end devices (SS-13, JX-25, MY-22, TB-20, LN-20).
 *
 * A terminal belongs to a unit and is known by its MAC (normalised, any common notation
 * accepted). Its IP, when given, must lie in one of its unit's allocated prefixes (JX-21) and
 * be one host's: not the subnet's network, broadcast or gateway address, not another
 * terminal's, not a host address registered to another terminal or MAC.
 * A terminal can never be both classified (涉密) and registered: the register refuses it,
 * citing the profile's clause (JX-10, TB-19). The compliance view lists terminals without
 * antivirus, with stale signatures or patches, or without the security plug-in where the
 * profile asks for one (thresholds from the profile's terminal policy).
 */
#ifndef ZW_DOMAIN_TERMINAL_H
#define ZW_DOMAIN_TERMINAL_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/registry.h"

struct terminal {
	int64_t id;
	char *mac, *ip;
	int64_t unit_id;
	char *user_name, *location, *kind, *os, *antivirus, *av_signature_date, *patch_date;
	bool plugin_installed, classified;
	int64_t first_seen, last_seen;
	char *note;
	int64_t created_at, updated_at, rev;
};

extern const struct rec_schema terminal_schema;
extern const struct registry_kind terminal_kind;

/* Terminals out of compliance (scoped to the principal), each with its reasons and clauses:
 * {"items": [...], "total": N, "by_issue": {code: N}, "truncated": bool}. With limit > 0 the
 * first limit terminals (by id) are listed and the rest only counted (a dashboard's top N);
 * truncated says so. */
json_t *terminal_compliance(const struct ctx *x, int64_t unit_id, int64_t limit,
                            struct zw_err *err);

#endif
