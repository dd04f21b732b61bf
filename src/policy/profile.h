/*
 * profile: a county's regulation as data (see docs/PROFILES.md). Loading validates the file
 * completely (schema, vocabularies, every clause reference resolved, articles numbered without
 * gaps) and refuses it with `file:line: reason`. A loaded profile is immutable and shared by
 * every thread; its strings point into the parsed document it owns.
 *
 * Domain modules ask the profile (which agreements a connection needs, which clause a status
 * change rests on, how many working days a review may take); they never name a county.
 */
#ifndef ZW_POLICY_PROFILE_H
#define ZW_POLICY_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/conf.h"
#include "core/err.h"

struct clause {
	const char *id;
	int article; /* 0 for an annex */
	const char *chapter, *summary, *text, *title;
	int line;
};

struct organisation {
	const char *key, *role, *name, *short_name, *clause, *members;
};

struct deadline_rule {
	const char *key, *clause, *basis, *note;
	int working_days, hours;
	bool pausable;
};

struct sla_rule {
	const char *key, *name, *clause;
	int respond_hours, repair_hours;
};

struct agreement_kind {
	const char *key, *name, *party, *clause, *template_id;
	bool required_for_connection, backfill;
};

struct workflow_rule {
	const char *key, *approvals, *clause, *form;
	bool assessment_required;
};

struct forbidden_rule {
	const char *code, *name, *clause, *sanctions, *sanction_clause;
	bool cost_to_unit;
};

struct sanction_rule {
	const char *code, *name, *clause, *note;
};

struct unit_status_rule {
	const char *code, *clause;
};

struct profile {
	const char *id, *county, *prefix, *title, *doc_number, *issuer, *status, *repeals;
	const char *network_name, *validity_clause, *source, *note;
	int32_t issued, effective, expires; /* days since epoch, or INT32_MIN when absent */
	struct clause *clauses;
	size_t nclauses;
	struct organisation *orgs;
	size_t norgs;
	struct deadline_rule *deadlines;
	size_t ndeadlines;
	struct sla_rule *slas;
	size_t nslas;
	struct agreement_kind *agreements;
	size_t nagreements;
	struct workflow_rule *workflows;
	size_t nworkflows;
	struct forbidden_rule *forbidden;
	size_t nforbidden;
	struct sanction_rule *sanctions;
	size_t nsanctions;
	struct unit_status_rule *unit_statuses;
	size_t nunit_statuses;
	bool has_maintenance;
	int maintenance_notice_hours;
	bool maintenance_approval;
	const char *maintenance_clause;
	bool has_terminal_policy;
	bool antivirus_required, plugin_required;
	int signature_max_age_days, patch_max_age_days;
	const char *terminal_clause;
	struct conf_doc doc;
};

#define PROFILE_NO_DATE INT32_MIN

/* Load a profile by shipped name (jiaxian, miyun, shengsi, luoning, tongbai) or by path to a
 * .conf file. */
int profile_load(const char *name_or_path, struct profile **out, struct zw_err *err);
int profile_parse(const char *file, const char *text, size_t len, const char *expect_id,
                  struct profile **out, struct zw_err *err);
void profile_free(struct profile *p);
extern const char *const profile_shipped[]; /* NULL-terminated */

const struct clause *profile_clause(const struct profile *p, const char *id);
const struct deadline_rule *profile_deadline(const struct profile *p, const char *key);
const struct workflow_rule *profile_workflow(const struct profile *p, const char *key);
const struct agreement_kind *profile_agreement(const struct profile *p, const char *key);
const struct forbidden_rule *profile_forbidden(const struct profile *p, const char *code);
const struct sanction_rule *profile_sanction(const struct profile *p, const char *code);
/* The clause a unit's change to status code rests on, or NULL. */
const char *profile_unit_status_clause(const struct profile *p, const char *code);
/* First clause id of a list value into out. */
void profile_first_clause(const char *list, char *out, size_t n);
const char *profile_org_name(const struct profile *p, const char *role);

/* Days until the regulation expires (negative when it has), or INT32_MAX when it does not. */
int32_t profile_days_to_expiry(const struct profile *p, int32_t today);
/* A Chinese warning when it expires within 30 days or has expired, else NULL (static buf). */
const char *profile_expiry_warning(const struct profile *p, int32_t today, char *buf, size_t n);

json_t *profile_to_json(const struct profile *p, bool with_texts);
json_t *clause_to_json(const struct clause *c, bool with_text);
json_t *clause_list_json(const char *list);

#endif
