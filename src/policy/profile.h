/*
 * profile: a county's regulation as data (see docs/PROFILES.md). Loading validates the file
 * completely (schema, vocabularies, every clause reference resolved, articles numbered without
 * gaps) and refuses it with `file:line: reason`. A loaded profile is immutable and shared by
 * every thread; its strings point into the parsed document it owns.
 *
 * One table per section (profile.c) names each key once: its type, whether it is required, its
 * allowed values, where it lands in the structs below, and what it means. Loading, validation,
 * profile_to_json and the key list of docs/PROFILES.md (profile_keys_markdown) all walk it.
 *
 * Domain modules ask the profile (which agreements a connection needs, which clause a status
 * change rests on, how many working days a review may take); they never name a county.
 */
#ifndef ZW_POLICY_PROFILE_H
#define ZW_POLICY_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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
	const char *key, *label, *clause, *basis, *note; /* label: the regulation's name for it */
	int working_days, hours;
	bool pausable;
};

struct sla_rule {
	const char *key, *name, *clause;
	const char *levels; /* list: the unit levels whose faults are of this class, or NULL */
	int respond_hours, repair_hours;
};

/* A reason a fault's repair clock may stop (the unit cannot give access). */
struct pause_rule {
	const char *key, *name, *clause, *basis, *note;
};

/* The unit levels (单位层级) a unit may be registered at, NULL-terminated. */
extern const char *const unit_level_values[];

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
	const char *cost_clause; /* the repair is charged to the unit under it; NULL: not */
	bool by_inspection;      /* no detector finds it: only an inspection opens a case */
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
	const char *validity, *validity_rule; /* "2y" and how it is counted, or "none" and NULL */
	int32_t issued, effective;            /* days since epoch, or PROFILE_NO_DATE when absent */
	int32_t expires; /* the last day in force, from validity (profile_last_valid_day) */
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
	struct pause_rule *pauses;
	size_t npauses;
	bool has_faults;
	const char *fault_report_clause, *fault_lan_clause; /* lan: NULL when none */
	bool has_duty;
	const char *duty_checks, *duty_clause; /* list of check items; the clauses */
	bool has_change_control;
	const char *change_requires, *change_clause; /* list of change fields; the clauses */
	bool has_plans;
	/* the clauses; the organisation (its key) the manager's plans are filed with, or NULL */
	const char *plans_clause, *plans_filing;
	bool plans_every_unit; /* every connected unit keeps a plan in force */
	bool has_maintenance;
	int maintenance_notice_hours;
	bool maintenance_approval;
	const char *maintenance_clause;
	bool has_terminal_policy;
	bool antivirus_required, plugin_required;
	int signature_max_age_days, patch_max_age_days;
	/* The clause each terminal check rests on; NULL for a county setting no clause requires. */
	const char *antivirus_clause, *signature_clause, *patch_clause, *plugin_clause;
	int offence_window_days;  /* earlier offences count for the ladder within this many days */
	int offence_event_hours;  /* cases within this many hours of an offence's first are it */
	bool auto_isolate;        /* a case whose rung disconnects is isolated as it opens */
	const char *warning_name; /* the measure named in a notice when a behaviour has no ladder */
	const char *unit_types;   /* list: the 单位类型 this county registers */
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
/* The fault SLA class with this key, or NULL. */
const struct sla_rule *profile_sla(const struct profile *p, const char *key);
/* The class of a fault at a unit of this level (单位层级): the first naming it, or NULL. */
const struct sla_rule *profile_sla_of_level(const struct profile *p, const char *level);
/* The fault pause reason with this key, or NULL. */
const struct pause_rule *profile_pause(const struct profile *p, const char *key);
const struct workflow_rule *profile_workflow(const struct profile *p, const char *key);
const struct agreement_kind *profile_agreement(const struct profile *p, const char *key);
const struct forbidden_rule *profile_forbidden(const struct profile *p, const char *code);
const struct sanction_rule *profile_sanction(const struct profile *p, const char *code);
/* The clause a unit's change to status code rests on, or NULL. */
const char *profile_unit_status_clause(const struct profile *p, const char *code);
/* First clause id of a list value into out. */
void profile_first_clause(const char *list, char *out, size_t n);
const char *profile_org_name(const struct profile *p, const char *role);
/* The organisation of that key ([organisation KEY]), or NULL. */
const struct organisation *profile_org(const struct profile *p, const char *key);

/* Is the behaviour one the server finds itself (watch rules, the terminal register, RADIUS)? */
bool profile_behaviour_detected(const char *code);
/* 0 when type is one of the profile's unit types, else an error on field "type" listing them. */
int profile_check_unit_type(const struct profile *p, const char *type, struct zw_err *err);

/* The last day of a period of n units ('y', 'm', 'd') that starts on day start, counted by rule
 * (validity_rule; "civil_code": 民法典 第二百零一、二百零二条, the first day not counted, the
 * period ending on the corresponding day), or PROFILE_NO_DATE for an unknown rule. */
int32_t profile_period_end(const char *rule, int32_t start, int n, char unit);
/* Days from today to the last day in force (0 on that day, negative once it has lapsed), or
 * INT32_MAX when the regulation has no fixed period. */
int32_t profile_days_to_expiry(const struct profile *p, int32_t today);
/* A Chinese warning when the last day in force is within 30 days or has passed, else NULL. */
const char *profile_expiry_warning(const struct profile *p, int32_t today, char *buf, size_t n);

/* The key list of docs/PROFILES.md, generated from the section tables. */
void profile_keys_markdown(FILE *f);

json_t *profile_to_json(const struct profile *p, bool with_texts);
json_t *clause_to_json(const struct clause *c, bool with_text);
json_t *clause_list_json(const char *list);

#endif
