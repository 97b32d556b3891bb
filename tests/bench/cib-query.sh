#!/usr/bin/env bash
# paceline-cib benchmark (not run by ctest): `cibadmin -Q` latency on a CIB over 10 MB
# (pengine-gen steady 16 1000: 10.4 MB, 16 nodes x 1000 resources with history) through the
# daemon (the answer, 9.7 MB unindented, crosses in lib/ipc frames of 63 KiB), and for
# reference Paceline's and Pacemaker's `cibadmin -Q` with CIB_file= on the same document.
# Prints the median of RUNS runs (default 15) of each, and the ratio daemon : Pacemaker.
# Usage: tests/bench/cib-query.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
PL_BIN=${1:-$here/build}/bin
runs=${RUNS:-15}
ns() { date +%s%N; }
median_ms() {	# median_ms CMD...: median wall time of RUNS runs of CMD, in ms
	local i t0 t1
	for i in $(seq 1 "$runs"); do
		t0=$(ns)
		"$@" >/dev/null || { echo "FAILED: $*" >&2; echo 0; return 1; }
		t1=$(ns)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'
}

dir=$(mktemp -d /tmp/pl-cibq-bench.XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && { kill "$pid"; wait "$pid"; }
	rm -rf "$dir"
}
trap cleanup EXIT
python3 "$here/tests/bench/pengine-gen" steady 16 1000 >"$dir/gen.xml"
python3 - "$dir" <<'PY'
import sys, xml.etree.ElementTree as ET
d = sys.argv[1]
root = ET.parse(d + "/gen.xml").getroot()
for sec in ("crm_config", "nodes", "resources"):
    ET.ElementTree(root.find("configuration/" + sec)).write(d + "/sec-" + sec + ".xml")
for i, ns in enumerate(root.find("status")):
    ET.ElementTree(ns).write(d + "/ns-%02d.xml" % i)
PY

export PL_IPC_PREFIX="pl-cibq-bench-$$" PL_STATE_DIR=$dir/state PL_CIB_MEMBERSHIP_TIMEOUT_MS=100
"$PL_BIN/paceline-cib" -l "$dir/cib.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1 && break; sleep 0.05; done
# load the document section by section, node_state by node_state (as when the figures in
# cib.md were first taken; one cibadmin -R of the whole document works as well now)
for sec in crm_config nodes resources; do
	"$PL_BIN/cibadmin" -R -o "$sec" -x "$dir/sec-$sec.xml" || exit 1
done
for f in "$dir"/ns-*.xml; do "$PL_BIN/cibadmin" -C -o status -x "$f" || exit 1; done
"$PL_BIN/cibadmin" -Q >"$dir/daemon.xml" || exit 1
echo "CIB: $(wc -c <"$dir/gen.xml") bytes generated, $(wc -c <"$dir/daemon.xml") bytes as cibadmin -Q prints it; median of $runs runs"

d=$(median_ms "$PL_BIN/cibadmin" -Q)
echo "paceline cibadmin -Q through paceline-cib:   $d ms"
f=$(CIB_file="$dir/daemon.xml" median_ms "$PL_BIN/cibadmin" -Q)
echo "paceline cibadmin -Q with CIB_file:          $f ms"
if [ -x /usr/sbin/cibadmin ]; then
	p=$(CIB_file="$dir/daemon.xml" median_ms /usr/sbin/cibadmin -Q)
	echo "pacemaker cibadmin -Q with CIB_file:         $p ms"
	echo "ratio daemon : pacemaker CIB_file = 1 : $(echo "scale=2; $p / $d" | bc)" \
		"(CIB_file 1 : $(echo "scale=2; $p / $f" | bc))"
	ds=$(median_ms "$PL_BIN/cibadmin" -Q -o status)
	ps=$(CIB_file="$dir/daemon.xml" median_ms /usr/sbin/cibadmin -Q -o status)
	echo "-Q -o status: paceline daemon $ds ms, pacemaker CIB_file $ps ms," \
		"ratio 1 : $(echo "scale=2; $ps / $ds" | bc)"
else
	echo "pacemaker cibadmin: not installed (pacemaker-cli-utils), no reference"
fi
