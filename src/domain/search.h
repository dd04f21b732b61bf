/*
 * search: one box that finds anything (issue 16): whatever a clerk has in hand, an address
 * from a complaint, a MAC from a switch, a mobile number, part of a unit's name or its pinyin
 * initials ("cgz" for 城关镇), a circuit id or an application's number.
 *
 * The query is classified first, and each kind is looked up where it can be:
 *
 *   ip      an IPv4/IPv6 address: the innermost prefix holding it (and the most specific one
 *           allocated to a unit, when that is another), the unit, the host address registered
 *           there, the terminals and devices with that address, the cases about it
 *   cidr    a prefix (host bits are masked): that prefix, else the innermost one holding it
 *   mac     any notation core/parse.h reads (aa:bb:.., aa-bb-.., aabb.ccdd.eeff, 12 hex
 *           digits): the terminals, host addresses and devices with it, their units, the cases
 *   mobile  11 digits starting with 1: the contacts and the applications' people with it
 *   text    anything else: units by name or short name (NFKC key, so full-width and
 *           half-width alike) or by the pinyin initials of either (prefix first, then
 *           anywhere), contacts by name, terminals by user, lines by circuit id, devices by
 *           name; digits alone also name an application or a case by its number
 *
 * Every type is read with the caller's own scope (the type's read action, a unit_admin only
 * its own unit's objects, a role without the action none of them), so a result never says more
 * than the object's own page would. At most SEARCH_PER_TYPE results of each type;
 * "truncated" says when a type had more.
 */
#ifndef ZW_DOMAIN_SEARCH_H
#define ZW_DOMAIN_SEARCH_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/ctx.h"

#define SEARCH_Q_MAX    100 /* characters of a query, blanks around it aside */
#define SEARCH_PER_TYPE 20

enum search_kind { SEARCH_IP, SEARCH_CIDR, SEARCH_MAC, SEARCH_MOBILE, SEARCH_TEXT };

/* "ip", "cidr", "mac", "mobile", "text", and their Chinese names ("IP 地址" ...) */
const char *search_kind_name(enum search_kind k);
const char *search_kind_label(enum search_kind k);

/* What q (trimmed) names, and its text as stored (an address, prefix or MAC canonical; q
 * itself otherwise) into canon. */
enum search_kind search_classify(const char *q, char *canon, size_t n);

/* The answer to q: {"q", "kind", "kind_label", "results": [{"type", "type_label", "id", "title",
 * "detail", "unit_id", "path"}], "per_type", "truncated"}, or NULL with err: q absent, blank or
 * longer than SEARCH_Q_MAX characters is 400 naming "q". */
json_t *search_run(const struct ctx *x, const char *q, struct zw_err *err);

#endif
