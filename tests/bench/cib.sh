#!/bin/sh
# CIB benchmark (not run by ctest): cibadmin -M updates/s and cibadmin -Q latency on a large
# CIB_file, crm_verify over the scheduler corpus; with Debian's pacemaker-cli-utils installed,
# the same runs with Pacemaker's tools and the ratio.
# Usage: tests/bench/cib.sh [BUILD_DIR]   (RESOURCES=N sets the CIB size, default 20000)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build}/bin
export PACELINE_SCHEMA_DIR=$here/schemas
n=${RESOURCES:-20000}
updates=${UPDATES:-50}
dir=$(mktemp -d /tmp/pl-cib-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

python3 - "$n" > "$dir/big.xml" <<'PY'
import sys
n = int(sys.argv[1])
print('<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" crm_feature_set="3.16.1">')
print('<configuration><crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>')
print('<nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>')
for i in range(n):
    print(f'<primitive id="r{i}" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="r{i}-ia"><nvpair id="r{i}-ia-1" name="state" value="/run/r{i}"/></instance_attributes><operations><op id="r{i}-mon" name="monitor" interval="10s"/></operations></primitive>')
print('</resources><constraints/></configuration><status>')
for node in (1, 2):
    print(f'<node_state id="{node}" uname="n{node}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="{node}"><lrm_resources>')
    for i in range(n // 2):
        print(f'<lrm_resource id="r{i}" class="ocf" provider="heartbeat" type="Dummy"><lrm_rsc_op id="r{i}_last_0" operation="monitor" call-id="{i}" rc-code="7" op-status="0" interval="0"/></lrm_resource>')
    print('</lrm_resources></lrm></node_state>')
print('</status></cib>')
PY
size=$(du -h "$dir/big.xml" | cut -f1)

run_updates() {	# TOOL -> updates/s
	cp "$dir/big.xml" "$dir/cib.xml"
	t0=$(now)
	i=0
	while [ $i -lt "$updates" ]; do
		CIB_file=$dir/cib.xml "$1" -M -X "<nvpair id=\"r1-ia-1\" value=\"v$i\"/>" >/dev/null
		i=$((i + 1))
	done
	t1=$(now)
	echo "$updates / ($t1 - $t0)" | bc -l | xargs printf '%.1f'
}

run_query() {	# TOOL -> ms per query
	t0=$(now)
	for i in 1 2 3 4 5; do CIB_file=$dir/big.xml "$1" -Q >/dev/null; done
	t1=$(now)
	echo "($t1 - $t0) * 1000 / 5" | bc -l | xargs printf '%.0f'
}

run_verify() {	# TOOL -> seconds over the corpus
	corpus=$here/../shared/conformance/scheduler/xml
	[ -d "$corpus" ] || corpus=$here/../../shared/conformance/scheduler/xml
	[ -d "$corpus" ] || { echo "n/a"; return; }
	t0=$(now)
	for f in "$corpus"/*.xml; do "$1" -x "$f" >/dev/null 2>&1 || true; done
	t1=$(now)
	echo "$t1 - $t0" | bc -l | xargs printf '%.2f'
}

echo "CIB with $n primitives ($size)"
ours_u=$(run_updates "$bin/cibadmin"); ours_q=$(run_query "$bin/cibadmin"); ours_v=$(run_verify "$bin/crm_verify")
echo "paceline:  cibadmin -M ${ours_u}/s   cibadmin -Q ${ours_q} ms   crm_verify corpus ${ours_v} s"
if [ -x /usr/sbin/cibadmin ] && [ -x /usr/sbin/crm_verify ]; then
	pm_u=$(run_updates /usr/sbin/cibadmin); pm_q=$(run_query /usr/sbin/cibadmin); pm_v=$(run_verify /usr/sbin/crm_verify)
	echo "pacemaker: cibadmin -M ${pm_u}/s   cibadmin -Q ${pm_q} ms   crm_verify corpus ${pm_v} s"
	echo "ratio (pacemaker time / paceline time): updates $(echo "$ours_u / $pm_u" | bc -l | xargs printf '%.2f')x" \
	     "query $(echo "$pm_q / $ours_q" | bc -l | xargs printf '%.2f')x" \
	     "verify $(echo "$pm_v / $ours_v" | bc -l | xargs printf '%.2f')x"
fi
