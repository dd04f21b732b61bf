#include "domain/org/agreement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/parse.h"
#include "domain/audit.h"
#include "domain/blob.h"
#include "domain/org/unit.h"
#include "store/agreement_sql.h"
#include "store/rec.h"

static const struct rec_field agreement_fields[] = {
    REC_F(struct agreement, id, REC_ID, REC_READONLY, "编号", 0),
    REC_F(struct agreement, unit_id, REC_ID, REC_READONLY, "单位", 0),
    REC_F(struct agreement, kind, REC_TEXT, REC_REQUIRED | REC_FIXED, "协议种类", 40),
    REC_F(struct agreement, name, REC_TEXT, REC_READONLY, "协议名称", 100),
    REC_F(struct agreement, signed_on, REC_DATE, REC_REQUIRED | REC_PAST, "签署日期", 10),
    REC_F(struct agreement, signatories, REC_TEXT, 0, "签署人", 200),
    REC_F(struct agreement, scan_sha256, REC_TEXT, REC_READONLY, "扫描件摘要", 64),
    REC_F(struct agreement, scan_name, REC_TEXT, REC_READONLY, "扫描件文件名", 200),
    REC_F(struct agreement, scan_type, REC_TEXT, REC_READONLY, "扫描件类型", 40),
    REC_F(struct agreement, scan_size, REC_INT, REC_READONLY, "扫描件大小", 0),
    REC_META(struct agreement),
};
const struct rec_schema agreement_schema = {"agreement", agreement_fields,
                                            sizeof(agreement_fields) / sizeof(agreement_fields[0]),
                                            sizeof(struct agreement)};

/* The profile's agreement a unit signs of this kind, or a refusal listing those there are. */
static int kind_of(const struct profile *prof, const char *kind, const struct agreement_kind **out,
                   struct zw_err *err)
{
	const struct agreement_kind *k = kind ? profile_agreement(prof, kind) : NULL;
	if (!k || strcmp(k->party, "unit") != 0) {
		char allowed[400] = "";
		size_t off = 0;
		for (size_t i = 0; i < prof->nagreements; i++)
			if (strcmp(prof->agreements[i].party, "unit") == 0) {
				int w = snprintf(allowed + off, sizeof(allowed) - off, "%s%s（%s）",
				                 off ? "、" : "", prof->agreements[i].key,
				                 prof->agreements[i].name);
				if (w < 0 || (size_t)w >= sizeof(allowed) - off) {
					allowed[off] = 0; /* what does not fit is left out whole */
					break;
				}
				off += (size_t)w;
			}
		return zw_errf(err, ZW_EINVALID, "kind", "《%s》没有规定这种单位协议；可选：%s",
		               prof->title, off ? allowed : "（无）");
	}
	*out = k;
	return 0;
}

/* A new agreement is of a kind of the profile and takes that kind's name; signed_on not after
 * today is the field table's rule (REC_PAST), and the kind is fixed once registered. */
static int agreement_check(const struct ctx *x, struct sconn *c, void *rec, const void *old,
                           struct zw_err *err)
{
	(void)c;
	struct agreement *a = rec;
	const struct agreement_kind *k;
	if (!a || old)
		return 0;
	int rc = kind_of(x->prof, a->kind, &k, err);
	if (!rc)
		rec_set_str(&agreement_schema, a, "name", k->name);
	return rc;
}

/* Registering one rests on its kind's clause (JX-9, LN-17). */
static void agreement_clause(const struct ctx *x, const void *rec, const void *old, char out[32])
{
	const struct agreement *a = rec;
	const struct agreement_kind *k = a && !old ? profile_agreement(x->prof, a->kind) : NULL;
	if (k)
		profile_first_clause(k->clause, out, 32);
}

const struct registry_kind agreement_kind = {
    .table = "agreements",
    .object = "agreement",
    .label = "协议",
    .sc = &agreement_schema,
    .read = ACT_AGREEMENT_READ,
    .write = ACT_AGREEMENT_WRITE,
    .parent = &unit_kind,
    .parent_field = "unit_id",
    .whole_list = true,
    .check = agreement_check,
    .clause = agreement_clause,
};

void agreement_free(struct agreement *a)
{
	rec_free(&agreement_schema, a);
}

int agreement_list(struct store *st, int64_t unit_id, struct buf *out, struct zw_err *err)
{
	struct list_query q = {.limit = REGISTRY_WHOLE, .sort = "id", .sort_int = true, .nf = 1};
	q.f[0] = (struct lq_filter){.col = "unit_id", .ival = unit_id, .op = LQ_EQ_INT};
	struct list_page page;
	struct sconn *c = store_read(st, err);
	int rc = c ? store_rec_list(c, "agreements", &agreement_schema, &q, out, &page, err)
	           : -ZW_EINTERNAL;
	if (!rc && page.more) /* as the kind's whole list: never a short answer */
		rc = zw_errf(err, ZW_ECONFLICT, NULL, "单位的协议超过 %d 条，无法一次列出",
		             REGISTRY_WHOLE);
	return rc;
}

struct scan_op {
	const struct ctx *x;
	int64_t unit_id, id, if_rev;
	const char *filename, *mime;
	const void *data;
	size_t len;
};

static int do_scan(const struct scan_op *op, struct store_tx *tx, struct zw_err *err)
{
	struct sconn *c = store_tx_conn(tx);
	struct agreement a = {0};
	json_t *before = NULL, *after = NULL;
	char sha[65];
	int64_t unit = 0;
	int rc = registry_load_tx(op->x, &agreement_kind, tx, op->unit_id, op->id, op->if_rev, &a,
	                          &unit, err);
	if (!rc) {
		before = rec_to_json(&agreement_schema, &a);
		rc = blob_put(c, op->data, op->len, op->mime, sha, err);
	}
	if (!rc)
		rc = store_agreement_set_scan(c, op->id, sha, op->filename, op->mime,
		                              (int64_t)op->len, clock_now(), err);
	if (!rc) {
		agreement_free(&a);
		rc = store_rec_get(c, "agreements", &agreement_schema, op->id, NULL, 0, &a, err);
	}
	if (!rc) {
		after = rec_to_json(&agreement_schema, &a);
		rc = audit_append(tx, op->x->by, "agreement.scan", "agreement", op->id, unit,
		                  before, after, NULL, err);
	}
	json_decref(before);
	json_decref(after);
	agreement_free(&a);
	return rc;
}

int agreement_attach_scan(const struct ctx *x, int64_t unit_id, int64_t id, const char *filename,
                          const char *declared_type, const void *data, size_t len, int64_t if_rev,
                          struct zw_err *err)
{
	int rc = registry_may_write(x, &agreement_kind, false, unit_id, err);
	if (rc)
		return rc;
	if (!filename_valid(filename))
		return zw_errf(err, ZW_EINVALID, "filename",
		               "文件名无效：不能为空、不能以 . 开头，不能含 / \\ : * ? \" < > | "
		               "或控制字符，最长 200 字节");
	const char *mime = blob_sniff(data, len);
	if (!mime)
		return zw_errf(err, ZW_EMEDIA, "file", "扫描件只能是 PDF、PNG 或 JPEG 文件");
	if (declared_type && *declared_type && strcmp(declared_type, mime) != 0)
		return zw_errf(err, ZW_EMEDIA, "file", "文件内容（%s）与声明的类型（%s）不符", mime,
		               declared_type);
	struct scan_op op = {x, unit_id, id, if_rev, filename, mime, data, len};
	struct store_tx *tx;
	if ((rc = store_begin(x->st, &tx, err)))
		return rc;
	if ((rc = do_scan(&op, tx, err))) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx, err);
}

int agreement_scan(const struct ctx *x, int64_t unit_id, int64_t id, void **data, size_t *len,
                   char mime[64], char **name, struct zw_err *err)
{
	struct agreement a = {0};
	int rc = registry_get_under(x, &agreement_kind, unit_id, id, &a, err);
	if (!rc && !a.scan_sha256)
		rc = zw_errf(err, ZW_ENOTFOUND, "scan", "该协议尚未上传扫描件");
	struct sconn *c = rc ? NULL : store_read(x->st, err);
	if (!rc && !c)
		rc = -ZW_EINTERNAL;
	if (!rc)
		rc = blob_get(c, a.scan_sha256, data, len, mime, err);
	if (!rc) {
		*name = a.scan_name;
		a.scan_name = NULL;
	}
	agreement_free(&a);
	return rc;
}
