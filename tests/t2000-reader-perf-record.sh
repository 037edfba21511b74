#!/bin/bash
# SPDX-License-Identifier: MIT
# t2000-reader-perf-record.sh: pfold dump reads what the system perf records, in every mode, as perf reads it.
test_description='the reader against perf report --stats, perf report -D and perf script'
. "$(dirname "$0")/test-lib.sh"

ORACLE="$TEST_DIRECTORY/helpers/reader-oracle.py"
HOTCOLD="$WORKLOADS/hotcold"
command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON3

# check_file FILE: counts per type equal perf report --stats; every sample's
# pid, tid, time, ip, period, cpu and callchain equal perf report -D's raw
# dump; the delivery order and fields equal perf script's.
check_file() {
	f=$1
	perf report -i "$f" --stats >perf-stats 2>/dev/null &&
	"$PFOLD" dump -i "$f" --stats >pfold-stats &&
	python3 "$ORACLE" stats perf-stats pfold-stats &&
	perf report -D -i "$f" >perf-raw 2>/dev/null &&
	"$PFOLD" dump -i "$f" >pfold-dump &&
	python3 "$ORACLE" rawd perf-raw pfold-dump &&
	# with leader sampling perf script adds one line per group member
	# whose count moved (deliver_sample_group): -D is the oracle there
	if [ "$2" = group ]; then return 0; fi &&
	fields=pid,tid,time,period,ip &&
	if grep -q " type=SAMPLE .* cpu=" pfold-dump; then fields=$fields,cpu; fi &&
	perf script -i "$f" --ns -F $fields -G >perf-script 2>/dev/null &&
	python3 "$ORACLE" script perf-script pfold-dump
}

test_expect_success PERF,PYTHON3 'frame-pointer callchains (-g)' '
	perf record -q -g -o fp.data -- "$HOTCOLD" >/dev/null 2>&1 &&
	check_file fp.data &&
	grep -q " type=SAMPLE .*callchain=\[0xffffffffffff" pfold-dump
'

# header lines pfold prints in perf report --header-only's own words
header_lines() {
	grep -E "^# (hostname|os release|perf version|arch|nrcpus online|nrcpus avail|cpudesc|cpuid|total memory|cmdline|pmu mappings|compressed) ?:" |
	sed "s/ *$//"
}

test_expect_success PERF 'the header and features equal perf report --header-only' '
	test -f fp.data || exit 0
	perf report --header-only -i fp.data 2>/dev/null | header_lines >perf-header &&
	"$PFOLD" dump --header -i fp.data | header_lines >pfold-header &&
	test_line_count -ge 11 perf-header &&
	test_cmp perf-header pfold-header
'

test_expect_success PERF,PYTHON3 'dwarf callchains (--call-graph dwarf): regs and stack decoded' '
	perf record -q --call-graph dwarf,4096 -o dwarf.data -- "$HOTCOLD" >/dev/null 2>&1 &&
	check_file dwarf.data &&
	grep -q " type=SAMPLE .*user_regs={abi=2 mask=0xff0fff \[" pfold-dump &&
	grep -q " type=SAMPLE .*user_stack={size=4096 dyn_size=[1-9]" pfold-dump
'

test_expect_success PERF,PYTHON3 'several events (-e cpu-clock,page-faults): attrs resolved by id' '
	perf record -q -e cpu-clock,page-faults -g -o multi.data -- "$HOTCOLD" >/dev/null 2>&1 &&
	check_file multi.data &&
	grep -q " type=SAMPLE .*event=cpu-clock " pfold-dump &&
	grep -q " type=SAMPLE .*event=page-faults " pfold-dump &&
	perf script -i multi.data -F event 2>/dev/null | sed "s/[: ]//g" | sort | uniq -c >perf-events &&
	sed -n "s/.* type=SAMPLE .* event=\([^ ]*\) .*/\1/p" pfold-dump | sort | uniq -c >pfold-events &&
	test_cmp perf-events pfold-events
'

test_expect_success PERF,PYTHON3 'a group with PERF_SAMPLE_READ ({cpu-clock,page-faults}:S): read values' '
	perf record -q -e "{cpu-clock,page-faults}:S" -g -o group.data -- "$HOTCOLD" >/dev/null 2>&1 &&
	check_file group.data group &&
	grep -q " type=SAMPLE .* read={nr=2 \[id=[0-9]* value=[0-9]* lost=0\] \[id=" pfold-dump &&
	grep -q "^\.\.\.\.\. id " perf-raw
'

test_expect_success PERF,PYTHON3 'zstd compression (-z): COMPRESSED records inflated' '
	perf record -q -z -g -o z.data -- "$HOTCOLD" >/dev/null 2>&1 &&
	check_file z.data &&
	grep -q "^ *COMPRESSED events: *[1-9]" pfold-stats &&
	grep -q "^offset=[0-9]*(z) type=SAMPLE" pfold-dump
'

test_expect_success PERF,PYTHON3 'pipe mode (-o -) read from stdin' '
	perf record -q -g -o - -- "$HOTCOLD" >pipe.data 2>/dev/null &&
	perf report -i - --stats <pipe.data >perf-stats 2>/dev/null &&
	cat pipe.data | "$PFOLD" dump -i - --stats >pfold-stats &&
	python3 "$ORACLE" stats perf-stats pfold-stats &&
	perf report -D -i - <pipe.data >perf-raw 2>/dev/null &&
	cat pipe.data | "$PFOLD" dump -i - >pfold-dump &&
	python3 "$ORACLE" rawd perf-raw pfold-dump &&
	perf script -i - --ns -F pid,tid,time,period,ip -G <pipe.data >perf-script 2>/dev/null &&
	python3 "$ORACLE" script perf-script pfold-dump &&
	"$PFOLD" dump -i pipe.data >pfold-dump2 &&
	test_cmp pfold-dump pfold-dump2 &&
	cat pipe.data | "$PFOLD" dump -i - --header >header &&
	grep -q "^# mode : pipe" header &&
	grep -q "^# hostname : " header
'

test_expect_success PERF,PYTHON3 'system-wide (-a): cpu field, many threads, time order' '
	# perf 6.1 itself sometimes aborts on a machine-wide recording made while
	# other tests start and end processes: record again (at most 3 times)
	# until the oracle reads the file
	for try in 1 2 3; do
		perf record -q -a -g -o a.data -- sleep 0.2 >/dev/null 2>&1 &&
		perf report -i a.data --stats >/dev/null 2>&1 &&
		perf report -D -i a.data >/dev/null 2>&1 &&
		perf script -i a.data --ns -G >/dev/null 2>&1 && break
		echo "perf could not record or read a.data (try $try)"
	done &&
	check_file a.data &&
	grep -q " type=SAMPLE .* cpu=" pfold-dump
'

test_expect_success PERF,PYTHON3 'a file read from a pipe in file mode (cat perf.data |)' '
	test -f fp.data || exit 0
	cat fp.data | "$PFOLD" dump -i - >from-pipe &&
	"$PFOLD" dump -i fp.data >from-file &&
	test_cmp from-file from-pipe
'

command -v mkperf >/dev/null 2>&1 && test_set_prereq MKPERF

test_expect_success PERF,MKPERF 'the clockid line equals perf --header-only (res_ns * 1000, as perf prints it)' '
	mkperf --kind hw-group -o ck.data &&
	perf report --header-only -i ck.data 2>/dev/null | grep "^# clockid frequency" >perf-ck &&
	"$PFOLD" dump --header -i ck.data | grep "^# clockid frequency" >pfold-ck &&
	test_line_count = 1 perf-ck &&
	test_cmp perf-ck pfold-ck
'

# event_names FILE ORACLE: the names perf script gives ORACLE's samples,
# and pfold dump's samples and attr list for FILE
event_names() {
	perf script -i - -F event <"$2" 2>/dev/null | sed -n "s/^ *\([^ :]*\): *$/\1/p" | sort -u >perf-names &&
	"$PFOLD" dump -i - <"$1" | sed -n "s/.* type=SAMPLE .* event=\([^ ]*\) .*/\1/p" | sort -u >pfold-names &&
	"$PFOLD" dump --header -i - <"$1" | sed -n "s/^# attr [0-9]* : event=\([^ ]*\) .*/\1/p" | sort -u >pfold-attrs &&
	test_line_count = 2 perf-names &&
	test_cmp perf-names pfold-attrs &&
	# a group with leader sampling: samples carry the leader's id
	test -s pfold-names &&
	comm -23 pfold-names perf-names >unknown-names &&
	test_line_count = 0 unknown-names
}

test_expect_success PERF,MKPERF,PYTHON3 'pipe mode: a later EVENT_DESC names the attrs (samples and attr list)' '
	mkperf --kind hw-group --pipe -o names.data &&
	event_names names.data names.data &&
	# without the EVENT_UPDATE names only EVENT_DESC (after the attrs) names them
	python3 "$TEST_DIRECTORY/helpers/reader-mutate.py" names.data desc-only.data pipe-drop 78 &&
	! "$PFOLD" dump -i desc-only.data | grep -q " type=EVENT_UPDATE" &&
	event_names desc-only.data desc-only.data &&
	# perf 6.1 leaves a swapped pipe file at cycles:ku: the same file in
	# host order is the oracle
	mkperf --kind hw-group --pipe --swap -o names-swap.data &&
	event_names names-swap.data names.data &&
	python3 "$TEST_DIRECTORY/helpers/reader-mutate.py" names-swap.data desc-only-swap.data pipe-drop 78 &&
	! "$PFOLD" dump -i desc-only-swap.data | grep -q " type=EVENT_UPDATE" &&
	event_names desc-only-swap.data names.data
'

test_expect_success MKPERF 'a file already in time order reads in file order, and --stats says so' '
	mkperf --kind branch --samples 3000 -o so.data &&
	"$PFOLD" dump --stats -i so.data >so-stats &&
	grep -q "time order: file order already was" so-stats &&
	"$PFOLD" dump -i so.data >so-ordered &&
	"$PFOLD" dump --unordered -i so.data >so-file &&
	# rounds come where they are read, ahead of what the queue still holds
	grep -v -e " type=FINISHED_ROUND " -e " type=FINISHED_INIT " so-file >so-file.timed &&
	grep -v -e " type=FINISHED_ROUND " -e " type=FINISHED_INIT " so-ordered >so-ordered.timed &&
	test_cmp so-file.timed so-ordered.timed &&
	sed -n "s/.* type=SAMPLE .* time=\([0-9]*\) .*/\1/p" so-ordered >so-times &&
	test_line_count = 3000 so-times &&
	sort -n so-times | test_cmp so-times - &&
	"$PFOLD" dump --stats --unordered -i so.data >so-stats2 &&
	! grep -q "time order" so-stats2
'

# pfold dump's branch_stack={...} in perf script -F brstack's words
brstack_awk='
/ type=SAMPLE .*branch_stack=/ {
	line = ""
	s = $0
	while (match(s, /\[from=[^]]*\]/)) {
		n = split(substr(s, RSTART + 1, RLENGTH - 2), kv, /[ =]/)
		for (i = 1; i < n; i += 2) f[kv[i]] = kv[i + 1]
		line = line f["from"] "/" f["to"] "/" (f["mispred"] ? "M" : f["predicted"] ? "P" : "-") "/" \
			(f["in_tx"] ? "X" : "-") "/" (f["abort"] ? "A" : "-") "/" f["cycles"] "/  "
		s = substr(s, RSTART + RLENGTH)
	}
	sub(/ *$/, "", line)
	print line
}'

# file mode only: perf 6.1 leaves the flags of a swapped pipe-mode file
# unconverted (all 0); t2202 checks that case against mkperf's values
test_expect_success PERF,MKPERF 'other byte order: branch flags and cycles as perf script -F brstack' '
	mkperf --kind branch --swap -o br.data &&
	perf script -i br.data -F brstack 2>/dev/null | sed "s/^ *//; s/ *$//" >perf-br &&
	"$PFOLD" dump -i br.data | awk "$brstack_awk" >pfold-br &&
	test_line_count -gt 10 perf-br &&
	grep -q "/M/" perf-br && grep -q "/P/X/" perf-br && grep -q "/A/[1-9]" perf-br &&
	test_cmp perf-br pfold-br
'

if test_have_prereq PERF && ! test_have_prereq TRACEFS && [ "$(id -u)" = 0 ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null &&
	[ -r /sys/kernel/tracing/events/sched/sched_switch/id ] && test_set_prereq TRACEFS
fi

test_expect_success PERF,TRACEFS,PYTHON3 'a tracepoint (sched:sched_switch): named from the header' '
	perf record -q -e sched:sched_switch -a -o tp.data -- sleep 0.2 >/dev/null 2>&1 &&
	check_file tp.data &&
	grep -q " type=SAMPLE .*event=sched:sched_switch .*raw_size=[1-9]" pfold-dump &&
	"$PFOLD" dump -i tp.data --header >header &&
	id=$(cat /sys/kernel/tracing/events/sched/sched_switch/id) &&
	grep -q "^# tracepoint : id=$id sched:sched_switch$" header
'

test_done
