#!/usr/bin/env bash
# attr_tools.sh - crm_attribute, crm_standby, crm_failcount and crm_master on a CIB file
# (CIB_file), side by side with Pacemaker 2.1.5's own tools when they are installed (Debian's
# pacemaker-cli-utils): every command runs on a fresh copy of the same CIB with both, and the
# output (stderr then stdout), the exit code and the resulting CIB's nvpairs must be equal.
# Without Pacemaker's tools, the expected exit codes alone are checked. Covers the errors the
# issue lists: unknown node, unknown attribute (105), bad lifetime, missing value.
set -u
BIN=${PL_BIN:?}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat > "$W/cib.xml" <<'EOF'
<cib epoch="1" num_updates="0" admin_epoch="0" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="o1" name="cluster-delay" value="60s"/>
      </cluster_property_set>
      <cluster_property_set id="dup">
        <nvpair id="o2" name="cluster-delay" value="40s"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="n1"/>
      <node id="2" uname="n2">
        <instance_attributes id="nodes-2">
          <nvpair id="nodes-2-standby" name="standby" value="on"/>
        </instance_attributes>
      </node>
    </nodes>
    <resources/>
    <constraints/>
    <rsc_defaults/>
    <op_defaults/>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online">
      <transient_attributes id="1">
        <instance_attributes id="status-1">
          <nvpair id="status-1-fail-count-d.monitor_10000" name="fail-count-d#monitor_10000" value="2"/>
          <nvpair id="status-1-master-st" name="master-st" value="10"/>
        </instance_attributes>
      </transient_attributes>
    </node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online"/>
  </status>
</cib>
EOF

# command | expected exit code
read -r -d '' cases <<'EOF'
crm_attribute -n cluster-delay -G|0
crm_attribute -n cluster-delay -G -q -i o2|0
crm_attribute -n cluster-delay -v 3|109
crm_attribute -n cluster-delay -v 3 -i o2|0
crm_attribute -n cluster-delay -D -i o2|0
crm_attribute -n no-such -G|105
crm_attribute -n no-such -G --output-as=xml|105
crm_attribute -n no-such -G -d dflt|0
crm_attribute -n new-opt -v 1|0
crm_attribute -n new-opt -v 1 -s myset|0
crm_attribute -n x -v 3 -t rsc_defaults -N n1|0
crm_attribute -N nx -n foo -v 1|105
crm_attribute -N nx -n foo -G|105
crm_attribute -N n1 -n foo -v 1 -l bogus|76
crm_attribute -N n1 -n foo -v|64
crm_attribute -N n1 -n foo -v 1|0
crm_attribute -N n1 -n foo -v 1 -l reboot|0
crm_attribute -N n2 -n foo -v 1 -l reboot|0
crm_attribute -N n1 -n 'a#b' -v 3 -z|0
crm_attribute -N n1 -n 'a#b' -v 3 -z -l reboot|0
crm_attribute -N n1 -n fail-count-d#monitor_10000 -G -l reboot|0
crm_attribute -N n1 -P fail-count -G -t status|0
crm_attribute -N n1 -P fail-count -v 7 -t status|0
crm_attribute -N n1 -P fail-count -D -t status|0
crm_attribute -N n1 -P fail-count -D -t nodes|64
crm_attribute -N n1 -D -t nodes|64
crm_attribute -N n1 -p st -G|0
crm_attribute -N n1 -p st -G --output-as=xml|0
crm_attribute -N n1 -p st -v 5|0
crm_attribute -N n1 -p st -D|0
crm_attribute -N n1 -p -v 5|64
crm_attribute -N n1 -n standby -G -l reboot -d off|0
crm_standby -N n1 -G|0
crm_standby -N n2 -G|0
crm_standby -N n1 -v true|0
crm_standby -N n2 -D|0
crm_failcount --query -r d -N n1|0
crm_failcount --query -r d -N n1 -n monitor -I 10s|0
crm_failcount --query -r e -N n1|0
crm_attribute -N n1 -n fail-count-d#monitor_10000 -v value++ -l reboot|0
crm_attribute -N n1 -n score -v value+=5 -l reboot|0
crm_attribute -N n1 -n foo -v 1 --output-as=xml|0
crm_attribute -N n1 -n master-st -D -l reboot --output-as=xml|0
crm_attribute -N n1 -n master-st -G -l reboot -q|0
crm_attribute -N n1 -n master-st -G -l reboot --output-as=xml|0
OCF_RESOURCE_INSTANCE=st crm_master -N n1 -G|105
OCF_RESOURCE_INSTANCE=st crm_master -N n1 -v 20|0
OCF_RESOURCE_INSTANCE=st crm_master -N n1 -D|0
EOF

fails=0 n=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
nvpairs() { grep -o '<nvpair [^>]*>' "$1" | sort; }
run() {  # run DIR CMD -> $W/out.DIR, $W/rc.DIR, $W/cib.DIR
	local d=$1 cmd=$2 b
	b=$(basename "$d")
	cp "$W/cib.xml" "$W/cib.$b"
	(cd "$W" && env -i PATH="$d:/usr/bin:/bin" LC_ALL=C CIB_file="$W/cib.$b" \
		bash -c "$cmd" > "$W/stdout" 2> "$W/stderr"; echo $? > "$W/rc.$b")
	cat "$W/stderr" "$W/stdout" | sed 's/api-version="[^"]*"/api-version="X"/' > "$W/out.$b"
	nvpairs "$W/cib.$b" > "$W/nv.$b"
}
oracle=""
[ -x /usr/sbin/crm_attribute ] && [ -x /usr/sbin/crm_standby ] && oracle=/usr/sbin
mkdir -p "$W/ours" && for t in crm_attribute crm_standby crm_failcount crm_master cibadmin; do
	ln -s "$BIN/$t" "$W/ours/$t"
done
if [ -n "$oracle" ]; then
	mkdir -p "$W/pcmk" && for t in crm_attribute crm_standby crm_failcount crm_master cibadmin crm_resource; do
		ln -s "$oracle/$t" "$W/pcmk/$t"
	done
fi
while IFS='|' read -r cmd want; do
	[ -n "$cmd" ] || continue
	n=$((n + 1))
	run "$W/ours" "$cmd"
	got=$(cat "$W/rc.ours")
	[ "$got" = "$want" ] || fail "'$cmd' exit $got, want $want: $(head -2 "$W/out.ours")"
	[ -n "$oracle" ] || continue
	run "$W/pcmk" "$cmd"
	[ "$(cat "$W/rc.pcmk")" = "$got" ] || fail "'$cmd' exit $got, Pacemaker's $(cat "$W/rc.pcmk")"
	diff -w "$W/out.pcmk" "$W/out.ours" > "$W/d" || fail "'$cmd' output differs from Pacemaker's: $(head -6 "$W/d")"
	diff "$W/nv.pcmk" "$W/nv.ours" > "$W/d" || fail "'$cmd' leaves other nvpairs than Pacemaker's: $(head -6 "$W/d")"
done <<< "$cases"
[ $fails = 0 ] && echo "ok: $n commands on a CIB file${oracle:+, each equal to Pacemaker 2.1.5 (output, exit code, resulting nvpairs)}"
exit $((fails > 0))
