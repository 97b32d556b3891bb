#!/usr/bin/env bash
# Status updates on a node with a long history (not run by ctest; docs/design/cib.md "Large
# CIBs"): a standalone paceline-cib holding `pengine-gen steady NODES RESOURCES` (default 2 x
# 2000: 4.2 MB, each node_state with 2,000 resource histories); the mean time of one
# `cibadmin -M -o status` that changes an existing operation, one that adds a new operation,
# and one `cibadmin -Q -n` (what a cibadmin process costs by itself), RUNS each.
# Pacemaker is not run: its daemon would start scheduling the generated resources.
# Usage: tests/bench/cib-status-history.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build}/bin
runs=${RUNS:-10}
tmp=$(mktemp -d /tmp/pl-cib-hist.XXXXXX)
python3 "$here/tests/bench/pengine-gen" steady "${NODES:-2}" "${RESOURCES:-2000}" >"$tmp/cib.xml"
export PL_IPC_PREFIX="pl-cib-hist-$$" PL_STATE_DIR=$tmp PL_CIB_MEMBERSHIP_TIMEOUT_MS=100
"$bin/paceline-cib" -l "$tmp/cib.log" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do "$bin/cibadmin" -Q -n >/dev/null 2>&1 && break; sleep 0.05; done
"$bin/cibadmin" -t 300 -R -x "$tmp/cib.xml" || { echo "cibadmin -R failed"; exit 1; }
ms() { date +%s%3N; }
op() {	# op RESOURCE OP-ID CALL: the operation record in node 1's history
	echo "<node_state id=\"1\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"$1\"><lrm_rsc_op id=\"$2\" operation=\"monitor\" call-id=\"$3\"/></lrm_resource></lrm_resources></lrm></node_state>"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); CIB $(wc -c <"$tmp/cib.xml") bytes (pengine-gen steady ${NODES:-2} ${RESOURCES:-2000})"
t0=$(ms)
for i in $(seq 1 "$runs"); do "$bin/cibadmin" -M -o status -X "$(op rsc0001 rsc0001_monitor_10000 $((i + 10)))" || exit 1; done
t1=$(ms)
for i in $(seq 1 "$runs"); do "$bin/cibadmin" -M -o status -X "$(op rsc0002 "rsc0002_new_$i" $((i + 10)))" || exit 1; done
t2=$(ms)
for _ in $(seq 1 "$runs"); do "$bin/cibadmin" -Q -n >/dev/null || exit 1; done
t3=$(ms)
echo "status update, existing operation: $(((t1 - t0) / runs)) ms; new operation: $(((t2 - t1) / runs)) ms; cibadmin -Q -n alone: $(((t3 - t2) / runs)) ms"
