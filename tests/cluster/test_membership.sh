#!/bin/sh
# test_membership.sh - three paceline-membership nodes in network namespaces:
# form one ring; kill -9 one and the two agree on a two-node ring; restart it and it rejoins;
# partition 1 / 2 3: node 1 loses quorum, 2 and 3 keep it; heal: one ring again. A message
# stream from every node runs throughout; every survivor delivers in the same order.
# Skips (77) without root or ip netns. Always removes its namespaces.
set -u
here=$(cd "$(dirname "$0")" && pwd)
H="$here/membership_harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
export PL_HARNESS_DIR=${PL_HARNESS_DIR:-$(mktemp -d /tmp/pl-cluster.XXXXXX)}
STREAM="$BUILD/tests/memb_stream"
OUT="$PL_HARNESS_DIR/streams"

"$H" can_run || exit 77
[ -x "$STREAM" ] || { echo "no $STREAM" >&2; exit 77; }
"$H" down
[ -n "${PL_KEEP:-}" ] || trap '"$H" down' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; tail -n 5 "$PL_HARNESS_DIR"/n*/log/membership.out >&2; exit 1; }
ms() { date +%s%3N; }
stream() {	# stream I NAME: a message stream client on node I
	"$H" exec "$1" "$STREAM" stream "$OUT/$2" 20 &
	echo $! > "$OUT/$2.pid"
}
stop_stream() { kill -TERM "$(cat "$OUT/$1.pid")" 2>/dev/null; }
deliveries() { grep -c '^D ' "$OUT/$1" 2>/dev/null || echo 0; }
# traffic NAME...: poll until every named stream has delivered 20 more messages (10 s at most),
# so that each event below happens with messages in flight.
traffic() {
	for s in "$@"; do eval "base_$s=$(deliveries "$s")"; done
	end=$(($(date +%s) + 10))
	for s in "$@"; do
		while [ "$(deliveries "$s")" -lt "$(($(eval echo "\$base_$s") + 20))" ]; do
			[ "$(date +%s)" -ge "$end" ] && fail "stream $s delivers nothing"
			sleep 0.05
		done
	done
}
# streams_exited NAME...: poll until the stream clients have exited (they flush on exit).
streams_exited() {
	end=$(($(date +%s) + 10))
	for s in "$@"; do
		while kill -0 "$(cat "$OUT/$s.pid")" 2>/dev/null; do
			[ "$(date +%s)" -ge "$end" ] && fail "stream $s did not exit"
			sleep 0.05
		done
	done
}
quorate() { "$H" exec "$1" "$PL_BIN/paceline-quorumtool" -s >/dev/null 2>&1; echo $?; }

TOKEN=${TOKEN:-1000} "$H" up 3 || fail "up"
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 20 || fail "ring of 3 not formed on node $i"; done
echo "ok: 3 nodes form one ring"
mkdir -p "$OUT"	# inside the harness's tmpfs, which "up" mounted
for i in 1 2 3; do stream "$i" "s$i"; done
traffic s1 s2 s3

t0=$(ms)
"$H" kill 3
"$H" wait_ring 1 "1 2" 20 || fail "node 1 did not drop node 3"
t1=$(ms)
"$H" wait_ring 2 "1 2" 5 || fail "node 2 did not drop node 3"
echo "ok: kill -9 of node 3 -> 2-node ring in $((t1 - t0)) ms (token ${TOKEN:-1000})"
[ "$(quorate 1)" = 0 ] || fail "2 of 3 nodes should be quorate"

"$H" start 3
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 20 || fail "node 3 did not rejoin (node $i)"; done
stream 3 s3b
echo "ok: node 3 restarted and rejoined"
traffic s1 s2 s3b

"$H" partition 1 / 2 3
"$H" wait_ring 1 "1" 20 || fail "node 1 still sees others after the partition"
"$H" wait_ring 2 "2 3" 20 || fail "nodes 2 3 did not form their ring"
[ "$(quorate 1)" = 2 ] || fail "node 1 alone should not be quorate"
[ "$(quorate 2)" = 0 ] || fail "nodes 2 3 should be quorate"
echo "ok: partition 1 / 2 3: node 1 not quorate, 2 and 3 quorate"
traffic s2 s3b

"$H" heal
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || fail "no single ring after heal (node $i)"; done
echo "ok: healed into one ring"
traffic s1 s2 s3b
for s in s1 s2 s3b; do stop_stream "$s"; done
streams_exited s1 s2 s3b
python3 "$here/check_streams.py" "$OUT/s1" "$OUT/s2" "$OUT/s3" "$OUT/s3b" || fail "stream order"
python3 "$here/check_streams.py" --final "$OUT/s1" "$OUT/s2" "$OUT/s3b" || fail "final configuration"
echo "ok: every survivor delivered the streams in the same order"
exit 0
