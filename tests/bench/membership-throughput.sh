#!/bin/sh
# membership-throughput.sh - agreed-order group messaging throughput on 3 nodes (network
# namespaces) at 64 B, 1 KiB and 64 KiB: paceline-cpgbench on node 1 for SECS (default 5)
# per size; then corosync 3.1.7 with the same measurement through libcpg when corosync and
# libcpg-dev are installed, and the ratios. Needs root.
. "$(dirname "$0")/membership-lib.sh"
SECS=${SECS:-5}
"$H" can_run || exit 77
"$H" down
trap '"$H" down' EXIT INT TERM
out=$(mktemp -d)

"$H" up 3 >/dev/null || exit 1
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || exit 1; done
"$H" exec 1 "$PL_BIN/paceline-cpgbench" -t "$SECS" -s 64 -s 1024 -s 65536 | tee "$out/pl"
"$H" down

if have_corosync && pkg-config --exists libcpg; then
	cc -O2 -o "$out/cscpg" "$(dirname "$0")/corosync_cpgbench.c" $(pkg-config --cflags --libs libcpg) || exit 1
	"$H" net 3 >/dev/null || exit 1
	for i in 1 2 3; do cs_start "$i" 3 3000; done
	cs_wait_ring 1 "1 2 3" 60 || { echo "corosync did not form a ring" >&2; exit 1; }
	echo "corosync 3.1.7 (knet, no crypto):"
	ip netns exec "$("$H" ns 1)" "$out/cscpg" "$SECS" 64 1024 65536 | tee "$out/cs"
	paste "$out/pl" "$out/cs" | awk '{ printf "size %6s B: paceline %10.1f msg/s, corosync %10.1f msg/s, ratio paceline/corosync %.2f\n", $4, $9, $21, ($21 > 0 ? $9 / $21 : 0) }'
else
	echo "corosync or libcpg-dev not installed: no comparison"
fi
rm -rf "$out"
