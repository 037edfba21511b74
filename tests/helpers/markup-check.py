#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# markup-check.py: checks that hostile names stay text in pfold's XML/SVG and JSON outputs (t4900).
"""usage:
  markup-check.py xml BENIGN.xml HOSTILE.xml NAME...
      both parse as XML; HOSTILE has no element tag, attribute name or
      processing instruction that BENIGN lacks (a name never became markup),
      and each NAME occurs in HOSTILE's text or attribute values as text
  markup-check.py json FILE NAME...
      FILE parses as strict JSON and each NAME is one of its strings, or is
      contained in one"""
import json
import sys
import xml.etree.ElementTree as ET


def shape(path):
    tags, attrs, texts = set(), set(), []
    for _, el in ET.iterparse(path, events=("start",)):
        tags.add(el.tag)
        for k, v in el.attrib.items():
            attrs.add(k)
            texts.append(v)
        if el.text:
            texts.append(el.text)
        if el.tail:
            texts.append(el.tail)
    return tags, attrs, texts


def strings(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, list):
        for x in v:
            strings(x, out)
    elif isinstance(v, dict):
        for k, x in v.items():
            out.append(k)
            strings(x, out)
    return out


def main():
    a = sys.argv[1:]
    bad = 0
    if a[0] == "xml":
        btags, battrs, _ = shape(a[1])
        htags, hattrs, texts = shape(a[2])
        if htags - btags:
            print("new elements:", sorted(htags - btags)); bad = 1
        if hattrs - battrs:
            print("new attributes:", sorted(hattrs - battrs)); bad = 1
        names = a[3:]
    elif a[0] == "json":
        def no_const(c):
            raise ValueError("not strict JSON: " + c)
        texts = strings(json.load(open(a[1], encoding="utf-8"), parse_constant=no_const), [])
        names = a[2:]
    else:
        print(__doc__); sys.exit(2)
    for n in names:
        if not any(n in t for t in texts):
            print("name not found as text: %r" % n); bad = 1
    sys.exit(bad)


main()
