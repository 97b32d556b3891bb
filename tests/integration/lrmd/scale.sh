#!/bin/sh
# 200 resources with 1 s monitors through paceline-lrmd: monitors keep their rate (no drift:
# 200 runs a second, each close to its planned start) and the daemon's descriptors and memory
# do not grow while they run.
. "$(dirname "$0")/lib.sh"

N=${PL_LRMD_SCALE_N:-200}
WINDOW=${PL_LRMD_SCALE_SECONDS:-10}
start_daemon

i=0
while [ $i -lt $N ]; do
	"$exec_tool" -q -r "s$i" -c ocf -P paceline -T Dummy -a start -k state="$tmp/run/s$i" || fail "start s$i"
	"$exec_tool" -q --no-wait --detach -r "s$i" -c ocf -P paceline -T Dummy -a monitor -i 1s \
		-k state="$tmp/run/s$i" || fail "monitor s$i"
	i=$((i + 1))
done
[ "$(stat_of recurring)" = "$N" ] || fail "recurring ops: $(stat_of recurring), want $N"

# Let the monitors settle into their rhythm, then measure a window.
sleep 3
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t1=$(now_ms); r1=$(stat_of recurring_runs); f1=$(stat_of fds); m1=$(stat_of rss_kb)
sleep "$WINDOW"
t2=$(now_ms); r2=$(stat_of recurring_runs); f2=$(stat_of fds); m2=$(stat_of rss_kb)
late_max=$(stat_of late_max_ms); late_avg=$(stat_of late_avg_ms)

# runs per resource per second, x1000
rate=$(( (r2 - r1) * 1000 * 1000 / (t2 - t1) / N ))
echo "runs in ${WINDOW}s window: $((r2 - r1)) (rate x1000 per resource: $rate); lateness max ${late_max}ms avg ${late_avg}ms"
echo "fds $f1 -> $f2; rss ${m1}kB -> ${m2}kB"
[ "$rate" -ge 950 ] && [ "$rate" -le 1050 ] || fail "monitor rate $rate/1000 per second, want 1000 +-5%"
[ "$late_avg" -lt 100 ] || fail "monitors start ${late_avg}ms late on average"
[ "$late_max" -lt 1000 ] || fail "a monitor started ${late_max}ms late (a run was skipped)"
[ $((f2 - f1)) -le 6 ] && [ $((f1 - f2)) -le 6 ] || fail "descriptors $f1 -> $f2"
[ $((m2 - m1)) -lt 1024 ] || fail "memory grew ${m1}kB -> ${m2}kB in ${WINDOW}s"

# Stopping every resource ends every monitor; descriptors go back.
i=0
while [ $i -lt $N ]; do
	"$exec_tool" -q -r "s$i" -c ocf -P paceline -T Dummy -a stop -k state="$tmp/run/s$i" || fail "stop s$i"
	i=$((i + 1))
done
[ "$(stat_of recurring)" = 0 ] || fail "recurring ops left after stop: $(stat_of recurring)"
f3=$(stat_of fds)
[ "$f3" -le "$f1" ] || fail "descriptors after stopping everything: $f3 (before: $f1)"
finish lrmd-scale
