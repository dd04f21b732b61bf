#!/bin/sh
# Fault tickets at scale (issue 17): N open tickets with their response and repair clocks, the
# scheduler's deadline step when nothing is due and when every clock has run out, one page of
# the list with the clocks. Target: one scheduler step under 50 ms with 10,000 open tickets.
# Usage: bench/tickets.sh [N]   (default 10000)
set -eu
BUILD=${BUILD:-build}
ninja -C "$BUILD" tickets_bench >/dev/null
"$BUILD/tickets_bench" "${1:-10000}"
