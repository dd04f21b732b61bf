/*
 * conf: the line-oriented format shared by zwnet.conf and the county profiles (see
 * docs/PROFILES.md): [type name] sections, key = value lines, <<END blocks, # comments.
 *
 * conf_parse keeps every line number so that conf_check (schema tables) and the callers can
 * report `file:line: reason`. Parsing never trusts the input: lines, sections and the file have
 * maxima, and text must be valid UTF-8.
 */
#ifndef ZW_CORE_CONF_H
#define ZW_CORE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct conf_entry {
	char *key;
	char *value;
	int line;
};

struct conf_section {
	char *type; /* "" for entries before the first section header */
	char *name; /* "" when the header has no name */
	int line;
	struct conf_entry *entries;
	size_t n, cap;
};

struct conf_doc {
	char *file;
	struct conf_section *sections;
	size_t n, cap;
};

#define CONF_MAX_FILE  (8u << 20)
#define CONF_MAX_LINE  65536
#define CONF_MAX_BLOCK (1u << 20)
#define CONF_MAX_ITEMS 100000

int conf_parse(const char *file, const char *text, size_t len, struct conf_doc *doc,
               struct zw_err *err);
int conf_load_file(const char *path, struct conf_doc *doc, struct zw_err *err);
void conf_free(struct conf_doc *doc);

enum conf_type { CONF_TEXT, CONF_INT, CONF_BOOL, CONF_DATE, CONF_LIST };

struct conf_key {
	const char *name;
	enum conf_type type;
	bool required;
	bool repeat; /* may appear more than once */
};

struct conf_schema {
	const char *type;            /* section type; "" for the top level */
	bool named;                  /* [type NAME] */
	unsigned min, max;           /* how many sections of this type; max 0 = unlimited */
	const struct conf_key *keys; /* terminated by {NULL} */
};

/* Check every section and key against the schemas (terminated by {NULL}): unknown sections or
 * keys, missing required keys, duplicates, values of the wrong type, section counts. */
int conf_check(const struct conf_doc *doc, const struct conf_schema *schemas, struct zw_err *err);

const struct conf_entry *conf_get(const struct conf_section *s, const char *key);
const char *conf_str(const struct conf_section *s, const char *key, const char *dflt);
int64_t conf_int(const struct conf_section *s, const char *key, int64_t dflt);
bool conf_bool(const struct conf_section *s, const char *key, bool dflt);

/* Split a list value into at most max items, each trimmed, written into the caller's copy. */
size_t conf_split(char *value, char **items, size_t max);

/* Fill err with "file:line: message". Returns -ZW_EINVALID. */
int conf_errf(struct zw_err *err, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
