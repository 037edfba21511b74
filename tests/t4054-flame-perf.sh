#!/bin/bash
# SPDX-License-Identifier: MIT
# t4054-flame-perf.sh: pfold flame on perf.data recorded by system perf: group reads give every counter per frame.
test_description='flamegraph from perf.data with a {cpu-clock,page-faults} group'
. "$(dirname "$0")/test-lib.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"

# tooltip SVG NAME: the title lines of the widest frame NAME (a stray
# sample can put a thin one, under another caller, first in the file)
tooltip() {
	python3 - "$1" "$2" <<-\PY
	import re, sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	best, width = None, -1
	for g in ET.parse(sys.argv[1]).getroot().iter(ns + "g"):
	    t = g.find(ns + "title")
	    if t is None or t.text.split("\n")[0] != sys.argv[2]:
	        continue
	    w = int(re.match(r"[\d,]+", t.text.split("\n")[1]).group().replace(",", ""))
	    if w > width:
	        best, width = t.text, w
	if best:
	    print(best)
	PY
}

# share EVENT FILE: the percentage on the "EVENT: N (P%), self M" line
share() { sed -n "s/^$1: [0-9,]* (\([0-9.]*\)%).*/\1/p" "$2"; }

test_expect_success 'record cpu-clock with page-faults read in the same group' '
	perf record -q -e "{cpu-clock,page-faults}:S" -g -o perf.data -- "$WORKLOADS/allocs" 30 &&
	perf report -i perf.data --stdio -q --no-children --sort sym >report 2>/dev/null &&
	"$PFOLD" flame -i perf.data -o a.svg &&
	xmllint --noout a.svg &&
	grep -q "totals: cpu-clock [0-9,]*, page-faults [0-9,]*" a.svg
'

test_expect_success 'page faults land in the allocating function, not in compute' '
	tooltip a.svg alloc_touch >alloc.txt && cat alloc.txt &&
	tooltip a.svg compute >compute.txt && cat compute.txt &&
	pa=$(share page-faults alloc.txt) &&
	pc=$(share page-faults compute.txt) &&
	cc=$(share cpu-clock compute.txt) &&
	python3 -c "import sys; sys.exit(0 if $pa > 90 and $pc < 2 and $cc > 10 else 1)"
'

test_expect_success 'totals equal what perf script reads from the group (sum of periods)' '
	perf script -i perf.data -F event,period 2>/dev/null >script.txt &&
	for ev in cpu-clock page-faults; do
		want=$(awk -v ev="$ev:" "\$2 == ev { s += \$1 } END { print s + 0 }" script.txt) &&
		got=$(sed -n "s/.*totals: .*$ev \([0-9,]*\).*/\1/p" a.svg | tr -d ,) &&
		echo "$ev: pfold $got, perf script $want" &&
		test "$got" = "$want" || return 1
	done
'

test_expect_success 'perf report --group: member totals equal the fold columns' '
	perf report -i perf.data --group --stdio -q --no-children -g none --sort comm \
		-F period,comm 2>/dev/null >group.txt &&
	want=$(awk "{ a += \$1; b += \$2 } END { print a + 0, b + 0 }" group.txt) &&
	"$PFOLD" fold --all-events -i perf.data -o all.folded 2>/dev/null &&
	head -n 1 all.folded >header &&
	echo "# pfold-folded events=cpu-clock,page-faults" >header.want &&
	test_cmp header.want header &&
	got=$(awk "NR > 1 { a += \$(NF - 1); b += \$NF } END { print a + 0, b + 0 }" all.folded) &&
	echo "cpu-clock page-faults: pfold $got, perf report --group $want" &&
	test "$got" = "$want"
'

test_expect_success '-e page-faults folds the member alone, its total as perf script' '
	want=$(awk "\$2 == \"page-faults:\" { s += \$1 } END { print s + 0 }" script.txt) &&
	"$PFOLD" fold -e page-faults -i perf.data -o pf.folded 2>/dev/null &&
	got=$(awk "{ s += \$NF } END { print s + 0 }" pf.folded) &&
	echo "page-faults: pfold $got, perf script $want" &&
	test "$want" -gt 0 && test "$got" = "$want" &&
	grep "alloc_touch" pf.folded >/dev/null
'

test_done
