#!/usr/bin/env bash
# crmd-rscfail.sh - a Dummy's state file removed (its 1 s monitor then finds it stopped) until
# the CIB shows it started again in place with the failure recorded. RUNS (5) times,
# crm_resource --cleanup between runs. min/median/max; PCMK=1 also runs the anchor's rscfail.
. "$(dirname "$0")/crmd-lib.sh"
RUNS=${RUNS:-5}
bench_up 1000
cib 1 -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"><operations><op id="d-mon" name="monitor" interval="1s"/></operations></primitive>'
cib 1 -C -o constraints -X '<rsc_location id="loc-d" rsc="d" node="n2" score="100"/>'
times=()
after=()
# "started again": a start of d on n2 recorded with a call id above the one before the failure
for r in $(seq 1 "$RUNS"); do
	wait_for 30 bench_on 1 d n2 > /dev/null || { echo "d not on n2" >&2; exit 1; }
	wait_for 30 bench_idle 1 > /dev/null
	sleep 1.2	# one monitor has run since the start
	call=$(cib 1 -Q -o status | grep 'id="d_last_0"' | grep 'on_node="n2"' | sed -n 's/.*call-id="\([0-9]*\)".*/\1/p')
	bench_poll_start 1 "//node_state[@uname='n2']//lrm_rsc_op[@id='d_last_0'][@operation='start'][@rc-code='0'][@op-status='0'][@call-id>$call]"
	sleep 0.3
	st=$(find "$(harness_node_dir 2)/run" -name 'paceline-Dummy-d.state' | head -1)
	t0=$(bench_now)
	rm -f "$st"
	t1=$(bench_poll_wait 30)
	[ -n "$t1" ] || { echo "run $r: not restarted" >&2; exit 1; }
	tm=$(bench_log_time "$(harness_node_dir 2)/log/crmd.log" "result of d_monitor_1000: not running" "$t0")
	s=$(bench_secs $(( t1 - t0 )))
	a=$(bench_secs $(( t1 - ${tm:-$t0} )))
	times+=("$s")
	after+=("$a")
	echo "run $r: state file removed -> d started again on n2: $s s (after the failed monitor: $a s)"
	harness_exec 1 "$PL_BIN/crm_resource" --cleanup -r d > /dev/null
done
echo "paceline failed monitor -> started again (1 s monitor): min/median/max $(bench_stats "${times[@]}") s, after the failed monitor $(bench_stats "${after[@]}") s"
harness_down > /dev/null 2>&1
if [ "${PCMK:-0}" = 1 ] && [ -x "$ANCHOR" ]; then
	TOKEN=1000 "$ANCHOR" up 3 > /dev/null
	RUNS=$RUNS "$ANCHOR" rscfail | grep -E "TOTAL|total" | tail -n "$((RUNS + 2))"
	"$ANCHOR" down > /dev/null
fi
