#!/bin/sh
# Golden test of Pacemaker's v1 patch format in crm_diff (an original whose crm_feature_set is
# missing or not above 3.0.8): the patch plain, -u and -c, and applying Pacemaker's v1 patches,
# on the cases of tests/data/crm_diff/v1 (attribute changes and removals, elements added and
# removed, a move, comments, status-only changes, attribute order, the filtered attributes,
# feature sets 3.0.7, 3.0.8, 3.0.9 and none). The expected outputs (stdout, stderr, exit code)
# were recorded from Debian's Pacemaker 2.1.5 crm_diff: PL_RECORD=/usr/sbin/crm_diff records
# them again (the patches applied are made by that program first).
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
data=$src/tests/data/crm_diff/v1
record=${PL_RECORD:-}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cp "$data"/*.xml "$work"/
# the patches applied: Pacemaker's own, kept as data
for p in "$data"/patch-*.xml; do [ -f "$p" ] && cp "$p" "$work"/; done
if [ -n "$record" ]; then
	(cd "$work" && for spec in "old new" "old status" "old attr-removed" "old rsc-removed" \
		"filtered-old filtered-new"; do
		set -- $spec
		"$record" -o "$1.xml" -n "$2.xml" >"$data/patch-$2.xml"
		"$record" -c -o "$1.xml" -n "$2.xml" >"$data/patch-c-$2.xml"
	done)
	cp "$data"/patch-*.xml "$work"/
fi
total=0 bad=0
# name, then crm_diff's arguments
check() {
	name=$1; shift
	total=$((total + 1))
	got=$(cd "$work" && if [ -n "$record" ]; then "$record" "$@"; else "$bin/crm_diff" "$@"; fi \
		2>"$work/err"; echo "rc=$?")
	got=$(printf '%s\n' "$got"; sed 's/^/stderr: /' "$work/err")
	if [ -n "$record" ]; then
		printf '%s\n' "$got" >"$data/$name.out"
		return
	fi
	if [ "$got" != "$(cat "$data/$name.out")" ]; then
		bad=$((bad + 1))
		echo "### $name: crm_diff $*"
		printf '%s\n' "$got" | diff -u "$data/$name.out" - | head -30
	fi
}
for o in plain -u -c; do
	a=; [ $o = plain ] || a=$o
	check "diff$a" $a -o old.xml -n new.xml
	check "nofs$a" $a -o old-nofs.xml -n new-nofs.xml
	check "fs308$a" $a -o old-308.xml -n new.xml
	check "fs309$a" $a -o old-309.xml -n new.xml
	check "status$a" $a -o old.xml -n status.xml
	check "reordered$a" $a -o old.xml -n reordered.xml
	check "moved$a" $a -o old.xml -n moved.xml
	check "attr-removed$a" $a -o old.xml -n attr-removed.xml
	check "filtered$a" $a -o filtered-old.xml -n filtered-new.xml
	check "filtered-only$a" $a -o filtered-new.xml -n filtered-new2.xml
done
for p in new status attr-removed rsc-removed; do
	check "apply-$p" -o old.xml -p "patch-$p.xml"
	check "apply-c-$p" -c -o old.xml -p "patch-c-$p.xml"
done
check apply-filtered -o filtered-old.xml -p patch-filtered-new.xml
check apply-c-newer -c -o new.xml -p patch-c-new.xml
check apply-c-older -c -o status.xml -p patch-c-attr-removed.xml
[ -n "$record" ] && { echo "recorded $total outputs"; exit 0; }
echo "$((total - bad))/$total v1 crm_diff runs as Pacemaker's"
[ "$bad" -eq 0 ]
