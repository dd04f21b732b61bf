#include "domain/workdays.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/parse.h"
#include "domain/audit.h"
#include "domain/deadline.h"
#include "core/xalloc.h"
#include "store/workdays_sql.h"

static int load_stored(int year, const char *data, void *ctx)
{
	struct zw_err *err = ctx;
	int y;
	if (calendar_load(data, strlen(data), &y, err) < 0) {
		log_warnx("stored calendar of %d does not load: %s", year, err->message);
		zw_err_clear(err);
	}
	return 0;
}

int workdays_init(struct store *st, struct zw_err *err)
{
	int rc = calendar_load_shipped(err);
	struct sconn *c = rc ? NULL : store_read(st, err);
	if (!c)
		return rc ? rc : -ZW_EINTERNAL;
	struct zw_err e2 = {0};
	return store_calendar_years(c, load_stored, &e2, err);
}

int workdays_load_year(const struct ctx *x, const char *json, size_t len, int *year,
                       struct zw_err *err)
{
	if (authz_check(x->by, ACT_CALENDAR_WRITE, 0, err))
		return -err->code;
	int rc = calendar_check(json, len, year, err);
	if (rc)
		return rc;
	char *copy = xstrndup(json, len);
	struct store_tx *tx;
	rc = store_begin(x->st, &tx, err);
	if (!rc)
		rc = store_calendar_put(store_tx_conn(tx), *year, copy, x->by->username,
		                        clock_now(), err);
	if (!rc) {
		json_t *after = json_pack("{s:i}", "year", *year);
		rc = audit_append(tx, x->by, "calendar.load", "calendar", *year, 0, NULL, after,
		                  NULL, err);
		json_decref(after);
	}
	if (rc)
		store_rollback(tx);
	else
		rc = store_commit(tx, err);
	if (!rc)
		rc = calendar_load(copy, len, year, err);
	/* deadlines computed provisionally now learn the real holidays */
	if (!rc)
		rc = deadline_recompute(x->st, err);
	free(copy);
	return rc;
}

json_t *workdays_year_json(int year)
{
	static const char *const weekdays[] = {"星期一", "星期二", "星期三", "星期四",
	                                       "星期五", "星期六", "星期日"};
	json_t *days = json_array();
	int32_t first = days_from_civil(year, 1, 1), last = days_from_civil(year, 12, 31);
	for (int32_t d = first; d <= last; d++) {
		const char *name;
		bool prov;
		bool w = calendar_is_working(d, &name, &prov);
		char date[11];
		format_date(d, date);
		json_array_append_new(days, json_pack("{s:s, s:s, s:b, s:s}", "date", date,
		                                      "weekday", weekdays[((d % 7) + 7 + 3) % 7],
		                                      "working", w, "name", name));
	}
	return json_pack("{s:i, s:b, s:o}", "year", year, "loaded", calendar_year_loaded(year),
	                 "days", days);
}
