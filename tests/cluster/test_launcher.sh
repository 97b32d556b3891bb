#!/usr/bin/env bash
# test_launcher.sh - three nodes, each stack under paceline-launcher (scripts/demo up): kill -9
# of cib, lrmd and pengine on n1 in turn are respawned while the cluster carries on (3 members
# throughout, a CIB change made on n2 meanwhile reaches n1's respawned cib); a SIGTERM to n3's
# launcher stops n3 in reverse order and the others see it leave; n3 boots again and rejoins.
# (Once crmd runs: also "no resource restarted" and "resources moved away first".)
set -u
export PL_HARNESS_NAME=pllaunch PL_DEMO_SKIP_BUILD=1
SRC=${PL_TEST_SRCDIR:?}
. "$SRC/tests/cluster/harness.sh"
harness_require_root_netns
harness_lock 600 || exit 1
trap 'harness_down > /dev/null 2>&1' EXIT
DEMO=$SRC/scripts/demo
fail() { echo "FAIL: $*" >&2; "$DEMO" exec 1 paceline-launcher --status >&2; exit 1; }
"$DEMO" down > /dev/null 2>&1
"$DEMO" up 3 | head -1 || fail "up"
"$DEMO" status | grep -q "^n3: paceline-launcher .*stack running" || fail "n3 not running"

st() { "$DEMO" exec "$1" paceline-launcher --status 2> /dev/null; }
pid_of() { st "$1" | awk -v c="$2" '$1 == c && $3 ~ /^[0-9]+$/ { print $3 }'; }
ready_new() { st "$1" | awk -v c="$2" -v p="$3" '$1 == c && $2 == "ready" && $3 != p' | grep -q .; }
members() { [ "$("$DEMO" exec "$1" paceline-quorumtool -l 2> /dev/null | grep -cE '^ *[0-9]+ ')" = "$2" ]; }
has_prop() { "$DEMO" exec "$1" cibadmin -Q -o crm_config 2> /dev/null | grep -q "id=\"$2\""; }

k=0
for c in cib lrmd pengine; do
	k=$((k + 1))
	old=$(pid_of 1 "$c")
	[ -n "$old" ] || fail "no pid for $c on n1"
	kill -KILL "$old"
	# the cluster carries on: a change on n2 while n1's daemon is down or coming back
	"$DEMO" exec 2 cibadmin -C -o crm_config -X \
		"<cluster_property_set id=\"t$k\"><nvpair id=\"t$k-a\" name=\"t$k\" value=\"1\"/></cluster_property_set>" > /dev/null ||
		fail "cibadmin -C on n2 after $c died on n1"
	wait_for 20 ready_new 1 "$c" "$old" || fail "$c not respawned on n1"
	members 1 3 && members 2 3 || fail "membership changed when $c died"
	wait_for 20 has_prop 1 "t$k-a" || fail "n1 does not see the change made on n2 while $c was down"
	echo "ok: n1's $c killed -> respawned; 3 members; n2's change t$k seen on n1"
done
"$DEMO" stop 3 || fail "stop 3"
order=$(grep -oE 'info: stopping [a-z]+ \(pid' "$(harness_node_dir 3)/log/launcher.out" | awk '{print $3}' | tr '\n' ' ')
[ "$order" = "pengine lrmd cib membership " ] || fail "n3 stop order: '$order'"
wait_for 10 members 1 2 || fail "n1 does not see n3 leave"
echo "ok: n3 stopped in reverse order ($order), n1 sees 2 members"
"$DEMO" start 3 > /dev/null || fail "start 3"
wait_for 20 members 1 3 || fail "n3 did not rejoin"
wait_for 20 has_prop 3 t3-a || fail "n3's cib did not sync"
echo "ok: n3 rejoined and has the CIB"
