/*
 * rec (store side): generic SQL for records described by a struct rec_schema, whose field
 * names are the table's column names. Tables and schemas are trusted constants; values are
 * always bound. id, created_at, updated_at and rev are managed here: insert sets the times,
 * update bumps rev and updated_at.
 */
#ifndef ZW_STORE_REC_H
#define ZW_STORE_REC_H

#include <jansson.h>

#include "core/record.h"
#include "store/store.h"

int store_rec_insert(struct sconn *c, const char *table, const struct rec_schema *sc,
                     const void *rec, int64_t now, int64_t *id, struct zw_err *err);
/* Load the row id (and, when scope_col is given, only if scope_col = scope_val). */
int store_rec_get(struct sconn *c, const char *table, const struct rec_schema *sc, int64_t id,
                  const char *scope_col, int64_t scope_val, void *rec, struct zw_err *err);
int store_rec_update(struct sconn *c, const char *table, const struct rec_schema *sc,
                     const void *rec, int64_t now, struct zw_err *err);
/* 1 when table has a row with this id, 0 when not, negative on error. */
int store_row_exists(struct sconn *c, const char *table, int64_t id);
/* 1 when table has any row, 0 when it is empty, negative on error. */
int store_table_has_rows(struct sconn *c, const char *table);
int store_rec_delete(struct sconn *c, const char *table, int64_t id, struct zw_err *err);
/* One page of records, each read into a struct and handed to fn. */
int store_rec_scan(struct sconn *c, const char *table, const struct rec_schema *sc,
                   const struct list_query *q, int (*fn)(const void *rec, void *ctx), void *ctx,
                   struct list_page *page, struct zw_err *err);

/* One page as a JSON array written into out, straight from the rows. */
int store_rec_list(struct sconn *c, const char *table, const struct rec_schema *sc,
                   const struct list_query *q, struct buf *out, struct list_page *page,
                   struct zw_err *err);

#endif
