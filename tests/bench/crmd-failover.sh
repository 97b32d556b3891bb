#!/usr/bin/env bash
# crmd-failover.sh - kill -9 of every process of the node running a Dummy (1 s monitor,
# location preference 100 for it) until a survivor's CIB shows it Started elsewhere; the node
# then returns and the resource moves back. RUNS (5) times, TOKEN (1000 ms; "default" =
# 3000). Prints each run and min/median/max; with PCMK=1 also runs the Pacemaker anchor
# (../shared/anchors/pcmk-cluster.sh failover) with the same RUNS and TOKEN, for the ratio.
. "$(dirname "$0")/crmd-lib.sh"
RUNS=${RUNS:-5}
TOKEN=${TOKEN:-1000}
tok=$TOKEN; [ "$tok" = default ] && tok=3000
bench_up "$tok"
cib 1 -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"><operations><op id="d-mon" name="monitor" interval="1s"/></operations></primitive>'
cib 1 -C -o constraints -X '<rsc_location id="loc-d" rsc="d" node="n1" score="100"/>'
times=()
# "Started elsewhere": a successful start of d recorded on a survivor (polled in n2's namespace)
started_elsewhere="//node_state[@uname!='n1']/lrm/lrm_resources/lrm_resource[@id='d']/lrm_rsc_op[@id='d_last_0'][@operation='start'][@rc-code='0'][@op-status='0']"
for r in $(seq 1 "$RUNS"); do
	wait_for 30 bench_on 2 d n1 > /dev/null || { echo "d not on n1" >&2; exit 1; }
	wait_for 30 bench_idle 2 > /dev/null
	bench_poll_start 2 "$started_elsewhere"
	sleep 0.5
	t0=$(bench_now)
	harness_kill 1
	t1=$(bench_poll_wait 60)
	[ -n "$t1" ] || { echo "run $r: no failover" >&2; exit 1; }
	log2=$(harness_node_dir 2)/log
	tm=$(bench_log_time "$log2/crmd.log" "configuration: 2 members" "$t0")
	s=$(bench_secs $(( t1 - t0 )))
	times+=("$s")
	echo "run $r: kill -9 n1 -> d Started on $(crmd_where 2 d): $s s (membership's new configuration at $(bench_secs $(( ${tm:-$t0} - t0 ))) s)"
	harness_exec 2 "$PL_BIN/paceline-quorumtool" -l > /dev/null
	crmd_node_start 1 > /dev/null || { echo "n1 did not return" >&2; exit 1; }
done
echo "paceline failover, token $TOKEN ms: min/median/max $(bench_stats "${times[@]}") s"
harness_down > /dev/null 2>&1
if [ "${PCMK:-0}" = 1 ] && [ -x "$ANCHOR" ]; then
	if [ "$TOKEN" = default ]; then "$ANCHOR" up 3 > /dev/null; else TOKEN=$TOKEN "$ANCHOR" up 3 > /dev/null; fi
	RUNS=$RUNS "$ANCHOR" failover | grep -E "TOTAL|total" | tail -n "$((RUNS + 2))"
	"$ANCHOR" down > /dev/null
fi
