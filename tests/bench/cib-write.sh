#!/usr/bin/env bash
# paceline-cib write path benchmark (not run by ctest; docs/design/cib.md "Measured").
# Persistent clients (tests/bench/cib-load.c, the way crmd and attrd write), concurrent:
#   status updates/s   (acknowledged at once, written within 50 ms)
#   config updates/s   (each durable before its acknowledgement, group commit)
# and the `cibadmin -M` loop (one process per update, each waiting for its fsync), on 1 node
# (standalone) and 3 nodes (tests/cluster/harness.sh namespaces, paceline-membership; clients
# on every node). With PCMK=1 (root) also Pacemaker 2.1.5's cibadmin -M loop on 3 nodes
# (../shared/anchors/pcmk-cluster.sh) for the ratio.
# Usage: tests/bench/cib-write.sh [BUILD_DIR]
#   CLIENTS=4 status clients, CONFIG_CLIENTS=4 configuration clients (per node),
#   STATUS_N=2000 CONFIG_N=100 (updates per client), WINDOW=16 (updates in flight per
#   client, pl_cib_update_async; 1: one synchronous call at a time), UPDATES=200 (cibadmin loop),
#   ONLY3=1 (3 nodes only), LOOP_ONLY=1 (3 nodes, the cibadmin loops alone)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
export PL_BIN=$build/bin
load=$build/tests/cib_load
status_clients=${CLIENTS:-4} config_clients=${CONFIG_CLIENTS:-4}
status_n=${STATUS_N:-2000} config_n=${CONFIG_N:-100} window=${WINDOW:-16}
updates=${UPDATES:-200}
[ -x "$load" ] || { echo "build $load first (cmake --build build)"; exit 1; }
ms() { date +%s%3N; }

cibadmin_loop() {	# cibadmin_loop CMD-PREFIX...: prints cibadmin -M updates/s
	local t0 t1 i
	"$@" cibadmin -C -o resources -X '<primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>' >/dev/null 2>&1
	t0=$(ms)
	for i in $(seq 1 "$updates"); do
		"$@" cibadmin -M -X "<primitive id=\"d1\" description=\"v$i\"/>" >/dev/null ||
			{ echo "update $i failed" >&2; return 1; }
	done
	t1=$(ms)
	echo "scale=1; $updates * 1000 / ($t1 - $t0)" | bc
}

# cibadmin_loop_in_node CMD-PREFIX...: the same loop run inside the node by one shell (CMD-PREFIX
# enters the node once, not once per update): what a script on the node sees, without the
# harness's per-call cost of entering the namespace (ip netns exec, unshare, bind mounts),
# which differs between the two harnesses. Prints updates/s.
cibadmin_loop_in_node() {
	"$@" bash -c 't0=$(date +%s%3N); for i in $(seq 1 '"$updates"'); do
		cibadmin -M -X "<primitive id=\"d1\" description=\"n$i\"/>" >/dev/null ||
			{ echo "update $i failed" >&2; exit 1; }; done
		t1=$(date +%s%3N); echo "scale=1; '"$updates"' * 1000 / ($t1 - $t0)" | bc'
}

# CPU time (ms) used so far by the processes in $daemons (the cib and membership daemons).
daemons=""
daemon_cpu_ms() {
	local p f t=0
	for p in $daemons; do
		read -r -a f < "/proc/$p/stat" || continue
		t=$((t + f[13] + f[14]))
	done
	echo $((t * 1000 / $(getconf CLK_TCK)))
}
# The CPU time (ms) of the load clients, from `times` (the shell's waited-for children) run
# by load_on's shell itself into file $1.
times_ms() {
	tail -1 "$1" | awk '{ split($1, a, "m"); split($2, b, "m");
		printf "%d\n", (a[1] * 60 + a[2] + b[1] * 60 + b[2]) * 1000 }'
}

# load_on NODES MODE N: CLIENTS (CONFIG_CLIENTS) clients on each of NODES (harness node numbers, or "local"),
# all at once; prints the total acknowledged updates/s, then the CPU time per update (µs) of
# the daemons and of the clients (what the figure costs, whatever else runs on the machine).
load_on() {
	local nodes=$1 mode=$2 n=$3 t0 t1 pids="" k total=0 clients=$status_clients d0 d1 c0 c1 tf
	[ "$mode" = config ] && clients=$config_clients
	tf=$(mktemp /tmp/pl-cibw-times.XXXXXX)
	d0=$(daemon_cpu_ms)
	times > "$tf"
	c0=$(times_ms "$tf")
	t0=$(ms)
	for k in $nodes; do
		if [ "$k" = local ]; then
			"$load" -c "$clients" -n "$n" -w "$window" -m "$mode" -p "$mode-l" >/dev/null &
		else
			harness_exec "$k" "$load" -c "$clients" -n "$n" -w "$window" -m "$mode" -p "$mode-n$k" >/dev/null &
		fi
		pids="$pids $!"
		total=$((total + clients * n))
	done
	for k in $pids; do wait "$k" || { echo "load failed" >&2; return 1; }; done
	t1=$(ms)
	d1=$(daemon_cpu_ms)
	times > "$tf"
	c1=$(times_ms "$tf")
	rm -f "$tf"
	echo "$(echo "scale=0; $total * 1000 / ($t1 - $t0)" | bc) $(((d1 - d0) * 1000 / total)) $(((c1 - c0) * 1000 / total))"
}
# report LABEL "RATE DAEMON_US CLIENT_US" [cpu]: the figure and what it costs in CPU; with
# cpu (status updates, which never wait for the disk) also the rate that cost allows when
# the machine's CPUs run nothing else.
report() {
	local label=$1 cpu=${3:-}
	set -- $2
	echo "  $label: $1/s; CPU per update: daemons $2 us, clients $3 us${cpu:+; CPU-bound rate alone on $(nproc) CPUs: $(($(nproc) * 1000000 / ($2 + $3 > 0 ? $2 + $3 : 1)))/s}"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs; per node $status_clients status clients x $status_n, $config_clients configuration clients x $config_n, window $window"

# --- 1 node, standalone (ONLY3=1 skips it) ---
if [ "${ONLY3:-0}" != 1 ] && [ "${LOOP_ONLY:-0}" != 1 ]; then
dir=$(mktemp -d /tmp/pl-cibw-bench.XXXXXX)
export PL_IPC_PREFIX="pl-cibw-bench-$$" PL_STATE_DIR=$dir PL_CIB_MEMBERSHIP_TIMEOUT_MS=100
"$PL_BIN/paceline-cib" -l "$dir/cib.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1 && break; sleep 0.05; done
daemons=$pid
s1=$(load_on local status "$status_n")
c1=$(load_on local config "$config_n")
m1=$(PATH=$PL_BIN:$PATH cibadmin_loop env)
echo "1 node:  status ${s1%% *}/s, durable config ${c1%% *}/s, cibadmin -M loop $m1/s"
report status "$s1" cpu
report "durable config" "$c1"
kill "$pid"; wait "$pid"
rm -rf "$dir"
unset PL_IPC_PREFIX PL_STATE_DIR PL_CIB_MEMBERSHIP_TIMEOUT_MS
fi

# --- 3 nodes ---
[ "$(id -u)" = 0 ] || { echo "3 nodes: skipped (needs root)"; exit 0; }
export PL_HARNESS_NAME=plcibw
. "$here/tests/cluster/harness.sh"
harness_lock 600 || exit 1
trap harness_down EXIT
harness_down >/dev/null 2>&1
harness_up 3 >/dev/null || exit 1
"$PL_BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" >/dev/null
for i in 1 2 3; do
	d=$(harness_node_dir "$i")/etc
	{ printf 'totem {\n\tcluster_name: cibw\n\ttoken: 1000\n}\n'; harness_nodelist 3; } >"$d/paceline.conf"
	install -m 0400 "$PL_HARNESS_DIR/authkey" "$d/authkey"
	harness_start "$i" "$PL_BIN/paceline-membership" -F >/dev/null
done
members() { [ "$(harness_exec 1 "$PL_BIN/paceline-quorumtool" -l 2>/dev/null | grep -cE '^ *[0-9]+ ')" = 3 ]; }
wait_for 20 members || exit 1
for i in 1 2 3; do harness_start "$i" --name cib "$PL_BIN/paceline-cib" >/dev/null; done
serving() { harness_exec "$1" "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1; }
for i in 1 2 3; do wait_for 20 serving "$i" || exit 1; done
daemons=$(cat "$PL_HARNESS_DIR"/n[123]/harness/cib.pid "$PL_HARNESS_DIR"/n[123]/harness/paceline-membership.pid)
if [ "${LOOP_ONLY:-0}" = 1 ]; then s3="- 0 0" c3="- 0 0"; else
	s3=$(load_on "1 2 3" status "$status_n")
	c3=$(load_on "1 2 3" config "$config_n")
fi
m3=$(cibadmin_loop harness_exec 1 env PATH="$PL_BIN:$PATH")
n3=$(cibadmin_loop_in_node harness_exec 1 env PATH="$PL_BIN:$PATH")
echo "3 nodes: status ${s3%% *}/s, durable config ${c3%% *}/s, cibadmin -M loop on node 1 $m3/s (one shell in the node: $n3/s)"
report status "$s3" cpu
report "durable config" "$c3"
for i in 1 2 3; do harness_stop "$i" >/dev/null 2>&1; done
grep -h "queued message(s) in" "$PL_HARNESS_DIR"/n*/log/cib.out 2>/dev/null | sed 's/^.*cib\[/  cib[/'
harness_down >/dev/null 2>&1
trap - EXIT

# --- Pacemaker, same topology (optional) ---
anchor=$here/../shared/anchors/pcmk-cluster.sh
if [ "${PCMK:-0}" = 1 ] && [ -x "$anchor" ]; then
	"$anchor" up 3 >/dev/null || { echo "pacemaker: cluster did not start"; exit 1; }
	p3=$(cibadmin_loop "$anchor" exec 1)
	q3=$(cibadmin_loop_in_node "$anchor" exec 1)
	"$anchor" down >/dev/null 2>&1
	echo "pacemaker 3 nodes: cibadmin -M loop on node 1 $p3/s; ratio paceline/pacemaker $(echo "scale=2; $m3 / $p3" | bc)"
	echo "pacemaker 3 nodes: one shell in the node $q3/s; ratio paceline/pacemaker $(echo "scale=2; $n3 / $q3" | bc)"
else
	echo "pacemaker: not run (PCMK=1 as root); the issue measured its cibadmin -M loop at 22.4/s on 3 nodes"
fi
