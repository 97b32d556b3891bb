#!/usr/bin/env python3
"""cib_config_equal.py A.xml B.xml: compare two CIBs' configuration sections as trees.

Comments, the order of attributes and the order of the top-level resources and
constraints are ignored (a group's members keep their order), so a CIB written by paceline-import
compares equal to the one crmsh builds from the crm file it wrote. Prints the first
difference and exits 1 when they differ."""
import sys
import xml.etree.ElementTree as ET


def canon(e, path):
    attrs = sorted(e.attrib.items())
    kids = [canon(c, path + "/" + c.tag) for c in e if isinstance(c.tag, str)]
    if e.tag in ("resources", "constraints", "nodes"):
        kids.sort(key=repr)
    return (e.tag, attrs, kids)


def diff(a, b, path):
    if a[0] != b[0] or a[1] != b[1]:
        return "%s: <%s %s> vs <%s %s>" % (path, a[0], a[1], b[0], b[1])
    if len(a[2]) != len(b[2]):
        return "%s/%s: %d children vs %d" % (path, a[0], len(a[2]), len(b[2]))
    for x, y in zip(a[2], b[2]):
        d = diff(x, y, path + "/" + a[0])
        if d:
            return d
    return None


def config(path):
    root = ET.parse(path).getroot()
    return canon(root.find("configuration"), "")


d = diff(config(sys.argv[1]), config(sys.argv[2]), "")
if d:
    print("differ at " + d)
    sys.exit(1)
