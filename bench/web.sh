#!/bin/sh
# The web console's budget: time from navigation to interactive for the main pages on loopback
# (target under 1 s) and the compressed JavaScript of the first page (target under 300 KB),
# in Debian's Chromium against the optimised build. Needs `make build web`.
# Usage: bench/web.sh [path/to/zwnet]
set -eu
cd "$(dirname "$0")/.."
ZWNET_BIN=${1:-build/zwnet} exec node web/bench/pages.mjs
