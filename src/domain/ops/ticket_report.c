/* The monthly SLA report of fault tickets (TB-12, LN-26): how each carrier kept the clocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/xalloc.h"
#include "domain/deadline.h"
#include "domain/inventory/assets.h"
#include "domain/ops/ticket.h"
#include "store/rec.h"
#include "store/ticket_sql.h"

struct clock_stat {
	int64_t *took; /* minutes of the clocks met, to sort */
	size_t n, cap;
	int64_t breached, running, total;
};

struct group {
	int64_t carrier_id;
	char site_class[41];
	int64_t tickets;
	struct clock_stat c[2]; /* respond, repair */
};

struct groups {
	struct group *g;
	size_t n, cap;
};

static int add_row(const struct ticket_sla_row *r, void *arg)
{
	struct groups *gs = arg;
	struct group *g = NULL;
	for (size_t i = 0; i < gs->n && !g; i++)
		if (gs->g[i].carrier_id == r->carrier_id &&
		    strcmp(gs->g[i].site_class, r->site_class) == 0)
			g = &gs->g[i];
	if (!g) {
		if (gs->n == gs->cap) {
			gs->cap = gs->cap ? gs->cap * 2 : 8;
			gs->g = xrealloc(gs->g, gs->cap * sizeof(*gs->g));
		}
		g = &gs->g[gs->n++];
		memset(g, 0, sizeof(*g));
		g->carrier_id = r->carrier_id;
		snprintf(g->site_class, sizeof(g->site_class), "%s", r->site_class);
	}
	g->tickets++;
	for (int k = 0; k < 2; k++) {
		struct clock_stat *c = &g->c[k];
		if (!r->has[k])
			continue;
		c->total++;
		c->breached += r->breached[k];
		if (r->took[k] < 0) {
			c->running++;
			continue;
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->took = xrealloc(c->took, c->cap * sizeof(*c->took));
		}
		c->took[c->n++] = r->took[k];
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static json_t *stat_json(struct clock_stat *c)
{
	json_t *o = json_object();
	if (c->n)
		qsort(c->took, c->n, sizeof(*c->took), cmp_i64);
	json_object_set_new(o, "clocks", json_integer(c->total));
	json_object_set_new(o, "met", json_integer((json_int_t)c->n));
	json_object_set_new(o, "breached", json_integer(c->breached));
	json_object_set_new(o, "running", json_integer(c->running));
	/* the median of an even count is the lower middle one: a time some clock really took */
	json_object_set_new(o, "median_minutes",
	                    c->n ? json_integer(c->took[(c->n - 1) / 2]) : json_null());
	json_object_set_new(o, "worst_minutes",
	                    c->n ? json_integer(c->took[c->n - 1]) : json_null());
	return o;
}

int ticket_sla_report(const struct ctx *x, const char *month, json_t **out, struct zw_err *err)
{
	int y, m;
	char tail;
	if (!month || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || strlen(month) != 7 ||
	    y < 2000 || y > 2099 || m < 1 || m > 12)
		return zw_errf(err, ZW_EINVALID, "month", "month 应为 YYYY-MM，如 2026-11");
	enum scope sc = authz_scope(x->by, ACT_TICKET_READ);
	if (sc == SCOPE_NONE)
		return authz_check(x->by, ACT_TICKET_READ, 0, err);
	/* a unit's staff read only their own tickets, which are no carrier's report */
	if (sc == SCOPE_OWN_UNIT)
		return zw_errf(err, ZW_EFORBIDDEN, NULL,
		               "履约报表只供网络管理单位、运营商和监督部门查看");
	int64_t carrier = 0;
	if (x->by->role == ROLE_CARRIER)
		carrier = x->by->carrier_id > 0 ? x->by->carrier_id : -1;
	int64_t from = deadline_day_end(days_from_civil(y, (unsigned)m, 1) - 1);
	int64_t to = deadline_day_end(
	    days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1u : (unsigned)m + 1, 1) - 1);
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -ZW_EINTERNAL;
	struct groups gs = {0};
	int rc = store_ticket_sla_rows(c, from, to, carrier, add_row, &gs, err);
	json_t *rows = json_array();
	for (size_t i = 0; !rc && i < gs.n; i++) {
		struct group *g = &gs.g[i];
		const struct sla_rule *r = profile_sla(x->prof, g->site_class);
		struct carrier cr = {0};
		if (g->carrier_id && store_rec_get(c, "carriers", &carrier_schema, g->carrier_id,
		                                   NULL, 0, &cr, err) != 0)
			zw_err_clear(err); /* a carrier deleted since: its id still stands */
		json_t *o = json_object();
		json_object_set_new(o, "carrier_id",
		                    g->carrier_id ? json_integer(g->carrier_id) : json_null());
		json_object_set_new(o, "carrier_name",
		                    json_string(cr.name         ? cr.name
		                                : g->carrier_id ? ""
		                                                : "未派单"));
		json_object_set_new(o, "site_class",
		                    *g->site_class ? json_string(g->site_class) : json_null());
		json_object_set_new(o, "site_class_name", json_string(r ? r->name : "未定类别"));
		json_object_set_new(o, "respond_hours",
		                    r && r->respond_hours ? json_integer(r->respond_hours)
		                                          : json_null());
		json_object_set_new(o, "repair_hours",
		                    r ? json_integer(r->repair_hours) : json_null());
		json_object_set_new(o, "clause", json_string(r ? r->clause : ""));
		json_object_set_new(o, "tickets", json_integer(g->tickets));
		json_object_set_new(o, "respond", stat_json(&g->c[0]));
		json_object_set_new(o, "repair", stat_json(&g->c[1]));
		json_array_append_new(rows, o);
		rec_free(&carrier_schema, &cr);
	}
	for (size_t i = 0; i < gs.n; i++)
		for (int k = 0; k < 2; k++)
			free(gs.g[i].c[k].took);
	free(gs.g);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	char f[32], t[32], now[32];
	format_time(from, f);
	format_time(to, t);
	format_time(clock_now(), now);
	*out = json_pack("{s:s, s:s, s:s, s:s, s:o}", "month", month, "from", f, "to", t,
	                 "generated_at", now, "rows", rows);
	return 0;
}
