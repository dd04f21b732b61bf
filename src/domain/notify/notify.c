#include "domain/notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/parse.h"
#include "domain/audit_names.h"
#include "domain/workflow.h"
#include "core/text.h"
#include "domain/audit.h"
#include "policy/authz.h"
#include "policy/profile.h"
#include "store/notify_sql.h"

/* A time limit in the words of a notice: the profile's label of its [deadline], or the repair
 * class of a fault. */
static void rule_label(const struct profile *prof, const char *rule, char *out, size_t n)
{
	const struct deadline_rule *d = profile_deadline(prof, rule);
	if (d) {
		text_printf(out, n, "%s", d->label);
		return;
	}
	bool respond = strncmp(rule, "respond:", 8) == 0, repair = strncmp(rule, "repair:", 7) == 0;
	const char *cls = rule + (respond ? 8 : 7);
	for (size_t i = 0; (respond || repair) && i < prof->nslas; i++)
		if (strcmp(prof->slas[i].key, cls) == 0) {
			text_printf(out, n, "故障%s（%s）", respond ? "响应" : "修复",
			            prof->slas[i].name);
			return;
		}
	text_printf(out, n, "%s", rule);
}

/* Beijing time, to the minute */
static void beijing(int64_t t, char out[32])
{
	time_t bt = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&bt, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

/* What a step of an application did, in the words of a notice. */
static const char *step_words(const char *action, const char *status)
{
	static const struct {
		const char *action, *words;
	} w[] = {{"submit", "已提交，请审核"}, {"review", "已受理"},  {"reject", "未通过审核"},
	         {"withdraw", "已撤回"},       {"pause", "暂停实施"}, {"resume", "恢复实施"},
	         {"complete", "已实施完成"},   {"go_live", "已上线"}};
	if (strcmp(action, "approve") == 0)
		return strcmp(status, "审核中") == 0 ? "已通过本环节审批，待下一环节审批"
		                                     : "已批准";
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(action, w[i].action) == 0)
			return w[i].words;
	return action;
}

/* The server's own notices (domain/ops.h): the daily report with the audit chain's head,
 * the disk running full. */
static void ops_notice(json_t *p, const struct outbox_row *o, char *title, size_t tn, char *body,
                       size_t bn)
{
	const char *date = json_string_value(json_object_get(p, "date"));
	json_int_t free_mb = json_integer_value(json_object_get(p, "free_mb"));
	json_int_t min_mb = json_integer_value(json_object_get(p, "min_free_mb"));
	if (strcmp(o->kind, "ops.disk_low") == 0) {
		text_printf(title, tn, "磁盘空间不足：剩余 %lld MiB", (long long)free_mb);
		text_printf(
		    body, bn,
		    "数据库所在磁盘仅剩 %lld MiB，低于设定的 %lld MiB（disk_min_free）。磁盘写满后"
		    "一切登记、审批和登录都将无法保存，请尽快清理或扩容，并确认备份仍在进行。",
		    (long long)free_mb, (long long)min_mb);
		return;
	}
	if (strcmp(o->kind, "ops.disk_ok") == 0) {
		text_printf(title, tn, "磁盘空间已恢复：剩余 %lld MiB", (long long)free_mb);
		text_printf(body, bn, "数据库所在磁盘剩余 %lld MiB，已高于设定的 %lld MiB。",
		            (long long)free_mb, (long long)min_mb);
		return;
	}
	json_int_t id = json_integer_value(json_object_get(p, "audit_head_id"));
	const char *head = json_string_value(json_object_get(p, "audit_head"));
	json_t *b = json_object_get(p, "backup");
	char backup[700];
	if (!b)
		text_printf(backup, sizeof(backup), "未设定定时备份（backup_dir），请尽快设定。");
	else if (json_object_get(b, "error"))
		text_printf(backup, sizeof(backup), "今日备份失败：%s。",
		            json_string_value(json_object_get(b, "error")));
	else
		text_printf(backup, sizeof(backup), "今日备份已完成：%s（%lld 字节）。",
		            json_string_value(json_object_get(b, "manifest")),
		            (long long)json_integer_value(json_object_get(b, "bytes")));
	text_printf(title, tn, "每日运行报告 %s", date ? date : "");
	text_printf(
	    body, bn,
	    "审计日志链头：第 %lld 条，%lld:%s。请在别处留存这一行（邮件、打印件）：日后用"
	    " zwnet audit verify --head %lld:%s 可证明任何一份数据库副本完整含有此前的全部记录。"
	    "%s磁盘剩余 %lld MiB。",
	    (long long)id, (long long)id, head ? head : "", (long long)id, head ? head : "", backup,
	    (long long)json_integer_value(json_object_get(p, "disk_free_mb")));
}

static void application_notice(json_t *p, const struct outbox_row *o, const char *unit,
                               const char *rule_label, const char *due, char *title, size_t tn,
                               char *body, size_t bn)
{
	const char *label = json_string_value(json_object_get(p, "kind_label"));
	const char *action = json_string_value(json_object_get(p, "action"));
	const char *status = json_string_value(json_object_get(p, "status"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	const char *words = step_words(action ? action : "", status ? status : "");
	char next[256] = "", why[1600] = "";
	if (due)
		text_printf(next, sizeof(next), "%s应于 %s 前办结。", rule_label, due);
	if (reason && *reason)
		text_printf(why, sizeof(why), "理由：%s。", reason);
	text_printf(title, tn, "%s%s%s%s", label ? label : "申请", words, *unit ? " · " : "", unit);
	text_printf(body, bn, "%s的%s（编号 %lld）%s。%s%s依据：%s。", *unit ? unit : "本单位",
	            label ? label : "申请", (long long)o->subject_id, words, why, next,
	            o->clause ? o->clause : "");
}

/* What a step of a violation case did, in the words of a notice. */
static void violation_notice(const struct profile *prof, json_t *p, const struct outbox_row *o,
                             const char *unit, const char *due, char *title, size_t tn, char *body,
                             size_t bn)
{
	const char *action = json_string_value(json_object_get(p, "action"));
	const char *name = json_string_value(json_object_get(p, "behaviour_name"));
	const char *sanction = json_string_value(json_object_get(p, "sanction_name"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	const char *scope = json_string_value(json_object_get(p, "scope"));
	json_int_t offence = json_integer_value(json_object_get(p, "offence"));
	json_int_t cost = json_integer_value(json_object_get(p, "repair_cost"));
	static const struct {
		const char *action, *title;
	} heads[] = {{"open", "违规记录"},        {"notify", "违规通知"},
	             {"isolate", "断网通知"},     {"rectify", "限期整改通知"},
	             {"verify", "整改核实"},      {"reconnect", "恢复接入通知"},
	             {"close", "违规事项结案"},   {"escalate", "处理升级通知"},
	             {"dismiss", "违规事项排除"}, {"charge", "维修费用承担通知"}};
	const char *head = "违规事项";
	for (size_t i = 0; action && i < sizeof(heads) / sizeof(heads[0]); i++)
		if (strcmp(heads[i].action, action) == 0)
			head = heads[i].title;
	if (!name)
		name = "";
	if (!sanction || !*sanction)
		sanction = prof->warning_name;
	text_printf(title, tn, "%s：%s%s%s", head, name, *unit ? " · " : "", unit);
	char what[600] = "";
	if (!action || strcmp(action, "open") == 0 || strcmp(action, "notify") == 0)
		text_printf(what, sizeof(what), "依据%s，处理措施为“%s”，请立即停止并整改。",
		            o->clause, sanction);
	else if (strcmp(action, "isolate") == 0)
		text_printf(what, sizeof(what), "依据%s，已断开%s的网络连接。", o->clause,
		            scope && strcmp(scope, "unit") == 0 ? "本单位" : "该终端");
	else if (strcmp(action, "rectify") == 0)
		text_printf(what, sizeof(what), "依据%s，责令限期整改，整改期限至 %s。", o->clause,
		            due ? due : "（未定）");
	else if (strcmp(action, "verify") == 0)
		text_printf(what, sizeof(what), "整改情况已核实。");
	else if (strcmp(action, "reconnect") == 0)
		text_printf(what, sizeof(what), "整改完毕，已恢复网络连接。");
	else if (strcmp(action, "close") == 0)
		text_printf(what, sizeof(what), "该违规事项已结案。");
	else if (strcmp(action, "escalate") == 0)
		text_printf(what, sizeof(what), "依据%s，处理升级为“%s”。", o->clause, sanction);
	else if (strcmp(action, "dismiss") == 0)
		text_printf(what, sizeof(what), "经核实不构成违规，已排除。");
	else if (strcmp(action, "charge") == 0)
		text_printf(what, sizeof(what), "依据%s，维修费用 %lld.%02lld 元由该单位承担。",
		            o->clause, (long long)(cost / 100), (long long)(cost % 100));
	char nth[48] = "";
	if (offence > 1)
		text_printf(nth, sizeof(nth), "（第 %lld 次）", (long long)offence);
	text_printf(body, bn, "%s存在“%s”行为%s。%s%s%s", *unit ? unit : "该单位", name, nth, what,
	            reason && *reason ? "说明：" : "", reason ? reason : "");
}

/* A step of a case run by the case engine (domain/case.h): the workflow's names for the case,
 * the step and the state it left the case in. */
static bool case_notice(json_t *p, const struct outbox_row *o, const char *unit, char *title,
                        size_t tn, char *body, size_t bn)
{
	const char *dot = strchr(o->kind, '.');
	const struct workflow *w = NULL;
	for (const struct workflow *const *it = workflows; dot && *it; it++)
		if (strlen((*it)->name) == (size_t)(dot - o->kind) &&
		    strncmp((*it)->name, o->kind, (size_t)(dot - o->kind)) == 0)
			w = *it;
	if (!w)
		return false;
	const char *verb = audit_verb_label(o->kind);
	const char *summary = json_string_value(json_object_get(p, "summary"));
	const char *state = json_string_value(json_object_get(p, "state_label"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	const char *detail = json_string_value(json_object_get(p, "detail"));
	text_printf(title, tn, "%s%s：%s%s%s", w->label, verb, summary ? summary : "",
	            *unit ? " · " : "", unit);
	text_printf(body, bn, "%s的%s（编号 %lld）%s%s%s，当前为“%s”。%s%s%s依据：%s。",
	            *unit ? unit : "本单位", w->label, (long long)o->subject_id, verb,
	            detail && *detail ? "，" : "", detail ? detail : "", state ? state : "",
	            reason && *reason ? "说明：" : "", reason ? reason : "",
	            reason && *reason ? "。" : "", o->clause ? o->clause : "");
	return true;
}

void notify_compose(struct sconn *c, const struct profile *prof, const struct outbox_row *o,
                    char *title, size_t tn, char *body, size_t bn)
{
	json_t *p = o->payload ? json_loads(o->payload, 0, NULL) : NULL;
	const char *rule = json_string_value(json_object_get(p, "rule"));
	const char *due_date = json_string_value(json_object_get(p, "due_date"));
	/* a deadline event carries the deadline as the API shows it (RFC 3339), an application
	 * notice its due time in seconds */
	json_t *jdue = json_object_get(p, "due_at");
	int64_t due_at = json_integer_value(jdue);
	if (json_is_string(jdue) && parse_time(json_string_value(jdue), &due_at) < 0)
		due_at = 0;
	char label[128], due[48], unit[512] = ""; /* a name of 100 characters fits whole */
	rule_label(prof, rule ? rule : "?", label, sizeof(label));
	if (due_date)
		text_printf(due, sizeof(due), "%s（工作日）", due_date);
	else if (due_at)
		beijing(due_at, due);
	else
		text_printf(due, sizeof(due), "（未定）");
	if (o->unit_id)
		store_unit_name(c, o->unit_id, unit, sizeof(unit));
	const char *clause = o->clause ? o->clause : "";
	if (strcmp(o->kind, "deadline.breached") == 0) {
		text_printf(title, tn, "已超期：%s%s%s", label, *unit ? " · " : "", unit);
		text_printf(body, bn, "%s%s%s的办理期限为 %s，现已超期。依据：%s。",
		            *unit ? unit : "", *unit ? "的" : "", label, due, clause);
	} else if (strcmp(o->kind, "deadline.reminder") == 0) {
		text_printf(title, tn, "即将到期：%s%s%s", label, *unit ? " · " : "", unit);
		text_printf(body, bn, "%s%s%s应于 %s 前办结。依据：%s。", *unit ? unit : "",
		            *unit ? "的" : "", label, due, clause);
	} else if (strncmp(o->kind, "application.", 12) == 0) {
		application_notice(p, o, unit, label, due_date || due_at ? due : NULL, title, tn,
		                   body, bn);
	} else if (strncmp(o->kind, "violation.", 10) == 0) {
		violation_notice(prof, p, o, unit, due_date || due_at ? due : NULL, title, tn, body,
		                 bn);
	} else if (strncmp(o->kind, "ops.", 4) == 0) {
		ops_notice(p, o, title, tn, body, bn);
	} else if (case_notice(p, o, unit, title, tn, body, bn)) {
	} else {
		text_printf(title, tn, "通知：%s", o->kind);
		text_printf(body, bn, "%s", o->payload ? o->payload : "");
	}
	json_decref(p);
}

int notify_fanout(struct store *st, const struct profile *prof, int64_t now, struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	struct outbox_row rows[256];
	size_t n = 0;
	struct sconn *c = store_tx_conn(tx);
	rc = store_outbox_unfanned(c, rows, 256, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		char title[512], body[2048];
		notify_compose(c, prof, &rows[i], title, sizeof(title), body, sizeof(body));
		rc = store_inbox_fanout(c, &rows[i], title, body, now, err);
	}
	for (size_t i = 0; i < n; i++)
		outbox_row_free(&rows[i]);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	rc = store_commit(tx, err);
	return rc ? rc : (int)n;
}

static int own_inbox(const struct ctx *x, struct zw_err *err)
{
	if (!x->by->user_id)
		return zw_errf(err, ZW_EFORBIDDEN, NULL, "只有登录用户有站内消息");
	return 0;
}

int inbox_list(const struct ctx *x, bool unread_only, int64_t cursor, int limit, json_t **out,
               struct zw_err *err)
{
	int rc = own_inbox(x, err);
	if (rc)
		return rc;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -err->code;
	json_t *items = json_array();
	int64_t unread = 0;
	rc = store_inbox_list(c, x->by->user_id, unread_only, cursor, limit, items, &unread, err);
	if (rc) {
		json_decref(items);
		return rc;
	}
	size_t k = json_array_size(items);
	json_t *next = json_null();
	if (k && (int)k == limit)
		next = json_sprintf(
		    "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(json_array_get(items, k - 1), "id")));
	*out = json_pack("{s:o, s:o, s:I}", "items", items, "next_cursor", next, "unread",
	                 (json_int_t)unread);
	return 0;
}

/* Mark the caller's item id read, or every unread one (id 0); how many into *n. */
static int mark_read(const struct ctx *x, int64_t id, int *n, struct zw_err *err)
{
	int rc = own_inbox(x, err);
	if (rc)
		return rc;
	struct store_tx *tx;
	if ((rc = store_begin(x->st, &tx, err)))
		return rc;
	struct sconn *c = store_tx_conn(tx);
	int64_t now = clock_now();
	*n = id ? store_inbox_read(c, x->by->user_id, id, now, err)
	        : store_inbox_read_all(c, x->by->user_id, now, err);
	if (*n < 0 || (id && *n == 0)) {
		store_rollback(tx);
		return *n < 0 ? *n : zw_errf(err, ZW_ENOTFOUND, NULL, "消息不存在");
	}
	return store_commit(tx, err);
}

int inbox_mark_read(const struct ctx *x, int64_t id, struct zw_err *err)
{
	int n;
	return id > 0 ? mark_read(x, id, &n, err) : zw_errf(err, ZW_ENOTFOUND, NULL, "消息不存在");
}

int inbox_mark_all_read(const struct ctx *x, json_t **out, struct zw_err *err)
{
	int n, rc = mark_read(x, 0, &n, err);
	if (!rc)
		*out = json_pack("{s:i}", "read", n);
	return rc;
}

/* ---- mail by topic ---- */

const struct notify_topic notify_topics[] = {
    {"application", "申请的办理（提交、审核、批准、退回、开通）"},
    {"violation", "违规处理（立案、整改、断网、恢复）"},
    {"ticket", "故障工单（报修、派单、响应、修复）"},
    {"deadline.reminder", "办理时限即将到期"},
    {"deadline.breached", "办理时限已超期"},
    {"ops", "系统运行（磁盘空间不足等）"},
};
const size_t notify_ntopics = sizeof(notify_topics) / sizeof(notify_topics[0]);

const struct notify_topic *notify_topic_of(const char *kind)
{
	for (size_t i = 0; kind && i < notify_ntopics; i++) {
		size_t n = strlen(notify_topics[i].code);
		if (strncmp(kind, notify_topics[i].code, n) == 0 && (!kind[n] || kind[n] == '.'))
			return &notify_topics[i];
	}
	return NULL;
}

static const struct notify_topic *topic_named(const char *code)
{
	for (size_t i = 0; code && i < notify_ntopics; i++)
		if (strcmp(notify_topics[i].code, code) == 0)
			return &notify_topics[i];
	return NULL;
}

/* {"email", "topics": [...]} of the stored comma list, topics in the table's order. */
static json_t *prefs_json(const char *email, const char *topics)
{
	json_t *list = json_array();
	for (size_t i = 0; i < notify_ntopics; i++) {
		const char *c = notify_topics[i].code;
		size_t n = strlen(c);
		for (const char *p = topics; (p = strstr(p, c)); p += n)
			if ((p == topics || p[-1] == ',') && (p[n] == ',' || !p[n])) {
				json_array_append_new(list, json_string(c));
				break;
			}
	}
	return json_pack("{s:s, s:o}", "email", email, "topics", list);
}

static json_t *with_available(json_t *o)
{
	json_t *all = json_array();
	for (size_t i = 0; i < notify_ntopics; i++)
		json_array_append_new(all, json_pack("{s:s, s:s}", "topic", notify_topics[i].code,
		                                     "label", notify_topics[i].label));
	json_object_set_new(o, "available", all);
	return o;
}

int mail_prefs_get(const struct ctx *x, json_t **out, struct zw_err *err)
{
	int rc = own_inbox(x, err);
	if (rc)
		return rc;
	struct sconn *c = store_read(x->st, err);
	if (!c)
		return -err->code;
	char *email = NULL, *topics = NULL;
	if ((rc = store_user_mail_get(c, x->by->user_id, &email, &topics, err)))
		return rc;
	*out = with_available(prefs_json(email, topics));
	free(email);
	free(topics);
	return 0;
}

/* The body's topics as a comma list in the table's order, or an error naming "topics". */
static int topics_of(const json_t *v, char *out, size_t n, struct zw_err *err)
{
	if (!json_is_array(v))
		return zw_errf(err, ZW_EINVALID, "topics", "topics 应为主题代码的数组");
	bool want[sizeof(notify_topics) / sizeof(notify_topics[0])] = {0};
	size_t i;
	json_t *t;
	json_array_foreach(v, i, t)
	{
		const struct notify_topic *tp = topic_named(json_string_value(t));
		if (!tp) {
			char names[512] = "";
			for (size_t k = 0; k < notify_ntopics; k++)
				text_printf(names + strlen(names), sizeof(names) - strlen(names),
				            "%s%s", k ? "、" : "", notify_topics[k].code);
			return zw_errf(
			    err, ZW_EINVALID, "topics", "未知的邮件提醒主题“%s”，可选：%s",
			    json_is_string(t) ? json_string_value(t) : "（非文字）", names);
		}
		want[tp - notify_topics] = true;
	}
	out[0] = 0;
	for (size_t k = 0; k < notify_ntopics; k++)
		if (want[k])
			text_printf(out + strlen(out), n - strlen(out), "%s%s", *out ? "," : "",
			            notify_topics[k].code);
	return 0;
}

int mail_prefs_set(const struct ctx *x, const json_t *body, json_t **out, struct zw_err *err)
{
	int rc = own_inbox(x, err);
	if (rc)
		return rc;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v)
	{
		if (strcmp(k, "email") && strcmp(k, "topics"))
			return zw_errf(err, ZW_EINVALID, k, "未知字段 %s", k);
	}
	json_t *jemail = json_object_get(body, "email");
	if (!json_is_string(jemail))
		return zw_errf(err, ZW_EINVALID, "email", "缺少电子邮箱（不接收邮件时为空文字）");
	const char *email = json_string_value(jemail);
	if (*email && (strlen(email) > 254 || !email_valid(email)))
		return zw_errf(err, ZW_EINVALID, "email",
		               "电子邮箱格式不正确（如 name@example.gov.cn）");
	char topics[256];
	if (!json_object_get(body, "topics"))
		return zw_errf(err, ZW_EINVALID, "topics", "缺少 topics（不接收邮件时为空数组）");
	if ((rc = topics_of(json_object_get(body, "topics"), topics, sizeof(topics), err)))
		return rc;
	if (*topics && !*email)
		return zw_errf(err, ZW_EINVALID, "email",
		               "选择了邮件提醒，请填写接收邮件的电子邮箱");
	struct store_tx *tx;
	if ((rc = store_begin(x->st, &tx, err)))
		return rc;
	struct sconn *c = store_tx_conn(tx);
	char *old_email = NULL, *old_topics = NULL;
	rc = store_user_mail_get(c, x->by->user_id, &old_email, &old_topics, err);
	if (!rc)
		rc = store_user_mail_set(c, x->by->user_id, email, topics, clock_now(), err);
	json_t *before = rc ? NULL : prefs_json(old_email, old_topics);
	json_t *after = rc ? NULL : prefs_json(email, topics);
	if (!rc)
		rc = audit_append(tx, x->by, "user.mail_prefs", "user", x->by->user_id,
		                  x->by->unit_id, before, after, NULL, err);
	free(old_email);
	free(old_topics);
	json_decref(before);
	if (rc) {
		json_decref(after);
		store_rollback(tx);
		return rc;
	}
	if ((rc = store_commit(tx, err))) {
		json_decref(after);
		return rc;
	}
	*out = with_available(after);
	return 0;
}

static int record(struct store *st, enum outbox_channel ch, const struct outbox_row *o,
                  const char *status, int64_t attempts, int64_t next_at, const char *error,
                  int64_t now, struct zw_err *err)
{
	struct store_tx *tx;
	int rc = store_begin(st, &tx, err);
	if (rc)
		return rc;
	rc = store_outbox_result(store_tx_conn(tx), ch, o->id, status, attempts, next_at, error,
	                         now, err);
	if (rc) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int outbox_deliver(struct store *st, const struct profile *prof, const struct outbox_sender *s,
                   int64_t now, struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	if (!c)
		return -err->code;
	struct outbox_row rows[32];
	size_t n = 0;
	int rc = store_outbox_due(c, s->channel, now, rows, 32, &n, err), sent = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		const struct outbox_row *o = &rows[i];
		char title[512], body[2048], error[256] = "";
		notify_compose(c, prof, o, title, sizeof(title), body, sizeof(body));
		int64_t attempts = o->attempts + 1, wait = s->retry_min;
		switch (s->send(s->arg, c, o, title, body, now, error, sizeof(error), err)) {
		case SEND_OK:
			rc = record(st, s->channel, o, "sent", attempts, 0, "", now, err);
			sent += !rc;
			break;
		case SEND_NONE:
			rc = record(st, s->channel, o, "failed", o->attempts, 0, error, now, err);
			break;
		case SEND_RETRY:
			for (int64_t k = 1; k < attempts && wait < 3600; k++)
				wait *= 2;
			if (wait > 3600)
				wait = 3600;
			log_warnx("%s: outbox %lld attempt %lld: %s", s->name, (long long)o->id,
			          (long long)attempts, error);
			rc = record(st, s->channel, o,
			            attempts >= OUTBOX_MAX_ATTEMPTS ? "failed" : "pending",
			            attempts, now + wait, error, now, err);
			break;
		case SEND_ERROR:
			rc = -err->code;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		outbox_row_free(&rows[i]);
	return rc ? rc : sent;
}
