/* query: the generic keyset-paginated SELECT shared by the store's list functions. */
#ifndef ZW_STORE_QUERY_H
#define ZW_STORE_QUERY_H

#include "store/store_int.h"

typedef int (*sq_row_fn)(sqlite3_stmt *s, void *ctx);

/* SELECT cols, sort, id FROM from WHERE filters [AND (sort,id) > cursor] ORDER BY sort, id
 * LIMIT limit+1. fn gets each row of the page (columns 0.. are cols). */
int sq_list(struct sconn *c, const char *cols, const char *from, const struct list_query *q,
            sq_row_fn fn, void *ctx, struct list_page *page, struct zw_err *err);

#endif
