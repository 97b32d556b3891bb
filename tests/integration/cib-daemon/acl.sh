#!/bin/sh
# paceline-cib enforces the CIB's ACLs for its local clients (lib/cib/cib_acl.c), as
# Pacemaker's CIB manager does: with enable-acl=true, a user of group haclient other than
# root/hacluster reads only what its acl_target allows (ids kept, the rest cut) and may
# write only there; a user without ACLs is refused queries (4); root is not concerned.
# Needs root (setpriv to another user) and the haclient group; skips (77) otherwise.
set -u
bin=${PL_BIN:?}
[ -x "$bin/paceline-cib" ] && [ -x "$bin/cibadmin" ] || { echo "paceline-cib not built"; exit 77; }
[ "$(id -u)" = 0 ] && getent group haclient >/dev/null && command -v setpriv >/dev/null || {
	echo "needs root, setpriv and the haclient group: skipped"; exit 77; }

tmp=$(mktemp -d /tmp/pl-cibacl.XXXXXX)
chmod 755 "$tmp"
export PL_IPC_PREFIX="pl-cibacl-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200
unset CIB_file CIB_shadow
daemon_pid=""
cleanup() {
	if [ -n "$daemon_pid" ]; then
		kill "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../../testlib.sh"
as() { # USER CMD...: run as USER in group haclient (a privileged client)
	_u=$1; shift
	setpriv --reuid="$_u" --regid=haclient --clear-groups "$@"
}
expect() {
	_want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	[ "$_rc" = "$_want" ] || fail "$* exited $_rc, expected $_want: $(head -3 "$tmp/err")"
}

"$bin/paceline-cib" -l "$tmp/cib.log" 2>>"$tmp/cib.err" &
daemon_pid=$!
wait_for 10 "$bin/cibadmin" -Q -o status || { fail "daemon did not start"; exit 1; }

expect 0 "$bin/cibadmin" -C -o resources -X '<primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/>'
expect 0 "$bin/cibadmin" -C -o crm_config -X '<cluster_property_set id="o"><nvpair id="o-acl" name="enable-acl" value="true"/></cluster_property_set>'
expect 0 "$bin/cibadmin" -C -o configuration -X '<acls><acl_target id="nobody"><role id="rw"/></acl_target><acl_role id="rw"><acl_permission id="p1" kind="write" xpath="//resources"/></acl_role></acls>'

# nobody: reads and writes the resources, nothing else
expect 0 as nobody "$bin/cibadmin" -Q
grep -q 'primitive id="d"' "$tmp/out" || fail "nobody cannot read the resources: $(cat "$tmp/out")"
grep -q 'enable-acl' "$tmp/out" && fail "nobody reads crm_config"
grep -q 'epoch=' "$tmp/out" && fail "nobody reads the attributes of <cib>"
expect 0 as nobody "$bin/cibadmin" -C -o resources -X '<primitive id="e" class="ocf" provider="heartbeat" type="Dummy"/>'
expect 4 as nobody "$bin/cibadmin" -C -o constraints -X '<rsc_location id="l" rsc="d" node="node1" score="10"/>'
"$bin/cibadmin" -Q | grep -q 'rsc_location id="l"' && fail "a refused update was applied"
"$bin/cibadmin" -Q | grep -q 'primitive id="e"' || fail "an allowed update was lost"
# a user without ACLs: nothing
expect 4 as daemon "$bin/cibadmin" -Q
grep -q "Permission denied" "$tmp/err" || fail "no 'Permission denied': $(cat "$tmp/err")"
# root: everything
expect 0 "$bin/cibadmin" -Q
grep -q 'enable-acl' "$tmp/out" || fail "root does not read everything"

[ "$fails" -eq 0 ] && echo "paceline-cib ACLs: ok"
[ "$fails" -eq 0 ]
