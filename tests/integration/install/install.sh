#!/bin/sh
# install.sh - `cmake --install --prefix P` puts daemons in P/libexec/paceline, tools in P/sbin
# and OCF agents in P/lib/ocf/resource.d/paceline, whatever prefix the build was configured with.
set -u
build=${PL_TEST_BINDIR:?}
prefix=$(mktemp -d /tmp/pl-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
fail=0

cmake --install "$build" --prefix "$prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
want() {	# want KIND PATH: PATH must exist below the prefix and be executable
	if [ -x "$prefix/$2" ]; then :; else echo "FAIL: $1 missing: $prefix/$2"; fail=1; fi
}
for d in "$build"/bin/paceline-*; do
	n=$(basename "$d")
	case $n in
	paceline-membership|paceline-cib|paceline-pengine|paceline-lrmd|paceline-crmd|\
	paceline-stonithd|paceline-attrd|paceline-launcher|paceline-qnetd) want daemon "libexec/paceline/$n" ;;
	*) want tool "sbin/$n" ;;
	esac
done
for t in crm_error crm_simulate cibadmin crm_verify crm_diff; do want tool "sbin/$t"; done
for a in Dummy Stateful; do want agent "lib/ocf/resource.d/paceline/$a"; done
# Nothing lands outside the prefix's standard directories.
extra=$(cd "$prefix" && find . -mindepth 1 -maxdepth 1 | grep -vE '^\./(libexec|sbin|lib|share)$')
[ -z "$extra" ] || { echo "FAIL: unexpected top-level entries: $extra"; fail=1; }
# The agent answers meta-data from its installed place.
OCF_ROOT="$prefix/lib/ocf" "$prefix/lib/ocf/resource.d/paceline/Dummy" meta-data | grep -q '<resource-agent' ||
	{ echo "FAIL: installed Dummy gives no meta-data"; fail=1; }
[ $fail = 0 ] && echo "ok: install layout under $prefix"
exit $fail
