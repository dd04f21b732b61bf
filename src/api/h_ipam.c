/* The address plan over HTTP: zones, VLANs, prefixes, allocation and the free-block view. */

#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "core/text.h"
#include "api/registry_api.h"
#include "domain/ipam/ipam.h"

void h_prefixes_create(struct req *r)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct prefix p = {0};
	uint64_t present;
	int64_t id = 0;
	int rc = rec_from_json(&prefix_schema, body, true, &p, &present, &err);
	json_decref(body);
	struct ctx x;
	req_ctx(r, &x);
	if (!rc)
		rc = prefix_create(&x, r->srv->ipam, &p, &id, &err);
	rec_free(&prefix_schema, &p);
	if (fail(r, rc, &err))
		return;
	reg_reply(r, &prefix_kind, 201, id);
}

void h_prefix_delete(struct req *r)
{
	int64_t rev = req_if_match(r);
	if (rev < 0)
		return;
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	if (fail(r, prefix_release(&x, r->srv->ipam, &r->srv->ipam_cfg, r->params[0], rev, &err),
	         &err))
		return;
	reply_no_content(r);
}

/* {unit_id, hosts | prefix_length, family?, vlan_id?, description?[, zone_id]} */
static int alloc_body(json_t *body, bool with_zone, struct alloc_req *a, int64_t *zone_id,
                      struct zw_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		int64_t *slot = NULL;
		if (strcmp(key, "unit_id") == 0)
			slot = &a->unit_id;
		else if (strcmp(key, "hosts") == 0)
			slot = &a->hosts;
		else if (strcmp(key, "prefix_length") == 0)
			slot = &a->length;
		else if (strcmp(key, "family") == 0)
			slot = &a->family;
		else if (strcmp(key, "vlan_id") == 0)
			slot = &a->vlan_id;
		else if (with_zone && strcmp(key, "zone_id") == 0)
			slot = zone_id;
		else if (strcmp(key, "description") == 0) {
			/* the new prefix's description: that field's rule */
			const struct rec_field *f = rec_field(&prefix_schema, "description");
			char *canon = NULL;
			if (!json_is_string(v) ||
			    strlen(json_string_value(v)) != json_string_length(v))
				return zw_errf(err, ZW_EINVALID, key, "%s应为字符串", f->label);
			int rc = rec_check_text(f, json_string_value(v), &canon, err);
			free(canon);
			if (rc)
				return rc;
			a->description = json_string_value(v);
			continue;
		} else
			return zw_errf(err, ZW_EINVALID, key, "未知字段“%.*s”", CUT(key, 40));
		if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
		    json_integer_value(v) > (json_int_t)1 << 62)
			return zw_errf(err, ZW_EINVALID, key, "字段“%s”应为正整数", key);
		*slot = json_integer_value(v);
	}
	if (with_zone && !*zone_id)
		return zw_errf(err, ZW_EINVALID, "zone_id", "请指定区域");
	return 0;
}

static void allocate(struct req *r, int64_t parent_id)
{
	json_t *body = req_json(r);
	if (!body)
		return;
	struct zw_err err = {0};
	struct alloc_req a = {0};
	int64_t zone_id = 0, id = 0;
	struct ctx x;
	req_ctx(r, &x);
	int rc = alloc_body(body, parent_id == 0, &a, &zone_id, &err);
	if (!rc)
		rc = prefix_allocate(&x, r->srv->ipam, parent_id, zone_id, &a, &id, &err);
	json_decref(body);
	if (fail(r, rc, &err))
		return;
	reg_reply(r, &prefix_kind, 201, id);
}

void h_prefix_allocate(struct req *r)
{
	allocate(r, r->params[0]);
}

void h_prefixes_allocate(struct req *r)
{
	allocate(r, 0);
}

void h_prefix_free(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = prefix_free_view(&x, r->srv->ipam, r->params[0], &err);
	if (!o) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200, o);
}
