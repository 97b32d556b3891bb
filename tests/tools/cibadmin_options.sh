#!/bin/sh
# Differential test of cibadmin's query-side options (--empty with a schema, -l, unknown
# scopes, -n, --xpath with -e, --md5-sum and --md5-sum-versioned, -B) against Pacemaker
# 2.1.5's /usr/sbin/cibadmin on tests/data/cibadmin/tickets.xml: same output, same status.
# Skips (77) without Pacemaker's cibadmin.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_CIBADMIN:-/usr/sbin/cibadmin}
data="$src/tests/data/cibadmin"
[ -x "$bin/cibadmin" ] || { echo "cibadmin not built"; exit 1; }
if [ ! -x "$ref" ] || ! "$ref" --version 2>/dev/null | grep -q 'Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 cibadmin at $ref: skipped"
	exit 77
fi
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
run() { # PROGRAM CIB
	cp "$data/tickets.xml" "$2"
	sed "s|DATA|$data|g" "$data/cases.args" | while IFS= read -r args; do
		echo "### cibadmin $args"
		eval "CIB_file=$2 $1 $args" 2>&1
		echo "rc=$?"
	done
}
run "$ref" "$dir/ref.xml" > "$dir/ref.out"
run "$bin/cibadmin" "$dir/our.xml" > "$dir/our.out"
if ! diff -u "$dir/ref.out" "$dir/our.out"; then
	echo "cibadmin: differs from Pacemaker's (see above)"
	exit 1
fi
echo "cibadmin: $(grep -c . "$data/cases.args") cases as Pacemaker's"
