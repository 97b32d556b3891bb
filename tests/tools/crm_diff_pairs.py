#!/usr/bin/env python3
"""Write N pairs of CIBs (old.K.xml, new.K.xml) into DIR, the new one a seeded random
mutation of the old: attributes set, changed, removed and reordered; elements added, removed
and moved among their siblings; comments added, removed, changed and moved; the counters
changed. Used by crm_diff.sh to compare our crm_diff with Pacemaker's on the same pairs."""
import random
import sys
import xml.etree.ElementTree as ET

BASE = """<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="7" num_updates="3" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
        <nvpair id="opts-name" name="cluster-name" value="c1"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="n1"/>
      <node id="2" uname="n2"><instance_attributes id="n2-ia"><nvpair id="n2-a" name="a" value="1"/></instance_attributes></node>
      <node id="3" uname="n3"/>
    </nodes>
    <resources>
      <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="ip-params">
          <nvpair id="ip-ip" name="ip" value="10.0.0.1"/>
          <nvpair id="ip-mask" name="cidr_netmask" value="24"/>
        </instance_attributes>
        <operations>
          <op id="ip-mon" name="monitor" interval="10s" timeout="20s"/>
          <op id="ip-start" name="start" interval="0" timeout="20s"/>
        </operations>
      </primitive>
      <group id="g">
        <primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="d2" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="d3" class="ocf" provider="pacemaker" type="Dummy"/>
      </group>
    </resources>
    <constraints>
      <rsc_location id="loc1" rsc="ip" node="n1" score="100"/>
      <rsc_colocation id="col1" rsc="g" with-rsc="ip" score="INFINITY"/>
      <rsc_order id="ord1" first="ip" then="g"/>
    </constraints>
  </configuration>
  <status/>
</cib>"""

COMMENTS = ["first note", "Second Note", "third", " spaced "]



def parse(text):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    return ET.fromstring(text, parser=parser)


def elements(root):
    return [e for e in root.iter() if isinstance(e.tag, str)]


def mutate(root, rnd, n):
    serial = 0
    for _ in range(n):
        els = elements(root)
        e = rnd.choice(els)
        kind = rnd.randrange(10)
        serial += 1
        if kind == 0:  # set or change an attribute
            name = rnd.choice(["value", "score", "description", "x%d" % rnd.randrange(3)])
            if e is not root or name not in ("epoch",):
                e.set(name, "v%d" % rnd.randrange(5))
        elif kind == 1 and len(e.attrib) > 1:  # remove one (not the id; the feature set
            # decides the format, and Pacemaker's v1 format is not made here)
            names = [a for a in e.attrib if a not in ("id", "crm_feature_set")]
            if names:
                del e.attrib[rnd.choice(names)]
        elif kind == 2 and len(e.attrib) > 1:  # reorder attributes
            items = list(e.attrib.items())
            rnd.shuffle(items)
            e.attrib.clear()
            for k, v in items:
                e.set(k, v)
        elif kind == 3 and e is not root:  # add a child element
            c = ET.Element("nvpair" if rnd.randrange(2) else "meta_attributes")
            c.set("id", "new%d-%d" % (serial, rnd.randrange(100)))
            c.set("name", "n%d" % serial)
            e.insert(rnd.randrange(len(e) + 1), c)
        elif kind == 4:  # remove a child (element or comment)
            if len(e):
                del e[rnd.randrange(len(e))]
        elif kind == 5 and len(e) > 1:  # move a child
            c = e[rnd.randrange(len(e))]
            e.remove(c)
            e.insert(rnd.randrange(len(e) + 1), c)
        elif kind == 6:  # add a comment
            e.insert(rnd.randrange(len(e) + 1), ET.Comment(rnd.choice(COMMENTS)))
        elif kind == 7:  # change a comment
            cs = [c for c in e if c.tag is ET.Comment]
            if cs:
                cs[0].text = rnd.choice(COMMENTS).upper()
        elif kind == 8:  # bump a counter
            root.set(rnd.choice(["epoch", "num_updates", "admin_epoch"]), str(rnd.randrange(9)))
        elif kind == 9 and len(e):  # swap two neighbours
            i = rnd.randrange(len(e))
            if i + 1 < len(e):
                a, b = e[i], e[i + 1]
                e.remove(b)
                e.insert(i, b)


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(seed)
    for k in range(n):
        old = parse(BASE)
        mutate(old, rnd, rnd.randrange(4))  # comments and oddities in the original too
        new = parse(ET.tostring(old, encoding="unicode"))
        mutate(new, rnd, 1 + rnd.randrange(5))
        for name, tree in (("old", old), ("new", new)):
            with open("%s/%s.%d.xml" % (out, name, k), "w") as f:
                f.write(ET.tostring(tree, encoding="unicode"))


if __name__ == "__main__":
    main()
