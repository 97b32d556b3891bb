#!/bin/sh
# membership-detect.sh - failure detection time on 3 nodes (network namespaces): kill -9 of
# one node -> the survivors' ring has 2 members (paceline-quorumtool polled every ~50 ms on
# a survivor), at token 1000 and 3000 ms; then the same with Debian's corosync 3.1.7 (knet)
# when installed, and the ratios. RUNS (default 3) kills per token value. Needs root.
. "$(dirname "$0")/membership-lib.sh"
RUNS=${RUNS:-3}
"$H" can_run || exit 77
"$H" down
trap '"$H" down' EXIT INT TERM

measure_pl() {	# token -> prints one detection time (ms) per run
	TOKEN=$1 "$H" up 3 >/dev/null || exit 1
	for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || exit 1; done
	for r in $(seq 1 "$RUNS"); do
		sleep 1
		t0=$(ms); "$H" kill 3
		"$H" wait_ring 1 "1 2" 30 || exit 1
		echo $(($(ms) - t0))
		"$H" start 3
		for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || exit 1; done
	done
	"$H" down
}

measure_cs() {
	"$H" net 3 >/dev/null || exit 1
	for i in 1 2 3; do cs_start "$i" 3 "$1"; done
	cs_wait_ring 1 "1 2 3" 60 || { echo "corosync did not form a ring" >&2; exit 1; }
	for r in $(seq 1 "$RUNS"); do
		sleep 1
		t0=$(ms)
		for pid in $(ip netns pids "$("$H" ns 3)"); do kill -KILL "$pid"; done
		cs_wait_ring 1 "1 2" 60 || exit 1
		echo $(($(ms) - t0))
		cs_start 3 3 "$1"
		cs_wait_ring 1 "1 2 3" 60 || exit 1
	done
	"$H" down
}

for token in 1000 3000; do
	pl=$(measure_pl "$token" | tr '\n' ' ')
	plm=$(echo "$pl" | tr ' ' '\n' | grep . | median)
	echo "paceline token=$token (effective $((token + 650)) ms for 3 nodes): detection ms: $pl median $plm"
	if have_corosync; then
		cs=$(measure_cs "$token" | tr '\n' ' ')
		csm=$(echo "$cs" | tr ' ' '\n' | grep . | median)
		echo "corosync token=$token: detection ms: $cs median $csm"
		awk -v a="$plm" -v b="$csm" 'BEGIN { if (a > 0) printf "ratio corosync/paceline at token %s: %.2f\n", "'"$token"'", b / a }'
	else
		echo "corosync not installed: no comparison"
	fi
done
