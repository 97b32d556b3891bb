#!/usr/bin/env python3
"""node_state.py - how a cluster node's node_state reads, against Pacemaker 2.1.5.

Every combination of in_ccm (absent/true/false), crmd (absent/online/offline), join
(absent/member/pending/down/banned) and expected (absent/member/down) for node n2 of three,
with stonith-enabled false, true with a fence device, and true without one; then, for the
combinations a live cluster writes, the same with a shutdown attribute, a terminate
attribute, with nothing running, and with d running on n1 (it stays there while n2 is not
ready: a pending n2 once stopped it). n2 runs the Dummy d (preferring n2) unless said otherwise. For each CIB, crm_simulate -S's node list, resource list and transition summary,
and crm_mon's XML record of n2 (online, standby, pending, unclean, expected_up ...), must
equal Debian's (Pacemaker 2.1.5), kept in node_state.golden: one case a line,
"name<TAB>lines joined by ' | '".

  node_state.py             compare build/bin/{crm_simulate,crm_mon} with the golden file
  node_state.py --regen     rewrite the golden file with /usr/sbin/{crm_simulate,crm_mon}
  node_state.py --show NAME print the CIB of one case

What it proves: the node-state decision (lib/pengine/unpack_status.c), fencing only with a
device, a pending node waited for (its probes block starts elsewhere), and no resource
managed while fencing is enabled without a device.
"""
import itertools
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "node_state.golden")

OP = ('<lrm_rsc_op id="d_last_0" operation_key="d_start_0" operation="start" '
      'crm-debug-origin="x" crm_feature_set="3.16.2" '
      'transition-key="1:1:0:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa" '
      'transition-magic="0:0;1:1:0:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa" exit-reason="" '
      'on_node="n2" call-id="5" rc-code="0" op-status="0" interval="0" '
      'last-rc-change="1700000000" exec-time="10" queue-time="0" '
      'op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>')


def cib(in_ccm, crmd, join, exp, stonith, device, running=True, attr=None, on=2):
    def a(k, v):
        return "" if v is None else f' {k}="{v}"'
    ns = a("in_ccm", in_ccm) + a("crmd", crmd) + a("join", join) + a("expected", exp)
    dev = '<primitive id="fence" class="stonith" type="fence_dummy"/>' if device else ""
    def lrm(i):
        if not running or i != on:
            return f'<lrm id="{i}"><lrm_resources/></lrm>' if i != 2 else ""
        return (f'<lrm id="{i}"><lrm_resources><lrm_resource id="d" class="ocf" provider="heartbeat" '
                f'type="Dummy">{OP.replace("n2", f"n{i}")}</lrm_resource></lrm_resources></lrm>')
    ta = ""
    if attr:
        ta = ('<transient_attributes id="2"><instance_attributes id="status-2">'
              f'<nvpair id="status-2-{attr[0]}" name="{attr[0]}" value="{attr[1]}"/>'
              '</instance_attributes></transient_attributes>')

    def up(i):
        return (f'<node_state id="{i}" uname="n{i}" in_ccm="true" crmd="online" join="member" '
                f'expected="member">{lrm(i)}</node_state>')
    return f'''<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="5" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
<configuration><crm_config><cluster_property_set id="o">
<nvpair id="o-se" name="stonith-enabled" value="{str(stonith).lower()}"/>
</cluster_property_set></crm_config>
<nodes><node id="1" uname="n1"/><node id="2" uname="n2"/><node id="3" uname="n3"/></nodes>
<resources><primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/>{dev}</resources>
<constraints><rsc_location id="l" rsc="d" node="n2" score="100"/></constraints></configuration>
<status>{up(1)}<node_state id="2" uname="n2"{ns}>{ta}{lrm(2)}</node_state>{up(3)}</status></cib>
'''


def cases():
    fencing = [(False, False), (True, True), (True, False)]
    vals = ([None, "true", "false"], [None, "online", "offline"],
            [None, "member", "pending", "down", "banned"], [None, "member", "down"])
    for ic, cr, jo, ex in itertools.product(*vals):
        for st, dv in fencing:
            yield (f"ccm-{ic}_crmd-{cr}_join-{jo}_exp-{ex}_st-{int(st)}{int(dv)}",
                   cib(ic, cr, jo, ex, st, dv))
    extra = [("shutdown", ("shutdown", "1700000100"), 2), ("terminate", ("terminate", "true"), 2),
             ("norun", None, 0), ("elsewhere", None, 1)]
    for ic, cr, jo, ex in itertools.product(["true", "false"], ["online", "offline"],
                                            ["member", "pending", "down"], ["member", "down"]):
        for st, dv in fencing:
            for tag, attr, on in extra:
                yield (f"{tag}_ccm-{ic}_crmd-{cr}_join-{jo}_exp-{ex}_st-{int(st)}{int(dv)}",
                       cib(ic, cr, jo, ex, st, dv, running=on != 0, attr=attr, on=on))


def summary(simulate, mon, path):
    """The node list, resources and transition summary, spaces squeezed; n2 in crm_mon's XML."""
    p = subprocess.run([simulate, "-S", "-x", path], capture_output=True, text=True,
                       timeout=60)
    keep, out = False, []
    for line in p.stdout.splitlines():
        if line.startswith("Current cluster status"):
            keep = True
        if line.startswith("Executing Cluster Transition"):
            break
        if keep and line.strip():
            out.append(" ".join(line.split()))
    env = dict(os.environ, CIB_file=path)
    p = subprocess.run([mon, "-1", "--output-as=xml"], capture_output=True, text=True,
                       timeout=60, env=env)
    m = re.search(r'<node name="n2" [^>]*>', p.stdout)
    out.append(re.sub(r' (feature_set|health|id|cached)="[^"]*"', "", m.group(0)) if m else "-")
    return " | ".join(out)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--show"]:
        print(dict(cases())[args[1]], end="")
        return 0
    regen = args[:1] == ["--regen"]
    bindir = "/usr/sbin" if regen else os.environ.get("PL_BIN", os.path.join(HERE, "../../../build/bin"))
    simulate, mon = os.path.join(bindir, "crm_simulate"), os.path.join(bindir, "crm_mon")
    if not os.access(simulate, os.X_OK) or not os.access(mon, os.X_OK):
        print(f"SKIP: {simulate} or {mon} not there")
        return 77
    golden = {}
    if not regen:
        with open(GOLDEN) as f:
            for line in f:
                name, _, text = line.rstrip("\n").partition("\t")
                golden[name] = text
    got, fails = {}, 0
    with tempfile.TemporaryDirectory(prefix="pl-nodestate.") as tmp:
        path = os.path.join(tmp, "cib.xml")
        for name, text in cases():
            with open(path, "w") as f:
                f.write(text)
            got[name] = summary(simulate, mon, path)
            if not regen and golden.get(name) != got[name]:
                fails += 1
                print(f"FAIL {name} (rerun: {sys.argv[0]} --show {name} > cib.xml)\n"
                      f"  Pacemaker: {golden.get(name)}\n  Paceline:  {got[name]}")
    if regen:
        with open(GOLDEN, "w") as f:
            for name, text in got.items():
                f.write(f"{name}\t{text}\n")
        print(f"{len(got)} cases written to {GOLDEN}")
        return 0
    print(f"{len(got) - fails}/{len(got)} node_state combinations read as Pacemaker 2.1.5 reads them")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
