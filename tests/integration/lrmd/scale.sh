#!/bin/sh
# 200 resources with 1 s monitors through paceline-lrmd: monitors keep their rate (no drift:
# 200 runs a second, each close to its planned start) and the daemon's descriptors and memory
# do not grow while they run.
. "$(dirname "$0")/lib.sh"

N=${PL_LRMD_SCALE_N:-200}
WINDOW=${PL_LRMD_SCALE_SECONDS:-10}
start_daemon

# One client sets up (and later stops) every resource: tests/bench/lrmd-bench.c "many".
many=$bin/../tests/lrmd_bench
[ -x "$many" ] || { echo "lrmd_bench not built"; exit 77; }
"$many" many start "$N" "$OCF_ROOT" paceline Dummy "$tmp/run" || fail "starting $N resources"
"$many" many monitor "$N" "$OCF_ROOT" paceline Dummy "$tmp/run" 1000 || fail "starting $N monitors"
[ "$(stat_of recurring)" = "$N" ] || fail "recurring ops: $(stat_of recurring), want $N"

# Let the monitors settle into their rhythm, then measure a window.
sleep 3
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t1=$(now_ms); r1=$(stat_of recurring_runs); f1=$(stat_of fds_idle); m1=$(stat_of rss_kb)
sleep "$WINDOW"
t2=$(now_ms); r2=$(stat_of recurring_runs); f2=$(stat_of fds_idle); m2=$(stat_of rss_kb)
late_max=$(stat_of late_max_ms); late_avg=$(stat_of late_avg_ms)

# runs per resource per second, x1000
rate=$(( (r2 - r1) * 1000 * 1000 / (t2 - t1) / N ))
echo "runs in ${WINDOW}s window: $((r2 - r1)) (rate x1000 per resource: $rate); lateness max ${late_max}ms avg ${late_avg}ms"
echo "fds $f1 -> $f2; rss ${m1}kB -> ${m2}kB"
# Timing is only meaningful when the machine is not overloaded by others (the test machines
# are shared): above 2 runnable tasks per CPU the figures are printed, not judged.
load=$(cut -d' ' -f1 /proc/loadavg | cut -d. -f1)
if [ "$load" -lt $(( 2 * $(nproc) )) ]; then
	[ "$rate" -ge 950 ] && [ "$rate" -le 1050 ] || fail "monitor rate $rate/1000 per second, want 1000 +-5%"
	[ "$late_avg" -lt 100 ] || fail "monitors start ${late_avg}ms late on average"
	[ "$late_max" -lt 1000 ] || fail "a monitor started ${late_max}ms late (a run was skipped)"
else
	echo "note: load average $load on $(nproc) CPUs, timing figures not judged"
	[ "$rate" -ge 500 ] || fail "monitor rate $rate/1000 per second even allowing for load"
fi
[ "$f2" = "$f1" ] || fail "descriptors (without running agents' pipes) $f1 -> $f2"
[ $((m2 - m1)) -lt 1024 ] || fail "memory grew ${m1}kB -> ${m2}kB in ${WINDOW}s"

# Stopping every resource ends every monitor; descriptors go back.
"$many" many stop "$N" "$OCF_ROOT" paceline Dummy "$tmp/run" || fail "stopping $N resources"
[ "$(stat_of recurring)" = 0 ] || fail "recurring ops left after stop: $(stat_of recurring)"
f3=$(stat_of fds_idle)
[ "$f3" = "$f1" ] || fail "descriptors after stopping everything: $f3 (before: $f1)"
finish lrmd-scale
