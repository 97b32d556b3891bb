#!/bin/sh
# daemon.sh - paceline-pengine end to end: the daemon's transition equals lib/pengine's
# in-process result byte for byte (small CIBs of data/ and a few of the scheduler corpus when
# ../shared is present), sync and async clients, errors that name the problem (and the daemon
# survives them), WRITE privilege, the input ring, SIGTERM -> exit 0, absent daemon -> 102,
# a daemon killed under a waiting request -> 102.
set -u
src=${PL_TEST_SRCDIR:?}
bin=${PL_BIN:?}
it=${PL_TEST_BINDIR:?}/tests/pengine_it
daemon=$bin/paceline-pengine
data=$src/tests/integration/pengine/data
[ -x "$daemon" ] && [ -x "$it" ] || { echo "paceline-pengine not built"; exit 77; }

tmp=$(mktemp -d /tmp/pl-pengine-it.XXXXXX)
export PL_IPC_PREFIX="pl-pe-it-$$"
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../../testlib.sh"

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds; false at the deadline.
alive() { kill -0 "$daemon_pid" 2>/dev/null; }
exited() { ! kill -0 "$daemon_pid" 2>/dev/null; }
stat_of() { "$it" stats | sed -n "s/^$1=//p"; }

# 1. absent daemon: 102 at once
"$it" absent || fail "absent daemon: expected 102 within 1 s"

# 2. start with a ring of 3 inputs
"$daemon" -f -n 3 -i "$tmp/inputs" >"$tmp/pengine.log" 2>&1 &
daemon_pid=$!
wait_for 10 "$it" stats || { fail "daemon did not answer within 10 s"; cat "$tmp/pengine.log"; exit 1; }

# 3. byte-equal to lib/pengine in-process
for f in "$data/two-nodes-start.xml" "$data/group-move.xml"; do
	"$it" compare "$f" || fail "compare $(basename "$f")"
done
# the 'now' field reaches the engine: a rule valid until 2025 puts dummy on node2 at the CIB's
# execution-date (2023), not at 1800000000 (2027)
out=$("$it" compare "$data/date-rule.xml") || fail "compare date-rule"
echo "$out" | grep -q "summary: .*Start .*dummy .*node2" || fail "date rule at execution-date: $out"
out=$("$it" compare "$data/date-rule.xml" 1800000000) || fail "compare with a 'now' override"
echo "$out" | grep -q "summary: .*Start .*dummy .*node1" || fail "date rule with now=2027: $out"
"$it" async "$data/group-move.xml" || fail "async compare"
corpus=$src/../shared/conformance/scheduler/xml
[ -d "$corpus" ] || corpus=$src/../../shared/conformance/scheduler/xml
if [ -d "$corpus" ]; then
	n=0
	cases="1-a-then-bm-move-b simple1 simple7 group1 order1 rec-node-13 stop-failure-no-quorum"
	# PL_PENGINE_IT_CORPUS=all: every case (about 50 s; not in the default run)
	[ "${PL_PENGINE_IT_CORPUS:-}" = all ] &&
		cases=$(cd "$corpus" && ls *.xml | sed 's/\.xml$//')
	for name in $cases; do
		[ -f "$corpus/$name.xml" ] || continue
		"$it" compare "$corpus/$name.xml" || fail "compare corpus case $name"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || fail "none of the chosen corpus cases found in $corpus"
else
	echo "no corpus at ../shared/conformance/scheduler/xml: corpus cases skipped"
fi

# 4. errors name the problem; the daemon survives them
out=$("$it" call "$data/malformed.xml"); rc=$?
[ "$rc" = 65 ] || fail "malformed XML: expected code 65, got $rc ($out)"
echo "$out" | grep -q "CIB:5:.*malformed XML" || fail "malformed XML: no line number in '$out'"
out=$("$it" call "$data/not-a-cib.xml"); rc=$?
[ "$rc" = 78 ] || fail "not a CIB: expected code 78, got $rc ($out)"
echo "$out" | grep -q "not a CIB" || fail "not a CIB: unclear message '$out'"
alive || fail "the daemon died on a bad CIB"
"$it" compare "$data/two-nodes-start.xml" >/dev/null || fail "no transition after the errors"
[ "$(stat_of errors)" = 2 ] || fail "errors counter: $(stat_of errors), expected 2"

# 5. WRITE privilege: nobody is refused (skipped unless root)
"$it" unpriv "$data/group-move.xml"; rc=$?
[ "$rc" = 0 ] || [ "$rc" = 77 ] || fail "unprivileged client was not refused with 4"
grep -q "privilege: PENGINE_COMPUTE" "$tmp/pengine.log" || [ "$rc" = 77 ] ||
	fail "refusal not logged"

# 6. transitions are numbered; the ring keeps 3 inputs, the last one is the last request
computed=$(stat_of transitions)
[ "$computed" -ge 6 ] || fail "transitions counter: $computed"
out=$("$it" call "$data/group-move.xml")
echo "$out" | grep -q "transition $computed, input saved in $tmp/inputs/pe-input-" ||
	fail "numbering or saving: '$out' (expected transition $computed)"
saved=$(echo "$out" | sed -n 's/.*input saved in //p')
cmp -s "$saved" "$data/group-move.xml" || fail "saved input $saved differs from the request"
files=$(ls "$tmp/inputs" | grep -c '^pe-input-[0-9]*\.xml$')
[ "$files" = 3 ] || fail "ring of 3: found $files inputs: $(ls "$tmp/inputs")"
next=$(cat "$tmp/inputs/pe-input.last")
[ "$(stat_of inputs_next)" = "$next" ] || fail "pe-input.last $next vs counter"

# 7. SIGTERM: clean exit 0 (polled), then the name is free: 102 again
kill -TERM "$daemon_pid"
wait_for 10 exited || fail "no exit within 10 s of SIGTERM"
wait "$daemon_pid"; rc=$?
daemon_pid=""
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
"$it" absent >/dev/null || fail "still reachable after SIGTERM"

# 8. a restart continues the input series where pe-input.last says
"$daemon" -n 3 -i "$tmp/inputs" >>"$tmp/pengine.log" 2>&1 &
daemon_pid=$!
wait_for 10 "$it" stats || fail "restart did not answer"
out=$("$it" call "$data/two-nodes-start.xml")
echo "$out" | grep -q "transition 0, input saved in $tmp/inputs/pe-input-$next.xml" ||
	fail "after restart: '$out' (expected transition 0 in pe-input-$next.xml)"
kill -INT "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=""
[ "$rc" = 0 ] || fail "exit status $rc after SIGINT"

# 9. the daemon dies (as on an assertion in lib/pengine) while a request waits: 102 at once
"$daemon" >>"$tmp/pengine.log" 2>&1 &
daemon_pid=$!
wait_for 10 "$it" stats || fail "third start did not answer"
"$it" killed "$data/group-move.xml" "$daemon_pid" || fail "killed daemon: the waiting call did not end with 102"
kill -KILL "$daemon_pid" 2>/dev/null	# in case the check failed before the kill
wait "$daemon_pid" 2>/dev/null; daemon_pid=""

# 10. usage errors
"$daemon" -n x >/dev/null 2>&1; [ $? = 64 ] || fail "-n x: expected 64"
"$daemon" extra >/dev/null 2>&1; [ $? = 64 ] || fail "extra argument: expected 64"

if [ "$fails" != 0 ]; then
	echo "$fails failure(s); daemon log:"; tail -30 "$tmp/pengine.log"; exit 1
fi
echo "pengine-daemon: all checks passed"
