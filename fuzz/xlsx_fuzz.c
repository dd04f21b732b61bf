/* Fuzz the xlsx reader of the spreadsheet import (zip, XML, shared strings). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(int line, char **f, size_t n, void *ctx)
{
	(void)ctx;
	if (line < 1 || n == 0 || n > CSV_MAX_FIELDS)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!f[i])
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zw_err err = {0};
	if (xlsx_parse(data, size, NULL, row, NULL, &err) != 0 && !err.message[0])
		abort();
	return 0;
}
