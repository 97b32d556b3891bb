#!/bin/sh
# crmadmin and crm_node with --output-as=xml: crmadmin's XML equals Pacemaker 2.1.5's
# (golden outputs under tests/data/crmd-tools, recorded from Debian's crmadmin on the CLI
# corpus's node CIB; skips without ../shared), errors go into <status><errors> with
# Pacemaker's exit codes when no controller runs, crm_node's XML has the 2.1.6 elements.
# The live answers (-D, -S, crm_node -l/-p/-q/-n) are checked in cluster.crmd.
set -u
bin=${PL_BIN:?}
data=${PL_TEST_SRCDIR:?}/tests/data/crmd-tools
corpus=${PL_CONFORMANCE_DIR:-$PL_TEST_SRCDIR/../shared/conformance}/cli/input
export PL_IPC_PREFIX="crmdtoolsxml-$$" # no daemon answers under this prefix
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
norm() { sed 's#request="[^ "]*crmadmin#request="crmadmin#; s#request="[^ "]*crm_node#request="crm_node#'; }

# 1. no controller: Pacemaker's document, code 102
out=$("$bin/crmadmin" -D -t 1 --output-as=xml | norm); rc=$?
printf '%s\n' "$out" | diff - "$data/crmadmin-D-disconnected.xml" > /dev/null ||
	fail "crmadmin -D --output-as=xml without a controller: $out"
"$bin/crmadmin" -D -t 1 --output-as=xml > /dev/null; rc=$?
[ "$rc" = 102 ] || fail "crmadmin -D without a controller: exit $rc, not 102"
out=$("$bin/crm_node" -q --output-as=xml); rc=$?
[ "$rc" = 102 ] || fail "crm_node -q without a controller: exit $rc"
printf '%s\n' "$out" | grep -q '<status code="102" message="Not connected">' || fail "crm_node -q XML: $out"
printf '%s\n' "$out" | grep -q '<error>error: Could not connect to controller: Connection refused</error>' ||
	fail "crm_node -q XML error: $out"
out=$("$bin/crm_node" -R n9 --output-as=xml); rc=$?
[ "$rc" = 64 ] && printf '%s\n' "$out" | grep -q 'the --force flag is required' ||
	fail "crm_node -R without --force in XML: exit $rc: $out"
"$bin/crmadmin" -N --output-as=json > /dev/null 2>&1; rc=$?
[ "$rc" = 1 ] || fail "crmadmin --output-as=json: exit $rc, not 1"
out=$("$bin/crmadmin" --output-as=xml); rc=$?
[ "$rc" = 64 ] && printf '%s\n' "$out" | grep -q '<error>error: Must specify a command option</error>' ||
	fail "crmadmin without a command in XML: exit $rc"

# 2. crmadmin -N from a CIB file: byte for byte Pacemaker's
if [ -f "$corpus/crmadmin-cluster-remote-guest-nodes.xml" ]; then
	export CIB_file="$corpus/crmadmin-cluster-remote-guest-nodes.xml"
	for c in "-N:crmadmin-N" "-N cluster,remote:crmadmin-N-cluster-remote" "-N guest -B:crmadmin-N-guest-B"; do
		args=${c%%:*}
		# shellcheck disable=SC2086
		"$bin/crmadmin" $args --output-as=xml | norm | diff - "$data/${c##*:}.xml" > /dev/null ||
			fail "crmadmin $args --output-as=xml differs from Pacemaker's"
	done
	"$bin/crmadmin" -N --output-as=xml --output-to="${TMPDIR:-/tmp}/crmadmin-$$.xml"
	norm < "${TMPDIR:-/tmp}/crmadmin-$$.xml" | sed 's# --output-to=[^"]*##' | diff - "$data/crmadmin-N.xml" > /dev/null || fail "--output-to"
	rm -f "${TMPDIR:-/tmp}/crmadmin-$$.xml"
	unset CIB_file
else
	echo "skipped the CIB file cases: no corpus at $corpus"
fi
[ $fails = 0 ] && echo "ok: crmadmin and crm_node --output-as=xml"
exit $fails
