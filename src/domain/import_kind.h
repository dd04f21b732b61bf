/*
 * import_kind: what a sheet of each kind may hold, derived from the kind's field table — the
 * columns (every field a client may write, and the parent a contact belongs to), the objects
 * its reference columns name and how, the values its cells may take and how offices write
 * them, the columns no two rows of a file may share — and the one way a row is created. The
 * import (import.c), its template and export (import_sheet.c), GET /imports and the CLI all
 * read it from here.
 */
#ifndef ZW_DOMAIN_IMPORT_KIND_H
#define ZW_DOMAIN_IMPORT_KIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/record.h"
#include "domain/import_words.h"
#include "domain/ipam/ipam.h"
#include "domain/registry.h"

#define IMPORT_MAX_COLS   32
#define IMPORT_MAX_UNIQUE 3
#define XLSX_MEDIA_TYPE   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* A reference column: the object a cell names, and how it may be named. */
struct import_ref {
	const char *field;  /* "unit_id" */
	const char *object; /* "单位" */
	const char *by; /* how a cell names it, for the notes: "单位名称、简称或编号" */
	enum rec_type
	    key; /* the cell's form: REC_TEXT, REC_INT (a VLAN's VID), REC_CIDR, REC_MAC */
	bool numbers_are_ids; /* a whole number is the object's id */
	const char *find;     /* ?1: the cell; the ids it names */
	const char *name;     /* ?1: an id; what an export writes for it */
};

struct import_col {
	const struct rec_field *f;
	const struct import_ref *ref; /* or NULL */
	bool required;                /* a row without it is refused */
};

struct import_kind {
	const char *name;  /* "terminals" */
	const char *label; /* "终端" */
	const struct registry_kind *kind;
	bool units, prefixes; /* created through unit naming / prefix_create_tx */
	struct import_col cols[IMPORT_MAX_COLS];
	size_t ncols;
	/* fields no two rows of a file share besides the kind's unique_field (a terminal's IP:
	 * terminal_check's rule, said here so that a repeat names the earlier row) */
	const char *unique[IMPORT_MAX_UNIQUE - 1];
	const char *example_headers; /* "“MAC 地址”“所属单位”" */
	const char *const *sample;   /* field=value pairs of the template's sample row */
};

/* A small string -> int64 map, for the references resolved and the values seen in a file. */
struct memo_ent {
	char *key;
	size_t klen;
	int64_t id;
};
struct memo {
	struct memo_ent *v;
	size_t n, cap; /* cap a power of two */
};
bool memo_get(struct memo *m, const char *k, size_t n, int64_t *id);
void memo_put(struct memo *m, const char *k, size_t n, int64_t id);
void memo_clear(struct memo *m);

/* NULL when kind is not imported. */
const struct import_kind *import_kind_named(const char *kind);
/* Every kind, and their names as one line for messages. */
const struct import_kind *import_kind_at(size_t i); /* NULL past the last */
const char *import_kind_list(void);
const struct import_col *import_kind_field(const struct import_kind *k, const char *name);
/* The field whose header has key: its name or label, or a word of the words file. */
const struct rec_field *import_kind_match(const struct import_kind *k, const struct import_words *w,
                                          const char *key,
                                          bool (*has)(const void *k, const char *field));
const struct import_ref *import_ref(const char *field);
/* Does every word of w name an imported kind, a field of it and (a value) one of its values?
 * Errors name the words file and line. The shipped words are checked when first used. */
int import_words_check(const struct import_words *w, struct zw_err *err);
/* The words in force: w, or the shipped ones (loaded once). */
const struct import_words *import_words_get(const struct import_words *w);

/* The id a reference cell names, or 0 with why filled; memo (NULL: none) keeps found ones. */
int64_t import_resolve(const struct import_ref *ref, struct sconn *c, struct memo *memo,
                       const char *v, char *why, size_t n);
/* What an export writes for id (malloc'd), or NULL. */
char *import_ref_name(const struct import_ref *ref, struct sconn *c, int64_t id);
/* A cell (NFKC, trimmed, not empty) of field f into *val; *mapped the register's value when
 * an office's word was mapped to it. 0, or -1 with why filled. */
int import_value(const struct import_kind *k, const struct import_words *w,
                 const struct rec_field *f, const char *v, json_t **val, const char **mapped,
                 char *why, size_t n);
/* The slot of a unique field in import_kind.unique, or -1. */
int import_unique_slot(const struct import_kind *k, const char *field);
/* A row (the JSON a client would send) created in tx, in a savepoint when asked. */
int import_create(const struct import_kind *k, const struct ctx *x, struct ipam_cache *cache,
                  struct store_tx *tx, json_t *obj, bool savepoint, int64_t *id,
                  struct zw_err *err);

#endif
