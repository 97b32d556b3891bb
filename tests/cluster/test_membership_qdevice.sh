#!/bin/bash
# test_membership_qdevice.sh - the quorum device on real daemons, in network namespaces: two
# nodes and an arbiter (paceline-qnetd in a third namespace, outside the nodelist), ffsplit:
#   all up: both quorate with 3 votes of 3, the Qdevice flag, the arbiter lists both nodes;
#   partition the nodes, the arbiter with node 1: node 1 quorate, node 2 not; heal; the other
#   way round: node 2 quorate, node 1 not (exactly one side, whichever the arbiter reaches);
#   arbiter down: both still quorate (2 of 3); then node 2 down too: node 1 not (1 of 3), as
#   corosync-qdevice documents; arbiter back: node 1 quorate again (2 of 3).
#   another cluster key at the arbiter: the nodes are refused and get no vote.
# Then four nodes and an arbiter, ffsplit, split 1 2 | 3 4: with the arbiter on 3 4's side
# (bridges), 3 and 4 keep quorum (3 of 5), 1 and 2 lose it; with the arbiter reachable from
# both halves (nft drops between them), the tie-breaker (lowest) gives it to 1 2. Then three nodes and an arbiter, lms: two nodes killed,
# the last one keeps quorum (1 + 2 device votes of 5).
# Then 2 nodes + arbiter over TLS (certificates made by paceline-qnetd-certutil, -s required):
# both accepted, a partition decided; a certificate from another CA refused; tls: off refused.
# Then heuristics (mode on): node 1's fail, node 2's pass; the nodes cut apart while both
# reach the arbiter: node 2 keeps quorum, where the tie-breaker alone would pick node 1.
# Skips (77) without root or ip netns. Always removes its namespaces. QDEVICE_TIMEOUT (2000).
set -u
here=$(cd "$(dirname "$0")" && pwd)
H="$here/membership_harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
export PL_HARNESS_DIR=${PL_HARNESS_DIR:-$(mktemp -d /tmp/pl-cluster.XXXXXX)}
export TOKEN=${TOKEN:-1000}
export QDEVICE_TIMEOUT=${QDEVICE_TIMEOUT:-2000}

"$H" can_run || exit 77
[ -x "$PL_BIN/paceline-qnetd" ] || { echo "no $PL_BIN/paceline-qnetd" >&2; exit 77; }
"$H" down
[ -n "${PL_KEEP:-}" ] || trap '"$H" down' EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	tail -n 8 "$PL_HARNESS_DIR"/n*/log/membership.out "$PL_HARNESS_DIR"/n*/log/qnetd.out >&2
	exit 1
}
qt() { "$H" exec "$1" "$PL_BIN/paceline-quorumtool" -s 2>/dev/null; }
quorate() { qt "$1" > /dev/null; echo $?; }
field() { qt "$1" | awk -F': *' -v f="$2" '$1 == f {print $2}' | awk '{print $1}'; }
wait_quorate() { # wait_quorate I 0|2 SECS
	local end=$(($(date +%s) + $3))
	while [ "$(quorate "$1")" != "$2" ]; do
		[ "$(date +%s)" -ge "$end" ] && fail "node $1: quorumtool -s exit $(quorate "$1"), wanted $2"
		sleep 0.05
	done
}
wait_total() { # wait_total I VOTES SECS
	local end=$(($(date +%s) + $3))
	while [ "$(field "$1" "Total votes")" != "$2" ]; do
		[ "$(date +%s)" -ge "$end" ] && fail "node $1: total votes $(field "$1" "Total votes"), wanted $2"
		sleep 0.05
	done
}
# Both sides of a partition: once each side has its own ring and the arbiter has answered,
# the winners are quorate and the losers not, and it stays so (checked for 3 s). (Between the
# ring change and the arbiter's answer quorumtool shows the device's vote not counted; the
# clients' quorum event waits for the answer.)
split() { # split "WIN..." LOSE... (nodes)
	local win=$1 i end
	shift
	for i in $win; do "$H" wait_ring "$i" "$win" 20 || fail "node $i: no ring of $win"; done
	for i in "$@"; do "$H" wait_ring "$i" "$*" 20 || fail "node $i: no ring of $*"; done
	for i in $win; do wait_quorate "$i" 0 15; done
	for i in "$@"; do wait_quorate "$i" 2 15; done
	end=$(($(date +%s) + 3))
	while [ "$(date +%s)" -lt "$end" ]; do
		for i in $win; do [ "$(quorate "$i")" = 0 ] || fail "node $i lost quorum after the split"; done
		for i in "$@"; do [ "$(quorate "$i")" = 2 ] || fail "node $i regained quorum on the losing side"; done
		sleep 0.2
	done
}

# ---- 2 nodes + arbiter (node 3), ffsplit ----
QDEVICE="algorithm: ffsplit" "$H" up 2 || fail "up"
for i in 1 2; do "$H" wait_ring "$i" "1 2" 20 || fail "ring of 2 not formed on node $i"; done
for i in 1 2; do wait_quorate "$i" 0 15; wait_total "$i" 3 15; done
qt 1 | grep -q "^Flags: .*Qdevice" || fail "no Qdevice flag: $(qt 1 | grep Flags)"
qt 1 | grep -Eq "^ +0 +1 +Qdevice$" || fail "no Qdevice line: $(qt 1)"
qt 1 | grep -Eq "^ +2 +1 +A,V,NMW n2$" || fail "node 2's qdevice state not shown: $(qt 1)"
"$H" exec 3 "$PL_BIN/paceline-qnetd-tool" -l | grep -cP "Vote:\t+No change \(ACK\)" | grep -qx 2 ||
	fail "the arbiter does not list two ACKed nodes: $("$H" exec 3 "$PL_BIN/paceline-qnetd-tool" -l)"
echo "ok: 2 nodes + arbiter: 3 votes of 3, Qdevice flag, both nodes ACKed at the arbiter"

"$H" partition 1 3 / 2
split 1 2
echo "ok: partition with the arbiter on node 1's side: node 1 quorate, node 2 not"
"$H" heal
for i in 1 2; do "$H" wait_ring "$i" "1 2" 30 || fail "no single ring after heal"; done
for i in 1 2; do wait_total "$i" 3 20; done
"$H" partition 2 3 / 1
split 2 1
echo "ok: partition with the arbiter on node 2's side: node 2 quorate, node 1 not"
"$H" heal
for i in 1 2; do "$H" wait_ring "$i" "1 2" 30 || fail "no single ring after heal"; done
for i in 1 2; do wait_total "$i" 3 20; done

"$H" arbiter kill
for i in 1 2; do wait_total "$i" 2 10; done
for i in 1 2; do [ "$(quorate "$i")" = 0 ] || fail "node $i lost quorum when only the arbiter went"; done
qt 1 | grep -Eq "^ +1 +1 +NA,NV,NMW n1 \(local\)$" || fail "arbiter down not shown: $(qt 1)"
"$H" kill 2
"$H" wait_ring 1 "1" 20 || fail "node 1 did not drop node 2"
wait_quorate 1 2 10
echo "ok: arbiter down: 2 of 3 votes, quorate; then node 2 down: 1 of 3, not quorate"
"$H" arbiter start
wait_quorate 1 0 15
wait_total 1 2 5
echo "ok: arbiter back: node 1 alone is quorate again (2 of 3)"

# another cluster's key at the arbiter: refused on the first authenticated record
a=$(( $(cat "$PL_HARNESS_DIR/cluster_nodes") + 1 ))
kd="$PL_HARNESS_DIR/n$a/etc/qnetd"
"$H" arbiter stop
rm -f "$kd/plharness.key"
"$PL_BIN/paceline-keygen" -k "$kd/plharness.key" > /dev/null || fail "keygen"
"$H" arbiter start
end=$(($(date +%s) + 10))
until grep -q "record authentication failed" "$PL_HARNESS_DIR/n$a/log/qnetd.out"; do
	[ "$(date +%s)" -ge "$end" ] && fail "the arbiter did not refuse a node with another key"
	sleep 0.1
done
wait_quorate 1 2 10
wait_total 1 1 5
echo "ok: a node with another cluster key is refused by the arbiter and gets no vote"
"$H" down

# ---- 2 nodes + arbiter over TLS: certificates by paceline-qnetd-certutil, arbiter -s required ----
if command -v certutil > /dev/null && command -v pk12util > /dev/null; then
	export QDEVICE_TLS=required
	QDEVICE="algorithm: ffsplit" "$H" up 2 || fail "up 2 (TLS)"
	a=$(( $(cat "$PL_HARNESS_DIR/cluster_nodes") + 1 ))
	qlog="$PL_HARNESS_DIR/n$a/log/qnetd.out"
	for i in 1 2; do "$H" wait_ring "$i" "1 2" 20 || fail "ring of 2 not formed on node $i (TLS)"; done
	for i in 1 2; do wait_quorate "$i" 0 15; wait_total "$i" 3 15; done
	"$H" exec $a "$PL_BIN/paceline-qnetd-tool" -l -v | grep -c "TLS active:.*Yes" | grep -qx 2 ||
		fail "the arbiter does not show two nodes on TLS: $("$H" exec $a "$PL_BIN/paceline-qnetd-tool" -l -v)"
	grep -q "connected to the arbiter .*TLS, certificates verified" "$PL_HARNESS_DIR/n1/log/membership.out" ||
		fail "node 1 does not say it is on TLS"
	"$H" partition 2 3 / 1
	split 2 1
	"$H" heal
	for i in 1 2; do "$H" wait_ring "$i" "1 2" 30 || fail "no single ring after heal (TLS)"; done
	for i in 1 2; do wait_total "$i" 3 20; done
	echo "ok: TLS: both nodes' certificates accepted (-s required), the partition decided over TLS"

	# a wrong certificate: node 2's comes from another CA (of the same name), the arbiter refuses it
	"$H" stop 2
	ndb="$PL_HARNESS_DIR/n2/etc/qdevice/net/nssdb" odb="$PL_HARNESS_DIR/other-ca"
	cu="$PL_BIN/paceline-qnetd-certutil"
	rm -rf "$ndb"
	{ "$cu" -i -d "$odb" && "$cu" -i -c "$PL_HARNESS_DIR/n$a/etc/qnetd/nssdb/qnetd-cacert.crt" -d "$ndb" &&
		"$cu" -r -n plharness -d "$ndb" && "$cu" -s -c "$ndb/qdevice-net-node.crq" -n plharness -d "$odb" &&
		"$cu" -M -c "$odb/cluster-plharness.crt" -d "$ndb"; } > /dev/null 2>&1 || fail "certutil (other CA)"
	"$H" start 2
	"$H" wait_ring 2 "1 2" 20 || fail "node 2 did not rejoin"
	end=$(($(date +%s) + 10))
	until grep -q "(cluster plharness) refused: TLS: SEC_ERROR_.*not issued by a trusted CA" "$qlog"; do
		[ "$(date +%s)" -ge "$end" ] && fail "the arbiter did not refuse a certificate from another CA"
		sleep 0.1
	done
	wait_total 2 2 10
	echo "ok: TLS: a certificate from another CA is refused; that node gets no vote"

	# tls: off on node 2 against the arbiter's -s required: refused with a line on both ends
	"$H" stop 2
	sed -i 's/^\(\t*\)algorithm: ffsplit$/&\n\1tls: off/' "$PL_HARNESS_DIR/n2/etc/paceline.conf"
	grep -q "tls: off" "$PL_HARNESS_DIR/n2/etc/paceline.conf" || fail "(test) tls: off not written"
	"$H" start 2
	end=$(($(date +%s) + 10))
	until grep -q "refused: the arbiter requires TLS and the node has tls: off" "$qlog" &&
		grep -q "arbiter .* refused: the arbiter requires TLS" "$PL_HARNESS_DIR/n2/log/membership.out"; do
		[ "$(date +%s)" -ge "$end" ] && fail "tls: off against -s required was not refused with a line on both ends"
		sleep 0.1
	done
	wait_total 2 2 10
	echo "ok: TLS: tls: off against -s required is refused, said on both ends"
	"$H" down
	unset QDEVICE_TLS
else
	echo "skip: no NSS certutil/pk12util (libnss3-tools) for the TLS runs"
fi

# ---- heuristics: 2 nodes + arbiter, cut apart while both reach it: node 1's heuristics fail,
# so node 2 keeps quorum although the tie-breaker (lowest) alone would pick node 1 ----
if command -v nft > /dev/null; then
	export QDEVICE_HEURISTICS="$(printf '%s\n' 'mode: on' 'interval: 1000' \
		"exec_check: /bin/sh -c 'test -f \"\$PL_STATE_DIR/heuristics-ok\"'")"
	QDEVICE="algorithm: ffsplit" "$H" up 2 || fail "up 2 (heuristics)"
	a=$(( $(cat "$PL_HARNESS_DIR/cluster_nodes") + 1 ))
	touch "$PL_HARNESS_DIR/n2/state/heuristics-ok"
	for i in 1 2; do "$H" wait_ring "$i" "1 2" 20 || fail "ring of 2 not formed on node $i (heuristics)"; done
	for i in 1 2; do wait_quorate "$i" 0 15; wait_total "$i" 3 15; done
	end=$(($(date +%s) + 10))
	until "$H" exec $a "$PL_BIN/paceline-qnetd-tool" -l | tr '\n' ' ' |
		grep -Eq "Node ID 1:.*Heuristics:[[:space:]]+Fail.*Node ID 2:.*Heuristics:[[:space:]]+Pass|Node ID 2:.*Heuristics:[[:space:]]+Pass.*Node ID 1:.*Heuristics:[[:space:]]+Fail"; do
		[ "$(date +%s)" -ge "$end" ] &&
			fail "the arbiter does not show node 1 Fail, node 2 Pass: $("$H" exec $a "$PL_BIN/paceline-qnetd-tool" -l)"
		sleep 0.2
	done
	"$H" block 1 2; "$H" block 2 1
	split 2 1
	echo "ok: heuristics: node 1's fail, node 2's pass: cut apart, both reaching the arbiter, node 2 keeps quorum"
	"$H" down
	unset QDEVICE_HEURISTICS
else
	echo "skip: no nft for the heuristics split"
fi

# ---- 4 nodes + arbiter (node 5), ffsplit, even split ----
# keep_active_partition_tie_breaker off: after a split the vote ends on the tie-breaker's half
# whichever half formed its ring first (on, the default, the first half keeps it)
QDEVICE="$(printf 'algorithm: ffsplit\ntie_breaker: lowest\nkeep_active_partition_tie_breaker: off')" \
	"$H" up 4 || fail "up 4"
for i in 1 2 3 4; do "$H" wait_ring "$i" "1 2 3 4" 30 || fail "ring of 4 not formed on node $i"; done
for i in 1 2 3 4; do wait_total "$i" 5 15; done
"$H" partition 1 2 / 3 4 5
split "3 4" 1 2
echo "ok: 4 nodes split 2 / 2, the arbiter with 3 4: they keep quorum (3 of 5), 1 2 lose it"
"$H" heal
for i in 1 2 3 4; do "$H" wait_ring "$i" "1 2 3 4" 30 || fail "no single ring after heal"; done
for i in 1 2 3 4; do wait_total "$i" 5 15; done
if command -v nft > /dev/null; then	# both halves reach the arbiter: the tie-breaker decides
	for a in 1 2; do for b in 3 4; do "$H" block $a $b; "$H" block $b $a; done; done
	split "1 2" 3 4
	echo "ok: 4 nodes split 2 / 2, both halves reach the arbiter: the lowest node id's half keeps quorum"
else
	echo "skip: no nft for the even split with the arbiter on both sides"
fi
"$H" down

# ---- 3 nodes + arbiter (node 4), lms: the last node standing keeps quorum ----
QDEVICE="algorithm: lms" "$H" up 3 || fail "up 3"
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || fail "ring of 3 not formed on node $i"; done
for i in 1 2 3; do wait_total "$i" 5 15; done	# 3 nodes + 2 device votes
"$H" kill 3
"$H" kill 2
"$H" wait_ring 1 "1" 20 || fail "node 1 did not drop nodes 2 and 3"
wait_quorate 1 0 15
wait_total 1 3 5
echo "ok: lms: nodes 2 and 3 killed, node 1 alone keeps quorum with the device (3 of 5)"
exit 0
