#include "domain/violation/finding.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/parse.h"
#include "domain/audit.h"
#include "store/rec.h"
#include "store/violation_sql.h"
#include "store/watch_sql.h"
#include "wire/lease.h"
#include "core/text.h"
#include "core/xalloc.h"

struct finding_rec {
	int64_t id;
	char *kind, *behaviour, *label, *status, *mac, *ip;
	int64_t unit_id, terminal_id, violation_id;
	char *detail, *probe;
	int64_t first_seen, last_seen, count;
	int64_t created_at, updated_at, rev;
};

static const char *const kinds[] = {
#define FINDING_CODE(e, code, zh, behaviour, opens, about) code,
    FINDING_MAP(FINDING_CODE)
#undef FINDING_CODE
        NULL};
static const char *const kind_labels[] = {
#define FINDING_LABEL(e, code, zh, behaviour, opens, about) zh,
    FINDING_MAP(FINDING_LABEL)
#undef FINDING_LABEL
        NULL};
static const char *const statuses[] = {"open", "dismissed", "violation", "resolved", NULL};
static const char *const status_labels[] = {"待处理", "已排除", "已立案", "已结案", NULL};

#define F(n, t, fl, lbl, max) REC_F(struct finding_rec, n, t, fl, lbl, max)
static const struct rec_field finding_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    REC_FEL(struct finding_rec, kind, REC_READONLY | REC_FILTER, "发现类型", kinds, kind_labels),
    F(behaviour, REC_TEXT, REC_READONLY | REC_FILTER, "违规行为代码", 40),
    F(label, REC_TEXT, REC_READONLY, "发现", 100),
    REC_FEL(struct finding_rec, status, REC_READONLY | REC_FILTER, "状态", statuses, status_labels),
    F(mac, REC_TEXT, REC_READONLY | REC_NULLABLE | REC_FILTER, "MAC 地址", 17),
    F(ip, REC_TEXT, REC_READONLY | REC_NULLABLE | REC_FILTER, "IP 地址", 45),
    F(unit_id, REC_ID, REC_READONLY | REC_FILTER, "单位", 0),
    F(terminal_id, REC_ID, REC_READONLY | REC_FILTER, "终端", 0),
    F(violation_id, REC_ID, REC_READONLY, "违规事项", 0),
    F(detail, REC_TEXT, REC_READONLY, "详情", 200),
    F(probe, REC_TEXT, REC_READONLY | REC_FILTER, "探针", 64),
    F(first_seen, REC_TIME, REC_READONLY | REC_SORT, "首次发现", 0),
    F(last_seen, REC_TIME, REC_READONLY | REC_SORT, "最近发现", 0),
    F(count, REC_INT, REC_READONLY | REC_SORT, "次数", 0),
    REC_META(struct finding_rec),
};
#undef F

const struct rec_schema finding_schema = {"finding", finding_fields,
                                          sizeof(finding_fields) / sizeof(finding_fields[0]),
                                          sizeof(struct finding_rec)};

const struct registry_kind finding_kind = {
    .table = "findings",
    .object = "finding",
    .label = "发现",
    .sc = &finding_schema,
    .read = ACT_FINDING_READ,
    .write = ACT_FINDING_WRITE,
    .unit_field = "unit_id",
};

struct probe_rec {
	int64_t id;
	char *name;
	int64_t user_id;
	char *source;
	int64_t first_seen, last_seen, batches, observations, findings, spooled, dropped;
	char *addresses;
	int64_t leases, expired_leases;
	char *warning;
};

#define F(n, t, fl, lbl, max) REC_F(struct probe_rec, n, t, fl, lbl, max)
static const struct rec_field probe_fields[] = {
    F(id, REC_ID, REC_READONLY, "编号", 0),
    F(name, REC_TEXT, REC_READONLY | REC_SORT | REC_FILTER, "探针名称", 64),
    F(user_id, REC_ID, REC_READONLY, "令牌所属用户", 0),
    F(source, REC_TEXT, REC_READONLY, "来源地址", 64),
    F(first_seen, REC_TIME, REC_READONLY, "首次上报", 0),
    F(last_seen, REC_TIME, REC_READONLY | REC_SORT, "最近上报", 0),
    F(batches, REC_INT, REC_READONLY, "上报批次", 0),
    F(observations, REC_INT, REC_READONLY, "观测数", 0),
    F(findings, REC_INT, REC_READONLY, "发现数", 0),
    F(spooled, REC_INT, REC_READONLY, "待重传", 0),
    F(dropped, REC_INT, REC_READONLY, "缓存溢出丢弃", 0),
    F(addresses, REC_TEXT, REC_READONLY, "本机地址", 2000),
    F(leases, REC_INT, REC_READONLY | REC_NULLABLE, "当前租约", 0),
    F(expired_leases, REC_INT, REC_READONLY | REC_NULLABLE, "已过期租约", 0),
    F(warning, REC_TEXT, REC_READONLY, "提示", 200),
};
#undef F

static const struct rec_schema probe_schema = {"probe", probe_fields,
                                               sizeof(probe_fields) / sizeof(probe_fields[0]),
                                               sizeof(struct probe_rec)};

/* A probe is silent (失联) when it has not reported for this long: a probe sends a batch at
 * least every few seconds while it watches (its --interval, 1 s), and a lease or SNMP reader
 * every --every seconds; five minutes is longer than any of them and short enough for the
 * manager to notice a probe that went away within the same duty hour. */
#define PROBE_SILENT_AFTER 300

/* How a probe is doing, as the console and the home page show it: silent, reporting with a
 * warning (its own, e.g. a lease file it cannot read), or well. */
static int probe_extra(struct sconn *c, const void *rec, json_t *o, struct zw_err *err)
{
	(void)c;
	(void)err;
	static const struct {
		const char *code, *label;
	} states[] = {{"ok", "正常"}, {"warning", "需注意"}, {"silent", "失联"}};
	const struct probe_rec *p = rec;
	int k = clock_now() - p->last_seen > PROBE_SILENT_AFTER ? 2 : p->warning && *p->warning;
	json_object_set_new(o, "state", json_string(states[k].label));
	json_object_set_new(o, "state_code", json_string(states[k].code));
	return 0;
}

const struct registry_kind probe_kind = {
    .table = "probes",
    .object = "probe",
    .label = "探针",
    .sc = &probe_schema,
    .read = ACT_FINDING_READ,
    .write = ACT_FINDING_WRITE,
    .extra = probe_extra,
};

/* ---- ingest ---- */

static int batch_members(const json_t *body, struct zw_err *err)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		if (strcmp(key, "probe") && strcmp(key, "observations") && strcmp(key, "stats") &&
		    strcmp(key, "count") && strcmp(key, "self") && strcmp(key, "batch"))
			return zw_errf(
			    err, ZW_EINVALID, "?",
			    "未知字段（只接受 probe、batch、count、self、observations、stats）");
	}
	return 0;
}

static int stat_member(const json_t *stats, const char *k, int64_t *out, struct zw_err *err)
{
	const json_t *v = json_object_get(stats, k);
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		char field[32];
		text_printf(field, sizeof(field), "stats.%s", k);
		return zw_errf(err, ZW_EINVALID, field, "%s 应为非负整数", field);
	}
	*out = json_integer_value(v);
	return 0;
}

static void row_of(const struct finding *f, const char *probe, char *evidence,
                   struct finding_row *row, char *dedup, size_t dsz)
{
	memset(row, 0, sizeof(*row));
	if (f->has_mac)
		format_mac(f->mac, row->mac);
	if (f->has_ip)
		inet_format_addr(f->family, f->ip, row->ip);
	/* one finding per device, or per use of an address (FINDING_MAP) */
	snprintf(dedup, dsz, "%s|%s|%s", finding_code(f->kind), row->mac,
	         finding_about_device(f->kind) ? "" : row->ip);
	row->dedup = dedup;
	row->kind = finding_code(f->kind);
	row->behaviour = finding_behaviour(f->kind);
	row->label = finding_label(f->kind);
	row->detail = f->detail;
	row->probe = probe;
	row->evidence = evidence;
	row->unit_id = f->unit_id;
	row->terminal_id = f->terminal_id;
	row->seen = f->obs.at_us / 1000000;
}

#define CHUNK 256 /* observations run through the rules at a time */

/* One finding into the findings table, inside the ingest's transaction; a new one is judged
 * against the profile at once (violation.h). */
static int record(const struct ctx *x, const struct violation_policy *vp, struct store_tx *tx,
                  const char *probe, const struct finding *f, int64_t now, struct buf *ev,
                  struct ingest_result *res, struct zw_err *err)
{
	char at[40], dedup[120];
	struct finding_row row;
	buf_reset(ev);
	obs_format_time(f->obs.at_us, at);
	buf_printf(ev, "{\"at\":\"%s\",\"probe\":", at);
	json_write_str(ev, probe);
	buf_puts(ev, ",\"detail\":");
	json_write_str(ev, f->detail);
	buf_puts(ev, ",\"observation\":");
	obs_write_json(ev, &f->obs);
	buf_puts(ev, "}");
	if (buf_check(ev, err, "违规发现的记录")) /* its parts are bounded: not expected */
		return -err->code;
	row_of(f, probe, ev->p, &row, dedup, sizeof(dedup));
	bool created, judge, opened = false;
	int64_t id = 0, vid = 0;
	int rc = store_finding_upsert(store_tx_conn(tx), &row, now, &id, &created, &judge, err);
	if (!rc && created)
		res->created++;
	if (rc || !judge || !f->unit_id)
		return rc;
	if (!finding_opens_case(f->kind))
		return 0; /* a hint: a manager reviews it, and may open a case from it */
	struct case_input in = {.finding_id = id,
	                        .unit_id = f->unit_id,
	                        .terminal_id = f->terminal_id,
	                        .behaviour = row.behaviour,
	                        .mac = row.mac,
	                        .ip = row.ip,
	                        .detail = f->detail};
	rc = violation_from_finding_tx(x, tx, vp, &in, &vid, &opened, err);
	if (!rc && opened)
		res->violations++;
	return rc;
}

struct seen {
	int64_t terminal, at;
};

static int by_terminal(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	return x->terminal < y->terminal ? -1 : x->terminal > y->terminal;
}

/* The registered terminals the batch saw, each once with its first and last sighting (the
 * register's 首次发现 and 最近发现). */
static int terminals_seen(struct sconn *c, const struct obs *obs, const int64_t *term, size_t n,
                          struct zw_err *err)
{
	size_t k = 0;
	struct seen *v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		if (term[i])
			v[k++] = (struct seen){term[i], obs[i].at_us / 1000000};
	qsort(v, k, sizeof(*v), by_terminal);
	int rc = 0;
	for (size_t i = 0; i < k && !rc;) {
		size_t j = i;
		int64_t first = v[i].at, last = v[i].at;
		for (; j < k && v[j].terminal == v[i].terminal; j++) {
			first = v[j].at < first ? v[j].at : first;
			last = v[j].at > last ? v[j].at : last;
		}
		rc = store_terminal_seen(c, v[i].terminal, first, last, err);
		i = j;
	}
	free(v);
	return rc;
}

int finding_ingest(const struct ctx *x, struct watch *w, const struct violation_policy *vp,
                   const json_t *body, const char *source, struct ingest_result *res,
                   struct zw_err *err)
{
	memset(res, 0, sizeof(*res));
	int rc = authz_check(x->by, ACT_OBSERVATION_WRITE, 0, err);
	if (rc)
		return rc;
	if (!json_is_object(body))
		return zw_errf(err, ZW_EINVALID, NULL, "请求体应为 JSON 对象");
	if ((rc = batch_members(body, err)))
		return rc;
	const json_t *pj = json_object_get(body, "probe");
	const char *probe = json_is_string(pj) ? json_string_value(pj) : NULL;
	if (!probe || !*probe || strlen(probe) > 64 || !utf8_valid(probe, strlen(probe), false))
		return zw_errf(err, ZW_EINVALID, "probe", "probe 应为 1 到 64 字节的探针名称");
	/* what the batch does (the cases it opens, their steps, the audit) is the probe's, by
	 * its name, not the person's who made its token */
	struct principal as_probe = *x->by;
	text_printf(as_probe.username, sizeof(as_probe.username), "probe:%s", probe);
	struct ctx px = *x;
	px.by = &as_probe;
	const json_t *list = json_object_get(body, "observations");
	if (!json_is_array(list))
		return zw_errf(err, ZW_EINVALID, "observations", "observations 应为数组");
	size_t n = json_array_size(list);
	if (n > INGEST_MAX)
		return zw_errf(err, ZW_EINVALID, "observations", "一批最多 %d 条观测，收到 %zu 条",
		               INGEST_MAX, n);
	const json_t *count = json_object_get(body, "count");
	if (count && (!json_is_integer(count) || json_integer_value(count) != (json_int_t)n))
		return zw_errf(err, ZW_EINVALID, "count", "count 应等于 observations 的条数 %zu",
		               n);
	int64_t spooled = 0, dropped = 0;
	const json_t *stats = json_object_get(body, "stats");
	if (stats && !json_is_object(stats))
		return zw_errf(err, ZW_EINVALID, "stats", "stats 应为对象");
	/* a lease reader's last read: its current and expired leases (one not given is 0) */
	int64_t leases = 0, expired = 0;
	if (stats && ((rc = stat_member(stats, "spooled", &spooled, err)) ||
	              (rc = stat_member(stats, "dropped", &dropped, err)) ||
	              (rc = stat_member(stats, "leases", &leases, err)) ||
	              (rc = stat_member(stats, "expired_leases", &expired, err))))
		return rc;
	bool lease_read =
	    stats && (json_object_get(stats, "leases") || json_object_get(stats, "expired_leases"));
	char warning[200] = "";
	if (lease_read && lease_all_expired((size_t)leases, (size_t)expired))
		snprintf(warning, sizeof(warning),
		         "最近读取的租约文件中 %lld 条租约均已过期，没有当前租约：DHCP "
		         "服务器是否在运行，读取的是否是它的租约文件？",
		         (long long)expired);
	/* the batch's name (run, seq): one taken already is answered, not counted again */
	const json_t *bj = json_object_get(body, "batch");
	const char *run = json_string_value(json_object_get(bj, "run"));
	const json_t *seqj = json_object_get(bj, "seq");
	if (bj && (!json_is_object(bj) || json_object_size(bj) != 2 || !run || strlen(run) < 8 ||
	           strlen(run) > 64 || strspn(run, "0123456789abcdefABCDEF-") != strlen(run) ||
	           !json_is_integer(seqj) || json_integer_value(seqj) < 1))
		return zw_errf(err, ZW_EINVALID, "batch",
		               "batch 应为 {\"run\": 8 到 64 位十六进制, \"seq\": 正整数}");
	struct obs_self self;
	if ((rc = obs_self_from_json(json_object_get(body, "self"), &self, err)))
		return rc;
	struct obs *obs = xcalloc(n, sizeof(*obs));
	int64_t *term = xcalloc(n ? n : 1, sizeof(*term));
	struct finding *found = xcalloc(CHUNK * WATCH_MAX_PER_OBS, sizeof(*found));
	/* the whole batch is read before anything is judged: one bad observation, nothing kept */
	for (size_t i = 0; i < n && !rc; i++)
		rc = obs_from_json(json_array_get(list, i), i, &obs[i], err);
	if (!rc)
		rc = watch_refresh(w, x->st, err);
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	bool again = false;
	if (!rc && bj)
		rc = store_probe_batch(store_tx_conn(tx), probe, run, json_integer_value(seqj),
		                       clock_now(), &again, err);
	if (!rc && again) {
		store_rollback(tx);
		free(term);
		free(obs);
		free(found);
		res->duplicate = true;
		return 0;
	}
	struct buf ev;
	buf_init(&ev, 1 << 16);
	int64_t now = clock_now();
	size_t total = 0;
	/* the rules run a chunk at a time into a fixed buffer that can hold all it raises */
	for (size_t at = 0; at < n && !rc; at += CHUNK) {
		size_t nf, over;
		watch_observe(w, &self, obs + at, n - at < CHUNK ? n - at : CHUNK, term + at, found,
		              CHUNK * WATCH_MAX_PER_OBS, &nf, &over);
		total += nf;
		for (size_t i = 0; i < nf && !rc; i++)
			rc = record(&px, vp, tx, probe, &found[i], now, &ev, res, err);
	}
	if (!rc)
		rc = terminals_seen(store_tx_conn(tx), obs, term, n, err);
	char *own = NULL;
	if (!rc && json_object_get(body, "self")) {
		struct buf sb; /* OBS_SELF_MAX MACs and addresses: under 2 KB */
		buf_init(&sb, SIZE_MAX);
		for (size_t i = 0; i < self.nmacs; i++) {
			char m[18];
			format_mac(self.macs[i], m);
			buf_printf(&sb, "%s%s", sb.len ? ", " : "", m);
		}
		for (size_t i = 0; i < self.naddrs; i++) {
			char a[INET_ADDR_MAX];
			inet_format_addr(self.family[i], self.addrs[i], a);
			buf_printf(&sb, "%s%s", sb.len ? ", " : "", a);
		}
		own = buf_take(&sb, NULL);
	}
	if (!rc) {
		struct probe_row pr = {.name = probe,
		                       .addresses = own,
		                       .lease_read = lease_read,
		                       .leases = leases,
		                       .expired_leases = expired,
		                       .warning = warning,
		                       .source = source ? source : "",
		                       .user_id = x->by->user_id,
		                       .now = now,
		                       .observations = (int64_t)n,
		                       .findings = (int64_t)total,
		                       .spooled = spooled,
		                       .dropped = dropped};
		rc = store_probe_seen(store_tx_conn(tx), &pr, err);
	}
	if (tx)
		rc = rc ? (store_rollback(tx), rc) : store_commit(tx, err);
	buf_free(&ev);
	free(own);
	free(term);
	free(obs);
	free(found);
	if (rc)
		return rc;
	res->accepted = n;
	res->findings = total;
	return 0;
}

int finding_get(const struct ctx *x, int64_t id, json_t **out, struct zw_err *err)
{
	struct finding_rec f = {0};
	int rc = registry_get(x, &finding_kind, id, &f, err);
	struct sconn *c = rc ? NULL : store_read(x->st, err);
	char *text = NULL;
	if (!rc && !c)
		rc = -ZW_EINTERNAL;
	if (!rc)
		rc = store_finding_evidence(c, id, &text, err);
	json_t *ev = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (!rc && !ev)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, NULL);
	if (!rc) {
		*out = rec_to_json(&finding_schema, &f);
		json_object_set_new(*out, "evidence", ev);
	} else {
		json_decref(ev);
	}
	rec_free(&finding_schema, &f);
	return rc;
}

struct ftr {
	char *action, *reason;
	int64_t if_rev;
};
static const char *const factions[] = {"dismiss", NULL};
static const struct rec_field ftr_fields[] = {
    REC_FE(struct ftr, action, REC_REQUIRED, "操作", factions),
    REC_F(struct ftr, reason, REC_TEXT, REC_MULTILINE | REC_REQUIRED, "理由", 500),
    {"if_rev", REC_INT, 0, offsetof(struct ftr, if_rev), "版本", 0, NULL, 1, INT64_MAX, NULL, NULL},
};
const struct rec_schema finding_transition_schema = {"finding_transition", ftr_fields,
                                                     sizeof(ftr_fields) / sizeof(ftr_fields[0]),
                                                     sizeof(struct ftr)};

int finding_transition(const struct ctx *x, int64_t id, const json_t *body, struct zw_err *err)
{
	struct ftr t = {0};
	uint64_t present = 0;
	int rc = rec_from_json(&finding_transition_schema, body, true, &t, &present, err);
	if (!rc && (!*t.reason || !utf8_valid(t.reason, strlen(t.reason), true)))
		rc = zw_errf(err, ZW_EINVALID, "reason", "请说明排除的理由");
	struct store_tx *tx = NULL;
	if (!rc)
		rc = store_begin(x->st, &tx, err);
	struct sconn *c = tx ? store_tx_conn(tx) : NULL;
	struct finding_rec f = {0};
	if (!rc) {
		rc = store_rec_get(c, "findings", &finding_schema, id, NULL, 0, &f, err);
		if (rc == -ZW_ENOTFOUND) {
			zw_err_clear(err);
			rc = zw_errf(err, ZW_ENOTFOUND, NULL, "监测发现不存在");
		}
	}
	if (!rc && authz_check(x->by, ACT_FINDING_READ, f.unit_id, err))
		rc = -err->code;
	if (!rc && authz_check(x->by, ACT_FINDING_WRITE, f.unit_id, err))
		rc = -err->code;
	if (!rc && t.if_rev && t.if_rev != f.rev)
		rc = zw_errf(err, ZW_ESTALE, NULL, NULL);
	if (!rc && strcmp(f.status, "open") != 0)
		rc = zw_errf(err, ZW_ECONFLICT, "action",
		             strcmp(f.status, "violation") == 0
		                 ? "该监测发现已立为违规事项，请在违规事项中排除"
		                 : "该监测发现已处理，不能再排除");
	json_t *before = rc ? NULL : rec_to_json(&finding_schema, &f);
	if (!rc)
		rc = store_finding_dismiss(c, id, clock_now(), err);
	struct finding_rec now = {0};
	if (!rc)
		rc = store_rec_get(c, "findings", &finding_schema, id, NULL, 0, &now, err);
	json_t *after = rc ? NULL : rec_to_json(&finding_schema, &now);
	if (after)
		json_object_set_new(after, "reason", json_string(t.reason));
	if (!rc)
		rc = audit_append(tx, x->by, "finding.dismiss", "finding", id, f.unit_id, before,
		                  after, NULL, err);
	if (tx)
		rc = rc ? (store_rollback(tx), rc) : store_commit(tx, err);
	json_decref(before);
	json_decref(after);
	rec_free(&finding_schema, &f);
	rec_free(&finding_schema, &now);
	rec_free(&finding_transition_schema, &t);
	return rc;
}
