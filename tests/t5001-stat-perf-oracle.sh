#!/bin/bash
# SPDX-License-Identifier: MIT
# t5001-stat-perf-oracle.sh: report.json counter values equal `perf stat -x,` values within 1% (runs in pairs).
test_description='pfold stat against perf stat'
. "$(dirname "$0")/test-lib.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to read the reports"

# median of the values of EVENT in the reports FILE...
report_median() {
	ev=$1; shift
	python3 - "$ev" "$@" <<-\PY
	import json, statistics, sys
	vals = []
	for f in sys.argv[2:]:
	    for e in json.load(open(f))["events"]:
	        if e["name"] == sys.argv[1]:
	            vals += e["values"]
	print(statistics.median(vals))
	PY
}

# paired_within EVENT N: runs i of the two tools ran back to back (r.i.json,
# p.i): the median of the N ratios pfold/perf is within 1% of 1. Pairs cancel
# this VM's speed drift, which moves CPU times by up to 20% over tens of
# seconds, far more than 1%; a ratio of two medians did not.
paired_within() {
	python3 - "$1" "$2" <<-\PY
	import json, statistics, sys
	ev, n = sys.argv[1], int(sys.argv[2])
	ratios = []
	for i in range(1, n + 1):
	    ours = [v for e in json.load(open("r.%d.json" % i))["events"] if e["name"] == ev for v in e["values"]]
	    theirs = [float(l.split(",")[0]) for l in open("p.%d" % i) if l.count(",") >= 2 and l.split(",")[2] == ev]
	    if ours and theirs and theirs[0]:
	        ratios.append(ours[0] / theirs[0])
	m = statistics.median(ratios) if len(ratios) == n else float("nan")
	print("%s: median pfold/perf ratio of %d pairs: %.4f" % (ev, len(ratios), m))
	sys.exit(0 if abs(m - 1) <= 0.01 else 1)
	PY
}

# compare EVENTS on the command CMD...: 7 runs of each tool, in pairs; a
# machine shared with other jobs may disturb one round, so up to 3 rounds
compare() {
	events=$1; shift
	for round in 1 2 3; do
		rm -f p.* r.*
		for i in 1 2 3 4 5 6 7; do
			perf stat -x, -e "$events" -o p.$i -- "$@" >/dev/null 2>&1 || return 1
			"$PFOLD" stat -r 1 -e "$events" -o r.$i.json -- "$@" >/dev/null 2>&1 || return 1
		done
		good=1
		for ev in $(echo "$events" | tr , " "); do
			paired_within "$ev" 7 || good=
		done
		test -n "$good" && return 0
		echo "round $round: not within 1%, again"
	done
	return 1
}

test_expect_success PERF 'page-faults: 20000 fresh pages touched (perf stat -x, within 1%)' '
	compare page-faults "$WORKLOADS/pagetouch" 20000
'

test_expect_success PERF 'the page-fault count is the number of pages plus start-up (the workload is what it says)' '
	v=$(report_median page-faults r.*.json) &&
	python3 -c "import sys; v = float(sys.argv[1]); sys.exit(0 if 20000 <= v <= 20300 else 1)" "$v"
'

test_expect_success PERF 'context-switches: 1000 sleeps (perf stat -x, within 1%)' '
	compare context-switches "$WORKLOADS/pagetouch" 0 1000
'

test_expect_success PERF 'task-clock: a CPU loop of about 0.1 s (perf stat -x, within 1%)' '
	compare task-clock "$WORKLOADS/pagetouch" 0 0 80
'

test_expect_success PERF 'page-faults and context-switches counted together' '
	compare page-faults,context-switches "$WORKLOADS/pagetouch" 5000 500
'

test_done
