# lib.sh - shared by the lrmd integration tests (sourced): a private OCF_ROOT (Paceline's
# agents, resource-agents' when installed, and test agents), a paceline-lrmd on its own IPC
# name, polling helpers, and cleanup of everything the test started.
set -u
src=${PL_TEST_SRCDIR:?}
bin=${PL_BIN:?}
exec_tool=$bin/paceline-lrmd-exec
[ -x "$bin/paceline-lrmd" ] && [ -x "$exec_tool" ] || { echo "paceline-lrmd not built"; exit 77; }

tmp=$(mktemp -d /tmp/pl-lrmd-it.XXXXXX)
export PL_IPC_PREFIX="pl-it-$$"
export OCF_ROOT="$tmp/ocf"
mkdir -p "$OCF_ROOT/resource.d/test" "$tmp/run"
ln -s "$src/agents" "$OCF_ROOT/resource.d/paceline"
if [ -d /usr/lib/ocf/resource.d/heartbeat ]; then
	ln -s /usr/lib/ocf/resource.d/heartbeat "$OCF_ROOT/resource.d/heartbeat"
	ln -s /usr/lib/ocf/lib "$OCF_ROOT/lib"
fi
export HA_RSCTMP="$tmp/run/rsctmp"
daemon_pid=""
in_ns=""	# "ip netns exec NS" when the test runs the daemon inside a namespace

cleanup() {
	if [ -n "$daemon_pid" ]; then
		kill "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	[ -n "${cleanup_extra:-}" ] && eval "$cleanup_extra"
	rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/../../testlib.sh"
finish() {
	[ "$fails" = 0 ] || { echo "$fails failure(s); daemon log:"; tail -30 "$tmp/lrmd.log"; exit 1; }
	echo "$1: all checks passed"
	exit 0
}

# test_agent NAME BODY: an agent of provider "test".
test_agent() {
	printf '#!/bin/sh\n%s\n' "$2" >"$OCF_ROOT/resource.d/test/$1"
	chmod 755 "$OCF_ROOT/resource.d/test/$1"
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds; false at the deadline.
# start_daemon: start paceline-lrmd (inside $in_ns when set) and wait until it answers.
start_daemon() {
	$in_ns "$bin/paceline-lrmd" -R "$tmp/run" >"$tmp/lrmd.log" 2>&1 &
	daemon_pid=$!
	wait_for 10 $in_ns "$exec_tool" --stats || { cat "$tmp/lrmd.log"; echo "daemon did not start"; exit 1; }
}

# run_op EXPECTED_RC ARGS...: run paceline-lrmd-exec, check its exit code; output in $tmp/out.
run_op() {
	want=$1; shift
	$in_ns "$exec_tool" "$@" >"$tmp/out" 2>&1; got=$?
	[ "$got" = "$want" ] || fail "paceline-lrmd-exec $* -> $got, want $want: $(cat "$tmp/out")"
}

stat_of() { # NAME: one counter of the daemon
	$in_ns "$exec_tool" --stats | sed -n "s/^$1=//p"
}
