#!/usr/bin/env python3
"""crmd_status.py - read a CIB (stdin) the way the controller's tests need it.

  where RSC      print the nodes where RSC is active (one a line); exit 0 when exactly one
  started N      exit 0 when N resources are active on online nodes, each once
  dc             print the DC's uname (dc-uuid)

"Active" follows Pacemaker's reading of the history: the resource's lrm_rsc_op with the
highest call-id among non-recurring ones (RSC_last_0) is a successful start, promote or
migrate_from, or a probe that found it running, and no recorded failure of a later call.
Only nodes with in_ccm="true" and crmd="online" count.
"""
import sys
import xml.etree.ElementTree as ET

def active(cib):
    out = {}
    for ns in cib.iter('node_state'):
        if ns.get('in_ccm') != 'true' or ns.get('crmd') != 'online':
            continue
        uname = ns.get('uname')
        for res in ns.iter('lrm_resource'):
            last = None
            for op in res.iter('lrm_rsc_op'):
                if op.get('interval', '0') != '0':
                    continue
                if last is None or int(op.get('call-id', '0')) > int(last.get('call-id', '0')):
                    last = op
            if last is None:
                continue
            task, rc, st = last.get('operation'), last.get('rc-code'), last.get('op-status')
            if st != '0':
                running = task == 'stop'  # a failed stop leaves it (possibly) active
            elif task in ('start', 'promote', 'migrate_from'):
                running = rc == '0'
            elif task == 'monitor':
                running = rc in ('0', '8')
            elif task == 'stop':
                running = rc != '0'
            else:
                running = False
            if running:
                out.setdefault(res.get('id'), []).append(uname)
    return out

def main():
    try:
        cib = ET.parse(sys.stdin).getroot()
    except ET.ParseError:
        sys.exit(2)  # no CIB (the query failed): not the state asked about

    cmd = sys.argv[1]
    if cmd == 'where':
        nodes = active(cib).get(sys.argv[2], [])
        for n in nodes:
            print(n)
        sys.exit(0 if len(nodes) == 1 else 1)
    if cmd == 'started':
        a = active(cib)
        ok = len(a) == int(sys.argv[2]) and all(len(v) == 1 for v in a.values())
        sys.exit(0 if ok else 1)
    if cmd == 'dc':
        dc = cib.get('dc-uuid')
        for ns in cib.iter('node_state'):
            if ns.get('id') == dc:
                print(ns.get('uname'))
        sys.exit(0)
    sys.exit(64)

if __name__ == '__main__':
    main()
