#!/bin/sh
# The search box at county scale (issue 16 item 1). Target: GET /api/v1/search answers in
# under 50 ms (p99, one client on loopback) for each kind of query, with 50,000 terminals and
# 1,000 units registered: an address (owning prefix, unit, terminal), a MAC in a switch's
# notation, pinyin initials (every unit's name read), a person's name (a LIKE over the
# terminals), a mobile and a number.
# Usage: bench/search.sh [terminals, 50000] [units added to the demo's, 1000] [queries per kind, 200]
set -eu
BUILD=${BUILD:-build}
BIN=$BUILD/zwnet
NT=${1:-50000}
NU=${2:-1000}
NQ=${3:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
ninja -C "$BUILD" zwnet >/dev/null
DIR=$(mktemp -d /tmp/zwnet-search.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ZWNET_PASSWORD=Bench2026pw
"$BIN" demo --db "$DIR/z.db" --profile jiaxian --password-cost min >/dev/null
"$BIN" serve --db "$DIR/z.db" --listen "127.0.0.1:$PORT" --access-log "" --password-cost min \
	--body-limit 16777216 --profile jiaxian --upload-limit 104857600 --request-timeout 600 \
	--scheduler-interval 0 >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
python3 "$HERE/watch_setup.py" "$PORT" "$NT" "$DIR"
python3 "$HERE/search_bench.py" "$PORT" "$NU" "$NQ"
