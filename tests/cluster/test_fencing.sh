#!/usr/bin/env bash
# test_fencing.sh - three nodes, each stack under paceline-launcher (scripts/demo up), fencing
# on with fence_paceline_dummy (one device for every node, recording each request):
#  1. kill -9 of every process of the node running a Dummy resource: the node is fenced (the
#     agent's record) before the resource starts elsewhere, the DC records it down, every
#     node's fencer has it in its history (stonith_admin --history), and the failover time
#     with fencing is printed;
#  2. the fenced node boots again and rejoins cleanly (3 members, its controller online) and
#     learns the history of its own fencing from the others.
# PL_FENCING_LONG=1 adds the long variants (see tests/cluster/README.md).
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
fail() { echo "FAIL: $*" >&2; for i in 1 2 3; do grep -hE "stonithd|fenc" "$(harness_node_dir $i)/log/launcher.out" 2>/dev/null | tail -15 >&2; done; exit 1; }
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
"$DEMO" start 1 > /dev/null || fail "start 1"
wait_for 30 members 1 3 || fail "n1 did not rejoin"
online1() { x 2 cibadmin -Q -o status 2> /dev/null | grep -E 'node_state[^>]*uname="n1"' | grep -q 'crmd="online"'; }
wait_for 60 online1 || fail "n1's controller is not online after it came back"
hist1() { x 1 stonith_admin --history n1 2> /dev/null | grep -q "reboot of n1 successful"; }
wait_for 20 hist1 || fail "n1 did not learn its own fencing from the others' history"
echo "ok: n1 rejoined cleanly and has the history of its fencing"
