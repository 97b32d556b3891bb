#!/usr/bin/env bash
# test_crmd.sh - paceline-crmd on 3 nodes (harness.sh; every node runs membership, cib, lrmd,
# pengine and crmd, started by crmd_lib.sh). Through the user's door (cibadmin, crm_resource,
# crmadmin, crm_node), state read with cibadmin -Q, checked with Debian's crm_mon when present:
#  1. the cluster forms with one DC; Dummy with a 1 s monitor starts where its location
#     preference says; the status section is Pacemaker's (crm_mon -1 on a dump agrees)
#     1b. a reloadable parameter changes: reloaded in place (reload-agent), not restarted
#  2. kill -9 of crmd alone: it comes back and rebuilds its view without restarting anything
#  3. a monitor failure restarts it in place with a fail count; migration-threshold=2 moves it
#     at the second; crm_resource --cleanup clears the counts
#  4. a group of three starts in order on one node
#  5. standby on/off   6. a start slower than its timeout: timed out, recorded, INFINITY
#  7. kill -9 of the DC during a transition: a new DC finishes it, nothing runs twice
#  8. partition 1 | 2 3 with no-quorum-policy=stop, then heal
#  9. kill -9 of every process of the node running it: started on a survivor (time printed)
# 10. clean shutdown of a controller (SIGTERM): its resources move away first
# Polls with deadlines. Skips (77) without root/netns.
set -u
export PL_HARNESS_NAME=${PL_HARNESS_NAME:-plcrmd}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
export PL_TEST_SRCDIR=${PL_TEST_SRCDIR:-$here/../..}
[ -x "$PL_BIN/paceline-crmd" ] || { echo "paceline-crmd not built"; exit 77; }
. "$here/crmd_lib.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap harness_down EXIT
harness_down > /dev/null 2>&1
# each daemon's IPC rings live in the node's /dev/shm (pengine's are 3 x 16 MiB): room for 3
PL_HARNESS_SIZE=1200m harness_up 3 || exit 1

fail() {
	echo "FAIL: $*" >&2
	for i in 1 2 3; do
		echo "--- n$i crmd.log" >&2
		grep -v debug "$(harness_node_dir "$i")/log/crmd.log" 2> /dev/null | tail -n 25 >&2
	done
	exit 1
}
pass() { echo "ok: $*"; }
now() { local t=$EPOCHREALTIME; echo "${t/./}"; }

crmd_cluster_setup 3 1000
for i in 1 2 3; do crmd_node_start "$i" || fail "node $i did not start"; done

# 1. one DC, Dummy where its location says, status in Pacemaker's format
same_dc() { local d; d=$(crmd_dc 1) && [ -n "$d" ] && [ "$(crmd_dc 2)" = "$d" ] && [ "$(crmd_dc 3)" = "$d" ]; }
wait_for 30 same_dc || fail "no single DC"
dc=$(crmd_dc 1)
pass "one DC: $dc"
[ "$(harness_exec 2 "$PL_BIN/crm_node" -p)" = "n1 n2 n3" ] || fail "crm_node -p: $(harness_exec 2 "$PL_BIN/crm_node" -p)"
[ "$(harness_exec 3 "$PL_BIN/crm_node" -q)" = 1 ] || fail "crm_node -q"
harness_exec 2 "$PL_BIN/crmadmin" -S n3 | grep -q '^Status of crmd@n3: S_NOT_DC (ok)$' || [ "$dc" = n3 ] ||
	fail "crmadmin -S n3: $(harness_exec 2 "$PL_BIN/crmadmin" -S n3 2>&1)"
# the same answers as XML (crmadmin: Pacemaker 2.1.5's elements; crm_node: 2.1.6's)
x=$(harness_exec 2 "$PL_BIN/crmadmin" -D --output-as=xml)
echo "$x" | grep -q "<dc node_name=\"$dc\"/>" && echo "$x" | grep -q '<status code="0" message="OK"/>' || fail "crmadmin -D --output-as=xml: $x"
x=$(harness_exec 2 "$PL_BIN/crmadmin" -S n3 --output-as=xml)
echo "$x" | grep -qE '<crmd node_name="n3" state="S_[A-Z_]+" result="ok"/>' || fail "crmadmin -S n3 --output-as=xml: $x"
x=$(harness_exec 3 "$PL_BIN/crm_node" -l --output-as=xml)
[ "$(echo "$x" | grep -cE '<node id="[123]" name="n[123]" state="member"/>')" = 3 ] || fail "crm_node -l --output-as=xml: $x"
harness_exec 3 "$PL_BIN/crm_node" -q --output-as=xml | grep -q '<cluster-info quorum="true"/>' || fail "crm_node -q --output-as=xml"
harness_exec 3 "$PL_BIN/crm_node" -n --output-as=xml | grep -q '<node-info nodeid="3" uname="n3"/>' || fail "crm_node -n --output-as=xml"
pass "crmadmin -D/-S and crm_node -l/-q/-n with --output-as=xml"
cib 1 -M -c -o crm_config -X '<cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set>' ||
	fail "setting stonith-enabled"
cib 1 -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"><meta_attributes id="d-meta"><nvpair id="d-mt" name="migration-threshold" value="2"/></meta_attributes><operations><op id="d-mon" name="monitor" interval="1s"/></operations></primitive>' ||
	fail "creating d"
cib 1 -C -o constraints -X '<rsc_location id="loc-d" rsc="d" node="n2" score="100"/>' || fail "location"
on() { [ "$(crmd_where 1 "$1")" = "$2" ]; }
wait_for 30 on d n2 || fail "d not started on n2 (where: $(crmd_where 1 d))"
op=$(cib 1 -Q -o status | grep 'id="d_last_0"' | grep 'on_node="n2"')
for a in operation_key=\"d_start_0\" crm-debug-origin crm_feature_set transition-key transition-magic call-id rc-code=\"0\" op-status=\"0\" interval=\"0\" last-rc-change exec-time queue-time op-digest; do
	echo "$op" | grep -q "$a" || fail "d_last_0 lacks $a: $op"
done
cib 1 -Q -o status | grep -q 'id="d_monitor_1000"' || fail "no d_monitor_1000 record"
if [ -x /usr/sbin/crm_mon ]; then
	cib 1 -Q > "$PL_HARNESS_DIR/dump.xml"
	out=$(CIB_file="$PL_HARNESS_DIR/dump.xml" /usr/sbin/crm_mon -1 2>&1)
	echo "$out" | grep -q "Online: \[ n1 n2 n3 \]" || fail "Pacemaker's crm_mon: $out"
	echo "$out" | grep -qE "d[[:space:]]+\(ocf:paceline:Dummy\):[[:space:]]+Started n2" || fail "Pacemaker's crm_mon: $out"
	echo "$out" | grep -q "Current DC: $dc" || fail "Pacemaker's crm_mon: $out"
	pass "Pacemaker's crm_mon -1 on a dump: d Started n2, DC $dc, 3 online"
fi
if [ -x /usr/sbin/crm_simulate ]; then
	# the recorded digests are Pacemaker's: its scheduler sees nothing to do on the dump,
	# a reload for a reloadable parameter (op-force-restart / op-restart-digest), a restart
	# for another
	sim() { /usr/sbin/crm_simulate -x "$1" -S 2> /dev/null | sed -n '/^Transition Summary/,/^Executing/p'; }
	add_param() { sed "s#<primitive id=\"d\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">#&<instance_attributes id=\"d-ia\"><nvpair id=\"d-$1\" name=\"$1\" value=\"2\"/></instance_attributes>#" "$PL_HARNESS_DIR/dump.xml" > "$PL_HARNESS_DIR/dump-$1.xml"; }
	add_param fake
	add_param op_sleep
	out=$(sim "$PL_HARNESS_DIR/dump.xml")
	echo "$out" | grep -qE "^ +\* (Start|Stop|Restart|Reload|Move|Recover) " && fail "Pacemaker's crm_simulate on the dump schedules: $out"
	out=$(sim "$PL_HARNESS_DIR/dump-fake.xml")
	echo "$out" | grep -qE "Reload +d " || fail "Pacemaker's crm_simulate, reloadable parameter changed: $out"
	out=$(sim "$PL_HARNESS_DIR/dump-op_sleep.xml")
	echo "$out" | grep -qE "Restart +d " || fail "Pacemaker's crm_simulate, other parameter changed: $out"
	pass "Pacemaker's crm_simulate on a dump: nothing to do; reload for fake, restart for op_sleep"
fi
pass "d started on n2 with Pacemaker's lrm_rsc_op attributes"

# 1b. a parameter the agent can reload changes: d is reloaded where it runs, not restarted;
#     the reload is recorded as its start with the new digests (nothing left to do)
statefile() { find "$(harness_node_dir 2)/run" -name 'paceline-Dummy-d.state' | head -1; }
stops() { grep -c "executing d_stop_0" "$(harness_node_dir 2)/log/crmd.log"; }
nstops=$(stops)
digest() { cib 1 -Q -o status | grep 'id="d_last_0"' | grep 'on_node="n2"' | sed -n 's/.* op-digest="\([^"]*\)".*/\1/p'; }
old_digest=$(digest)
cib 1 -M -o resources -X '<primitive id="d"><instance_attributes id="d-ia"><nvpair id="d-fake" name="fake" value="reloaded"/></instance_attributes></primitive>' ||
	fail "setting d's fake"
# the reload's own record (new digest), not the first start's that is still there meanwhile
reloaded() { [ "$(cat "$(statefile)" 2> /dev/null)" = reloaded ] && cib 1 -Q -o status | grep 'id="d_last_0"' | grep 'on_node="n2"' | grep -q 'operation="start"' && [ "$(digest)" != "$old_digest" ]; }
wait_for 30 reloaded || fail "d not reloaded: state $(cat "$(statefile)" 2> /dev/null), $(cib 1 -Q -o status | grep 'id="d_last_0"')"
grep -q "initiating d_reload-agent_0 on n2" "$(harness_node_dir "${dc#n}")/log/crmd.log" || fail "the DC ran no reload-agent"
[ "$(stops)" = "$nstops" ] || fail "d was stopped (restarted) for a reloadable parameter"
on d n2 || fail "d moved after the reload: $(crmd_where 1 d)"
if [ -x /usr/sbin/crm_simulate ]; then
	cib 1 -Q > "$PL_HARNESS_DIR/dump-reloaded.xml"
	out=$(/usr/sbin/crm_simulate -x "$PL_HARNESS_DIR/dump-reloaded.xml" -S 2> /dev/null | sed -n '/^Transition Summary/,/^Executing/p')
	echo "$out" | grep -qE "^ +\* (Start|Stop|Restart|Reload|Move|Recover) " && fail "Pacemaker's crm_simulate after the reload schedules: $out"
fi
pass "reloadable parameter changed: d reloaded on n2 (reload-agent), not restarted"

# 2. kill -9 of crmd alone on n2: it rebuilds its view; d is not restarted
start_call() { cib 1 -Q -o status | grep 'id="d_last_0"' | grep 'on_node="n2"' | sed -n 's/.*call-id="\([0-9]*\)".*/\1/p'; }
call=$(start_call)
kill -9 "$(cat "$(harness_node_dir 2)/harness/crmd.pid")"
crmd_start_crmd 2 || fail "crmd of n2 did not come back"
wait_for 30 same_dc || fail "no single DC after crmd restart"
settled() { [ "$(harness_exec 1 "$PL_BIN/crmadmin" -S "$(crmd_dc 1)" -q 2> /dev/null)" = S_IDLE ]; }
wait_for 30 settled || fail "DC not idle after crmd restart"
on d n2 || fail "d moved after crmd restart: $(crmd_where 1 d)"
[ "$(start_call)" = "$call" ] || fail "d was restarted (call $call -> $(start_call))"
pass "kill -9 of crmd on n2: restarted, d left running (call-id $call)"

# 3. monitor failure: restart in place, then migration-threshold=2 moves it; cleanup
failcount() { cib 1 -Q -o status | sed -n "s/.*name=\"fail-count-d#monitor_1000\" value=\"\([0-9A-Z]*\)\".*/\1/p" | head -1; }
break_d() { rm -f "$(find "$(harness_node_dir 2)/run" -name 'paceline-Dummy-d.state' | head -1)"; }
t0=$(now)
break_d
count_is() { [ "$(failcount)" = "$1" ]; }
wait_for 25 count_is 1 || fail "no fail count after a monitor failure ($(failcount))"
wait_for 25 on d n2 || fail "d not restarted in place"
t1=$(now)
pass "monitor failure: restarted on n2, fail-count 1 ($(( (t1 - t0) / 1000 )) ms from the failure)"
wait_for 5 cib 1 -Q -o status --xpath "//lrm_rsc_op[@id='d_monitor_1000'][@rc-code='0']" > /dev/null 2>&1 || true
sleep 1.5	# the restarted monitor must have run once before the next failure
break_d
moved() { local w; w=$(crmd_where 1 d) && [ -n "$w" ] && [ "$w" != n2 ]; }
wait_for 30 moved || fail "d did not move at migration-threshold (fail-count $(failcount), on $(crmd_where 1 d))"
pass "second failure: fail-count $(failcount), d moved to $(crmd_where 1 d)"
harness_exec 1 "$PL_BIN/crm_resource" --cleanup -r d > /dev/null || fail "crm_resource --cleanup"
no_count() { [ -z "$(failcount)" ]; }
wait_for 25 no_count || fail "cleanup left fail-count $(failcount)"
wait_for 30 on d n2 || fail "d did not return to n2 after the cleanup (on $(crmd_where 1 d))"
pass "crm_resource --cleanup: fail count gone, d back on n2"

# 4. a group of three starts in order on one node
cib 1 -C -o resources -X '<group id="g"><primitive id="g1" class="ocf" provider="paceline" type="Dummy"/><primitive id="g2" class="ocf" provider="paceline" type="Dummy"/><primitive id="g3" class="ocf" provider="paceline" type="Dummy"/></group>' ||
	fail "creating the group"
gstarted() { local a b c; a=$(crmd_where 1 g1) && b=$(crmd_where 1 g2) && c=$(crmd_where 1 g3) && [ "$a" = "$b" ] && [ "$b" = "$c" ]; }
wait_for 30 gstarted || fail "group not started together"
gnode=$(crmd_where 1 g1)
gi=${gnode#n}
calls=$(for r in g1 g2 g3; do cib 1 -Q -o status | grep "id=\"${r}_last_0\"" | grep "on_node=\"$gnode\"" | sed -n 's/.*call-id="\([0-9]*\)".*/\1/p'; done | tr '\n' ' ')
read -r c1 c2 c3 <<< "$calls"
[ "$c1" -lt "$c2" ] && [ "$c2" -lt "$c3" ] || fail "group started out of order (call ids $calls)"
pass "group g1 g2 g3 started in order on $gnode (call ids $calls)"
[ "$gi" -ge 1 ] || true

# 5. standby on/off: d leaves n2, then returns (its location preference)
standby() { cib 1 -M -c -o nodes -X "<node id=\"2\" uname=\"n2\"><instance_attributes id=\"nodes-2\"><nvpair id=\"nodes-2-standby\" name=\"standby\" value=\"$1\"/></instance_attributes></node>"; }
off_n2() { local w; w=$(crmd_where 1 d) && [ -n "$w" ] && [ "$w" != n2 ]; }
standby on || fail "standby on"
wait_for 30 off_n2 || fail "d stayed on n2 in standby"
standby off || fail "standby off"
wait_for 30 on d n2 || fail "d did not return to n2 after standby off (on $(crmd_where 1 d))"
pass "standby on n2: d moved away; off: d back on n2"

# 6. a start slower than its timeout: timed out, recorded, fail count INFINITY there
cib 1 -C -o resources -X '<primitive id="slow" class="ocf" provider="paceline" type="Dummy"><instance_attributes id="slow-ia"><nvpair id="slow-sleep" name="op_sleep" value="3"/></instance_attributes><operations><op id="slow-start" name="start" interval="0" timeout="1s"/><op id="slow-stop" name="stop" interval="0" timeout="20s"/></operations></primitive>' ||
	fail "creating slow"
timed_out() { cib 1 -Q -o status 2> /dev/null | grep 'id="slow_last_failure_0"' | grep -q 'op-status="2"'; }
wait_for 30 timed_out || fail "no timed-out start recorded for slow"
inf() { cib 1 -Q -o status 2> /dev/null | grep -q 'name="fail-count-slow#start_0" value="INFINITY"'; }
wait_for 10 inf || fail "no fail-count INFINITY for slow's start"
cib 1 -M -X '<primitive id="slow"><meta_attributes id="slow-meta"><nvpair id="slow-tr" name="target-role" value="Stopped"/></meta_attributes></primitive>' || fail "stopping slow"
pass "slow start (3 s, timeout 1 s): timed out (op-status 2), fail-count INFINITY"

# 7. kill -9 of the DC during a transition: a new DC finishes it, nothing runs twice
dc=$(crmd_dc 1)
dci=${dc#n}
tgt=3; [ "$dci" = 3 ] && tgt=2
obs=$tgt
cib "$obs" -C -o resources -X '<primitive id="busy" class="ocf" provider="paceline" type="Dummy"><instance_attributes id="busy-ia"><nvpair id="busy-sleep" name="op_sleep" value="2"/></instance_attributes></primitive>' ||
	fail "creating busy"
cib "$obs" -C -o constraints -X "<rsc_location id=\"loc-busy\" rsc=\"busy\" node=\"n$tgt\" score=\"INFINITY\"/>" || fail "busy location"
starting() { grep -q 'executing busy_start_0' "$(harness_node_dir "$tgt")/log/crmd.log"; }
wait_for 30 starting || fail "busy's start was not dispatched"
harness_kill "$dci"
on_from() { [ "$(crmd_where "$1" "$2")" = "$3" ]; }
wait_for 30 on_from "$obs" busy "n$tgt" || fail "busy not started after the DC died (on $(crmd_where "$obs" busy))"
newdc() { local d; d=$(crmd_dc "$obs") && [ -n "$d" ] && [ "$d" != "$dc" ]; }
wait_for 30 newdc || fail "no new DC"
starts=$(cat "$(harness_node_dir 1)/log/crmd.log" "$(harness_node_dir 2)/log/crmd.log" "$(harness_node_dir 3)/log/crmd.log" | grep -c 'executing busy_start_0')
[ "$starts" = 1 ] || fail "busy started $starts times"
pass "kill -9 of the DC $dc during busy's start: new DC $(crmd_dc "$obs"), busy started once on n$tgt"
crmd_node_start "$dci" || fail "node $dci did not come back"
back() { harness_exec "$obs" "$PL_BIN/crm_node" -p | grep -q "n$dci"; }
wait_for 30 back || fail "n$dci did not rejoin"
wait_for 30 on d n2 || fail "d not on n2 after n$dci returned (on $(crmd_where 1 d))"
pass "n$dci rejoined; d still on n2"

# 8. partition 1 | 2 3 with no-quorum-policy=stop: the minority stops what it ran, the
#    majority runs it; heal: one DC, every resource active once
cib 2 -M -c -o crm_config -X '<cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-no-quorum-policy" name="no-quorum-policy" value="stop"/></cluster_property_set>' ||
	fail "no-quorum-policy"
cib 2 -C -o resources -X '<primitive id="m" class="ocf" provider="paceline" type="Dummy"/>' || fail "creating m"
cib 2 -C -o constraints -X '<rsc_location id="loc-m" rsc="m" node="n1" score="100"/>' || fail "m location"
wait_for 30 on m n1 || fail "m not on n1 (on $(crmd_where 2 m))"
harness_partition "1|2 3"
minority_stopped() {
	local w rc
	[ "$(harness_exec 1 "$PL_BIN/crm_node" -q 2> /dev/null)" = 0 ] || return 1
	w=$(crmd_where 1 m); rc=$?
	[ "$rc" = 1 ] && [ -z "$w" ]
}
wait_for 30 minority_stopped || fail "n1 without quorum still runs m"
wait_for 30 on_from 2 m n2 || wait_for 5 on_from 2 m n3 || fail "the majority does not run m (on $(crmd_where 2 m))"
pass "partition 1|2 3: n1 (no quorum) stopped m, the majority runs it on $(crmd_where 2 m)"
harness_heal
healed() { [ "$(harness_exec 1 "$PL_BIN/crm_node" -p 2> /dev/null)" = "n1 n2 n3" ] && same_dc; }
wait_for 60 healed || fail "no single cluster after the heal"
wait_for 60 on m n1 || fail "m not back on n1 after the heal (on $(crmd_where 1 m))"
wait_for 60 on d n2 || fail "d not on n2 after the heal (on $(crmd_where 1 d))"
pass "heal: one DC ($(crmd_dc 1)), m back on n1, d on n2, each once"

# 9. kill -9 of the node running d: started on a survivor (before the clean-shutdown step, so
#    that every remaining node has a controller: a member whose controller was stopped makes a
#    new DC wait dc-deadtime for it, a known controller issue, docs/design/crmd-daemon.md)
dnode=$(crmd_where 1 d)
di=${dnode#n}
obs=1; [ "$di" = 1 ] && obs=3
t0=$(now)
harness_kill "$di"
elsewhere() { local w; w=$(crmd_where "$obs" d) && [ -n "$w" ] && [ "$w" != "$dnode" ]; }
wait_for 30 elsewhere || fail "d not started on a survivor after kill -9 of $dnode"
t1=$(now)
echo "failover: kill -9 of $dnode -> d Started on $(crmd_where "$obs" d) in $(( (t1 - t0) / 1000 )) ms (token 1000)"
pass "failover after kill -9 of the node running d"

# 10. clean shutdown (SIGTERM) of the controller of the node now running d: d moves away
#     first, then crmd exits; started again, it joins and stays (its old shutdown request is
#     cleared, not acted on again)
snode=$(crmd_where "$obs" d)
si=${snode#n}
for o in 1 2 3; do [ "$o" != "$di" ] && [ "$o" != "$si" ] && obs2=$o; done
cpid=$(cat "$(harness_node_dir "$si")/harness/crmd.pid")
kill -TERM "$cpid"
gone() { ! kill -0 "$cpid" 2> /dev/null; }
wait_for 30 gone || fail "crmd of $snode did not exit after SIGTERM"
off_it() { local w; w=$(crmd_where "$obs2" d) && [ -n "$w" ] && [ "$w" != "$snode" ]; }
wait_for 30 off_it || fail "d not moved away from $snode by its shutdown (on $(crmd_where "$obs2" d))"
grep -q "controller stopped" "$(harness_node_dir "$si")/log/crmd.log" || fail "$snode's crmd did not stop cleanly"
pass "SIGTERM of $snode's crmd: d moved to $(crmd_where "$obs2" d) first, then crmd stopped"
crmd_start_crmd "$si" || fail "crmd of $snode did not start again"
npid=$(cat "$(harness_node_dir "$si")/harness/crmd.pid")
rejoined() {
	cib "$obs2" -Q -o status 2> /dev/null | grep "<node_state id=\"$si\"" | grep 'crmd="online"' | grep -q 'join="member"' &&
		[ "$(harness_exec "$obs2" "$PL_BIN/crmadmin" -S "$(crmd_dc "$obs2")" -q 2> /dev/null)" = S_IDLE ]
}
wait_for 30 rejoined || fail "$snode's restarted crmd did not join (or was sent away again)"
kill -0 "$npid" 2> /dev/null || fail "$snode's restarted crmd was sent away again"
[ "$(grep -c "controller stopped" "$(harness_node_dir "$si")/log/crmd.log")" = 1 ] || fail "$snode's crmd stopped again"
cib "$obs2" -Q -o status | grep -q "id=\"status-$si-shutdown\"" && fail "$snode's shutdown request is still in the CIB"
pass "crmd of $snode started again after its clean shutdown: joined, not sent away"
exit 0
