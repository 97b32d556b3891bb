#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2016  # `A && ok || fail` (ok never fails); node-side expansions
# test_harness.sh - self-test of the multi-node harness (harness.sh): 3 nodes, a UDP echo server
# in each, connectivity between every pair, per-node environment and private /run, exit codes,
# partition and heal, kill -9, stop with a SIGTERM-ignoring process, packet loss, and a `down`
# that leaves no namespace, interface or mount behind.  Exit 77 (skip) when not root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# A name of its own: a cluster someone runs by hand under the default name "pl" is left alone.
export PL_HARNESS_NAME=${PL_HARNESS_NAME:-plself}
# shellcheck source=tests/cluster/harness.sh
. "$here/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1

PORT=7000
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# UDP echo server: answers every datagram with "n<id>:<payload>" and appends the payload to
# $PL_RUN_DIR/echo.rx (so one-way delivery can be checked).
ECHO_PY='
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(os.environ["PORT"])))
me = os.environ["PL_NODE_NAME"].encode()
rx = open(os.path.join(os.environ["PL_RUN_DIR"], "echo.rx"), "ab", buffering=0)
while True:
    d, a = s.recvfrom(2048)
    rx.write(d + b"\n")
    try:
        s.sendto(me + b":" + d, a)
    except OSError:
        pass
'
# Probe ADDR TIMEOUT PORT [COUNT]: without COUNT send one "ping" (or $MSG), print the answer, exit 0 on an
# answer within TIMEOUT seconds; with COUNT send COUNT numbered pings one after the other and print
# how many were answered.  A send refused locally (nft drop -> EPERM) counts as unanswered.
PROBE_PY='
import os, socket, sys
addr, to, port = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
count = int(sys.argv[4]) if len(sys.argv) > 4 else 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(to)
def probe(msg):
    try:
        s.sendto(msg, (addr, port))
        while True:
            d = s.recvfrom(2048)[0]
            if d.endswith(b":" + msg):
                return d.decode()
    except OSError:
        return None
if count == 0:
    r = probe(os.environ.get("MSG", "ping").encode())
    if r is None:
        sys.exit(1)
    print(r)
else:
    print(sum(probe(b"p%d" % k) is not None for k in range(count)))
'
# The distribution python starts in 50 ms, a pyenv shim on PATH in 250 ms.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# reach FROM TO : node FROM gets the echo of node TO (one probe, 0.3 s)
reach() {
	local out
	out=$(harness_exec "$1" "$PY" -c "$PROBE_PY" "$(harness_addr "$2")" 0.3 "$PORT") &&
		[ "$out" = "n$2:${MSG:-ping}" ]
}
# send FROM TO MSG : one probe carrying MSG, answer ignored; received() tells whether it arrived
send() { MSG=$3 harness_exec "$1" "$PY" -c "$PROBE_PY" "$(harness_addr "$2")" 0.3 "$PORT" > /dev/null; }
received() { grep -qx "$2" "$PL_HARNESS_DIR/n$1/run/echo.rx" 2> /dev/null; }
# expect_reach FROM TO : an answer comes within 3 s
expect_reach() {
	if wait_for 3 reach "$1" "$2" 2> /dev/null; then ok "n$1 -> n$2 reachable"; else fail "n$1 -> n$2 unreachable"; fi
}
# expect_blocked FROM TO : two probes, neither answered
expect_blocked() {
	if reach "$1" "$2" || reach "$1" "$2"; then fail "n$1 -> n$2 reachable, expected blocked"; else ok "n$1 -> n$2 blocked"; fi
}
start_echo() {
	PORT=$PORT harness_start "$1" --name echo "$PY" -c "$ECHO_PY" > /dev/null
}

on_exit() {
	local rc=$?
	if [ "$failures" -gt 0 ] || [ "$rc" != 0 ]; then
		harness_status >&2
		tail -n 5 "$PL_HARNESS_DIR"/n*/log/*.out >&2 2> /dev/null
	fi
	harness_down || echo "FAIL: down reported an error" >&2
}
trap on_exit EXIT
trap 'exit 1' INT TERM

host_links_before=$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
harness_down > /dev/null 2>&1   # whatever a crashed earlier run left

# --- down cleans what a crashed run left: namespaces, processes, mounts ---
{ (harness_up 2 && harness_start 1 --name crashed sleep 100 > /dev/null && kill -KILL "$BASHPID"); } 2> /dev/null
crashed=$(cat "$PL_HARNESS_DIR/n1/harness/crashed.pid" 2> /dev/null)
[ -n "$crashed" ] || fail "the crashed run did not start its process"
harness_up 3 2> /dev/null && fail "up succeeded over a crashed run's namespaces"
harness_down || fail "down after a crashed run"
gone() { ! kill -0 "$1" 2> /dev/null; }	# (a zombie counts until init reaps it)
[ -z "$(harness__our_namespaces)" ] && ! grep -q " $PL_HARNESS_DIR" /proc/mounts && wait_for 2 gone "${crashed:-0}" &&
	ok "down cleaned a crashed run" ||
	fail "down left: $(harness__our_namespaces | tr '\n' ' ') $(grep " $PL_HARNESS_DIR" /proc/mounts) $(ps -o pid,stat,args -p "${crashed:-0}" | tail -1)"

t0=$(harness__now_us)
harness_up 3 || { fail "up 3"; exit 1; }
t1=$(harness__now_us)
echo "figure: up 3 took $(( (t1 - t0) / 1000 )) ms"
harness_up 3 2> /dev/null && fail "a second up succeeded"

# --- per-node context ---
out=$(harness_exec 2 sh -c 'echo "$(hostname) $PL_NODE_ID $PL_NODE_NAME $PL_NODE_ADDR $PL_IPC_PREFIX"')
[ "$out" = "n2 2 n2 10.201.0.2 $PL_HARNESS_NAME-n2" ] && ok "node 2 context: $out" || fail "node 2 context: '$out'"
harness_exec 1 sh -c 'echo one > /run/marker && [ -d "$PL_STATE_DIR" ] && [ -d "$PL_CONF_DIR" ] && [ -d "$PL_LOG_DIR" ]' ||
	fail "node 1 dirs"
[ "$(cat "$PL_HARNESS_DIR/n1/run/marker" 2> /dev/null)" = one ] && ok "node 1 /run is its run dir" || fail "node 1 /run not its run dir"
harness_exec 2 test -e /run/marker && fail "node 2 sees node 1's /run"
[ -e /run/marker ] && fail "host sees node 1's /run"
harness_exec 3 sh -c 'exit 3'; rc=$?
[ "$rc" = 3 ] && ok "exec returns the command's exit code" || fail "exec returned $rc, expected 3"
harness_exec 4 true 2> /dev/null && fail "exec on a node that does not exist succeeded"
out=$(harness_exec 1 ip -o -4 addr show | awk '{print $2, $4}' | tr '\n' ' ')
[ "$out" = "lo 127.0.0.1/8 eth0 10.201.0.1/24 " ] && ok "node 1 addresses: $out" || fail "node 1 addresses: '$out'"

# --- wait_for ---
t0=$(harness__now_us)
wait_for 0.2 false 2> /dev/null; rc=$?
t1=$(harness__now_us)
[ "$rc" = 124 ] && [ $(( t1 - t0 )) -lt 1000000 ] && ok "wait_for times out with 124" ||
	fail "wait_for false: rc=$rc after $(( (t1 - t0) / 1000 )) ms"

# --- start prints the PID of the command itself, which does not hold the harness lock ---
pid=$(harness_start 1 --name sleeper sleep 100)
is_sleep_in_n1() { [ "$(cat "/proc/$1/comm" 2> /dev/null)" = sleep ] && harness_pids 1 | grep -qx "$1"; }
if wait_for 2 is_sleep_in_n1 "$pid" 2> /dev/null; then
	ok "start printed the PID of the command ($pid)"
else
	fail "start printed $pid, not the PID of sleep in $(harness_ns 1) ($(harness_pids 1 | tr '\n' ' '))"
fi
for f in /proc/"$pid"/fd/*; do
	[ "$(readlink "$f")" = "$PL_HARNESS_LOCK" ] && fail "node process inherited the harness lock"
done
[ -s "$PL_HARNESS_DIR/n1/log/sleeper.out" ] || fail "no log/sleeper.out"
harness_kill 1

# --- connectivity ---
for i in 1 2 3; do start_echo "$i"; done
for i in 1 2 3; do for j in 1 2 3; do [ "$i" = "$j" ] || expect_reach "$i" "$j"; done; done

# --- partition / heal ---
harness_partition "1|2" 2> /dev/null && fail "partition leaving node 3 out accepted"
harness_partition "1 2|2 3" 2> /dev/null && fail "partition with node 2 twice accepted"
harness_partition "1 2 3" 2> /dev/null && fail "partition with one group accepted"
harness_partition "1|2 3" || fail "partition 1|2 3"
expect_blocked 1 2
expect_blocked 2 1
expect_blocked 3 1
expect_reach 2 3
expect_reach 3 2
harness_partition "1 3|2" || fail "partition 1 3|2"
expect_reach 1 3
expect_blocked 2 3
harness_heal || fail "heal"
for i in 1 2 3; do for j in 1 2 3; do [ "$i" = "$j" ] || expect_reach "$i" "$j"; done; done

# --- one-way block ---
harness_block 1 2; rc=$?
if [ "$rc" = 77 ]; then
	echo "skip: block (no nft)"
elif [ "$rc" != 0 ]; then
	fail "block 1 2: rc=$rc"
else
	for i in 1 2 3; do harness_exec "$i" ip neigh flush all; done	# the open way must resolve ARP itself
	send 1 2 m-1to2-blocked
	send 2 1 m-2to1-open
	send 1 3 m-1to3-open
	received 1 m-2to1-open && received 3 m-1to3-open && ! received 2 m-1to2-blocked &&
		ok "block 1 2 drops 1->2 only" || fail "block 1 2: $(cat "$PL_HARNESS_DIR"/n*/run/echo.rx | tr '\n' ' ')"
	harness_partition "1 2|3" || fail "partition 1 2|3"
	expect_blocked 2 3
	send 1 2 m-1to2-still-blocked
	received 2 m-1to2-still-blocked && fail "a new partition dropped the block 1 2"
	harness_partition "1 2 3|" 2> /dev/null && fail "partition with an empty group accepted"
	harness_unblock 1 2 || fail "unblock 1 2"
	expect_reach 1 2
	harness_block 2 3 && harness_heal || fail "block 2 3 + heal"
	expect_reach 2 3	# heal removed both the partition and the block
	expect_reach 3 1
fi

# --- full disk in a node's state/ ---
harness_fill 1 || fail "fill 1"
harness_exec 1 sh -c 'echo data > "$PL_STATE_DIR/x"' 2> /dev/null && fail "write to a full state/ succeeded"
harness_exec 2 sh -c 'echo data > "$PL_STATE_DIR/x"' || fail "fill 1 filled node 2's state/"
harness_unfill 1
harness_exec 1 sh -c 'echo data > "$PL_STATE_DIR/x"' && ok "fill/unfill state/" || fail "write after unfill"

# --- kill -9 ---
[ -n "$(harness_pids 2)" ] || fail "no process in node 2 before kill"
harness_kill 2 || fail "kill 2"
[ -z "$(harness_pids 2)" ] && ok "kill 2 leaves no process in $(harness_ns 2)" || fail "processes left in $(harness_ns 2): $(harness_pids 2)"
expect_blocked 1 2
[ -n "$(harness_pids 1)" ] && [ -n "$(harness_pids 3)" ] || fail "kill 2 touched other nodes"
harness_exec 2 sh -c 'echo stale > /run/stale.pid'
harness_wipe_run 2 && ! [ -e "$PL_HARNESS_DIR/n2/run/stale.pid" ] && [ -d "$PL_HARNESS_DIR/n2/run/resource-agents" ] &&
	ok "wipe-run 2 empties run/" || fail "wipe-run 2"
start_echo 2
expect_reach 1 2
harness_wipe_run 2 2> /dev/null && fail "wipe-run of a running node succeeded"

# --- stop: SIGTERM, then SIGKILL after the deadline ---
harness_stop 1 5 && ok "stop 1: echo exited on SIGTERM" || fail "stop 1 needed SIGKILL"
harness_start 3 --name stubborn sh -c 'trap "" TERM; while :; do sleep 0.05; done' > /dev/null
three_procs_in_n3() { [ "$(harness_pids 3 | wc -l)" -ge 3 ]; }
wait_for 2 three_procs_in_n3 || fail "stubborn did not start"
t0=$(harness__now_us)
harness_stop 3 0.5 2> /dev/null; rc=$?
t1=$(harness__now_us)
[ "$rc" = 1 ] && [ -z "$(harness_pids 3)" ] && ok "stop 3: SIGKILL after $(( (t1 - t0) / 1000 )) ms" ||
	fail "stop 3: rc=$rc, left: $(harness_pids 3)"
start_echo 1
start_echo 3
expect_reach 2 1
expect_reach 2 3

# --- packet loss ---
harness_loss 2 100; rc=$?
if [ "$rc" = 77 ]; then
	echo "skip: loss (no sch_netem, no nft)"
elif [ "$rc" != 0 ]; then
	fail "loss 2 100: rc=$rc"
else
	expect_blocked 1 2
	expect_blocked 2 3
	expect_reach 1 3
	harness_loss 2 0 || fail "loss 2 0"
	expect_reach 1 2
	# 30 % each way: a round trip survives with p = 0.49; 60 probes fall in 15..45 but for 1e-4.
	harness_loss 2 30 || fail "loss 2 30"
	got=$(harness_exec 1 "$PY" -c "$PROBE_PY" "$(harness_addr 2)" 0.05 "$PORT" 60)
	[ "${got:-0}" -ge 15 ] && [ "${got:-0}" -le 45 ] && ok "loss 2 30: $got of 60 round trips answered" ||
		fail "loss 2 30: ${got:-?} of 60 round trips answered, expected 15..45"
	harness_loss 2 0 || fail "loss 2 0"
	got=$(harness_exec 1 "$PY" -c "$PROBE_PY" "$(harness_addr 2)" 0.5 "$PORT" 20)
	[ "$got" = 20 ] && ok "loss 2 0: 20 of 20 answered" || fail "loss 2 0: ${got:-?} of 20 answered"
fi
harness_delay 2 50 2> /dev/null; rc=$?
if [ "$rc" = 77 ]; then
	echo "skip: delay (no sch_netem in this kernel)"
elif [ "$rc" = 0 ]; then
	harness_delay 2 0 || fail "delay 2 0"
else
	fail "delay 2 50: rc=$rc"
fi

# --- down leaves nothing behind ---
t0=$(harness__now_us)
harness_down || fail "down"
t1=$(harness__now_us)
echo "figure: down took $(( (t1 - t0) / 1000 )) ms"
harness_down || fail "second down"
left=$(harness__our_namespaces | tr '\n' ' ')
[ -z "$left" ] && ok "no namespace left" || fail "namespaces left: $left"
grep -q " $PL_HARNESS_DIR" /proc/mounts && fail "mounts left under $PL_HARNESS_DIR"
[ -e "$PL_HARNESS_DIR" ] && fail "$PL_HARNESS_DIR still exists"
host_links_after=$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
[ "$host_links_before" = "$host_links_after" ] && ok "host interfaces unchanged" ||
	fail "host interfaces changed: '$host_links_before' -> '$host_links_after'"
[ -f "$PL_HARNESS_LOGS/n1/echo.out" ] && ok "logs kept in $PL_HARNESS_LOGS" || fail "logs not kept"

if [ "$failures" -gt 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "all harness checks passed"
