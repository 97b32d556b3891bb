#!/bin/sh
# crm_simulate -Q prints only what Pacemaker 2.1.5's does: nothing for -S -Q, the allocation
# scores alone for -s -Q; warnings go to stderr. Uses a corpus case (skips without ../shared).
set -u
sim=${PL_BIN:?}/crm_simulate
corpus=${PL_CONFORMANCE_DIR:-${PL_TEST_SRCDIR:?}/../shared/conformance}/scheduler
[ -f "$corpus/xml/params-1.xml" ] || { echo "no corpus at $corpus"; exit 77; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

out=$("$sim" -x "$corpus/xml/params-1.xml" -S -Q 2>/dev/null)
[ -z "$out" ] || fail "-S -Q printed: $(echo "$out" | head -2)"
out=$("$sim" -x "$corpus/xml/params-1.xml" -s -S -Q 2>/dev/null)
echo "$out" | grep -q 'allocation score on' || fail "-s -S -Q printed no scores"
echo "$out" | grep -qvE 'allocation score on|^$' && fail "-s -S -Q printed more than scores"
out=$("$sim" -x "$corpus/xml/order-wrong-kind.xml" -S -Q 2>&1 >/dev/null)
echo "$out" | grep -q 'Schema validation of configuration is disabled' ||
	fail "the disabled-validation warning is not on stderr"
out=$("$sim" -x "$corpus/xml/params-1.xml" -S 2>/dev/null)
echo "$out" | grep -q '^Transition Summary:' || fail "-S without -Q has no Transition Summary"
[ $fails = 0 ] && echo "ok: crm_simulate -Q"
exit $fails
