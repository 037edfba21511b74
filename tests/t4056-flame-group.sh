#!/bin/bash
# SPDX-License-Identifier: MIT
# t4056-flame-group.sh: a synthetic perf.data with cycles + cache-misses group samples: exact counter vectors per frame.
test_description='flamegraph counter vectors from group reads (synthetic hardware recording)'
. "$(dirname "$0")/test-lib.sh"

MKPERF="$HELPERS/mkperf"
[ -x "$MKPERF" ] || test_skip_all "tests/helpers/mkperf is not built"

# tooltip SVG NAME: the title lines of the first frame NAME
tooltip() {
	python3 - "$1" "$2" <<-\PY
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	for g in ET.parse(sys.argv[1]).getroot().iter(ns + "g"):
	    t = g.find(ns + "title")
	    if t is not None and t.text.split("\n")[0] == sys.argv[2]:
	        print(t.text)
	        break
	PY
}

test_expect_success 'a group recording of cycles and cache-misses (pfold writer)' '
	"$MKPERF" --kind hw-group --samples 200 --seed 7 -o hw.data --expect hw.expect &&
	"$PFOLD" flame -i hw.data -o hw.svg &&
	xmllint --noout hw.svg
'

# by hand: mkperf --expect lists each member's delta per sample (the
# cumulative group values it wrote, differenced); sum them per stack (pid/tid
# and addresses) and compare with every line pfold folds
sum_expect() {
	python3 - "$@" <<-\PY
	import collections, re, sys
	exp, folded, events = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
	samples = sys.argv[4:] == ["--samples"]
	want = collections.defaultdict(collections.Counter)
	entries = []
	for line in open(exp):
	    f = line.split()
	    if f[0] == "S":
	        entries.append([f[1] + "/" + f[2], [], f[5], int(f[6])])
	    elif f[0] == "C":
	        entries[-1][1].append(f[1])
	for root, chain, ev, delta in entries:
	    if ev in events:
	        want[root + ";" + ";".join(reversed(chain))][ev] += 1 if samples else delta
	got = collections.defaultdict(collections.Counter)
	for line in open(folded):
	    if line.startswith("# pfold-folded events="):
	        if line.strip().split("=", 1)[1].split(",") != events:
	            sys.exit("columns: " + line.strip())
	        continue
	    stack, *vals = line.rsplit(" ", len(events))
	    frames = stack.split(";")
	    key = ";".join([re.sub(r"^.*-(\d+/\d+)$", r"\1", frames[0])] +
	                   [re.sub(r"^\[.* <([0-9a-f]+)>\]$", r"\1", x) for x in frames[1:]])
	    for e, v in zip(events, vals):
	        got[key][e] += int(v)
	bad = [k for k in set(want) | set(got) if +want[k] != +got[k]]
	for k in bad[:3]:
	    print("differs:", k, "want", dict(want[k]), "pfold", dict(got[k]))
	print(len(got), "stacks; pfold", {e: sum(c[e] for c in got.values()) for e in events},
	      "; by hand", {e: sum(c[e] for c in want.values()) for e in events}, ";", len(bad), "differ")
	sys.exit(1 if bad or len(got) < 10 else 0)
	PY
}

test_expect_success 'fold --all-events: per stack, the sum of each member delta' '
	"$PFOLD" fold --all-events --tid --addrs -i hw.data -o all.folded 2>/dev/null &&
	sum_expect hw.expect all.folded cycles,cache-misses
'

test_expect_success 'the same from the other byte order and from pipe mode' '
	"$MKPERF" --kind hw-group --swap --samples 100 --seed 9 -o sw.data --expect sw.expect &&
	"$PFOLD" fold --all-events --tid --addrs -i sw.data -o sw.folded 2>/dev/null &&
	sum_expect sw.expect sw.folded cycles,cache-misses &&
	"$MKPERF" --kind hw-group --pipe --samples 100 --seed 11 -o pp.data --expect pp.expect &&
	"$PFOLD" fold --all-events --tid --addrs --input perf-data -i - <pp.data >pp.folded 2>/dev/null &&
	sum_expect pp.expect pp.folded cycles,cache-misses
'

test_expect_success 'fold -e cache-misses: the member alone; default: the leader' '
	"$PFOLD" fold -e cache-misses --tid --addrs -i hw.data -o cm.folded 2>/dev/null &&
	sum_expect hw.expect cm.folded cache-misses &&
	"$PFOLD" fold --tid --addrs -i hw.data -o cy.folded 2>/dev/null &&
	sum_expect hw.expect cy.folded cycles
'

test_expect_success 'fold --weight samples: one per delivered member sample' '
	"$PFOLD" fold --all-events --weight samples --tid --addrs -i hw.data -o s.folded 2>/dev/null &&
	sum_expect hw.expect s.folded cycles,cache-misses --samples
'

# the oracle: system perf reading the same file: per comm, the sum of each
# member's period (the counter delta of the group read)
test_expect_success PERF 'each process frame carries both counters, exactly as perf reads them' '
	perf script -i hw.data -F comm,event,period 2>/dev/null >script.txt &&
	for comm in mkperf-hot worker; do
		for ev in cycles cache-misses; do
			want=$(awk -v c="$comm" -v ev="$ev:" "\$1 == c && \$3 == ev { s += \$2 } END { print s + 0 }" script.txt) &&
			got=$(tooltip hw.svg "$comm" | sed -n "s/^$ev: \([0-9,]*\) .*/\1/p" | tr -d ,) &&
			echo "$comm $ev: pfold $got, perf $want" &&
			test "$want" -gt 0 && test "$got" = "$want" || return 1
		done
	done
'

test_expect_success 'the ratios of the two counters appear in the tooltip' '
	tooltip hw.svg all >all.txt && cat all.txt &&
	grep "^cache-misses: [0-9,]* (100.00%)" all.txt &&
	"$PFOLD" flame -i hw.data --color-by cache-misses/cycles -o c.svg &&
	grep -q "id=\"legend-scale\"" c.svg
'

test_done
