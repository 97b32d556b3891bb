#!/bin/sh
# crm_simulate -L: the live CIB from paceline-cib is the input. Without the daemon: 102 and a
# clear message. With it: the same output as -x on a copy of the same CIB (queried with
# cibadmin), and the decision is not empty (a start of the new resource).
set -u
bin=${PL_BIN:?}
[ -x "$bin/paceline-cib" ] && [ -x "$bin/crm_simulate" ] && [ -x "$bin/cibadmin" ] || {
	echo "daemons not built"; exit 77; }

tmp=$(mktemp -d /tmp/pl-simlive.XXXXXX)
export PL_IPC_PREFIX="pl-simlive-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200	# standalone, no membership here
unset CIB_file
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../../testlib.sh"
"$bin/crm_simulate" -L -S >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 102 ] || fail "no daemon: exit $rc, expected 102"
grep -q 'Could not connect to .*cib.*is the daemon running' "$tmp/err" || fail "no daemon: message '$(cat "$tmp/err")'"

"$bin/paceline-cib" -l "$tmp/cib.log" 2>"$tmp/cib.err" &
pid=$!
wait_for 10 "$bin/cibadmin" -Q || { fail "paceline-cib did not start"; exit 1; }

cat >"$tmp/cib.xml" <<'XML'
<cib admin_epoch="1" epoch="1" num_updates="0" validate-with="pacemaker-3.7" crm_feature_set="3.16.1" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"/>
    </nodes>
    <resources>
      <primitive id="web" class="ocf" provider="heartbeat" type="Dummy">
        <operations>
          <op id="web-monitor-10s" name="monitor" interval="10s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
XML
"$bin/cibadmin" -R -x "$tmp/cib.xml" >"$tmp/out" 2>"$tmp/err" || fail "cibadmin -R: $(cat "$tmp/err")"
"$bin/cibadmin" -Q >"$tmp/live.xml" || fail "cibadmin -Q"

"$bin/crm_simulate" -L -S >"$tmp/live.out" 2>"$tmp/live.err" || fail "crm_simulate -L -S: $(cat "$tmp/live.err")"
"$bin/crm_simulate" -x "$tmp/live.xml" -S >"$tmp/file.out" 2>&1 || fail "crm_simulate -x"
cmp -s "$tmp/live.out" "$tmp/file.out" || { fail "-L and -x outputs differ"; diff "$tmp/live.out" "$tmp/file.out" | head; }
grep -Eq 'Start +web +\( node[12] \)' "$tmp/live.out" || { fail "no start of web in the live transition"; cat "$tmp/live.out"; }

[ $fails = 0 ] && echo "ok: crm_simulate -L"
exit $fails
