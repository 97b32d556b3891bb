#!/usr/bin/env bash
# test_launcher.sh - three nodes, each stack under paceline-launcher (scripts/demo up), a Dummy
# resource running on n1:
#  1. kill -9 of cib, lrmd, pengine and crmd on n1 in turn: each respawned while the cluster
#     carries on (3 members throughout, a CIB change made on n2 meanwhile reaches n1's cib)
#     and the resource is never stopped (nor moved);
#  2. SIGTERM to n1's launcher: crmd first, and the resource is stopped on n1 and running
#     elsewhere before crmd exits (moved away first); then the rest in reverse order;
#  3. n1 boots again, rejoins and has the CIB; the resource stays where it went (sticky).
set -u
export PL_HARNESS_NAME=pllaunch PL_DEMO_SKIP_BUILD=1
SRC=${PL_TEST_SRCDIR:?}
. "$SRC/tests/cluster/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap 'harness_down > /dev/null 2>&1' EXIT
DEMO=$SRC/scripts/demo
fail() { echo "FAIL: $*" >&2; "$DEMO" exec 1 paceline-launcher --status >&2; exit 1; }
"$DEMO" down > /dev/null 2>&1
"$DEMO" up 3 | head -1 || fail "up"
"$DEMO" status | grep -q "^n3: paceline-launcher .*stack running" || fail "n3 not running"

st() { "$DEMO" exec "$1" paceline-launcher --status 2> /dev/null; }
pid_of() { st "$1" | awk -v c="$2" '$1 == c && $3 ~ /^[0-9]+$/ { print $3 }'; }
ready_new() { st "$1" | awk -v c="$2" -v p="$3" '$1 == c && $2 == "ready" && $3 != p' | grep -q .; }
members() { [ "$("$DEMO" exec "$1" paceline-quorumtool -l 2> /dev/null | grep -cE '^ *[0-9]+ ')" = "$2" ]; }
has_prop() { "$DEMO" exec "$1" cibadmin -Q -o crm_config 2> /dev/null | grep -q "id=\"$2\""; }
where() { "$DEMO" exec "$1" cibadmin -Q 2> /dev/null | python3 "$SRC/tests/cluster/crmd_status.py" where d; }
on() { [ "$(where "$1")" = "$2" ]; }
logs() { cat "$(harness_node_dir 1)/log/launcher.out" "$(harness_node_dir 2)/log/launcher.out" "$(harness_node_dir 3)/log/launcher.out"; }
runs() { logs | grep -c "executing d_$1_0"; }	# how often d was started / stopped anywhere

"$DEMO" exec 1 cibadmin -C -o crm_config -X '<cluster_property_set id="opts"><nvpair id="opts-st" name="stonith-enabled" value="false"/></cluster_property_set>' > /dev/null ||
	fail "stonith-enabled=false"
"$DEMO" exec 1 cibadmin -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"><meta_attributes id="d-m"><nvpair id="d-st" name="resource-stickiness" value="200"/></meta_attributes><operations><op id="d-mon" name="monitor" interval="2s"/></operations></primitive>' > /dev/null ||
	fail "creating d"
"$DEMO" exec 1 cibadmin -C -o constraints -X '<rsc_location id="d-on-n1" rsc="d" node="n1" score="100"/>' > /dev/null ||
	fail "location"
wait_for 30 on 1 n1 || fail "d not started on n1 (where: $(where 1))"
[ "$(runs start)" = 1 ] || fail "d started $(runs start) times"
echo "ok: d runs on n1"

k=0
all_ready() { ! st 1 | awk 'NR > 2 && $2 != "ready" && $2 != "skipped"' | grep -q .; }
for c in cib lrmd pengine crmd; do
	wait_for 30 all_ready || fail "n1 not all ready before killing $c"
	k=$((k + 1))
	old=$(pid_of 1 "$c")
	[ -n "$old" ] || fail "no pid for $c on n1"
	kill -KILL "$old"
	# the cluster carries on: a change on n2 while n1's daemon is down or coming back
	"$DEMO" exec 2 cibadmin -C -o crm_config -X \
		"<cluster_property_set id=\"t$k\"><nvpair id=\"t$k-a\" name=\"t$k\" value=\"1\"/></cluster_property_set>" > /dev/null ||
		fail "cibadmin -C on n2 after $c died on n1"
	wait_for 20 ready_new 1 "$c" "$old" || fail "$c not respawned on n1"
	members 1 3 && members 2 3 || fail "membership changed when $c died"
	wait_for 20 has_prop 1 "t$k-a" || fail "n1 does not see the change made on n2 while $c was down"
	wait_for 30 all_ready || fail "n1 not all ready after $c's respawn"
	# right after a respawn crmd may be re-probing d (its state briefly unknown): poll
	wait_for 20 on 2 n1 || fail "d not on n1 after $c's respawn (where: $(where 2))"
	[ "$(runs stop)" = 0 ] || fail "d stopped when $c died ($(runs stop) stops)"
	# A start of the running d after lrmd lost its history is crmd's (reported), not a restart.
	extra=$(( $(runs start) - 1 ))
	echo "ok: n1's $c killed -> respawned; 3 members; n2's change t$k seen on n1; d never stopped$([ "$extra" -gt 0 ] && echo " (note: d_start_0 ran again $extra time(s) on the running d)")"
done

"$DEMO" stop 1 || fail "stop 1"
log1=$(harness_node_dir 1)/log/launcher.out
order=$(grep -oE 'info: stopping [a-z]+ \(pid' "$log1" | awk '{print $3}' | tr '\n' ' ')
[ "$order" = "crmd pengine lrmd stonithd cib membership " ] || fail "n1 stop order: '$order'"
# on n1, d's stop result comes before crmd has exited: resources moved away first
stop_line=$(grep -n "result of d_stop_0: ok" "$log1" | head -1 | cut -d: -f1)
crmd_line=$(grep -n "info: crmd stopped" "$log1" | tail -1 | cut -d: -f1)
[ -n "$stop_line" ] && [ -n "$crmd_line" ] && [ "$stop_line" -lt "$crmd_line" ] ||
	fail "d was not stopped on n1 before crmd exited (lines $stop_line, $crmd_line)"
wait_for 30 members 2 2 || fail "n2 does not see n1 leave"
wait_for 30 on 2 n2 || on 2 n3 || fail "d not running elsewhere after n1 stopped (where: $(where 2))"
moved=$(where 2)
echo "ok: n1 stopped: crmd first with d moved to $moved before it exited, then $order"
"$DEMO" start 1 > /dev/null || fail "start 1"
wait_for 20 members 1 3 || fail "n1 did not rejoin"
wait_for 20 has_prop 1 t4-a || fail "n1's cib did not sync"
sleep_until() { on 2 "$moved"; }
wait_for 10 sleep_until || fail "d left $moved when n1 came back (sticky): $(where 2)"
echo "ok: n1 rejoined and has the CIB; d stays on $moved"
