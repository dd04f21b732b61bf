#include "domain/inventory/terminal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/inet.h"
#include "core/parse.h"
#include "domain/ipam/ipam.h"
#include "store/rec.h"
#include "store/ipam_sql.h"

static const char *const kinds[] = {"计算机", "打印机", "服务器", "摄像头",
                                    "电话",   "无线AP", "其他",   NULL};
static const char *const kind_codes[] = {"pc",    "printer", "server", "camera",
                                         "phone", "ap",      "other",  NULL};

#define F(n, t, fl, lbl, max) REC_F(struct terminal, n, t, fl, lbl, max)
static const struct rec_field terminal_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    F(mac, REC_MAC, REC_REQUIRED | REC_SORT | REC_FILTER, "MAC 地址", 20),
    F(ip, REC_IP, REC_NULLABLE | REC_SORT | REC_FILTER, "IP 地址", 45),
    F(unit_id, REC_ID, REC_REQUIRED | REC_FILTER, "所属单位", 0),
    F(user_name, REC_TEXT, REC_NAME | REC_SEARCH, "使用人", 30),
    F(location, REC_TEXT, 0, "位置", 100),
    REC_FEC(struct terminal, kind, REC_REQUIRED | REC_FILTER, "终端类型", kinds, kind_codes),
    F(os, REC_TEXT, 0, "操作系统", 50),
    F(antivirus, REC_TEXT, 0, "防病毒软件", 50),
    F(av_signature_date, REC_DATE, REC_NULLABLE | REC_PAST, "病毒库日期", 10),
    F(patch_date, REC_DATE, REC_NULLABLE | REC_PAST, "补丁日期", 10),
    F(plugin_installed, REC_BOOL, 0, "安全管理插件", 0),
    F(classified, REC_BOOL, 0, "涉密", 0),
    F(first_seen, REC_TIME, REC_READONLY, "首次发现", 0),
    F(last_seen, REC_TIME, REC_READONLY | REC_SORT, "最近发现", 0),
    F(note, REC_TEXT, REC_MULTILINE, "备注", 500),
    REC_META(struct terminal),
};
#undef F
const struct rec_schema terminal_schema = {"terminal", terminal_fields,
                                           sizeof(terminal_fields) / sizeof(terminal_fields[0]),
                                           sizeof(struct terminal)};

static const char *forbidden_clause(const struct profile *p, const char *code)
{
	for (size_t i = 0; i < p->nforbidden; i++)
		if (strcmp(p->forbidden[i].code, code) == 0)
			return p->forbidden[i].clause;
	return NULL;
}

/* The terminal's address inside its subnet (prefix_id) must be a host's and nobody else's:
 * not the subnet's network, broadcast or gateway address, not another terminal's, and not a
 * host address registered to another terminal or MAC, or as a gateway. */
static int ip_free_for(struct sconn *c, const struct terminal *t, int64_t prefix_id, int fam,
                       u128 a, struct zw_err *err)
{
	struct prefix p = {0};
	struct inet_prefix net;
	int rc = store_rec_get(c, "prefixes", &prefix_schema, prefix_id, NULL, 0, &p, err);
	int gf;
	u128 gw;
	if (!rc && inet_parse_prefix(p.cidr, false, &net) == 0 && inet_reserved_host(&net, a))
		rc = zw_errf(err, ZW_EINVALID, "ip", "%s 是地址段 %s 的%s地址，不能给终端使用",
		             t->ip, p.cidr, a == net.net ? "网络" : "广播");
	else if (!rc && p.gateway && inet_parse_addr(p.gateway, &gf, &gw) == 0 && gf == fam &&
	         gw == a)
		rc = zw_errf(err, ZW_ECONFLICT, "ip", "%s 是地址段 %s 的网关地址，不能给终端使用",
		             t->ip, p.cidr);
	rec_free(&prefix_schema, &p);
	int64_t other = 0;
	if (!rc)
		rc = store_terminal_with_ip(c, t->ip, t->id, &other, err);
	if (!rc && other)
		rc = zw_errf(err, ZW_ECONFLICT, "ip", "%s 已由终端（编号 %lld）使用", t->ip,
		             (long long)other);
	struct address_at h = {0};
	if (!rc)
		rc = store_address_at(c, t->ip, &h, err);
	bool theirs = h.terminal_id
	                  ? h.terminal_id != t->id
	                  : strcmp(h.kind, "网关") == 0 || (*h.mac && strcmp(h.mac, t->mac));
	if (!rc && h.id && theirs)
		rc = zw_errf(err, ZW_ECONFLICT, "ip", "%s 已登记为主机地址（编号 %lld，%s%s%s）",
		             t->ip, (long long)h.id, h.kind, *h.mac ? "，MAC " : "", h.mac);
	return rc;
}

static int terminal_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                          struct zw_err *err)
{
	(void)old;
	struct terminal *t = rec;
	if (!t)
		return 0;
	/* mac, ip and the dates are checked (and stored canonical) by the field table */
	if (t->classified) {
		const char *list = forbidden_clause(x->prof, "classified_equipment");
		char cl[32] = "";
		if (list)
			profile_first_clause(list, cl, sizeof(cl));
		return zw_err_clause(err, ZW_ERULE, "classified", cl,
		                     "涉密计算机和设备不得接入%s%s%s%s，不能登记",
		                     x->prof->network_name, *cl ? "（" : "", cl, *cl ? "）" : "");
	}
	int rc = t->unit_id > 0 ? registry_ref(c, "units", "unit_id", "单位", t->unit_id, err)
	                        : zw_errf(err, ZW_EINVALID, "unit_id", "单位不存在");
	if (rc || !t->ip || !*t->ip)
		return rc;
	int fam;
	u128 a;
	if (inet_parse_addr(t->ip, &fam, &a) < 0)
		return zw_errf(err, ZW_EINTERNAL, "ip", NULL); /* the table let it through */
	/* JX-21: units use the addresses the center allocated to them. */
	int64_t owner_unit = 0, prefix_id = 0;
	rc = store_prefix_owner(c, fam, a, &prefix_id, &owner_unit, err);
	if (!rc && owner_unit != t->unit_id)
		rc = zw_errf(err, ZW_EINVALID, "ip", "%s 不在该单位分配的地址段内", t->ip);
	return rc ? rc : ip_free_for(c, t, prefix_id, fam, a, err);
}

const struct registry_kind terminal_kind = {
    .table = "terminals",
    .object = "terminal",
    .label = "终端",
    .sc = &terminal_schema,
    .read = ACT_TERMINAL_READ,
    .write = ACT_TERMINAL_WRITE,
    .unit_field = "unit_id",
    .check = terminal_check,
    .unique_field = "mac",
};

struct compl_ctx {
	const struct profile *prof;
	int32_t today;
	json_t *out;
	int64_t limit, total;
	json_t *by_issue; /* code -> terminals with that issue */
};

/* One finding of the check: the clause that requires what is missing, or none when the check
 * is the county's own setting (basis "county"). */
static void issue(json_t *list, const char *code, const char *message, const char *clauses)
{
	json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "code", code, "message",
	                                      message, "clauses", clause_list_json(clauses),
	                                      "basis", clauses ? "regulation" : "county"));
}

static int age_days(const char *date, int32_t today)
{
	int32_t d;
	return date && parse_date(date, &d) == 0 ? today - d : -1;
}

/* A date that must be within max days: the message when it is not, else false. */
static bool stale(int age, int max, const char *what, char *msg, size_t n)
{
	if (age < 0)
		snprintf(msg, n, "%s日期未登记", what);
	else if (age > max)
		snprintf(msg, n, "%s已 %d 天未更新（要求 %d 天内）", what, age, max);
	return age < 0 || age > max;
}

static int compl_row(const void *rec, void *vctx)
{
	const struct terminal *t = rec;
	struct compl_ctx *x = vctx;
	const struct profile *p = x->prof;
	json_t *issues = json_array();
	char msg[128];
	bool av = t->antivirus && *t->antivirus;
	if (p->antivirus_required && !av)
		issue(issues, "no_antivirus", "未安装防病毒软件", p->antivirus_clause);
	if (p->antivirus_required && av &&
	    stale(age_days(t->av_signature_date, x->today), p->signature_max_age_days, "病毒库",
	          msg, sizeof(msg)))
		issue(issues, "stale_signatures", msg, p->signature_clause);
	if (stale(age_days(t->patch_date, x->today), p->patch_max_age_days, "补丁", msg,
	          sizeof(msg)))
		issue(issues, "stale_patches", msg, p->patch_clause);
	if (p->plugin_required && !t->plugin_installed)
		issue(issues, "no_plugin", "未安装安全管理插件", p->plugin_clause);
	if (!json_array_size(issues)) {
		json_decref(issues);
		return 0;
	}
	x->total++;
	size_t i;
	json_t *one;
	json_array_foreach(issues, i, one)
	{
		const char *code = json_string_value(json_object_get(one, "code"));
		json_t *n = json_object_get(x->by_issue, code);
		json_object_set_new(x->by_issue, code,
		                    json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	if (x->limit && x->total > x->limit)
		json_decref(issues);
	else
		json_array_append_new(
		    x->out, json_pack("{s:I, s:s, s:o, s:I, s:o}", "terminal_id", (json_int_t)t->id,
		                      "mac", t->mac, "ip", t->ip ? json_string(t->ip) : json_null(),
		                      "unit_id", (json_int_t)t->unit_id, "issues", issues));
	return 0;
}

json_t *terminal_compliance(const struct ctx *x, int64_t unit_id, int64_t limit, struct zw_err *err)
{
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	if (unit_id)
		q.f[q.nf++] =
		    (struct lq_filter){.col = "unit_id", .ival = unit_id, .op = LQ_EQ_INT};
	if (registry_scope(x, &terminal_kind, &q, err) < 0)
		return NULL;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return NULL;
	/* Another unit's (or no) unit is not there, as for every other object. */
	if (unit_id && authz_check(x->by, ACT_TERMINAL_READ, unit_id, err) < 0)
		return NULL;
	int there = unit_id ? store_row_exists(c, "units", unit_id) : 1;
	if (there <= 0) {
		zw_errf(err, there < 0 ? ZW_EINTERNAL : ZW_ENOTFOUND, "unit_id",
		        there < 0 ? NULL : "单位不存在");
		return NULL;
	}
	struct compl_ctx cc = {x->prof, clock_today_cn(), json_array(), limit, 0, json_object()};
	/* Page through every terminal in scope. */
	for (;;) {
		struct list_page page;
		if (store_rec_scan(c, "terminals", &terminal_schema, &q, compl_row, &cc, &page,
		                   err) < 0 ||
		    (page.more && list_cursor_decode(page.next_cursor, &q, err) < 0)) {
			json_decref(cc.out);
			json_decref(cc.by_issue);
			return NULL;
		}
		if (!page.more)
			break;
	}
	return json_pack("{s:o, s:I, s:o, s:b}", "items", cc.out, "total", (json_int_t)cc.total,
	                 "by_issue", cc.by_issue, "truncated", limit && cc.total > limit);
}
