#!/usr/bin/env bash
# harness.sh - run N cluster nodes on one machine, one network namespace per node.
#
# A sourced library (functions harness_*, wait_for) and a CLI (`harness.sh CMD ARGS`) in one file.
# Node I is network namespace $NAME-nI with address $NET.I/24 on eth0, a veth whose other end is
# port vI of bridge br0 in the hub namespace $NAME-hub.  Nothing outside these namespaces is
# touched: no host interface, route or firewall rule; the only host-side state is the tmpfs at
# $PL_HARNESS_DIR (unmounted by `down`) and the namespace names in /run/netns.
#
# Every process of a node (`start`, `exec`) runs as
#   ip netns exec NS unshare --uts -- sh -c '<bind mounts>; hostname nI; exec CMD'
# with PL_* variables pointing at the node's own directories (see README.md).  The bind mounts put
# the node's run/ over /run and shm/ over /dev/shm (and etc/state/log over /etc/paceline,
# /var/lib/paceline, /var/log/paceline when those exist on the host), inside the private mount
# namespace `ip netns exec` makes, so nodes never see each other's pid files, agent state or
# libqb shared memory.  The processes of a node are exactly `ip netns pids NS`.
#
# Partitions move hub ports onto separate bridges (no netfilter needed); packet loss uses netem
# when the kernel has it, else an nftables bridge table in the hub; delay needs netem.
# PL_HARNESS_NAME (default pl) names everything, so clusters of different names are independent.
#
# Usage: see README.md or `harness.sh help`.  Everything is idempotent where it can be; `down`
# also removes what a crashed earlier run left.

# ---- configuration -------------------------------------------------------------------------
: "${PL_HARNESS_NAME:=pl}"
: "${PL_HARNESS_DIR:=/tmp/$PL_HARNESS_NAME-harness}"
: "${PL_HARNESS_LOGS:=${PL_HARNESS_DIR}-logs}"
: "${PL_HARNESS_NET:=10.201.0}"
: "${PL_HARNESS_SIZE:=256m}"
: "${PL_NODE_STATE_SIZE:=64m}"
: "${PL_HARNESS_MOUNTS:=1}"
: "${PL_STOP_TIMEOUT:=10}"
: "${PL_POLL_INTERVAL:=0.05}"
: "${PL_HARNESS_LOCK:=${PL_HARNESS_DIR}.lock}"

# ---- small helpers -------------------------------------------------------------------------
harness__err() { echo "harness: $*" >&2; }
harness__now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
harness_ns() { echo "$PL_HARNESS_NAME-n$1"; }             # namespace of node I
harness__hub() { echo "$PL_HARNESS_NAME-hub"; }
harness_addr() { echo "$PL_HARNESS_NET.$1"; }              # address of node I
harness_node_dir() { echo "$PL_HARNESS_DIR/n$1"; }
harness_nodes() { cat "$PL_HARNESS_DIR/nodes" 2>/dev/null || echo 0; }

harness__our_namespaces() {  # every namespace named like ours, up or left over
	ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PL_HARNESS_NAME}-(hub|n[0-9]+)\$"
}

harness__check_node() {  # harness__check_node I : I is a node of the running cluster
	local n; n=$(harness_nodes)
	if ! [[ ${1:-} =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt "$n" ]; then
		harness__err "no node '${1:-}' (cluster has $n nodes; run 'up N' first)"
		return 64
	fi
}

# wait_for TIMEOUT_S CMD... : run CMD every PL_POLL_INTERVAL seconds until it succeeds (return 0)
# or TIMEOUT_S seconds (may be fractional) have passed (return 124, message on stderr).
# CMD may be a shell function.  Its output is not suppressed.
wait_for() {
	local to=$1 dl now
	shift
	if ! [[ $to =~ ^[0-9]+(\.[0-9]+)?$ ]] || [ $# -eq 0 ]; then
		harness__err "usage: wait_for TIMEOUT_S CMD..."
		return 64
	fi
	dl=$(( $(harness__now_us) + $(awk -v t="$to" 'BEGIN { printf "%d", t * 1000000 }') ))
	while :; do
		"$@" && return 0
		now=$(harness__now_us)
		[ "$now" -ge "$dl" ] && break
		sleep "$PL_POLL_INTERVAL"
	done
	harness__err "wait_for: timed out after ${to}s: $*"
	return 124
}

# harness_require_root_netns : exit 77 (ctest skip) unless we are root and can make a namespace
# with a veth pair in it (the kernel features the harness needs).
harness_require_root_netns() {
	local probe="$PL_HARNESS_NAME-probe$$"
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: the cluster harness needs root (network namespaces)" >&2
		exit 77
	fi
	if ! command -v ip > /dev/null || ! ip netns add "$probe" 2> /dev/null; then
		echo "SKIP: cannot create a network namespace (ip netns add failed)" >&2
		exit 77
	fi
	if ! ip -n "$probe" link add pl-a type veth peer name pl-b 2> /dev/null ||
		! ip -n "$probe" link add pl-br type bridge 2> /dev/null; then
		ip netns del "$probe" 2> /dev/null
		echo "SKIP: the kernel lacks veth or bridge support" >&2
		exit 77
	fi
	ip netns del "$probe"
}

# harness_lock [TIMEOUT_S] : take the machine-wide lock of this harness name/dir (a flock on
# PL_HARNESS_LOCK, held by the calling shell until it exits, even when it crashes).  Tests call it
# before `down`/`up`, so test runs from several worktrees wait for each other instead of tearing
# down each other's nodes.  Default wait 600 s; returns 1 on timeout.
harness_lock() {
	local to=${1:-600}
	[ -n "${HARNESS__LOCK_FD:-}" ] && return 0	# held already (a second open file would wait on us)
	exec {HARNESS__LOCK_FD}>> "$PL_HARNESS_LOCK" || return 1
	if ! flock -n "$HARNESS__LOCK_FD"; then
		harness__err "waiting up to ${to}s for $PL_HARNESS_LOCK (another cluster test is running)"
		flock -w "$to" "$HARNESS__LOCK_FD" || { harness__err "lock $PL_HARNESS_LOCK: timed out"; return 1; }
	fi
}

# ---- per-node process context --------------------------------------------------------------
# shellcheck disable=SC2016  # expanded by the node's sh, not here
# Runs in a fresh mount+UTS namespace inside the node's network namespace ($1 node dir, $2 name).
HARNESS__NODE_SH='d=$1; h=$2; shift 2
if [ "$PL_HARNESS_MOUNTS" = 1 ]; then
	mount --bind "$d/run" /run && mount --bind "$d/shm" /dev/shm ||
		{ echo "harness: cannot bind-mount the node directories" >&2; exit 125; }
	for m in etc:/etc/paceline state:/var/lib/paceline log:/var/log/paceline; do
		[ -d "${m#*:}" ] && mount --bind "$d/${m%%:*}" "${m#*:}"
	done
fi
hostname "$h" || exit 125
exec "$@"'

harness__node_env() {  # harness__node_env I : print the env assignments of node I
	local i=$1 d; d=$(harness_node_dir "$1")
	printf '%s\n' "PL_NODE_ID=$i" "PL_NODE_NAME=n$i" "PL_NODE_ADDR=$(harness_addr "$i")" \
		"PL_NODE_COUNT=$(harness_nodes)" "PL_CONF_DIR=$d/etc" "PL_STATE_DIR=$d/state" \
		"PL_RUN_DIR=$d/run" "PL_LOG_DIR=$d/log" "PL_IPC_PREFIX=$PL_HARNESS_NAME-n$i" \
		"PL_CONF=$d/etc/paceline.conf" "PL_AUTHKEY=$d/etc/authkey" \
		"PL_HARNESS_MOUNTS=$PL_HARNESS_MOUNTS"
}

harness__in_node() {  # harness__in_node I CMD... : exec-style, in the current process
	local i=$1 env
	shift
	mapfile -t env < <(harness__node_env "$i")
	# A node's processes must not inherit the lock: a daemon outliving a crashed test would hold it.
	[ -n "${HARNESS__LOCK_FD:-}" ] && exec {HARNESS__LOCK_FD}>&-
	exec env "${env[@]}" ip netns exec "$(harness_ns "$i")" unshare --uts -- \
		/bin/sh -c "$HARNESS__NODE_SH" pl-node "$(harness_node_dir "$i")" "n$i" "$@"
}

# harness_exec I CMD... : run CMD inside node I, wait for it, return its exit code.
harness_exec() {
	harness__check_node "${1:-}" || return
	[ $# -ge 2 ] || { harness__err "usage: exec I CMD..."; return 64; }
	(harness__in_node "$@")
}

# harness_start I [--name NAME] CMD... : run CMD in node I in the background, in its own session,
# stdin /dev/null, stdout+stderr appended to log/NAME.out (NAME defaults to CMD's basename).
# Prints the PID (the PID of CMD itself: every layer in between execs).
harness_start() {
	local i=${1:-} name pid d
	harness__check_node "$i" || return
	shift
	if [ "${1:-}" = --name ]; then name=$2; shift 2; fi
	[ $# -ge 1 ] || { harness__err "usage: start I [--name NAME] CMD..."; return 64; }
	: "${name:=${1##*/}}"
	d=$(harness_node_dir "$i")
	echo "=== $(date -u +%FT%T.%3NZ) start: $*" >> "$d/log/$name.out"
	(harness__in_node "$i" setsid "$@") < /dev/null >> "$d/log/$name.out" 2>&1 &
	pid=$!
	disown "$pid" 2> /dev/null
	echo "$pid" > "$d/harness/$name.pid"
	echo "$pid"
}

harness_pids() {  # harness_pids I : PIDs of every process in node I (empty when none)
	ip netns pids "$(harness_ns "$1")" 2> /dev/null
}

harness__no_pids() { [ -z "$(harness_pids "$1")" ]; }

harness__sigkill_all() {  # kill -9 until the namespace is empty (children may fork meanwhile)
	local i=$1 p dl
	dl=$(( $(harness__now_us) + 5000000 ))
	while p=$(harness_pids "$i") && [ -n "$p" ]; do
		# shellcheck disable=SC2086
		kill -KILL $p 2> /dev/null
		[ "$(harness__now_us)" -ge "$dl" ] && { harness__err "n$i: processes survive SIGKILL: $p"; return 1; }
		sleep 0.01
	done
	return 0
}

# harness_kill I : crash node I - SIGKILL every process of its namespace, wait until none is left.
harness_kill() {
	harness__check_node "${1:-}" || return
	harness__sigkill_all "$1"
}

# harness_stop I [TIMEOUT_S] : SIGTERM every process of node I; SIGKILL what is left after
# TIMEOUT_S (default PL_STOP_TIMEOUT).  Returns 0 if all exited on SIGTERM, 1 if SIGKILL was needed.
harness_stop() {
	local i=${1:-} to=${2:-$PL_STOP_TIMEOUT} p
	harness__check_node "$i" || return
	p=$(harness_pids "$i")
	[ -z "$p" ] && return 0
	# shellcheck disable=SC2086
	kill -TERM $p 2> /dev/null
	PL_POLL_INTERVAL=0.02 wait_for "$to" harness__no_pids "$i" 2> /dev/null && return 0
	harness__err "n$i: still running ${to}s after SIGTERM: $(harness_pids "$i" | tr '\n' ' ')- sending SIGKILL"
	harness__sigkill_all "$i"
	return 1
}

# harness_wipe_run I : empty node I's run/ and shm/ (as after a reboot); state/ and etc/ persist.
# Only while node I runs nothing: its processes have the old directories bind-mounted.
harness_wipe_run() {
	local d
	harness__check_node "${1:-}" || return
	if [ -n "$(harness_pids "$1")" ]; then
		harness__err "wipe-run: node $1 still has processes (kill or stop it first)"
		return 1
	fi
	d=$(harness_node_dir "$1")
	rm -rf "${d:?}/run" "$d/shm"
	mkdir -m 0755 "$d/run" && mkdir -m 1777 "$d/shm" && mkdir -m 1755 "$d/run/resource-agents" &&
		mkdir -m 0755 "$d/run/paceline" &&
		# for programs started without the node's environment (pcs runs tools so): lib/ipc
		echo "$PL_HARNESS_NAME-n$1" > "$d/run/paceline/ipc-prefix"
}

# ---- up / down -----------------------------------------------------------------------------
harness__make_node() {  # namespace, veth pair, address, directories of node I
	local i=$1 ns hub d
	ns=$(harness_ns "$i"); hub=$(harness__hub); d=$(harness_node_dir "$i")
	ip netns add "$ns" &&
		ip -n "$hub" link add "v$i" type veth peer name eth0 netns "$ns" &&
		ip -n "$hub" link set "v$i" master br0 up &&
		ip -n "$ns" -batch - <<-EOF || return 1
			link set lo up
			addr add $(harness_addr "$i")/24 dev eth0
			link set eth0 up
			route add 224.0.0.0/4 dev eth0
		EOF
	mkdir -p "$d"/etc "$d"/state "$d"/log "$d"/harness &&
		mount -t tmpfs -o "mode=0755,size=$PL_NODE_STATE_SIZE" "pl-harness-n$i-state" "$d/state" &&
		harness_wipe_run "$i"
}

# harness_up N : make nodes 1..N.  Fails (and cleans up) if anything of ours already exists.
harness_up() {
	local n=${1:-} i hub old
	if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 250 ]; then
		harness__err "usage: up N (1..250)"
		return 64
	fi
	old=$(harness__our_namespaces | tr '\n' ' ')
	if [ -n "$old" ]; then
		harness__err "namespaces exist already: $old- run 'down' first"
		return 1
	fi
	hub=$(harness__hub)
	mkdir -p "$PL_HARNESS_DIR" || return 1
	if ! mountpoint -q "$PL_HARNESS_DIR"; then
		mount -t tmpfs -o "mode=0755,size=$PL_HARNESS_SIZE" pl-harness "$PL_HARNESS_DIR" ||
			{ harness__err "cannot mount a tmpfs on $PL_HARNESS_DIR"; return 1; }
	fi
	echo "$n" > "$PL_HARNESS_DIR/nodes"
	if ! { ip netns add "$hub" &&
		ip -n "$hub" link set lo up &&
		ip -n "$hub" link add br0 type bridge mcast_snooping 0 &&
		ip -n "$hub" link set br0 up; }; then
		harness__err "cannot create the hub namespace and bridge"
		harness_down > /dev/null
		return 1
	fi
	for i in $(seq 1 "$n"); do
		if ! harness__make_node "$i"; then
			harness__err "cannot set up node $i"
			harness_down > /dev/null
			return 1
		fi
	done
}

# harness_down : kill every process of our namespaces, delete them, keep the logs in
# PL_HARNESS_LOGS, unmount and remove PL_HARNESS_DIR.  Safe to run any number of times, and after
# a crashed run (it finds our namespaces by name, not by the state file).
harness_down() {
	local ns p dl d rc=0
	for ns in $(harness__our_namespaces); do
		dl=$(( $(harness__now_us) + 5000000 ))
		while p=$(ip netns pids "$ns" 2> /dev/null) && [ -n "$p" ]; do
			# shellcheck disable=SC2086
			kill -KILL $p 2> /dev/null
			[ "$(harness__now_us)" -ge "$dl" ] && { harness__err "$ns: processes survive SIGKILL: $p"; rc=1; break; }
			sleep 0.01
		done
		ip netns del "$ns" || rc=1
	done
	if [ -d "$PL_HARNESS_DIR" ]; then
		if compgen -G "$PL_HARNESS_DIR/n*/log" > /dev/null; then
			mkdir -p "$PL_HARNESS_LOGS" && rm -rf "${PL_HARNESS_LOGS:?}"/n[0-9]*
			for d in "$PL_HARNESS_DIR"/n*/log; do
				d=${d%/log}
				cp -a "$d/log" "$PL_HARNESS_LOGS/${d##*/}" 2> /dev/null
			done
		fi
		while mountpoint -q "$PL_HARNESS_DIR"; do	# the per-node state tmpfs inside it too
			umount -R "$PL_HARNESS_DIR" 2> /dev/null || umount -R -l "$PL_HARNESS_DIR" || { rc=1; break; }
		done
		# Everything lived on the tmpfs: what remains is its mount point.  Never rm -r here, in
		# case PL_HARNESS_DIR names a directory of value.
		rmdir "$PL_HARNESS_DIR" 2> /dev/null
	fi
	return $rc
}

# ---- network faults ------------------------------------------------------------------------
# harness_partition "1 2|3" : nodes in different groups cannot exchange any packet; every node
# must be in exactly one group.  Group 1 stays on br0, group k on bridge brpk.  Replaces any
# earlier partition (one-way blocks stay).
harness_partition() {
	local spec=${1:-} n hub g k i seen=" " groups
	n=$(harness_nodes); hub=$(harness__hub)
	[ "$n" -gt 0 ] || { harness__err "not up"; return 1; }
	IFS='|' read -r -a groups <<< "$spec"
	[ "${#groups[@]}" -ge 2 ] || { harness__err "partition: need at least two groups: \"1 2|3\""; return 64; }
	for g in "${groups[@]}"; do
		[ -n "${g// /}" ] || { harness__err "partition: empty group in \"$spec\""; return 64; }
		for i in $g; do
			harness__check_node "$i" || return 64
			case $seen in *" $i "*) harness__err "partition: node $i is in two groups"; return 64;; esac
			seen="$seen$i "
		done
	done
	for i in $(seq 1 "$n"); do
		case $seen in *" $i "*) ;; *) harness__err "partition: node $i is in no group of \"$spec\""; return 64;; esac
	done
	harness__rejoin_ports || return 1
	k=0
	for g in "${groups[@]}"; do
		k=$((k + 1))
		[ "$k" = 1 ] && continue
		ip -n "$hub" link add "brp$k" type bridge mcast_snooping 0 && ip -n "$hub" link set "brp$k" up || return 1
		for i in $g; do
			ip -n "$hub" link set "v$i" master "brp$k" || return 1
		done
	done
	echo "$spec" > "$PL_HARNESS_DIR/partition"
}

harness__rejoin_ports() {  # every hub port back on br0, the partition bridges deleted
	local hub i br n
	n=$(harness_nodes); hub=$(harness__hub)
	for i in $(seq 1 "$n"); do
		ip -n "$hub" link set "v$i" master br0 || return 1
	done
	for br in $(ip -n "$hub" -o link show type bridge | awk -F': ' '{print $2}' | grep -E '^brp[0-9]+$'); do
		ip -n "$hub" link del "$br" || return 1
	done
	rm -f "$PL_HARNESS_DIR/partition"
}

# harness_heal : undo any partition and every one-way block.
harness_heal() {
	[ "$(harness_nodes)" -gt 0 ] || { harness__err "not up"; return 1; }
	harness__rejoin_ports || return 1
	if [ -f "$PL_HARNESS_DIR/blocks" ]; then
		ip netns exec "$(harness__hub)" nft delete table bridge pl_block || return 1
		rm -f "$PL_HARNESS_DIR/blocks"
	fi
}

# harness_block FROM TO : one-way cut - packets from node FROM to node TO are dropped in the hub
# (broadcasts included), TO -> FROM still flows.  ARP passes both ways, or TO could not even
# resolve FROM's address to send it anything.  Needs nft (77 without).  `unblock FROM TO`
# removes one cut, `heal` all of them.
harness_block() {
	local from=${1:-} to=${2:-} hub
	harness__check_node "$from" && harness__check_node "$to" || return 64
	[ "$from" != "$to" ] || { harness__err "block: FROM and TO are the same node"; return 64; }
	harness_have_nft || { harness__err "block: needs nft (package nftables)"; return 77; }
	hub=$(harness__hub)
	if [ ! -f "$PL_HARNESS_DIR/blocks" ]; then
		ip netns exec "$hub" nft -f - <<-EOF || return 1
			table bridge pl_block {
				set pairs { type ifname . ifname; }
				chain block { type filter hook forward priority -10; ether type != arp iifname . oifname @pairs drop; }
			}
		EOF
		: > "$PL_HARNESS_DIR/blocks"
	fi
	ip netns exec "$hub" nft add element bridge pl_block pairs "{ \"v$from\" . \"v$to\" }" &&
		echo "$from>$to" >> "$PL_HARNESS_DIR/blocks"
}

harness_unblock() {
	local from=${1:-} to=${2:-} hub
	harness__check_node "$from" && harness__check_node "$to" || return 64
	[ -f "$PL_HARNESS_DIR/blocks" ] || return 0
	hub=$(harness__hub)
	ip netns exec "$hub" nft delete element bridge pl_block pairs "{ \"v$from\" . \"v$to\" }" 2> /dev/null
	sed -i "/^$from>$to\$/d" "$PL_HARNESS_DIR/blocks"
}

# harness_fill I : fill node I's state/ (a tmpfs of PL_NODE_STATE_SIZE) so that every further
# write there fails with ENOSPC; `unfill I` frees the space again.
harness_fill() {
	local d
	harness__check_node "${1:-}" || return
	d=$(harness_node_dir "$1")
	cat /dev/zero > "$d/state/.harness-fill" 2> /dev/null
	[ "$(df --output=avail "$d/state" | tail -1)" -eq 0 ] ||
		{ harness__err "fill: $d/state still has space"; return 1; }
}

harness_unfill() {
	harness__check_node "${1:-}" || return
	rm -f "$(harness_node_dir "$1")/state/.harness-fill"
}

harness_have_netem() {  # true when the kernel offers sch_netem (probed once per up)
	local f=$PL_HARNESS_DIR/have_netem hub
	if [ ! -f "$f" ]; then
		hub=$(harness__hub)
		if tc -n "$hub" qdisc add dev lo root netem delay 0ms 2> /dev/null; then
			tc -n "$hub" qdisc del dev lo root 2> /dev/null
			echo 1 > "$f"
		else
			echo 0 > "$f"
		fi
	fi
	[ "$(cat "$f")" = 1 ]
}

harness_have_nft() { command -v nft > /dev/null; }

harness__netem() {  # harness__netem I ARGS... : netem on both ends of node I's link (or remove it)
	local i=$1 ns hub
	shift
	ns=$(harness_ns "$i"); hub=$(harness__hub)
	if [ $# -eq 0 ]; then
		tc -n "$ns" qdisc del dev eth0 root 2> /dev/null
		tc -n "$hub" qdisc del dev "v$i" root 2> /dev/null
		return 0
	fi
	tc -n "$ns" qdisc replace dev eth0 root netem "$@" && tc -n "$hub" qdisc replace dev "v$i" root netem "$@"
}

# harness_loss I PCT : drop PCT % (0..100) of the frames node I sends and of those it receives
# (each direction independently; ARP included).  0 removes it.  Uses netem when the kernel has it,
# else an nftables bridge table in the hub namespace: either way the loss happens on the wire,
# silently, as on a real network (a sender never sees an error).  Returns 77 when neither exists.
harness_loss() {
	local i=${1:-} pct=${2:-} hub match
	harness__check_node "$i" || return
	if ! [[ $pct =~ ^[0-9]+$ ]] || [ "$pct" -gt 100 ]; then
		harness__err "usage: loss I PCT (integer 0..100)"
		return 64
	fi
	echo "$pct" > "$(harness_node_dir "$i")/harness/loss"
	if harness_have_netem; then	# one netem qdisc carries both loss and delay
		harness__netem_apply "$i"
		return
	fi
	harness_have_nft || { harness__err "loss: neither sch_netem nor nft (package nftables) available"; return 77; }
	hub=$(harness__hub)
	ip netns exec "$hub" nft delete table bridge "pl_loss_v$i" 2> /dev/null
	[ "$pct" = 0 ] && return 0
	match="numgen random mod 100 < $pct"
	[ "$pct" = 100 ] && match=""	# nft's range is 0..99
	ip netns exec "$hub" nft -f - <<-EOF
		table bridge pl_loss_v$i {
			chain loss {
				type filter hook forward priority 0;
				iifname "v$i" $match drop
				oifname "v$i" $match drop
			}
		}
	EOF
}

# harness_delay I MS : add MS milliseconds to each direction of node I's link (0 removes it).
# Needs sch_netem; returns 77 (skip) without it.
harness_delay() {
	local i=${1:-} ms=${2:-}
	harness__check_node "$i" || return
	[[ $ms =~ ^[0-9]+$ ]] || { harness__err "usage: delay I MS"; return 64; }
	harness_have_netem || { harness__err "delay: this kernel has no sch_netem"; return 77; }
	echo "$ms" > "$(harness_node_dir "$i")/harness/delay"
	harness__netem_apply "$i"
}

harness__netem_apply() {  # netem for node I from its recorded loss and delay (none when both 0)
	local i=$1 d loss delay args=()
	d=$(harness_node_dir "$i")/harness
	loss=$(cat "$d/loss" 2> /dev/null || echo 0)
	delay=$(cat "$d/delay" 2> /dev/null || echo 0)
	[ "$delay" != 0 ] && args+=(delay "${delay}ms")
	[ "$loss" != 0 ] && args+=(loss "$loss%")
	harness__netem "$i" "${args[@]}"
}

# ---- inspection ----------------------------------------------------------------------------
# harness_nodelist [N] : a paceline.conf / corosync.conf `nodelist` section for nodes 1..N.
harness_nodelist() {
	local n=${1:-$(harness_nodes)} i
	echo "nodelist {"
	for i in $(seq 1 "$n"); do
		printf '\tnode {\n\t\tring0_addr: %s\n\t\tname: n%d\n\t\tnodeid: %d\n\t}\n' "$(harness_addr "$i")" "$i" "$i"
	done
	echo "}"
}

harness_status() {
	local n i ns p hub br comms
	n=$(harness_nodes); hub=$(harness__hub)
	if [ "$n" = 0 ]; then
		echo "down"
		p=$(harness__our_namespaces | tr '\n' ' ')
		[ -n "$p" ] && echo "left over (run down): $p"
		return 0
	fi
	echo "up $n nodes dir=$PL_HARNESS_DIR partition=$(cat "$PL_HARNESS_DIR/partition" 2> /dev/null || echo none)" \
		"blocks=$({ tr '\n' ' ' < "$PL_HARNESS_DIR/blocks"; } 2> /dev/null)"
	for i in $(seq 1 "$n"); do
		ns=$(harness_ns "$i")
		br=$(ip -n "$hub" -o link show "v$i" 2> /dev/null | sed -n 's/.* master \([^ ]*\).*/\1/p')
		comms=""
		for p in $(harness_pids "$i"); do
			comms="$comms $(cat "/proc/$p/comm" 2> /dev/null)[$p]"
		done
		echo "n$i $ns $(harness_addr "$i") bridge=${br:-none}" \
			"loss=$(cat "$(harness_node_dir "$i")/harness/loss" 2> /dev/null || echo 0)%" \
			"delay=$(cat "$(harness_node_dir "$i")/harness/delay" 2> /dev/null || echo 0)ms procs:${comms:- none}"
	done
}

harness__usage() {
	cat <<-EOF
		usage: harness.sh CMD ARGS   (as root; see tests/cluster/README.md)
		  up N                 create nodes 1..N (namespaces $PL_HARNESS_NAME-n1.., bridge in $PL_HARNESS_NAME-hub)
		  down                 kill everything, delete namespaces, keep logs in $PL_HARNESS_LOGS
		  start I [--name NAME] CMD...   background process in node I, prints its PID
		  exec I CMD...        run CMD in node I, return its exit code
		  kill I               SIGKILL every process of node I
		  stop I [TIMEOUT_S]   SIGTERM, then SIGKILL after TIMEOUT_S (default $PL_STOP_TIMEOUT)
		  wipe-run I           empty node I's run/ and shm/ (as after a reboot)
		  partition "1 2|3"    cut traffic between groups      heal   undo it (and all blocks)
		  block FROM TO        one-way cut FROM -> TO          unblock FROM TO
		  fill I | unfill I    node I's state/ full (ENOSPC) or not
		  loss I PCT           drop PCT% each way (0 = off)    delay I MS   needs netem
		  pids I | addr I | env I | nodelist [N] | status
		  wait-for TIMEOUT_S CMD...
	EOF
}

harness_main() {
	local cmd=${1:-help}
	[ $# -gt 0 ] && shift
	case $cmd in
	up | down | start | exec | kill | stop | partition | heal | block | unblock | loss | delay | fill | unfill | \
		status | nodelist | pids)
		"harness_$cmd" "$@" ;;
	wipe-run) harness_wipe_run "$@" ;;
	addr) harness__check_node "${1:-}" && harness_addr "$1" ;;
	env) harness__check_node "${1:-}" && harness__node_env "$1" ;;
	wait-for) wait_for "$@" ;;
	help | -h | --help) harness__usage ;;
	*) harness__usage >&2; return 64 ;;
	esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	export LC_ALL=C
	harness_main "$@"
	exit
fi
