#!/usr/bin/env bash
# lib/ipc memory per connection (not run by ctest): starts paceline-lrmd, paceline-cib and
# paceline-pengine under a private PL_IPC_PREFIX, opens N idle connections to each
# (build/tests/ipc_hold) and prints, per daemon, /dev/shm reserved (apparent size of libqb's
# ring files) and allocated (tmpfs blocks), and the daemon's RSS, per client. With Debian's
# Pacemaker installed it also prints pacemaker-based's figure per client (cibadmin -Q held
# open is not possible, so the ratio is against libqb's default ring of PCMK_ipc_buffer,
# 128 KiB x 3, which is what every Pacemaker IPC connection reserves).
# Usage: tests/bench/ipc-memory.sh [BUILD_DIR] [N]   (N idle clients, default 20)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
bin=$build/bin
hold=$build/tests/ipc_hold
n=${2:-20}
tmp=$(mktemp -d /tmp/pl-ipcmem.XXXXXX)
export PL_IPC_PREFIX="pl-ipcmem-$$" PL_STATE_DIR=$tmp/state PL_CIB_MEMBERSHIP_TIMEOUT_MS=100
mkdir -p "$tmp/state" "$tmp/run"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
shm_kb() {	# shm_kb PID apparent|allocated: libqb files of server PID, in KiB
	local opt=; [ "$2" = apparent ] && opt=--apparent-size
	du -skc $opt /dev/shm/qb-"$1"-* 2>/dev/null | awk 'END {print $1 + 0}'
}
wait_up() {	# wait_up SERVICE: until one connection succeeds
	for _ in $(seq 1 200); do
		echo | "$hold" "$1" 1 >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "$1 did not start" >&2; return 1
}

measure() {	# measure SERVICE PID
	local svc=$1 pid=$2 r0 a0 s0 r1 a1 s1
	sleep 0.2
	r0=$(rss_kb "$pid"); a0=$(shm_kb "$pid" apparent); s0=$(shm_kb "$pid" allocated)
	coproc HOLD { "$hold" "$svc" "$n"; }
	read -r line <&"${HOLD[0]}"
	sleep 0.3
	r1=$(rss_kb "$pid"); a1=$(shm_kb "$pid" apparent); s1=$(shm_kb "$pid" allocated)
	exec {HOLD[1]}>&-
	wait "$HOLD_PID" 2>/dev/null
	printf '%-9s %-14s /dev/shm reserved %8.1f KiB/client, allocated %8.1f KiB/client, daemon RSS %+8.1f KiB/client (%s)\n' \
		"$svc" "$line" "$(echo "($a1 - $a0) / $n" | bc -l)" "$(echo "($s1 - $s0) / $n" | bc -l)" \
		"$(echo "($r1 - $r0) / $n" | bc -l)" "RSS $r0 -> $r1 KiB"
}

"$bin/paceline-lrmd" -R "$tmp/run" >"$tmp/lrmd.log" 2>&1 & pids+=($!); lrmd=$!
"$bin/paceline-cib" -l "$tmp/cib.log" 2>/dev/null & pids+=($!); cib=$!
"$bin/paceline-pengine" >"$tmp/pengine.log" 2>&1 & pids+=($!); pe=$!
wait_up lrmd && wait_up cib && wait_up pengine || exit 1
echo "N=$n idle clients per daemon, PL_MSG_LIMIT=${PL_MSG_LIMIT:-default}"
measure lrmd "$lrmd"
measure cib "$cib"
measure pengine "$pe"
echo "Pacemaker 2.1.5 reference: libqb rings of PCMK_ipc_buffer (default 131072 B) x 3 = 384 KiB reserved per connection"
