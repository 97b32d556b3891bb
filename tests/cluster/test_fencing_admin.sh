#!/usr/bin/env bash
# test_fencing_admin.sh - what users see of the fencer, on a two-node cluster with devices
# that fence made-up nodes (n6..n9, never a member): stonith_admin's history with a request
# still running ("pending"), crm_mon's "Failed Fencing Actions", "Pending Fencing Actions"
# and "Fencing History" sections and its <fence_history> (Pacemaker 2.1.5's lines, checked
# against Debian's crm_mon on its anchor cluster), -m levels; --register-level /
# --deregister-level (a level made of a failing device then a working one: the request
# succeeds by level 2; removed, the failing device alone is tried); --validate.
set -u
export PL_HARNESS_NAME=plfadm PL_HARNESS_SIZE=${PL_HARNESS_SIZE:-800m}
SRC=${PL_TEST_SRCDIR:?}
. "$SRC/tests/cluster/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap 'harness_down > /dev/null 2>&1' EXIT
BIN=${PL_BIN:-$SRC/build/bin}
[ -x "$BIN/paceline-stonithd" ] || { echo "SKIP: paceline-stonithd not built"; exit 77; }
export PL_FENCE_AGENT_DIR=$SRC/agents
fail() { echo "FAIL: $*" >&2; for i in 1 2; do grep -hE "stonithd|fenc" "$(harness_node_dir $i)/log/launcher.out" 2>/dev/null | tail -12 >&2; done; exit 1; }
REC=$PL_HARNESS_DIR/fence-record.log STATE=$PL_HARNESS_DIR/fence-state
. "$SRC/tests/cluster/two_node_lib.sh"
two_node_prepare
: > "$REC"; chmod 666 "$REC"; mkdir -p "$STATE"; chmod 777 "$STATE"
two_node_start

dev() {  # dev ID HOSTS EXTRA_NVPAIRS
	echo "<primitive id=\"$1\" class=\"stonith\" type=\"fence_paceline_dummy\"><instance_attributes id=\"$1-ia\"><nvpair id=\"$1-h\" name=\"pcmk_host_list\" value=\"$2\"/><nvpair id=\"$1-r\" name=\"record_file\" value=\"$REC\"/><nvpair id=\"$1-s\" name=\"state_dir\" value=\"$STATE\"/>$3</instance_attributes></primitive>"
}
x 1 cibadmin -C -o resources -X "$(dev fd-ok 'n8 n9' '')" > /dev/null || fail "fd-ok"
x 1 cibadmin -C -o resources -X "$(dev fd-fail 'n7 n5' '<nvpair id="fd-fail-f" name="fail_actions" value="off reboot"/>')" > /dev/null || fail "fd-fail"
x 1 cibadmin -C -o resources -X "$(dev fd-slow 'n6' '<nvpair id="fd-slow-d" name="delay" value="60"/>')" > /dev/null || fail "fd-slow"
x 1 cibadmin -C -o resources -X "$(dev fd-n5 'n5' '')" > /dev/null || fail "fd-n5"
hasdevs() { x "$1" stonith_admin -L 2> /dev/null | grep -q "4 fence devices found"; }
for i in 1 2; do wait_for 20 hasdevs $i || fail "n$i does not have the 4 devices"; done
echo "ok: two nodes, 4 devices"

# -- history: a success, a failure, one running ------------------------------------------
x 2 stonith_admin -F n8 > /dev/null 2>&1 || fail "off n8 failed"
x 1 stonith_admin -B n7 -t 20 > /dev/null 2>&1 && fail "reboot n7 worked with a failing device"
x 2 stonith_admin -B n6 -t 120 > /dev/null 2>&1 &
slow=$!
pending() { x 1 stonith_admin -H '*' -V 2> /dev/null | grep -q '^reboot of n6 pending: client=stonith_admin\.[0-9]*, origin=n2$'; }
wait_for 20 pending || { x 1 stonith_admin -H '*' -V >&2; fail "no pending reboot of n6 in the history"; }
out=$(x 1 stonith_admin -H '*' -V)
echo "$out" | sed -n 1p | grep -q '^reboot of n6 pending' || fail "pending not listed first: $out"
echo "$out" | grep -qE "^turning off of n8 successful: delegate=n[12], client=stonith_admin\.[0-9]+, origin=n2, completed='[0-9-]+ [0-9:]+Z'$" || fail "success line: $out"
echo "$out" | grep -qE "^reboot of n7 failed.*: client=stonith_admin\.[0-9]+, origin=n1, completed='" || fail "failure line: $out"
echo "$out" | grep -q '^3 events found$' || fail "count: $out"
x 1 stonith_admin -H '*' -V --output-as=xml | grep -q '<fence_event action="reboot" target="n6" client="stonith_admin\.[0-9]*" origin="n2" status="pending" extended-status="0"/>' || fail "pending XML"
echo "ok: stonith_admin -H shows the running request as pending, first"

# -- crm_mon's sections (the same on both nodes) ----------------------------------------
mon=$(x 1 crm_mon -1)
echo "$mon" | grep -q '^Failed Fencing Actions:$' || fail "crm_mon: no failed section: $mon"
echo "$mon" | grep -qE '^  \* reboot of n7 for stonith_admin\.[0-9]+@n1 last failed at [0-9-]+ [0-9:]+Z' || fail "crm_mon: failed line: $mon"
echo "$mon" | grep -q '^Pending Fencing Actions:$' || fail "crm_mon: no pending section: $mon"
echo "$mon" | grep -qE '^  \* reboot of n6 for stonith_admin\.[0-9]+@n2 last pending$' || fail "crm_mon: pending line: $mon"
echo "$mon" | grep -q 'Fencing History' && fail "crm_mon -m1 shows the full history: $mon"
mon=$(x 2 crm_mon -1 -m3)
echo "$mon" | grep -qE '^  \* reboot of n7 for stonith_admin\.[0-9]+@n1 failed at ' || fail "crm_mon -m3: failed line: $mon"
echo "$mon" | grep -q '^Fencing History:$' || fail "crm_mon -m3: no history section: $mon"
echo "$mon" | grep -qE '^  \* reboot of n6 for stonith_admin\.[0-9]+@n2 pending$' || fail "crm_mon -m3: pending line: $mon"
echo "$mon" | grep -qE '^  \* turning off of n8 by n[12] for stonith_admin\.[0-9]+@n2 successful at ' || fail "crm_mon -m3: success line: $mon"
x 1 crm_mon -1 -m0 | grep -q Fencing && fail "crm_mon -m0 shows fencing"
x 1 crm_mon -1 -m4 > /dev/null 2>&1; [ $? = 64 ] || fail "crm_mon -m4 is not a usage error"
xml=$(x 1 crm_mon --output-as=xml)
[ "$(echo "$xml" | grep -c '<fence_event ')" = 3 ] || fail "crm_mon XML: not 3 events: $xml"
echo "$xml" | grep -qE '<fence_event action="off" target="n8" client="stonith_admin\.[0-9]+" origin="n2" status="success" delegate="n[12]" completed="' || fail "crm_mon XML success: $xml"
echo "ok: crm_mon's failed, pending and history sections and <fence_history>"
kill "$slow" 2> /dev/null; wait "$slow" 2> /dev/null

# -- topology levels by hand ------------------------------------------------------------
# n5: fd-fail (always fails) and fd-n5 can both fence it; level 1 = fd-fail, level 2 = fd-n5
x 1 stonith_admin -r n5 -i 1 -v fd-fail || fail "register level 1"
x 1 stonith_admin -r n5 -i 2 -v fd-n5 || fail "register level 2"
out=$(x 1 stonith_admin -r n5 -i 10 -v fd-n5 2>&1); rc=$?
[ $rc = 70 ] && [ "$out" = "Can't register topology level 10 for n5: Invalid argument" ] || fail "level 10: rc=$rc $out"
: > "$REC"
x 1 stonith_admin -B n5 -t 30 > /dev/null 2>&1 || fail "reboot of n5 by level 2 failed"
x 1 stonith_admin -H n5 | grep -qE '^reboot of n5 successful' || fail "n5 not fenced"
x 1 stonith_admin -d n5 -i 2 || fail "deregister level 2"
x 1 stonith_admin -B n5 -t 30 > /dev/null 2>&1 && fail "reboot of n5 worked with level 1 (a failing device) alone"
x 1 stonith_admin -d n5 || fail "deregister every level"
x 1 stonith_admin -H n5 -V | grep -q '^reboot of n5 failed.* (a later attempt' && fail "a later success attributed to an earlier one"
echo "ok: --register-level / --deregister-level change the topology used by this node's requests"

# -- validate (no fencer needed) --------------------------------------------------------
x 1 stonith_admin -K -a fence_paceline_dummy -o hosts=a | grep -q '^Validation of fence_paceline_dummy succeeded$' || fail "validate"
x 1 stonith_admin -K -a fence_nosuch > /dev/null 2>&1; [ $? = 105 ] || fail "validate of a missing agent"
x 1 stonith_admin -K -a fence_paceline_dummy -e NOPE > /dev/null 2>&1; [ $? = 64 ] || fail "-e without OCF_RESKEY_NOPE"
echo "ok: --validate, --env-option"
# -- unfencing: a device that provides it makes the DC unfence each node once -------------
: > "$REC"
x 1 cibadmin -C -o resources -X "$(dev fd-fabric 'n1 n2' '' | sed 's|</primitive>|<meta_attributes id="fd-fabric-m"><nvpair id="fd-fabric-p" name="provides" value="unfencing"/></meta_attributes></primitive>|')" > /dev/null || fail "fd-fabric"
unfenced() { grep -q "action=on port=n1 .*result=ok\|action=on port=n1 " "$REC" && grep -q "action=on port=n2 " "$REC" &&
	[ "$(x 1 cibadmin -Q -o status 2> /dev/null | grep -c 'name="#node-unfenced"')" = 2 ]; }
wait_for 40 unfenced || { cat "$REC" >&2; x 1 cibadmin -Q -o status | grep -i unfenced >&2; fail "the nodes were not unfenced (or #node-unfenced not recorded)"; }
x 1 stonith_admin -H n1 | grep -q '^unfencing of n1 successful: delegate=n1, client=crmd' || fail "n1's unfencing not run by n1 itself: $(x 1 stonith_admin -H n1)"
ons=$(grep -c "action=on " "$REC")
x 1 cibadmin -C -o resources -X "$(dev fd-more 'n9' '')" > /dev/null || fail "fd-more"
# the transition for the change has run once fd-more is started (after its own probes)
started() { x 1 crm_mon -1 2> /dev/null | grep -q 'fd-more.*Started'; }
wait_for 30 started || fail "fd-more did not start"
[ "$(grep -c "action=on " "$REC")" = "$ons" ] || fail "unfenced again after a configuration change: $(cat "$REC")"
echo "ok: unfencing: each node unfenced once (by itself), #node-unfenced recorded"
echo "PASS"
