/* The working-day calendar over HTTP. */

#include <string.h>

#include "api/handlers.h"
#include "core/calendar.h"
#include "core/parse.h"
#include "domain/workdays.h"

void h_calendar_add(struct req *r)
{
	struct zw_err err = {0};
	if (fail(r, authz_check(&r->who, ACT_PROFILE_READ, 0, &err), &err))
		return;
	const char *from = req_query(r, "from"), *n = req_query(r, "working_days");
	int32_t day;
	int64_t days;
	if (!from || parse_date(from, &day) < 0) {
		reply_code(r, ZW_EINVALID, "from", "from 应为日期 YYYY-MM-DD");
		return;
	}
	if (!n || parse_i64(n, 0, 365, &days) < 0) {
		reply_code(r, ZW_EINVALID, "working_days", "working_days 应为 0 到 365 的整数");
		return;
	}
	bool prov;
	char due[11];
	format_date(calendar_add(day, (int)days, &prov), due);
	reply_json(r, 200,
	           json_pack("{s:s, s:I, s:s, s:b}", "from", from, "working_days", (json_int_t)days,
	                     "due", due, "provisional", prov));
}

static int year_param(struct req *r, int *year)
{
	int64_t y;
	if (parse_i64(r->sparam, 1900, 2199, &y) < 0) {
		reply_code(r, ZW_EINVALID, "year", "年份应在 1900 到 2199 之间");
		return -1;
	}
	*year = (int)y;
	return 0;
}

void h_calendar_year(struct req *r)
{
	struct zw_err err = {0};
	int year;
	if (fail(r, authz_check(&r->who, ACT_PROFILE_READ, 0, &err), &err) || year_param(r, &year))
		return;
	reply_json(r, 200, workdays_year_json(year));
}

void h_calendar_load(struct req *r)
{
	struct zw_err err = {0};
	int year, loaded;
	if (fail(r, authz_check(&r->who, ACT_CALENDAR_WRITE, 0, &err), &err) ||
	    year_param(r, &year))
		return;
	json_t *body = req_json(r);
	if (!body)
		return;
	json_t *jy = json_object_get(body, "year");
	bool same = json_is_integer(jy) && json_integer_value(jy) == year;
	json_decref(body);
	if (!same) {
		reply_code(r, ZW_EINVALID, "year", "请求体中的 year 应与地址中的年份 %d 一致",
		           year);
		return;
	}
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, workdays_load_year(&x, r->body.p, r->body.len, &loaded, &err), &err))
		return;
	json_t *o = workdays_year_json(loaded);
	reply_json(r, 200, o);
}
