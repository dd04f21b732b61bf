/* Fuzz the .conf parser and the whole profile validation on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct profile *p = NULL;
	struct zw_err err = {0};
	if (profile_parse("fuzz.conf", text, size, NULL, &p, &err) == 0) {
		json_t *o = profile_to_json(p, true);
		json_decref(o);
		profile_free(p);
	} else if (!err.message[0]) {
		abort(); /* a refusal always says why */
	}
	free(text);
	return 0;
}
