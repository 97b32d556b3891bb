#!/usr/bin/env bash
# A large CIB through paceline-cib (not run by ctest): `cibadmin -R` of a whole generated CIB
# (default pengine-gen steady 32 2000: 39.8 MB, 32 nodes x 2000 resources with history), its
# time on 1 node (standalone) and on 3 nodes (harness.sh namespaces, paceline-membership: the
# replace is acknowledged after total-order delivery, local apply and fsync), then the time
# until every replica answers `cibadmin -Q` with the same document, and a whole `cibadmin -Q`.
# Every message larger than a ring or a group message travels in pieces (docs/design/ipc.md).
# Needs root for the 3-node part. Usage: tests/bench/cib-large.sh [BUILD_DIR]
# (NODES=32 RESOURCES=2000 pick the generated size)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
export PL_BIN=${1:-$here/build}/bin
ms() { date +%s%3N; }
tmp=$(mktemp -d /tmp/pl-cib-large.XXXXXX)
python3 "$here/tests/bench/pengine-gen" steady "${NODES:-32}" "${RESOURCES:-2000}" >"$tmp/big.xml"
size=$(wc -c <"$tmp/big.xml")
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
echo "CIB: $size bytes (pengine-gen steady ${NODES:-32} ${RESOURCES:-2000})"

# --- 1 node, standalone ---
dir=$tmp/n0
mkdir -p "$dir"
export PL_IPC_PREFIX="pl-cib-large-$$" PL_STATE_DIR=$dir PL_CIB_MEMBERSHIP_TIMEOUT_MS=100
"$PL_BIN/paceline-cib" -l "$dir/cib.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1 && break; sleep 0.05; done
t0=$(ms); "$PL_BIN/cibadmin" -t 300 -R -x "$tmp/big.xml" || echo "1 node: cibadmin -R failed"; t1=$(ms)
"$PL_BIN/cibadmin" -Q >"$tmp/q1.xml"; t2=$(ms)
echo "1 node:  cibadmin -R $((t1 - t0)) ms, cibadmin -Q $((t2 - t1)) ms ($(wc -c <"$tmp/q1.xml") bytes), daemon RSS $(awk '/^VmRSS/ {print $2}' /proc/$pid/status) KiB"
# status updates on the large CIB from a persistent client (crmd's way): each one in place
load=${1:-$here/build}/tests/cib_load
if [ -x "$load" ]; then
	"$load" -c 2 -n 50 -w 1 -m status -p big | sed 's/^/1 node:  on this CIB, /'
	echo "1 node:  daemon RSS after them $(awk '/^VmRSS/ {print $2}' /proc/$pid/status) KiB, peak $(awk '/^VmHWM/ {print $2}' /proc/$pid/status) KiB"
fi
kill "$pid"; wait "$pid"
unset PL_IPC_PREFIX PL_STATE_DIR PL_CIB_MEMBERSHIP_TIMEOUT_MS

# --- 3 nodes ---
[ "$(id -u)" = 0 ] || { echo "3 nodes: skipped (needs root)"; rm -rf "$tmp"; exit 0; }
export PL_HARNESS_NAME=plciblarge PL_HARNESS_SIZE=1g PL_NODE_STATE_SIZE=256m
. "$here/tests/cluster/harness.sh"
harness_lock 900 || exit 1
trap 'harness_down >/dev/null 2>&1; rm -rf "$tmp"' EXIT
harness_down >/dev/null 2>&1
harness_up 3 >/dev/null || exit 1
"$PL_BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" >/dev/null
for i in 1 2 3; do
	d=$(harness_node_dir "$i")/etc
	{ printf 'totem {\n\tcluster_name: ciblarge\n\ttoken: 1000\n}\n'; harness_nodelist 3; } >"$d/paceline.conf"
	install -m 0400 "$PL_HARNESS_DIR/authkey" "$d/authkey"
	harness_start "$i" "$PL_BIN/paceline-membership" -F >/dev/null
done
members() { [ "$(harness_exec 1 "$PL_BIN/paceline-quorumtool" -l 2>/dev/null | grep -cE '^ *[0-9]+ ')" = 3 ]; }
wait_for 20 members || { echo "membership did not form"; exit 1; }
for i in 1 2 3; do harness_start "$i" --name cib "$PL_BIN/paceline-cib" >/dev/null; done
serving() { harness_exec "$1" "$PL_BIN/cibadmin" -Q -n >/dev/null 2>&1; }
for i in 1 2 3; do wait_for 20 serving "$i" || { echo "node $i cib not serving"; exit 1; }; done
t0=$(ms)
harness_exec 1 "$PL_BIN/cibadmin" -t 300 -R -x "$tmp/big.xml" || echo "3 nodes: cibadmin -R failed"
t1=$(ms)
harness_exec 1 "$PL_BIN/cibadmin" -Q >"$tmp/q3.xml"
[ "$(wc -c <"$tmp/q3.xml")" -gt $((size / 2)) ] || echo "3 nodes: node 1 does not hold the large CIB"
want=$(md5sum <"$tmp/q3.xml")
same() { [ "$(harness_exec "$1" "$PL_BIN/cibadmin" -Q | md5sum)" = "$want" ]; }
for i in 2 3; do wait_for 60 same "$i" || echo "node $i differs after 60 s"; done
t2=$(ms)
echo "3 nodes: cibadmin -R on node 1 acknowledged in $((t1 - t0)) ms; all 3 replicas equal after $((t2 - t0)) ms (includes 2 whole -Q of $((size / 1000000)) MB to compare)"
