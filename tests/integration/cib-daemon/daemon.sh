#!/bin/sh
# paceline-cib on one node: cibadmin -C/-M/-Q/-D/-B/-P and crm_verify -L through the daemon;
# no daemon -> 102; an unprivileged user may query but not write (4); subscribers receive the
# patchset of every applied update; kill -9 in the middle of a stream of acknowledged updates
# loses none of them (restart, every acknowledged object is there), nor, with status writers
# running beside, any acknowledged configuration update; the CIB survives a clean restart with
# its version, status-only updates (acknowledged before their write) included; a CIB over 10 MB is queried whole (answers in pieces), byte-identical
# to a CIB_file query, and a client that abandons a large answer does not hurt the daemon.
set -u
bin=${PL_BIN:?}
watch=${PL_TEST_BINDIR:?}/tests/cib_watch
abandon=$PL_TEST_BINDIR/tests/cib_abandon
load=$PL_TEST_BINDIR/tests/cib_load
src=$(cd "$(dirname "$0")/../../.." && pwd)
[ -x "$bin/paceline-cib" ] && [ -x "$bin/cibadmin" ] && [ -x "$watch" ] && [ -x "$abandon" ] && [ -x "$load" ] || {
	echo "paceline-cib not built"; exit 77; }

tmp=$(mktemp -d /tmp/pl-cib-it.XXXXXX)
chmod 755 "$tmp"
export PL_IPC_PREFIX="pl-cibit-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200	# none here: standalone
unset CIB_file
daemon_pid=""
watch_pid=""

cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	if [ -n "$daemon_pid" ]; then
		kill "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../../testlib.sh"

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds or the deadline passes.
start_daemon() {
	"$bin/paceline-cib" -V -l "$tmp/cib.log" 2>>"$tmp/cib.err" &
	daemon_pid=$!
	wait_for 10 "$bin/cibadmin" -Q -o status || { fail "daemon did not start"; tail "$tmp/cib.log"; exit 1; }
}

# expect RC CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err), check its exit code.
expect() {
	_want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	[ "$_rc" = "$_want" ] || fail "$* exited $_rc, expected $_want: $(head -3 "$tmp/err")"
}

version() { "$bin/cibadmin" -Q -n 2>/dev/null | sed -n 's/.*epoch="\([0-9]*\)".*num_updates="\([0-9]*\)".*admin_epoch="\([0-9]*\)".*/\3.\1.\2/p'; }

# --- no daemon: Pacemaker's "not connected" ---
expect 102 "$bin/cibadmin" -Q
grep -q 'Transport endpoint is not connected' "$tmp/err" || fail "no-daemon message: $(cat "$tmp/err")"
expect 102 "$bin/crm_verify" -L

start_daemon

# --- notifications: a subscriber sees every applied update, with its patchset ---
"$watch" 4 20000 >"$tmp/watch.out" 2>"$tmp/watch.err" &
watch_pid=$!
wait_for 10 grep -q '^subscribed' "$tmp/watch.out" || fail "watcher did not subscribe"

# --- operations through the daemon ---
expect 0 "$bin/cibadmin" -C -o resources -X '<primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>'
expect 108 "$bin/cibadmin" -C -o resources -X '<primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>'
grep -q 'failed_update id="d1"' "$tmp/out" || fail "create of an existing id: no <failed> report"
expect 0 "$bin/cibadmin" -M -X '<primitive id="d1" description="changed"/>'
expect 0 "$bin/cibadmin" -Q -o resources
grep -q 'description="changed"' "$tmp/out" || fail "modify not visible in query: $(cat "$tmp/out")"
expect 105 "$bin/cibadmin" -M -X '<primitive id="nosuch" description="x"/>'
expect 78 "$bin/cibadmin" -C -o resources -X '<primitive id="bad" class="ocf" type="Dummy" nosuchattr="1"/>'
# malformed input is repaired as Pacemaker does (<primitive id="x"/>), then refused by the schema
expect 78 "$bin/cibadmin" -C -o resources -X '<primitive id="x"'
expect 65 "$bin/cibadmin" -C -o resources -X 'garbage'
expect 0 "$bin/cibadmin" -Q -o nosuchsection # the whole CIB, as Pacemaker 2.1.5
expect 0 "$bin/cibadmin" -Q -A "//primitive[@id='d1']" -e
grep -qx "/cib/configuration/resources/primitive\[@id='d1'\]" "$tmp/out" || fail "-e path: $(cat "$tmp/out")"
before=$(version)
expect 0 "$bin/cibadmin" -B
after=$(version)
[ "$before" != "$after" ] || fail "bump did not change the version ($before)"
expect 0 "$bin/cibadmin" -D -X '<primitive id="d1"/>'
expect 0 "$bin/cibadmin" -Q -o resources
grep -q 'd1' "$tmp/out" && fail "delete: d1 still there"
# crm_verify -L reads the daemon's CIB (no STONITH defined: invalid, 78)
expect 78 "$bin/crm_verify" -L
expect 0 "$bin/cibadmin" -M -o crm_config -X '<cluster_property_set id="cib-bootstrap-options"><nvpair id="se" name="stonith-enabled" value="false"/></cluster_property_set>' -c
expect 0 "$bin/crm_verify" -L

wait "$watch_pid"; wrc=$?; watch_pid=""
[ "$wrc" = 0 ] || fail "watcher exited $wrc: $(cat "$tmp/watch.err")"
[ "$(grep -c 'client=cibadmin origin=node1 changes=[1-9]' "$tmp/watch.out")" = 4 ] ||
	fail "notifications: $(cat "$tmp/watch.out")"

# --- access: reads for anyone, writes for root and haclient only ---
if [ "$(id -u)" = 0 ]; then
	expect 0 setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin/cibadmin" -Q -o resources
	v0=$(version)
	expect 4 setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin/cibadmin" -C -o resources \
		-X '<primitive id="evil" class="ocf" provider="pacemaker" type="Dummy"/>'
	[ "$(version)" = "$v0" ] || fail "refused write changed the version"
	"$bin/cibadmin" -Q | grep -q evil && fail "unprivileged create was applied"
else
	echo "note: not root, the unprivileged-write check is skipped"
fi

# --- a CIB over 10 MB: requests and answers larger than a ring travel in pieces ---
# pengine-gen's 16 nodes x 1000 resources with history is 10.4 MB, 10 MB of it status: the
# configuration sections, then the whole 10 MB status section in one replace.
python3 "$src/tests/bench/pengine-gen" steady 16 1000 >"$tmp/gen.xml"
python3 - "$tmp" <<'PY'
import sys, xml.etree.ElementTree as ET
d = sys.argv[1]
root = ET.parse(d + "/gen.xml").getroot()
for sec in ("crm_config", "nodes", "resources"):
    ET.ElementTree(root.find("configuration/" + sec)).write(d + "/sec-" + sec + ".xml")
for i, ns in enumerate(root.find("status")):
    ET.ElementTree(ns).write(d + "/ns-%02d.xml" % i)
PY
for sec in crm_config nodes resources; do
	expect 0 "$bin/cibadmin" -R -o "$sec" -x "$tmp/sec-$sec.xml"
done
python3 - "$tmp" <<'PY'
import sys, xml.etree.ElementTree as ET
d = sys.argv[1]
ET.ElementTree(ET.parse(d + "/gen.xml").getroot().find("status")).write(d + "/status.xml")
PY
[ "$(wc -c <"$tmp/status.xml")" -gt 8000000 ] || fail "status section only $(wc -c <"$tmp/status.xml") bytes"
expect 0 "$bin/cibadmin" -R -o status -x "$tmp/status.xml"
# over the configurable message limit: a clear error, nothing applied
expect 65 env PL_MSG_LIMIT=1M "$bin/cibadmin" -R -o status -x "$tmp/status.xml"
grep -q "exceeds the limit of 1048576 bytes (PL_MSG_LIMIT)" "$tmp/err" ||
	fail "over the message limit: $(cat "$tmp/err")"
# the status and resources sections are the generated ones: byte-identical to Pacemaker's
# format of a CIB_file query of the generated document
for sec in status resources; do
	CIB_file="$tmp/gen.xml" "$bin/cibadmin" -Q -o "$sec" >"$tmp/file-$sec" ||
		fail "CIB_file query -o $sec"
	expect 0 "$bin/cibadmin" -Q -o "$sec"
	cmp -s "$tmp/out" "$tmp/file-$sec" ||
		fail "-Q -o $sec through the daemon ($(wc -c <"$tmp/out") bytes) differs from CIB_file ($(wc -c <"$tmp/file-$sec"))"
done
expect 0 "$bin/cibadmin" -Q
cp "$tmp/out" "$tmp/whole.xml"
size=$(wc -c <"$tmp/whole.xml")
[ "$size" -gt 10000000 ] || fail "whole CIB only $size bytes"
[ "$(grep -o '<node_state ' "$tmp/whole.xml" | wc -l)" = 16 ] || fail "whole CIB: not 16 node_states"
CIB_file="$tmp/whole.xml" "$bin/cibadmin" -Q >"$tmp/whole2.xml" || fail "CIB_file query of the answer"
cmp -s "$tmp/whole.xml" "$tmp/whole2.xml" || fail "-Q through the daemon differs from CIB_file -Q of the same document"
expect 0 "$bin/cibadmin" -Q -o resources
cmp -s "$tmp/out" "$tmp/file-resources" || fail "-o resources after the whole query"
# a client that leaves while its answer is on the way does not hurt the daemon
for _ in 1 2 3; do
	"$abandon" >"$tmp/abandon.out" 2>"$tmp/abandon.err" || fail "cib_abandon: $(cat "$tmp/abandon.err")"
done
# (the answer travels unindented: 9.7 MB)
total=$(sed -n 's/^total=\([0-9]*\)$/\1/p' "$tmp/abandon.out")
[ "${total:-0}" -gt 8388608 ] || fail "cib_abandon: $(cat "$tmp/abandon.out")"
expect 0 "$bin/cibadmin" -Q
cmp -s "$tmp/out" "$tmp/whole.xml" || fail "-Q after abandoned streams differs"
# back to a small CIB for the rest
expect 0 "$bin/cibadmin" -R -o status -X '<status/>'
expect 0 "$bin/cibadmin" -R -o resources -X '<resources/>'
expect 0 "$bin/cibadmin" -Q

# --- clean restart keeps the CIB and its version, including status-only updates, which are
# acknowledged before they are written ---
expect 0 "$bin/cibadmin" -C -o status -X '<node_state id="9" uname="node9" in_ccm="true"/>'
expect 0 "$bin/cibadmin" -M -o status -X '<node_state id="9" crmd="online"/>'
v1=$(version)
kill "$daemon_pid"; wait "$daemon_pid"; daemon_pid=""
start_daemon
[ "$(version)" = "$v1" ] || fail "version after restart $(version), before $v1"

# --- kill -9 during a stream of acknowledged updates loses none ---
: >"$tmp/acked"
(
	i=0
	while [ $i -lt 300 ]; do
		i=$((i + 1))
		"$bin/cibadmin" -C -o resources -X "<primitive id=\"k$i\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>" \
			>/dev/null 2>&1 || break
		echo "k$i" >>"$tmp/acked"
	done
) &
stream=$!
acked_at_least() { [ "$(wc -l <"$tmp/acked")" -ge "$1" ]; }
wait_for 60 acked_at_least 15 || fail "stream did not start"
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
wait "$stream"
n=$(wc -l <"$tmp/acked")
start_daemon
"$bin/cibadmin" -Q -o resources >"$tmp/after" || fail "query after restart"
lost=0
while read -r id; do
	grep -q "id=\"$id\"" "$tmp/after" || lost=$((lost + 1))
done <"$tmp/acked"
[ "$lost" = 0 ] || fail "kill -9: $lost of $n acknowledged updates lost"
echo "kill -9 after $n acknowledged updates: $lost lost"

# --- asynchronous updates (pl_cib_update_async), several in flight per connection: every one
# acknowledged, in order, the last one in the CIB
: >"$tmp/acked3"
"$load" -c 2 -n 40 -w 8 -m config -p async -a "$tmp/acked3" >/dev/null 2>"$tmp/err" ||
	fail "asynchronous updates failed: $(head -3 "$tmp/err")"
[ "$(grep -c '^config' "$tmp/acked3")" = 80 ] || fail "asynchronous updates: $(grep -c . "$tmp/acked3") of 80 acknowledged"
"$bin/cibadmin" -Q -o resources | grep -q 'id="async-1".*description="u40"' ||
	fail "asynchronous updates: the last one is not in the CIB"

# --- kill -9 under concurrent status and configuration writers: no acknowledged
# configuration update is lost (status-only ones may be: they are acknowledged before the disk)
: >"$tmp/acked2"
"$load" -c 3 -n 100000 -m config -p crash -a "$tmp/acked2" >/dev/null 2>&1 &
cfg_pid=$!
"$load" -c 2 -n 1000000 -m status -p crash -a "$tmp/acked2" >/dev/null 2>&1 &
st_pid=$!
acked_config() { [ "$(grep -c '^config' "$tmp/acked2")" -ge "$1" ]; }
wait_for 60 acked_config 60 || fail "concurrent writers did not start"
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
wait "$cfg_pid" "$st_pid"
start_daemon
"$bin/cibadmin" -Q -o resources >"$tmp/after2" || fail "query after restart"
lost=0
for c in 0 1 2; do
	last=$(awk -v c="$c" '$1 == "config" && $2 == c { n = $3 } END { print n + 0 }' "$tmp/acked2")
	have=$(sed -n "s/.*id=\"crash-$c\".*description=\"u\([0-9]*\)\".*/\1/p" "$tmp/after2")
	[ "${have:-0}" -ge "$last" ] || { lost=$((lost + 1)); echo "client $c: acknowledged u$last, disk has u${have:-none}"; }
done
max_epoch=$(awk '$1 == "config" { split($4, v, "."); if (v[2] > m) m = v[2] } END { print m + 0 }' "$tmp/acked2")
now_epoch=$(version | cut -d. -f2)
[ "$lost" = 0 ] && [ "${now_epoch:-0}" -ge "$max_epoch" ] ||
	fail "kill -9 with concurrent writers: acknowledged configuration lost (epoch $now_epoch < $max_epoch or $lost clients behind)"
echo "kill -9 under $(grep -c '^status' "$tmp/acked2") status and $(grep -c '^config' "$tmp/acked2") configuration acknowledgements: epoch $now_epoch >= acknowledged $max_epoch"

# what pcs sends: the whole CIB it read, edited, with --replace --scope configuration; then a
# crm_diff patch of a further edit (version bumped) through --patch on stdin
"$bin/cibadmin" -Q >"$tmp/pcs.xml" || fail "query for pcs"
python3 - "$tmp" <<'PY'
import sys, xml.etree.ElementTree as ET
d = sys.argv[1]
t = ET.parse(d + "/pcs.xml"); r = t.getroot()
cons = r.find("configuration/constraints")
ET.SubElement(cons, "rsc_location", {"id": "location-crash-0-node1", "rsc": "crash-0", "node": "node1", "score": "INFINITY"})
t.write(d + "/pcs-push.xml")
ET.SubElement(cons, "rsc_location", {"id": "location-crash-1-node1", "rsc": "crash-1", "node": "node1", "score": "100"})
r.set("epoch", str(int(r.get("epoch")) + 1))
t.write(d + "/pcs-new.xml")
PY
expect 0 sh -c "'$bin/cibadmin' --replace -V --xml-pipe -o configuration < '$tmp/pcs-push.xml'"
"$bin/cibadmin" -Q -o constraints | grep -q 'location-crash-0-node1' || fail "pcs replace --scope configuration not applied"
"$bin/cibadmin" -Q >"$tmp/pcs-cur.xml"
"$bin/crm_diff" -o "$tmp/pcs-cur.xml" -n "$tmp/pcs-new.xml" >"$tmp/pcs.patch"
expect 0 sh -c "'$bin/cibadmin' --patch --xml-pipe < '$tmp/pcs.patch'"
"$bin/cibadmin" -Q -o constraints | grep -q 'location-crash-1-node1' || fail "crm_diff patch not applied"
# an old CIB (pacemaker-1.3, the first ACL syntax) is accepted whole and upgraded live
v=$(version); adm=$(( ${v%%.*} + 1 ))
sed -e "s/admin_epoch=\"0\"/admin_epoch=\"$adm\"/" -e 's/value="true"/value="false"/' \
	"$src/tests/data/cibadmin-schemas/v1.3-acls.xml" >"$tmp/v13.xml"
expect 0 "$bin/cibadmin" -R -x "$tmp/v13.xml"
expect 0 "$bin/cibadmin" -M -o resources -X '<primitive id="d1" description="on 1.3"/>'
expect 0 "$bin/cibadmin" --upgrade --force
"$bin/cibadmin" -Q >"$tmp/up.xml"
grep -q 'validate-with="pacemaker-3.9"' "$tmp/up.xml" && grep -q '<acl_target id="alice">' "$tmp/up.xml" &&
	grep -q 'description="on 1.3"' "$tmp/up.xml" || fail "live upgrade: $(head -3 "$tmp/up.xml")"

[ "$fails" = 0 ] || { echo "$fails failure(s); daemon log:"; tail -30 "$tmp/cib.log"; exit 1; }
echo "cib-daemon: all checks passed"
