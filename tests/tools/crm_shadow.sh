#!/bin/sh
# Differential test: the steps of tests/data/crm_shadow/steps (create, create empty, reset,
# switch, which, file, display, diff before and after a change, delete, commit and their
# refusals and errors) run in order, once with Pacemaker 2.1.5's crm_shadow and cibadmin and
# once with ours, each in its own directory with CIB_file as the active CIB; each step must
# print the same and exit the same. Then ours alone: a commit writes the shadow's
# configuration into the active CIB. Skips (77) without Pacemaker's crm_shadow.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
refdir=${PL_REF_SBIN:-/usr/sbin}
[ -x "$bin/crm_shadow" ] || { echo "crm_shadow not built"; exit 1; }
if [ ! -x "$refdir/crm_shadow" ] || ! "$refdir/crm_shadow" --version 2>/dev/null | grep -q '^Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 crm_shadow in $refdir: skipped"
	exit 77
fi
top=$(mktemp -d); trap 'rm -rf "$top"' EXIT
run() { # BINDIR WORKDIR
	mkdir -p "$2/shadow"
	cat > "$2/live.xml" <<'XML'
<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="3" num_updates="1" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
XML
	while IFS= read -r step; do
		echo "### $step"
		(cd "$2" && env -u SHELL -u EDITOR -u CIB_shadow PATH="$1:$PATH" \
			CIB_file="$2/live.xml" CIB_shadow_dir="$2/shadow" sh -c "$step" 2>&1 </dev/null)
		echo "rc=$?"
	done < "$src/tests/data/crm_shadow/steps" | sed "s|$2|DIR|g"
}
run "$refdir" "$top/ref" > "$top/ref.out"
run "$bin" "$top/our" > "$top/our.out"
if ! diff -u "$top/ref.out" "$top/our.out"; then
	echo "crm_shadow: differs from Pacemaker's (see above)"
	exit 1
fi
# No command: usage, exit 64 (our help text is GLib's, not Pacemaker's older layout).
"$bin/crm_shadow" >/dev/null 2>&1; [ $? -eq 64 ] || { echo "no command: not 64"; exit 1; }
# A commit puts the shadow's configuration into the active CIB.
w=$top/commit; mkdir -p "$w/shadow"; cp "$top/our/live.xml" "$w/live.xml"
export CIB_file="$w/live.xml" CIB_shadow_dir="$w/shadow"
"$bin/crm_shadow" -b -c c1 >/dev/null || exit 1
CIB_shadow=c1 "$bin/cibadmin" -C -o resources -X '<primitive id="y" class="ocf" provider="heartbeat" type="Dummy"/>' || exit 1
grep -q 'primitive id="y"' "$w/live.xml" && { echo "the change leaked into the active CIB"; exit 1; }
"$bin/crm_shadow" -C c1 --force >/dev/null || exit 1
grep -q 'primitive id="y"' "$w/live.xml" || { echo "commit did not reach the active CIB"; exit 1; }
echo "crm_shadow: $(grep -c . "$src/tests/data/crm_shadow/steps") steps as Pacemaker's; commit works"
