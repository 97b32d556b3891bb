#!/usr/bin/env bash
# Stack-ready time of `scripts/demo up N`, started RUNS times (not run by ctest;
# docs/design/membership.md and reliability.md "group messages around back-to-back joins").
# Per run: the time `scripts/demo up` reports (every node's whole stack ready, the ring formed,
# every controller online), the cib sync rounds that stalled ("not done after": the 10 s
# restart), the attrd and crmd restarts of a group round, and the last controller election
# ("won" logged) relative to the first daemon's start. Then `scripts/demo down`; the logs of
# a run that stalled or failed are kept in /tmp/$PL_HARNESS_NAME-harness-logs-runR.
# Usage: tests/bench/demo-start.sh [BUILD_DIR]    RUNS=10 NODES=3 PL_HARNESS_NAME=plbench
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
runs=${RUNS:-10} nodes=${NODES:-3}
export PL_BIN=$build/bin PL_DEMO_SKIP_BUILD=1
export PL_HARNESS_NAME=${PL_HARNESS_NAME:-plbench}
logs=/tmp/$PL_HARNESS_NAME-harness-logs
[ "$(id -u)" = 0 ] || { echo "run me as root (network namespaces)"; exit 1; }
[ -x "$PL_BIN/paceline-launcher" ] || { echo "build $PL_BIN first"; exit 1; }

times=() stalled=0 runs_stalled=0 failed=0
printf '%-4s %-9s %-7s %s\n' run "up (s)" stalls "first election won after start (s)"
for r in $(seq 1 "$runs"); do
	out=$("$here/scripts/demo" up "$nodes" 2>&1 | head -n 1)
	t=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' <<< "$out")
	"$here/scripts/demo" down > /dev/null 2>&1
	s=$(cat "$logs"/n*/launcher.out 2>/dev/null | grep -c "not done after")
	# the seconds from the first log line to the last "won, this node is the DC"
	el=$(cat "$logs"/n*/launcher.out 2>/dev/null | awk '
		/^20/ { split($1, a, "T"); split(a[2], h, ":"); s = h[1] * 3600 + h[2] * 60 + h[3]
		  if (first == "" || s < first) first = s }
		/won, this node is the DC/ { if (s > won) won = s }
		END { if (won) printf "%.3f", won - first; else print "-" }')
	# keep the logs of a run that stalled or failed, for a look afterwards
	if [ -z "$t" ] || [ "$s" -gt 0 ]; then
		rm -rf "$logs-run$r" && cp -a "$logs" "$logs-run$r"
	fi
	if [ -z "$t" ]; then
		failed=$((failed + 1))
		printf '%-4s %-9s %-7s %s   (%s)\n' "$r" failed "$s" "$el" "$out"
		continue
	fi
	times+=("$t")
	stalled=$((stalled + s))
	[ "$s" -gt 0 ] && runs_stalled=$((runs_stalled + 1))
	printf '%-4s %-9s %-7s %s\n' "$r" "$t" "$s" "$el"
done
if [ "${#times[@]}" -gt 0 ]; then
	sorted=$(printf '%s\n' "${times[@]}" | sort -n)
	med=$(sed -n "$(( (${#times[@]} + 1) / 2 ))p" <<< "$sorted")
	max=$(tail -n 1 <<< "$sorted")
	echo "runs $runs: median up ${med} s, max ${max} s; runs with a stalled cib round:" \
		"$runs_stalled ($stalled stalls); failed starts: $failed"
fi
