/*
 * import_words: what county offices write in their sheets and what it means to the register —
 * the headers they use for a field (物理地址 for the MAC), the words they use for a value of an
 * enumeration (台式机 for 计算机), the cells that mean yes and no, and the start of a notes row
 * below the data (注：…, 填表人：…).
 *
 * Shipped as data/import/words.conf (embedded); a county adds to it with a file of the same
 * form (the setting import_words). Everything is compared through its key (core/text.h: NFKC,
 * case-folded, blanks next to Chinese characters dropped), so "ＭＡＣ 地址" is "MAC地址".
 */
#ifndef ZW_DOMAIN_IMPORT_WORDS_H
#define ZW_DOMAIN_IMPORT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct import_word {
	char *kind;  /* "terminals", or "all" */
	char *field; /* "mac" */
	char *key;   /* the header's or the cell's key */
	char *text;  /* as written in the words file */
	char *to;    /* values: the register's value; NULL for headers */
	char *file;  /* where it was written, for import_words_check's errors */
	int line;
};

struct import_words {
	struct import_word *columns, *values;
	size_t ncolumns, nvalues;
	char **yes, **no, **notes; /* keys */
	size_t nyes, nno, nnotes;
};

/* The shipped words plus those of the file at path (NULL or "": none). Errors name the file
 * and line. Whether the kinds, fields and values they name exist is checked against the kinds'
 * tables by import_words_check (domain/import_kind.h). */
int import_words_load(const char *path, struct import_words *w, struct zw_err *err);
void import_words_free(struct import_words *w);

/* The field of kind whose header has key (the kind's own words first, then "all"'s); the
 * caller checks the kind has the field. NULL when none. */
const char *import_words_column(const struct import_words *w, const char *kind, const char *key,
                                bool (*has)(const void *ctx, const char *field), const void *ctx);
/* The register's value a cell with key means for kind's field, or NULL. */
const char *import_words_value(const struct import_words *w, const char *kind, const char *field,
                               const char *key);
/* 1 yes, 0 no, -1 neither. */
int import_words_yesno(const struct import_words *w, const char *key);
/* Does a cell with key start a notes row? */
bool import_words_notes(const struct import_words *w, const char *key);

#endif
