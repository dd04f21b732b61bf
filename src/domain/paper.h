/*
 * paper: the documents the regulations print, built as a doc (doc/doc.h) from the registry and
 * rendered by the caller as HTML or PDF.
 *
 *   application form   接入申请表 and 变更申请表 laid out as TB 附件1/附件2 (the profile's
 *                      [workflow] form names the annex; counties without one get the same grid
 *                      under "<county><network>接入申请表"), and a form of the same shape for the
 *                      other kinds (端口开通, 互联网出口, 专网互联, 信息系统备案, 局域网改造,
 *                      安全联系人变更): the unit, the application's fields, the ports, one opinion
 *                      box per approver in the profile's order (MY-4), each filled from the
 *                      decision recorded for that step.
 *   notice             审核通过/不予通过通知书 of a decided application: the decision, the reason,
 *                      the allocation, the review deadline and its due day, the implementation
 *                      deadline, the clause cited by number and quoted.
 *   agreement          the profile's agreement template (JX 附件1 保密协议, 附件2 网络安全责任书)
 * with the parties filled in: the center, the unit, its principal (主要领导) and the signing date
 * when the signed agreement is registered.
 *
 * The application's papers are in access/application_paper.c, the violation's notice in
 * violation/violation_paper.c, agreements in org/agreement_paper.c; what they share is in
 * paper.c.
 *
 * Each is read with the principal's own rights: an application through the registry's scope,
 * an agreement through the unit's read right.
 */
#ifndef ZW_DOMAIN_PAPER_H
#define ZW_DOMAIN_PAPER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "doc/doc.h"
#include "domain/ctx.h"
#include "policy/profile.h"

int paper_application_form(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err);
/* 409 while the application is not yet decided. */
int paper_application_notice(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err);
/* key: the profile's [agreement] key; 404 for an unknown key, 422 when the regulation has no
 * template for it. */
int paper_agreement(const struct ctx *x, int64_t unit_id, const char *key, struct doc *d,
                    struct zw_err *err);

/* A violation's notice (违规处理 / 限期整改 / 取消入网资格通知书); 409 before the unit was
 * notified or when the case was dismissed. */
int paper_violation_notice(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err);
/* 故障工单: a fault ticket with its clocks and steps (domain/ops/ticket_paper.c). */
int paper_ticket(const struct ctx *x, int64_t id, struct doc *d, struct zw_err *err);
/* 值班日志 of one day (YYYY-MM-DD; NULL: today in Beijing): its shifts, checks and entries
 * (domain/ops/duty_paper.c); 400 naming day when it is no date. */
int paper_duty_log(const struct ctx *x, const char *day, struct doc *d, struct zw_err *err);

/* ---- what the documents share (paper.c) ---- */

/* The maximum of a paragraph's buffer: none. Its parts are texts held already (stored fields,
 * which were bounded when written, and fixed arrays), and the document as a whole meets its
 * maximum where it is rendered (doc_html, doc_pdf: 413), so a paragraph never fails and never
 * loses a piece. */
#define PAPER_TEXT_MAX SIZE_MAX

/* A member of o as a string ("" when absent or not a string), as an integer (0). */
const char *paper_jstr(const json_t *o, const char *key);
json_int_t paper_jint(const json_t *o, const char *key);
/* "《办法》第十三条（TB-13）", or the id alone when the profile does not know it. */
void paper_cite(const struct profile *p, const char *id, char *out, size_t n);
/* A day or an RFC 3339 time (Beijing time) as "2026年11月23日"; empty when s is neither. */
void paper_date_cn(const char *s, char *out, size_t n);
void paper_today_cn(char *out, size_t n);
/* An RFC 3339 time as Beijing time to the minute, "2026-12-04 03:16" ("" for none or junk). */
void paper_time_cn(const char *iso, char *out, size_t n);
/* The full name of the organisation of a role: "县…局" gets the county's name in front. */
void paper_org_full(const struct profile *p, const char *role, char *out, size_t n);
/* The network's name with the county in front: "桐柏县政务外网". */
void paper_network_full(const struct profile *p, char *out, size_t n);
/* The unit's first contact of a role in the register, its name and mobile ("" when none):
 * what a form is prefilled with where the paper itself leaves them out. */
int paper_contact(const struct ctx *x, int64_t unit_id, const char *role, char *name, size_t nn,
                  char *mobile, size_t mn, struct zw_err *err);
/* The footer of every generated page. */
void paper_footer(struct doc *d, const struct profile *p, const char *what);
/* A deadline as JSON (the API's shape) as "3个工作日（截至2026年11月23日）". */
void paper_deadline_text(const json_t *dl, char *out, size_t n);
/* One paragraph "依据<clause>，<lead><deadline><tail>" citing the deadline's first clause. */
void paper_notice_deadline(struct doc *d, const struct ctx *x, const json_t *dl, const char *lead,
                           const char *tail);

#endif
