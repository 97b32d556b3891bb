# crmd-lib.sh - shared by the controller's benchmarks (sourced): a 3-node Paceline cluster on
# tests/cluster/harness.sh (crmd_lib.sh starts every node's daemons), timing helpers, and
# min/median/max. Needs root; builds nothing (uses build/bin or PL_BIN).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PL_TEST_SRCDIR=$(cd "$here/../.." && pwd)
export PL_BIN=${PL_BIN:-$PL_TEST_SRCDIR/build/bin}
export PL_HARNESS_NAME=${PL_HARNESS_NAME:-plcrmdbench}
export PL_POLL_INTERVAL=${PL_POLL_INTERVAL:-0.02}
. "$PL_TEST_SRCDIR/tests/cluster/harness.sh"
. "$PL_TEST_SRCDIR/tests/cluster/crmd_lib.sh"
ANCHOR=${ANCHOR:-$PL_TEST_SRCDIR/../shared/anchors/pcmk-cluster.sh}

bench_now() { local t=$EPOCHREALTIME; echo "${t/./}"; }	# µs
bench_secs() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000000 }'; }
# bench_stats V... : "min/median/max" of seconds
bench_stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
	m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
	printf "%.3f / %.3f / %.3f (n=%d)", v[1], m, v[NR], NR }'; }

# bench_up TOKEN_MS : a fresh 3-node cluster, one DC, stonith-enabled=false
bench_up() {
	harness_lock 900 || exit 1
	trap harness_down EXIT
	harness_down > /dev/null 2>&1
	PL_HARNESS_SIZE=1200m harness_up 3 > /dev/null || exit 1
	crmd_cluster_setup 3 "$1"
	for i in 1 2 3; do crmd_node_start "$i" || { echo "node $i did not start" >&2; exit 1; }; done
	bench_one_dc() { local d; d=$(crmd_dc 1) && [ -n "$d" ] && [ "$(crmd_dc 3)" = "$d" ]; }
	wait_for 30 bench_one_dc > /dev/null || { echo "no DC" >&2; exit 1; }
	cib 1 -M -c -o crm_config -X '<cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set>'
}

bench_on() { [ "$(crmd_where "$1" "$2")" = "$3" ]; }
bench_idle() { [ "$(harness_exec "$1" "$PL_BIN/crmadmin" -S "$(crmd_dc "$1")" -q 2> /dev/null)" = S_IDLE ]; }

# A poller inside node I's namespace, as the Pacemaker anchor polls crm_mon there: one shell
# that runs `cibadmin -Q --xpath XPATH` every 20 ms and prints the time (µs) of the first
# answer. Polling from outside (a namespace entry, cibadmin and a parse per poll) took
# 0.1-0.6 s per poll on this shared machine, which the figures then included.
#   bench_poll_start I XPATH ; ... ; t=$(bench_poll_wait TIMEOUT_S)   ("" on timeout)
bench_poll_start() {
	BENCH_POLL_OUT=$(mktemp)
	harness_exec "$1" bash -c 'until "$0" -Q --xpath "$1" > /dev/null 2>&1; do sleep 0.02; done
		t=$EPOCHREALTIME; echo "${t/./}"' "$PL_BIN/cibadmin" "$2" > "$BENCH_POLL_OUT" &
	BENCH_POLL_PID=$!
}
bench_poll_wait() {
	local deadline=$(( $(bench_now) + $1 * 1000000 )) t
	while [ ! -s "$BENCH_POLL_OUT" ] && [ "$(bench_now)" -lt "$deadline" ]; do sleep 0.05; done
	t=$(cat "$BENCH_POLL_OUT")
	kill "$BENCH_POLL_PID" 2> /dev/null
	wait "$BENCH_POLL_PID" 2> /dev/null
	rm -f "$BENCH_POLL_OUT"
	echo "$t"
}
# bench_log_time FILE REGEX AFTER_US : the time (µs) of the first log line matching REGEX
# at or after AFTER_US ("" when none)
bench_log_time() {
	local line ts
	while IFS= read -r line; do
		ts=$(date -d "${line%% *}" +%s%6N 2> /dev/null) || continue
		[ "$ts" -ge "$3" ] && { echo "$ts"; return 0; }
	done < <(grep -E "$2" "$1")
	echo ""
}
