#!/bin/sh
# crm_simulate's options against Pacemaker 2.1.5's output recorded under
# tests/data/crm_simulate (each case: its command line, stdout and exit code, and the CIB it
# wrote for -O / -X). Compared as the CLI conformance scorer compares: whitespace within a
# line ignored, result times (last-rc-change, last-failure) masked.
# Record again with Debian's tools: RECORD=1 PL_BIN=/usr/sbin sh crm_simulate_opts.sh
set -u
sim=${PL_BIN:?}/crm_simulate
data=${PL_TEST_SRCDIR:?}/tests/data/crm_simulate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
mask() {
	sed -e 's/last-rc-change="[0-9]*"/last-rc-change=""/g' \
	    -e 's/last-failure-\([^"]*\)" value="[0-9]*"/last-failure-\1" value=""/g' \
	    -e 's/last-failure-\([^=]*\)=[0-9]*/last-failure-\1=/g' \
	    -e 's/ crm_feature_set="[^"]*"//g' -e 's/[[:space:]]//g' "$1"
}

# name | arguments (FILE is a fresh copy of the case's input in the work directory)
cases='status|-x FILE
run|-x FILE -R
simulate|-x FILE -S
opfail|-x FILE -S -F d1_start_0@n1=1
opfail_out|-x FILE -S -F d1_start_0@n1=1 -O OUT
inject_out|-x FILE -i d1_monitor_10000@n1=7 -i d2_start_0@n2=1 -O OUT
simulate_out|-x FILE -S -O OUT
failcounts|-x failed.xml -c -A
failcounts_run|-x failed.xml -c -R
scores|-x FILE -s -S
scores_quiet|-x FILE -s -R -Q
nodes|-x FILE -u n3 -d n2 -S
inplace|-x FILE -X -u n3
utilization|-x util.xml -U -R
utilization_quiet|-x util.xml -U -S -Q'

echo "$cases" | while IFS='|' read -r name args; do
	cp "$data/two-nodes.xml" "$work/FILE"
	cp "$data/failed.xml" "$data/util.xml" "$work/"
	rm -f "$work/OUT"
	(cd "$work" && "$sim" $args <"$work/FILE" >"$work/$name.out" 2>"$work/$name.err"
	 echo $? >"$work/$name.rc")
	[ -f "$work/OUT" ] && cp "$work/OUT" "$work/$name.cib"
	case $args in *-X*) cp "$work/FILE" "$work/$name.cib" ;; esac
	if [ "${RECORD:-}" = 1 ]; then
		cp "$work/$name.out" "$work/$name.rc" "$data/"
		[ -f "$work/$name.cib" ] && cp "$work/$name.cib" "$data/"
		continue
	fi
	[ "$(cat "$work/$name.rc")" = "$(cat "$data/$name.rc")" ] ||
		fail "$name: exit code $(cat "$work/$name.rc"), expected $(cat "$data/$name.rc")"
	[ "$(mask "$work/$name.out")" = "$(mask "$data/$name.out")" ] ||
		{ fail "$name: output differs"; diff "$data/$name.out" "$work/$name.out" | head -20; }
	if [ -f "$data/$name.cib" ]; then
		[ "$(mask "$work/$name.cib")" = "$(mask "$data/$name.cib")" ] ||
			{ fail "$name: written CIB differs"; diff "$data/$name.cib" "$work/$name.cib" | head -20; }
	fi
	echo "$fails" >"$work/fails"
done
[ "${RECORD:-}" = 1 ] && exit 0
fails=$(cat "$work/fails" 2>/dev/null || echo 1)

# -P: a line per file, its time
mkdir "$work/prof"
cp "$data/two-nodes.xml" "$data/failed.xml" "$work/prof/"
out=$("$sim" -P "$work/prof" -N 2)
echo "$out" | head -1 | grep -qx 'Timings:' || { echo "FAIL: -P has no Timings: line"; fails=$((fails + 1)); }
[ "$(echo "$out" | grep -cE '^  \* Testing .*/(two-nodes|failed)\.xml \.\.\. [0-9]+\.[0-9]{2} secs$')" = 2 ] ||
	{ echo "FAIL: -P lines: $out"; fails=$((fails + 1)); }
# -p reads the same CIB from stdin (Pacemaker 2.1.5's -p loses the resources: not recorded)
a=$("$sim" -x "$data/two-nodes.xml" -S); b=$("$sim" -p -S <"$data/two-nodes.xml")
[ "$a" = "$b" ] || { echo "FAIL: -p differs from -x"; fails=$((fails + 1)); }
# a bad input: a clear error and an exit code, nothing on stdout
out=$("$sim" -x "$work/missing.xml" -S 2>"$work/err"); rc=$?
[ $rc -ne 0 ] && [ -z "$out" ] && grep -q missing.xml "$work/err" ||
	{ echo "FAIL: missing input: rc $rc"; fails=$((fails + 1)); }
[ "$fails" = 0 ] && echo "ok: crm_simulate options"
exit "$fails"
