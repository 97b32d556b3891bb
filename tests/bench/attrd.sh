#!/usr/bin/env bash
# attrd.sh - node attribute throughput on 3 nodes, Paceline against Pacemaker in the same run.
#
# For each stack (Paceline's under scripts/demo, Pacemaker's under ../shared/anchors/
# pcmk-cluster.sh when present and PCMK=1):
#   rate     N updates of one attribute by attrd_updater processes, one after the other from
#            n1, timed until the last value is in the CIB of all 3 nodes (end to end): updates/s
#   rate3    the same with one client loop on each of the 3 nodes at once (3 x N/3 updates)
#   writes   CIB writes (the CIB version's num_updates + epoch) per 1000 updates, without
#            dampening and with -B -d 5s (the count includes the final write after the delay)
#   burst    BURST (200) different attributes set at once, a third from each node (one
#            attrd_updater process each, all started together), timed until every one is in
#            the CIB of all 3 nodes: the group messages attrd sends in a burst
# Usage (root): tests/bench/attrd.sh [N]      (N default 1000; PCMK=0 skips Pacemaker;
#   ONLY_BURST=1 runs the burst figure alone, RUNS=3 times)
set -u
N=${1:-1000}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export PL_HARNESS_NAME=plbattrd PL_HARNESS_NET=10.213.0 PL_DEMO_SKIP_BUILD=1
export PL_HARNESS_DIR=/tmp/plbattrd-h
DEMO=$SRC/scripts/demo
ANCHOR=$SRC/../shared/anchors/pcmk-cluster.sh
export PCMK_HARNESS_PREFIX=pcmkba PCMK_HARNESS_NET=10.213.1 PCMK_HARNESS_DIR=/tmp/pcmkba-h

now() { local t=$EPOCHREALTIME; echo "${t/./}"; }
version() { $X "$1" cibadmin -Q 2> /dev/null | head -1 |
	sed -n 's/.*epoch="\([0-9]*\)".*num_updates="\([0-9]*\)".*/\1 \2/p' | awk '{print $1 + $2}'; }
val() { $X "$1" cibadmin -Q -o status 2> /dev/null | grep "name=\"$2\"" | grep "status-$3-" |
	sed -n 's/.*value="\([^"]*\)".*/\1/p'; }
all_have() { for i in 1 2 3; do [ "$(val "$i" "$1" "$2")" = "$3" ] || return 1; done; }
wait_all() { local end=$((SECONDS + 120)); until all_have "$@"; do
	[ $SECONDS -lt $end ] || { echo "timeout waiting for $2=$3" >&2; return 1; }; sleep 0.05; done; }

# burst NAME : BURST attributes from the 3 nodes at once, until all are in every node's CIB
BURST=${BURST:-200}
burst_count() { $X "$1" cibadmin -Q -o status 2> /dev/null | grep -c "name=\"burst$2-"; }
burst() {
	local name=$1 run=$2 t0 t1 per=$((BURST / 3)) end
	t0=$(now)
	for i in 1 2 3; do
		$X "$i" bash -c "for k in \$(seq 1 $per); do attrd_updater -n burst$run-n$i-\$k -U \$k & done; wait" &
	done
	wait
	end=$((SECONDS + 120))
	for i in 1 2 3; do
		until [ "$(burst_count "$i" "$run")" -ge $((per * 3)) ]; do
			[ $SECONDS -lt $end ] || { echo "burst: timeout on n$i" >&2; return 1; }
			sleep 0.02
		done
	done
	t1=$(now)
	echo "$name burst: $((per * 3)) attributes from 3 nodes at once, in every CIB after $(( (t1 - t0) / 1000 )) ms"
}

# bench NAME : prints one line per figure; $X runs a command in node I; $ID1 is n1's node id
bench() {
	local name=$1 t0 t1 v0 v1
	if [ "${ONLY_BURST:-0}" = 1 ]; then
		$X 1 attrd_updater -n warm -U 1 > /dev/null 2>&1
		wait_all warm "$ID1" 1 || return 1
		for r in $(seq 1 "${RUNS:-3}"); do burst "$name" "$r" || return 1; done
		return 0
	fi
	$X 1 attrd_updater -n warm -U 1 > /dev/null 2>&1
	wait_all warm "$ID1" 1 || return 1
	t0=$(now)
	$X 1 bash -c "for i in \$(seq 1 $N); do attrd_updater -n rate -U \$i || exit 1; done"
	wait_all rate "$ID1" "$N" || return 1
	t1=$(now)
	echo "$name rate: $N updates in $(( (t1 - t0) / 1000 )) ms: $(( N * 1000000 / (t1 - t0) )) updates/s"
	t0=$(now)
	for i in 1 2 3; do
		$X "$i" bash -c "for k in \$(seq 1 $((N / 3))); do attrd_updater -n rate3 -U n$i-\$k || exit 1; done" &
	done
	wait
	for i in 1 2 3; do
		id=$(eval echo "\$ID$i")
		wait_all rate3 "$id" "n$i-$((N / 3))" || return 1
	done
	t1=$(now)
	echo "$name rate3: $((N / 3 * 3)) updates from 3 nodes in $(( (t1 - t0) / 1000 )) ms: $(( N / 3 * 3 * 1000000 / (t1 - t0) )) updates/s"
	sleep 2
	v0=$(version 1)
	$X 1 bash -c "for i in \$(seq 1 $N); do attrd_updater -n nodamp -U \$i || exit 1; done"
	wait_all nodamp "$ID1" "$N" || return 1
	sleep 1
	v1=$(version 1)
	echo "$name writes without dampening: $((v1 - v0)) CIB writes for $N updates ($(( (v1 - v0) * 1000 / N )) per 1000)"
	v0=$(version 1)
	$X 1 bash -c "for i in \$(seq 1 $N); do attrd_updater -n damp -B \$i -d 5s || exit 1; done"
	wait_all damp "$ID1" "$N" || return 1
	sleep 1
	v1=$(version 1)
	echo "$name writes with -B -d 5s: $((v1 - v0)) CIB writes for $N updates ($(( (v1 - v0) * 1000 / N )) per 1000)"
	burst "$name" 1
}

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 77; }
"$DEMO" down > /dev/null 2>&1
"$DEMO" up 3 > /dev/null || { echo "paceline cluster did not start" >&2; exit 1; }
X="$DEMO exec"
ID1=1 ID2=2 ID3=3
bench paceline
"$DEMO" down > /dev/null 2>&1

if [ "${PCMK:-1}" = 1 ] && [ -x "$ANCHOR" ]; then
	"$ANCHOR" down > /dev/null 2>&1
	"$ANCHOR" up 3 > /dev/null || { echo "pacemaker cluster did not start" >&2; exit 1; }
	X="$ANCHOR exec"
	for i in 1 2 3; do
		eval "ID$i=$($X 1 crm_node -l 2> /dev/null | awk -v n="n$i" '$2 == n {print $1}')"
	done
	bench pacemaker
	"$ANCHOR" down > /dev/null 2>&1
fi
