#!/usr/bin/env bash
# supervise.sh - paceline-launcher with the real daemons on one node (127.0.0.1, a private
# PL_IPC_PREFIX, fast throttling tunables). Checks, from --status and the launcher's log:
#  1. the stack comes up in table order and --status says running; systemd's notify socket
#     gets READY=1 once it runs and STOPPING=1 when it stops;
#  2. kill -9 of cib, stonithd, lrmd, pengine and crmd in turn: each respawned (new pid, one restart
#     more), membership keeps its pid, the stack keeps running (crmd's exits when a daemon
#     it uses goes away do not count towards its crash loop: unit test);
#  3. SIGTERM: children stopped in reverse order, exit 0, nothing left running;
#  4. a pengine that crashes at start: respawned with growing delays, then the stack stops
#     with "pengine died N times" in the log and in --status, exit 100;
#  5. kill -9 of membership: the stack stops ("membership lost"), exit 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${PL_BIN:-$here/../../../build/bin}
D=$(mktemp -d /tmp/pl-launcher.XXXXXX)
export PL_IPC_PREFIX="pl-launch-$$" PL_CONF=$D/paceline.conf PL_AUTHKEY=$D/authkey \
	PL_STATE_DIR=$D/state PL_RUN_DIR=$D/run OCF_ROOT=/usr/lib/ocf
PORT=$((20000 + ($$ * 7) % 20000))
TUNE=(--all-root --min-uptime 1500 --backoff 200 --backoff-max 800 --deaths-max 4 --window 20000)
lpid= npid=
cleanup() {
	[ -n "$lpid" ] && kill -KILL "$lpid" 2> /dev/null
	[ -n "$npid" ] && kill "$npid" 2> /dev/null
	# the daemons die with the launcher (PDEATHSIG); make sure of it by pid
	for p in $(pids_all); do kill -KILL "$p" 2> /dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; echo "--- launcher log:" >&2; tail -60 "$D/log" >&2; exit 1; }
now_ms() { local t=$EPOCHREALTIME; t=${t/./}; echo $((t / 1000)); }

# wait_until TIMEOUT_S CMD... : poll CMD every 50 ms until it succeeds, or fail the test.
wait_until() {
	local dl=$(($(now_ms) + $1 * 1000)); shift
	until "$@"; do
		[ "$(now_ms)" -lt "$dl" ] || return 1
		sleep 0.05
	done
}

st() { "$BIN/paceline-launcher" --status 2> /dev/null; }
running() { st > "$D/status"; }
pid_of() { awk -v c="$1" '$1 == c && $3 ~ /^[0-9]+$/ { print $3 }' "$D/status"; }
restarts_of() { awk -v c="$1" '$1 == c { print $4 }' "$D/status"; }
pids_all() { [ -f "$D/status" ] && awk '$3 ~ /^[0-9]+$/ { print $3 }' "$D/status"; }
gone() { ! kill -0 "$lpid" 2> /dev/null; }
all_ready() { running && ! awk 'NR > 2 && $2 != "ready" && $2 != "skipped"' "$D/status" | grep -q .; }

start_launcher() {  # start_launcher DAEMON_DIR
	"$BIN/paceline-launcher" -d "$1" "${TUNE[@]}" >> "$D/log" 2>&1 &
	lpid=$!
}

cat > "$D/paceline.conf" <<EOF2
totem {
	cluster_name: launch$$
	token: 1000
	interface {
		mcastport: $PORT
	}
}
nodelist {
	node {
		ring0_addr: 127.0.0.1
		name: solo
		nodeid: 1
	}
}
logging {
	to_syslog: no
	to_stderr: yes
}
EOF2
"$BIN/paceline-keygen" -k "$D/authkey" > /dev/null || fail "keygen"

# ---- 1. up, in order, with a fake systemd notify socket ----
python3 - "$D/notify" "$D/notified" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n---\n")
        f.flush()
PY
npid=$!
wait_until 5 test -S "$D/notify" || fail "notify listener"
t0=$(now_ms)
NOTIFY_SOCKET=$D/notify start_launcher "$BIN"
wait_until 20 running || fail "stack not running within 20 s: $(st)"
echo "ok: stack running in $(( $(now_ms) - t0 )) ms"
wait_until 5 grep -q "^READY=1" "$D/notified" || fail "no READY=1 on NOTIFY_SOCKET"
cat "$D/status"
order=$(grep -oE 'info: [a-z]+ started \(pid' "$D/log" | awk '{print $2}' | tr '\n' ' ')
[ "$order" = "membership cib stonithd lrmd pengine crmd " ] || fail "start order: '$order'"
if [ ! -x "$BIN/paceline-attrd" ]; then
	grep -q "attrd: paceline-attrd is not installed: skipped (optional)" "$D/log" ||
		fail "no skip line for attrd"
fi

# ---- 2. kill -9 each respawning child in turn ----
for c in cib stonithd lrmd pengine crmd; do
	wait_until 20 all_ready || fail "not every daemon ready before killing $c: $(st)"
	old=$(pid_of "$c"); mship=$(pid_of membership); before=$(restarts_of "$c")
	[ -n "$old" ] || fail "$c has no pid"
	kill -KILL "$old"
	respawned() { running && [ -n "$(pid_of "$c")" ] && [ "$(pid_of "$c")" != "$old" ] &&
		awk -v c="$c" '$1 == c && $2 == "ready"' "$D/status" | grep -q .; }
	wait_until 10 respawned || fail "$c not respawned after kill -9: $(st)"
	[ "$(restarts_of "$c")" = $((before + 1)) ] || fail "$c restarts $(restarts_of "$c") (was $before)"
	[ "$(pid_of membership)" = "$mship" ] || fail "membership restarted when $c died"
	grep -q "$c killed by signal 9" "$D/log" || fail "no log line for $c's death"
	echo "ok: $c respawned after kill -9 ($old -> $(pid_of "$c"))"
done
running && grep -q "stack running" "$D/status" || fail "the stack stopped after the kills: $(st)"

# ---- 3. SIGTERM: reverse order, exit 0 ----
running; all=$(pids_all)
kill -TERM "$lpid"
wait_until 30 gone || fail "launcher still running 30 s after SIGTERM"
wait "$lpid"; rc=$?
[ "$rc" = 0 ] || fail "exit code $rc after SIGTERM"
order=$(grep -oE 'info: stopping [a-z]+ \(pid' "$D/log" | awk '{print $3}' | tr '\n' ' ')
[ "$order" = "crmd pengine lrmd stonithd cib membership " ] || fail "stop order: '$order'"
for p in $all; do kill -0 "$p" 2> /dev/null && fail "pid $p still running after the stop"; done
st | grep -q "last stop: .* shutdown requested" || fail "--status after stop: $(st)"
grep -q "^STOPPING=1" "$D/notified" || fail "no STOPPING=1 on NOTIFY_SOCKET: $(cat "$D/notified")"
kill "$npid" 2> /dev/null
echo "ok: SIGTERM stopped crmd, pengine, lrmd, cib, membership in that order, exit 0"

# ---- 4. a daemon crashing at start: throttled, then the stack stops ----
mkdir "$D/bin"
for b in "$BIN"/paceline-*; do ln -s "$b" "$D/bin/"; done
rm "$D/bin/paceline-pengine"
printf '#!/bin/sh\necho "pengine: cannot start (test)" >&2\nexit 3\n' > "$D/bin/paceline-pengine"
chmod +x "$D/bin/paceline-pengine"
: > "$D/log"
t0=$(now_ms)
start_launcher "$D/bin"
wait_until 30 gone || fail "crash-looping stack still running after 30 s"
wait "$lpid"; rc=$?
[ "$rc" = 100 ] || fail "exit code $rc after a crash loop (want 100)"
grep -q "respawning in 200 ms" "$D/log" && grep -q "respawning in 400 ms" "$D/log" &&
	grep -q "respawning in 800 ms" "$D/log" || fail "no growing respawn delays"
line=$(grep "stopping the node's stack" "$D/log")
case $line in *"pengine died 4 times within 20 s (last: exited with code 3): crash loop"*) ;;
	*) fail "reason line: $line";; esac
st | grep -q "last stop: .*pengine died 4 times" || fail "--status: $(st)"
pgrep -f "$D/bin/" > /dev/null && fail "processes of the stopped stack remain"
echo "ok: crash loop stopped the stack after $(( $(now_ms) - t0 )) ms: ${line#*: }"

# ---- 5. membership dies: the node stops ----
: > "$D/log"
start_launcher "$BIN"
wait_until 20 running || fail "stack not running again: $(st)"
kill -KILL "$(pid_of membership)"
wait_until 30 gone || fail "launcher still running after membership died"
wait "$lpid"; rc=$?
[ "$rc" = 1 ] || fail "exit code $rc after membership lost (want 1)"
grep -q "stopping the node's stack: membership lost" "$D/log" || fail "no membership-lost line"
echo "ok: membership lost stopped the stack, exit 1"
lpid=
exit 0
