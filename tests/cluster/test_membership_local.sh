#!/bin/sh
# test_membership_local.sh - one paceline-membership node on 127.0.0.1 (no root, no
# namespaces: runs everywhere): it forms its ring and is quorate, a client joins a group and
# gets its own messages back in order and complete, cfgtool and quorumtool answer, and
# SIGTERM stops the daemon cleanly.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${PL_TEST_BINDIR:-$here/../../build}
BIN=${PL_BIN:-$BUILD/bin}
D=$(mktemp -d /tmp/pl-local.XXXXXX)
export PL_IPC_PREFIX="pl-local-$$"
PORT=$((20000 + $$ % 20000))
pid=
cleanup() { [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; cat "$D/log" >&2; exit 1; }

cat > "$D/paceline.conf" <<EOF2
totem {
	cluster_name: local$$
	token: 1000
	interface {
		mcastport: $PORT
	}
}
nodelist {
	node {
		ring0_addr: 127.0.0.1
		name: solo
		nodeid: 7
	}
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_syslog: no
}
EOF2
"$BIN/paceline-keygen" -k "$D/authkey" >/dev/null || fail "keygen"
[ "$(stat -c %a "$D/authkey")" = 400 ] || fail "keygen wrote mode $(stat -c %a "$D/authkey")"
"$BIN/paceline-membership" -F -c "$D/paceline.conf" -k "$D/authkey" -n 7 -S "$D/state" > "$D/log" 2>&1 &
pid=$!

end=$(($(date +%s) + 20))
until "$BIN/paceline-quorumtool" -s > "$D/q" 2>/dev/null; do
	[ "$(date +%s)" -le "$end" ] || fail "not quorate within 20 s"
	kill -0 "$pid" 2>/dev/null || fail "daemon exited"
	sleep 0.05
done
grep -q "solo (local)" "$D/q" || fail "quorumtool -s: $(cat "$D/q")"
"$BIN/paceline-cfgtool" -s | grep -q "Local node ID 7" || fail "cfgtool -s"
echo "ok: single node quorate, tools answer"

"$BUILD/tests/memb_stream" g1 "$D/stream" 5 &
spid=$!
sleep 1.5
kill -TERM "$spid"
wait "$spid"
python3 - "$D/stream" <<'PY' || fail "stream"
import sys
d = [l.split() for l in open(sys.argv[1]) if l.startswith("D ")]
counters = [int(x[2]) for x in d]
assert len(counters) >= 20, f"only {len(counters)} deliveries"
assert counters == list(range(1, len(counters) + 1)), "own messages out of order or missing"
print(f"ok: {len(counters)} messages delivered back in order")
PY
[ -s "$D/state/membership/ringseq_7" ] || fail "ring sequence number not persisted"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "daemon exit status $rc after SIGTERM"
echo "ok: SIGTERM stops the daemon (exit 0)"
