#!/usr/bin/env bash
# test_cib.sh - paceline-cib replicated over paceline-membership on 3 nodes (harness.sh):
# a change made on node 1 is visible on node 3 (and notified to a subscriber there); a node down during changes catches up when it
# returns (its paceline-cib started before paceline-membership: standalone, then it joins); a partition where both sides change heals to the newest version (every node ends
# with the same version and content); a 1.8 MB update crosses in pieces; kill -9 of paceline-cib during a stream of updates
# loses no acknowledged update; a replica whose in-memory copy diverged (made with gdb) is found
# by the periodic digest check and re-synced. Polls with deadlines. Skips (77) without root/netns.
set -u
export PL_HARNESS_NAME=${PL_HARNESS_NAME:-plcib}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
[ -x "$PL_BIN/paceline-cib" ] && [ -x "$PL_BIN/paceline-membership" ] || { echo "not built"; exit 77; }
harness_require_root_netns
harness_lock 600 || exit 1
trap harness_down EXIT
harness_down >/dev/null 2>&1
harness_up 3 || exit 1
export PL_CIB_DIGEST_MS=2000

fail() {
	echo "FAIL: $*" >&2
	for i in 1 2 3; do echo "--- n$i cib.log" >&2; tail -n 15 "$(harness_node_dir "$i")/log/cib.log" >&2; done
	exit 1
}

"$PL_BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" >/dev/null
for i in 1 2 3; do
	d=$(harness_node_dir "$i")/etc
	{ printf 'totem {\n\tcluster_name: cibtest\n\ttoken: 1000\n}\n'; harness_nodelist 3; } >"$d/paceline.conf"
	install -m 0400 "$PL_HARNESS_DIR/authkey" "$d/authkey"
done
start_memb() { harness_start "$1" "$PL_BIN/paceline-membership" -F >/dev/null; }
start_cib() {	# start_cib I: prints the daemon's pid
	harness_start "$1" --name cib "$PL_BIN/paceline-cib" -V -l "$(harness_node_dir "$1")/log/cib.log"
}
members() { [ "$(harness_exec "$1" "$PL_BIN/paceline-quorumtool" -l 2>/dev/null | grep -cE '^ *[0-9]+ ')" = "$2" ]; }
cib() { local i=$1; shift; harness_exec "$i" "$PL_BIN/cibadmin" "$@"; }
serving() { cib "$1" -Q -o status >/dev/null 2>&1; }
has() { cib "$1" -Q -o resources 2>/dev/null | grep -q "id=\"$2\""; }
lacks() { cib "$1" -Q -o resources >/dev/null 2>&1 && ! has "$1" "$2"; }
version() { cib "$1" -Q -n 2>/dev/null | sed -n 's/.*epoch="\([0-9]*\)".*num_updates="\([0-9]*\)".*admin_epoch="\([0-9]*\)".*/\3.\1.\2/p'; }
config() { cib "$1" -Q -o configuration 2>/dev/null | md5sum; }
same_everywhere() {
	local v1 c1
	v1=$(version 1); c1=$(config 1)
	[ -n "$v1" ] && [ "$(version 2)" = "$v1" ] && [ "$(version 3)" = "$v1" ] &&
		[ "$(config 2)" = "$c1" ] && [ "$(config 3)" = "$c1" ]
}
prim() { echo "<primitive id=\"$1\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"; }

for i in 1 2 3; do start_memb "$i"; done
wait_for 20 members 1 3 || fail "no ring of 3"
declare -A cibpid
for i in 1 2 3; do cibpid[$i]=$(start_cib "$i"); done
for i in 1 2 3; do wait_for 20 serving "$i" || fail "cib of node $i does not serve"; done

# 1. a change on node 1 is visible on node 3, and notified to node 3's subscribers
watch_out=$PL_HARNESS_DIR/watch3.out
harness_exec 3 "$BUILD/tests/cib_watch" 1 20000 >"$watch_out" 2>&1 &
watch=$!
subscribed() { grep -q '^subscribed' "$watch_out"; }
wait_for 10 subscribed || fail "subscriber on node 3 did not subscribe"
cib 1 -C -o resources -X "$(prim a)" || fail "create on node 1"
wait_for 10 has 3 a || fail "node 3 does not see a"
wait "$watch" || fail "node 3's subscriber got no notification: $(cat "$watch_out")"
grep -q 'client=cibadmin origin=n1 changes=[1-9]' "$watch_out" || fail "notification on node 3: $(cat "$watch_out"; cat -A "$watch_out" | head -5)"
wait_for 10 same_everywhere || fail "replicas differ after one update"
echo "ok: a change on node 1 is visible on node 3 ($(version 3))"

# 1b. an update larger than a group message (1.8 MB of status) is replicated whole, in pieces
python3 - "$PL_HARNESS_DIR/big-status.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("<status>")
    for n in range(3):
        f.write('<node_state id="%d" uname="n%d"><lrm id="%d"><lrm_resources>' % (n + 1, n + 1, n + 1))
        for r in range(1100):
            f.write('<lrm_resource id="r%d" class="ocf" provider="pacemaker" type="Dummy">'
                    '<lrm_rsc_op id="r%d_last_0" operation_key="r%d_monitor_0" operation="monitor" '
                    'crm-debug-origin="do_update_resource" crm_feature_set="3.16.2" '
                    'transition-key="1:1:7:00000000-0000-0000-0000-000000000000" '
                    'transition-magic="0:7;1:1:7:00000000-0000-0000-0000-000000000000" '
                    'exit-reason="" on_node="n%d" call-id="%d" rc-code="7" op-status="0" interval="0" '
                    'last-rc-change="1700000000" exec-time="10" queue-time="0" '
                    'op-digest="00000000000000000000000000000000"/></lrm_resource>' % (r, r, r, n + 1, r + 1))
        f.write("</lrm_resources></lrm></node_state>")
    f.write("</status>")
PY
big=$(wc -c <"$PL_HARNESS_DIR/big-status.xml")
cib 1 -t 120 -R -o status -x "$PL_HARNESS_DIR/big-status.xml" || fail "replace of a $big-byte status on node 1"
big_on() { [ "$(cib "$1" -Q -o status 2>/dev/null | grep -c "<lrm_rsc_op ")" = 3300 ]; }
for i in 2 3; do wait_for 60 big_on "$i" || fail "node $i lacks the $big-byte status section"; done
cib 1 -R -o status -X '<status/>' || fail "emptying the status"
echo "ok: a $big-byte update on node 1 is replicated whole"

# 2. a node down during changes catches up when it returns
harness_kill 3
wait_for 20 members 1 2 || fail "node 3 not dropped"
for r in b c d; do cib 1 -C -o resources -X "$(prim $r)" || fail "create $r with node 3 down"; done
cib 2 -M -X '<primitive id="a" description="while 3 was down"/>' || fail "modify on node 2"
# paceline-cib first: it runs standalone, then joins once paceline-membership is there
cibpid[3]=$(PL_CIB_MEMBERSHIP_TIMEOUT_MS=100 PL_CIB_MEMBERSHIP_RETRY_MS=300 start_cib 3)
standalone() { grep -q 'running standalone' "$(harness_node_dir 3)/log/cib.log"; }
wait_for 10 standalone || fail "node 3's cib did not start standalone"
start_memb 3
wait_for 20 members 1 3 || fail "node 3 did not rejoin"
wait_for 20 has 3 d || fail "node 3 did not catch up"
wait_for 10 same_everywhere || fail "replicas differ after node 3 returned"
echo "ok: node 3 was down during 4 changes and caught up ($(version 3))"

# 3. partition 1 | 2 3, both sides change, heal: the newest version everywhere
harness_partition "1|2 3"
wait_for 20 members 1 1 || fail "node 1 still sees the others"
wait_for 20 members 2 2 || fail "nodes 2 3 not together"
wait_for 20 serving 1 || fail "node 1 does not serve alone"
cib 1 -C -o resources -X "$(prim left1)" || fail "create on the 1 side"
for r in right1 right2; do cib 2 -C -o resources -X "$(prim $r)" || fail "create $r on the 2 3 side"; done
wait_for 10 has 3 right2 || fail "node 3 does not see right2"
newest=$(version 2)
harness_heal
wait_for 30 members 1 3 || fail "no single ring after heal"
wait_for 30 same_everywhere || fail "replicas differ after the heal"
[ "$(version 1)" = "$newest" ] || fail "after the heal $(version 1), the newest side had $newest"
has 1 right2 || fail "node 1 did not take the newest side's CIB"
echo "ok: partition with changes on both sides healed to the newest ($newest)"

# 4. kill -9 of paceline-cib on node 1 during a stream of updates: none acknowledged is lost
acked=$PL_HARNESS_DIR/acked
: >"$acked"
(
	for k in $(seq 1 200); do
		cib 1 -C -o resources -X "$(prim k$k)" >/dev/null 2>&1 || break
		echo "k$k" >>"$acked"
	done
) &
stream=$!
acked_at_least() { [ "$(wc -l <"$acked")" -ge "$1" ]; }
wait_for 60 acked_at_least 10 || fail "the stream did not start"
kill -9 "${cibpid[1]}"
wait "$stream"
n=$(wc -l <"$acked")
cibpid[1]=$(start_cib 1)
wait_for 20 serving 1 || fail "cib of node 1 did not come back"
wait_for 30 same_everywhere || fail "replicas differ after the restart"
for i in 1 2 3; do
	q=$(cib "$i" -Q -o resources)
	lost=0
	while read -r id; do grep -q "id=\"$id\"" <<<"$q" || lost=$((lost + 1)); done <"$acked"
	[ "$lost" = 0 ] || fail "node $i lost $lost of $n acknowledged updates"
done
echo "ok: kill -9 of paceline-cib after $n acknowledged updates: none lost on any node"

# 5. a replica that diverged while serving (same version, other content: memory corrupted,
# which no join sees) is found by the periodic digest check (CHECK/DIGEST, every 2 s here)
# and re-synced. The fault: gdb sets an attribute in node 3's in-memory CIB.
full() { cib "$1" -Q 2>/dev/null | md5sum; }
all_equal() { local a; a=$(full 1); [ "$(full 2)" = "$a" ] && [ "$(full 3)" = "$a" ]; }
log3=$(harness_node_dir 3)/log/cib.log
if command -v gdb >/dev/null; then
	wait_for 20 all_equal || fail "replicas differ before the fault"
	seen=$(grep -c "differs from node" "$log3")
	[ "$seen" = 0 ] || fail "the digest check saw a divergence before any fault"
	gdb -p "${cibpid[3]}" -batch -ex "call (void *) xmlSetProp((void *) pl_cib_root('core.c'::cib), (const unsigned char *) \"diverged\", (const unsigned char *) \"yes\")" \
		>"$PL_HARNESS_DIR/gdb.out" 2>&1 || fail "gdb: $(tail -5 "$PL_HARNESS_DIR/gdb.out")"
	detected() { [ "$(grep -c "differs from node" "$log3")" -gt "$seen" ]; }
	wait_for 20 detected || fail "node 3's divergence was not detected: $(tail -5 "$PL_HARNESS_DIR/gdb.out")"
	wait_for 20 all_equal || fail "replicas differ after the divergence was detected"
	cib 3 -Q | grep -q 'diverged="yes"' && fail "node 3 kept its diverged copy"
	echo "ok: node 3's diverged in-memory CIB was detected ($(grep -m1 -o "CIB.*differs from node [0-9]*" "$log3")) and re-synced: cibadmin -Q equal on all nodes"
else
	echo "skip: no gdb: the divergence step needs it to corrupt a replica's memory"
fi
exit 0
