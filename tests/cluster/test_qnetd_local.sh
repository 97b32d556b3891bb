#!/bin/sh
# test_qnetd_local.sh - one paceline-qnetd serving several clusters, on 127.0.0.1 (no root, no
# namespaces): two one-node clusters, alpha and beta, both with node id 1 and their own keys,
# get the arbiter's vote (2 of 2 votes, quorate), and paceline-qnetd-tool -l lists both; a
# third cluster whose key the arbiter does not hold is refused with the path it looked for;
# the arbiter stopped, each node loses the device's vote within its timeout (1 of 2: not
# quorate) and gets it back when the arbiter returns. A fourth cluster runs heuristics (mode on)
# whose command fails, then passes: the arbiter shows each result; a fifth's command hangs and
# is killed at the heuristics timeout, failing the run; the fourth's master_wins is shown by
# paceline-quorumtool -s. corosync-qnetd-tool and corosync-qdevice-tool (links to Paceline's)
# print corosync 3.0.3's text and exit 3 without a daemon. SIGTERM stops everything cleanly.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${PL_TEST_BINDIR:-$here/../../build}
BIN=${PL_BIN:-$BUILD/bin}
D=$(mktemp -d /tmp/pl-qnetd-local.XXXXXX)
QPORT=$((20000 + $$ % 20000))
pids=
qpid=
cleanup() {
	for p in $pids $qpid; do kill -KILL "$p" 2> /dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; tail -n 12 "$D"/*.log >&2; exit 1; }

start_qnetd() {
	PL_IPC_PREFIX="pl-qnetd-local-$$-arbiter" "$BIN/paceline-qnetd" -f -L 127.0.0.1 -p "$QPORT" \
		-d "$D/keys" >> "$D/qnetd.log" 2>&1 &
	qpid=$!
}
QTAG="pl-qnetd-local-$$"
. "$(dirname "$0")/qnetd_lib.sh"
cluster() { # cluster NAME PORT [DEVICE_LINES]: more lines of quorum.device
	qnetd_cluster "$1" "$2" "${3:-}" "			algorithm: ffsplit"
}

mkdir -p "$D/keys"
start_qnetd
P=$((QPORT + 10))
cluster alpha $P
cluster beta $((P + 10))
cluster gamma $((P + 20))
install -m 0400 "$D/alpha/authkey" "$D/keys/alpha.key"
install -m 0400 "$D/beta/authkey" "$D/keys/beta.key"
wait_total alpha 2
wait_total beta 2
qt alpha > /dev/null || fail "alpha not quorate with the device"
out=$(PL_IPC_PREFIX="pl-qnetd-local-$$-arbiter" "$BIN/paceline-qnetd-tool" -l)
echo "$out" | grep -q '^Cluster "alpha":' && echo "$out" | grep -q '^Cluster "beta":' ||
	fail "paceline-qnetd-tool -l does not list both clusters: $out"
[ "$(echo "$out" | grep -c 'Vote:.*(ACK)')" = 2 ] || fail "not two ACKs: $out"
grep -q "gamma node 1) refused: no key for this cluster: $D/keys/gamma.key" "$D/qnetd.log" ||
	fail "gamma was not refused with the key's path"
qt gamma | grep -q "^Total votes: *1$" || fail "gamma got the vote without a key"
echo "ok: one arbiter, two clusters (alpha, beta) with their own keys; gamma without a key refused"

kill -TERM "$qpid"
wait "$qpid" || fail "paceline-qnetd did not stop cleanly"
qpid=
wait_total alpha 1
if qt alpha > /dev/null; then fail "alpha quorate without its device"; fi
start_qnetd
wait_total alpha 2
wait_total beta 2
echo "ok: arbiter stopped: the vote is lost within the timeout; back: both clusters have it again"

# heuristics (mode on, every second) and master_wins: the arbiter sees the result change
cluster delta $((P + 30)) "$(printf '\t\tmaster_wins: on\n\t\theuristics {\n\t\t\tmode: on\n\t\t\tinterval: 1000\n\t\t\texec_ok: /usr/bin/test -f %s\n\t\t}' "$D/delta/ok")"
install -m 0400 "$D/delta/authkey" "$D/keys/delta.key"
wait_total delta 2
lst() { PL_IPC_PREFIX="pl-qnetd-local-$$-arbiter" "$BIN/paceline-qnetd-tool" -l -v -c delta; }
wait_list() { # wait_list PATTERN
	end=$(($(date +%s) + 10))
	until lst | grep -Eq "$1"; do
		[ "$(date +%s)" -le "$end" ] || fail "delta at the arbiter: no '$1': $(lst)"
		sleep 0.1
	done
}
wait_list "Heuristics:.*Fail \(membership: Fail, regular: Undefined\)"
touch "$D/delta/ok"
wait_list "Heuristics:.*Pass \(membership: Fail, regular: Pass\)"
qt delta | grep -Eq "^ +1 +1 +A,V,MW " || fail "delta: master_wins not shown: $(qt delta)"
grep -q "heuristics fail: exec_ok exited 1" "$D/delta.log" || fail "delta: no log line for the failed command"
# a command that hangs is killed at the heuristics timeout and fails the run
cluster zeta $((P + 40)) "$(printf '\t\theuristics {\n\t\t\tmode: sync\n\t\t\ttimeout: 1000\n\t\t\texec_hang: /bin/sleep 60\n\t\t}')"
install -m 0400 "$D/zeta/authkey" "$D/keys/zeta.key"
end=$(($(date +%s) + 10))
until grep -q "heuristics fail: exec_hang did not finish in time (killed)" "$D/zeta.log"; do
	[ "$(date +%s)" -le "$end" ] || fail "zeta: the hanging command was not killed at its timeout"
	sleep 0.1
done
PL_IPC_PREFIX="pl-qnetd-local-$$-arbiter" "$BIN/paceline-qnetd-tool" -l -c zeta | grep -Eq "Heuristics:[[:space:]]+Fail" ||
	fail "zeta: the arbiter does not show Fail"
echo "ok: heuristics: Fail then Pass at the arbiter as the command's result changes; a hanging command killed at the timeout; master_wins shown (A,V,MW)"

# corosync's tools under their names (pcs runs them): corosync 3.0.3's text and exit codes
ln -s "$BIN/paceline-qnetd-tool" "$D/corosync-qnetd-tool"
ln -s "$BIN/paceline-qdevice-tool" "$D/corosync-qdevice-tool"
qnt() { PL_IPC_PREFIX="pl-qnetd-local-$$-arbiter" "$D/corosync-qnetd-tool" "$@"; }
qdt() { PL_IPC_PREFIX="pl-qnetd-local-$$-delta" "$D/corosync-qdevice-tool" "$@"; }
out=$(qnt -s) || fail "corosync-qnetd-tool -s failed"
printf '%s\n' "$out" | grep -q "^QNetd address:$(printf '\t\t\t')127.0.0.1:$QPORT\$" &&
	printf '%s\n' "$out" | grep -q "^Connected clients:$(printf '\t\t')4\$" &&
	printf '%s\n' "$out" | grep -q "^Connected clusters:$(printf '\t\t')4\$" ||
	fail "corosync-qnetd-tool -s: $out"
out=$(qdt -s) || fail "corosync-qdevice-tool -s failed"
want="$(printf 'Qdevice information\n-------------------\nModel:\t\t\tNet\nNode ID:\t\t1\nConfigured node list:\n    0\tNode ID = 1\nMembership node list:\t1\n\nQdevice-net information\n----------------------\nCluster name:\t\tdelta\nQNetd host:\t\t127.0.0.1:%s\nAlgorithm:\t\tFifty-Fifty split\nTie-breaker:\t\tNode with lowest node ID\nState:\t\t\tConnected\nHeuristics result:\tPass' "$QPORT")"
[ "$out" = "$want" ] || fail "corosync-qdevice-tool -s: got
$out
wanted
$want"
qdt -s -v | grep -q "^Heuristics result:.*Pass (regular: Pass, membership: Undefined, connect: Fail)\$" ||
	fail "corosync-qdevice-tool -s -v: $(qdt -s -v)"
PL_IPC_PREFIX="pl-qnetd-local-$$-none" "$D/corosync-qnetd-tool" -l 2> "$D/err"
[ $? = 3 ] && grep -q "^corosync-qnetd-tool: Can't connect to qnetd socket (is QNetd running?)" "$D/err" ||
	fail "corosync-qnetd-tool without a daemon: $(cat "$D/err")"
PL_IPC_PREFIX="pl-qnetd-local-$$-none" "$D/corosync-qdevice-tool" -s 2> "$D/err"
[ $? = 3 ] && grep -q "(is QDevice running?)" "$D/err" || fail "corosync-qdevice-tool without a daemon"
PL_IPC_PREFIX="pl-qnetd-local-$$-alpha" "$D/corosync-qdevice-tool" -s > /dev/null 2>&1 ||
	fail "alpha: corosync-qdevice-tool -s"
"$D/corosync-qnetd-tool" 2> "$D/err"
[ $? = 1 ] && grep -q "^usage: corosync-qnetd-tool \[-Hhlsv\]" "$D/err" || fail "corosync-qnetd-tool usage"
echo "ok: corosync-qnetd-tool -s and corosync-qdevice-tool -s in corosync 3.0.3's text; exit 3 without a daemon"

for p in $pids; do kill -TERM "$p"; done
for p in $pids; do wait "$p" || fail "a membership daemon did not stop cleanly"; done
pids=
kill -TERM "$qpid"
wait "$qpid" || fail "paceline-qnetd did not stop cleanly"
qpid=
echo "ok: SIGTERM stops the daemons cleanly"
exit 0
