#!/bin/sh
# The address plan at scale: allocation latency with N allocations under one container
# (IPv4 /8 and IPv6 /32), pool build time, owner lookups per second, resident memory.
# Targets (issue 3): allocation under 100 us median, lookups above 5 million per second per
# core; imports of 100,000 rows (bench/import.sh). Usage: bench/ipam.sh [N] [M timed allocations] [lookups]   (defaults 1000000 10000)
set -eu
BUILD=${BUILD:-build}
ninja -C "$BUILD" ipam_bench >/dev/null
"$BUILD/ipam_bench" "${1:-1000000}" "${2:-10000}" "${3:-10000000}"
# and the imports: 100,000 rows of every kind from xlsx
"$(dirname "$0")/import.sh" "$BUILD/zwnet" 100000
