#!/bin/sh
# Differential test: for every argument list in tests/data/crm_rule/cases.args (in_range with
# end or duration, gt, lt, date_spec ranges and bad values, nested rules, bad dates, several
# rules, XML output, -X input), on tests/data/crm_rule/rules.xml, our crm_rule must print
# what Pacemaker 2.1.5's /usr/sbin/crm_rule prints and exit with the same status.
# Log lines compare as "error: WHY" (the function name differs), the fencing warnings of a
# CIB without fencing devices included (the -X cases).
# Skips (77) without Pacemaker's crm_rule.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_CRM_RULE:-/usr/sbin/crm_rule}
data="$src/tests/data/crm_rule"
[ -x "$bin/crm_rule" ] || { echo "crm_rule not built"; exit 1; }
if [ ! -x "$ref" ] || ! "$ref" --version 2>/dev/null | grep -q '^Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 crm_rule at $ref: skipped"
	exit 77
fi
norm() {
	sed -E 's/^(\([a-z_]+\)|[a-z_]+) *	?error:/error:/; s/ request="[^"]*"//' |
		grep -v '^error: xpath_search'
}
n=0 bad=0
while IFS= read -r args; do
	n=$((n + 1))
	a=$(eval "CIB_file=$data/rules.xml PCMK_stderr=1 $ref $args" 2>&1; echo "rc=$?")
	b=$(eval "CIB_file=$data/rules.xml $bin/crm_rule $args" 2>&1; echo "rc=$?")
	a=$(printf '%s\n' "$a" | norm); b=$(printf '%s\n' "$b" | norm)
	if [ "$a" != "$b" ]; then
		bad=$((bad + 1))
		echo "### crm_rule $args"
		echo "--- Pacemaker:"; printf '%s\n' "$a"
		echo "--- ours:"; printf '%s\n' "$b"
	fi
done < "$data/cases.args"
echo "crm_rule: $n cases, $bad differ from Pacemaker's"
[ "$bad" -eq 0 ]
