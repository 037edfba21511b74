#!/bin/bash
# SPDX-License-Identifier: MIT
# t1002-record-shape.sh: known-shape workloads recorded by pfold give their split (perf script counts).
test_description='hotcold recorded by pfold splits hot:cold 3:1 +-5%'
. "$(dirname "$0")/test-lib.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"
"$PFOLD" record -e cpu-clock -o .probe.data -- true 2>/dev/null ||
	test_skip_all "pfold record cannot open cpu-clock here"

# split FILE: "HOT COLD" sample counts of stacks through hot() and cold(), by perf script
split() {
	perf script -i "$1" -F ip,sym 2>/dev/null |
	awk 'NF == 0 { if (s != "") print s; s = ""; next } { s = s " " $2 } END { if (s != "") print s }' |
	awk '/ hot( |$)/ { h++ } / cold( |$)/ { c++ } END { print h + 0, c + 0 }'
}

# within_3_to_1 HOT COLD: hot's share is 75% +- 5 points, with enough samples
within_3_to_1() {
	echo "hot=$1 cold=$2"
	awk -v h="$1" -v c="$2" 'BEGIN { n = h + c; if (n < 100) exit 1; r = h / n; print "hot share " r; exit !(r > 0.70 && r < 0.80) }'
}

test_expect_success 'fp callchains (-g, hotcold): hot:cold = 3:1' '
	"$PFOLD" record -e cpu-clock -g -o fp.data -- "$WORKLOADS/hotcold" 1500 &&
	within_3_to_1 $(split fp.data)
'

test_expect_success 'dwarf callchains (hotcold-nofp, no frame pointers): hot:cold = 3:1' '
	"$PFOLD" record -e cpu-clock --call-graph dwarf -o dw.data -- "$WORKLOADS/hotcold-nofp" 1500 &&
	within_3_to_1 $(split dw.data)
'

test_expect_success 'period sampling (-c): hot:cold = 3:1' '
	"$PFOLD" record -e task-clock -c 250000 -g -o c.data -- "$WORKLOADS/hotcold" 1000 &&
	perf evlist -v -i c.data | grep -q "sample_period, sample_freq }: 250000" &&
	within_3_to_1 $(split c.data)
'

# rate FILE: samples per second of FILE's time span
# samples per second of CPU time (a cpu-clock period is CPU nanoseconds):
# unlike a rate per wall-clock second, it does not drop when the machine is busy
rate() {
	perf script -i "$1" -F period | awk '{ s += $1; n++ } END { if (s > 0) print n / (s / 1e9); else print 0 }'
}

test_expect_success '-F sets the frequency; the sample rate is perf record -F'"'"'s' '
	"$PFOLD" record -e cpu-clock -F 199 -o f.data -- "$WORKLOADS/hotcold" 800 &&
	perf evlist -v -i f.data | grep -q "sample_period, sample_freq }: 199" &&
	perf record -q -e cpu-clock -F 199 -o pf.data -- "$WORKLOADS/hotcold" 800 &&
	ours=$(rate f.data) && theirs=$(rate pf.data) &&
	echo "pfold $ours/s, perf $theirs/s" &&
	awk -v a="$ours" -v b="$theirs" "BEGIN { exit !(b > 0 && a / b > 0.5 && a / b < 2) }"
'

test_done
