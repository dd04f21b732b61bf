#!/bin/sh
# The rules on the wire at county scale (issue 6). Targets: the rules engine >= 1 million
# observations per second on one core; the HTTP ingest API >= 200,000 per second in batches;
# from a packet on the wire to the violation row, p99 < 1 s (network namespace, needs root).
# Usage: bench/watch.sh [terminals, 50000] [engine observations, 5000000] [ingest batches, 40]
set -eu
BUILD=${BUILD:-build}
BIN=$BUILD/zwnet
NT=${1:-50000}
NOBS=${2:-5000000}
NB=${3:-40}
HERE=$(cd "$(dirname "$0")" && pwd)
ninja -C "$BUILD" zwnet watch_bench >/dev/null
DIR=$(mktemp -d /tmp/zwnet-watch.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ZWNET_PASSWORD=Bench2026pw
"$BIN" demo --db "$DIR/z.db" --profile jiaxian --password-cost min >/dev/null
"$BIN" serve --db "$DIR/z.db" --listen "127.0.0.1:$PORT" --access-log "" --password-cost min \
	--body-limit 16777216 \
	--profile jiaxian --upload-limit 104857600 --request-timeout 600 --scheduler-interval 0 \
	>"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT

# the registers: each unit a /16 of 10.0.0.0/8, NT terminals spread over them
python3 "$HERE/watch_setup.py" "$PORT" "$NT" "$DIR"
"$BUILD/watch_bench" "$DIR/z.db" "$NOBS"
python3 "$HERE/watch_ingest.py" "$PORT" "$NB" "$DIR"
kill $PID 2>/dev/null; wait $PID 2>/dev/null || true

if [ "$(id -u)" -eq 0 ] && ip netns add zwnet-bench-probe 2>/dev/null; then
	ip netns del zwnet-bench-probe
	python3 "$HERE/watch_latency.py" "$BIN" "$DIR"
else
	echo "wire to violation: skipped (needs root for a network namespace)"
fi
