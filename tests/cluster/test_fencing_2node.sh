#!/usr/bin/env bash
# test_fencing_2node.sh - a two-node cluster (quorum two_node: 1, each stack under
# paceline-launcher) whose fence devices really cut the power: fence_paceline_dummy with
# power_dir SIGKILLs the target's launcher (and with it the whole stack). fence-n1 (which
# fences n1) has pcmk_delay_base=5s, fence-n2 none. A partition 1 | 2 makes each side's
# controller ask to fence the other; the delay means n1 shoots first: the partition ends
# with exactly one node fenced (n2) and the resource running on n1.
set -u
export PL_HARNESS_NAME=plfence2 PL_HARNESS_SIZE=${PL_HARNESS_SIZE:-800m}
SRC=${PL_TEST_SRCDIR:?}
. "$SRC/tests/cluster/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap 'harness_down > /dev/null 2>&1' EXIT
BIN=${PL_BIN:-$SRC/build/bin}
[ -x "$BIN/paceline-stonithd" ] || { echo "SKIP: paceline-stonithd not built"; exit 77; }
export PL_FENCE_AGENT_DIR=$SRC/agents
fail() { echo "FAIL: $*" >&2; for i in 1 2; do grep -hE "stonithd|fenc" "$(harness_node_dir $i)/log/launcher.out" 2>/dev/null | tail -12 >&2; done; exit 1; }
OCF=$PL_HARNESS_DIR/ocf POWER=$PL_HARNESS_DIR/power REC=$PL_HARNESS_DIR/fence-record.log
. "$SRC/tests/cluster/two_node_lib.sh"
two_node_prepare
mkdir -p "$OCF/resource.d" "$POWER"
ln -sfn "$SRC/agents" "$OCF/resource.d/paceline"
: > "$REC"; chmod 666 "$REC"
two_node_start OCF_ROOT="$OCF"
for i in 1 2; do cp "$(harness_node_dir $i)/harness/launcher.pid" "$POWER/n$i.pid"; done

dev() {  # dev ID TARGET EXTRA_NVPAIRS
	echo "<primitive id=\"$1\" class=\"stonith\" type=\"fence_paceline_dummy\"><instance_attributes id=\"$1-ia\"><nvpair id=\"$1-h\" name=\"pcmk_host_list\" value=\"$2\"/><nvpair id=\"$1-r\" name=\"record_file\" value=\"$REC\"/><nvpair id=\"$1-p\" name=\"power_dir\" value=\"$POWER\"/>$3</instance_attributes></primitive>"
}
x 1 cibadmin -C -o resources -X "$(dev fence-n1 n1 '<nvpair id="fence-n1-d" name="pcmk_delay_base" value="5s"/>')" > /dev/null || fail "fence-n1"
x 1 cibadmin -C -o resources -X "$(dev fence-n2 n2 '')" > /dev/null || fail "fence-n2"
x 1 cibadmin -C -o resources -X '<primitive id="d" class="ocf" provider="paceline" type="Dummy"/>' > /dev/null || fail "d"
where() { x "$1" cibadmin -Q 2> /dev/null | python3 "$SRC/tests/cluster/crmd_status.py" where d; }
running() { [ -n "$(where 1)" ]; }
wait_for 30 running || fail "d did not start"
hasdevs() { x "$1" stonith_admin -L 2> /dev/null | grep -q "2 fence devices found"; }
for i in 1 2; do wait_for 20 hasdevs $i || fail "n$i does not have both devices"; done
echo "ok: two nodes, d on $(where 1), fence-n1 (pcmk_delay_base=5s) and fence-n2 registered"

harness_partition "1|2"
n2_down() { ! kill -0 "$(cat "$POWER/n2.pid")" 2> /dev/null; }
wait_for 60 n2_down || fail "n2 was not fenced after the partition"
on1() { [ "$(where 1)" = n1 ]; }
wait_for 60 on1 || fail "d not on n1 after n2 was fenced (where: $(where 1))"
sleep_s=7	# beyond fence-n1's delay: n2's request to fence n1, had n2 lived, would be done
n1_up() { kill -0 "$(cat "$POWER/n1.pid")" 2> /dev/null; }
end=$(( $(date +%s) + sleep_s )); while [ "$(date +%s)" -lt "$end" ]; do n1_up || break; sleep 0.5; done
n1_up || fail "n1 was fenced too: both nodes shot each other"
[ "$(grep -cE 'action=(reboot|off) .*result=ok' "$REC")" = 1 ] &&
	grep -qE 'action=(reboot|off) port=n2 .*result=ok' "$REC" ||
	fail "not exactly one fencing (of n2) recorded: $(grep -E 'action=(reboot|off)' "$REC")"
echo "ok: partition 1|2 ended with exactly one fencing (n2, by n1); d runs on n1"
