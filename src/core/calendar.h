/*
 * calendar: Chinese working days (工作日). Monday to Friday, minus the State Council's public
 * holidays, plus its make-up working days (调休上班), from the holiday-cn data (one JSON per
 * year: {"year": N, "days": [{"name", "date", "isOffDay"}]}; a December date may stand in
 * the next year's file). A year whose arrangement is not loaded falls back to Monday-Friday
 * and every answer touching it is flagged provisional.
 *
 * One calendar serves the process, behind a read-write lock: the shipped years are loaded at
 * start, years a manager loads later replace theirs.
 */
#ifndef ZW_CORE_CALENDAR_H
#define ZW_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Load (or replace) one year's arrangement from holiday-cn JSON. *year gets its year. */
int calendar_load(const char *json, size_t len, int *year, struct zw_err *err);
/* Check one year's arrangement without installing it. */
int calendar_check(const char *json, size_t len, int *year, struct zw_err *err);
/* Load the years shipped with zwnet (data/holidays-cn). */
int calendar_load_shipped(struct zw_err *err);
/* Forget everything (tests). */
void calendar_reset(void);

bool calendar_year_loaded(int year);
/* Is this day (days since 1970-01-01) a working day? *name: the holiday or make-up day's
 * name, or "" for an ordinary day. *provisional: its year is not loaded. */
bool calendar_is_working(int32_t day, const char **name, bool *provisional);
/* The n-th working day after from (n >= 1; n = 0 gives from itself). */
int32_t calendar_add(int32_t from, int n, bool *provisional);
/* The working days after from up to and including to (0 when to <= from): what is left of a
 * deadline due on to, seen on from; calendar_between(d, calendar_add(d, n)) == n. */
int calendar_between(int32_t from, int32_t to);

#endif
