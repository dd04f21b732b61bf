#!/usr/bin/env python3
"""Writes data/pinyin/initials.tsv: the first letter of the Mandarin reading of every CJK
Unified Ideograph (U+4E00-U+9FFF) and of Extension A (U+3400-U+4DBF), from Unihan's kMandarin
(the most customary reading first: 长 zhǎng before cháng, 柏 bǎi before bó), so that 城关镇
is found as "cgz" (src/core/pinyin.c reads it, embedded in the binary).

    python3 tools/pinyin.py [UNIHAN] [--check]

UNIHAN is Unihan_Readings.txt, its .bz2 (Debian's unicode-data ships it so, in
/usr/share/unicode/, the default) or Unicode's Unihan.zip. --check exits non-zero when the file
on disk differs from what UNIHAN gives.

The file: comment lines (#) naming the source, then one line per 64 code points,
"<first code point, hex>\\t<64 characters>", a letter a-z for each code point or "-" for one
that has no kMandarin reading.
"""
import bz2
import io
import os
import re
import sys
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "pinyin", "initials.tsv")
DEFAULT = "/usr/share/unicode/Unihan_Readings.txt.bz2"
BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]  # Extension A, the URO
ROW = 64


def read_text(path):
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            return z.read("Unihan_Readings.txt").decode("utf-8")
    if path.endswith(".bz2"):
        with bz2.open(path, "rt", encoding="utf-8") as f:
            return f.read()
    with open(path, encoding="utf-8") as f:
        return f.read()


def initial(reading):
    """The first letter of a pinyin syllable without its tone mark: "ǎi" -> "a", "ň" -> "n"."""
    first = unicodedata.normalize("NFD", reading)[0].lower()
    return first if "a" <= first <= "z" else None


def build(text):
    version = re.search(r"^# Unicode version: (\S+)", text, re.M)
    letters = {}
    for line in io.StringIO(text):
        if not line.startswith("U+"):
            continue
        cp, field, value = line.rstrip("\n").split("\t", 2)
        if field != "kMandarin":
            continue
        c = initial(value.split()[0])
        if c:
            letters[int(cp[2:], 16)] = c
    out = ["# The first letter of the first kMandarin reading of each CJK Unified Ideograph",
           "# (U+3400-U+4DBF, U+4E00-U+9FFF); \"-\": none. Written by tools/pinyin.py from",
           "# Unihan_Readings.txt of Unicode %s (Unicode, Inc., Unicode License v3; see"
           % (version.group(1) if version else "?"),
           "# SOURCE.md). Modified from the Unihan data: only the initial letter of one reading",
           "# is kept, without its tone mark.",
           "# <first code point, hex>\\t<one character per code point from it, %d per line>" % ROW]
    for lo, hi in BLOCKS:
        for start in range(lo, hi + 1, ROW):
            row = "".join(letters.get(cp, "-") for cp in range(start, min(start + ROW, hi + 1)))
            out.append("%04X\t%s" % (start, row))
    return "\n".join(out) + "\n"


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    text = build(read_text(args[0] if args else DEFAULT))
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print("%s differs from what tools/pinyin.py writes" % OUT, file=sys.stderr)
                return 1
        return 0
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
