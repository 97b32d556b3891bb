#!/bin/sh
# Golden test: our crm_verify gives the same verdict (exit code) as Pacemaker 2.1.5's on every
# CIB of the scheduler corpus (../shared/conformance/scheduler/xml). Pacemaker's verdicts were
# recorded once into tests/data/crm_verify-verdicts.tsv. Cases listed in
# tests/data/crm_verify-known-differences.txt are reported but do not fail the test (they need
# the scheduler, see docs/design/cib.md); any other difference fails it.
set -eu
. "${PL_TEST_SRCDIR:?}/tests/integration/cib/verdicts.sh"
compare_verdicts "$corpus" "$src/tests/data/crm_verify-verdicts.tsv" \
	"$src/tests/data/crm_verify-known-differences.txt" \
	"crm_verify verdicts agree with Pacemaker 2.1.5"
