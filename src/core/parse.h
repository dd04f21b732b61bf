/*
 * parse: bounded parsers for text from outside (flags, config, query strings, JSON strings).
 * No atoi, no sscanf: each parser takes the whole string, checks the range and returns 0 or -1,
 * leaving *out untouched on failure.
 */
#ifndef ZW_CORE_PARSE_H
#define ZW_CORE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_bool(const char *s, bool *out); /* yes/no, true/false, 1/0, on/off */
/* YYYY-MM-DD, a real calendar date between 1900 and 2199. days = days since 1970-01-01. */
int parse_date(const char *s, int32_t *days);
void format_date(int32_t days, char out[11]);
int32_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d);

/* Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF), no NUL, and no C0
 * control characters except, when allow_newlines, \n \r \t. */
bool utf8_valid(const char *s, size_t len, bool allow_newlines);
/* Well-formed UTF-8 encoding, whatever the characters (NUL and controls included). */
bool utf8_wellformed(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t utf8_chars(const char *s);

/* The k-th word (from 0) of a space or comma separated list into out; false past the end. */
bool list_word(const char *list, int k, char *out, size_t n);
/* Is word one of the words of such a list? */
bool list_has(const char *list, const char *word);
bool mobile_cn_valid(const char *s); /* 11 digits, 1[3-9]xxxxxxxxx */
bool email_valid(const char *s);     /* local@domain.tld, conservative */
/* A plain file name: 1-200 bytes of valid UTF-8, no '/', '\\', no leading '.', no control. */
bool filename_valid(const char *s);

/* "2026-11-23T10:00:00Z" for a Unix time in seconds. */
void format_time(int64_t unix_s, char out[32]);
/* RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" or with +hh:mm offset, or a date (midnight UTC). */
int parse_time(const char *s, int64_t *unix_s);

/* A MAC address in any common notation (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff,
 * aabb.ccdd.eeff, aabb-ccdd-eeff, aabbccddeeff; any case) into 6 bytes. */
int parse_mac(const char *s, uint8_t out[6]);
/* Canonical text: lower case, colon separated. */
void format_mac(const uint8_t mac[6], char out[18]);

/* An ETag of ours, "r<rev>", as sent back in If-Match. */
int parse_etag_rev(const char *s, int64_t *rev);

void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 bytes */

#endif
