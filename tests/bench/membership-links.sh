#!/bin/bash
# membership-links.sh - redundant links, Paceline against corosync 3.1.7 (knet) on the same
# topology in the same run: 3 nodes in network namespaces with two networks (link 0 and link 1,
# link_mode passive, token TOKEN ms, default 1000).
#   failover: a message stream on every node (one message each INTERVAL ms, default 10); link 0
#   of node 2 is cut (its hub port goes down) for 6 s, then restored; the longest gap between
#   two deliveries on node 1 around the cut is the stall; RUNS cuts (default 3), median.
#   The ring must stay the same (no membership change).
#   throughput: paceline-cpgbench with one and with two links, SECS seconds (default 3) per
#   size (64 B, 1 KiB, 64 KiB), and latency: 64 B messages one at a time (-w 1), the mean
#   round trip to the agreed delivery; corosync the same through corosync_cpgbench.c (built
#   here when libcpg-dev is installed: apt-get install libcpg-dev), same topology, same run.
# The corosync stream client is corosync_cpgstream.py (ctypes on libcpg.so.4). Needs root.
. "$(dirname "$0")/membership-lib.sh"
export TOKEN=${TOKEN:-1000}
RUNS=${RUNS:-3}
INTERVAL=${INTERVAL:-10}
SECS=${SECS:-3}
STREAM="$ROOT/build/tests/memb_stream"
"$H" can_run || exit 77
"$H" down
trap '"$H" down' EXIT INT TERM
out=$(mktemp -d)

# longest gap between consecutive delivery times (4th field) in lines FROM..TO of a log
gap() { sed -n "$2,$3p" "$1" | awk '$1 == "D" {t = $4; if (p && t - p > g) g = t - p; p = t} END {print g + 0}'; }
lines() { wc -l < "$1"; }

measure() { # measure NAME LOG RINGCMD: RUNS cuts of link 0 of node 2, stall of each
	local name=$1 log=$2 r0 a b run
	r0=$($3)
	for run in $(seq 1 "$RUNS"); do
		sleep 2
		a=$(lines "$log")
		"$H" linkcut 0 2
		sleep 6
		"$H" linkup 0 2
		sleep 4
		b=$(lines "$log")
		gap "$log" "$a" "$b" >> "$out/$name.stall"
	done
	[ "$($3)" = "$r0" ] && echo "$name: ring unchanged ($r0)" || echo "$name: ring CHANGED ($r0 -> $($3))"
}

pl_ring() { "$H" exec 1 "$PL_BIN/paceline-cfgtool" -s | awk '$1 == "ring" {print $3}'; }
cs_ringid() { ip netns exec "$("$H" ns 1)" corosync-quorumtool -s 2>/dev/null | awk -F': *' '/^Ring ID/ {print $2}'; }

# ---- Paceline ----
LINKS=2 "$H" up 3 > /dev/null || exit 1
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || exit 1; done
sleep 2
for i in 1 2 3; do
	"$H" exec "$i" "$STREAM" bench "$out/pl$i" "$INTERVAL" &
done
measure paceline "$out/pl1" pl_ring
echo "paceline throughput, 2 links (passive):"
"$H" exec 1 "$PL_BIN/paceline-cpgbench" -t "$SECS" -s 64 -s 1024 -s 65536 | tee "$out/pl2tp"
"$H" exec 1 "$PL_BIN/paceline-cpgbench" -t "$SECS" -s 64 -w 1 | tee "$out/pl2lat"
"$H" down
"$H" up 3 > /dev/null || exit 1
for i in 1 2 3; do "$H" wait_ring "$i" "1 2 3" 30 || exit 1; done
for i in 1 2 3; do
	"$H" exec "$i" "$STREAM" bench "$out/pl1s$i" "$INTERVAL" &
done
sleep 2
echo "paceline throughput, 1 link:"
"$H" exec 1 "$PL_BIN/paceline-cpgbench" -t "$SECS" -s 64 -s 1024 -s 65536 | tee "$out/pl1tp"
"$H" exec 1 "$PL_BIN/paceline-cpgbench" -t "$SECS" -s 64 -w 1 | tee "$out/pl1lat"
"$H" down

cscpg=
if have_corosync && pkg-config --exists libcpg; then
	cc -O2 -o "$out/cscpg" "$(dirname "$0")/corosync_cpgbench.c" $(pkg-config --cflags --libs libcpg) &&
		cscpg="$out/cscpg"
fi
cs_bench() { # cs_bench NAME: throughput and latency of corosync on node 1
	[ -n "$cscpg" ] || return 0
	echo "corosync throughput, $1:"
	ip netns exec "$("$H" ns 1)" "$cscpg" "$SECS" 64 1024 65536 | tee "$out/cs$2tp"
	ip netns exec "$("$H" ns 1)" "$cscpg" -1 "$SECS" 64 | tee "$out/cs$2lat"
}

# ---- corosync 3.1.7, knet, two links ----
if have_corosync; then
	LINKS=2 "$H" net 3 > /dev/null || exit 1
	for i in 1 2 3; do CS_LINKS=2 cs_start "$i" 3 "$TOKEN"; done
	cs_wait_ring 1 "1 2 3" 60 || { echo "corosync did not form a ring" >&2; exit 1; }
	sleep 3
	for i in 1 2 3; do
		ip netns exec "$("$H" ns "$i")" python3 "$(dirname "$0")/corosync_cpgstream.py" bench "$out/cs$i" "$INTERVAL" &
	done
	sleep 2
	measure corosync "$out/cs1" cs_ringid
	cs_bench "2 links (knet, passive)" 2
	"$H" down
	if [ -n "$cscpg" ]; then
		"$H" net 3 > /dev/null || exit 1
		for i in 1 2 3; do cs_start "$i" 3 "$TOKEN"; done
		cs_wait_ring 1 "1 2 3" 60 || { echo "corosync did not form a ring" >&2; exit 1; }
		sleep 3
		for i in 1 2 3; do
			ip netns exec "$("$H" ns "$i")" python3 "$(dirname "$0")/corosync_cpgstream.py" bench "$out/cs1s$i" "$INTERVAL" &
		done
		sleep 2
		cs_bench "1 link (knet)" 1
		"$H" down
	fi
else
	echo "corosync not installed: no comparison"
fi
[ -n "$cscpg" ] || echo "libcpg-dev not installed: corosync's throughput and latency not measured"

pl=$(median < "$out/paceline.stall")
echo "link 0 cut, longest delivery gap on node 1 (ms, $RUNS runs, token $TOKEN):"
echo "  paceline: $(tr '\n' ' ' < "$out/paceline.stall")-> median $pl"
if [ -f "$out/corosync.stall" ]; then
	cs=$(median < "$out/corosync.stall")
	echo "  corosync: $(tr '\n' ' ' < "$out/corosync.stall")-> median $cs"
	awk -v p="$pl" -v c="$cs" 'BEGIN { if (p > 0) printf "  ratio corosync/paceline %.2f (above 1: Paceline resumes sooner)\n", c / p }'
fi
# the summary: msg/s per size and links, latency; ratios Paceline / corosync (above 1: Paceline
# delivers more, or sooner)
field() { [ -f "$1" ] && awk -v s="$2" -v f="$3" '$4 == s {print $f}' "$1"; }
echo "throughput (msg/s; 64 KiB: MB/s) and latency (64 B, one in flight, mean us):"
for l in 1 2; do
	for sz in 64 1024 65536; do
		f=9; [ "$sz" = 65536 ] && f=11
		p=$(field "$out/pl${l}tp" "$sz" "$f"); c=$(field "$out/cs${l}tp" "$sz" "$f")
		awk -v l="$l" -v sz="$sz" -v p="$p" -v c="$c" 'BEGIN { printf "  %d link(s) %6d B: paceline %10s, corosync %10s%s\n", l, sz, p, (c == "" ? "-" : c), (p > 0 && c > 0 ? sprintf(", ratio %.2f", p / c) : "") }'
	done
	p=$(field "$out/pl${l}lat" 64 9); c=$(field "$out/cs${l}lat" 64 9)
	awk -v l="$l" -v p="$p" -v c="$c" 'BEGIN { pl = p > 0 ? 1e6 / p : 0; cl = c > 0 ? 1e6 / c : 0; printf "  %d link(s) latency: paceline %.0f us, corosync %s%s\n", l, pl, (cl > 0 ? sprintf("%.0f us", cl) : "-"), (pl > 0 && cl > 0 ? sprintf(", ratio %.2f", cl / pl) : "") }'
done
rm -rf "$out"
