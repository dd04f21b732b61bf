/* Fuzz the xlsx reader of the spreadsheet import (zip, XML, shared strings, styles, the
 * workbook's sheets, merged ranges). */
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
	struct xlsx_sheet_info *sh;
	size_t n;
	err = (struct zw_err){0};
	if (xlsx_sheets(data, size, NULL, &sh, &n, &err) != 0) {
		if (!err.message[0])
			abort();
		return 0;
	}
	for (size_t i = 0; i < n && i < 4; i++) {
		struct xlsx_merge *m;
		size_t nm;
		err = (struct zw_err){0};
		if (!sh[i].name)
			abort();
		if (xlsx_parse_sheet(data, size, NULL, i, row, NULL, &m, &nm, &err) != 0) {
			if (!err.message[0])
				abort();
			continue;
		}
		for (size_t j = 0; j < nm; j++)
			if (m[j].r1 < 1 || m[j].r2 < m[j].r1 || m[j].c2 < m[j].c1 ||
			    m[j].c2 >= CSV_MAX_FIELDS)
				abort();
		free(m);
	}
	xlsx_sheets_free(sh, n);
	return 0;
}
