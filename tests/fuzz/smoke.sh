#!/bin/sh
# The fuzz smoke run of ctest (label fuzz): every harness replays its seeds and the crashes
# ever found (tests/fuzz/crashes/SURFACE, regression inputs), then runs a fixed number of
# mutated inputs (about 1-3 s each in the normal build; PL_FUZZ_SCALE multiplies them) from a
# fixed seed (PL_FUZZ_SEED, default 1): the same inputs on every run and machine, so a pass
# or a failure reproduces. PL_FUZZ_SECONDS (default 60) only caps a very slow machine.
# Long runs by hand: scripts/fuzz (libFuzzer) or build/fuzz/fuzz_X -t 600 -s SEED DIRS.
# A crash leaves its input in $PL_TEST_BINDIR/fuzz/crashes (keep it under tests/fuzz/crashes).
set -u
src=${PL_TEST_SRCDIR:?}/tests/fuzz
bin=${PL_TEST_BINDIR:?}/fuzz
secs=${PL_FUZZ_SECONDS:-60}
scale=${PL_FUZZ_SCALE:-1}
seed=${PL_FUZZ_SEED:-1}
shared=${PL_TEST_SRCDIR}/../shared/conformance
out=$bin/crashes
mkdir -p "$out"
fails=0

# up to N files of a directory, evenly spread, in name order (a fixed sample)
sample() {
	[ -d "$1" ] || return 0
	ls "$1" | awk -v n="$2" -v dir="$1" '{ f[NR] = $0 } END {
		step = NR > n ? NR / n : 1; for (i = 1; i <= NR && c < n; i += step) { print dir "/" f[int(i)]; c++ } }'
}

tmpseeds=$(mktemp -d /tmp/pl-fuzz-seeds.XXXXXX)
trap 'rm -rf "$tmpseeds"' EXIT
# conformance CIBs seed the XML surfaces (skipped quietly when ../shared is absent)
for f in $(sample "$shared/scheduler/xml" 24); do cp "$f" "$tmpseeds/"; done

# each harness and its count of mutated inputs
while read -r h runs; do
	[ -x "$bin/fuzz_$h" ] || { echo "fuzz_$h not built"; fails=$((fails + 1)); continue; }
	extra=""
	case $h in pengine|verify|crmmon) extra=$tmpseeds ;; esac
	"$bin/fuzz_$h" -t "$secs" -n $((runs * scale)) -s "$seed" -c "$out" "$src/seeds/$h" "$src/crashes/$h" $extra \
		>"$out/$h.log" 2>&1
	rc=$?
	cat "$out/$h.log" | tail -3
	[ "$rc" = 0 ] && continue
	known=$(awk -v h="$h" -F '\t' '$1 == h { print $2 }' "$src/known-open.txt")
	if [ -n "$known" ]; then
		echo "KNOWN OPEN: fuzz_$h exited $rc: $known (input in $out)"
	else
		echo "FAIL: fuzz_$h exited $rc (seed $seed; input in $out)"
		fails=$((fails + 1))
	fi
done <<EOF
pengine 10000
verify 10000
cibops 90000
conf 270000
totem 3800000
cibwire 300000
crmdpeer 60000
attrdpeer 50000
fencepeer 160000
crmmon 10000
ipc 1500000
agent 80000
import 6000
EOF
exit "$fails"
