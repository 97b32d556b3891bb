#!/bin/sh
# Compatibility: a CIB written by our cibadmin is accepted by Pacemaker's own crm_verify and
# read by its crm_mon (Debian's pacemaker-cli-utils; skipped when it is not installed).
set -u
bin=${PL_BIN:?}
export PACELINE_SCHEMA_DIR=${PL_TEST_SRCDIR:?}/schemas
pm_verify=/usr/sbin/crm_verify
pm_mon=/usr/sbin/crm_mon
[ -x "$pm_verify" ] && [ -x "$pm_mon" ] || { echo "pacemaker-cli-utils not installed: skipped"; exit 77; }
dir=$(mktemp -d /tmp/pl-cib-compat.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export CIB_file=$dir/cib.xml
set -e
"$bin/cibadmin" --empty > "$CIB_file"
"$bin/cibadmin" -C -o nodes -X '<node id="1" uname="node1"/>'
"$bin/cibadmin" -C -o nodes -X '<node id="2" uname="node2"/>'
"$bin/cibadmin" -C -o crm_config -X '<cluster_property_set id="cib-bootstrap-options"><nvpair id="opt-nq" name="no-quorum-policy" value="ignore"/></cluster_property_set>'
"$bin/cibadmin" -C -o resources -X '<primitive id="fence1" class="stonith" type="fence_dummy"><instance_attributes id="fence1-ia"><nvpair id="fence1-ia-1" name="pcmk_host_list" value="node1 node2"/></instance_attributes></primitive>'
"$bin/cibadmin" -C -o resources -X '<primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="ip-ia"><nvpair id="ip-ia-1" name="ip" value="192.168.122.10"/></instance_attributes><operations><op id="ip-mon" name="monitor" interval="10s"/></operations></primitive>'
"$bin/cibadmin" -C -o resources -X '<clone id="web-clone"><primitive id="web" class="systemd" type="nginx"/></clone>'
"$bin/cibadmin" -C -o constraints -X '<rsc_colocation id="ip-with-web" rsc="ip" with-rsc="web-clone" score="INFINITY"/>'
"$bin/cibadmin" -C -o constraints -X '<rsc_order id="web-then-ip" first="web-clone" then="ip"/>'
"$bin/cibadmin" -M -o status -X '<status><node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/><node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/></status>'
set +e
"$pm_verify" -x "$CIB_file"
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: Pacemaker's crm_verify refused our CIB (exit $rc)"; exit 1; }
"$bin/crm_verify" -x "$CIB_file" || { echo "FAIL: our crm_verify refused our CIB"; exit 1; }
"$pm_mon" -1 > "$dir/mon" 2>&1
rc=$?
cat "$dir/mon"
[ "$rc" -eq 0 ] || { echo "FAIL: Pacemaker's crm_mon -1 failed (exit $rc)"; exit 1; }
grep -q "2 nodes configured" "$dir/mon" || { echo "FAIL: crm_mon did not see both nodes"; exit 1; }
grep -q "4 resource instances configured" "$dir/mon" || { echo "FAIL: crm_mon did not see the resources"; exit 1; }
echo "Pacemaker's crm_verify and crm_mon accept our CIB"
