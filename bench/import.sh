#!/bin/sh
# Imports at county scale: for each size (default 10,000 and 100,000 rows) a fresh demo county
# and a real `zwnet serve` on loopback; an xlsx workbook of that many rows for every kind the
# importer takes (units, prefixes — one container and its subnets —, terminals with addresses
# in those subnets), made by bench/import_sheets.py with openpyxl, posted to
# /api/v1/imports/{kind} as a dry run and then for real. Per kind it prints rows, seconds
# (wall and the server's CPU), rows/s, the server's peak RSS (VmHWM, reset before each
# request), the longest wait of a concurrent login (how long the import held the write lock)
# and the phases the server logged; rows/s that fall from one size to the next mean an import
# is not linear in its rows. After the prefixes, zwnet prefix verify checks their figures.
# Then, on the last register: a file of N bad rows and an xlsx zip bomb (once, four at once).
# Targets: 100,000 prefixes under 10 s (issue 14) and 100,000 terminals (issue 3); every kind
# linear in its rows; peak RSS under 200 MB; a dry run takes no write lock.
# Usage: bench/import.sh [path/to/zwnet] [SIZE ...]
set -eu
BIN=${1:-build/zwnet}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 10000 100000
# Debian's python3 has python3-openpyxl (scripts/deps.sh); another python3 first on PATH may not.
PY=python3
python3 -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
exec "$PY" "$(dirname "$0")/import_bench.py" "$BIN" "$@"
