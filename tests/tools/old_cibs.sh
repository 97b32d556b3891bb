#!/bin/sh
# Differential test: crm_resource and crm_mon read a CIB of an older schema (pacemaker-1.x,
# 2.x) as Pacemaker 2.1.5's do, upgraded in memory first (the transformations' messages on
# stderr, the upgraded XML in --query-xml), and print Pacemaker's library errors only when
# PCMK_stderr asks for them; cibadmin --upgrade --force leaves the same file (upgrade-2.10's
# cluster options renamed, moved to rsc_defaults/op_defaults or dropped, node types). Every CIB of tests/data/old-cibs, with and without PCMK_stderr,
# against Debian's /usr/sbin tools. Skips (77) without Pacemaker 2.1.5's crm_resource.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_SBIN:-/usr/sbin}
[ -x "$bin/crm_resource" ] && [ -x "$bin/crm_mon" ] || { echo "tools not built"; exit 1; }
if [ ! -x "$ref/crm_resource" ] || ! "$ref/crm_resource" --version 2>/dev/null | grep -q '^Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 crm_resource in $ref: skipped"
	exit 77
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
norm() {
	sed -E 's/^\(([a-z_]+)\) /\1 /; s/(Last updated|Last change):.*/\1:/;
		s/(last_update|last_change) time="[^"]*"/\1 time=""/;
		s/ request="[^"]*"//; s/^[a-z_]+ +	?(error|warning):/\1:/'
}
total=0 bad=0
for cib in "$src"/tests/data/old-cibs/*.xml; do
	rsc=$(sed -n 's/.*<primitive id="\([^"]*\)".*/\1/p' "$cib" | head -1)
	for env in "" "PCMK_stderr=1"; do
		cmds="crm_resource --list|crm_mon -1"
		[ -z "$env" ] && cmds="$cmds|crm_resource -r $rsc --query-xml|crm_mon -1 -r --output-as=xml"
		IFS='|'; set -- $cmds; unset IFS
		for cmd in "$@"; do
			total=$((total + 1))
			cp "$cib" "$work/a.xml"; cp "$cib" "$work/b.xml"
			a=$(env $env CIB_file="$work/a.xml" "$ref"/$cmd 2>&1; echo "rc=$?")
			b=$(env $env CIB_file="$work/b.xml" "$bin"/$cmd 2>&1; echo "rc=$?")
			a=$(printf '%s\n' "$a" | norm); b=$(printf '%s\n' "$b" | norm)
			if [ "$a" != "$b" ]; then
				bad=$((bad + 1))
				echo "### $(basename "$cib") $env $cmd"
				printf '%s\n' "$a" >"$work/a.out"; printf '%s\n' "$b" >"$work/b.out"
				diff -u "$work/a.out" "$work/b.out" | head -30
			fi
		done
	done
	# the upgrade itself, written back: the same file and messages
	total=$((total + 1))
	cp "$cib" "$work/a.xml"; cp "$cib" "$work/b.xml"
	a=$(CIB_file="$work/a.xml" "$ref"/cibadmin --upgrade --force 2>&1; echo "rc=$?"; cat "$work/a.xml")
	b=$(CIB_file="$work/b.xml" "$bin"/cibadmin --upgrade --force 2>&1; echo "rc=$?"; cat "$work/b.xml")
	if [ "$a" != "$b" ]; then
		bad=$((bad + 1))
		echo "### $(basename "$cib") cibadmin --upgrade --force"
		printf '%s\n' "$a" >"$work/a.out"; printf '%s\n' "$b" >"$work/b.out"
		diff -u "$work/a.out" "$work/b.out" | head -30
	fi
done
echo "$((total - bad))/$total runs as Pacemaker's"
[ "$bad" -eq 0 ]
