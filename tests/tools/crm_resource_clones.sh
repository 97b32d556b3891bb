#!/bin/sh
# Golden test: crm_resource --list-raw, --why -r and --list-operations with clone instances
# (anonymous clones of primitives and of groups, promotable clones, a bundle) print what
# Pacemaker 2.1.5's crm_resource prints on the same CIB files (tests/data/crm_resource-clones:
# cases.txt, one "FILE ARGS" per line, and N.out recorded from Debian's crm_resource with
# CIB_file=FILE; PL_RECORD=/usr/sbin/crm_resource records them again).
set -u
data=${PL_TEST_SRCDIR:?}/tests/data/crm_resource-clones
prog=${PL_RECORD:-${PL_BIN:?}/crm_resource}
n=0 bad=0
while read -r f args; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # ARGS are words
	got=$(cd "$data" && TZ=UTC CIB_file=$f "$prog" $args 2>&1; echo "rc=$?")
	if [ -n "${PL_RECORD:-}" ]; then
		printf '%s\n' "$got" >"$data/$n.out"
	elif [ "$got" != "$(cat "$data/$n.out")" ]; then
		bad=$((bad + 1))
		echo "### crm_resource $args on $f"
		printf '%s\n' "$got" | diff -u "$data/$n.out" - | head -20
	fi
done <"$data/cases.txt"
echo "$((n - bad))/$n crm_resource runs as Pacemaker's"
[ "$bad" -eq 0 ]
