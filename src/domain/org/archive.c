#include "domain/org/unit.h"
#include "domain/org/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/mutant.h"
#include "core/parse.h"
#include "core/text.h"
#include "doc/doc.h"
#include "domain/export.h"
#include "domain/ipam/address.h"
#include "domain/inventory/assets.h"
#include "domain/ipam/ipam.h"
#include "domain/inventory/terminal.h"

struct section_def {
	const char *key, *title;
	const struct registry_kind *kind;
	const char *const *columns; /* field names shown in CSV and HTML */
};

static const char *const c_contacts[] = {"role", "name", "post", "mobile", "email", NULL};
static const char *const c_agreements[] = {"name", "signed_on", "signatories", "scan_name", NULL};
static const char *const c_prefixes[] = {"cidr", "status",      "vlan_id",     "gateway",
                                         "dns",  "utilisation", "description", NULL};
static const char *const c_vlans[] = {"vid", "name", "zone_id", "description", NULL};
static const char *const c_addresses[] = {"address", "kind",        "hostname",
                                          "mac",     "terminal_id", NULL};
static const char *const c_terminals[] = {"mac",
                                          "ip",
                                          "kind",
                                          "user_name",
                                          "location",
                                          "antivirus",
                                          "av_signature_date",
                                          "patch_date",
                                          "plugin_installed",
                                          NULL};
static const char *const c_devices[] = {"name",   "kind",    "owner",    "custodian", "model",
                                        "serial", "mgmt_ip", "location", NULL};
static const char *const c_lines[] = {"circuit_id", "carrier_id", "bandwidth_mbps", "endpoint_a",
                                      "endpoint_b", "payer",      "status",         NULL};
static const char *const c_ports[] = {"protocol", "port", "target_ip", "purpose", NULL};
static const char *const c_domains[] = {"name", "target", "note", NULL};

static const struct section_def sections[] = {
    {"contacts", "联系人", &contact_kind, c_contacts},
    {"agreements", "协议", &agreement_kind, c_agreements},
    {"prefixes", "地址段", &prefix_kind, c_prefixes},
    {"vlans", "VLAN", &vlan_kind, c_vlans},
    {"addresses", "主机地址", &address_kind, c_addresses},
    {"terminals", "终端", &terminal_kind, c_terminals},
    {"devices", "设备", &device_kind, c_devices},
    {"lines", "线路", &line_kind, c_lines},
    {"ports", "通信端口", &port_kind, c_ports},
    {"domain_names", "域名", &domain_name_kind, c_domains},
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* The unit's own facts at the head of the document, by its field table. */
static const char *const unit_head[] = {"short_name", "type",          "level",        "address",
                                        "status",     "status_clause", "connected_on", NULL};

/* What a section reads: the records as JSON (the API's shape) and each shown column as a
 * person reads it (export_value_text: an enum's Chinese name, a VLAN's or a zone's name for
 * its id, Beijing time, a blank for what was not given). */
struct section_scan {
	const struct section_def *s;
	json_t *items, *rows;
	struct ref_names *rn;
	struct sconn *c;
};

static json_t *texts_of(const struct rec_schema *sc, const char *const *columns, const void *rec,
                        struct ref_names *rn, struct sconn *c)
{
	json_t *row = json_array();
	for (const char *const *col = columns; *col; col++) {
		const struct rec_field *f = rec_field(sc, *col);
		char tmp[64];
		const char *t = f ? export_value_text(f, rec, rn, c, tmp, sizeof(tmp)) : NULL;
		json_array_append_new(row, t ? json_string(t) : json_null());
	}
	return row;
}

static int section_row(const void *rec, void *ctx)
{
	struct section_scan *a = ctx;
	const struct rec_schema *sc = a->s->kind->sc;
	json_array_append_new(a->items, rec_to_json(sc, rec));
	json_array_append_new(a->rows, texts_of(sc, a->s->columns, rec, a->rn, a->c));
	return 0;
}

/* Every object of the section's kind in the unit, as the principal may read them (its
 * contacts and agreements under it, the rest by their unit field). */
static int section_read(const struct ctx *x, struct section_scan *a, int64_t unit_id,
                        struct zw_err *err)
{
	const struct registry_kind *k = a->s->kind;
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	if (!k->parent)
		q.f[q.nf++] =
		    (struct lq_filter){.col = "unit_id", .ival = unit_id, .op = LQ_EQ_INT};
	return registry_scan_under(x, k, k->parent ? unit_id : 0, &q, section_row, a, err);
}

static json_t *columns_of(const struct rec_schema *sc, const char *const *columns)
{
	json_t *cols = json_array();
	for (const char *const *c = columns; *c; c++) {
		const struct rec_field *f = rec_field(sc, *c);
		json_array_append_new(
		    cols, json_pack("{s:s, s:s}", "field", *c, "label", f ? f->label : *c));
	}
	return cols;
}

json_t *archive_build(const struct ctx *x, int64_t unit_id, struct zw_err *err)
{
	struct unit u = {0};
	struct sconn *c = NULL;
	if (registry_get(x, &unit_kind, unit_id, &u, err) || !(c = store_read(x->st, err))) {
		unit_free(&u);
		return NULL;
	}
	int64_t now = clock_now();
	char ts[32], local[40];
	format_time(now, ts);
	clock_format_cn(now, local, sizeof(local));
	struct ref_names *rn = ref_names_new();
	json_t *head = json_object();
	json_object_set_new(head, "columns", columns_of(&unit_schema, unit_head));
	json_object_set_new(head, "row", texts_of(&unit_schema, unit_head, &u, rn, c));
	json_t *doc = json_pack("{s:o, s:o, s:s, s:s, s:s}", "unit", unit_json(&u), "head", head,
	                        "generated_at", ts, "generated_at_text", local, "generated_by",
	                        x->by->username);
	unit_free(&u);
	json_t *secs = json_array(), *omitted = json_array();
	for (size_t i = 0; i < NSECTIONS; i++) {
		const struct section_def *s = &sections[i];
		if (ZW_MUTANT("ln21_archive_prefixes") && s->kind == &prefix_kind)
			continue;
		struct section_scan a = {s, json_array(), json_array(), rn, c};
		struct zw_err e2 = {0};
		if (section_read(x, &a, unit_id, &e2)) {
			json_decref(a.items);
			json_decref(a.rows);
			json_array_append_new(omitted, json_string(s->title));
			continue;
		}
		json_array_append_new(secs, json_pack("{s:s, s:s, s:o, s:o, s:o}", "key", s->key,
		                                      "title", s->title, "columns",
		                                      columns_of(s->kind->sc, s->columns), "items",
		                                      a.items, "rows", a.rows));
	}
	ref_names_free(rn);
	json_object_set_new(doc, "sections", secs);
	json_object_set_new(doc, "omitted", omitted);
	return doc;
}

/* ---- renderings ---- */

static const char *cell_at(const json_t *row, size_t i)
{
	const char *t = json_string_value(json_array_get(row, i));
	return t ? t : "";
}

int archive_csv(const json_t *doc, struct buf *out)
{
	int rc = buf_append(out, "\xEF\xBB\xBF", 3); /* BOM: spreadsheets then read UTF-8 */
	const json_t *u = json_object_get(doc, "unit");
	rc |= csv_cell(out, "单位档案", true) |
	      csv_cell(out, json_string_value(json_object_get(u, "name")), false);
	rc |= buf_puts(out, "\r\n");
	const json_t *head = json_object_get(doc, "head");
	size_t i, j, k;
	json_t *s, *col, *row;
	json_array_foreach(json_object_get(head, "columns"), j, col)
	{
		rc |= csv_cell(out, json_string_value(json_object_get(col, "label")), true) |
		      csv_cell(out, cell_at(json_object_get(head, "row"), j), false);
		rc |= buf_puts(out, "\r\n");
	}
	rc |= csv_cell(out, "生成时间", true) |
	      csv_cell(out, json_string_value(json_object_get(doc, "generated_at_text")), false);
	rc |= buf_puts(out, "\r\n");
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		rc |= buf_puts(out, "\r\n");
		rc |= csv_cell(out, json_string_value(json_object_get(s, "title")), true);
		rc |= buf_puts(out, "\r\n");
		json_array_foreach(json_object_get(s, "columns"), j, col) rc |=
		    csv_cell(out, json_string_value(json_object_get(col, "label")), j == 0);
		rc |= buf_puts(out, "\r\n");
		json_array_foreach(json_object_get(s, "rows"), k, row)
		{
			for (j = 0; j < json_array_size(row); j++)
				rc |= csv_cell(out, cell_at(row, j), j == 0);
			rc |= buf_puts(out, "\r\n");
		}
	}
	return rc ? -1 : 0;
}

int archive_html(const json_t *doc, const struct profile *prof, struct buf *out)
{
	const json_t *u = json_object_get(doc, "unit");
	int rc =
	    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                  "<title>单位档案</title><style>"
	                  "body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;"
	                  "margin:2em;color:#222}h1{font-size:1.5em}h2{font-size:1.15em;"
	                  "margin-top:1.6em;border-bottom:1px solid #999}table{border-collapse:"
	                  "collapse;width:100%;font-size:.9em}th,td{border:1px solid #999;"
	                  "padding:.25em .4em;text-align:left}th{background:#eee}"
	                  ".meta{color:#555;font-size:.85em}"
	                  "@media print{body{margin:1cm}h2{break-after:avoid}tr{break-inside:"
	                  "avoid}}</style></head><body>\n<h1>");
	rc |= html_text(out, json_string_value(json_object_get(u, "name")));
	rc |= buf_puts(out, " 单位档案</h1>\n<p class=\"meta\">依据《");
	rc |= html_text(out, prof->title);
	rc |= buf_puts(out, "》第二十一条等规定建立 · 生成时间 ");
	rc |= html_text(out, json_string_value(json_object_get(doc, "generated_at_text")));
	rc |= buf_puts(out, " · 生成人 ");
	rc |= html_text(out, json_string_value(json_object_get(doc, "generated_by")));
	rc |= buf_puts(out, "</p>\n<table>");
	const json_t *head = json_object_get(doc, "head");
	size_t i, j, k;
	json_t *s, *col, *row;
	json_array_foreach(json_object_get(head, "columns"), j, col)
	{
		rc |= buf_puts(out, "<tr><th>") |
		      html_text(out, json_string_value(json_object_get(col, "label"))) |
		      buf_puts(out, "</th><td>") |
		      html_text(out, cell_at(json_object_get(head, "row"), j)) |
		      buf_puts(out, "</td></tr>");
	}
	rc |= buf_puts(out, "</table>\n");
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		rc |= buf_puts(out, "<h2>") |
		      html_text(out, json_string_value(json_object_get(s, "title")));
		rc |=
		    buf_printf(out, "（%zu）</h2>\n", json_array_size(json_object_get(s, "items")));
		if (!json_array_size(json_object_get(s, "items"))) {
			rc |= buf_puts(out, "<p class=\"meta\">无</p>\n");
			continue;
		}
		rc |= buf_puts(out, "<table><tr>");
		json_array_foreach(json_object_get(s, "columns"), j, col) rc |=
		    buf_puts(out, "<th>") |
		    html_text(out, json_string_value(json_object_get(col, "label"))) |
		    buf_puts(out, "</th>");
		rc |= buf_puts(out, "</tr>\n");
		json_array_foreach(json_object_get(s, "rows"), k, row)
		{
			rc |= buf_puts(out, "<tr>");
			for (j = 0; j < json_array_size(row); j++)
				rc |= buf_puts(out, "<td>") | html_text(out, cell_at(row, j)) |
				      buf_puts(out, "</td>");
			rc |= buf_puts(out, "</tr>\n");
		}
		rc |= buf_puts(out, "</table>\n");
	}
	json_t *om = json_object_get(doc, "omitted");
	if (json_array_size(om)) {
		rc |= buf_puts(out, "<p class=\"meta\">以下部分无权查看，未列出：");
		json_array_foreach(om, i, s)
		{
			rc |= buf_puts(out, i ? "、" : "") | html_text(out, json_string_value(s));
		}
		rc |= buf_puts(out, "</p>\n");
	}
	rc |= buf_puts(out, "</body></html>\n");
	return rc ? -1 : 0;
}
