#!/bin/sh
# crm_mon's --node / --resource filters, --brief and --show-detail against what Pacemaker
# 2.1.5's crm_mon printed for the same commands on the same CIB (recorded in
# tests/data/crm_mon_filter: cib.xml, one command line a line in `commands`, exp.N the output
# of line N). The clock lines and the DC version are left out on both sides.
set -u
export TZ=UTC # the recorded times were printed in UTC
src=${PL_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${PL_BIN:-$src/build/bin}
data=$src/tests/data/crm_mon_filter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
i=0
while read -r args; do
	i=$((i + 1))
	# shellcheck disable=SC2086 # the recorded line is split into words on purpose
	(cd "$tmp" && ln -sf "$bin/crm_mon" crm_mon && CIB_file="$data/cib.xml" ./crm_mon $args 2>&1) |
		grep -v "Last updated\|Last change\|<last_update\|<last_change" |
		sed 's/(version [^)]*)/(version)/; s/version="[^"]*" name="cluster02"/version="" name="cluster02"/' \
			>"$tmp/out.$i"
	if ! diff -u "$data/exp.$i" "$tmp/out.$i" >"$tmp/diff.$i"; then
		echo "FAIL: crm_mon $args"
		head -20 "$tmp/diff.$i"
		fail=1
	fi
done <"$data/commands"
[ "$i" -gt 0 ] || { echo "FAIL: no commands read"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $i crm_mon command lines print what Pacemaker's printed"
exit $fail
