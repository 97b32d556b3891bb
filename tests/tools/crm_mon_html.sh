#!/bin/sh
# crm_mon --output-as=html --output-to=FILE: the page is written, loads in headless Chromium
# (skipped without it) and shows the nodes, the resources, the failed action and the fail
# count; a screenshot is taken (kept with PL_KEEP_SHOT=DIR, for a person to look at).
set -u
bin=${PL_BIN:?}
src=${PL_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d /tmp/pl-crmmon-html.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cat >"$tmp/cib.xml" <<'XML'
<cib admin_epoch="1" epoch="3" num_updates="0" validate-with="pacemaker-3.7" have-quorum="1" dc-uuid="1" cib-last-written="Tue Nov 14 22:13:20 2023">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes><node id="1" uname="alpha"/><node id="2" uname="beta"/></nodes>
    <resources>
      <group id="web">
        <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2"/>
        <primitive id="httpd" class="ocf" provider="heartbeat" type="apache"/>
      </group>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
      <transient_attributes id="1"><instance_attributes id="s1">
        <nvpair id="s1-fc" name="fail-count-httpd#start_0" value="1"/>
      </instance_attributes></transient_attributes>
      <lrm id="1"><lrm_resources>
        <lrm_resource id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
          <lrm_rsc_op id="vip_last_0" operation_key="vip_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0"/>
        </lrm_resource>
        <lrm_resource id="httpd" class="ocf" provider="heartbeat" type="apache">
          <lrm_rsc_op id="httpd_last_0" operation_key="httpd_start_0" operation="start" transition-key="2:1:0:x" transition-magic="0:1;2:1:0:x" call-id="3" rc-code="1" op-status="0" interval="0" last-rc-change="1700000000" exit-reason="config file missing"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="beta" in_ccm="false" crmd="offline" join="down" expected="down"/>
  </status>
</cib>
XML
CIB_file="$tmp/cib.xml" "$bin/crm_mon" -1 --output-as=html --output-to="$tmp/status.html" || fail "crm_mon html: exit $?"
[ -s "$tmp/status.html" ] || { fail "no page written"; exit 1; }
grep -q '<meta http-equiv="refresh"' "$tmp/status.html" || fail "the page does not refresh itself"
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
	echo "chromium absent: page not loaded"
	[ $fails = 0 ]; exit $?
fi
run_chrome() { timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--user-data-dir="$tmp/profile" "$@" "file://$tmp/status.html" 2>/dev/null; }
run_chrome --dump-dom >"$tmp/dom.html" || fail "chromium could not load the page"
for want in '<td>alpha' 'beta' '>httpd<' '>vip<' 'Failed resource actions' 'config file missing' \
	'Fail counts' '>offline<' '>FAILED<'; do
	grep -q -- "$want" "$tmp/dom.html" || fail "the loaded page lacks '$want'"
done
run_chrome --window-size=1100,900 --screenshot="$tmp/shot.png" >/dev/null
[ -s "$tmp/shot.png" ] && head -c 8 "$tmp/shot.png" | grep -q PNG || fail "no screenshot"
[ -n "${PL_KEEP_SHOT:-}" ] && cp "$tmp/shot.png" "$tmp/status.html" "$PL_KEEP_SHOT/"
[ $fails = 0 ] && echo "ok: crm_mon html"
[ $fails = 0 ]
