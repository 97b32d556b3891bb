#!/usr/bin/env bash
# fencing-failover.sh - node-crash failover with fencing on, Paceline against Pacemaker +
# corosync in the same run, with the same fence agent (fence-agents' fence_dummy, which both
# run unmodified) and the same resource setup: 3 nodes, token 1000 ms (TOKEN), a Dummy with a
# 1 s monitor and a location preference for n1, one fence_dummy device able to fence every
# node. Each run kills every process of n1 (kill -9) and measures until another node's view
# shows the resource Started elsewhere (which, with fencing on, needs n1's fencing first);
# n1 then boots again and the resource moves back. RUNS (5) runs each; prints every run,
# min/median/max and the ratio of the medians. PCMK=0 skips Pacemaker.
# Paceline: scripts/demo's cluster (every node's stack under paceline-launcher).
# Pacemaker: ../shared/anchors/pcmk-cluster.sh (Debian's corosync + pacemaker).
set -u
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
export PL_BIN=${PL_BIN:-$ROOT/build/bin} PL_HARNESS_NAME=plfbench PL_DEMO_SKIP_BUILD=1
export PL_POLL_INTERVAL=0.02
RUNS=${RUNS:-5}
TOKEN=${TOKEN:-1000}
ANCHOR=${ANCHOR:-$ROOT/../shared/anchors/pcmk-cluster.sh}
# an anchor cluster of our own: other engineers may run theirs with the defaults
export PCMK_HARNESS_PREFIX=${PCMK_HARNESS_PREFIX:-pcmkf} PCMK_HARNESS_DIR=${PCMK_HARNESS_DIR:-/tmp/pcmk-fencing}
export PCMK_HARNESS_LOGS=${PCMK_HARNESS_LOGS:-/tmp/pcmk-fencing-logs} PCMK_HARNESS_NET=${PCMK_HARNESS_NET:-10.200.91}
AGENT=/usr/sbin/fence_dummy
DEMO=$ROOT/scripts/demo
. "$ROOT/tests/cluster/harness.sh"
[ "$(id -u)" = 0 ] || { echo "fencing-failover: needs root" >&2; exit 1; }
[ -x "$AGENT" ] || { echo "fencing-failover: $AGENT (fence-agents) is missing" >&2; exit 1; }
unset PL_FENCE_AGENT_DIR	# agents from /usr/sbin, as installed
now() { local t=$EPOCHREALTIME; echo "${t/./}"; }
secs() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000000 }'; }
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
	m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
	printf "%.3f / %.3f / %.3f", v[1], m, v[NR] }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
	printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
DEVICE='<primitive id="fence-d" class="stonith" type="fence_dummy"><instance_attributes id="fence-d-ia"><nvpair id="fence-d-hl" name="pcmk_host_list" value="n1 n2 n3"/></instance_attributes></primitive>'

# ---- Paceline ----
harness_lock 900 || exit 1
trap '"$DEMO" down > /dev/null 2>&1' EXIT
"$DEMO" down > /dev/null 2>&1
TOKEN=$TOKEN "$DEMO" up 3 > /dev/null || { echo "paceline cluster did not start" >&2; exit 1; }
x() { "$DEMO" exec "$@"; }
where() { x "$1" cibadmin -Q 2> /dev/null | python3 "$ROOT/tests/cluster/crmd_status.py" where d; }
x 1 cibadmin -C -o resources -X "$DEVICE" > /dev/null
x 1 cibadmin -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"><meta_attributes id="d-m"><nvpair id="d-tr" name="target-role" value="Stopped"/></meta_attributes><operations><op id="d-mon" name="monitor" interval="1s"/></operations></primitive>' > /dev/null
x 1 cibadmin -C -o constraints -X '<rsc_location id="loc-d" rsc="d" node="n1" score="100"/>' > /dev/null
x 1 cibadmin -D -X '<nvpair id="d-tr"/>' > /dev/null
pl=()
for r in $(seq 1 "$RUNS"); do
	on1() { [ "$(where 2)" = n1 ]; }
	wait_for 60 on1 > /dev/null || { echo "paceline: d not on n1" >&2; exit 1; }
	sleep 1
	elsewhere() { w=$(where 2); [ "$w" = n2 ] || [ "$w" = n3 ]; }
	t0=$(now)
	harness_kill 1
	wait_for 90 elsewhere > /dev/null || { echo "paceline run $r: no failover" >&2; exit 1; }
	t1=$(now)
	fenced=$(x 2 stonith_admin --history n1 2> /dev/null | grep -c "successful")
	pl+=("$(secs $((t1 - t0)))")
	echo "paceline run $r: kill -9 n1 -> fenced ($fenced in history) -> d Started on $(where 2): ${pl[-1]} s"
	"$DEMO" start 1 > /dev/null || { echo "n1 did not come back" >&2; exit 1; }
done
echo "paceline failover with fencing, token $TOKEN ms: min/median/max $(stats "${pl[@]}") s"
"$DEMO" down > /dev/null 2>&1
trap - EXIT

# ---- Pacemaker ----
if [ "${PCMK:-1}" = 1 ] && [ -x "$ANCHOR" ]; then
	trap '"$ANCHOR" down > /dev/null 2>&1' EXIT
	"$ANCHOR" down > /dev/null 2>&1
	TOKEN=$TOKEN DC_DEADTIME=2s "$ANCHOR" up 3 > /dev/null || { echo "pacemaker cluster did not start" >&2; exit 1; }
	px() { "$ANCHOR" exec "$@"; }
	pwhere() { px "$1" crm_mon -1 --output-as=xml 2> /dev/null | python3 -c '
import sys, xml.etree.ElementTree as E
t = E.parse(sys.stdin)
print(" ".join(n.get("name") for r in t.iter("resource") if r.get("id") == "d" and r.get("role") == "Started" for n in r.iter("node")))'; }
	px 1 crm_attribute -t crm_config -n stonith-enabled -v true > /dev/null
	px 1 cibadmin -C -o resources -X "$DEVICE" > /dev/null
	px 1 cibadmin -C -o resources -X '<primitive id="d" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="d-mon" name="monitor" interval="1s"/></operations></primitive>' > /dev/null
	px 1 cibadmin -C -o constraints -X '<rsc_location id="loc-d" rsc="d" node="n1" score="100"/>' > /dev/null
	pm=()
	for r in $(seq 1 "$RUNS"); do
		pon1() { [ "$(pwhere 2)" = n1 ]; }
		wait_for 120 pon1 > /dev/null || { echo "pacemaker: d not on n1" >&2; exit 1; }
		sleep 1
		pelse() { w=$(pwhere 2); [ "$w" = n2 ] || [ "$w" = n3 ]; }
		t0=$(now)
		"$ANCHOR" kill 1 > /dev/null
		wait_for 120 pelse > /dev/null || { echo "pacemaker run $r: no failover" >&2; exit 1; }
		t1=$(now)
		pm+=("$(secs $((t1 - t0)))")
		echo "pacemaker run $r: kill -9 n1 -> d Started on $(pwhere 2): ${pm[-1]} s ($(px 2 stonith_admin --history n1 2> /dev/null | grep -c successful) fencing(s) of n1 in history)"
		"$ANCHOR" start 1 > /dev/null || { echo "pacemaker n1 did not come back" >&2; exit 1; }
	done
	echo "pacemaker failover with fencing, token $TOKEN ms: min/median/max $(stats "${pm[@]}") s"
	echo "ratio pacemaker/paceline (medians): $(awk -v a="$(median "${pm[@]}")" -v b="$(median "${pl[@]}")" 'BEGIN { printf "%.2f", a / b }')"
	"$ANCHOR" down > /dev/null 2>&1
fi
