#!/bin/bash
# qdevice.sh - time from a partition to the quorum decision with a quorum device: two nodes and
# an arbiter (ffsplit), the nodes cut from each other with the arbiter on node 1's side; the
# decision is reached when node 1 is quorate in its own ring and node 2 is not. Paceline
# (paceline-membership + paceline-qnetd) and corosync 3.1.7 (corosync + corosync-qdevice +
# corosync-qnetd 3.0.3, tls off) on the same namespace topology, same token, same device
# timeout, in the same run. Run by hand, as root:
#	tests/bench/qdevice.sh            RUNS (5), TOKEN (1000), QTIMEOUT (2000, quorum.device.timeout),
#	                                  QDEVICE_TLS=required: Paceline's nodes over TLS (certificates
#	                                  made by paceline-qnetd-certutil; corosync stays tls: off)
# Prints each run and the medians, and the ratio. Skips corosync when its packages are absent.
set -u
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$here/../..
export PL_BIN=${PL_BIN:-$ROOT/build/bin}
RUNS=${RUNS:-5}
export TOKEN=${TOKEN:-1000}
QTIMEOUT=${QTIMEOUT:-2000}
H=$ROOT/tests/cluster/membership_harness.sh
now_ms() { local t=$EPOCHREALTIME; t=${t/./}; echo $((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# ---- Paceline ----
pl_run() {
	export PL_HARNESS_DIR=/tmp/pl-bench-qdevice QDEVICE="algorithm: ffsplit" QDEVICE_TIMEOUT=$QTIMEOUT
	"$H" down
	"$H" up 2 > /dev/null || { echo "paceline: up failed" >&2; return 1; }
	for i in 1 2; do "$H" wait_ring "$i" "1 2" 30 || return 1; done
	until "$H" exec 1 "$PL_BIN/paceline-quorumtool" -s 2> /dev/null | grep -q "^Total votes: *3"; do sleep 0.05; done
	echo "paceline: $("$H" exec 3 "$PL_BIN/paceline-qnetd-tool" -l -v | grep -c "TLS active:.*Yes") of 2 nodes on TLS" >&2
	for r in $(seq 1 "$RUNS"); do
		until "$H" exec 1 "$PL_BIN/paceline-quorumtool" -s 2> /dev/null | grep -q "^Total votes: *3"; do sleep 0.05; done
		t0=$(now_ms)
		"$H" partition 1 3 / 2
		while :; do
			a=$("$H" exec 1 "$PL_BIN/paceline-quorumtool" -s 2> /dev/null)
			b=$("$H" exec 2 "$PL_BIN/paceline-quorumtool" -s 2> /dev/null)
			echo "$a" | grep -q "^Quorate: *Yes" && echo "$a" | grep -q "^Nodes: *1" &&
				echo "$b" | grep -q "^Quorate: *No" && break
			[ $(($(now_ms) - t0)) -gt 60000 ] && { echo "paceline: no decision" >&2; return 1; }
			sleep 0.02
		done
		echo "paceline run $r: $(($(now_ms) - t0)) ms" >&2
		echo $(($(now_ms) - t0))
		"$H" heal
		for i in 1 2; do "$H" wait_ring "$i" "1 2" 30 > /dev/null || return 1; done
	done
	"$H" down
}

# ---- corosync 3.1.7 + corosync-qdevice + corosync-qnetd, on harness.sh's namespaces ----
cs_node() { # cs_node I CMD...: in node I's namespace with private /etc/corosync, /var/lib/corosync, /run
	local i=$1; shift
	local d=$PL_HARNESS_DIR/cs$i
	ip netns exec "$(harness_ns "$i")" unshare -m sh -c '
		d=$1; shift
		mount --make-rprivate / && mount --bind "$d/etc" /etc/corosync && mount --bind "$d/lib" /var/lib/corosync &&
		mount --bind "$d/run" /run && exec "$@"' sh "$d" "$@"
}
cs_conf() {
	cat <<EOC
totem {
	version: 2
	cluster_name: bench
	token: $TOKEN
	transport: knet
	crypto_cipher: none
	crypto_hash: none
}
nodelist {
	node {
		ring0_addr: $(harness_addr 1)
		name: n1
		nodeid: 1
	}
	node {
		ring0_addr: $(harness_addr 2)
		name: n2
		nodeid: 2
	}
}
quorum {
	provider: corosync_votequorum
	device {
		model: net
		votes: 1
		timeout: $QTIMEOUT
		sync_timeout: $((QTIMEOUT * 3))
		net {
			host: $(harness_addr 3)
			algorithm: ffsplit
			tls: off
		}
	}
}
logging {
	to_syslog: no
	to_stderr: yes
	timestamp: on
}
EOC
}
cs_quorate() { cs_node "$1" corosync-quorumtool -s 2> /dev/null; }
cs_run() {
	local i
	export PL_HARNESS_DIR=/tmp/pl-bench-qdevice-cs PL_HARNESS_NAME=plbcs
	. "$ROOT/tests/cluster/harness.sh"
	harness_down > /dev/null 2>&1
	harness_up 3 > /dev/null || { echo "corosync: harness up failed" >&2; return 1; }
	for i in 1 2 3; do
		mkdir -p "$PL_HARNESS_DIR/cs$i/etc/qdevice/net" "$PL_HARNESS_DIR/cs$i/etc/qnetd" \
			"$PL_HARNESS_DIR/cs$i/lib" "$PL_HARNESS_DIR/cs$i/run/corosync-qdevice" \
			"$PL_HARNESS_DIR/cs$i/run/corosync-qnetd"
		cs_conf > "$PL_HARNESS_DIR/cs$i/etc/corosync.conf"
	done
	(cs_node 3 corosync-qnetd -f -s off -l "$(harness_addr 3)" > "$PL_HARNESS_DIR/cs3/qnetd.log" 2>&1 &)
	for i in 1 2; do
		(cs_node "$i" corosync -f > "$PL_HARNESS_DIR/cs$i/corosync.log" 2>&1 &)
	done
	sleep 1
	for i in 1 2; do
		(cs_node "$i" corosync-qdevice -f > "$PL_HARNESS_DIR/cs$i/qdevice.log" 2>&1 &)
	done
	t0=$(now_ms)
	until cs_quorate 1 | grep -q "^Total votes: *3" && cs_quorate 2 | grep -q "^Total votes: *3"; do
		[ $(($(now_ms) - t0)) -gt 60000 ] && { echo "corosync: not up" >&2; tail "$PL_HARNESS_DIR"/cs*/*.log >&2; return 1; }
		sleep 0.1
	done
	for r in $(seq 1 "$RUNS"); do
		until cs_quorate 1 | grep -q "^Total votes: *3"; do sleep 0.05; done
		t0=$(now_ms)
		harness_partition "1 3|2"
		while :; do
			a=$(cs_quorate 1)
			b=$(cs_quorate 2)
			echo "$a" | grep -q "^Quorate: *Yes" && echo "$a" | grep -q "^Nodes: *1" &&
				echo "$b" | grep -q "^Quorate: *No" && break
			[ $(($(now_ms) - t0)) -gt 60000 ] && { echo "corosync: no decision" >&2; return 1; }
			sleep 0.02
		done
		echo "corosync run $r: $(($(now_ms) - t0)) ms" >&2
		echo $(($(now_ms) - t0))
		harness_heal
		t0=$(now_ms)
		until cs_quorate 1 | grep -q "^Nodes: *2" && cs_quorate 2 | grep -q "^Nodes: *2"; do
			[ $(($(now_ms) - t0)) -gt 60000 ] && { echo "corosync: no heal" >&2; return 1; }
			sleep 0.1
		done
	done
	harness_down > /dev/null 2>&1
}

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
pl=$(pl_run | median)
if command -v corosync-qnetd > /dev/null && command -v corosync-qdevice > /dev/null; then
	cs=$( (cs_run) | median)
else
	cs=""
fi
echo "partition -> quorum decision, 2 nodes + arbiter, ffsplit, token $TOKEN ms, device timeout $QTIMEOUT ms, median of $RUNS:"
echo "  Paceline: ${pl:-?} ms"
echo "  corosync 3.1.7 + qdevice/qnetd 3.0.3: ${cs:-not measured} ms"
[ -n "$pl" ] && [ -n "$cs" ] && [ "$pl" -gt 0 ] && awk -v a="$pl" -v b="$cs" 'BEGIN {printf "  ratio corosync / Paceline: %.2f\n", b / a}'
exit 0
