#!/bin/sh
# Paceline's OCF agents through Debian's ocf-tester (resource-agents); skipped without it.
# ocf-tester's meta-data check validates against the OCF 1.0 DTD, which rejects OCF 1.1
# meta-data (unique-group, reloadable, reload-agent: Pacemaker's own agents fail it the same
# way); agents.sh validates the meta-data against our OCF 1.1 schema, so that one check is
# tolerated here and every other one must pass.
set -u
src=${PL_TEST_SRCDIR:?}
command -v ocf-tester >/dev/null 2>&1 || { echo "ocf-tester not installed"; exit 77; }
tmp=$(mktemp -d /tmp/pl-lrmd-ocft.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export OCF_ROOT=${OCF_ROOT:-/usr/lib/ocf} HA_RSCTMP=$tmp
fails=0
for a in Dummy Stateful; do
	ocf-tester -n "t-$a" -o state="$tmp/ot-$a.state" -o set_promotion=false \
		"$src/agents/$a" >"$tmp/ot.out" 2>&1
	grep '^\* rc=' "$tmp/ot.out" | grep -v 'does not conform to ra-api-1.dtd' >"$tmp/ot.err"
	if [ -s "$tmp/ot.err" ] || grep -q 'failed [2-9]' "$tmp/ot.out" ||
	    ! grep -q "^Beginning tests for" "$tmp/ot.out"; then
		echo "FAIL: ocf-tester $a:"; cat "$tmp/ot.out"; fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ] || exit 1
echo "ocf-tester: Dummy and Stateful pass"
