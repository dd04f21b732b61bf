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

/* Every object of k in the unit, as the principal may read them (its contacts and agreements
 * under it, the rest by their unit field). */
static json_t *all_of(const struct ctx *x, const struct registry_kind *k, int64_t unit_id,
                      struct zw_err *err)
{
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	if (!k->parent)
		q.f[q.nf++] =
		    (struct lq_filter){.col = "unit_id", .ival = unit_id, .op = LQ_EQ_INT};
	return registry_list_all(x, k, k->parent ? unit_id : 0, &q, err);
}

json_t *archive_build(const struct ctx *x, int64_t unit_id, struct zw_err *err)
{
	struct unit u = {0};
	if (registry_get(x, &unit_kind, unit_id, &u, err)) {
		unit_free(&u);
		return NULL;
	}
	char ts[32];
	format_time(clock_now(), ts);
	json_t *doc = json_pack("{s:o, s:s, s:s}", "unit", unit_json(&u), "generated_at", ts,
	                        "generated_by", x->by->username);
	unit_free(&u);
	json_t *secs = json_array(), *omitted = json_array();
	for (size_t i = 0; i < NSECTIONS; i++) {
		const struct section_def *s = &sections[i];
		if (ZW_MUTANT("ln21_archive_prefixes") && s->kind == &prefix_kind)
			continue;
		struct zw_err e2 = {0};
		json_t *items = all_of(x, s->kind, unit_id, &e2);
		if (!items) {
			json_array_append_new(omitted, json_string(s->title));
			continue;
		}
		json_t *cols = json_array();
		for (const char *const *c = s->columns; *c; c++) {
			const struct rec_field *f = rec_field(s->kind->sc, *c);
			json_array_append_new(
			    cols, json_pack("{s:s, s:s}", "field", *c, "label", f ? f->label : *c));
		}
		json_array_append_new(secs,
		                      json_pack("{s:s, s:s, s:o, s:o}", "key", s->key, "title",
		                                s->title, "columns", cols, "items", items));
	}
	json_object_set_new(doc, "sections", secs);
	json_object_set_new(doc, "omitted", omitted);
	return doc;
}

/* ---- renderings ---- */

static void cell_text(const json_t *v, char *out, size_t n)
{
	if (!v || json_is_null(v))
		snprintf(out, n, "%s", "");
	else if (json_is_string(v))
		text_printf(out, n, "%s", json_string_value(v));
	else if (json_is_true(v))
		snprintf(out, n, "是");
	else if (json_is_false(v))
		snprintf(out, n, "否");
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.2f", json_real_value(v));
	else
		snprintf(out, n, "%s", "");
}

int archive_csv(const json_t *doc, struct buf *out)
{
	char cell[1024];
	int rc = buf_append(out, "\xEF\xBB\xBF", 3); /* BOM: spreadsheets then read UTF-8 */
	const json_t *u = json_object_get(doc, "unit");
	rc |= csv_cell(out, "单位档案", true) |
	      csv_cell(out, json_string_value(json_object_get(u, "name")), false);
	rc |= buf_puts(out, "\r\n");
	static const char *const unit_fields[][2] = {
	    {"short_name", "简称"},      {"type", "单位类型"},   {"level", "单位层级"},
	    {"address", "办公地址"},     {"status", "接入状态"}, {"status_clause", "依据条款"},
	    {"connected_on", "接入日期"}};
	for (size_t i = 0; i < sizeof(unit_fields) / sizeof(unit_fields[0]); i++) {
		cell_text(json_object_get(u, unit_fields[i][0]), cell, sizeof(cell));
		rc |= csv_cell(out, unit_fields[i][1], true) | csv_cell(out, cell, false);
		rc |= buf_puts(out, "\r\n");
	}
	size_t i, j, k;
	json_t *s, *col, *item;
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		rc |= buf_puts(out, "\r\n");
		rc |= csv_cell(out, json_string_value(json_object_get(s, "title")), true);
		rc |= buf_puts(out, "\r\n");
		json_array_foreach(json_object_get(s, "columns"), j, col) rc |=
		    csv_cell(out, json_string_value(json_object_get(col, "label")), j == 0);
		rc |= buf_puts(out, "\r\n");
		json_array_foreach(json_object_get(s, "items"), k, item)
		{
			json_array_foreach(json_object_get(s, "columns"), j, col)
			{
				cell_text(json_object_get(item, json_string_value(
				                                    json_object_get(col, "field"))),
				          cell, sizeof(cell));
				rc |= csv_cell(out, cell, j == 0);
			}
			rc |= buf_puts(out, "\r\n");
		}
	}
	return rc ? -1 : 0;
}

int archive_html(const json_t *doc, const struct profile *prof, struct buf *out)
{
	const json_t *u = json_object_get(doc, "unit");
	char cell[1024];
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
	rc |= html_text(out, json_string_value(json_object_get(doc, "generated_at")));
	rc |= buf_puts(out, " · 生成人 ");
	rc |= html_text(out, json_string_value(json_object_get(doc, "generated_by")));
	rc |= buf_puts(out, "</p>\n<table>");
	static const char *const unit_fields[][2] = {
	    {"short_name", "简称"},      {"type", "单位类型"},   {"level", "单位层级"},
	    {"address", "办公地址"},     {"status", "接入状态"}, {"status_clause", "依据条款"},
	    {"connected_on", "接入日期"}};
	for (size_t i = 0; i < sizeof(unit_fields) / sizeof(unit_fields[0]); i++) {
		cell_text(json_object_get(u, unit_fields[i][0]), cell, sizeof(cell));
		rc |= buf_puts(out, "<tr><th>") | html_text(out, unit_fields[i][1]) |
		      buf_puts(out, "</th><td>") | html_text(out, cell) |
		      buf_puts(out, "</td></tr>");
	}
	rc |= buf_puts(out, "</table>\n");
	size_t i, j, k;
	json_t *s, *col, *item;
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
		json_array_foreach(json_object_get(s, "items"), k, item)
		{
			rc |= buf_puts(out, "<tr>");
			json_array_foreach(json_object_get(s, "columns"), j, col)
			{
				cell_text(json_object_get(item, json_string_value(
				                                    json_object_get(col, "field"))),
				          cell, sizeof(cell));
				rc |= buf_puts(out, "<td>") | html_text(out, cell) |
				      buf_puts(out, "</td>");
			}
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
