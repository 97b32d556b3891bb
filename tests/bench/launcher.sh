#!/usr/bin/env bash
# launcher.sh - paceline-launcher against Pacemaker's pacemakerd on the same machine, 2 nodes in
# network namespaces each (scripts/demo for Paceline, ../shared/anchors/pcmk-cluster.sh for
# Corosync + Pacemaker). As root. Prints, per stack:
#   respawn <child>  kill -9 of a supervised daemon -> a new process of it exists
#                    (Paceline also: -> it answers on its IPC again, "ready")
#   stop node        SIGTERM to the supervisor -> every daemon of the node gone
#                    (Pacemaker: pacemakerd's children; corosync is stopped after, not counted)
# Pairs: cib/pacemaker-based, lrmd/pacemaker-execd, pengine/pacemaker-schedulerd.
# RUNS=n repetitions of each respawn (default 2; Paceline waits 10.5 s before each kill so
# that it is a first, unthrottled death); medians are printed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${PL_BIN:-$ROOT/build/bin}
ANCHOR=${ANCHOR:-$ROOT/../shared/anchors/pcmk-cluster.sh}
RUNS=${RUNS:-2}
export TOKEN=${TOKEN:-1000}
[ "$(id -u)" = 0 ] || { echo "run as root"; exit 1; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
ms() { echo $(( ($2 - $1) / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "n/a")}'; }

# ---- Paceline ----
export PL_HARNESS_NAME=plbench PL_DEMO_SKIP_BUILD=1
D="$ROOT/scripts/demo"
"$D" down > /dev/null 2>&1
"$D" up 2 | head -1
st() { "$D" exec 1 paceline-launcher --status 2> /dev/null; }
cpid() { st | awk -v c="$1" '$1 == c && $3 ~ /^[0-9]+$/ { print $3 }'; }
cready() { st | awk -v c="$1" -v p="$2" '$1 == c && $2 == "ready" && $3 != p' | grep -q .; }
for c in pengine lrmd cib; do
	: > /tmp/plbench.$c.new; : > /tmp/plbench.$c.ready
	for _ in $(seq "$RUNS"); do
		sleep 10.5	# a death after 10 s up is respawned at once (min-uptime)
		old=$(cpid "$c"); t0=$(now_us)
		kill -KILL "$old"
		until p=$(cpid "$c") && [ -n "$p" ] && [ "$p" != "$old" ]; do sleep 0.005; done
		t1=$(now_us)
		until cready "$c" "$old"; do sleep 0.005; done
		t2=$(now_us)
		ms "$t0" "$t1" >> /tmp/plbench.$c.new; ms "$t0" "$t2" >> /tmp/plbench.$c.ready
	done
	echo "paceline  respawn $c: new process $(median < /tmp/plbench.$c.new) ms, ready $(median < /tmp/plbench.$c.ready) ms (median of $RUNS)"
done
t0=$(now_us); "$D" stop 2 > /dev/null; t1=$(now_us)
echo "paceline  stop node: $(ms "$t0" "$t1") ms (launcher SIGTERM -> namespace empty, membership included)"
"$D" down > /dev/null

# ---- Pacemaker ----
[ -x "$ANCHOR" ] || { echo "pacemaker: $ANCHOR not found: skipped"; exit 0; }
"$ANCHOR" down > /dev/null 2>&1
"$ANCHOR" up 2 | grep '^UP'
P=${PCMK_HARNESS_PREFIX:-pcmkn}
# (comm is cut at 15 characters: pacemaker-schedulerd is "pacemaker-sched")
ppid_of() { local p; for p in $(ip netns pids "${P}1"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = "${1:0:15}" ] && echo "$p"; done; return 0; }
for c in pacemaker-schedulerd pacemaker-execd pacemaker-based; do
	: > /tmp/pcbench.$c
	for _ in $(seq "$RUNS"); do
		sleep 1.2
		old=$(ppid_of "$c"); t0=$(now_us)
		[ -n "$old" ] || { echo "pacemaker: no $c"; break; }
		kill -KILL "$old"
		dl=$(( $(now_us) + 30000000 ))
		until p=$(ppid_of "$c") && [ -n "$p" ] && [ "$p" != "$old" ]; do
			[ "$(now_us)" -lt "$dl" ] || { p=timeout; break; }
			sleep 0.005
		done
		t1=$(now_us)
		[ "$p" = timeout ] || ms "$t0" "$t1" >> /tmp/pcbench.$c
	done
	echo "pacemaker respawn $c: new process $(median < /tmp/pcbench.$c) ms (median of $RUNS)"
done
pm=$(for p in $(ip netns pids "${P}2"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = pacemakerd ] && echo "$p"; done)
t0=$(now_us); kill -TERM "$pm"
while kill -0 "$pm" 2> /dev/null; do sleep 0.005; done
t1=$(now_us)
echo "pacemaker stop node: $(ms "$t0" "$t1") ms (pacemakerd SIGTERM -> pacemakerd gone; corosync not counted)"
"$ANCHOR" down > /dev/null
rm -f /tmp/plbench.* /tmp/pcbench.*
