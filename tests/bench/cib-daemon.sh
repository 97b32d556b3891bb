#!/usr/bin/env bash
# paceline-cib benchmark (not run by ctest): updates/s through `cibadmin -M` against the
# daemon, on 1 node (standalone, no membership) and on 3 nodes (harness.sh namespaces,
# paceline-membership, the update made on node 1, acknowledged after total-order delivery,
# local apply and fsync). Also cibadmin -Q latency. Needs root for the 3-node part.
# Usage: tests/bench/cib-daemon.sh [BUILD_DIR]   (UPDATES=N, default 200)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
export PL_BIN=${1:-$here/build}/bin
updates=${UPDATES:-200}
ms() { date +%s%3N; }
prim='<primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>'

run_updates() {	# run_updates CMD-PREFIX...: prints updates/s
	local t0 t1 i
	"$@" "$PL_BIN/cibadmin" -C -o resources -X "$prim" >/dev/null 2>&1
	t0=$(ms)
	for i in $(seq 1 "$updates"); do
		"$@" "$PL_BIN/cibadmin" -M -X "<primitive id=\"d1\" description=\"v$i\"/>" >/dev/null ||
			{ echo "update $i failed" >&2; return 1; }
	done
	t1=$(ms)
	echo "scale=1; $updates * 1000 / ($t1 - $t0)" | bc
}
run_queries() {	# mean ms of cibadmin -Q
	local t0 t1 i
	t0=$(ms)
	for i in $(seq 1 "$updates"); do "$@" "$PL_BIN/cibadmin" -Q >/dev/null || return 1; done
	t1=$(ms)
	echo "scale=2; ($t1 - $t0) / $updates" | bc
}

# --- 1 node, standalone ---
dir=$(mktemp -d /tmp/pl-cibd-bench.XXXXXX)
export PL_IPC_PREFIX="pl-cibd-bench-$$" PL_STATE_DIR=$dir PL_CIB_MEMBERSHIP_TIMEOUT_MS=100
"$PL_BIN/paceline-cib" -l "$dir/cib.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1 && break; sleep 0.05; done
echo "1 node:  cibadmin -M $(run_updates) updates/s, cibadmin -Q $(run_queries) ms ($updates each)"
kill "$pid"; wait "$pid"
rm -rf "$dir"
unset PL_IPC_PREFIX PL_STATE_DIR PL_CIB_MEMBERSHIP_TIMEOUT_MS

# --- 3 nodes ---
[ "$(id -u)" = 0 ] || { echo "3 nodes: skipped (needs root)"; exit 0; }
export PL_HARNESS_NAME=plcibbench
. "$here/tests/cluster/harness.sh"
harness_lock 600 || exit 1
trap harness_down EXIT
harness_down >/dev/null 2>&1
harness_up 3 >/dev/null || exit 1
"$PL_BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" >/dev/null
for i in 1 2 3; do
	d=$(harness_node_dir "$i")/etc
	{ printf 'totem {\n\tcluster_name: cibbench\n\ttoken: 1000\n}\n'; harness_nodelist 3; } >"$d/paceline.conf"
	install -m 0400 "$PL_HARNESS_DIR/authkey" "$d/authkey"
	harness_start "$i" "$PL_BIN/paceline-membership" -F >/dev/null
done
members() { [ "$(harness_exec 1 "$PL_BIN/paceline-quorumtool" -l 2>/dev/null | grep -cE '^ *[0-9]+ ')" = 3 ]; }
wait_for 20 members || exit 1
for i in 1 2 3; do harness_start "$i" --name cib "$PL_BIN/paceline-cib" >/dev/null; done
serving() { harness_exec "$1" "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1; }
for i in 1 2 3; do wait_for 20 serving "$i" || exit 1; done
echo "3 nodes: cibadmin -M on node 1 $(run_updates harness_exec 1) updates/s, cibadmin -Q $(run_queries harness_exec 1) ms"
