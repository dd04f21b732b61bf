/* outage_sql: what the outage check reads and keeps beside its records (domain/ops/outage.h). */
#ifndef ZW_STORE_OUTAGE_SQL_H
#define ZW_STORE_OUTAGE_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct outage_target {
	int64_t unit_id, health_id, line_id, carrier_id; /* line, carrier: the unit's only one */
	char name[256], address[46];                     /* address "": no gateway registered */
};

/* Every connected unit (单位状态 已接入), in id order: its gateway, its health row (0: none
 * yet), its line and carrier when it has exactly one line in use. */
int store_outage_targets(struct sconn *c, struct outage_target **out, size_t *n,
                         struct zw_err *err);
/* One check of the unit in the hour's sample. */
int store_health_sample(struct sconn *c, int64_t unit_id, int64_t hour, bool ok, int64_t rtt_us,
                        struct zw_err *err);
/* The unit's hours from `from` on, oldest first, each {hour (RFC 3339), checks, fails,
 * rtt_avg_ms, rtt_max_ms}, appended to arr. */
int store_health_trend(struct sconn *c, int64_t unit_id, int64_t from, json_t *arr,
                       struct zw_err *err);
/* Samples of hours before `before` removed. */
int store_health_prune(struct sconn *c, int64_t before, struct zw_err *err);
/* The unit's open backbone fault ticket (the earliest), 0 for none. */
int store_open_backbone_ticket(struct sconn *c, int64_t unit_id, int64_t *id, struct zw_err *err);

#endif
