#include "core/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/parse.h"

int csv_parse(const char *text, size_t len, csv_row_fn fn, void *ctx, struct zw_err *err)
{
	if (!utf8_wellformed(text, len))
		return zw_errf(err, ZW_EINVALID, "file",
		               "文件不是 UTF-8 编码（请另存为 UTF-8 CSV）");
	size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	char *fields[CSV_MAX_FIELDS];
	struct buf field;
	size_t n = 0;
	int line = 1, start = 1, rc = 0;
	buf_init(&field, CSV_MAX_FIELD);
	bool in_quotes = false, quoted = false, row_has_data = false;
	for (;; i++) {
		bool end = i >= len;
		char c = end ? '\n' : text[i];
		if (in_quotes && !end) {
			if (c == '"') {
				if (i + 1 < len && text[i + 1] == '"') {
					i++;
				} else {
					in_quotes = false;
					continue;
				}
			}
			if (c == '\n')
				line++;
			if (buf_append(&field, &c, 1) < 0) {
				rc = zw_errf(err, ZW_EINVALID, "file", "第 %d 行：单元格过长",
				             start);
				break;
			}
			continue;
		}
		if (in_quotes && end) {
			rc = zw_errf(err, ZW_EINVALID, "file", "第 %d 行：引号没有闭合", start);
			break;
		}
		if (c == '"' && field.len == 0 && !quoted) {
			in_quotes = quoted = true;
			row_has_data = true;
			continue;
		}
		if (c == ',' || c == '\n' || (c == '\r' && i + 1 < len && text[i + 1] == '\n')) {
			if (c == '\r')
				i++;
			if (n == CSV_MAX_FIELDS) {
				rc = zw_errf(err, ZW_EINVALID, "file", "第 %d 行：列数过多", start);
				break;
			}
			fields[n++] = buf_take(&field, NULL);
			buf_init(&field, CSV_MAX_FIELD);
			quoted = false;
			if (c != ',') {
				/* a blank line is no record */
				if (row_has_data || n > 1 || fields[0][0])
					rc = fn(start, fields, n, ctx);
				for (size_t k = 0; k < n; k++)
					free(fields[k]);
				n = 0;
				row_has_data = false;
				line++;
				start = line;
				if (rc || end)
					break;
			}
			continue;
		}
		if (quoted) {
			rc = zw_errf(err, ZW_EINVALID, "file", "第 %d 行：引号后面有多余的字符",
			             start);
			break;
		}
		row_has_data = true;
		if (buf_append(&field, &c, 1) < 0) {
			rc = zw_errf(err, ZW_EINVALID, "file", "第 %d 行：单元格过长", start);
			break;
		}
	}
	for (size_t k = 0; k < n; k++)
		free(fields[k]);
	buf_free(&field);
	return rc;
}

/* A spreadsheet cell: quoted when needed; a value a spreadsheet would run as a formula is
 * shown as text. */
int csv_cell(struct buf *b, const char *s, bool first)
{
	int rc = first ? 0 : buf_append(b, ",", 1);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
	if (quote || formula)
		rc |= buf_append(b, "\"", 1);
	if (formula)
		rc |= buf_append(b, "'", 1);
	for (const char *p = s; *p; p++)
		rc |= *p == '"' ? buf_append(b, "\"\"", 2) : buf_append(b, p, 1);
	if (quote || formula)
		rc |= buf_append(b, "\"", 1);
	return rc;
}
