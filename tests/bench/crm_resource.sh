#!/bin/sh
# crm_resource on a file, Paceline's against Pacemaker's (Debian's, when installed), on the same
# CIB in the same run: the list, a locate, the constraint stack and a parameter set + delete.
# Prints the mean wall time of each and the ratio (Pacemaker / Paceline: above 1 = faster).
# Run by hand: tests/bench/crm_resource.sh [CIB] (default: the CLI corpus' crm_mon.xml).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PL_BIN:-$src/build/bin}
cib=${1:-$src/../shared/conformance/cli/input/crm_mon.xml}
pcmk=/usr/sbin/crm_resource
command -v hyperfine >/dev/null || { echo "needs hyperfine"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# without <tags>: our schema does not have them yet, and updates are validated
sed "/<tags>/,/<\/tags>/d" "$cib" >"$tmp/cib.xml"
rsc=$(grep -o '<primitive [^>]*id="[^"]*"' "$tmp/cib.xml" | head -1 | sed 's/.*id="\([^"]*\)".*/\1/')
printf '%-34s %12s %12s %7s\n' command paceline pacemaker ratio
for args in "-L" "--locate -r $rsc" "-A -r $rsc" "-r $rsc -p bench -v 1" "-r $rsc -d bench"; do
	ours=$(CIB_file=$tmp/cib.xml hyperfine -N -w 3 -r 30 --export-json "$tmp/a.json" \
		"$bin/crm_resource $args" >/dev/null 2>&1; python3 -c "import json;print(json.load(open('$tmp/a.json'))['results'][0]['mean']*1000)")
	theirs=-
	if [ -x "$pcmk" ] && "$pcmk" --version 2>/dev/null | grep -q Pacemaker; then
		theirs=$(CIB_file=$tmp/cib.xml hyperfine -N -i -w 3 -r 30 --export-json "$tmp/b.json" \
			"$pcmk $args" >/dev/null 2>&1; python3 -c "import json;print(json.load(open('$tmp/b.json'))['results'][0]['mean']*1000)")
	fi
	python3 -c "
o=float('$ours'); t='$theirs'
print('%-34s %9.2f ms %9s ms %7s' % ('$args', o, ('%.2f' % float(t)) if t != '-' else '-', ('%.2fx' % (float(t)/o)) if t != '-' else '-'))"
done
