#!/bin/sh
# test_membership_faults.sh - two encrypted nodes (aes256, two_node) in network namespaces:
# 300 forged / random / truncated datagrams are dropped and counted without disturbing the
# ring; kill -9 of one node leaves the other quorate (two_node); it rejoins after a restart;
# a planned stop (SIGTERM) makes the survivor re-form at once (the leaving node says so);
# the daemon refuses a key file readable by others (naming mode 0400) and a bad
# paceline.conf (naming file:line), both with exit code 78.
# Skips (77) without root or ip netns. Always removes its namespaces.
set -u
here=$(cd "$(dirname "$0")" && pwd)
H="$here/membership_harness.sh"
BUILD=${PL_TEST_BINDIR:-$here/../../build}
export PL_BIN=${PL_BIN:-$BUILD/bin}
export PL_HARNESS_DIR=${PL_HARNESS_DIR:-$(mktemp -d /tmp/pl-faults.XXXXXX)}

"$H" can_run || exit 77
command -v python3 >/dev/null || exit 77
"$H" down
[ -n "${PL_KEEP:-}" ] || trap '"$H" down' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; tail -n 5 "$PL_HARNESS_DIR"/n*/log/membership.out >&2; exit 1; }
counter() { "$H" exec "$1" "$PL_BIN/paceline-cfgtool" -s | awk -v k="$2" '$1 == k {print $3}'; }
ringid() { "$H" exec "$1" "$PL_BIN/paceline-cfgtool" -s | awk '$1 == "ring" {print $3}'; }

CIPHER=aes256 "$H" up 2 || fail "up"
"$H" wait_ring 1 "1 2" 20 || fail "no ring of 2"
"$H" wait_ring 2 "1 2" 20 || fail "no ring of 2 on node 2"
echo "ok: 2 encrypted nodes form a ring"

before=$(ringid 1)
"$H" exec 2 python3 - <<'PY' || fail "could not send the garbage"
import os, random, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
random.seed(7)
def send(pkt):
    for _ in range(100):    # the fresh veth may refuse a send for a moment
        try:
            return s.sendto(pkt, ("10.201.0.1", 5405))
        except OSError:
            time.sleep(0.02)
    raise SystemExit("sendto keeps failing")
for i in range(300):
    kind = i % 3
    if kind == 0:
        pkt = os.urandom(random.randint(1, 3000))
    elif kind == 1:    # a plausible security header with a wrong HMAC
        pkt = bytes([1, 3, 0, 0]) + os.urandom(random.randint(16, 1500))
    else:              # a bare Totem header, unauthenticated
        pkt = b"\x50\x4c\x01\x01" + (2).to_bytes(4, "big") + os.urandom(random.randint(0, 80))
    send(pkt)
PY
end=$(($(date +%s) + 10))
while [ "$(counter 1 auth)" -lt 300 ] 2>/dev/null && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
[ "$(counter 1 auth)" -ge 300 ] || fail "auth drops $(counter 1 auth), wanted >= 300"
[ "$(ringid 1)" = "$before" ] || fail "the garbage changed the ring ($before -> $(ringid 1))"
"$H" wait_ring 1 "1 2" 1 || fail "ring disturbed"
echo "ok: 300 forged datagrams dropped and counted (auth $(counter 1 auth)), ring untouched"

"$H" kill 2
"$H" wait_ring 1 "1" 20 || fail "node 1 did not drop node 2"
"$H" exec 1 "$PL_BIN/paceline-quorumtool" -s >/dev/null || fail "two_node: the survivor must stay quorate"
echo "ok: two_node survivor stays quorate"
"$H" start 2
"$H" wait_ring 1 "1 2" 20 || fail "node 2 did not rejoin"
echo "ok: node 2 rejoined"

t0=$(date +%s%3N)
"$H" stop 2 &	# (the daemon's own exit is not what we time)
"$H" wait_ring 1 "1" 20 || fail "node 1 did not drop the stopped node 2"
echo "ok: planned stop (SIGTERM) of node 2 -> 1-node ring in $(($(date +%s%3N) - t0)) ms"
wait
"$H" start 2
"$H" wait_ring 1 "1 2" 20 || fail "node 2 did not rejoin after its stop"

cp "$PL_HARNESS_DIR/authkey" "$PL_HARNESS_DIR/badkey" && chmod 0644 "$PL_HARNESS_DIR/badkey"
msg=$("$H" exec 2 "$PL_BIN/paceline-membership" -F -n 2 -k "$PL_HARNESS_DIR/badkey" 2>&1)
rc=$?
[ "$rc" = 78 ] || fail "a 0644 key file: exit $rc, wanted 78: $msg"
echo "$msg" | grep -q "mode 0644" && echo "$msg" | grep -q "0400" || fail "key message: $msg"
echo "ok: key file readable by others refused: $(echo "$msg" | sed 's/.*error: //' | head -1)"

sed 's/token: .*/token: 3s/' "$PL_HARNESS_DIR/paceline.conf" > "$PL_HARNESS_DIR/bad.conf"
msg=$("$H" exec 2 "$PL_BIN/paceline-membership" -F -n 2 -c "$PL_HARNESS_DIR/bad.conf" 2>&1)
rc=$?
[ "$rc" = 78 ] || fail "bad config: exit $rc, wanted 78: $msg"
echo "$msg" | grep -q "bad.conf:3" || fail "config message: $msg"
echo "ok: bad configuration refused: $(echo "$msg" | sed 's/.*error: //' | head -1)"
exit 0
