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
