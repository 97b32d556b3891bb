#!/bin/sh
# crm_mon live from paceline-cib: without the daemon, exit 102 and Pacemaker's message (text
# and XML); with it, `crm_mon -1` equals the CIB_file output on a dump of the same CIB, and
# Pacemaker's own crm_mon (when installed) prints the same on that dump. Then the terminal
# view in tmux (skipped without tmux): drawn, redrawn on a CIB change without a key, keys
# toggle sections, q quits.
set -u
bin=${PL_BIN:?}
[ -x "$bin/paceline-cib" ] && [ -x "$bin/crm_mon" ] && [ -x "$bin/cibadmin" ] || {
	echo "daemons not built"; exit 77; }

tmp=$(mktemp -d /tmp/pl-crmmon.XXXXXX)
export PL_IPC_PREFIX="pl-crmmon-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200	# standalone, no membership here
unset CIB_file
pid=""
sock="pl-crmmon-$$"
cleanup() {
	command -v tmux >/dev/null && tmux -L "$sock" kill-server 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$pid" ] && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../testlib.sh"
# --- no daemon
"$bin/crm_mon" -1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 102 ] || fail "no daemon: exit $rc, expected 102"
grep -q '^crm_mon: Connection to cluster failed: Connection refused$' "$tmp/err" ||
	fail "no daemon: message '$(cat "$tmp/err")'"
"$bin/crm_mon" --output-as=xml >"$tmp/out" 2>/dev/null
rc=$?
[ $rc = 102 ] || fail "no daemon (xml): exit $rc, expected 102"
grep -q '<status code="102" message="Not connected">' "$tmp/out" || fail "no daemon: xml $(cat "$tmp/out")"

# --- live
"$bin/paceline-cib" -l "$tmp/cib.log" 2>"$tmp/cib.err" &
pid=$!
wait_for 10 "$bin/cibadmin" -Q || { fail "paceline-cib did not start"; exit 1; }
cat >"$tmp/cib.xml" <<'XML'
<cib admin_epoch="1" epoch="1" num_updates="0" validate-with="pacemaker-3.7" crm_feature_set="3.16.1" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
        <nvpair id="opts-stack" name="cluster-infrastructure" value="corosync"/>
        <nvpair id="opts-dcv" name="dc-version" value="2.1.5-paceline"/>
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
      <primitive id="db" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1">
        <lrm_resources>
          <lrm_resource id="web" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="web_last_0" operation_key="web_start_0" operation="start" transition-key="3:1:0:aaaa" transition-magic="0:0;3:1:0:aaaa" call-id="4" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" exec-time="10" queue-time="0"/>
            <lrm_rsc_op id="web_monitor_10000" operation_key="web_monitor_10000" operation="monitor" transition-key="4:1:0:aaaa" transition-magic="0:0;4:1:0:aaaa" call-id="5" rc-code="0" op-status="0" interval="10000" last-rc-change="1700000000" exec-time="5" queue-time="0"/>
          </lrm_resource>
          <lrm_resource id="db" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="db_last_0" operation_key="db_start_0" operation="start" transition-key="5:1:0:aaaa" transition-magic="0:1;5:1:0:aaaa" call-id="6" rc-code="1" op-status="0" interval="0" last-rc-change="1700000000" exec-time="10" queue-time="0"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
XML
"$bin/cibadmin" -R -x "$tmp/cib.xml" >"$tmp/out" 2>"$tmp/err" || fail "cibadmin -R: $(cat "$tmp/err")"
"$bin/cibadmin" -Q >"$tmp/live.xml" || fail "cibadmin -Q"
for args in "-1" "-1 -r -A -f -o" "-1 -n -r"; do
	"$bin/crm_mon" $args --exclude=times >"$tmp/live.out" 2>"$tmp/live.err" ||
		fail "crm_mon $args live: $(cat "$tmp/live.err")"
	CIB_file="$tmp/live.xml" "$bin/crm_mon" $args --exclude=times >"$tmp/file.out" 2>&1 ||
		fail "crm_mon $args on the dump"
	cmp -s "$tmp/live.out" "$tmp/file.out" || { fail "$args: live and CIB_file differ"; diff "$tmp/live.out" "$tmp/file.out" | head; }
	if [ -x /usr/sbin/crm_mon ]; then	# Pacemaker's own, on the same dump
		CIB_file="$tmp/live.xml" /usr/sbin/crm_mon $args --exclude=times >"$tmp/pcmk.out" 2>/dev/null
		cmp -s "$tmp/live.out" "$tmp/pcmk.out" || { fail "$args: differs from Pacemaker's crm_mon"; diff "$tmp/pcmk.out" "$tmp/live.out" | head; }
	fi
done
grep -q "db start on node1 returned 'error'" "$tmp/live.out" || fail "no failed action in the live output"

# --- the terminal view (tmux)
if command -v tmux >/dev/null; then
	pane() { tmux -L "$sock" capture-pane -p -t mon 2>/dev/null; }
	shows() { pane | grep -q "$1"; }
	tmux -L "$sock" new-session -d -s mon -x 150 -y 60 \
		"PL_IPC_PREFIX=$PL_IPC_PREFIX $bin/crm_mon; echo crm_mon-exited-\$?; sleep 30"
	wait_for 10 shows "Cluster Summary:" || { fail "tmux: nothing drawn"; pane; }
	shows "Operations:" && fail "tmux: operations shown before o"
	# a change in the CIB is drawn without a key press (notification, no polling)
	"$bin/cibadmin" -M -o status -X '<node_state id="2" uname="node2"><transient_attributes id="2"><instance_attributes id="status-2"><nvpair id="status-2-standby" name="standby" value="on"/></instance_attributes></transient_attributes></node_state>' \
		>/dev/null 2>"$tmp/err" || fail "cibadmin -M: $(cat "$tmp/err")"
	wait_for 10 shows "Node node2: standby" || { fail "tmux: change not redrawn"; pane; }
	tmux -L "$sock" send-keys -t mon o
	wait_for 10 shows "Operations:" || { fail "tmux: o did not show operations"; pane; }
	tmux -L "$sock" send-keys -t mon n
	wait_for 10 shows "Node node1: online:" || { fail "tmux: n did not group by node"; pane; }
	tmux -L "$sock" send-keys -t mon '?'
	wait_for 10 shows "Display option change mode" || { fail "tmux: ? did not show the keys"; pane; }
	tmux -L "$sock" send-keys -t mon x
	tmux -L "$sock" send-keys -t mon q
	wait_for 10 shows "crm_mon-exited-0" || { fail "tmux: q did not quit cleanly"; pane; }
	# the daemon going away ends the view with 102
	tmux -L "$sock" new-session -d -s mon2 -x 150 -y 60 \
		"PL_IPC_PREFIX=$PL_IPC_PREFIX $bin/crm_mon; echo crm_mon-exited-\$?; sleep 30"
	tmux -L "$sock" kill-session -t mon 2>/dev/null
	pane() { tmux -L "$sock" capture-pane -p -t mon2 2>/dev/null; }
	wait_for 10 shows "Cluster Summary:" || fail "tmux: second view not drawn"
	kill "$pid"; wait "$pid" 2>/dev/null; pid=""
	wait_for 10 shows "crm_mon-exited-102" || { fail "tmux: daemon loss did not exit 102"; pane; }
else
	echo "tmux absent: terminal view not tested"
fi

[ $fails = 0 ] && echo "ok: crm_mon live"
[ $fails = 0 ]
