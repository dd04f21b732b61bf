/*
 * text: the Unicode rules for names people read (units, contacts, users, carriers, ...).
 *
 * A name is shown as typed, less the blanks around it, but compared through its key: NFKC
 * (full-width letters, digits and brackets become their ASCII forms, compatibility characters
 * their plain ones, Kangxi radicals the ideographs they look like), case-folded,
 * default-ignorable characters dropped, and blanks (ASCII space, U+3000, NBSP and the other
 * White_Space characters) gone at either end and next to a Chinese character (Chinese puts no
 * blanks between words), a run of them one space elsewhere ("Tongbai  ISP" is "tongbai isp").
 * So "城关镇（一）" and "城关镇(一)", "ABC" and "ＡＢＣ", "县　财政局" and "县财政局" have one key.
 *
 * A name must not hide what it says: control characters, bidirectional controls (U+202A–202E,
 * U+2066–2069, U+200E/F, U+061C) and invisible characters (zero-width space and joiners, word
 * joiner, BOM, soft hyphen, Hangul fillers, other format characters) are refused anywhere in
 * it, and so is a name of blanks only.
 *
 * NFKC and the character classes come from utf8proc (Debian libutf8proc, MIT).
 */
#ifndef ZW_CORE_TEXT_H
#define ZW_CORE_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* The comparison key of s (valid UTF-8) in *out (caller frees). 0, or -1 when s is not valid
 * UTF-8 or memory ran out. */
int text_nfkc_key(const char *s, char **out);

/* s in NFKC (full-width letters, digits and punctuation their ASCII forms, U+3000 a space, ...)
 * without the White_Space characters at either end, in *out (caller frees). 0, or -1 when s is
 * not valid UTF-8. */
int text_nfkc(const char *s, char **out);

/* 0 when s may be a name; else ZW_EINVALID naming field, the message in Chinese with label
 * and the offending character's code point. "" passes (whether it may be empty is the
 * caller's rule); blanks only do not. */
int text_name_check(const char *s, const char *field, const char *label, struct zw_err *err);

/* s without the White_Space characters at either end: *start and *len (bytes). */
void text_trim(const char *s, const char **start, size_t *len);

/* The length of the longest prefix of s of at most max bytes that ends on a code point boundary
 * (s NUL-terminated or at least max bytes long; no byte at or past max is read): what a message
 * may quote of a longer text without cutting a character in two. Bytes that are not UTF-8 count
 * one each. */
size_t utf8_cut(const char *s, size_t max);
/* For printf: "%.*s", CUT(s, 40) quotes at most 40 bytes of s, whole characters only. */
#define CUT(s, max) (int)utf8_cut((s), (max)), (s)

/* snprintf into a fixed buffer of user or stored text: when the text does not fit, dst ends
 * with the last whole character that does (never half of one, so a cut message stays valid
 * UTF-8 for JSON, a header or a document). Returns what vsnprintf returns: the length of the
 * whole text, so a result >= size says it was cut. size 0 writes nothing. */
int text_printf(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* a and b are both there and the same bytes (a code held in a record against a constant). */
bool text_is(const char *a, const char *b);
int text_vprintf(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Is cp a White_Space character (Unicode PropList)? */
bool text_is_space(int cp);

#endif
