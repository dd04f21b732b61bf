/*
 * workdays: the working-day calendar as the county's data (core/calendar.h holds the rules):
 * the shipped years plus the years managers load (stored, audited, and loaded again at every
 * start, after the shipped ones, which they replace).
 */
#ifndef ZW_DOMAIN_WORKDAYS_H
#define ZW_DOMAIN_WORKDAYS_H

#include <jansson.h>

#include "domain/ctx.h"

/* At start: the shipped years, then the stored ones. */
int workdays_init(struct store *st, struct zw_err *err);
/* A manager loads (or replaces) a year's arrangement. */
int workdays_load_year(const struct ctx *x, const char *json, size_t len, int *year,
                       struct zw_err *err);
/* Every day of a year: {"year", "loaded", "days": [{"date","weekday","working","name"}]} */
json_t *workdays_year_json(int year);

#endif
