/*
 * audit_names: an audit entry as people read it (issue 16 item 6). An action is
 * "<object>.<verb>": the object is named by its registry kind's label (单位, 申请, 终端 …) or
 * the few objects that are no kind (登录会话, API 令牌, 工作日历); the verb by the row of the
 * object's workflow that takes it (批准, 断网 …: the button's own word) or else by the verbs
 * every object shares (登记, 修改, 删除 …). What has no name is shown as its code, never blank.
 */
#ifndef ZW_DOMAIN_AUDIT_NAMES_H
#define ZW_DOMAIN_AUDIT_NAMES_H

#include <jansson.h>
#include <stddef.h>

/* The Chinese name of an object type, or NULL when it has none. */
const char *audit_object_label(const char *object_type);
/* The Chinese name of the verb of action ("批准" for application.approve), or the action
 * itself. */
const char *audit_verb_label(const char *action);
/* Every object type the log names, [{name, label}], for a filter (GET /schemas). */
json_t *audit_objects_json(void);

#endif
