#!/bin/bash
# SPDX-License-Identifier: MIT
# t1005-record-lost-buildid-names.sh: lost samples counted as perf counts them, BUILD_ID entries, event names in pipes.
test_description='pfold record: lost-sample warning = perf'"'"'s count, build ids = readelf, pipe event names'
. "$(dirname "$0")/test-lib.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"
"$PFOLD" record -e cpu-clock -o .probe.data -- true 2>/dev/null ||
	test_skip_all "pfold record cannot open cpu-clock here"
W="$WORKLOADS/hotcold"

# perf_lost FILE: "SAMPLES RECORDS": the lost counts of FILE's LOST/LOST_SAMPLES records, as perf dumps them
perf_lost() {
	perf script -D -i "$1" 2>/dev/null |
	awk '/PERF_RECORD_LOST(_SAMPLES)?[: ]/ {
		if ($0 ~ /PERF_RECORD_LOST:/) r++
		if (match($0, /lost:? *[0-9]+/)) { v = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", v); s += v }
	} END { print s + 0, r + 0 }'
}

# build_id FILE: the GNU build id readelf finds in FILE's notes
build_id() {
	readelf -n "$1" | awk '/Build ID:/ { print $3; exit }'
}

test_expect_success 'a 1-page buffer and a slow consumer lose samples; pfold reports what perf counts' '
	PFOLD_TEST_DRAIN_DELAY_MS=40 "$PFOLD" record -e task-clock -c 20000 -g -m 1 \
		-o lost.data -- "$W" 200 2>lost.err &&
	cat lost.err &&
	set -- $(perf_lost lost.data) &&
	echo "perf: lost $1 samples in $2 LOST records" &&
	test "$2" -gt 0 &&
	perf report --stats -i lost.data 2>/dev/null | grep -q "LOST events: *$2 " &&
	grep -q "^pfold: warning: lost $1 samples ($2 LOST records); use a larger -m or a lower -F$" lost.err
'

test_expect_success 'the same in pipe mode' '
	PFOLD_TEST_DRAIN_DELAY_MS=40 "$PFOLD" record -e task-clock -c 20000 -g -m 1 \
		-o - -- "$W" 200 >lostp.data 2>lostp.err &&
	set -- $(perf_lost lostp.data) &&
	test "$2" -gt 0 &&
	grep -q "^pfold: warning: lost $1 samples ($2 LOST records); use" lostp.err
'

test_expect_success 'no loss, no warning' '
	"$PFOLD" record -e cpu-clock -F 99 -o ok.data -- "$W" 50 2>ok.err &&
	test "$(perf_lost ok.data)" = "0 0" &&
	! grep -q "lost" ok.err
'

test_expect_success 'BUILD_ID: perf buildid-list shows the workload with the build id readelf gives' '
	id=$(build_id "$W") && test -n "$id" &&
	"$PFOLD" record -e cpu-clock -g -o b.data -- "$W" 50 &&
	perf buildid-list -i b.data >b.ids &&
	cat b.ids &&
	grep -q "^$id $W\$" b.ids &&
	libc=$(awk "/libc\\.so/ { print \$2; exit }" b.ids) && test -n "$libc" &&
	grep -q "^$(build_id "$libc") $libc\$" b.ids
'

test_expect_success 'BUILD_ID in pipe mode (HEADER_BUILD_ID records)' '
	id=$(build_id "$W") &&
	"$PFOLD" record -e cpu-clock -o - -- "$W" 50 >bp.data &&
	perf buildid-list -i - <bp.data >bp.ids &&
	grep -q "^$id $W\$" bp.ids
'

test_expect_success 'BUILD_ID for -p (mappings synthesized from /proc: build ids read from the files)' '
	sleep 2 & pid=$! &&
	"$PFOLD" record -e cpu-clock -p $pid -o bpid.data &&
	perf buildid-list -i bpid.data >bpid.ids &&
	cat bpid.ids &&
	sl=$(readlink -f "$(command -v sleep)") &&
	grep -q "^$(build_id "$sl") $sl\$" bpid.ids
'

test_expect_success 'BUILD_ID for the kernel matches perf record'"'"'s' '
	perf record -q -e cpu-clock -o pk.data -- true 2>/dev/null &&
	perf buildid-list -i pk.data | grep "\[kernel.kallsyms\]" >pk.ids || { echo "# perf wrote no kernel build id"; exit 0; }
	grep -F -x -f pk.ids b.ids
'

test_expect_success 'pipe mode: perf script -i - shows the real event names (EVENT_UPDATE)' '
	"$PFOLD" record -e cpu-clock,task-clock:u -o - -- "$W" 50 >n.data &&
	perf script -i - <n.data >n.script 2>n.err &&
	head -n 3 n.script &&
	grep -q " cpu-clock: " n.script &&
	grep -q " task-clock:u: " n.script &&
	! grep -q -E "(cpu|task)-clock:u?k?u?H: " n.script
'

test_expect_success TRACEFS 'pipe mode: a tracepoint is named, not "unknown tracepoint"' '
	"$PFOLD" record -e sched:sched_switch -e cpu-clock -o - -- sh -c "sleep 0.05; exec \"$W\" 30" >tp.data &&
	perf script -i - <tp.data >tp.script 2>tp.err &&
	grep -q " sched:sched_switch: " tp.script &&
	! grep -i "unknown tracepoint" tp.script tp.err
'

test_done
