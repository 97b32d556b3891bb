# membership-lib.sh - shared by the membership benchmarks: Paceline nodes through
# tests/cluster/membership_harness.sh, and Debian's corosync 3.1.7 in the same namespaces (each node's
# /etc/corosync, /var/lib/corosync, /var/log/corosync and /run bind-mounted from its own
# directory), so both run on the same topology. Sourced, not run. CS_LINKS=2: corosync gets
# ring1_addr on the harness's second network (LINKS=2).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
H="$ROOT/tests/cluster/membership_harness.sh"
export PL_BIN=${PL_BIN:-$ROOT/build/bin}
export PL_HARNESS_DIR=${PL_HARNESS_DIR:-/tmp/pl-bench}

ms() { date +%s%3N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR) print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2); else print "n/a"}'; }

have_corosync() { command -v corosync >/dev/null 2>&1 && command -v corosync-quorumtool >/dev/null 2>&1; }

cs_conf() {	# cs_conf N TOKEN
	echo "totem {"
	echo "	version: 2"
	echo "	cluster_name: csbench"
	echo "	token: $2"
	echo "	crypto_cipher: none"
	echo "	crypto_hash: none"
	echo "}"
	echo "nodelist {"
	for i in $(seq 1 "$1"); do
		printf '\tnode {\n\t\tring0_addr: 10.201.0.%s\n' "$i"
		[ "${CS_LINKS:-1}" -ge 2 ] && printf '\t\tring1_addr: 10.201.1.%s\n' "$i"
		printf '\t\tname: n%s\n\t\tnodeid: %s\n\t}\n' "$i" "$i"
	done
	echo "}"
	echo "quorum {"
	echo "	provider: corosync_votequorum"
	echo "}"
	echo "logging {"
	echo "	to_syslog: no"
	echo "	to_logfile: yes"
	echo "	logfile: /var/log/corosync/corosync.log"
	echo "	timestamp: hires"
	echo "}"
}

cs_start() {	# cs_start I N TOKEN
	d="$PL_HARNESS_DIR/cs/n$1"
	mkdir -p "$d/etc" "$d/lib" "$d/log" "$d/run"
	cs_conf "$2" "$3" > "$d/etc/corosync.conf"
	ip netns exec "$("$H" ns "$1")" unshare -m sh -c "mount --bind $d/etc /etc/corosync &&
		mount --bind $d/lib /var/lib/corosync && mount --bind $d/log /var/log/corosync &&
		mount --bind $d/run /run && exec corosync -f" > "$d/out" 2>&1 &
}

cs_ring() {	# members of corosync's ring on node I
	ip netns exec "$("$H" ns "$1")" corosync-quorumtool -l 2>/dev/null | awk '$1 ~ /^[0-9]+$/ {print $1}' | sort -n | tr '\n' ' '
}

cs_wait_ring() {	# cs_wait_ring I "1 2 3" SECS
	end=$(($(date +%s) + $3))
	while [ "$(date +%s)" -le "$end" ]; do
		[ "$(cs_ring "$1")" = "$2 " ] && return 0
		sleep 0.05
	done
	return 1
}
