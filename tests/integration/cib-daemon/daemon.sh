#!/bin/sh
# paceline-cib on one node: cibadmin -C/-M/-Q/-D/-B/-P and crm_verify -L through the daemon;
# no daemon -> 102; an unprivileged user may query but not write (4); subscribers receive the
# patchset of every applied update; kill -9 in the middle of a stream of acknowledged updates
# loses none of them (restart, every acknowledged object is there); the CIB survives a clean
# restart with its version.
set -u
bin=${PL_BIN:?}
watch=${PL_TEST_BINDIR:?}/tests/cib_watch
[ -x "$bin/paceline-cib" ] && [ -x "$bin/cibadmin" ] && [ -x "$watch" ] || {
	echo "paceline-cib not built"; exit 77; }

tmp=$(mktemp -d /tmp/pl-cib-it.XXXXXX)
chmod 755 "$tmp"
export PL_IPC_PREFIX="pl-cibit-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200	# none here: standalone
unset CIB_file
daemon_pid=""
watch_pid=""
fails=0

cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	if [ -n "$daemon_pid" ]; then
		kill "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds or the deadline passes.
wait_for() {
	_end=$(($(date +%s) + $1)); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}

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
expect 65 "$bin/cibadmin" -C -o resources -X '<primitive id="x"'
expect 64 "$bin/cibadmin" -Q -o nosuchsection
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

# --- an answer beyond the message limit (4 MiB) is refused with a message, not a hang ---
for half in a b; do
	python3 -c "
import sys
print('<resources>' + ''.join('<primitive id=\"big$half%d\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\" description=\"%s\"/>' % (i, 'x' * 200) for i in range(9000)) + '</resources>')" >"$tmp/big.xml"
	expect 0 "$bin/cibadmin" -C -o resources -x "$tmp/big.xml"
done
expect 1 "$bin/cibadmin" -Q -t 10
grep -q "exceeds paceline-cib's message limit" "$tmp/err" || fail "too-large query: $(cat "$tmp/err")"
expect 0 "$bin/cibadmin" -Q -A "//primitive[@id='biga7']"
expect 0 "$bin/cibadmin" -D -A "//primitive[starts-with(@id, 'big')]" -d
expect 0 "$bin/cibadmin" -Q

# --- clean restart keeps the CIB and its version ---
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

[ "$fails" = 0 ] || { echo "$fails failure(s); daemon log:"; tail -30 "$tmp/cib.log"; exit 1; }
echo "cib-daemon: all checks passed"
