#!/usr/bin/env bash
# cluster_setup.sh - paceline-cluster setup: writes paceline.conf and a 0400 key, refuses to
# overwrite without --force, says what is wrong with a bad node list, and the written files
# run a real paceline-membership (one node on 127.0.0.1) to quorum.
set -u
BIN=${PL_BIN:?}
D=$(mktemp -d /tmp/pl-csetup.XXXXXX)
export PL_IPC_PREFIX="pl-csetup-$$"
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$D"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
C=$BIN/paceline-cluster

out=$("$C" setup --dir "$D/etc" --name web --token 1500 --port $((21000 + $$ % 9000)) solo=127.0.0.1) ||
	fail "setup: $out"
echo "$out"
[ "$(stat -c '%a %s' "$D/etc/authkey")" = "400 256" ] || fail "authkey: $(stat -c '%a %s' "$D/etc/authkey")"
[ "$(stat -c %a "$D/etc/paceline.conf")" = 644 ] || fail "conf mode"
grep -q "cluster_name: web" "$D/etc/paceline.conf" && grep -q "token: 1500" "$D/etc/paceline.conf" ||
	fail "conf content: $(cat "$D/etc/paceline.conf")"
echo "$out" | grep -q "scp -p $D/etc/paceline.conf $D/etc/authkey root@127.0.0.1:$D/etc/" ||
	fail "no copy instructions"
key=$(md5sum < "$D/etc/authkey")

"$C" setup --dir "$D/etc" solo=127.0.0.1 2> "$D/err"; rc=$?
[ $rc = 108 ] && grep -q "exists: not overwritten" "$D/err" || fail "overwrite without --force: rc $rc $(cat "$D/err")"
[ "$(md5sum < "$D/etc/authkey")" = "$key" ] || fail "key changed by a refused setup"
"$C" setup --dir "$D/x" a=10.0.0.1 b=10.0.0.300 2> "$D/err"; rc=$?
[ $rc = 64 ] && grep -q "node b: '10.0.0.300' is not an IPv4 or IPv6 address" "$D/err" || fail "bad address: rc $rc"
"$C" setup --dir "$D/x" a=10.0.0.1 b=10.0.0.1 2> "$D/err"; rc=$?
[ $rc = 64 ] && grep -q "nodes a and b have the same address" "$D/err" || fail "duplicate: rc $rc"
"$C" setup --dir "$D/x" no-such-host.invalid 2> "$D/err"; rc=$?
[ $rc = 68 ] && grep -q "cannot resolve node 'no-such-host.invalid'" "$D/err" || fail "unresolvable: rc $rc"
[ ! -e "$D/x/authkey" ] || fail "a failed setup wrote a key"
"$C" setup --dir "$D/etc" --force solo=127.0.0.1 > /dev/null || fail "--force"
[ "$(md5sum < "$D/etc/authkey")" != "$key" ] || fail "--force kept the old key"

# The files run a real node.
"$BIN/paceline-membership" -f -c "$D/etc/paceline.conf" -k "$D/etc/authkey" -S "$D/state" > "$D/log" 2>&1 &
pid=$!
for _ in $(seq 200); do
	"$BIN/paceline-quorumtool" -s 2> /dev/null | grep -q "solo (local)" && break
	kill -0 $pid 2> /dev/null || { cat "$D/log"; fail "membership exited on the written files"; }
	sleep 0.05
done
"$BIN/paceline-quorumtool" -s | grep -q "solo (local)" || { cat "$D/log"; fail "not quorate"; }
echo "ok: paceline-cluster setup"
