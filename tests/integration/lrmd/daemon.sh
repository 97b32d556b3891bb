#!/bin/sh
# paceline-lrmd end to end through paceline-lrmd-exec: Paceline's and resource-agents' agents
# started, monitored and stopped; a missing agent; a hung agent killed with its process group
# at its timeout; recurring monitors (reported on change, cancelled by stop and by cancel,
# by a disconnecting client unless detached); history; catalogue and meta-data; clean exit.
. "$(dirname "$0")/lib.sh"

test_agent hang 'case $1 in meta-data) exit 0;; esac
echo $$ >"$OCF_RESKEY_pidfile"
sleep 1000 & sh -c "trap \"\" TERM; sleep 1000" &
trap "" TERM
sleep 1000'
export PL_LRMD_KILL_GRACE_MS=300

# --local: the same executor in the tool's own process, no daemon needed.
ls_=$tmp/run/local.state
mkdir -p "$tmp/run"
run_op 0 --local -r loc -c ocf -P paceline -T Dummy -a start -k state="$ls_"
[ -f "$ls_" ] || fail "--local start made no state file"
run_op 0 --local -r loc -c ocf -P paceline -T Dummy -a stop -k state="$ls_"
run_op 7 --local -r loc -c ocf -P paceline -T Dummy -a monitor -k state="$ls_"
run_op 5 --local -r loc -c ocf -P paceline -T NoSuchAgent -a monitor
run_op 1 --local -r loc -c ocf -P test -T hang -a start -k pidfile="$tmp/hang0.pid" -t 300ms
grep -q 'status=timed out' "$tmp/out" || fail "--local timeout: $(cat "$tmp/out")"
run_op 64 --local --history

start_daemon

st=$tmp/run/d.state
# Paceline's Dummy
run_op 7 -r pd -c ocf -P paceline -T Dummy -a monitor -k state="$st"
run_op 0 -r pd -c ocf -P paceline -T Dummy -a start -k state="$st" -t 20s
grep -q 'pd_start_0 (call [0-9]*): rc=0 (ok) status=done exec-time=' "$tmp/out" || fail "start output: $(cat "$tmp/out")"
[ -f "$st" ] || fail "Dummy start made no state file"
run_op 0 -r pd -c ocf -P paceline -T Dummy -a monitor -k state="$st"
run_op 6 -r pd -c ocf -P paceline -T Dummy -a start -k state="$st" -k fail_start=6 -k fail_reason="no disk"
grep -q '^exit-reason: no disk$' "$tmp/out" || fail "exit reason not shown: $(cat "$tmp/out")"
run_op 0 -r pd -c ocf -P paceline -T Dummy -a stop -k state="$st"
run_op 7 -r pd -c ocf -P paceline -T Dummy -a monitor -k state="$st"

# Paceline's Stateful
ss=$tmp/run/s.state
run_op 0 -r ps -c ocf -P paceline -T Stateful -a start -k state="$ss" -k set_promotion=false
run_op 0 -r ps -c ocf -P paceline -T Stateful -a promote -k state="$ss" -k set_promotion=false
run_op 8 -r ps -c ocf -P paceline -T Stateful -a monitor -k state="$ss" -k set_promotion=false
run_op 0 -r ps -c ocf -P paceline -T Stateful -a demote -k state="$ss" -k set_promotion=false
run_op 0 -r ps -c ocf -P paceline -T Stateful -a stop -k state="$ss" -k set_promotion=false

# resource-agents' Dummy, unmodified
if [ -x "$OCF_ROOT/resource.d/heartbeat/Dummy" ]; then
	hs=$tmp/run/h.state
	run_op 7 -r hd -c ocf -P heartbeat -T Dummy -a monitor -k state="$hs"
	run_op 0 -r hd -c ocf -P heartbeat -T Dummy -a start -k state="$hs"
	run_op 0 -r hd -c ocf -P heartbeat -T Dummy -a monitor -k state="$hs"
	run_op 0 -r hd -c ocf -P heartbeat -T Dummy -a stop -k state="$hs"
	run_op 7 -r hd -c ocf -P heartbeat -T Dummy -a monitor -k state="$hs"
	run_op 0 --metadata -c ocf -P heartbeat -T Dummy
	grep -q '<resource-agent name="Dummy"' "$tmp/out" || fail "heartbeat Dummy meta-data"
else
	echo "note: resource-agents not installed, heartbeat agents skipped"
fi

# A missing agent: rc 5, status not installed.
run_op 5 -r miss -c ocf -P paceline -T NoSuchAgent -a start
grep -q 'rc=5 (not installed) status=not installed' "$tmp/out" || fail "missing agent: $(cat "$tmp/out")"
run_op 5 -r miss2 -c lsb -T no-such-script -a start

# A hung agent is killed at its timeout together with everything it started.
t0=$(date +%s%N)
run_op 1 -r hung -c ocf -P test -T hang -a start -k pidfile="$tmp/hang.pid" -t 500ms
t1=$(date +%s%N)
grep -q 'status=timed out' "$tmp/out" || fail "hung agent: $(cat "$tmp/out")"
grep -q 'exit-reason: start timed out after 500ms' "$tmp/out" || fail "timeout reason: $(cat "$tmp/out")"
[ $(( (t1 - t0) / 1000000 )) -lt 3000 ] || fail "hung agent took $(( (t1 - t0) / 1000000 ))ms to end"
pg=$(cat "$tmp/hang.pid")
group_gone() { ! ps -eo pgid=,stat= | awk -v g="$pg" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'; }
wait_for 5 group_gone || fail "processes of the hung agent's group survive: $(ps -eo pid,pgid,stat,cmd | awk -v g="$pg" '$2 == g')"

# Recurring monitor: reported at first, then on change; history; cancel.
rs=$tmp/run/r.state
run_op 0 -r rec -c ocf -P paceline -T Dummy -a start -k state="$rs"
run_op 0 -r rec -c ocf -P paceline -T Dummy -a monitor -i 200ms -k state="$rs" --detach
grep -q 'rec_monitor_200' "$tmp/out" || fail "recurring first result: $(cat "$tmp/out")"
rm -f "$rs"
has_rc7() { "$exec_tool" --history -r rec | grep 'operation="monitor" interval="200"' | grep -q 'rc-code="7"'; }
wait_for 5 has_rc7 || fail "recurring monitor did not see the resource stop: $("$exec_tool" --history -r rec)"
"$exec_tool" --history -r rec | grep 'interval="200"' | grep -q 'recurring="1"' || fail "history does not show the monitor as recurring"
run_op 0 --cancel -r rec -a monitor -i 200ms
run_op 105 --cancel -r rec -a monitor -i 200ms
"$exec_tool" --history -r rec | grep 'interval="200"' | grep -q 'recurring="0"' || fail "cancelled monitor still recurring"

# A stop cancels the resource's recurring monitors.
run_op 0 -r rec -c ocf -P paceline -T Dummy -a start -k state="$rs"
run_op 0 -r rec -c ocf -P paceline -T Dummy -a monitor -i 1s -k state="$rs" --detach
[ "$(stat_of recurring)" = 1 ] || fail "recurring count $(stat_of recurring), want 1"
run_op 0 -r rec -c ocf -P paceline -T Dummy -a stop -k state="$rs"
[ "$(stat_of recurring)" = 0 ] || fail "stop left $(stat_of recurring) recurring op(s)"
"$exec_tool" --history -r rec | grep 'interval="1000"' | grep -q 'op-status="1"' || fail "monitor not recorded as cancelled"

# A recurring op that is not detached ends with its client.
run_op 7 -r own -c ocf -P paceline -T Dummy -a monitor -i 1s -k state="$rs"
wait_for 5 sh -c "[ \"\$('$exec_tool' --stats | sed -n 's/^recurring=//p')\" = 0 ]" || fail "recurring op of a gone client survives"

# A subscribed client (crmd's way) sees every result, with the requester's user data, and a
# recurring op's changes.
helper=$bin/../tests/lrmd_bench
if [ -x "$helper" ]; then
	"$helper" watch 8000 >"$tmp/watch.out" 2>&1 &
	watcher=$!
	wait_for 10 grep -q subscribed "$tmp/watch.out" || fail "watcher did not subscribe"
	ws=$tmp/run/w.state
	run_op 0 -r w1 -c ocf -P paceline -T Dummy -a start -k state="$ws" -u "0:0;7:3:0:abc"
	run_op 0 -r w1 -c ocf -P paceline -T Dummy -a monitor -i 200ms -k state="$ws" --detach -u mon-key
	rm -f "$ws"
	seen() { grep -q "$1" "$tmp/watch.out"; }
	wait_for 5 seen 'w1 start 0 rc=0 status=0 user=0:0;7:3:0:abc' || fail "watcher missed the start: $(cat "$tmp/watch.out")"
	wait_for 5 seen 'w1 monitor 200 rc=0 status=0 user=mon-key' || fail "watcher missed the first monitor"
	wait_for 5 seen 'w1 monitor 200 rc=7 status=0 user=mon-key' || fail "watcher missed the monitor's change"
	[ "$(grep -c 'w1 monitor 200 rc=0' "$tmp/watch.out")" = 1 ] || fail "unchanged monitor results were sent again"
	run_op 0 --cancel -r w1 -a monitor -i 200ms
	wait_for 5 seen 'w1 monitor 200 rc=1 status=1' || fail "watcher missed the cancellation"
	kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
fi

# Catalogue and meta-data.
run_op 0 --list-classes
grep -qx ocf "$tmp/out" && grep -qx lsb "$tmp/out" || fail "classes: $(cat "$tmp/out")"
run_op 0 --list-providers
grep -qx paceline "$tmp/out" && grep -qx test "$tmp/out" || fail "providers: $(cat "$tmp/out")"
run_op 0 --list-agents ocf:paceline
grep -qx Dummy "$tmp/out" && grep -qx Stateful "$tmp/out" || fail "agents: $(cat "$tmp/out")"
run_op 0 --metadata -c ocf -P paceline -T Stateful
xmllint --noout --relaxng "$src/agents/ocf-meta-data.rng" "$tmp/out" 2>/dev/null || fail "Stateful meta-data through lrmd is not valid"
run_op 5 --metadata -c ocf -P paceline -T NoSuchAgent

# Bad requests are refused with a reason, and change nothing.
run_op 2 -r bad -c ocf -T Dummy -a start
grep -q 'provider' "$tmp/out" || fail "no reason for a missing provider: $(cat "$tmp/out")"
run_op 64 -r x -c ocf -P paceline -T Dummy -a start -t soon
run_op 105 --history -r bad

# SIGTERM with an agent running: the daemon kills its group, exits 0, its IPC name is gone,
# and the waiting client is told it lost the daemon.
rm -f "$tmp/hang.pid"
"$exec_tool" -r hung2 -c ocf -P test -T hang -a start -k pidfile="$tmp/hang.pid" -t 60s >"$tmp/bg.out" 2>&1 &
bg=$!
wait_for 10 test -s "$tmp/hang.pid" || fail "hung agent did not start"
pg=$(cat "$tmp/hang.pid")
kill "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=""
[ "$rc" = 0 ] || fail "paceline-lrmd exited $rc on SIGTERM"
wait "$bg"; rc=$?
[ "$rc" = 102 ] || fail "client waiting on a stopped daemon exited $rc, want 102: $(cat "$tmp/bg.out")"
wait_for 5 group_gone || fail "agent group survives the daemon's shutdown"
run_op 102 --stats

# kill -9: clients are told at once, a new daemon serves again (with an empty history: state
# is in memory only, crmd re-probes).
start_daemon
run_op 0 -r k1 -c ocf -P paceline -T Dummy -a start -k state="$tmp/run/k.state"
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
run_op 102 --stats
start_daemon
run_op 105 --history -r k1
run_op 0 -r k1 -c ocf -P paceline -T Dummy -a monitor -k state="$tmp/run/k.state"
finish lrmd-daemon
