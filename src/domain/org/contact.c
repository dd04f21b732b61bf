#include "domain/org/contact.h"

#include <stdbool.h>
#include <string.h>

#include "core/clock.h"
#include "store/deadline_sql.h"
#include "domain/deadline.h"
#include "domain/org/unit.h"
#include "store/rec.h"

static const char *const contact_roles[] = {"主要领导",   "分管领导",   "网络管理员",
                                            "技术联系人", "安全联系人", NULL};

static const struct rec_field contact_fields[] = {
    REC_F(struct contact, id, REC_ID, REC_READONLY, "编号", 0),
    REC_F(struct contact, unit_id, REC_ID, REC_READONLY, "单位", 0),
    REC_FE(struct contact, role, REC_REQUIRED, "联系人角色", contact_roles),
    REC_F(struct contact, name, REC_TEXT, REC_REQUIRED | REC_NAME, "姓名", 30),
    REC_F(struct contact, post, REC_TEXT, 0, "职务", 50),
    REC_F(struct contact, mobile, REC_MOBILE, REC_REQUIRED, "手机号码", 11),
    REC_F(struct contact, email, REC_EMAIL, 0, "电子邮箱", 254),
    REC_META(struct contact),
};
const struct rec_schema contact_schema = {"contact", contact_fields,
                                          sizeof(contact_fields) / sizeof(contact_fields[0]),
                                          sizeof(struct contact)};

static bool security(const struct contact *c)
{
	return c && strcmp(c->role, "安全联系人") == 0;
}

/* TB-6: a unit that changes its 安全联系人 itself must re-file the change within the profile's
 * contact_refile deadline; the deadline starts now and is met by the unit's contact_refile
 * application (application.c). A manager's own edit is the center's record and starts none. */
static int contact_after(const struct ctx *x, struct store_tx *tx, const void *rec, const void *old,
                         struct zw_err *err)
{
	const struct contact *now = rec, *was = old;
	int64_t unit = (now ? now : was)->unit_id;
	if (!(security(was) || security(now)) || x->by->role != ROLE_UNIT_ADMIN ||
	    !profile_deadline(x->prof, "contact_refile"))
		return 0;
	int64_t ids[4], id;
	size_t n = 0;
	int rc = store_open_deadlines(store_tx_conn(tx), "unit", unit, "contact_refile", ids, 4, &n,
	                              err);
	if (rc || n) /* one re-filing covers every change until it is filed */
		return rc;
	return deadline_start_tx(x, tx, "contact_refile", "unit", unit, unit, clock_now(), &id,
	                         err);
}

const struct registry_kind contact_kind = {
    .table = "contacts",
    .object = "contact",
    .label = "联系人",
    .sc = &contact_schema,
    .read = ACT_CONTACT_READ,
    .write = ACT_CONTACT_WRITE,
    .parent = &unit_kind,
    .parent_field = "unit_id",
    .whole_list = true,
    .after = contact_after,
};

int contact_get(struct store *st, int64_t unit_id, int64_t id, struct contact *ct,
                struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	return c ? store_rec_get(c, "contacts", &contact_schema, id, "unit_id", unit_id, ct, err)
	         : -ZW_EINTERNAL;
}

void contact_free(struct contact *c)
{
	rec_free(&contact_schema, c);
}
