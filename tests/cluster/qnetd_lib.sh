# qnetd_lib.sh - sourced by the arbiter tests on one machine (test_qnetd_local.sh,
# test_qnetd_tls.sh): one-node clusters with a quorum device on 127.0.0.1. Needs BIN, D
# (the test's directory), QPORT (the arbiter's port), QTAG (the IPC prefix's stem), pids and
# fail() from the caller.
#   qnetd_cluster NAME PORT DEVICE_LINES NET_LINES  start a one-node cluster NAME (its config,
#       key and state in $D/NAME; its log $D/NAME.log) with more lines of quorum.device and of
#       quorum.device.net
#   qt NAME                 its `paceline-quorumtool -s`
#   wait_total NAME VOTES   until its total votes are VOTES (15 s, then fail)
qnetd_cluster() {
	mkdir -p "$D/$1"
	cat > "$D/$1/paceline.conf" <<EOC
totem {
	cluster_name: $1
	token: 1000
	interface {
		mcastport: $2
	}
}
nodelist {
	node {
		ring0_addr: 127.0.0.1
		name: $1-node
		nodeid: 1
	}
}
quorum {
	provider: corosync_votequorum
	device {
		model: net
		timeout: 1500
$3
		net {
			host: 127.0.0.1
			port: $QPORT
$4
		}
	}
}
logging {
	to_syslog: no
}
EOC
	"$BIN/paceline-keygen" -k "$D/$1/authkey" > /dev/null || fail "keygen"
	PL_IPC_PREFIX="$QTAG-$1" "$BIN/paceline-membership" -F -c "$D/$1/paceline.conf" \
		-k "$D/$1/authkey" -n 1 -S "$D/$1/state" > "$D/$1.log" 2>&1 &
	pids="$pids $!"
}
qt() { PL_IPC_PREFIX="$QTAG-$1" "$BIN/paceline-quorumtool" -s 2> /dev/null; }
wait_total() {
	end=$(($(date +%s) + 15))
	until qt "$1" | grep -q "^Total votes: *$2\$"; do
		[ "$(date +%s)" -le "$end" ] || fail "$1: total votes not $2: $(qt "$1" | grep Total)"
		sleep 0.05
	done
}
