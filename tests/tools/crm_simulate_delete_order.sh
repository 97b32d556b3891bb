#!/bin/sh
# A resource whose history on a node names another agent has that history deleted there after
# the resource's stop on every node, not only on that node, and before its start: as Pacemaker
# 2.1.5's graph for the same CIB (A moves n1 -> n2; its history on n2 is ocf:heartbeat:Dummy).
# Debian's crm_simulate aborts simulating such a delete, so the graph (-G) is compared.
set -u
sim=${PL_BIN:?}/crm_simulate
data=${PL_TEST_SRCDIR:?}/tests/data/crm_simulate
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

CIB_file= "$sim" -x "$data/agent-changed-move.xml" -G "$tmp/g.xml" >/dev/null 2>&1 ||
	fail "crm_simulate -G failed"
# inputs of the synapse whose action is TASK of A on NODE (the action is its first <rsc_op>)
inputs() {
	awk -v key="operation_key=\"A_$1_0\" on_node=\"$2\"" '
		/<synapse/ { first = ""; ins = ""; inp = 0 }
		/<rsc_op/ && first == "" { first = $0 }
		/<inputs>/ { inp = 1 }
		inp && /<rsc_op/ { ins = ins $0 "\n" }
		/<\/synapse>/ && index(first, key) { printf "%s", ins }' "$tmp/g.xml"
}
inputs delete n2 | grep -q 'operation_key="A_stop_0" on_node="n1"' ||
	fail "the delete on n2 does not wait for A's stop on n1"
inputs start n2 | grep -q 'operation_key="A_delete_0" on_node="n2"' ||
	fail "A's start does not wait for the delete"
[ "$fails" -eq 0 ] || exit 1
echo "ok"
