/* An audit entry's object and verb by their Chinese names (domain/audit_names.h). */
#include "domain/audit_names.h"

#include <string.h>

#include "domain/registry.h"
#include "domain/workflow.h"

/* Objects written to the audit log that are no registry kind. */
static const struct {
	const char *type, *label;
} others[] = {
    {"session", "登录会话"},
    {"token", "API 令牌"},
    {"calendar", "工作日历"},
};

/* The verbs that are no workflow's row: the registry's writes and the system's own steps. */
static const struct {
	const char *verb, *label;
} verbs[] = {
    {"create", "登记"},
    {"submit", "提交"},
    {"update", "修改"},
    {"delete", "删除"},
    {"status", "变更状态"},
    {"move", "迁移"},
    {"scan", "上传扫描件"},
    {"refile", "变更备案"},
    {"load", "载入"},
    {"allocate", "分配"},
    {"release", "释放"},
    {"login", "登录"},
    {"login_failed", "登录失败"},
    {"login_throttled", "登录受限（多次失败）"},
    {"logout", "退出登录"},
    {"revoke", "吊销"},
    {"disable", "停用"},
    {"password_change", "修改密码"},
    {"password_reset", "重置密码"},
    {"username", "修改用户名"},
    {"mail_prefs", "修改邮件提醒"},
    {"start", "开始计时"},
    {"met", "按时办结"},
    {"pause", "暂停计时"},
    {"resume", "恢复计时"},
    {"breach", "超期"},
    {"remind", "到期提醒"},
    {"cancel", "取消"},
    {"recompute", "按新日历重算"},
    {"reopen", "重新计时"},
    {"rerule", "调整时限"},
    {"dismiss", "排除"},
    {"open", "立案"},
};

const char *audit_object_label(const char *type)
{
	if (!type)
		return NULL;
	for (const struct registry_entry *e = registry_kinds; e->k; e++)
		if (strcmp(e->k->object, type) == 0)
			return e->k->label;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strcmp(others[i].type, type) == 0)
			return others[i].label;
	return NULL;
}

const char *audit_verb_label(const char *action)
{
	const char *dot = action ? strchr(action, '.') : NULL;
	if (!dot)
		return action ? action : "";
	size_t on = (size_t)(dot - action);
	const char *verb = dot + 1;
	for (const struct workflow *const *w = workflows; *w; w++) {
		if (strlen((*w)->name) != on || strncmp((*w)->name, action, on) != 0)
			continue;
		for (size_t i = 0; i < (*w)->nrows; i++)
			if (strcmp((*w)->rows[i].action, verb) == 0)
				return (*w)->rows[i].label;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].verb, verb) == 0)
			return verbs[i].label;
	return action;
}

json_t *audit_objects_json(void)
{
	json_t *a = json_array();
	for (const struct registry_entry *e = registry_kinds; e->k; e++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "name", e->k->object, "label", e->k->label));
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "name", others[i].type, "label", others[i].label));
	return a;
}
