/* The search box over HTTP: GET /search?q= (domain/search.h). */

#include "api/handlers.h"
#include "domain/search.h"

void h_search(struct req *r)
{
	struct zw_err err = {0};
	struct ctx x;
	req_ctx(r, &x);
	json_t *o = search_run(&x, req_query(r, "q"), &err);
	if (!o) {
		reply_error(r, &err);
		return;
	}
	reply_json(r, 200, o);
}
