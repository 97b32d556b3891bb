#!/bin/sh
# Differential test: three variants of every scheduler-corpus CIB (quorum flipped, fencing
# flipped, a node state removed; tests/integration/cib/mutate_corpus.py) must get the verdict
# Pacemaker 2.1.5's crm_verify gave (tests/data/crm_verify-mutations.tsv). This keeps the
# checks honest beyond the cases they were written against. Known differences (need the
# scheduler) are listed in tests/data/crm_verify-mutations-known-differences.txt.
set -eu
src=${PL_TEST_SRCDIR:?}
bin=${PL_BIN:?}
corpus=$src/../shared/conformance/scheduler/xml
[ -d "$corpus" ] || corpus=$src/../../shared/conformance/scheduler/xml
[ -d "$corpus" ] || { echo "no corpus at ../shared/conformance/scheduler/xml: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
export PACELINE_SCHEMA_DIR=$src/schemas
dir=$(mktemp -d /tmp/pl-cib-mutations.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 "$src/tests/integration/cib/mutate_corpus.py" "$corpus" "$dir"
known=$src/tests/data/crm_verify-mutations-known-differences.txt

total=0 same=0 unexpected=0
while IFS="$(printf '\t')" read -r name want; do
	case $name in '#'*|'') continue ;; esac
	total=$((total + 1))
	set +e
	"$bin/crm_verify" -x "$dir/$name.xml" >/dev/null 2>&1
	got=$?
	set -e
	if [ "$got" = "$want" ]; then
		same=$((same + 1))
	elif ! grep -qx "$name" "$known"; then
		echo "DIFFERENT: $name (Pacemaker $want, ours $got)"
		unexpected=$((unexpected + 1))
	fi
done < "$src/tests/data/crm_verify-mutations.tsv"
echo "crm_verify verdicts on mutated corpus CIBs agree with Pacemaker 2.1.5: $same/$total"
[ "$total" -gt 0 ] && [ "$unexpected" -eq 0 ]
