/*
 * acl: a violation's isolation as configuration text for switches zwnet cannot drive
 * directly: Huawei VRP, H3C Comware (V7) and Cisco IOS, to apply it and to remove it.
 *
 * Each isolation row becomes numbered rules whose numbers derive from the row's id (id × 10,
 * + 5 for the destination direction), so the removal names exactly the rules the application
 * added, whatever else the ACL holds. IPv4 and blocks go to an advanced ACL (3999 / ZWNET-ISO),
 * IPv6 to its IPv6 twin, MACs to a layer-2 ACL (4999 / ZWNET-ISO-MAC); binding the ACLs to
 * ports is left to the site, as the comment lines say. Cisco IOS lists end in an implicit
 * deny, so its IP lists carry a final permit.
 */
#ifndef ZW_DOMAIN_ACL_H
#define ZW_DOMAIN_ACL_H

#include <jansson.h>

#include "core/buf.h"
#include "domain/ctx.h"

/* The vendors acl_render writes for: [{name, label}] ("vrp", "华为"). */
json_t *acl_vendors_json(void);
/* vendor: one of them; op: apply, remove. The whole text into out, or an error (413 when it
 * would pass out's maximum) and no text to use. */
int acl_render(const struct ctx *x, int64_t violation_id, const char *vendor, const char *op,
               struct buf *out, struct zw_err *err);
/* The same from the case's detail (violation_detail) already read. */
int acl_render_detail(const json_t *detail, const char *vendor, const char *op, struct buf *out,
                      struct zw_err *err);

#endif
