#!/bin/sh
# crm_simulate --output-as=xml against Pacemaker 2.1.5's output recorded under
# tests/data/crm_simulate-xml (each case: its stdout and exit code). Compared line by line
# with whitespace ignored and the request attribute (the command line, which names the
# binary's path) masked; XML attribute order is compared too, as shells parse it in order.
# Record again with Debian's tools: RECORD=1 PL_BIN=/usr/sbin sh crm_simulate_xml.sh
set -u
sim=${PL_BIN:?}/crm_simulate
data=${PL_TEST_SRCDIR:?}/tests/data/crm_simulate-xml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mask() {
	sed -e 's/ request="[^"]*"//' -e 's/[[:space:]]//g' "$1"
}

# name | arguments (run in a copy of the data directory)
cases='status|-x two-nodes.xml
simulate|-x two-nodes.xml -S
scores|-x two-nodes.xml -s -S
quiet|-x two-nodes.xml -S -Q
failed_run|-x failed.xml -R
failed_status|-x failed.xml
utilization|-x util.xml -U -R
nodes|-x two-nodes.xml -u n3 -d n2 -S
node_fail|-x two-nodes.xml -f n1 -S
tickets|-x two-nodes.xml --ticket-grant t1 --ticket-standby t2 -R
quorum|-x two-nodes.xml --quorum true --watchdog true -S
promotable|-x promotable.xml -S
promotable_run|-x promotable.xml -R'

cp "$data"/*.xml "$work/"
echo "$cases" | {
	fails=0
	while IFS='|' read -r name args; do
		(cd "$work" && "$sim" $args --output-as=xml >"$work/$name.out" 2>"$work/$name.err"
		 echo $? >"$work/$name.rc")
		if [ "${RECORD:-}" = 1 ]; then
			mkdir -p "$data/expected"
			cp "$work/$name.out" "$data/expected/$name.out"
			cp "$work/$name.rc" "$data/expected/$name.rc"
			continue
		fi
		if [ "$(cat "$work/$name.rc")" != "$(cat "$data/expected/$name.rc")" ]; then
			echo "FAIL: $name: exit code $(cat "$work/$name.rc"), expected $(cat "$data/expected/$name.rc")"
			fails=$((fails + 1))
		fi
		if [ "$(mask "$work/$name.out")" != "$(mask "$data/expected/$name.out")" ]; then
			echo "FAIL: $name: output differs"
			diff "$data/expected/$name.out" "$work/$name.out" | head -20
			fails=$((fails + 1))
		fi
	done
	[ "${RECORD:-}" = 1 ] && { echo "recorded in $data/expected"; exit 0; }
	echo "$fails failure(s)"
	[ "$fails" -eq 0 ]
}
