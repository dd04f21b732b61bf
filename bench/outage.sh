#!/bin/sh
# The outage check at scale (issue 17): N connected units' gateways checked in one round, from a
# namespace of this script's own whose veth leads to a "county" namespace where every address of
# 10.250.0.0/16 answers ICMP and 10.251.0.0/16 (a tenth of the units) is dropped without a word.
# Target: 1,000 units checked every minute, a round well inside the minute.
# Needs root (ip netns). Usage: bench/outage.sh [N]   (default 1000)
set -eu
BUILD=${BUILD:-build}
ninja -C "$BUILD" outage_bench >/dev/null
side=zwb-side-$$
county=zwb-county-$$
cleanup() { ip netns del "$side" 2>/dev/null || true; ip netns del "$county" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$side"
ip netns add "$county"
ip link add e0 netns "$side" type veth peer name e0 netns "$county"
ip -n "$side" addr add 10.249.0.1/30 dev e0
ip -n "$county" addr add 10.249.0.2/30 dev e0
for ns in "$side" "$county"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set e0 up
done
ip -n "$side" route add 10.250.0.0/15 via 10.249.0.2
ip -n "$county" route add local 10.250.0.0/16 dev lo
ip -n "$county" route add blackhole 10.251.0.0/16
ip netns exec "$side" "$BUILD/outage_bench" "${1:-1000}"
