/*
 * record: one table per domain object describes its fields (name, type, limits, allowed
 * values, Chinese label, where it lives in the C struct). The same table checks a JSON body,
 * CLI options and CSV rows, and turns a struct back into JSON, so the API, the CLI and the
 * OpenAPI document cannot drift apart on what a field accepts.
 *
 * Text fields are owned `char *` in the struct (rec_free releases them); every text is valid
 * UTF-8 without control characters (REC_MULTILINE allows newlines) and at most maxchars code
 * points. Unknown fields are refused, never ignored.
 */
#ifndef ZW_CORE_RECORD_H
#define ZW_CORE_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

enum rec_type {
	REC_TEXT,   /* char * */
	REC_ENUM,   /* char *, one of enums[] */
	REC_DATE,   /* char *, YYYY-MM-DD */
	REC_MOBILE, /* char *, mainland mobile number */
	REC_EMAIL,  /* char *, e-mail address */
	REC_ID,     /* int64_t, > 0, 0 = none */
	REC_INT,    /* int64_t within [min, max] */
	REC_BOOL,   /* bool */
	REC_TIME,   /* int64_t Unix seconds, shown as RFC 3339 */
	REC_REAL,   /* double, finite */
	/* Text in a format. record.c holds one entry per format: the check rec_from_json applies
	 * (and the canonical text it stores), and the pattern the OpenAPI document and
	 * GET /schemas give clients, so that what a client is told and what the server refuses
	 * are the same rule. */
	REC_IP,       /* char *, an IPv4 or IPv6 address (core/inet.h), stored canonical */
	REC_IPS,      /* char *, IP addresses separated by commas or blanks */
	REC_CIDR,     /* char *, a prefix whose host bits are 0, stored canonical */
	REC_MAC,      /* char *, a unicast Ethernet address, stored as aa:bb:cc:dd:ee:ff */
	REC_HOSTNAME, /* char *, a host name: dot-separated labels (RFC 1123) */
	REC_DOMAIN,   /* char *, a DNS name of two labels or more, stored lower case */
	REC_CODE,     /* char *, a code: lower-case letters, digits, _ and - */
	REC_USERNAME, /* char *, a login name: 2-32 lower-case letters, digits, _ . - */
	REC_PASSWORD, /* char *, 8-128 characters with a letter and a digit */
	REC_YUAN,     /* char *, an amount in yuan: up to 10 digits, at most two decimals */
	REC_TYPE_COUNT
};

/* Types held as char * (every type but ids, integers, booleans, times and reals). */
static inline bool rec_is_text(enum rec_type t)
{
	return t != REC_ID && t != REC_INT && t != REC_BOOL && t != REC_TIME && t != REC_REAL;
}

enum {
	REC_REQUIRED = 1 << 0, /* must be given on create */
	REC_READONLY = 1 << 1, /* never accepted from a client */
	REC_NULLABLE = 1 << 2, /* JSON null clears it */
	REC_MULTILINE = 1 << 3,
	REC_FIXED = 1 << 4,     /* settable on create only */
	REC_WRITEONLY = 1 << 5, /* accepted from clients, never shown (sealed secrets) */
	/* a name people read (core/text.h): no control, bidi or invisible characters, not blanks
	 * only; stored without the blanks around it */
	REC_NAME = 1 << 6,
	REC_PAST = 1 << 7, /* REC_DATE: not after today (China time) */
	/* What a list of the record takes besides limit and cursor (api/registry_api.h):
	 * ?sort=<name> (every list sorts by id), ?<name>=v (equal), ?q=text (the one field whose
	 * text contains it), ?<stem>_after= and ?<stem>_before= on a time "<stem>_at" */
	REC_SORT = 1 << 8,
	REC_FILTER = 1 << 9,
	REC_SEARCH = 1 << 10,
	REC_RANGE = 1 << 11,
};

struct rec_field {
	const char *name;
	enum rec_type type;
	unsigned flags;
	size_t offset;
	const char *label; /* Chinese label used in messages */
	size_t maxchars;   /* text: code points; 0 = 200 */
	const char *const *enums;
	int64_t min, max; /* REC_INT */
	/* REC_ENUM: stable ASCII codes parallel to enums; the object then also carries a
	 * read-only "<name>_code" member (status "已接入" -> status_code "connected"). */
	const char *const *codes;
	/* REC_ENUM: the Chinese names of values that are codes, parallel to enums (prefix status
	 * "container" -> "地址池"); NULL where the values are Chinese words themselves. */
	const char *const *labels;
};

struct rec_schema {
	const char *object; /* "unit", "contact", ... */
	const struct rec_field *fields;
	size_t nfields;
	size_t size; /* sizeof the struct */
};

/* An integer field holding 0 where its range starts above it (an IP count, a bandwidth): the
 * value was not given, and is read as a blank wherever people read it (exports, documents). */
static inline bool rec_int_unset(const struct rec_field *f, int64_t v)
{
	return f->type == REC_INT && v == 0 && f->min > 0;
}

/* Field table helpers: REC_F(struct unit, name, REC_TEXT, REC_REQUIRED, "单位名称", 100). */
// clang-format off
#define REC_F(st, n, t, fl, lbl, max) \
	{#n, t, fl, offsetof(st, n), lbl, max, NULL, 0, 0, NULL, NULL}
/* an enum of Chinese words; REC_FEC adds their codes, REC_FEL names values that are codes */
#define REC_FE(st, n, fl, lbl, vals) \
	{#n, REC_ENUM, fl, offsetof(st, n), lbl, 0, vals, 0, 0, NULL, NULL}
#define REC_FEC(st, n, fl, lbl, vals, codes) \
	{#n, REC_ENUM, fl, offsetof(st, n), lbl, 0, vals, 0, 0, codes, NULL}
#define REC_FEL(st, n, fl, lbl, vals, labels) \
	{#n, REC_ENUM, fl, offsetof(st, n), lbl, 0, vals, 0, 0, NULL, labels}
#define REC_META(st) \
	REC_F(st, created_at, REC_TIME, REC_READONLY, "创建时间", 0), \
	REC_F(st, updated_at, REC_TIME, REC_READONLY | REC_SORT, "更新时间", 0), \
	{"rev", REC_INT, REC_READONLY, offsetof(st, rev), "版本", 0, NULL, 0, INT64_MAX, NULL, NULL}
// clang-format on

/* Check obj against the schema and store the values in rec. *present gets a bit per field
 * index that the object set. create: required fields must be present, REC_FIXED allowed.
 * On failure nothing useful is in rec (rec_free it) and err names the field. */
int rec_from_json(const struct rec_schema *sc, const json_t *obj, bool create, void *rec,
                  uint64_t *present, struct zw_err *err);
/* Every field of rec as a JSON object (NULL text and 0 ids become null). */
json_t *rec_to_json(const struct rec_schema *sc, const void *rec);
/* The rules rec_from_json applies, for clients that check a form before sending it:
 * {"object", "fields": [{"name", "label", "type", "required", "readonly", "fixed",
 * "nullable", "multiline", "max_chars" | "min"/"max" | "values", "labels", "pattern",
 * "pattern_exact", "min_chars", "past", "write_only", and what a list takes on it: "sort",
 * "filter", "search"}]}. An enum's "labels" are the Chinese names of its
 * "values", in their order (the values themselves where they are Chinese words). A pattern is
 * given for every type but plain text and enums. Write-only fields are listed too (a form may
 * set them); readonly ones are marked. */
json_t *rec_schema_json(const struct rec_schema *sc);
/* Check one text value as rec_from_json checks field f (control characters, length, format,
 * not after today); *canon gets the text to store instead (malloc'd) or NULL to keep s. */
int rec_check_text(const struct rec_field *f, const char *s, char **canon, struct zw_err *err);
/* A regular expression (ECMA-262 and POSIX ERE alike, but for the lookaheads of names, MAC
 * addresses and passwords) that accepts no text of f rec_from_json refuses. *exact: it
 * accepts every text rec_from_json accepts too (IPv6 prefixes are only the common forms). */
const char *rec_pattern(const struct rec_field *f, bool *exact);
/* The fewest characters a text of f may have (2 for a username, 8 for a password, 1 for a
 * required text or a secret, else 0). */
size_t rec_min_chars(const struct rec_field *f);
/* The pattern of an address of one family (4 or 6; 0 for either), and of a MAC address in
 * any notation parse_mac reads, multicast and zero ones too (what probes report). */
const char *rec_ip_pattern(int family);
const char *rec_mac_any_pattern(void);
/* The name of a field type as GET /schemas gives it ("text", "ip", ...). */
const char *rec_type_name(enum rec_type t);
/* The same object as rec_to_json, written as JSON text into b. */
int rec_write_json(struct buf *b, const struct rec_schema *sc, const void *rec);

/* Where the text writer reads field i: a C struct (rec_write_json) or, in the store, a
 * database row, so list pages go from rows to text without building structs. */
struct rec_source {
	const void *ctx;
	/* text of field i and its length, or NULL for null */
	const char *(*text)(const void *ctx, size_t i, const struct rec_field *f, size_t *len);
	/* integer, id, time or bool of field i */
	int64_t (*num)(const void *ctx, size_t i, const struct rec_field *f);
	double (*real)(const void *ctx, size_t i, const struct rec_field *f);
};
int rec_write_source(struct buf *b, const struct rec_schema *sc, const struct rec_source *src);
/* The values of an enum for a message, a code with its name where it has one:
 * "container（地址池）、active（使用中）" (as many as fit in out). */
void rec_enum_list(const struct rec_field *f, char *out, size_t n);
/* The Chinese name of an enum value: its label, the value itself where the values are words,
 * NULL when it is none of f's values. */
const char *rec_enum_label(const struct rec_field *f, const char *value);
/* The code of an enum value (for "<name>_code"), or NULL. */
const char *rec_code(const struct rec_field *f, const char *value, size_t len);
void rec_free(const struct rec_schema *sc, void *rec);
/* A client may give some field of sc (one is not read-only). */
bool rec_writable(const struct rec_schema *sc);
const struct rec_field *rec_field(const struct rec_schema *sc, const char *name);
int rec_index(const struct rec_schema *sc, const char *name);
/* Copy the fields flagged in present from src into dst (text is duplicated). */
void rec_merge(const struct rec_schema *sc, void *dst, const void *src, uint64_t present);

#endif
