#!/bin/bash
# test_membership_links.sh - redundant links and the udp transports, in network namespaces.
#
# Two links (a second bridge), 3 nodes, link_mode passive, token 1000, message streams on
# every node throughout:
#   cut link 0 of node 3: no membership change, the link shows down in paceline-cfgtool,
#   traffic goes on; bring it back: it shows up again; cut link 0 everywhere: still no
#   change; then no message was lost or reordered (check_streams.py --no-gaps).
#   Cut both links of node 3: a node failure, detected in about one token timeout.
# transport udp (multicast, then broadcast), 3 nodes: the ring forms, a kill -9 is detected,
# the node rejoins, and the streams agree.
# Skips (77) without root or ip netns. Always removes its namespaces.
set -u
here=$(cd "$(dirname "$0")" && pwd)
H="$here/membership_harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
export PL_HARNESS_DIR=${PL_HARNESS_DIR:-$(mktemp -d /tmp/pl-cluster.XXXXXX)}
STREAM="$BUILD/tests/memb_stream"
OUT="$PL_HARNESS_DIR/streams"
export TOKEN=${TOKEN:-1000}

"$H" can_run || exit 77
[ -x "$STREAM" ] || { echo "no $STREAM" >&2; exit 77; }
"$H" down
[ -n "${PL_KEEP:-}" ] || trap '"$H" down' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; tail -n 8 "$PL_HARNESS_DIR"/n*/log/membership.out >&2; exit 1; }
ms() { date +%s%3N; }
stream() { # stream I NAME: a message stream client on node I
	"$H" exec "$1" "$STREAM" stream "$OUT/$2" 20 &
	echo $! > "$OUT/$2.pid"
}
stop_streams() {
	local s end
	for s in "$@"; do kill -TERM "$(cat "$OUT/$s.pid")" 2>/dev/null; done
	end=$(($(date +%s) + 10))
	for s in "$@"; do
		while kill -0 "$(cat "$OUT/$s.pid")" 2>/dev/null; do
			[ "$(date +%s)" -ge "$end" ] && fail "stream $s did not exit"
			sleep 0.05
		done
	done
}
deliveries() { awk '/^D / {n++} END {print n + 0}' "$OUT/$1" 2>/dev/null || echo 0; }
traffic() { # every named stream delivers 20 more messages within 10 s
	local s end
	declare -A base
	for s in "$@"; do base[$s]=$(deliveries "$s"); done
	end=$(($(date +%s) + 10))
	for s in "$@"; do
		while [ "$(deliveries "$s")" -lt $((base[$s] + 20)) ]; do
			[ "$(date +%s)" -ge "$end" ] && fail "stream $s delivers nothing"
			sleep 0.05
		done
	done
}
ringid() { "$H" exec "$1" "$PL_BIN/paceline-cfgtool" -s | awk '$1 == "ring" {print $3}'; }
link_state() { # link_state I K NODE: connected / disconnected, from node I's cfgtool -s
	"$H" exec "$1" "$PL_BIN/paceline-cfgtool" -s |
		awk -v k="$2" -v n="$3" '/^LINK ID/ {l = $3} /^RING/ {l = -1}
			l == k && $1 == "nodeid:" && $2 == n":" {print $3}'
}
wait_link() { # wait_link I K NODE STATE SECS
	local end=$(($(date +%s) + $5))
	while [ "$(link_state "$1" "$2" "$3")" != "$4" ]; do
		[ "$(date +%s)" -ge "$end" ] && fail "node $1: link $2 to node $3 is '$(link_state "$1" "$2" "$3")', wanted $4"
		sleep 0.05
	done
}

# ---- two links ----
LINKS=2 "$H" up 3 || fail "up"
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 20 || fail "ring of 3 not formed on node $i"; done
wait_link 1 1 3 connected 10
"$H" exec 1 "$PL_BIN/paceline-cfgtool" -s | sed -n '1,12p'
echo "ok: 3 nodes, 2 links, one ring"
mkdir -p "$OUT"
for i in 1 2 3; do stream "$i" "s$i"; done
traffic s1 s2 s3
r0=$(ringid 1)

t0=$(ms)
"$H" linkcut 0 3
traffic s1 s2 s3
t1=$(ms)
wait_link 1 0 3 disconnected 5
wait_link 3 0 1 disconnected 5
[ "$(link_state 1 1 3)" = connected ] || fail "link 1 to node 3 should stay connected"
traffic s1 s2 s3
echo "ok: link 0 of node 3 cut: traffic went on (20 messages each within $((t1 - t0)) ms), link shown down"
"$H" linkup 0 3
wait_link 1 0 3 connected 10
wait_link 3 0 2 connected 10
traffic s1 s2 s3
echo "ok: link 0 back up and shown connected"
for i in 1 2 3; do "$H" linkcut 0 "$i"; done
traffic s1 s2 s3
wait_link 2 0 1 disconnected 5
traffic s1 s2 s3
for i in 1 2 3; do "$H" linkup 0 "$i"; done
wait_link 2 0 3 connected 10
for i in 1 2 3; do
	[ "$(ringid "$i")" = "$r0" ] || fail "node $i: ring changed from $r0 to $(ringid "$i")"
done
echo "ok: link 0 cut everywhere and restored: ring $r0 unchanged on every node"
stop_streams s1 s2 s3
python3 "$here/check_streams.py" --no-gaps "$OUT/s1" "$OUT/s2" "$OUT/s3" || fail "a message was lost"
python3 "$here/check_streams.py" "$OUT/s1" "$OUT/s2" "$OUT/s3" || fail "stream order"
echo "ok: no message lost or reordered"

t0=$(ms)
"$H" linkcut 0 3
"$H" linkcut 1 3
"$H" wait_ring 1 "1 2" 20 || fail "node 1 did not drop node 3 with both links cut"
t1=$(ms)
echo "ok: both links of node 3 cut -> 2-node ring in $((t1 - t0)) ms (token $TOKEN)"
[ $((t1 - t0)) -lt $((TOKEN * 3)) ] || fail "detection took $((t1 - t0)) ms"
"$H" linkup 0 3
"$H" linkup 1 3
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || fail "node 3 did not come back (node $i)"; done
echo "ok: links back, node 3 rejoined"
"$H" down

# ---- transport udp: multicast, then broadcast ----
for mc in 239.192.88.1 broadcast; do
	rm -rf "$OUT"
	TRANSPORT=udp MCAST=$mc "$H" up 3 || fail "up (udp $mc)"
	for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 20 || fail "udp $mc: ring of 3 not formed on node $i"; done
	"$H" exec 1 "$PL_BIN/paceline-cfgtool" -s | grep -q "group	= " || fail "udp $mc: no group address shown"
	mkdir -p "$OUT"
	for i in 1 2 3; do stream "$i" "s$i"; done
	traffic s1 s2 s3
	"$H" kill 3
	"$H" wait_ring 1 "1 2" 20 || fail "udp $mc: node 1 did not drop node 3"
	"$H" start 3
	for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 20 || fail "udp $mc: node 3 did not rejoin"; done
	stream 3 s3b
	traffic s1 s2 s3b
	stop_streams s1 s2 s3b
	python3 "$here/check_streams.py" "$OUT/s1" "$OUT/s2" "$OUT/s3" "$OUT/s3b" || fail "udp $mc: stream order"
	echo "ok: transport udp ($mc): ring formed, crash detected, rejoin, streams agree"
	"$H" down
done
exit 0
