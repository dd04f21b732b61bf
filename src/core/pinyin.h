/*
 * pinyin: the initials of Chinese text, so that a unit is found by the first letters of its
 * name's Mandarin syllables (城关镇 as "cgz", 县教育局 as "xjyj"), the way people type
 * into a search box without switching their input method.
 *
 * The letter of each CJK Unified Ideograph (U+4E00-U+9FFF, Extension A U+3400-U+4DBF) is the
 * initial of its first Unihan kMandarin reading (data/pinyin/initials.tsv, embedded; see its
 * SOURCE.md): one reading per character, so of a polyphone only the customary one (长 z,
 * 柏 b). The table is read from the binary once, at first use, and shared by every thread.
 */
#ifndef ZW_CORE_PINYIN_H
#define ZW_CORE_PINYIN_H

#include <stddef.h>
#include <stdint.h>

/* The initials of utf8 into out (n bytes; NUL-terminated when n > 0): for each Han character
 * with a reading its letter, each ASCII letter or digit as it is, lowered; nothing for
 * anything else (punctuation, blanks, other scripts, bytes that are not UTF-8). Stops at
 * n - 1 letters; returns how many were written. */
size_t pinyin_initials(const char *utf8, char *out, size_t n);

/* The initial of one code point ('a'-'z'), or 0 when it is no Han character with a reading. */
char pinyin_initial(uint32_t cp);

#endif
