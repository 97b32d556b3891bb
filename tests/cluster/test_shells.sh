#!/usr/bin/env bash
# test_shells.sh - Debian's pcs and crmsh, unmodified, drive a live 3-node Paceline cluster
# (scripts/demo up: the whole stack under paceline-launcher; the shells see Paceline's drop-in
# install at Pacemaker's and Corosync's paths). Each step checks the effect with Paceline's
# own tools (crm_resource --locate, cibadmin -Q), not only the shell's exit status.
# Skips (77) without root, without paceline-crmd, or when neither shell is installed.
set -u
src=${PL_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export PL_HARNESS_NAME=plshells PL_HARNESS_NET=${PL_HARNESS_NET:-10.203.0} PL_DEMO_SKIP_BUILD=1
export PL_BIN=${PL_BIN:-${PL_TEST_BINDIR:-$src/build}/bin}
demo=$src/scripts/demo
[ "$(id -u)" = 0 ] || { echo "needs root: skipped"; exit 77; }
[ -x "$PL_BIN/paceline-crmd" ] || { echo "no paceline-crmd: skipped"; exit 77; }
command -v pcs >/dev/null || command -v crm >/dev/null || { echo "neither pcs nor crmsh: skipped"; exit 77; }
# shellcheck source=harness.sh
. "$src/tests/cluster/harness.sh"
harness_lock 600 || exit 1
"$demo" down >/dev/null 2>&1
trap '"$demo" down >/dev/null 2>&1' EXIT

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
x() { "$demo" exec 1 "$@"; }	# a command inside node 1
# until CMD's output matches the extended regex, at most S seconds (polling, no fixed sleeps)
eventually() {
	local s=$1 re=$2 out
	shift 2
	local end=$((SECONDS + s))
	while :; do
		out=$(x "$@" 2>&1)
		grep -Eq -- "$re" <<<"$out" && return 0
		[ $SECONDS -ge $end ] && { echo "$out" | tail -5; return 1; }
		sleep 0.5
	done
}
step() {  # step NAME CMD... : the shell command must succeed
	local name=$1 out
	shift
	if out=$(x "$@" 2>&1); then return 0; fi
	fail "$name: $* exited $?"
	echo "$out" | tail -5
	return 1
}

"$demo" up 3 >/dev/null || { echo "FAIL: scripts/demo up 3"; exit 1; }

if command -v pcs >/dev/null; then
	eventually 30 'Online: \[ n1 n2 n3 \]' pcs status && ok "pcs status shows the 3 nodes" ||
		fail "pcs status"
	step "pcs property" pcs property set stonith-enabled=false &&
		eventually 10 'name="stonith-enabled" value="false"' cibadmin -Q --scope crm_config &&
		ok "pcs property set stonith-enabled=false" ||
		fail "pcs property set stonith-enabled=false"
	step "pcs resource create" pcs resource create d1 ocf:paceline:Dummy op monitor interval=10s &&
		eventually 60 'resource d1 is running on: n[123]' crm_resource --locate -r d1 &&
		ok "pcs resource create: d1 runs" ||
		fail "pcs resource create: d1 runs"
	step "pcs group" pcs resource create d2 ocf:paceline:Dummy --group g1 &&
		eventually 60 'resource g1 is running on: n[123]' crm_resource --locate -r g1 &&
		ok "pcs resource create --group: g1 runs" ||
		fail "pcs resource create --group: g1 runs"
	step "pcs disable" pcs resource disable d2 &&
		eventually 60 'NOT running' crm_resource --locate -r d2 && ok "pcs resource disable stops d2" ||
		fail "pcs resource disable stops d2"
	step "pcs enable" pcs resource enable d2 &&
		eventually 60 'resource d2 is running on' crm_resource --locate -r d2 &&
		ok "pcs resource enable starts d2" ||
		fail "pcs resource enable starts d2"
	step "pcs order" pcs constraint order start d1 then start g1 &&
		eventually 10 'rsc_order' cibadmin -Q --scope constraints && ok "pcs constraint order" ||
		fail "pcs constraint order"
	# pcs edits a copy of the CIB and pushes it whole: cibadmin --replace --scope configuration
	step "pcs location" pcs constraint location d1 prefers n2 &&
		eventually 10 'rsc_location.*rsc="d1"' cibadmin -Q --scope constraints &&
		eventually 60 'resource d1 is running on: n2' crm_resource --locate -r d1 &&
		ok "pcs constraint location d1 prefers n2: d1 on n2" ||
		fail "pcs constraint location d1 prefers n2"
	step "pcs colocation" pcs constraint colocation add g1 with d1 &&
		eventually 10 'rsc_colocation' cibadmin -Q --scope constraints &&
		eventually 60 'resource g1 is running on: n2' crm_resource --locate -r g1 &&
		ok "pcs constraint colocation add g1 with d1: g1 on n2" ||
		fail "pcs constraint colocation add g1 with d1"
	step "pcs cleanup" pcs resource cleanup d1 && ok "pcs resource cleanup" ||
		fail "pcs resource cleanup"
	eventually 10 'd1.*Started' pcs status resources && ok "pcs status resources" ||
		fail "pcs status resources"
fi

if command -v crm >/dev/null; then
	eventually 30 'Current DC: n[123]' crm status && ok "crm status" || fail "crm status"
	step "crm primitive" crm configure primitive d3 ocf:paceline:Dummy op monitor interval=10s &&
		eventually 60 'resource d3 is running on: n[123]' crm_resource --locate -r d3 &&
		ok "crm configure primitive: d3 runs" ||
		fail "crm configure primitive: d3 runs"
	to=n3
	x crm_resource --locate -r d3 2>&1 | grep -q 'on: n3' && to=n2
	step "crm move" crm resource move d3 $to &&
		eventually 60 "resource d3 is running on: $to" crm_resource --locate -r d3 &&
		ok "crm resource move d3 $to" ||
		fail "crm resource move d3 $to"
	step "crm clear" crm resource clear d3 &&
		! x cibadmin -Q --scope constraints | grep -q cli-prefer-d3 && ok "crm resource clear" ||
		fail "crm resource clear"
	step "crm stop" crm resource stop d3 &&
		eventually 60 'NOT running' crm_resource --locate -r d3 && ok "crm resource stop" ||
		fail "crm resource stop"
	step "crm start" crm resource start d3 &&
		eventually 60 'resource d3 is running on' crm_resource --locate -r d3 && ok "crm resource start" ||
		fail "crm resource start"
	step "crm param" crm resource param d3 set fake 3 &&
		[ "$(x crm_resource -r d3 -g fake 2>/dev/null)" = 3 ] && ok "crm resource param set" ||
		fail "crm resource param set"
	eventually 10 'primitive d3 ocf:paceline:Dummy' crm configure show && ok "crm configure show" ||
		fail "crm configure show"
fi
[ "$fails" -eq 0 ] && echo "ok: the shells drive Paceline" || echo "$fails step(s) failed"
exit $((fails > 0))
