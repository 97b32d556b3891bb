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
show() { echo "  \$ $*"; x "$@" 2>&1 | sed 's/^/  | /'; }	# what the user sees
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
	# (both removed after: pcs resource move below wants d1 to stay where it moves it)
	step "pcs location" pcs constraint location d1 prefers n2=100 &&
		eventually 10 'rsc_location.*rsc="d1"' cibadmin -Q --scope constraints &&
		eventually 60 'resource d1 is running on: n2' crm_resource --locate -r d1 &&
		ok "pcs constraint location d1 prefers n2=100: d1 on n2" ||
		fail "pcs constraint location d1 prefers n2=100"
	step "pcs colocation" pcs constraint colocation add g1 with d1 &&
		eventually 10 'rsc_colocation' cibadmin -Q --scope constraints &&
		eventually 60 'resource g1 is running on: n2' crm_resource --locate -r g1 &&
		step "pcs constraint remove" pcs constraint remove colocation-g1-d1-INFINITY \
			location-d1-n2-100 &&
		! x cibadmin -Q --scope constraints | grep -Eq 'rsc_colocation|location-d1-n2' &&
		ok "pcs constraint colocation add g1 with d1: g1 on n2; both removed" ||
		fail "pcs constraint colocation add g1 with d1"
	step "pcs cleanup" pcs resource cleanup d1 && ok "pcs resource cleanup" ||
		fail "pcs resource cleanup"
	eventually 10 'd1.*Started' pcs status resources && ok "pcs status resources" ||
		fail "pcs status resources"
	# node attributes and standby (crm_attribute on the live cluster)
	step "pcs node attribute" pcs node attribute n2 rack=r2 &&
		eventually 10 '<nvpair id="nodes-2-rack" name="rack" value="r2"/>' cibadmin -Q -o nodes &&
		eventually 10 '^ n2: rack=r2' pcs node attribute && ok "pcs node attribute n2 rack=r2" ||
		fail "pcs node attribute n2 rack=r2"
	show pcs node attribute
	step "pcs node standby" pcs node standby n3 &&
		eventually 10 '^on$' crm_standby -N n3 -G -q && eventually 10 'Standby: n3' pcs status nodes &&
		eventually 60 'resource d1 is running on: n[12]' crm_resource --locate -r d1 &&
		ok "pcs node standby n3: n3 in standby, d1 not on n3" || fail "pcs node standby n3"
	show pcs status nodes
	step "pcs node unstandby" pcs node unstandby n3 &&
		eventually 10 '^off$' crm_standby -N n3 -G -q && ok "pcs node unstandby n3" ||
		fail "pcs node unstandby n3"
	# pcs 0.11's move: a temporary constraint, a simulation of where it leads, a wait, and
	# the constraint removed again
	to=n3
	x crm_resource --locate -r d1 2>&1 | grep -q 'on: n3' && to=n2
	step "pcs resource move" pcs resource move d1 $to &&
		eventually 10 "resource d1 is running on: $to" crm_resource --locate -r d1 &&
		! x cibadmin -Q -o constraints | grep -q cli-prefer-d1 &&
		ok "pcs resource move d1 $to (and its temporary constraint gone)" || fail "pcs resource move d1 $to"
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
	step "crm node standby" crm node standby n2 &&
		eventually 10 '^on$' crm_standby -N n2 -G -q && ok "crm node standby n2" ||
		fail "crm node standby n2"
	step "crm node online" crm node online n2 &&
		eventually 10 '^off$' crm_standby -N n2 -G -q && ok "crm node online n2" ||
		fail "crm node online n2"
	step "crm node attribute set" crm node attribute n1 set color blue &&
		eventually 10 'scope=nodes  name=color value=blue' crm node attribute n1 show color &&
		ok "crm node attribute n1 set/show color" || fail "crm node attribute n1 set/show color"
	show crm node show
	to=n3
	x crm_resource --locate -r d3 2>&1 | grep -q 'on: n3' && to=n1
	step "crm move again" crm resource move d3 $to &&
		eventually 60 "resource d3 is running on: $to" crm_resource --locate -r d3 &&
		step "crm unmove" crm resource unmove d3 &&
		! x cibadmin -Q --scope constraints | grep -q cli-prefer-d3 && ok "crm resource move, unmove" ||
		fail "crm resource move, unmove"
	# crm_resource --fail (Pacemaker's "tell the cluster this resource has failed"), asked of
	# the controller of the node running d3: a failed asyncmon, a fail count, a recovery
	where=$(x crm_resource --locate -r d3 2>&1 | sed -n 's/.*running on: //p')
	if [ -n "$where" ] && "$demo" exec "${where#n}" crm_resource --fail -r d3 -N "$where"; then
		eventually 30 "name=fail-count-d3 value=[1-9]" crm resource failcount d3 show "$where" &&
			eventually 30 "d3_last_failure_0.*operation=\"asyncmon\"" cibadmin -Q -o status &&
			eventually 60 'resource d3 is running on' crm_resource --locate -r d3 &&
			ok "crm_resource --fail -r d3 -N $where: failure recorded, counted, d3 recovered" ||
			fail "crm_resource --fail -r d3 -N $where"
	else
		fail "crm_resource --fail -r d3 -N $where refused"
	fi
	step "crm cleanup" crm resource cleanup d3 && ok "crm resource cleanup" || fail "crm resource cleanup"
fi

# The tutorial (Clusters from Scratch style, with our web server): an IP and a web server,
# colocated and ordered; a node in standby and back; moved; a failure counted and cleaned up.
if command -v pcs >/dev/null && command -v crm >/dev/null; then
	if [ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ]; then
		step "pcs create ClusterIP" pcs resource create ClusterIP ocf:heartbeat:IPaddr2 \
			ip="$PL_HARNESS_NET.100" cidr_netmask=24 op monitor interval=30s
	else
		step "pcs create ClusterIP" pcs resource create ClusterIP ocf:paceline:Dummy op monitor interval=30s
	fi
	step "pcs create WebSite" pcs resource create WebSite ocf:paceline:HttpServer port=80 \
		op monitor interval=3s
	# (pcs constraint colocation rewrites the whole CIB with cibadmin --replace: that is
	# another piece of work; crmsh's colocation patches it)
	step "crm colocation" crm configure colocation website-with-ip inf: WebSite ClusterIP
	step "pcs order" pcs constraint order ClusterIP then WebSite
	together() { local a b; a=$(x crm_resource --locate -r ClusterIP 2>&1 | sed -n 's/.*on: //p')
		b=$(x crm_resource --locate -r WebSite 2>&1 | sed -n 's/.*on: //p')
		[ -n "$a" ] && [ "$a" = "$b" ] && echo "$a"; }
	wait_together() { local end=$((SECONDS + $1)) on; while :; do on=$(together) &&
		[ -z "${2:-}" -o "$on" = "${2:-}" ] && [ "$on" != "${3:-}" ] && { echo "$on"; return 0; }
		[ $SECONDS -ge $end ] && return 1; sleep 0.5; done; }
	if on=$(wait_together 60); then
		ok "tutorial: ClusterIP and WebSite run together on $on"
	else
		fail "tutorial: ClusterIP and WebSite do not run together"
	fi
	show pcs status resources
	step "tutorial standby" pcs node standby "$on" &&
		moved=$(wait_together 60 "" "$on") && ok "tutorial: $on in standby, the web moved to $moved" ||
		fail "tutorial: standby $on did not move the web"
	step "tutorial unstandby" pcs node unstandby "$on" &&
		eventually 10 '^off$' crm_standby -N "$on" -G -q && ok "tutorial: $on back from standby" ||
		fail "tutorial: unstandby $on"
	step "tutorial move back" pcs resource move ClusterIP "$on" &&
		wait_together 60 "$on" > /dev/null && ok "tutorial: pcs resource move ClusterIP $on: both back" ||
		fail "tutorial: move back to $on"
	# a failure: the web server dies, its monitor fails, the count shows, cleanup clears it
	n=${on#n}
	"$demo" exec "$n" sh -c 'kill "$(cat /run/rsctmp/paceline-HttpServer-WebSite.pid 2>/dev/null ||
		cat /run/resource-agents/paceline-HttpServer-WebSite.pid)"' ||
		fail "tutorial: cannot kill the web server on $on"
	eventually 60 "$on: 1" pcs resource failcount show WebSite &&
		eventually 10 "value=1" crm resource failcount WebSite show "$on" &&
		ok "tutorial: the failure counted (pcs resource failcount show, crm resource failcount show)" ||
		fail "tutorial: failcount after the web server died"
	show pcs resource failcount show WebSite
	show crm_mon -1
	step "tutorial cleanup" pcs resource cleanup WebSite &&
		eventually 20 "No failcounts" pcs resource failcount show WebSite &&
		eventually 10 "value=0" crm resource failcount WebSite show "$on" &&
		eventually 60 "resource WebSite is running on: $on" crm_resource --locate -r WebSite &&
		ok "tutorial: pcs resource cleanup reset the count, the web runs on $on" ||
		fail "tutorial: cleanup"
	step "tutorial failcount delete" crm resource failcount WebSite delete "$on" &&
		ok "tutorial: crm resource failcount delete" || fail "tutorial: crm resource failcount delete"
fi
[ "$fails" -eq 0 ] && echo "ok: the shells drive Paceline" || echo "$fails step(s) failed"
exit $((fails > 0))
