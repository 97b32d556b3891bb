#!/bin/sh
# Differential test: crm_diff against Pacemaker 2.1.5's /usr/sbin/crm_diff on seeded random
# CIB pairs (tests/tools/crm_diff_pairs.py: attributes set, removed and reordered, elements
# and comments added, removed, changed and moved, counters changed), and on the pair of
# Pacemaker's own regression test. For each pair: the patch (plain, --no-version, --cib),
# its exit code, and the document each crm_diff makes by applying Pacemaker's patch back
# (plain and --cib) must be the same; then the same pairs again in Pacemaker's v1 format (an
# original with a feature set before 3.0.9 or none). PL_CRM_DIFF_PAIRS=N runs more pairs
# (default 40).
# Skips (77) without Pacemaker's crm_diff.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_CRM_DIFF:-/usr/sbin/crm_diff}
[ -x "$bin/crm_diff" ] || { echo "crm_diff not built"; exit 1; }
if [ ! -x "$ref" ] || ! "$ref" --version 2>/dev/null | grep -q '^Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 crm_diff at $ref: skipped"
	exit 77
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
n=${PL_CRM_DIFF_PAIRS:-40}
python3 "$src/tests/tools/crm_diff_pairs.py" "$work" "$n" 15 || exit 1
cp "$src/tests/data/crm_diff/old.xml" "$work/old.$n.xml"
cp "$src/tests/data/crm_diff/new.xml" "$work/new.$n.xml"
total=0 bad=0
run() { # label, then the command after the program name
	label=$1; shift
	total=$((total + 1))
	a=$(cd "$work" && "$ref" "$@" 2>&1; echo "rc=$?")
	# ours adds what was wrong after Pacemaker's "Could not parse" line: not compared
	out=$(cd "$work" && "$bin/crm_diff" "$@" 2>&1)
	rc=$?
	b=$( [ -n "$out" ] && printf '%s\n' "$out" | grep -v '^crm_diff: '; echo "rc=$rc")
	if [ "$a" != "$b" ]; then
		bad=$((bad + 1))
		echo "### $label: crm_diff $*"
		printf '%s\n' "$a" >"$work/a.out"; printf '%s\n' "$b" >"$work/b.out"
		diff -u "$work/a.out" "$work/b.out" | head -40
	fi
}
# one pair: the patch plain, -u and -c, then Pacemaker's patches applied (label, original,
# new, the patch files' stem; with "newer", the --cib patch applied to the new document too)
pair() {
	label=$1 o=$2 w=$3 p=$4 newer=${5:-}
	run "$label pair $k" -o "$o" -n "$w"
	run "$label pair $k" -u -o "$o" -n "$w"
	run "$label pair $k" -c -o "$o" -n "$w"
	(cd "$work" && "$ref" -o "$o" -n "$w" >"$p.$k.xml"; "$ref" -c -o "$o" -n "$w" >"c$p.$k.xml")
	if [ -s "$work/$p.$k.xml" ]; then
		run "$label apply $k" -o "$o" -p "$p.$k.xml"
		run "$label apply $k" -c -o "$o" -p "c$p.$k.xml"
		[ -z "$newer" ] || run "$label apply $k" -c -o "$w" -p "c$p.$k.xml"
	fi
}
k=0
while [ "$k" -le "$n" ]; do
	pair v2 "old.$k.xml" "new.$k.xml" p
	k=$((k + 1))
done
# Pacemaker's v1 format: the same pairs with an original whose feature set is older than
# 3.0.9 (3.0.7, 3.0.8, none: the v1 digest too)
k=0
while [ "$k" -le "$n" ]; do
	case $((k % 4)) in
	1) fs='s/ crm_feature_set="[^"]*"//' ;;
	3) fs='s/crm_feature_set="[^"]*"/crm_feature_set="3.0.8"/' ;;
	*) fs='s/crm_feature_set="[^"]*"/crm_feature_set="3.0.7"/' ;;
	esac
	sed "$fs" "$work/old.$k.xml" >"$work/old1.$k.xml"
	sed "$fs" "$work/new.$k.xml" >"$work/new1.$k.xml"
	pair v1 "old1.$k.xml" "new1.$k.xml" p1 newer
	k=$((k + 1))
done
echo "$((total - bad))/$total crm_diff runs as Pacemaker's"
[ "$bad" -eq 0 ]
