#!/bin/sh
# test_qnetd_tls.sh - the quorum device over TLS with NSS certificates, on 127.0.0.1 (no root,
# no namespaces). The certificates are made by paceline-qnetd-certutil as a user would: the
# arbiter's CA (-i), a node's database trusting it (-i -c), a request (-r), signed on the
# arbiter (-s), imported (-M). One arbiter with -s required:
#   alpha (its own certificate, tls: on): connected over TLS, quorate with the device's vote,
#     "TLS active: Yes" at the arbiter, no cluster key file at the arbiter at all (both its
#     database and the arbiter's have a password, in pwdfile.txt as corosync keeps it);
#   beta (a certificate signed for alpha): refused, the arbiter logs the certificate's cluster;
#   gamma (a certificate from another CA): the handshake fails, logged on both ends;
#   delta (tls: off): refused by the arbiter with a line saying it requires TLS.
# Then the arbiter with -s off: epsilon (tls: required) refuses it, with a line saying so; and a
# node with tls: on and no database (zeta) uses the cluster key (the default where nobody made
# certificates). Each refused cluster stays without the device's vote.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${PL_TEST_BINDIR:-$here/../../build}
BIN=${PL_BIN:-$BUILD/bin}
CERTUTIL=${PL_QNETD_CERTUTIL:-$here/../../qnetd/paceline-qnetd-certutil}
command -v certutil > /dev/null && command -v pk12util > /dev/null ||
	{ echo "skip: no NSS certutil/pk12util (libnss3-tools)" >&2; exit 77; }
D=$(mktemp -d /tmp/pl-qnetd-tls.XXXXXX)
QPORT=$((20000 + ($$ + 7000) % 20000))
pids=
qpid=
cleanup() {
	for p in $pids $qpid; do kill -KILL "$p" 2> /dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; tail -n 12 "$D"/*.log >&2; exit 1; }

start_qnetd() { # start_qnetd TLS_MODE
	PL_IPC_PREFIX="pl-qnetd-tls-$$-arbiter" "$BIN/paceline-qnetd" -f -L 127.0.0.1 -p "$QPORT" \
		-d "$D/keys" -s "$1" >> "$D/qnetd.log" 2>&1 &
	qpid=$!
}
stop_qnetd() {
	kill -TERM "$qpid"
	wait "$qpid" || fail "paceline-qnetd did not stop cleanly"
	qpid=
}
QTAG="pl-qnetd-tls-$$"
. "$(dirname "$0")/qnetd_lib.sh"
cluster() { # cluster NAME PORT TLS: its database (if any) is NAME/qdevice/net/nssdb
	qnetd_cluster "$1" "$2" "" "			tls: $3"
}
wait_log() { # wait_log FILE PATTERN
	end=$(($(date +%s) + 15))
	until grep -q "$2" "$1"; do
		[ "$(date +%s)" -le "$end" ] || fail "$1: no line matching: $2"
		sleep 0.05
	done
}
cu() { "$CERTUTIL" "$@" > /dev/null 2>> "$D/certutil.log" || fail "paceline-qnetd-certutil $*"; }
# node_db NAME CN SIGNER: NAME's database trusting the arbiter's CA, with a certificate for
# cluster CN signed by the CA in SIGNER
node_db() {
	db="$D/$1/qdevice/net/nssdb"
	cu -i -c "$D/keys/nssdb/qnetd-cacert.crt" -d "$db"
	cu -r -n "$2" -d "$db"
	cu -s -c "$db/qdevice-net-node.crq" -n "$2" -d "$3"
	cu -M -c "$3/cluster-$2.crt" -d "$db"
}

mkdir -p "$D/keys" "$D/other"
cu -i -d "$D/keys/nssdb"
cu -i -d "$D/other/nssdb" # another arbiter's CA
node_db alpha alpha "$D/keys/nssdb"
node_db beta alpha "$D/keys/nssdb"
node_db gamma gamma "$D/other/nssdb"
# databases protected by a password in pwdfile.txt, as corosync's certutil tools make them:
# the arbiter's and alpha's (each end reads its own)
for db in "$D/keys/nssdb" "$D/alpha/qdevice/net/nssdb"; do
	printf '\n' > "$D/empty.pw"
	printf 's3cret-%s\n' "$$" > "$db/pwdfile.txt"
	certutil -W -d "sql:$db" -f "$D/empty.pw" -@ "$db/pwdfile.txt" > /dev/null 2>&1 ||
		fail "certutil -W $db"
done
start_qnetd required
wait_log "$D/qnetd.log" "TLS required"
P=$((QPORT + 10))
cluster alpha $P on
cluster beta $((P + 10)) on
cluster gamma $((P + 20)) on
cluster delta $((P + 30)) off

wait_total alpha 2
qt alpha > /dev/null || fail "alpha not quorate with the device"
grep -q "connected to the arbiter .*TLS, certificates verified" "$D/alpha.log" ||
	fail "alpha does not say it is on TLS"
out=$(PL_IPC_PREFIX="pl-qnetd-tls-$$-arbiter" "$BIN/paceline-qnetd-tool" -l -v)
echo "$out" | grep -q "TLS active:.*Yes" || fail "the arbiter does not show TLS: $out"
[ ! -e "$D/keys/alpha.key" ] || fail "(test) alpha's key at the arbiter"
echo "ok: TLS: alpha's certificate accepted, the device's vote over TLS, no cluster key needed"

wait_log "$D/qnetd.log" "cluster beta node 1) refused: its certificate is for cluster 'alpha'"
wait_log "$D/qnetd.log" "(cluster gamma) refused: TLS: SEC_ERROR_.*not issued by a trusted CA"
wait_log "$D/gamma.log" "quorum device: arbiter .*: TLS: SSL_ERROR_.*ALERT"
wait_log "$D/qnetd.log" "(cluster delta) refused: the arbiter requires TLS and the node has tls: off"
wait_log "$D/delta.log" "arbiter 127.0.0.1 refused: the arbiter requires TLS"
for c in beta gamma delta; do
	qt "$c" | grep -q "^Total votes: *1$" || fail "$c got the device's vote"
done
echo "ok: refused: a certificate for another cluster, one from another CA, tls: off against -s required"

stop_qnetd
start_qnetd off
cluster epsilon $((P + 40)) required
cluster zeta $((P + 50)) on
install -m 0400 "$D/zeta/authkey" "$D/keys/zeta.key"
wait_log "$D/epsilon.log" "refused: the node requires TLS (tls: required) and the arbiter does not offer it"
wait_total zeta 2
grep -q "connected to the arbiter .*cluster key" "$D/zeta.log" || fail "zeta not on the cluster key"
qt epsilon | grep -q "^Total votes: *1$" || fail "epsilon got the device's vote"
echo "ok: -s off: tls: required refused with a clear line; tls: on without certificates uses the cluster key"

for p in $pids; do kill -TERM "$p"; done
for p in $pids; do wait "$p" || fail "a membership daemon did not stop cleanly"; done
pids=
stop_qnetd
exit 0
