#!/usr/bin/env bash
# test_fencing.sh - three nodes, each stack under paceline-launcher (scripts/demo up), fencing
# on with fence_paceline_dummy (one device for every node, recording each request):
#  1. kill -9 of every process of the node running a Dummy resource: the node is fenced (the
#     agent's record) before the resource starts elsewhere, the DC records it down, every
#     node's fencer has it in its history (stonith_admin --history), and the failover time
#     with fencing is printed;
#  2. the fenced node boots again and rejoins cleanly (3 members, its controller online) and
#     learns the history of its own fencing from the others.
#  3. topology: n2's level 1 (a device that fails) fails, level 2 succeeds
#     (stonith_admin --reboot n2 exits 0; the record shows the failure, then the success);
#  4. the seed tutorials' `primitive st-null stonith:null params hostlist=...` + clone:
#     cluster-glue's null plugin is registered on every node and fences n3 through
#     `stonith` (skipped when cluster-glue is not installed);
#  5. fencing that fails blocks recovery: n3 (running d) is killed while every device fails;
#     d stays down and the controller retries; once the device works again the retry fences
#     n3 and d starts elsewhere;
#  6. a stop failure (Dummy's fail_stop) fences the node, then d recovers elsewhere.
set -u
export PL_HARNESS_NAME=plfence PL_DEMO_SKIP_BUILD=1
SRC=${PL_TEST_SRCDIR:?}
. "$SRC/tests/cluster/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap 'harness_down > /dev/null 2>&1' EXIT
DEMO=$SRC/scripts/demo
BIN=${PL_BIN:-$SRC/build/bin}
[ -x "$BIN/paceline-stonithd" ] || { echo "SKIP: paceline-stonithd not built"; exit 77; }
export PL_FENCE_AGENT_DIR=$SRC/agents
# fail: what went wrong, then what a reader needs to find why: each node's view (DC, where d
# runs per its CIB, members), the DC's controller and scheduler lines, every fencer's last lines.
fail() {
	local i dc log
	echo "FAIL: $*" >&2
	for i in 1 2 3; do
		echo "n$i: dc=$(x $i crmadmin -D -q 2> /dev/null) d on: $(where $i | tr '\n' ' ')members: $(x $i paceline-quorumtool -l 2> /dev/null | grep -cE '^ *[0-9]+ ')" >&2
	done
	for i in 1 2 3; do
		log=$(harness_node_dir $i)/log/launcher.out
		dc=$(x $i crmadmin -D -q 2> /dev/null)
		if [ "$dc" = "n$i" ]; then
			echo "--- n$i (DC): crmd and pengine, last 60 lines" >&2
			grep -hE "crmd|pengine" "$log" 2> /dev/null | tail -60 >&2
		fi
		echo "--- n$i: fencing, last 15 lines" >&2
		grep -hE "stonithd|fenc" "$log" 2> /dev/null | tail -15 >&2
	done
	exit 1
}
now_ms() { local t=$EPOCHREALTIME; t=${t/./}; echo $((t / 1000)); }
"$DEMO" down > /dev/null 2>&1
"$DEMO" up 3 | head -1 || fail "up"
REC=$PL_HARNESS_DIR/fence-record.log
: > "$REC"
chmod 666 "$REC"

x() { "$DEMO" exec "$@"; }
where() { x "$1" cibadmin -Q 2> /dev/null | python3 "$SRC/tests/cluster/crmd_status.py" where d; }
on() { [ "$(where "$1")" = "$2" ]; }
members() { [ "$(x "$1" paceline-quorumtool -l 2> /dev/null | grep -cE '^ *[0-9]+ ')" = "$2" ]; }
stack_up() { x "$1" paceline-launcher --status > /dev/null 2>&1; }

x 1 cibadmin -C -o resources -X "<primitive id=\"fence-dummy\" class=\"stonith\" type=\"fence_paceline_dummy\"><instance_attributes id=\"fd-ia\"><nvpair id=\"fd-hosts\" name=\"pcmk_host_list\" value=\"n1 n2 n3\"/><nvpair id=\"fd-rec\" name=\"record_file\" value=\"$REC\"/><nvpair id=\"fd-state\" name=\"state_dir\" value=\"$PL_HARNESS_DIR/fence-state\"/></instance_attributes></primitive>" > /dev/null ||
	fail "creating the fence device"
x 1 cibadmin -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"><meta_attributes id="d-m"><nvpair id="d-st" name="resource-stickiness" value="200"/><nvpair id="d-tr" name="target-role" value="Stopped"/></meta_attributes><operations><op id="d-mon" name="monitor" interval="2s"/></operations></primitive>' > /dev/null ||
	fail "creating d"
x 1 cibadmin -C -o constraints -X '<rsc_location id="d-on-n1" rsc="d" node="n1" score="100"/>' > /dev/null ||
	fail "location"
x 1 cibadmin -D -X '<nvpair id="d-tr"/>' > /dev/null || fail "starting d"
wait_for 30 on 2 n1 || fail "d not started on n1 (where: $(where 2))"
devs() { x "$1" stonith_admin --list-registered 2> /dev/null | grep -q fence-dummy; }
for i in 1 2 3; do wait_for 20 devs $i || fail "n$i's fencer does not have fence-dummy"; done
echo "ok: d runs on n1; every fencer registered fence-dummy"

# 1. crash n1
t0=$(now_ms)
harness_kill 1
elsewhere() { w=$(where 2); [ "$w" = n2 ] || [ "$w" = n3 ]; }
wait_for 90 elsewhere || fail "d not recovered after n1 was killed (where: $(where 2))"
t1=$(now_ms)
grep -q "action=reboot port=n1 .*result=ok" "$REC" || fail "n1 was not fenced: $(cat "$REC")"
fenced_s=$(awk '/action=reboot port=n1 .*result=ok/ { print $1; exit }' "$REC")
# the start of d elsewhere came after the fencing: the DC's log orders them
started_line=$(grep -n "initiating d_start_0" "$(harness_node_dir 2)/log/launcher.out" "$(harness_node_dir 3)/log/launcher.out" | tail -1)
fence_ok=$(grep -h "reboot of n1 .*: OK" "$(harness_node_dir 2)/log/launcher.out" "$(harness_node_dir 3)/log/launcher.out" | head -1)
[ -n "$fence_ok" ] || fail "no fencer logged the successful reboot of n1"
for i in 2 3; do
	dcl=$(harness_node_dir $i)/log/launcher.out
	fl=$(grep -n "reboot of n1 .*: OK" "$dcl" | head -1 | cut -d: -f1)
	sl=$(grep -n "initiating d_start_0" "$dcl" | tail -1 | cut -d: -f1)
	if [ -n "$sl" ] && [ -n "$fl" ] && [ "$sl" -lt "$fl" ]; then fail "n$i started d before n1's fencing was confirmed"; fi
done
down1() { x 2 cibadmin -Q -o status 2> /dev/null | grep -E 'node_state[^>]*uname="n1"' | grep -q 'crmd="offline"'; }
wait_for 10 down1 || fail "the DC did not record n1 down"
for i in 2 3; do
	x $i stonith_admin --history n1 2> /dev/null | grep -q "reboot of n1 successful" ||
		fail "n$i's history lacks n1's fencing: $(x $i stonith_admin --history n1 2>&1)"
done
echo "ok: n1 killed -> fenced (fence_paceline_dummy recorded reboot of n1) -> d on $(where 2); history on n2 and n3"
echo "failover with fencing: $((t1 - t0)) ms (kill -9 of n1 to d recorded started elsewhere)"

# 2. n1 comes back
"$DEMO" start 1 > /dev/null 2>&1
wait_for 30 stack_up 1 || fail "n1 did not boot again"
wait_for 30 members 1 3 || fail "n1 did not rejoin"
online1() { x 2 cibadmin -Q -o status 2> /dev/null | grep -E 'node_state[^>]*uname="n1"' | grep -q 'crmd="online"'; }
wait_for 60 online1 || fail "n1's controller is not online after it came back"
hist1() { x 1 stonith_admin --history n1 2> /dev/null | grep -q "reboot of n1 successful"; }
wait_for 20 hist1 || fail "n1 did not learn its own fencing from the others' history"
echo "ok: n1 rejoined cleanly and has the history of its fencing"

# A node fenced while it runs (the dummy agent powers nothing off) stops its own stack when
# its fencer learns of it (fence-reaction=stop); boot it again as a real reboot would.
stopped() { [ -z "$(harness_pids "$1")" ]; }
reboot_node() {
	wait_for 60 stopped "$1" || fail "fenced n$1 did not stop its stack"
	# scripts/demo start may give up while the launcher is still coming up: judge by --status
	"$DEMO" start "$1" > /dev/null 2>&1
	wait_for 30 stack_up "$1" || fail "n$1 did not boot again"
	wait_for 30 members 1 3 || fail "n$1 did not rejoin"
}

# 3. topology: level 1 fails, level 2 succeeds
x 1 cibadmin -C -o resources -X "<primitive id=\"fence-bad\" class=\"stonith\" type=\"fence_paceline_dummy\"><instance_attributes id=\"fb-ia\"><nvpair id=\"fb-hosts\" name=\"pcmk_host_list\" value=\"n1 n2 n3\"/><nvpair id=\"fb-rec\" name=\"record_file\" value=\"$REC\"/><nvpair id=\"fb-fail\" name=\"fail_actions\" value=\"reboot off\"/><nvpair id=\"fb-retries\" name=\"pcmk_reboot_retries\" value=\"0\"/></instance_attributes></primitive>" > /dev/null ||
	fail "creating fence-bad"
x 1 cibadmin -C -o configuration -X '<fencing-topology><fencing-level id="fl-n2-1" target="n2" index="1" devices="fence-bad"/><fencing-level id="fl-n2-2" target="n2" index="2" devices="fence-dummy"/></fencing-topology>' > /dev/null ||
	fail "creating the topology"
hasbad() { x "$1" stonith_admin --list n2 2> /dev/null | grep -q fence-bad; }
for i in 1 2 3; do wait_for 20 hasbad $i || fail "n$i's fencer does not have fence-bad"; done
: > "$REC"
x 1 stonith_admin --reboot n2 --timeout 60 || fail "stonith_admin --reboot n2 failed"
grep -q "action=reboot port=n2 .*result=failed" "$REC" || fail "level 1 (fence-bad) was not tried: $(cat "$REC")"
[ "$(grep -c "action=reboot port=n2 .*result=ok" "$REC")" = 1 ] || fail "level 2 did not fence n2 once: $(cat "$REC")"
first_fail=$(grep -n "port=n2 .*result=failed" "$REC" | head -1 | cut -d: -f1)
ok_line=$(grep -n "port=n2 .*result=ok" "$REC" | head -1 | cut -d: -f1)
[ "$first_fail" -lt "$ok_line" ] || fail "level 2 ran before level 1"
x 3 stonith_admin --history n2 --verbose | grep -q "reboot of n2 successful: delegate=n[13], client=stonith_admin" ||
	fail "n3's history lacks n2's fencing: $(x 3 stonith_admin --history n2 --verbose 2>&1)"
reboot_node 2
# Pacemaker 2.1.5's text and XML (recorded from Debian's stonith_admin on the anchor cluster)
h=$(x 3 stonith_admin --history n2)
echo "$h" | grep -qE "^reboot of n2 successful: delegate=n[13], client=stonith_admin\.[0-9]+, origin=n1, last-successful='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}(Z| [+-][0-9]{2}:[0-9]{2})'$" &&
	[ "$(echo "$h" | tail -1)" = "1 event found" ] || fail "history text is not Pacemaker's: $h"
x 3 stonith_admin --history n2 --output-as=xml | grep -qE '<list name="fencing history" count="1">' ||
	fail "history XML is not Pacemaker's: $(x 3 stonith_admin --history n2 --output-as=xml)"
[ "$(x 3 stonith_admin --list n2 | tail -1)" = "2 fence devices found" ] || fail "stonith_admin --list n2: $(x 3 stonith_admin --list n2)"
x 3 stonith_admin -L --output-as=xml | grep -q '<item name="device">fence-bad</item>' || fail "-L XML"
x 3 stonith_admin --reboot nosuchnode --timeout 10 2> "$PL_HARNESS_DIR/err"; rc=$?
[ "$rc" = 105 ] && grep -q "^stonith_admin: Couldn't fence nosuchnode: No such device$" "$PL_HARNESS_DIR/err" ||
	fail "fencing a node no device can fence: rc $rc, $(cat "$PL_HARNESS_DIR/err")"
echo "ok: topology: level 1 (fence-bad) failed, level 2 (fence-dummy) fenced n2; n2 stopped its stack (fence-reaction) and came back"
x 1 cibadmin -D -o configuration -X '<fencing-topology/>' > /dev/null || fail "removing the topology"

# 4. stonith:null clone, as the seed tutorials configure it
if [ -x /usr/sbin/stonith ]; then
	x 1 cibadmin -C -o resources -X '<clone id="fencing"><primitive id="st-null" class="stonith" type="null"><instance_attributes id="sn-ia"><nvpair id="sn-hl" name="hostlist" value="n1 n2 n3"/></instance_attributes></primitive></clone>' > /dev/null ||
		fail "creating the st-null clone"
	hasnull() { x "$1" stonith_admin --list n3 2> /dev/null | grep -q st-null; }
	for i in 1 2 3; do wait_for 20 hasnull $i || fail "n$i's fencer does not have st-null"; done
	x 1 cibadmin -C -o configuration -X '<fencing-topology><fencing-level id="fl-n3-1" target="n3" index="1" devices="st-null"/></fencing-topology>' > /dev/null ||
		fail "st-null topology"
	wait_for 20 hasnull 2
	x 2 stonith_admin --reboot n3 --timeout 60 || fail "st-null did not fence n3"
	x 2 stonith_admin --history n3 --verbose --output-as=xml | grep -q 'status="success"' || fail "no success in n3's history"
	x 2 stonith_admin --list-targets st-null | grep -q "^n3$" || fail "st-null does not list n3: $(x 2 stonith_admin --list-targets st-null 2>&1)"
	x 1 cibadmin -D -o configuration -X '<fencing-topology/>' > /dev/null
	reboot_node 3
	echo "ok: stonith:null clone (cluster-glue) registered everywhere, fenced n3, lists its hosts"
else
	echo "skip: cluster-glue (stonith) not installed: no stonith:null step"
fi

# 5. failing fencing blocks recovery, then a retry succeeds
x 1 cibadmin -C -o constraints -X '<rsc_location id="d-on-n3" rsc="d" node="n3" score="1000"/>' > /dev/null || fail "d to n3"
wait_for 30 on 2 n3 || fail "d did not move to n3 (where: $(where 2))"
x 1 cibadmin -M -o resources -X '<primitive id="fence-dummy"><instance_attributes id="fd-ia"><nvpair id="fd-fail" name="fail_actions" value="reboot off"/></instance_attributes></primitive>' > /dev/null ||
	fail "breaking fence-dummy"
x 1 cibadmin -D -o resources -X '<clone id="fencing"/>' > /dev/null 2>&1
: > "$REC"
harness_kill 3
# each attempt: fence-bad fails once, fence-dummy three times (pcmk_reboot_retries 2)
failed_twice() { [ "$(grep -c "port=n3 .*result=failed" "$REC")" -ge 8 ]; }
wait_for 60 failed_twice || fail "fencing n3 was not retried after failing: $(cat "$REC")"
where_now=$(where 2)
[ "$where_now" = n3 ] || [ -z "$where_now" ] || fail "d recovered on $where_now although n3 was not fenced"
x 1 cibadmin -M -o resources -X '<primitive id="fence-dummy"><instance_attributes id="fd-ia"><nvpair id="fd-fail" name="fail_actions" value=""/></instance_attributes></primitive>' > /dev/null ||
	fail "repairing fence-dummy"
recovered() { w=$(where 2); [ "$w" = n1 ] || [ "$w" = n2 ]; }
wait_for 90 recovered || fail "d not recovered once fencing worked (where: $(where 2)): $(tail -5 "$REC")"
grep -q "action=reboot port=n3 .*result=ok" "$REC" || fail "n3 not fenced before d moved"
echo "ok: while fencing n3 failed ($(grep -c "port=n3 .*result=failed" "$REC") failed attempts) d stayed down; the retry after the repair fenced n3 and d runs on $(where 2)"
"$DEMO" start 3 > /dev/null 2>&1
wait_for 30 stack_up 3 || fail "n3 did not boot again"
wait_for 30 members 1 3 || fail "n3 did not rejoin"

# 6. a stop failure fences the node, then recovery: from a settled cluster (n3's controller
# joined, the DC idle, d on one node), wherever d went as n3 came back (its preference for n3
# may move it there before the constraint goes; a pending n3 once stopped it outright)
online3() { x 2 cibadmin -Q -o status 2> /dev/null | grep -E 'node_state[^>]*uname="n3"' | grep -q 'crmd="online"'; }
wait_for 60 online3 || fail "n3's controller is not online after it came back"
x 1 cibadmin -D -o constraints -X '<rsc_location id="d-on-n3"/>' > /dev/null || fail "removing d-on-n3"
dc_idle() { [ "$(x 1 crmadmin -S "$(x 1 crmadmin -D -q 2> /dev/null)" -q 2> /dev/null)" = S_IDLE ]; }
settled() { local w; w=$(where 2) && dc_idle && [ "$(where 2)" = "$w" ]; }
wait_for 30 settled || fail "d is not settled on one node before the stop-failure step"
src=$(where 2)
: > "$REC"
x 1 cibadmin -M -o resources -X '<primitive id="d"><instance_attributes id="d-ia"><nvpair id="d-fs" name="fail_stop" value="1"/></instance_attributes></primitive>' > /dev/null ||
	fail "fail_stop"
# a move makes the controller stop d where it runs: the stop fails, the node is fenced
x 1 cibadmin -C -o constraints -X "<rsc_location id=\"d-away\" rsc=\"d\" node=\"$src\" score=\"-INFINITY\"/>" > /dev/null || fail "ban"
fenced_src() { grep -q "action=reboot port=$src .*result=ok" "$REC"; }
wait_for 60 fenced_src || fail "the failed stop of d on $src did not fence $src: $(cat "$REC")"
live=1; [ "$src" = n1 ] && live=2
moved() { w=$(where $live); [ -n "$w" ] && [ "$w" != "$src" ]; }
wait_for 60 moved || fail "d not recovered after $src was fenced (where: $(where $live))"
echo "ok: d's stop failed on $src: $src fenced, d recovered on $(where $live)"
