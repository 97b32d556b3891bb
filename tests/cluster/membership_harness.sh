#!/bin/sh
# membership_harness.sh - run N Paceline nodes on this machine, one network namespace per node.
# (The generic multi-node harness is harness.sh next to it; see README.md.)
#
# Node I is namespace plXXXXXXnI with address 10.201.0.I/24 on eth0, a veth whose peer sits
# on bridge br0 in namespace plXXXXXXhub; XXXXXX is derived from $PL_HARNESS_DIR (or
# $PL_NS_ID), so several harnesses (several engineers, several test runs) never share or
# delete each other's namespaces. Nothing outside these namespaces is touched. Every process
# of node I runs with PL_IPC_PREFIX=<its namespace> (so IPC names and /dev/shm files never
# collide) and its own state directory under $PL_HARNESS_DIR/nI.
#
#   membership_harness.sh up N          create the namespaces, config and key, start every node
#   membership_harness.sh net N         only the namespaces, config and key (for other daemons)
#   membership_harness.sh start I       start node I's paceline-membership (again)
#   membership_harness.sh stop I        SIGTERM node I's daemon and wait for it
#   membership_harness.sh kill I        SIGKILL every process of node I (a crash)
#   membership_harness.sh partition 1 / 2 3   cut the cluster into groups (blackhole routes per node)
#   membership_harness.sh heal          remove every cut
#   membership_harness.sh exec I CMD..  run CMD inside node I (its namespace and environment)
#   membership_harness.sh wait_ring I N [SECS]   poll until node I's ring has N members (quorumtool)
#   membership_harness.sh ns I          print node I's namespace name
#   membership_harness.sh down          stop everything, delete this harness's namespaces
#
# Environment: PL_BIN (the built binaries), PL_HARNESS_DIR (default /tmp/pl-harness),
# TOKEN (totem.token, default 1000), CIPHER (crypto_cipher, default none).
set -u
NET=10.201.0
DIR=${PL_HARNESS_DIR:-/tmp/pl-harness}
NSID=${PL_NS_ID:-$(printf %s "$DIR" | cksum | cut -c1-6)}
P=pl${NSID}n
HUB=pl${NSID}hub
BIN=${PL_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/bin}

die() { echo "harness: $*" >&2; exit 1; }

can_run() {
	[ "$(id -u)" = 0 ] || { echo "harness: needs root" >&2; return 1; }
	ip netns list >/dev/null 2>&1 || { echo "harness: ip netns unavailable" >&2; return 1; }
	[ -x "$BIN/paceline-membership" ] || { echo "harness: no $BIN/paceline-membership" >&2; return 1; }
	return 0
}

nodes() { cat "$DIR/nodes" 2>/dev/null || echo 0; }

in_node() {	# in_node I CMD...: run inside node I (replaces the calling (sub)shell, so a
	# background in_node's $! is the command itself: stop can signal it)
	i=$1; shift
	exec ip netns exec "$P$i" env PL_IPC_PREFIX="$P$i" PL_CONF="$DIR/paceline.conf" \
		PL_AUTHKEY="$DIR/authkey" PL_STATE_DIR="$DIR/n$i/state" "$@"
}

write_conf() {
	n=$1
	{
		echo "totem {"
		echo "	cluster_name: plharness"
		echo "	token: ${TOKEN:-1000}"
		echo "	crypto_cipher: ${CIPHER:-none}"
		echo "}"
		echo "nodelist {"
		for i in $(seq 1 "$n"); do
			printf '\tnode {\n\t\tring0_addr: %s.%s\n\t\tname: n%s\n\t\tnodeid: %s\n\t}\n' \
				"$NET" "$i" "$i" "$i"
		done
		echo "}"
		echo "quorum {"
		echo "	provider: corosync_votequorum"
		[ "$n" = 2 ] && echo "	two_node: 1"
		echo "}"
		echo "logging {"
		echo "	to_syslog: no"
		echo "	timestamp: on"
		echo "}"
	} > "$DIR/paceline.conf"
}

cmd_net() {
	n=${1:?net N}
	can_run || exit 77
	for i in $(seq 1 "$n"); do
		ip netns list | awk '{print $1}' | grep -qx "$P$i" && die "namespace $P$i exists; run down first"
	done
	mkdir -p "$DIR" && echo "$n" > "$DIR/nodes"
	ip netns add "$HUB" && ip -n "$HUB" link set lo up &&
	ip -n "$HUB" link add br0 type bridge && ip -n "$HUB" link set br0 up || die "bridge setup failed"
	for i in $(seq 1 "$n"); do
		ip netns add "$P$i" && ip -n "$P$i" link set lo up &&
		ip -n "$P$i" link add eth0 type veth peer name v$i netns "$HUB" &&
		ip -n "$P$i" addr add "$NET.$i/24" dev eth0 && ip -n "$P$i" link set eth0 up &&
		ip -n "$HUB" link set "v$i" master br0 && ip -n "$HUB" link set "v$i" up ||
			die "namespace $P$i setup failed"
		mkdir -p "$DIR/n$i/state"
	done
	write_conf "$n"
	[ -f "$DIR/authkey" ] || "$BIN/paceline-keygen" -k "$DIR/authkey" >/dev/null || die "keygen failed"
}

cmd_up() {
	cmd_net "$@" || exit $?
	for i in $(seq 1 "$1"); do cmd_start "$i"; done
}

cmd_start() {
	i=${1:?start I}
	pidf="$DIR/n$i/pid"
	if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
		return 0
	fi
	in_node "$i" "$BIN/paceline-membership" -F >>"$DIR/n$i/membership.log" 2>&1 &
	echo $! > "$pidf"
}

cmd_stop() {
	i=${1:?stop I}
	pidf="$DIR/n$i/pid"
	[ -f "$pidf" ] || return 0
	pid=$(cat "$pidf")
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	rm -f "$pidf"
}

cmd_kill() {
	i=${1:?kill I}
	for pid in $(ip netns pids "$P$i" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	rm -f "$DIR/n$i/pid"
}

cmd_partition() {	# groups separated by "/": partition 1 / 2 3
	cmd_heal
	side=0
	: > "$DIR/sides"
	for a in "$@"; do
		if [ "$a" = / ]; then side=$((side + 1)); else echo "$a $side" >> "$DIR/sides"; fi
	done
	while read -r i si; do
		while read -r j sj; do
			[ "$si" != "$sj" ] && ip -n "$P$i" route add blackhole "$NET.$j/32"
		done < "$DIR/sides"
	done < "$DIR/sides"
}

cmd_heal() {
	for i in $(seq 1 "$(nodes)"); do
		ip -n "$P$i" route show type blackhole 2>/dev/null | while read -r _ dst _; do
			ip -n "$P$i" route del blackhole "$dst"
		done
	done
	return 0
}

# Members of node I's ring, from paceline-quorumtool -l (empty when it does not answer).
ring_of() {
	in_node "$1" "$BIN/paceline-quorumtool" -l -i 2>/dev/null | awk '$1 ~ /^[0-9]+$/ {print $1}' | tr '\n' ' '
}

cmd_wait_ring() {	# wait_ring I "1 2 3" [SECS]
	i=$1 want="$2 " secs=${3:-20}
	end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -le "$end" ]; do
		[ "$(ring_of "$i")" = "$want" ] && return 0
		sleep 0.05
	done
	echo "harness: node $i ring is '$(ring_of "$i")', wanted '$want'" >&2
	return 1
}

cmd_down() {
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^($P[0-9]+|$HUB)\$"); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
		ip netns del "$ns"
	done
	rm -f "$DIR"/n*/pid
	return 0
}

cmd=${1:-}
[ -n "$cmd" ] && shift
case "$cmd" in
up) cmd_up "$@" ;;
net) cmd_net "$@" ;;
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
kill) cmd_kill "$@" ;;
partition) cmd_partition "$@" ;;
heal) cmd_heal ;;
exec) i=${1:?exec I CMD}; shift; in_node "$i" "$@" ;;
wait_ring) cmd_wait_ring "$@" ;;
ring) ring_of "$@"; echo ;;
down) cmd_down ;;
ns) echo "$P${1:?ns I}" ;;
can_run) can_run ;;
*) sed -n '2,26p' "$0"; exit 64 ;;
esac
