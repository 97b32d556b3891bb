#!/usr/bin/env python3
"""Write three variants of every scheduler-corpus CIB into OUTDIR, for differential testing of
crm_verify against Pacemaker's recorded verdicts (tests/data/crm_verify-mutations.tsv):
  NAME.q.xml  have-quorum flipped
  NAME.s.xml  stonith-enabled flipped (added as false when absent)
  NAME.n.xml  the first node_state removed
Usage: mutate_corpus.py CORPUS_XML_DIR OUTDIR"""
import glob
import os
import re
import sys


def variants(text):
    if re.search(r'have-quorum="(1|true)"', text):
        q = re.sub(r'have-quorum="(1|true)"', 'have-quorum="0"', text, count=1)
    else:
        q = re.sub(r'have-quorum="[^"]*"', 'have-quorum="1"', text, count=1)
    if re.search(r'name="stonith-enabled" value="(false|0|no)"', text):
        s = re.sub(r'(name="stonith-enabled" value=")(false|0|no)"', r'\1true"', text, count=1)
    elif 'name="stonith-enabled"' in text:
        s = re.sub(r'(name="stonith-enabled" value=")[^"]*"', r'\1false"', text, count=1)
    else:
        s = re.sub(r'(<cluster_property_set [^>]*>)',
                   r'\1<nvpair id="mut-se" name="stonith-enabled" value="false"/>', text, count=1)
    n = re.sub(r'<node_state [^>]*/>|<node_state .*?</node_state>', '', text, count=1, flags=re.S)
    return {'q': q, 's': s, 'n': n}


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(corpus, '*.xml'))):
        name = os.path.basename(path)[:-4]
        with open(path) as f:
            text = f.read()
        for kind, variant in variants(text).items():
            with open(os.path.join(out, f'{name}.{kind}.xml'), 'w') as f:
                f.write(variant)


if __name__ == '__main__':
    main()
