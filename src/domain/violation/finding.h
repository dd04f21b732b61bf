/*
 * finding: observations from probes in, findings out.
 *
 * finding_ingest takes one batch as the API receives it ({"probe", "observations", "stats"}),
 * refuses it whole if any observation is malformed (the error names it), runs the rules
 * (watch/) and records each finding in one transaction with the probe's health: a finding
 * already open for the same kind, MAC and address takes the sighting (count, last seen, the
 * latest 20 observations as evidence), otherwise a new one is opened. The registered list of
 * findings is a read-only registry kind (the unit_admin sees their own unit's).
 */
#ifndef ZW_DOMAIN_FINDING_H
#define ZW_DOMAIN_FINDING_H

#include <jansson.h>

#include "domain/registry.h"
#include "domain/violation/violation.h"
#include "watch/watch.h"

#define INGEST_MAX 20000 /* observations in one batch */

struct ingest_result {
	size_t accepted, findings, created, violations;
	bool duplicate; /* the batch (run, seq) was taken before: nothing was done again */
};

int finding_ingest(const struct ctx *x, struct watch *w, const struct violation_policy *vp,
                   const json_t *body, const char *source, struct ingest_result *res,
                   struct zw_err *err);
/* An open finding judged not a violation ({"action": "dismiss", "reason"}). */
int finding_transition(const struct ctx *x, int64_t id, const json_t *body, struct zw_err *err);

/* One finding the principal may see, with its evidence (the latest observations), as JSON. */
int finding_get(const struct ctx *x, int64_t id, json_t **out, struct zw_err *err);

extern const struct registry_kind finding_kind, probe_kind;
extern const struct rec_schema finding_schema;
/* The body of a transition (POST /findings/{id}/transitions). */
extern const struct rec_schema finding_transition_schema;

#endif
