#!/usr/bin/env bash
# crmd-scale.sh - N (200) Dummy resources created at once (one cibadmin call) on 3 running
# nodes, until the CIB shows every one Started exactly once. RUNS (1).
. "$(dirname "$0")/crmd-lib.sh"
N=${N:-200}
bench_up 1000
xml="<resources>"
for k in $(seq 1 "$N"); do xml="$xml<primitive id=\"r$k\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\"/>"; done
xml="$xml</resources>"
t0=$(bench_now)
cib 1 -M -o resources -X "$xml" || { echo "cannot create the resources" >&2; exit 1; }
wait_for 600 crmd_all_started 1 "$N" > /dev/null || { echo "not all started" >&2; exit 1; }
t1=$(bench_now)
echo "paceline: $N Dummy resources created -> all Started on 3 nodes: $(bench_secs $(( t1 - t0 ))) s"
