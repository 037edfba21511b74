#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# flame-oracle.py: an independent flamegraph.pl-style layout of a folded file, checked against a pfold SVG.
#
# usage: flame-oracle.py FOLDED SVG [--metric-col N] [--minwidth PX] [--width PX]
# Lays out FOLDED as flamegraph.pl does (sort the lines byte-wise, merge the
# common prefixes of consecutive stacks, width = count / total x (width - 20)),
# then checks the SVG: well-formed, every frame at least minwidth px wide is
# drawn at its place with its width (within 0.5 px) and its count in the
# tooltip; merged "[N narrow frames]" boxes hold exactly the total of the
# narrow frames they replace. Prints what it checked; exits 1 on a mismatch.
import re
import sys
import xml.etree.ElementTree as ET

args = sys.argv[1:]
folded, svgfile = args[0], args[1]
opts = dict(zip(args[2::2], args[3::2]))
col = int(opts.get('--metric-col', '0'))
minwidth = float(opts.get('--minwidth', '0.1'))
width = float(opts.get('--width', '1200'))
xpad = 10

lines = []
with open(folded, 'rb') as f:
    for raw in f:
        raw = raw.rstrip(b'\n')
        if not raw or raw.startswith(b'#'):
            continue
        m = re.match(rb'^(.*?)((?:\s+\d+)+)$', raw)
        stack, cols = m.group(1), m.group(2).split()
        lines.append((stack, int(cols[col])))
# flamegraph.pl sorts whole lines; for distinct stacks that is the order of "stack "
lines.sort(key=lambda sc: sc[0] + b' ')

nodes = []        # dicts: depth, name, start, count, parent
open_ = []        # open nodes, depth 1..
time = 0
last = []
for stack, v in lines:
    frames = stack.split(b';')
    same = 0
    while same < len(last) and same < len(frames) and last[same] == frames[same]:
        same += 1
    while len(open_) > same:
        n = open_.pop()
        n['count'] = time - n['start']
    for d in range(same, len(frames)):
        n = {'depth': d + 1, 'name': frames[d], 'start': time,
             'parent': open_[-1] if open_ else None}
        nodes.append(n)
        open_.append(n)
    time += v
    last = frames
while open_:
    n = open_.pop()
    n['count'] = time - n['start']
total = time
unit = (width - 2 * xpad) / total

tree = ET.parse(svgfile)   # raises on malformed XML
ns = '{http://www.w3.org/2000/svg}'
drawn = {}
narrow_boxes = []
for g in tree.getroot().iter(ns + 'g'):
    if g.get('class') not in ('f', 'f n'):
        continue
    title = g.find(ns + 'title').text.split('\n')
    rect = g.find(ns + 'rect')
    key = (int(g.get('data-d')), float(rect.get('x')))
    entry = (title, float(rect.get('width')), g)
    if g.get('class') == 'f n':
        narrow_boxes.append((int(g.get('data-d')), float(rect.get('x')), float(rect.get('width')), title))
    else:
        drawn.setdefault(key, []).append(entry)

bad = 0
checked = 0
outer_narrow = 0
for n in nodes:
    depth, name, start, count = n['depth'], n['name'], n['start'], n['count']
    if count == 0:
        continue
    w = count * unit
    x = round((xpad + start * unit) * 10) / 10
    if w < minwidth:
        if n['parent'] is None or n['parent']['count'] * unit >= minwidth:
            outer_narrow += count
        continue
    cands = drawn.get((depth, x), [])
    hit = [c for c in cands if c[0][0] == name.decode('utf-8', 'replace')]
    if not hit and len(cands) == 1:
        hit = cands    # bytes that are not UTF-8 are drawn as '?'
    if not hit:
        print('missing frame depth=%d x=%.1f name=%r count=%d' % (depth, x, name, count))
        bad += 1
        continue
    # cousins of the same name can meet at one x: take the closest width
    def tcount(c):
        return int(c[0][1].split(' ')[0].replace(',', ''))
    title, wpx, g = min(hit, key=lambda c: (abs(tcount(c) - count), abs(c[1] - w)))
    if abs(wpx - w) > 0.5:
        print('frame %r: width %.2f px, expected %.2f' % (name, wpx, w))
        bad += 1
    got = int(title[1].split(' ')[0].replace(',', ''))
    if got != count:
        print('frame %r: count %d in the tooltip, expected %d' % (name, got, count))
        bad += 1
    checked += 1
drawn_narrow = sum(int(t[1].split(' ')[0].replace(',', '')) for _, _, _, t in narrow_boxes)
# every narrow frame is in a merged box or, when its run was itself too thin,
# counted in its parent's tooltip: nothing vanishes
hidden = 0
for titles in drawn.values():
    for t, _, _ in titles:
        for line in t:
            m = re.match(r'^\+ ([\d,]+) in \d+ frames? narrower than', line)
            if m:
                hidden += int(m.group(1).replace(',', ''))
for d, x, w, t in narrow_boxes:
    if w < minwidth - 0.05:
        print('merged box at depth %d x=%.1f is %.2f px, under minwidth' % (d, x, w))
        bad += 1
ndrawn = sum(len(v) for v in drawn.values()) - 1    # the root "all"
if ndrawn != checked:
    print('the SVG has %d frames, flamegraph.pl would draw %d' % (ndrawn, checked))
    bad += 1
if drawn_narrow + hidden != outer_narrow:
    print('narrow frames hold %d; merged boxes %d + hidden %d' % (outer_narrow, drawn_narrow, hidden))
    bad += 1
print('frames checked: %d, merged boxes: %d (%d), hidden: %d, total %d' %
      (checked, len(narrow_boxes), drawn_narrow, hidden, total))
sys.exit(1 if bad else 0)
