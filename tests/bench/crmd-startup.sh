#!/usr/bin/env bash
# crmd-startup.sh - from starting the three nodes' daemons (all at once, each node's in order)
# to every node agreeing on one DC that is idle. RUNS (3) times; min/median/max.
. "$(dirname "$0")/crmd-lib.sh"
RUNS=${RUNS:-3}
harness_lock 900 || exit 1
trap harness_down EXIT
times=()
for r in $(seq 1 "$RUNS"); do
	harness_down > /dev/null 2>&1
	PL_HARNESS_SIZE=1200m harness_up 3 > /dev/null || exit 1
	crmd_cluster_setup 3 1000
	t0=$(bench_now)
	for i in 1 2 3; do crmd_node_start "$i" > /dev/null & done
	wait
	one() { local d; d=$(crmd_dc 1) && [ -n "$d" ] && [ "$(crmd_dc 2)" = "$d" ] && [ "$(crmd_dc 3)" = "$d" ] && bench_idle 1; }
	wait_for 60 one > /dev/null || { echo "run $r: no DC" >&2; exit 1; }
	t1=$(bench_now)
	s=$(bench_secs $(( t1 - t0 )))
	times+=("$s")
	echo "run $r: start of 3 nodes -> one idle DC ($(crmd_dc 1)): $s s"
done
echo "paceline startup to DC (3 nodes, token 1000): min/median/max $(bench_stats "${times[@]}") s"
