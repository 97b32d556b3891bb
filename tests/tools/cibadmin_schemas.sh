#!/bin/sh
# Differential test of cibadmin on CIBs of every schema generation against Pacemaker 2.1.5's
# /usr/sbin/cibadmin (tests/data/cibadmin-schemas/cases: one "CIB<TAB>arguments" per line):
# validation against pacemaker-1.2/1.3/2.10/3.x, --upgrade (the 1.3 ACL syntax, the 2.10
# operation "requires"), the whole-<cib> replace pcs sends with --scope configuration, older
# replacements, a CIB without validate-with, repaired input, unknown schemas, and a crm_diff
# patch applied with --patch. Output, exit status and the resulting file must be the same
# (but for the line ours adds after a schema refusal, naming the element and line).
# Skips (77) without Pacemaker's cibadmin.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_CIBADMIN:-/usr/sbin/cibadmin}
data="$src/tests/data/cibadmin-schemas"
[ -x "$bin/cibadmin" ] || { echo "cibadmin not built"; exit 1; }
if [ ! -x "$ref" ] || ! "$ref" --version 2>/dev/null | grep -q 'Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 cibadmin at $ref: skipped"
	exit 77
fi
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$bin/crm_diff" -o "$data/v3.xml" -n "$data/v3-new.xml" > "$dir/v3.patch"
[ $? -eq 1 ] || { echo "crm_diff found no difference"; exit 1; }
run() { # PROGRAM TAG
	n=0
	while IFS='	' read -r cib args; do
		n=$((n + 1))
		cp "$data/$cib" "$dir/$2.xml"
		args=$(printf '%s' "$args" | sed -e "s|DATA|$data|g" -e "s|DIR|$dir|g")
		echo "### $n: $cib: cibadmin $args"
		eval "CIB_file=$dir/$2.xml $1 $args" > "$dir/out" 2>&1
		echo "rc=$?"
		# libxml2 names no line for a document in memory: compare the messages alone
		# (ours adds one line after a schema refusal saying what and where: not compared)
		sed -e "s|$dir|DIR|g" -e 's/^Entity: line [0-9]*: //' -e '/^cibadmin: Update does not conform/d' "$dir/out"
		sed -e 's/ cib-last-written="[^"]*"//' "$dir/$2.xml"
	done < "$data/cases"
}
run "$ref" ref > "$dir/ref.out"
[ -n "${PL_KEEP:-}" ] && cp "$dir/ref.out" "$PL_KEEP"
run "$bin/cibadmin" our > "$dir/our.out"
if ! diff -u "$dir/ref.out" "$dir/our.out"; then
	echo "cibadmin: differs from Pacemaker's (see above)"
	exit 1
fi
echo "cibadmin: $(grep -c . "$data/cases") cases on old and new schemas as Pacemaker's"
