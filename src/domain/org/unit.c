#include "domain/org/unit.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mutant.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/audit.h"
#include "domain/workflow.h"
#include "store/rec.h"
#include "store/unit_sql.h"
#include "store/violation_sql.h"
#include "core/xalloc.h"
#include "store/application_sql.h"

static const char *const unit_types[] = {"党政机关", "事业单位", "国有企业", "学校",
                                         "医院",     "其他",     NULL};
const char *const unit_status_values[] = {"申请中",         "已接入", "暂停",
                                          "已撤销入网资格", "已拆机", NULL};
static const char *const status_codes[] = {"applying", "connected",    "suspended",
                                           "revoked",  "disconnected", NULL};

#define F(n, t, fl, st, lbl, max) REC_F(st, n, t, fl, lbl, max)
#define FE(n, fl, st, lbl, vals)  REC_FE(st, n, fl, lbl, vals)
#define FMETA(st)                 REC_META(st)

static const struct rec_field unit_fields[] = {
    F(id, REC_ID, REC_READONLY, struct unit, "编号", 0),
    F(name, REC_TEXT, REC_REQUIRED | REC_NAME | REC_SORT | REC_SEARCH, struct unit, "单位名称",
      100),
    F(short_name, REC_TEXT, REC_NAME, struct unit, "简称", 30),
    FE(type, REC_REQUIRED | REC_FILTER, struct unit, "单位类型", unit_types),
    FE(level, REC_REQUIRED | REC_FILTER, struct unit, "单位层级", unit_level_values),
    F(address, REC_TEXT, 0, struct unit, "办公地址", 200),
    F(parent_id, REC_ID, REC_NULLABLE | REC_FILTER, struct unit, "上级单位", 0),
    REC_FEC(struct unit, status, REC_FIXED | REC_FILTER | REC_SORT, "接入状态", unit_status_values,
            status_codes),
    F(status_clause, REC_TEXT, REC_READONLY, struct unit, "状态依据条款", 32),
    F(status_reason, REC_TEXT, REC_READONLY, struct unit, "状态变更原因", 500),
    F(status_at, REC_TIME, REC_READONLY, struct unit, "状态变更时间", 0),
    F(connected_on, REC_DATE, REC_FIXED | REC_NULLABLE | REC_PAST, struct unit, "接入日期", 10),
    F(note, REC_TEXT, REC_MULTILINE, struct unit, "备注", 1000),
    FMETA(struct unit),
};
const struct rec_schema unit_schema = {
    "unit", unit_fields, sizeof(unit_fields) / sizeof(unit_fields[0]), sizeof(struct unit)};

void unit_free(struct unit *u)
{
	rec_free(&unit_schema, u);
}

json_t *unit_json(const struct unit *u)
{
	return rec_to_json(&unit_schema, u);
}

const char *unit_status_code(const char *status)
{
	for (int i = 0; status && unit_status_values[i]; i++)
		if (strcmp(unit_status_values[i], status) == 0)
			return status_codes[i];
	return NULL;
}

/* A unit's name whose comparison key (core/text.h) another unit has is refused with 409 naming
 * that unit: the same name, or one that differs only in full-width/half-width forms, letter
 * case or blanks ("城关镇（一）" and "城关镇(一)"). Checked in the write transaction; the key is
 * stored once the unit is (unit_after), under a UNIQUE index that is the backstop. */
static int name_key_check(struct sconn *c, const char *name, int64_t self, struct zw_err *err)
{
	int64_t other = 0;
	char *other_name = NULL, *key = NULL;
	if (text_nfkc_key(name, &key) < 0)
		return zw_errf(err, ZW_EINVALID, "name", "单位名称不是有效的 UTF-8 文本");
	int rc = store_unit_by_name_key(c, key, self, &other, &other_name, err);
	if (!rc && other && strcmp(other_name, name) == 0)
		rc = zw_errf(err, ZW_ECONFLICT, "name", "单位名称“%s”已存在（编号 %lld）", name,
		             (long long)other);
	else if (!rc && other)
		rc = zw_errf(err, ZW_ECONFLICT, "name",
		             "已登记的单位“%s”（编号 %lld）与此名称只有全角半角、大小写或空格之差，"
		             "视为同一单位名称，不能重复登记",
		             other_name, (long long)other);
	free(other_name);
	free(key);
	return rc;
}

static int check_parent(struct sconn *c, int64_t self, int64_t parent, struct zw_err *err)
{
	for (int depth = 0; parent; depth++) {
		if (parent == self)
			return zw_errf(err, ZW_EINVALID, "parent_id",
			               "上级单位不能是本单位或其下级");
		if (depth > 16)
			return zw_errf(err, ZW_EINVALID, "parent_id", "上级单位层级过深");
		struct unit p = {0};
		int rc = store_rec_get(c, "units", &unit_schema, parent, NULL, 0, &p, NULL);
		int64_t next = p.parent_id;
		unit_free(&p);
		if (rc)
			return zw_errf(err, ZW_EINVALID, "parent_id", "上级单位不存在");
		parent = next;
	}
	return 0;
}

static const char *status_name(const char *code)
{
	for (int i = 0; status_codes[i]; i++)
		if (strcmp(status_codes[i], code) == 0)
			return unit_status_values[i];
	return NULL;
}

/* The clause a move to status rests on: the one given (must be in the profile), else the
 * profile's. */
static int resolve_clause(const struct profile *prof, const char *status, const char *given,
                          char out[32], struct zw_err *err)
{
	if (given && *given) {
		if (!profile_clause(prof, given))
			return zw_errf(err, ZW_EINVALID, "clause", "条款 %s 不在《%s》中", given,
			               prof->title);
		snprintf(out, 32, "%s", given);
		return 0;
	}
	const char *list = profile_unit_status_clause(prof, unit_status_code(status));
	if (!list)
		return zw_errf(err, ZW_EINVALID, "clause",
		               "《%s》未规定“%s”所依据的条款，请在 clause 中指明依据", prof->title,
		               status);
	profile_first_clause(list, out, 32);
	return 0;
}

struct kinds_ctx {
	const char *kinds;
	char buf[1024];
};

static int grab_kinds(int64_t id, const char *name, const char *status, const char *kinds,
                      void *vctx)
{
	(void)id, (void)name, (void)status;
	struct kinds_ctx *k = vctx;
	snprintf(k->buf, sizeof(k->buf), "%s", kinds ? kinds : "");
	k->kinds = k->buf;
	return 0;
}

static bool has_kind(const char *kinds, const char *kind)
{
	size_t n = strlen(kind);
	for (const char *p = kinds; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && strncmp(p, kind, n) == 0)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* Connecting needs every agreement the profile requires for connection (JX-9, LN-17). */
static int check_agreements(struct sconn *c, const struct profile *prof, int64_t unit_id,
                            struct zw_err *err)
{
	struct kinds_ctx k = {NULL, ""};
	int rc = store_unit_kinds(c, unit_id, false, grab_kinds, &k, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < prof->nagreements; i++) {
		const struct agreement_kind *a = &prof->agreements[i];
		if (!a->required_for_connection || strcmp(a->party, "unit") != 0)
			continue;
		if (!has_kind(k.buf, a->key)) {
			char cl[32];
			profile_first_clause(a->clause, cl, sizeof(cl));
			return zw_err_clause(err, ZW_ERULE, "status", cl,
			                     "该单位尚未签署《%s》，依据%s不能接入", a->name, cl);
		}
	}
	return 0;
}

struct unit_op {
	const struct ctx *x;
	int64_t id, if_rev;
	const char *status, *clause, *reason;
	int64_t case_id; /* the violation case moving the unit, or 0 */
	struct zw_err *err;
};

/* One move of a unit's status: the unit as it stands (for a registration, as given). */
struct ustep {
	const struct ctx *x;
	struct store_tx *tx;
	struct sconn *c;
	struct unit *u;
	const char *state;          /* where it is: "" for a registration */
	const char *reason, *given; /* given: the clause the caller named, or NULL */
	int64_t case_id;            /* a violation case moving the unit (it isolates on its own) */
	char clause[32];            /* the clause the move rests on */
	const char *to;             /* where the step took it */
};

static int move_clause(struct ustep *s, const char *status, const char *given, struct zw_err *err);

static int load_unit_checked(struct store_tx *tx, const struct unit_op *op, struct unit *cur)
{
	int rc =
	    store_rec_get(store_tx_conn(tx), "units", &unit_schema, op->id, NULL, 0, cur, op->err);
	if (rc)
		return rc;
	if (op->if_rev && cur->rev != op->if_rev)
		return zw_errf(op->err, ZW_ESTALE, NULL, NULL);
	return 0;
}

/* ---- the status machine ---- */

static const char *access_clause(const struct profile *prof, char out[32])
{
	const struct workflow_rule *w = profile_workflow(prof, "access");
	*out = 0;
	if (w)
		profile_first_clause(w->clause, out, 32);
	return out;
}

/* TB-13: 未经审核，任何组织和个人不得私自接入 — a unit applying is connected only on an
 * approved access application (being implemented or done). */
static int check_application(struct ustep *s, struct zw_err *err)
{
	bool ok = false;
	char clause[32];
	if (!profile_workflow(s->x->prof, "access"))
		return 0;
	int rc = store_unit_access_approved(s->c, s->u->id, &ok, err);
	if (rc || ok)
		return rc;
	access_clause(s->x->prof, clause);
	return zw_err_clause(err, ZW_ERULE, "status", clause,
	                     "依据%s，未经审核不得接入：该单位还没有经批准的接入申请", clause);
}

/* TB-9: 断开连接，待整改完成后再行接入 — not while a violation case still cuts the unit off. */
static int not_cut_by_case(struct ustep *s, struct zw_err *err)
{
	int64_t case_id = 0, hand = 0;
	int rc = store_unit_isolated(s->c, s->u->id, s->case_id, &case_id, &hand, err);
	if (rc || !case_id || ZW_MUTANT("case_blocks_reconnect"))
		return rc;
	char clause[32];
	rc = store_violation_clause(s->c, case_id, clause, sizeof(clause), err);
	return rc ? rc
	          : zw_err_clause(err, ZW_ECONFLICT, "status", clause,
	                          "违规事项 %lld 仍对该单位断网，依据%s须整改完成、"
	                          "该事项恢复接入后再行接入",
	                          (long long)case_id, clause);
}

/* A unit's own blocks, cut off by hand (a suspension or revocation that no case made). */
struct cut {
	struct ustep *s;
	struct zw_err *err;
};

static int cut_block(int family, const char *cidr, void *arg)
{
	struct cut *k = arg;
	return store_isolation_add(k->s->c, 0, k->s->u->id, family == 4 ? "net4" : "net6", cidr,
	                           k->s->reason, k->s->clause, clock_now(), k->err);
}

static int e_cut(void *cs, struct zw_err *err)
{
	struct ustep *s = cs;
	int64_t case_id = 0, hand = 0;
	if (s->case_id || ZW_MUTANT("hand_suspension_isolates"))
		return 0;
	int rc = store_unit_isolated(s->c, s->u->id, 0, &case_id, &hand, err);
	struct cut k = {s, err};
	return rc || hand ? rc : store_unit_blocks(s->c, s->u->id, cut_block, &k, err);
}

/* Connected (again): what was cut by hand is lifted; the first connection is dated. */
static int e_connect(void *cs, struct zw_err *err)
{
	struct ustep *s = cs;
	if (!s->u->connected_on) {
		char today[11];
		format_date(clock_today_cn(), today);
		s->u->connected_on = xstrdup(today);
	}
	return store_hand_isolations_lift(s->c, s->u->id, clock_now(), err);
}

static int e_remove(void *cs, struct zw_err *err)
{
	struct ustep *s = cs;
	return store_hand_isolations_lift(s->c, s->u->id, clock_now(), err);
}

/* A move rests on a clause: the one named, else the profile's for the status. */
static int need_clause(struct ustep *s, const char *status, struct zw_err *err)
{
	char out[32];
	return resolve_clause(s->x->prof, status, s->given, out, err);
}

static int g_suspend(void *cs, struct zw_err *err)
{
	return need_clause(cs, "暂停", err);
}

static int g_revoke(void *cs, struct zw_err *err)
{
	return need_clause(cs, "已撤销入网资格", err);
}

static int g_remove(void *cs, struct zw_err *err)
{
	return need_clause(cs, "已拆机", err);
}

static int g_agreements(struct ustep *s, struct zw_err *err)
{
	return check_agreements(s->c, s->x->prof, s->u->id, err);
}

static int g_connect(void *cs, struct zw_err *err)
{
	struct ustep *s = cs;
	int rc = need_clause(s, "已接入", err);
	if (!rc)
		rc = g_agreements(s, err);
	if (!rc)
		rc = check_application(s, err);
	return rc ? rc : not_cut_by_case(s, err);
}

static int g_reconnect(void *cs, struct zw_err *err)
{
	struct ustep *s = cs;
	int rc = need_clause(s, "已接入", err);
	if (!rc)
		rc = g_agreements(s, err);
	return rc ? rc : not_cut_by_case(s, err);
}

/*
 * Registering a unit that is already connected is a connection too, and a new unit has no
 * access application: it may be registered so only when it was connected before the
 * regulation took effect (connected_on), a unit of the existing network (存量). It needs every
 * agreement the profile requires for connection too, and a new unit has none yet; the
 * exception is the regulation's own: a kind marked backfill (LN-17 补签) may be signed later
 * by such a unit, which then stands on the 补签 list (agreements_missing).
 */
static int g_existing(void *cs, struct zw_err *err)
{
	struct ustep *s = cs;
	const struct profile *prof = s->x->prof;
	const struct unit *u = s->u;
	int32_t since = INT32_MIN; /* not after today: the field table's rule (REC_PAST) */
	bool before = u->connected_on && parse_date(u->connected_on, &since) == 0 &&
	              prof->effective != PROFILE_NO_DATE && since < prof->effective;
	char eff[11] = "", cl[32];
	if (prof->effective != PROFILE_NO_DATE)
		format_date(prof->effective, eff);
	if (!before && profile_workflow(prof, "access") && !ZW_MUTANT("existing_units_only"))
		return zw_err_clause(
		    err, ZW_ERULE, "status", access_clause(prof, cl),
		    "依据%s，未经审核不得接入：新单位请登记为“申请中”并提交接入申请%s%s%s", cl,
		    *eff ? "；办法施行（" : "", eff,
		    *eff ? "）前已接入的单位请填写接入日期 connected_on" : "");
	for (size_t i = 0; i < prof->nagreements; i++) {
		const struct agreement_kind *a = &prof->agreements[i];
		if (!a->required_for_connection || strcmp(a->party, "unit") != 0)
			continue;
		if (a->backfill && before)
			continue;
		profile_first_clause(a->clause, cl, sizeof(cl));
		if (a->backfill)
			return zw_err_clause(err, ZW_ERULE, "status", cl,
			                     "依据%s，接入须先签署《%s》。如该单位在办法施行（%s）"
			                     "前已接入，请填写接入日期 connected_on，"
			                     "单位将列入补签名单",
			                     cl, a->name, eff);
		return zw_err_clause(
		    err, ZW_ERULE, "status", cl,
		    "依据%s，接入须先签署《%s》：请先登记为“申请中”，登记协议后再接入", cl,
		    a->name);
	}
	return 0;
}

#define S ACT_UNIT_STATUS
static const struct wf_row rows[] = {
    {"register", "登记", "", "申请中", ACT_UNIT_CREATE, 0, NULL, NULL, "a new unit applies", NULL},
    {"register", "登记", "", "已接入", ACT_UNIT_CREATE, 0, g_existing, NULL,
     "存量: connected before the regulation took effect (connected_on), with the agreements "
     "it requires unless they may be signed later (补签)",
     NULL},
    {"connect", "接入", "申请中", "已接入", S, 0, g_connect, e_connect,
     "an approved access application (TB-13); the profile's agreements (JX-9, LN-17); no "
     "violation case isolates the unit",
     NULL},
    {"suspend", "暂停", "已接入", "暂停", S, WF_REASON, g_suspend, e_cut,
     "by hand: every address block of the unit is isolated (a case isolates on its own)", NULL},
    {"reconnect", "恢复接入", "暂停", "已接入", S, 0, g_reconnect, e_connect,
     "no violation case isolates the unit (TB-9); the hand isolation is lifted", NULL},
    {"revoke", "撤销入网资格", "已接入 暂停", "已撤销入网资格", S, WF_REASON, g_revoke, e_cut,
     "the unit's blocks stay isolated", NULL},
    {"remove", "拆机", "已接入 暂停", "已拆机", S, 0, g_remove, e_remove,
     "the hand isolation is lifted (the addresses go back to the plan)", NULL},
    {"reapply", "重新申请", "已撤销入网资格 已拆机", "申请中", S, 0, NULL, NULL,
     "a new access application follows", NULL},
};
#undef S

WORKFLOW_BIND(struct ustep, s->state, s->x->by, s->u->id, s->clause, s->reason)

static int wf_set_state(void *cs, const char *to, struct zw_err *err)
{
	struct ustep *s = cs;
	(void)err;
	s->to = to;
	return 0;
}

const struct workflow unit_workflow = {
    .name = "unit",
    .label = "单位",
    .states = unit_status_values,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    WORKFLOW_GETTERS,
    .set_state = wf_set_state,
    .clause_doc = "the clause given with the move (it must be in the profile), else the "
                  "profile's `[unit_status]` clause for the status wanted; a refusal by a "
                  "guard cites the clause of the rule that refused",
};

bool unit_status_needs_reason(const char *status)
{
	bool any = false;
	for (size_t i = 0; status && i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!rows[i].to || strcmp(rows[i].to, status) != 0 || !*rows[i].from)
			continue;
		if (!(rows[i].flags & WF_REASON))
			return false;
		any = true;
	}
	return any;
}

/* The move's clause into s->clause: the one given (must be in the profile), else the
 * profile's for the status, else none (an application needs none). */
static int move_clause(struct ustep *s, const char *status, const char *given, struct zw_err *err)
{
	int rc = resolve_clause(s->x->prof, status, given, s->clause, err);
	if (rc && !(given && *given) && strcmp(status, "申请中") == 0) {
		zw_err_clear(err);
		*s->clause = 0;
		rc = 0;
	}
	return rc;
}

static int do_unit_status(struct store_tx *tx, void *arg)
{
	struct unit_op *op = arg;
	struct sconn *c = store_tx_conn(tx);
	struct unit cur = {0};
	json_t *before = NULL, *after = NULL;
	struct ustep s = {.x = op->x,
	                  .tx = tx,
	                  .c = c,
	                  .u = &cur,
	                  .reason = op->reason,
	                  .given = op->clause,
	                  .case_id = op->case_id};
	int rc = load_unit_checked(tx, op, &cur);
	if (!rc) {
		s.state = cur.status;
		rc = move_clause(&s, op->status, op->clause, op->err);
	}
	if (!rc)
		rc = workflow_step_to(&unit_workflow, &s, op->status, NULL, op->err);
	if (!rc) {
		before = unit_json(&cur);
		char *from = cur.status;
		cur.status = xstrdup(s.to);
		free(cur.status_clause);
		cur.status_clause = xstrdup(s.clause);
		free(cur.status_reason);
		cur.status_reason = xstrdup(op->reason ? op->reason : "");
		cur.status_at = clock_now();
		rc = store_rec_update(c, "units", &unit_schema, &cur, clock_now(), op->err);
		if (!rc)
			rc = store_unit_history_add(c, op->id, from, cur.status, s.clause,
			                            cur.status_reason, op->x->by->username,
			                            cur.status_at, op->err);
		free(from);
	}
	if (!rc) {
		unit_free(&cur);
		rc = store_rec_get(c, "units", &unit_schema, op->id, NULL, 0, &cur, op->err);
	}
	if (!rc) {
		after = unit_json(&cur);
		rc = audit_append(tx, op->x->by, "unit.status", "unit", op->id, op->id, before,
		                  after, s.clause, op->err);
	}
	json_decref(before);
	json_decref(after);
	unit_free(&cur);
	return rc;
}

int unit_set_status_tx(const struct ctx *x, struct store_tx *tx, int64_t id, const char *status,
                       const char *clause, const char *reason, int64_t case_id, struct zw_err *err)
{
	struct unit_op op = {.x = x,
	                     .id = id,
	                     .status = status,
	                     .clause = clause,
	                     .reason = reason,
	                     .case_id = case_id,
	                     .err = err};
	return do_unit_status(tx, &op);
}

int unit_may_move(const struct ctx *x, int64_t id, struct zw_err *err)
{
	return authz_check(x->by, ACT_UNIT_STATUS, id, err);
}

int unit_move(const struct ctx *x, int64_t id, const struct unit_move *m, struct zw_err *err)
{
	if (unit_may_move(x, id, err))
		return -err->code;
	const char *name = m->status ? m->status : "";
	if (!unit_status_code(name) && status_name(name))
		name = status_name(name);
	if (!unit_status_code(name))
		return zw_errf(err, ZW_EINVALID, "status",
		               "状态只能是：申请中、已接入、暂停、已撤销入网资格、已拆机");
	const char *reason = m->reason;
	if (reason && (utf8_chars(reason) > 500 || !utf8_valid(reason, strlen(reason), true)))
		return zw_errf(err, ZW_EINVALID, "reason", "原因过长或含非法字符（最多 500 字）");
	struct unit_op op = {.x = x,
	                     .id = id,
	                     .status = name,
	                     .clause = m->clause,
	                     .reason = reason,
	                     .if_rev = m->if_rev,
	                     .err = err};
	struct store_tx *tx;
	int rc = store_begin(x->st, &tx, err);
	if (rc)
		return rc;
	rc = do_unit_status(tx, &op);
	if (rc || m->dry_run) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int unit_set_status(const struct ctx *x, int64_t id, const char *status, const char *clause,
                    const char *reason, int64_t if_rev, struct zw_err *err)
{
	return unit_move(
	    x, id,
	    &(struct unit_move){
	        .status = status, .clause = clause, .reason = reason, .if_rev = if_rev},
	    err);
}

/* ---- the unit kind of the registry ---- */

/* The moves open to the caller (the console's buttons), which one unit's answer carries. */
static json_t *unit_actions(const struct ctx *x, void *rec)
{
	struct unit *u = rec;
	struct zw_err err = {0};
	struct sconn *c = store_read(x->st, &err);
	if (!c)
		return json_array();
	struct ustep s = {.x = x, .c = c, .u = u, .state = u->status};
	return workflow_actions(&unit_workflow, &s);
}

/* A registration is the machine's first move, through its gate like every other: its status
 * (申请中 unless given), the clause it rests on and when. */
static int register_step(const struct ctx *x, struct sconn *c, struct unit *u, struct zw_err *err)
{
	if (!u->status)
		u->status = xstrdup("申请中");
	struct ustep s = {.x = x, .c = c, .u = u, .state = ""};
	int rc = move_clause(&s, u->status, NULL, err);
	if (!rc)
		rc = workflow_step_to(&unit_workflow, &s, u->status, NULL, err);
	if (rc)
		return rc;
	free(u->status_clause);
	u->status_clause = *s.clause ? xstrdup(s.clause) : NULL;
	u->status_at = clock_now();
	return 0;
}

/* The unit as it will be written: the profile's unit types (its [unit_register]), a
 * registration's first move, a status that only its workflow moves, parents that do not loop
 * and a name no other unit has. */
static int unit_check(const struct ctx *x, struct sconn *c, void *rec, const void *vold,
                      struct zw_err *err)
{
	struct unit *u = rec;
	const struct unit *old = vold;
	if (!u)
		return 0;
	int rc = profile_check_unit_type(x->prof, u->type, err);
	if (!rc && !old)
		rc = register_step(x, c, u, err);
	if (!rc && old && strcmp(old->status, u->status) != 0)
		rc = zw_errf(err, ZW_EINVALID, "status", "接入状态只能经状态变更办理");
	if (!rc && u->parent_id)
		rc = check_parent(c, old ? u->id : 0, u->parent_id, err);
	/* a renamed unit takes the new name's key; an unrenamed one keeps its own (a look-alike
	 * registered before keys existed has none, and is not blocked from other edits) */
	if (!rc && (!old || strcmp(old->name, u->name) != 0))
		rc = name_key_check(c, u->name, old ? u->id : 0, err);
	return rc;
}

/* Once written: the name's key, and a registration's first line of status history. */
static int unit_after(const struct ctx *x, struct store_tx *tx, const void *rec, const void *vold,
                      struct zw_err *err)
{
	const struct unit *u = rec, *old = vold;
	struct sconn *c = store_tx_conn(tx);
	int rc = 0;
	if (u && (!old || strcmp(old->name, u->name) != 0)) {
		char *key = NULL;
		rc = text_nfkc_key(u->name, &key) < 0 ? zw_errf(err, ZW_EINTERNAL, NULL, NULL)
		                                      : store_unit_set_name_key(c, u->id, key, err);
		free(key);
	}
	if (!rc && u && !old)
		rc = store_unit_history_add(c, u->id, NULL, u->status, u->status_clause, "登记",
		                            x->by->username, u->status_at, err);
	return rc;
}

/* A registration rests on the clause of its status. */
static void unit_clause(const struct ctx *x, const void *rec, const void *old, char out[32])
{
	(void)x;
	const struct unit *u = rec;
	if (u && !old && u->status_clause)
		snprintf(out, 32, "%s", u->status_clause);
}

const struct registry_kind unit_kind = {
    .table = "units",
    .object = "unit",
    .label = "单位",
    .sc = &unit_schema,
    .read = ACT_UNIT_READ,
    .write = ACT_UNIT_UPDATE,
    .create = ACT_UNIT_CREATE,
    .unit_field = "id", /* a unit is its own */
    .check = unit_check,
    .unique_field = "name",
    .unique_names_value = true,
    .after = unit_after,
    .clause = unit_clause,
    .actions = unit_actions,
};

int unit_get(struct store *st, int64_t id, struct unit *u, struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	int rc = store_rec_get(c, "units", &unit_schema, id, NULL, 0, u, err);
	if (rc == -ZW_ENOTFOUND) {
		zw_err_clear(err);
		rc = zw_errf(err, ZW_ENOTFOUND, NULL, "单位不存在");
	}
	return rc;
}

json_t *unit_history(const struct ctx *x, int64_t id, struct zw_err *err)
{
	struct unit u = {0};
	int rc = registry_get(x, &unit_kind, id, &u, err);
	unit_free(&u);
	struct sconn *c = rc ? NULL : store_read(x->st, err);
	if (!c)
		return NULL;
	json_t *items = json_array();
	if (store_unit_history(c, id, items, err)) {
		json_decref(items);
		return NULL;
	}
	return items;
}

/* ---- agreements a unit lacks ---- */

struct missing_ctx {
	const struct profile *prof;
	json_t *out;
};

static int missing_row(int64_t id, const char *name, const char *status, const char *kinds,
                       void *vctx)
{
	struct missing_ctx *m = vctx;
	json_t *miss = json_array();
	for (size_t i = 0; i < m->prof->nagreements; i++) {
		const struct agreement_kind *a = &m->prof->agreements[i];
		if (strcmp(a->party, "unit") != 0 || !(a->required_for_connection || a->backfill))
			continue;
		if (!has_kind(kinds, a->key))
			json_array_append_new(miss, json_pack("{s:s, s:s, s:o, s:b}", "kind",
			                                      a->key, "name", a->name, "clauses",
			                                      clause_list_json(a->clause),
			                                      "backfill", a->backfill));
	}
	if (json_array_size(miss))
		json_array_append_new(m->out, json_pack("{s:I, s:s, s:s, s:o}", "unit_id",
		                                        (json_int_t)id, "unit_name", name, "status",
		                                        status, "missing", miss));
	else
		json_decref(miss);
	return 0;
}

json_t *agreements_missing(const struct ctx *x, struct zw_err *err)
{
	enum scope s = authz_scope(x->by, ACT_AGREEMENT_READ);
	if (s == SCOPE_NONE) {
		authz_check(x->by, ACT_AGREEMENT_READ, 0, err);
		return NULL;
	}
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return NULL;
	struct missing_ctx m = {x->prof, json_array()};
	int64_t unit_id = s == SCOPE_OWN_UNIT ? x->by->unit_id : 0;
	if (store_unit_kinds(c, unit_id, true, missing_row, &m, err)) {
		json_decref(m.out);
		return NULL;
	}
	return m.out;
}
