#include "domain/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/audit_names.h"
#include "domain/export.h"
#include "store/audit_sql.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* v in decimal at the end of buf[24]; returns where it starts. printf cost more than the
 * hashing itself on an import's rows. */
static char *decimal(int64_t v, char buf[24])
{
	char *p = buf + 24;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return p;
}

static void feed_bytes(crypto_hash_sha256_state *h, const char *s, size_t n, bool null)
{
	/* "<length>:" (NULL and "" differ: NULL is "-1:"), the bytes, "\n" */
	char len[25];
	char *p = decimal(null ? -1 : (int64_t)n, len);
	len[24] = ':';
	crypto_hash_sha256_update(h, (const unsigned char *)p, (unsigned long long)(len + 25 - p));
	if (n)
		crypto_hash_sha256_update(h, (const unsigned char *)s, n);
	crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

static void feed_str(crypto_hash_sha256_state *h, const char *s)
{
	feed_bytes(h, s, s ? strlen(s) : 0, !s);
}

static void feed_int(crypto_hash_sha256_state *h, int64_t v)
{
	char s[24];
	char *p = decimal(v, s);
	feed_bytes(h, p, (size_t)(s + 24 - p), false);
}

void audit_entry_hash(const struct audit_entry *e, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	feed_str(&h, "zwnet-audit-v1");
	feed_int(&h, e->id);
	feed_int(&h, e->at);
	feed_str(&h, e->actor);
	feed_int(&h, e->actor_id);
	feed_str(&h, e->role);
	feed_str(&h, e->source);
	feed_str(&h, e->request_id);
	feed_str(&h, e->action);
	feed_str(&h, e->object_type);
	feed_str(&h, e->object_id);
	feed_int(&h, e->unit_id);
	feed_str(&h, e->before);
	feed_str(&h, e->after);
	feed_str(&h, e->clause);
	feed_str(&h, e->prev_hash);
	crypto_hash_sha256_final(&h, d);
	hex_encode(d, sizeof(d), out);
}

bool audit_kept(const struct store_tx *tx)
{
	return !store_tx_scratch(tx);
}

int audit_append_text(struct store_tx *tx, const struct principal *p, const char *action,
                      const char *object_type, int64_t object_id, int64_t unit_id,
                      const char *before, const char *after, const char *clause, struct zw_err *err)
{
	if (!audit_kept(tx))
		return 0;
	struct sconn *c = store_tx_conn(tx);
	int64_t last_id;
	char prev[65], hash[65], oid[24];
	int rc = store_audit_head(c, &last_id, prev, err);
	if (rc)
		return rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)object_id);
	struct audit_entry e = {
	    .id = last_id + 1,
	    .at = clock_now(),
	    .actor_id = p->user_id,
	    .unit_id = unit_id,
	    .actor = (char *)p->username,
	    .role = (char *)role_name(p->role),
	    .source = (char *)p->source,
	    .request_id = (char *)p->request_id,
	    .action = (char *)action,
	    .object_type = (char *)object_type,
	    .object_id = oid,
	    .before = (char *)before,
	    .after = (char *)after,
	    .clause = (char *)(clause && *clause ? clause : NULL),
	    .prev_hash = last_id ? prev : (char *)zero_hash,
	};
	audit_entry_hash(&e, hash);
	e.hash = hash;
	return store_audit_insert(c, &e, err);
}

int audit_append(struct store_tx *tx, const struct principal *p, const char *action,
                 const char *object_type, int64_t object_id, int64_t unit_id, const json_t *before,
                 const json_t *after, const char *clause, struct zw_err *err)
{
	if (!audit_kept(tx))
		return 0;
	char *b = before ? json_compact(before) : NULL, *a = after ? json_compact(after) : NULL;
	int rc =
	    audit_append_text(tx, p, action, object_type, object_id, unit_id, b, a, clause, err);
	free(b);
	free(a);
	return rc;
}

struct verify_ctx {
	struct audit_verify *res;
	int64_t expect_id;
	char prev[65];
	const char *head; /* a known head to find, or NULL */
};

static int verify_row(const struct audit_entry *e, void *vctx)
{
	struct verify_ctx *v = vctx;
	struct audit_verify *r = v->res;
	char h[65];
	r->entries++;
	if (e->id != v->expect_id) {
		r->bad_id = v->expect_id;
		snprintf(r->reason, sizeof(r->reason),
		         e->id > v->expect_id ? "第 %lld 条记录缺失（已被删除）"
		                              : "第 %lld 条记录的编号顺序被改动",
		         (long long)v->expect_id);
		return 1;
	}
	if (strcmp(e->prev_hash ? e->prev_hash : "", v->prev) != 0) {
		r->bad_id = e->id;
		snprintf(r->reason, sizeof(r->reason),
		         "第 %lld 条记录的前序哈希与上一条不符（记录被删除、插入或调换顺序）",
		         (long long)e->id);
		return 1;
	}
	audit_entry_hash(e, h);
	if (strcmp(h, e->hash ? e->hash : "") != 0) {
		r->bad_id = e->id;
		snprintf(r->reason, sizeof(r->reason), "第 %lld 条记录的内容与其哈希不符（被修改）",
		         (long long)e->id);
		return 1;
	}
	snprintf(v->prev, sizeof(v->prev), "%s", e->hash);
	if (v->head && !r->head_id && strcmp(e->hash, v->head) == 0)
		r->head_id = e->id;
	v->expect_id++;
	return 0;
}

int audit_verify(struct store *st, struct audit_verify *res, struct zw_err *err)
{
	return audit_verify_head(st, NULL, res, err);
}

int audit_verify_head(struct store *st, const char *head, struct audit_verify *res,
                      struct zw_err *err)
{
	memset(res, 0, sizeof(*res));
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	struct verify_ctx v = {res, 1, "", head};
	memcpy(v.prev, zero_hash, sizeof(v.prev));
	int rc = store_audit_scan(c, verify_row, &v, err);
	if (rc < 0)
		return rc;
	if (!res->bad_id) {
		int64_t head_id;
		char last[65];
		rc = store_audit_meta_head(c, &head_id, last, err);
		if (rc < 0)
			return rc;
		if (head_id != v.expect_id - 1 || (head_id && strcmp(last, v.prev) != 0)) {
			res->bad_id = head_id > v.expect_id - 1 ? v.expect_id : head_id;
			snprintf(res->reason, sizeof(res->reason),
			         "日志末尾与链头记录不符：链头为第 %lld 条，实际最后一条为第 %lld "
			         "条（末尾记录被删除或改动）",
			         (long long)head_id, (long long)(v.expect_id - 1));
		}
	}
	if (!res->bad_id && !store_audit_triggers_ok(c)) {
		res->bad_id = -1;
		snprintf(res->reason, sizeof(res->reason),
		         "审计日志的只追加保护触发器已被删除，日志可能被改动");
	}
	if (!res->bad_id && head && !res->head_id) {
		res->bad_id = -1;
		text_printf(
		    res->reason, sizeof(res->reason),
		    "日志中没有哈希为 %.*s 的记录：这份数据不含已知的链头（链头及其前的记录缺失，"
		    "或日志被整体替换）",
		    CUT(head, 64));
	}
	if (res->bad_id)
		return zw_errf(err, ZW_ECONFLICT, NULL, "%s", res->reason);
	return 0;
}

static json_t *json_or_null(const char *s)
{
	if (!s)
		return json_null();
	json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(s);
}

/* An entry's object, verb and role by their names (the code where there is none). */
struct entry_names {
	const char *object, *verb, *role;
};

static struct entry_names names_of(const struct audit_entry *e)
{
	const char *ol = audit_object_label(e->object_type);
	enum role role;
	return (struct entry_names){
	    .object = ol               ? ol
	              : e->object_type ? e->object_type
	                               : "",
	    .verb = audit_verb_label(e->action),
	    .role = !e->role                                       ? ""
	            : strcmp(e->role, role_name(ROLE_SYSTEM)) == 0 ? role_label(ROLE_SYSTEM)
	            : role_parse(e->role, &role) == 0              ? role_label(role)
	                                                           : e->role,
	};
}

json_t *audit_entry_json(const struct audit_entry *e)
{
	char ts[32];
	format_time(e->at, ts);
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at", ts,
	    "actor", e->actor ? e->actor : "", "role", e->role ? e->role : "", "source",
	    e->source ? e->source : "", "request_id", e->request_id ? e->request_id : "", "action",
	    e->action ? e->action : "", "object_type", e->object_type ? e->object_type : "",
	    "object_id", e->object_id ? e->object_id : "");
	json_object_set_new(o, "actor_id", e->actor_id ? json_integer(e->actor_id) : json_null());
	json_object_set_new(o, "unit_id", e->unit_id ? json_integer(e->unit_id) : json_null());
	json_object_set_new(o, "before", json_or_null(e->before));
	json_object_set_new(o, "after", json_or_null(e->after));
	json_object_set_new(o, "clause", e->clause ? json_string(e->clause) : json_null());
	/* as people read it: the object's and the verb's names, the role's */
	struct entry_names nm = names_of(e);
	json_object_set_new(o, "object_label", json_string(nm.object));
	json_object_set_new(o, "action_label", json_string(nm.verb));
	json_object_set_new(o, "role_label", json_string(nm.role));
	json_object_set_new(o, "prev_hash", json_string(e->prev_hash ? e->prev_hash : ""));
	json_object_set_new(o, "hash", json_string(e->hash ? e->hash : ""));
	return o;
}

struct audit_names_ctx {
	json_t *items;
	struct ref_names *rn;
	struct sconn *c;
};

/* A list entry names its unit too: the log is read by people who may not read the units
 * (an auditor), and names a unit the way the export does. */
static int list_row(const struct audit_entry *e, void *ctx)
{
	struct audit_names_ctx *a = ctx;
	json_t *o = audit_entry_json(e);
	const char *un = e->unit_id ? ref_names_get(a->rn, a->c, "unit_id", e->unit_id) : NULL;
	json_object_set_new(o, "unit_name", un && *un ? json_string(un) : json_null());
	json_array_append_new(a->items, o);
	return 0;
}

int audit_list(struct store *st, const struct principal *p, const struct list_query *q,
               json_t *items, struct list_page *page, struct zw_err *err)
{
	int rc = authz_check(p, ACT_AUDIT_READ, 0, err);
	if (rc)
		return rc;
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	struct audit_names_ctx a = {items, ref_names_new(), c};
	rc = store_audit_list(c, q, list_row, &a, page, err);
	ref_names_free(a.rn);
	return rc;
}

/* ---- the log as a sheet ---- */

struct audit_sheet {
	struct sheet *sheet;
	struct ref_names *rn;
	struct sconn *c;
};

static const char *const sheet_head[] = {"编号", "时间", "操作人", "角色", "对象",   "对象编号",
                                         "操作", "单位", "依据",   "来源", "变更前", "变更后"};

static int sheet_row(const struct audit_entry *e, void *ctx)
{
	struct audit_sheet *a = ctx;
	struct entry_names nm = names_of(e);
	char id[24], at[40];
	snprintf(id, sizeof(id), "%lld", (long long)e->id);
	clock_format_cn(e->at, at, sizeof(at));
	const char *cells[] = {
	    id,        at,
	    e->actor,  nm.role,
	    nm.object, e->object_id,
	    nm.verb,   e->unit_id ? ref_names_get(a->rn, a->c, "unit_id", e->unit_id) : NULL,
	    e->clause, e->source,
	    e->before, e->after,
	};
	for (unsigned i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		sheet_cell(a->sheet, i, cells[i]);
	sheet_row_end(a->sheet);
	return 0;
}

int audit_export(struct store *st, const struct principal *p, const struct list_query *q,
                 int format, struct buf *out, struct zw_err *err)
{
	int rc = authz_check(p, ACT_AUDIT_READ, 0, err);
	if (rc)
		return rc;
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	if ((rc = store_read_begin(c, err))) /* every page of one snapshot */
		return rc;
	struct audit_sheet a = {sheet_new((enum export_format)format, "审计日志"), ref_names_new(),
	                        c};
	for (unsigned i = 0; i < sizeof(sheet_head) / sizeof(sheet_head[0]); i++)
		sheet_cell(a.sheet, i, sheet_head[i]);
	sheet_row_end(a.sheet);
	struct list_query lq = *q;
	lq.has_cursor = false;
	lq.count = false;
	lq.limit = 500;
	struct list_page page = {.more = true};
	while (!rc && page.more) {
		rc = store_audit_list(c, &lq, sheet_row, &a, &page, err);
		if (!rc && page.more)
			rc = list_cursor_decode(page.next_cursor, &lq, err);
	}
	store_read_end(c);
	ref_names_free(a.rn);
	if (rc) {
		sheet_free(a.sheet);
		return rc;
	}
	return sheet_finish(a.sheet, out, err);
}
