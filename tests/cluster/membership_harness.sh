#!/usr/bin/env bash
# membership_harness.sh - paceline-membership nodes on the generic harness (harness.sh next to
# it, which owns the namespaces, bridge, processes, partitions and clean-up). This file only adds
# what is membership's own: each node's paceline.conf and the shared authkey, starting and
# stopping the daemon, and waiting for a node's ring.
#
#   membership_harness.sh up N          namespaces, config and key, then start every node
#   membership_harness.sh net N         only the namespaces, config and key (for other daemons)
#   membership_harness.sh start I       start node I's paceline-membership (again)
#   membership_harness.sh stop I        SIGTERM node I's daemon and wait for it
#   membership_harness.sh kill I        SIGKILL every process of node I (a crash)
#   membership_harness.sh partition 1 / 2 3   cut the cluster into groups
#   membership_harness.sh heal          remove every cut (partitions on both links, link cuts)
#   membership_harness.sh linkcut K I   cut link K (0 or 1) of node I (its hub port goes down)
#   membership_harness.sh linkup K I    bring it back
#   membership_harness.sh exec I CMD..  run CMD inside node I (its namespace and environment)
#   membership_harness.sh wait_ring I "1 2 3" [SECS]   poll until node I's ring has these members
#   membership_harness.sh ring I        print node I's ring members
#   membership_harness.sh ns I          print node I's namespace name
#   membership_harness.sh down          stop everything, delete this cluster's namespaces
#   membership_harness.sh can_run       0 when root, network namespaces and the daemon are there
#   membership_harness.sh arbiter start|stop|kill   (with QDEVICE) paceline-qnetd in node N+1
#   membership_harness.sh block I J / unblock I J   drop node I's frames to node J (one way)
#
# Environment: PL_BIN (the built binaries), PL_HARNESS_DIR (this cluster's directory; its
# namespaces are named after it, so test runs never share them), TOKEN (totem.token, default
# 1000), CIPHER (crypto_cipher, default none), LINKS (1 or 2: a second network, bridge br1
# with ports wI, node addresses on the next /24, ring1_addr), TRANSPORT (knet, udpu, udp),
# MCAST (udp: a group address, or "broadcast"), LINK_MODE (passive, active, rr), QUORUM
# (extra lines for the quorum section, e.g. "auto_tie_breaker: 1"; replaces two_node), QDEVICE
# (lines for quorum.device.net, e.g. "algorithm: lms"; adds a quorum device: one more
# namespace, node N+1, outside the nodelist, runs paceline-qnetd as the arbiter), QDEVICE_TIMEOUT
# (quorum.device.timeout, default 2000), QDEVICE_TLS (on or required: the arbiter's -s, and
# certificates made with paceline-qnetd-certutil for the arbiter and every node),
# QDEVICE_HEURISTICS (lines for quorum.device.heuristics). The master copies of the configuration and key
# are $PL_HARNESS_DIR/paceline.conf and $PL_HARNESS_DIR/authkey; a node's daemon log is
# $PL_HARNESS_DIR/nI/log/membership.out.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${PL_HARNESS_DIR:=/tmp/pl-membership-harness}"
: "${PL_HARNESS_NAME:=plm$(printf %s "$PL_HARNESS_DIR" | cksum | cut -c1-6)}"
export PL_HARNESS_DIR PL_HARNESS_NAME
# shellcheck source=harness.sh
. "$here/harness.sh"
BIN=${PL_BIN:-$here/../../build/bin}

die() { echo "membership_harness: $*" >&2; exit 1; }

can_run() {
	(harness_require_root_netns) || return 1
	[ -x "$BIN/paceline-membership" ] || { echo "harness: no $BIN/paceline-membership" >&2; return 1; }
}

link1_net() { local net=${PL_HARNESS_NET:-10.201.0}; echo "${net%.*}.$(( ${net##*.} + 1 ))"; }
link1_addr() { echo "$(link1_net).$1"; }

write_conf() {
	local n=$1 i k
	{
		printf 'totem {\n\tcluster_name: plharness\n\ttoken: %s\n\tcrypto_cipher: %s\n' \
			"${TOKEN:-1000}" "${CIPHER:-none}"
		[ -n "${TRANSPORT:-}" ] && printf '\ttransport: %s\n' "$TRANSPORT"
		[ -n "${LINK_MODE:-}" ] && printf '\tlink_mode: %s\n' "$LINK_MODE"
		for k in $(seq 0 $(( ${LINKS:-1} - 1 ))); do
			printf '\tinterface {\n\t\tlinknumber: %s\n' "$k"
			case ${MCAST:-} in
			'') ;;
			broadcast) printf '\t\tbroadcast: yes\n' ;;
			*) printf '\t\tmcastaddr: %s\n' "$MCAST" ;;
			esac
			printf '\t}\n'
		done
		echo "}"
		echo "nodelist {"
		for i in $(seq 1 "$n"); do
			printf '\tnode {\n\t\tring0_addr: %s\n' "$(harness_addr "$i")"
			[ "${LINKS:-1}" -ge 2 ] && printf '\t\tring1_addr: %s\n' "$(link1_addr "$i")"
			printf '\t\tname: n%s\n\t\tnodeid: %s\n\t}\n' "$i" "$i"
		done
		echo "}"
		printf 'quorum {\n\tprovider: corosync_votequorum\n'
		if [ -n "${QUORUM:-}" ]; then
			printf '%s\n' "$QUORUM" | sed 's/^/\t/'
		elif [ "$n" = 2 ] && [ -z "${QDEVICE:-}" ]; then
			printf '\ttwo_node: 1\n'
		fi
		if [ -n "${QDEVICE:-}" ]; then
			printf '\tdevice {\n\t\tmodel: net\n\t\ttimeout: %s\n\t\tsync_timeout: %s\n' \
				"${QDEVICE_TIMEOUT:-2000}" "$(( ${QDEVICE_TIMEOUT:-2000} * 3 ))"
			printf '\t\tnet {\n\t\t\thost: %s\n' "$(harness_addr $((n + 1)))"
			printf '%s\n' "$QDEVICE" | sed 's/^/\t\t\t/'
			printf '\t\t}\n'
			if [ -n "${QDEVICE_HEURISTICS:-}" ]; then
				printf '\t\theuristics {\n'
				printf '%s\n' "$QDEVICE_HEURISTICS" | sed 's/^/\t\t\t/'
				printf '\t\t}\n'
			fi
			printf '\t}\n'
		fi
		printf '}\nlogging {\n\tto_syslog: no\n\ttimestamp: on\n}\n'
	} > "$PL_HARNESS_DIR/paceline.conf"
}

# The second network: bridge br1 in the hub, a veth eth1 per node on the next /24.
add_link1() {
	local n=$1 i hub ns
	hub="$PL_HARNESS_NAME-hub"
	ip -n "$hub" link add br1 type bridge mcast_snooping 0 && ip -n "$hub" link set br1 up || return 1
	for i in $(seq 1 "$n"); do
		ns=$(harness_ns "$i")
		ip -n "$hub" link add "w$i" type veth peer name eth1 netns "$ns" &&
			ip -n "$hub" link set "w$i" master br1 up &&
			ip -n "$ns" addr add "$(link1_addr "$i")/24" brd + dev eth1 &&
			ip -n "$ns" link set eth1 up || return 1
	done
}

port_of() { [ "$1" = 0 ] && echo "v$2" || echo "w$2"; }

cmd_linkcut() {	# linkcut K I: node I's port on link K goes down in the hub
	ip -n "$PL_HARNESS_NAME-hub" link set "$(port_of "${1:?linkcut K I}" "${2:?linkcut K I}")" down
}

cmd_linkup() {
	ip -n "$PL_HARNESS_NAME-hub" link set "$(port_of "${1:?linkup K I}" "${2:?linkup K I}")" up
}

# Link 1 follows partitions too: its ports move onto bridges bq2.. like harness.sh's brp2..
link1_partition() {
	local spec="$1" hub k=0 g i groups
	hub="$PL_HARNESS_NAME-hub"
	[ "${LINKS:-1}" -ge 2 ] || [ -f "$PL_HARNESS_DIR/links2" ] || return 0
	link1_heal
	IFS='|' read -r -a groups <<< "$spec"
	for g in "${groups[@]}"; do
		k=$((k + 1))
		[ "$k" = 1 ] && continue
		ip -n "$hub" link add "bq$k" type bridge mcast_snooping 0 && ip -n "$hub" link set "bq$k" up || return 1
		for i in $g; do ip -n "$hub" link set "w$i" master "bq$k" || return 1; done
	done
}

link1_heal() {
	local hub br i
	hub="$PL_HARNESS_NAME-hub"
	[ -f "$PL_HARNESS_DIR/links2" ] || return 0
	for i in $(seq 1 "$(harness_nodes)"); do
		ip -n "$hub" link set "w$i" master br1 up 2> /dev/null
	done
	for br in $(ip -n "$hub" -o link show type bridge | awk -F': ' '{print $2}' | grep -E '^bq[0-9]+$'); do
		ip -n "$hub" link del "$br"
	done
}

cmd_heal() {
	local i
	harness_heal || return 1
	for i in $(seq 1 "$(harness_nodes)"); do
		ip -n "$PL_HARNESS_NAME-hub" link set "v$i" up
	done
	link1_heal
}

cmd_net() {
	local n=${1:?net N} i etc
	can_run || exit 77
	if [ -n "${QDEVICE:-}" ]; then
		harness_up $((n + 1)) > /dev/null || die "harness up $((n + 1)) failed"
		echo "$n" > "$PL_HARNESS_DIR/cluster_nodes"
	else
		harness_up "$n" > /dev/null || die "harness up $n failed"
	fi
	if [ "${LINKS:-1}" -ge 2 ]; then
		add_link1 "$n" || die "cannot add the second link"
		touch "$PL_HARNESS_DIR/links2"
	fi
	for i in $(seq 1 "$(harness_nodes)"); do	# the subnet broadcast address (harness.sh sets none)
		{ ip -n "$(harness_ns "$i")" addr del "$(harness_addr "$i")/24" dev eth0 &&
			ip -n "$(harness_ns "$i")" addr add "$(harness_addr "$i")/24" brd + dev eth0 &&
			ip -n "$(harness_ns "$i")" route add 224.0.0.0/4 dev eth0; } ||
			die "cannot set the broadcast address of node $i"
	done
	write_conf "$n"
	"$BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" > /dev/null || die "keygen failed"
	for i in $(seq 1 "$n"); do	# each node reads its own copies (PL_CONF, PL_AUTHKEY)
		etc=$(harness_node_dir "$i")/etc
		cp "$PL_HARNESS_DIR/paceline.conf" "$etc/paceline.conf"
		install -m 0400 "$PL_HARNESS_DIR/authkey" "$etc/authkey"
	done
	if [ -n "${QDEVICE:-}" ]; then	# the arbiter keeps the cluster's key under its name
		etc=$(harness_node_dir $((n + 1)))/etc
		mkdir -p "$etc/qnetd"
		install -m 0400 "$PL_HARNESS_DIR/authkey" "$etc/qnetd/plharness.key"
	fi
	[ -n "${QDEVICE_TLS:-}" ] && { make_certs "$n" || die "cannot make the TLS certificates"; }
	return 0
}

# QDEVICE_TLS: certificates as a user makes them with paceline-qnetd-certutil: the arbiter's
# CA, node 1's request signed by it, imported there and exported to the other nodes.
make_certs() {
	local n=$1 i cu="$BIN/paceline-qnetd-certutil" qdb ndb
	qdb=$(harness_node_dir $((n + 1)))/etc/qnetd/nssdb
	"$cu" -i -d "$qdb" > /dev/null 2>&1 || return 1
	for i in $(seq 1 "$n"); do
		ndb=$(harness_node_dir "$i")/etc/qdevice/net/nssdb
		"$cu" -i -c "$qdb/qnetd-cacert.crt" -d "$ndb" > /dev/null 2>&1 || return 1
		if [ "$i" = 1 ]; then
			"$cu" -r -n plharness -d "$ndb" > /dev/null 2>&1 &&
				"$cu" -s -c "$ndb/qdevice-net-node.crq" -n plharness -d "$qdb" > /dev/null 2>&1 &&
				"$cu" -M -c "$qdb/cluster-plharness.crt" -d "$ndb" > /dev/null 2>&1 || return 1
		else
			"$cu" -m -c "$(harness_node_dir 1)/etc/qdevice/net/nssdb/qdevice-net-node.p12" \
				-d "$ndb" > /dev/null 2>&1 || return 1
		fi
	done
}

arbiter_node() { echo $(( $(cat "$PL_HARNESS_DIR/cluster_nodes") + 1 )); }

cmd_arbiter() {
	local a d pid
	[ -f "$PL_HARNESS_DIR/cluster_nodes" ] || die "no arbiter: set QDEVICE before up"
	a=$(arbiter_node); d=$(harness_node_dir "$a")
	case ${1:-} in
	start)
		[ -f "$d/harness/qnetd.pid" ] && kill -0 "$(cat "$d/harness/qnetd.pid")" 2> /dev/null && return 0
		harness_start "$a" --name qnetd "$BIN/paceline-qnetd" -f -d "$d/etc/qnetd" \
			-s "${QDEVICE_TLS:-on}" > /dev/null ;;
	stop)
		[ -f "$d/harness/qnetd.pid" ] || return 0
		pid=$(cat "$d/harness/qnetd.pid")
		kill -TERM "$pid" 2> /dev/null
		wait_for 5 eval "! kill -0 $pid 2> /dev/null" 2> /dev/null || kill -KILL "$pid" 2> /dev/null
		rm -f "$d/harness/qnetd.pid" ;;
	kill) harness_kill "$a"; rm -f "$d/harness/qnetd.pid" ;;
	*) die "arbiter start|stop|kill" ;;
	esac
}

pidfile() { echo "$(harness_node_dir "$1")/harness/membership.pid"; }
running() { [ -f "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2> /dev/null; }

cmd_start() {
	local i=${1:?start I}
	running "$i" && return 0
	harness_start "$i" --name membership "$BIN/paceline-membership" -F > /dev/null
}

cmd_up() {
	local i
	cmd_net "$@"
	[ -n "${QDEVICE:-}" ] && cmd_arbiter start
	for i in $(seq 1 "$1"); do cmd_start "$i"; done
}

cmd_stop() {	# only the daemon: other processes of the node (clients) keep running
	local i=${1:?stop I} pid
	running "$i" || return 0
	pid=$(cat "$(pidfile "$i")")
	kill -TERM "$pid" 2> /dev/null
	wait_for 5 eval "! kill -0 $pid 2> /dev/null" 2> /dev/null || kill -KILL "$pid" 2> /dev/null
	rm -f "$(pidfile "$i")"
}

cmd_kill() {
	harness_kill "${1:?kill I}"
	rm -f "$(pidfile "$1")"
}

cmd_partition() {	# "1 / 2 3" in this script's syntax is "1|2 3" in harness.sh's
	local spec="$*"
	harness_partition "${spec// \/ /|}" && link1_partition "${spec// \/ /|}"
}

ring_of() {	# members of node I's ring, from paceline-quorumtool -l (empty when it does not answer)
	harness_exec "$1" "$BIN/paceline-quorumtool" -l -i 2> /dev/null |
		awk '$1 ~ /^[0-9]+$/ && $1 != 0 {print $1}' | tr '\n' ' '
}

cmd_wait_ring() {	# wait_ring I "1 2 3" [SECS]
	local i=$1 want="$2 " secs=${3:-20}
	# shellcheck disable=SC2317  # called through wait_for
	ring_is() { [ "$(ring_of "$i")" = "$want" ]; }
	wait_for "$secs" ring_is 2> /dev/null && return 0
	echo "harness: node $i ring is '$(ring_of "$i")', wanted '$want'" >&2
	return 1
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
linkcut) cmd_linkcut "$@" ;;
linkup) cmd_linkup "$@" ;;
exec) harness_exec "$@" ;;
wait_ring) cmd_wait_ring "$@" ;;
ring) ring_of "$@"; echo ;;
down) harness_down > /dev/null 2>&1; true ;;
ns) harness_ns "${1:?ns I}" ;;
can_run) can_run ;;
arbiter) cmd_arbiter "$@" ;;
block) harness_block "$@" ;;	# block FROM TO: drop FROM's frames to TO (nft), one way
unblock) harness_unblock "$@" ;;
*) sed -n '2,34p' "$0"; exit 64 ;;
esac
