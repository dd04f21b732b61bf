/* Fuzz request bodies: strict JSON parsing, then every record schema's field checks, then the
 * text writer, whose output must parse back to the same object. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/record.h"
#include "domain/org/account.h"
#include "domain/org/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zw_err err = {0};
	json_t *v = json_parse_body((const char *)data, size, &err);
	if (!v) {
		if (!err.message[0])
			abort();
		return 0;
	}
	const struct rec_schema *schemas[] = {&unit_schema, &contact_schema, &agreement_schema,
	                                      &user_schema};
	for (size_t i = 0; i < 4; i++) {
		void *rec = calloc(1, schemas[i]->size);
		uint64_t present;
		for (int create = 0; create < 2; create++) {
			zw_err_clear(&err);
			if (rec_from_json(schemas[i], v, create, rec, &present, &err) == 0) {
				struct buf b;
				buf_init(&b, 1 << 20);
				if (rec_write_json(&b, schemas[i], rec) < 0)
					abort();
				json_t *back = json_loadb(b.p, b.len, 0, NULL);
				json_t *want = rec_to_json(schemas[i], rec);
				if (!back || !json_equal(back, want))
					abort();
				json_decref(back);
				json_decref(want);
				buf_free(&b);
			} else if (!err.message[0]) {
				abort();
			}
		}
		rec_free(schemas[i], rec);
		free(rec);
	}
	json_decref(v);
	return 0;
}
