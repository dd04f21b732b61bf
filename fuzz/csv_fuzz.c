/* Fuzz the CSV reader of the spreadsheet import: any bytes, bounded output, no crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(int line, char **f, size_t n, void *ctx)
{
	size_t *total = ctx;
	if (line < 1 || n == 0 || n > CSV_MAX_FIELDS)
		abort();
	for (size_t i = 0; i < n; i++)
		*total += strlen(f[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t total = 0;
	struct zw_err err = {0};
	if (csv_parse((const char *)data, size, row, &total, &err) != 0 && !err.message[0])
		abort();
	if (total > size)
		abort(); /* fields only ever hold bytes of the input */
	return 0;
}
