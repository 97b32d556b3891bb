#!/bin/sh
# Differential test: three variants of every scheduler-corpus CIB (quorum flipped, fencing
# flipped, a node state removed; tests/integration/cib/mutate_corpus.py) must get the verdict
# Pacemaker 2.1.5's crm_verify gave (tests/data/crm_verify-mutations.tsv). This keeps the
# checks honest beyond the cases they were written against. Known differences (need the
# scheduler) are listed in tests/data/crm_verify-mutations-known-differences.txt.
set -eu
. "${PL_TEST_SRCDIR:?}/tests/integration/cib/verdicts.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
dir=$(mktemp -d /tmp/pl-cib-mutations.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 "$src/tests/integration/cib/mutate_corpus.py" "$corpus" "$dir"
compare_verdicts "$dir" "$src/tests/data/crm_verify-mutations.tsv" \
	"$src/tests/data/crm_verify-mutations-known-differences.txt" \
	"crm_verify verdicts on mutated corpus CIBs agree with Pacemaker 2.1.5"
