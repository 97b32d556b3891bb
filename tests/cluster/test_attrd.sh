#!/usr/bin/env bash
# test_attrd.sh - node attributes on three nodes, each stack under paceline-launcher
# (scripts/demo up):
#  1. a value set on n1 (attrd_updater) is seen by every node's attrd and in every CIB copy;
#     crm_attribute -l reboot does the same through attrd;
#  2. dampening: 100 updates within the delay make one CIB write (the writer's log);
#  3. the writer's attrd killed -9: another node writes, nothing is lost, the respawned attrd
#     gets every value back and a new update reaches the CIB;
#  4. a node that leaves loses its transient values (attrd and CIB); when it comes back it
#     gets every other value;
#  5. ocf:paceline:Stateful as a promotable clone is promoted by the scores it sets with
#     crm_attribute --promotion, and the scores are in the CIB;
#  6. a location rule on a node attribute (pingd style) moves a resource when the value moves;
#  7. a node's shutdown request is a node attribute like every transient one: while n3 stops
#     (a slow resource to move away), every attrd holds shutdown[n3] and the writer puts it in
#     the CIB; n3 gone, it is gone; n3 back, it is not there.
set -u
export PL_HARNESS_NAME=plattrd PL_DEMO_SKIP_BUILD=1
SRC=${PL_TEST_SRCDIR:?}
. "$SRC/tests/cluster/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap 'harness_down > /dev/null 2>&1' EXIT
DEMO=$SRC/scripts/demo
fail() { echo "FAIL: $*" >&2; for i in 1 2 3; do "$DEMO" exec "$i" paceline-launcher --status >&2; done; exit 1; }
"$DEMO" down > /dev/null 2>&1
"$DEMO" up 3 | head -1 || fail "up"
x() { "$DEMO" exec "$@" 2> /dev/null; }
q() { x "$1" attrd_updater -n "$2" -Q -N "$3" | sed -n 's/.* value="\(.*\)"$/\1/p'; }
cib_val() { x "$1" cibadmin -Q -o status | grep "name=\"$2\"" | grep "id=\"status-$3-" | sed -n 's/.*value="\([^"]*\)".*/\1/p'; }
log() { cat "$(harness_node_dir "$1")/log/launcher.out"; }
all_q() { for i in 1 2 3; do [ "$(q "$i" "$1" "$2")" = "$3" ] || return 1; done; }
all_cib() { for i in 1 2 3; do [ "$(cib_val "$i" "$1" "$2")" = "$3" ] || return 1; done; }
pid_of() { x "$1" paceline-launcher --status | awk -v c="$2" '$1 == c && $3 ~ /^[0-9]+$/ { print $3 }'; }
ready_new() { x "$1" paceline-launcher --status | awk -v c="$2" -v p="$3" '$1 == c && $2 == "ready" && $3 != p' | grep -q .; }

x 1 cibadmin -C -o crm_config -X '<cluster_property_set id="opts"><nvpair id="opts-st" name="stonith-enabled" value="false"/></cluster_property_set>' > /dev/null ||
	fail "stonith-enabled=false"

# 1. replicated to every attrd and every CIB copy
x 1 attrd_updater -n pingd -U 100 || fail "attrd_updater -U on n1"
wait_for 10 all_q pingd n1 100 || fail "pingd[n1]=100 not seen by every attrd"
wait_for 10 all_cib pingd 1 100 || fail "pingd[n1]=100 not in every CIB"
x 2 crm_attribute -N n3 -n site -v east -l reboot || fail "crm_attribute -l reboot on n2"
wait_for 10 all_q site n3 east || fail "site[n3] not seen by every attrd"
wait_for 10 all_cib site 3 east || fail "site[n3] not in every CIB"
[ "$(x 3 crm_attribute -N n3 -n site -G -l reboot -q)" = east ] || fail "crm_attribute -G -l reboot"
x 1 attrd_updater -n gone1 -U 1 && x 1 attrd_updater -n gone2 -U 2 || fail "attrd_updater -U gone1/gone2"
wait_for 10 all_cib gone2 1 2 || fail "gone2[n1] not in every CIB"
x 2 attrd_updater -n gone1 -D -N n1 && x 2 attrd_updater -n gone2 -D -N n1 || fail "attrd_updater -D"
wait_for 10 all_cib gone1 1 "" || fail "gone1[n1] deleted but still in a CIB copy"
wait_for 10 all_cib gone2 1 "" || fail "gone2[n1] deleted but still in a CIB copy"
echo "ok: values set on n1 and n2 are on every node and in every CIB copy, deletes too"

# 2. dampening: 100 updates within 3 s are one CIB write
writer=$(for i in 1 2 3; do log "$i" | grep -q "notice: now the writer" && echo "$i"; done | head -1)
x 2 bash -c 'for i in $(seq 1 100); do attrd_updater -n damp -B $i -d 3s || exit 1; done' || fail "100 updates"
wait_for 10 all_cib damp 2 100 || fail "damp[n2]=100 not in the CIB after the delay"
writes=$(log "$writer" | grep -c "first damp\[n2\]")
[ "$writes" = 1 ] || fail "100 dampened updates made $writes CIB writes (want 1)"
echo "ok: 100 updates within the 3 s dampening: 1 CIB write"

# 3. the writer's attrd killed: another node writes, nothing lost
old=$(pid_of 1 attrd)
[ -n "$old" ] || fail "no attrd on n1"
kill -KILL "$old"
x 2 attrd_updater -n after -U 1 || fail "update while n1's attrd is down"
wait_for 10 all_cib after 2 1 || fail "update made while the writer was down is not in the CIB"
wait_for 20 ready_new 1 attrd "$old" || fail "attrd not respawned on n1"
wait_for 10 all_q pingd n1 100 || fail "pingd[n1] lost after the writer's attrd was killed"
wait_for 10 all_q after n2 1 || fail "the respawned attrd does not have after[n2]"
x 1 attrd_updater -n later -U 2 || fail "update on n1 after the respawn"
wait_for 10 all_cib later 1 2 || fail "update after the respawn not in the CIB"
all_cib pingd 1 100 || fail "pingd[n1] lost from the CIB"
echo "ok: writer's attrd killed -9: another node wrote, nothing lost, the respawned attrd has every value"

# 4. a node leaving loses its transient values; coming back it gets every value
"$DEMO" kill 3 > /dev/null || fail "kill 3"
gone() { [ -z "$(q 1 site n3)" ] && [ -z "$(cib_val 1 site 3)" ] && [ -z "$(cib_val 2 site 3)" ]; }
wait_for 30 gone || fail "site[n3] survived n3's departure"
"$DEMO" start 3 > /dev/null || fail "start 3"
wait_for 30 all_q pingd n1 100 || fail "n3 back: pingd[n1] not there"
wait_for 10 all_q damp n2 100 || fail "n3 back: damp[n2] not there"
echo "ok: n3 left: its values cleared (attrd and CIB); back: it has every value"

# 5. Stateful promoted by the scores it sets through crm_attribute --promotion
x 1 cibadmin -C -o resources -X '<clone id="st-clone"><meta_attributes id="st-clone-m"><nvpair id="st-clone-p" name="promotable" value="true"/></meta_attributes><primitive id="st" class="ocf" provider="paceline" type="Stateful"><operations><op id="st-mon-p" name="monitor" interval="3s" role="Promoted"/><op id="st-mon-u" name="monitor" interval="4s" role="Unpromoted"/></operations></primitive></clone>' > /dev/null ||
	fail "creating the promotable clone"
# one instance promoted (the promote ran and succeeded), then its Promoted-role monitor (which
# answers 8, "promoted") is recorded as the success it is: crm_mon shows it Promoted, not FAILED
promoted() { cat "$(harness_node_dir 1)/log/launcher.out" "$(harness_node_dir 2)/log/launcher.out" "$(harness_node_dir 3)/log/launcher.out" | grep -qE "result of st(:[0-9]+)?_promote_0: ok"; }
wait_for 60 promoted || fail "Stateful not promoted: $(x 1 crm_mon -1 | grep -A3 st-clone)"
# the instances run under the primitive's id (as Pacemaker's): one score name, master-st, on
# every node, whatever instance numbers the scheduler gives them
scores() { [ "$(x 2 cibadmin -Q -o status | grep -c 'name="master-st"')" -ge 3 ]; }
wait_for 20 scores || fail "promotion scores (master-st) not in the CIB on every node: $(x 2 cibadmin -Q -o status | grep -o 'name="master-[^"]*"' | sort | uniq -c)"
shown_promoted() { out=$(x 1 crm_mon -1 | grep -A3 st-clone); echo "$out" | grep -q "Promoted: \[" && ! echo "$out" | grep -q FAILED; }
wait_for 20 shown_promoted || fail "Stateful's Promoted monitor not a success: $(x 1 crm_mon -1 | grep -A3 st-clone)"
echo "ok: Stateful promoted by the scores it set with crm_attribute --promotion (in the CIB), its Promoted monitor ok"
x 1 cibadmin -D -o resources -X '<clone id="st-clone"/>' > /dev/null || fail "deleting the clone"

# 6. a location rule on pingd moves a resource
x 1 cibadmin -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"/>' > /dev/null || fail "creating d"
x 1 cibadmin -C -o constraints -X '<rsc_location id="d-ping" rsc="d"><rule id="d-ping-r" score-attribute="pingd"><expression id="d-ping-e" attribute="pingd" operation="defined"/></rule></rsc_location>' > /dev/null ||
	fail "location rule"
where() { x 1 cibadmin -Q | python3 "$SRC/tests/cluster/crmd_status.py" where d; }
on() { [ "$(where)" = "$1" ]; }
x 1 attrd_updater -n pingd -N n2 -U 1000 || fail "pingd[n2]"
wait_for 30 on n2 || fail "d not on n2 with the highest pingd (where: $(where))"
x 1 attrd_updater -n pingd -N n3 -U 5000 || fail "pingd[n3]"
wait_for 30 on n3 || fail "d did not move to n3 when its pingd rose (where: $(where))"
echo "ok: a location rule on pingd moved d to n2, then to n3 when the value changed"

# 7. the shutdown request goes through attrd (as Pacemaker's controller sends it)
x 1 cibadmin -D -o constraints -X '<rsc_location id="d-ping"/>' > /dev/null || fail "deleting d-ping"
x 1 cibadmin -C -o resources -X '<primitive id="slow" class="ocf" provider="paceline" type="Dummy"><instance_attributes id="slow-i"><nvpair id="slow-s" name="op_sleep" value="4"/></instance_attributes></primitive>' > /dev/null ||
	fail "creating slow"
x 1 cibadmin -C -o constraints -X '<rsc_location id="slow-n3" rsc="slow" node="n3" score="100"/>' > /dev/null || fail "slow on n3"
slow_on() { [ "$(x 1 cibadmin -Q | python3 "$SRC/tests/cluster/crmd_status.py" where slow)" = "$1" ]; }
wait_for 60 slow_on n3 || fail "slow not started on n3"
"$DEMO" stop 3 > /dev/null 2>&1 &
stopper=$!
sd_all() { for i in 1 2; do [ -n "$(q "$i" shutdown n3)" ] || return 1; done; }
sd_cib() { [ -n "$(cib_val 1 shutdown 3)" ]; }
wait_for 20 sd_all || fail "shutdown[n3] not in every attrd while n3 stops"
wait_for 20 sd_cib || fail "shutdown[n3] not in the CIB while n3 stops"
wait "$stopper" || fail "n3 did not stop"
sd_gone() { [ -z "$(q 1 shutdown n3)" ] && [ -z "$(cib_val 1 shutdown 3)" ]; }
wait_for 20 sd_gone || fail "shutdown[n3] survived n3's departure"
"$DEMO" start 3 > /dev/null || fail "start 3 again"
wait_for 60 slow_on n3 || fail "slow did not come back to n3 (a stale shutdown request?)"
[ -z "$(q 1 shutdown n3)" ] || fail "shutdown[n3] set after n3 came back"
echo "ok: n3's shutdown request was a node attribute (every attrd, the CIB), gone with n3 and after its return"

# every CIB write of every writer succeeded (a malformed delete would be retried for ever)
for i in 1 2 3; do
	if log "$i" | grep -q 'attrd.*CIB update of batch .* failed'; then
		fail "an attrd CIB write failed on n$i: $(log "$i" | grep 'CIB update of batch' | head -3)"
	fi
done
echo "ok: every attrd CIB write succeeded"
