/* The server's health over HTTP: up or not for anyone, version, profile and warnings for a
 * signed-in user. */

#include "api/handlers.h"
#include "core/clock.h"
#include "core/parse.h"

#ifndef ZWNET_VERSION
#define ZWNET_VERSION "0.1.0"
#endif

/* Public (load balancers and the test harness poll it for 200). An anonymous caller learns only
 * whether the server is up; the version, profile, uptime and warnings are for a signed-in user
 * (the version tells an attacker which holes to try). */
void h_health(struct req *r)
{
	struct server *s = r->srv;
	char warn[512], ts[32];
	const char *w = profile_expiry_warning(s->prof, clock_today_cn(), warn, sizeof(warn));
	int64_t free_mb = -1;
	bool low = s->ops && ops_disk_low(s->ops, &free_mb);
	/* degraded: it serves, but writes will soon fail (or already do) */
	const char *status = low ? "degraded" : w ? "warning" : "ok";
	if (!r->authed) { /* the route authenticates when it can (ROUTE_OPTIONAL_AUTH) */
		reply_json(r, 200, json_pack("{s:s}", "status", status));
		return;
	}
	json_t *warnings = json_array();
	if (low) {
		char msg[256];
		snprintf(msg, sizeof(msg), "数据库所在磁盘仅剩 %lld MiB，低于设定的 %lld MiB",
		         (long long)free_mb, (long long)s->ops->disk_min_free_mb);
		json_array_append_new(warnings, json_pack("{s:s, s:s, s:n}", "code", "disk_low",
		                                          "message", msg, "clause"));
	}
	if (w)
		json_array_append_new(
		    warnings,
		    json_pack("{s:s, s:s, s:o}", "code", "profile_expiring", "message", w, "clause",
		              s->prof->validity_clause ? json_string(s->prof->validity_clause)
		                                       : json_null()));
	format_time(clock_now(), ts);
	reply_json(r, 200,
	           json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "status", status, "version",
	                     ZWNET_VERSION, "profile", s->prof->id, "time", ts, "uptime_s",
	                     (json_int_t)(clock_now() - s->started_at), "warnings", warnings));
}
