#!/bin/sh
# Hostile local clients (issue 17): tests/fuzz/ipc_live sends every message type of every
# service, well-formed and mutated (random, truncated, extended, oversized, broken header,
# wrong version, unknown type), to paceline-cib and paceline-pengine as root and as nobody
# (wrong privilege); both daemons must keep answering, and the CIB must still load after a
# restart. PL_IPC_LIVE_MESSAGES (default 1500) per client; the seed is PL_FUZZ_SEED (1).
set -u
bin=${PL_BIN:?}
live=${PL_TEST_BINDIR:?}/fuzz/ipc_live
[ -x "$bin/paceline-cib" ] && [ -x "$bin/paceline-pengine" ] && [ -x "$live" ] || { echo "not built"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root (a second client runs as nobody)"; exit 77; }
nobody=$(id -u nobody 2>/dev/null) || { echo "no user nobody"; exit 77; }
n=${PL_IPC_LIVE_MESSAGES:-1500}
seed=${PL_FUZZ_SEED:-1}

tmp=$(mktemp -d /tmp/pl-hostile-ipc.XXXXXX)
chmod 755 "$tmp"
export PL_IPC_PREFIX="pl-hipc-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200
unset CIB_file
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../../testlib.sh"
"$bin/paceline-cib" -l "$tmp/cib.log" 2>>"$tmp/cib.err" &
cib_pid=$!
pids="$cib_pid"
"$bin/paceline-pengine" -l "$tmp/pe.log" 2>>"$tmp/pe.err" &
pe_pid=$!
pids="$pids $pe_pid"
wait_for 10 "$bin/cibadmin" -Q -o status || { fail "cib did not start"; exit 1; }
"$bin/cibadmin" -C -o resources -X '<primitive id="keep" class="ocf" provider="heartbeat" type="Dummy"/>' >/dev/null 2>&1

for svc in cib pengine; do
	"$live" "$svc" -n "$n" -s "$seed" -u "$nobody" || fail "$svc: ipc_live as nobody then root (seed $seed)"
done
kill -0 "$cib_pid" 2>/dev/null || fail "paceline-cib died: $(tail -3 "$tmp/cib.log")"
kill -0 "$pe_pid" 2>/dev/null || fail "paceline-pengine died: $(tail -3 "$tmp/pe.log")"
grep -c "rejected message" "$tmp/cib.log" | sed 's/^/cib rejections logged: /'
# the CIB on disk still loads (whatever the root client managed to change)
kill "$cib_pid"; wait "$cib_pid" 2>/dev/null
"$bin/paceline-cib" -l "$tmp/cib2.log" 2>>"$tmp/cib.err" &
cib_pid=$!
pids="$cib_pid $pe_pid"
wait_for 10 "$bin/cibadmin" -Q -o status || fail "cib did not restart on its own file: $(tail -3 "$tmp/cib2.log")"
grep -q "corrupt\|does NOT conform" "$tmp/cib2.log" && fail "CIB written after the storm is not clean: $(grep "corrupt\|NOT" "$tmp/cib2.log" | head -2)"
[ "$fails" = 0 ] && echo "hostile ipc: daemons survived"
exit "$fails"
