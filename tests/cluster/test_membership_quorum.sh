#!/bin/bash
# test_membership_quorum.sh - votequorum's small-cluster features on real daemons, in network
# namespaces:
#   two nodes with auto_tie_breaker (no two_node): partition 1 / 2 -> node 1 quorate, node 2
#   not (every time: twice); heal.
#   five nodes with last_man_standing (window 1 s) and wait_for_all: kill one node at a time
#   down to two; after each window the survivors stay quorate and expected votes follow
#   (5 -> 4 -> 3 -> 2); paceline-quorumtool shows the LastManStanding flag.
#   expected votes at run time: paceline-quorumtool -e that would cost quorum is refused, one
#   below the votes present is applied as the votes present; a rejoining node's higher
#   expected votes are taken by every node (Highest expected).
# Skips (77) without root or ip netns. Always removes its namespaces.
set -u
here=$(cd "$(dirname "$0")" && pwd)
H="$here/membership_harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
export PL_HARNESS_DIR=${PL_HARNESS_DIR:-$(mktemp -d /tmp/pl-cluster.XXXXXX)}
export TOKEN=${TOKEN:-1000}

"$H" can_run || exit 77
"$H" down
[ -n "${PL_KEEP:-}" ] || trap '"$H" down' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; tail -n 8 "$PL_HARNESS_DIR"/n*/log/membership.out >&2; exit 1; }
qt() { "$H" exec "$1" "$PL_BIN/paceline-quorumtool" -s 2>/dev/null; }
quorate() { qt "$1" > /dev/null; echo $?; }
field() { qt "$1" | awk -F': *' -v f="$2" '$1 == f {print $2}' | awk '{print $1}'; }
wait_quorate() { # wait_quorate I 0|2 SECS
	local end=$(($(date +%s) + $3))
	while [ "$(quorate "$1")" != "$2" ]; do
		[ "$(date +%s)" -ge "$end" ] && fail "node $1: quorumtool -s exit $(quorate "$1"), wanted $2"
		sleep 0.05
	done
}
wait_expected() { # wait_expected I N SECS
	local end=$(($(date +%s) + $3))
	while [ "$(field "$1" "Expected votes")" != "$2" ]; do
		[ "$(date +%s)" -ge "$end" ] && fail "node $1: expected votes $(field "$1" "Expected votes"), wanted $2"
		sleep 0.05
	done
}

# ---- 2 nodes, auto_tie_breaker ----
QUORUM="auto_tie_breaker: 1" "$H" up 2 || fail "up"
for i in 1 2; do "$H" wait_ring "$i" "1 2" 20 || fail "ring of 2 not formed on node $i"; done
wait_quorate 1 0 10
qt 1 | grep -q "^Flags: .*AutoTieBreaker" || fail "no AutoTieBreaker flag: $(qt 1 | grep Flags)"
for round in 1 2; do
	"$H" partition 1 / 2
	"$H" wait_ring 1 "1" 20 || fail "node 1 still sees node 2"
	"$H" wait_ring 2 "2" 20 || fail "node 2 still sees node 1"
	wait_quorate 1 0 5
	wait_quorate 2 2 5
	echo "ok: ATB partition 1 / 2 (round $round): node 1 quorate, node 2 not"
	"$H" heal
	for i in 1 2; do "$H" wait_ring "$i" "1 2" 30 || fail "no single ring after heal"; done
	wait_quorate 2 0 10
done
"$H" down

# ---- 5 nodes, last_man_standing ----
QUORUM="$(printf 'last_man_standing: 1\nlast_man_standing_window: 1000\nwait_for_all: 1')" "$H" up 5 ||
	fail "up 5"
for i in 1 2 3 4 5; do "$H" wait_ring "$i" "1 2 3 4 5" 30 || fail "ring of 5 not formed on node $i"; done
wait_quorate 1 0 10
qt 1 | grep -q "^Flags: .*LastManStanding" || fail "no LastManStanding flag"
alive="1 2 3 4 5"
for victim in 5 4 3; do
	"$H" kill "$victim"
	alive=$(echo "$alive" | sed "s/ *$victim//")
	for i in $alive; do "$H" wait_ring "$i" "$alive" 30 || fail "node $i did not drop node $victim"; done
	for i in $alive; do
		[ "$(quorate "$i")" = 0 ] || fail "LMS: node $i lost quorum with $alive"
	done
	n=$(echo "$alive" | wc -w)
	for i in $alive; do wait_expected "$i" "$n" 10; done
	echo "ok: LMS: node $victim killed, $alive quorate, expected votes now $n"
done

# ---- expected votes at run time (on the 2 survivors of 5: expected 2) ----
"$H" exec 1 "$PL_BIN/paceline-quorumtool" -e 5 2> /dev/null && fail "-e 5 with 2 votes present should be refused"
"$H" exec 1 "$PL_BIN/paceline-quorumtool" -e 4 2> /dev/null && fail "-e 4 with 2 votes present should be refused"
"$H" exec 1 "$PL_BIN/paceline-quorumtool" -e 1 || fail "-e 1 refused"
for i in 1 2; do wait_expected "$i" 2 5; done	# never below the votes present
"$H" start 3
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || fail "node 3 did not rejoin"; done
for i in 1 2; do	# node 3 brings its 5: the highest wins (then LMS may lower it again)
	end=$(($(date +%s) + 10))
	while [ "$(field "$i" "Highest expected")" != 5 ]; do
		[ "$(date +%s)" -ge "$end" ] && fail "node $i: highest expected $(field "$i" "Highest expected"), wanted 5"
		sleep 0.05
	done
done
for i in 1 2 3; do wait_quorate "$i" 0 10; done
echo "ok: -e refused when it would cost quorum; a rejoining node's expected votes are agreed"
exit 0
