#!/bin/bash
# SPDX-License-Identifier: MIT
# t1001-record-perf-reads.sh: perf script and perf report read every kind of file pfold record writes.
test_description='perf reads what pfold record writes (fp, dwarf, events, group, tracepoint, pipe, -a, -p)'
. "$(dirname "$0")/test-lib.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"
"$PFOLD" record -e cpu-clock -o .probe.data -- true 2>/dev/null ||
	test_skip_all "pfold record cannot open cpu-clock here"
W="$WORKLOADS/hotcold"

# perf_reads FILE: perf script and perf report read FILE without complaint and find samples
perf_reads() {
	perf script -i "$1" >"$1.script" 2>"$1.err" &&
	test -s "$1.script" &&
	! grep -i -E "error|invalid|corrupt|unsupported|failed|bad" "$1.err" &&
	perf report -i "$1" --stdio --no-children >"$1.report" 2>>"$1.err" &&
	grep -q "^# Samples: " "$1.report"
}

test_expect_success 'fp callchains (-g)' '
	"$PFOLD" record -e cpu-clock -g -o fp.data -- "$W" 100 &&
	perf_reads fp.data &&
	grep -q "	 *[0-9a-f]* leaf+0x" fp.data.script &&
	grep -q "	 *[0-9a-f]* main+0x" fp.data.script
'

test_expect_success 'dwarf callchains (--call-graph dwarf): perf unwinds through hot/cold' '
	"$PFOLD" record -e cpu-clock --call-graph dwarf -o dw.data -- "$WORKLOADS/hotcold-nofp" 100 &&
	perf_reads dw.data &&
	perf evlist -v -i dw.data | grep -q "REGS_USER|STACK_USER" &&
	grep -E -q "	 *[0-9a-f]* (hot|cold)\+0x" dw.data.script
'

test_expect_success 'dwarf with a stack size (--call-graph dwarf,4096)' '
	"$PFOLD" record -e cpu-clock --call-graph dwarf,4096 -o dw4.data -- "$W" 50 &&
	perf evlist -v -i dw4.data | grep -q "sample_stack_user: 4096" &&
	perf_reads dw4.data
'

test_expect_success 'several independent events' '
	"$PFOLD" record -e cpu-clock,task-clock -e page-faults -o ev.data -- "$W" 100 &&
	perf_reads ev.data &&
	perf evlist -i ev.data >evlist &&
	printf "cpu-clock\ntask-clock\npage-faults\n" >expect &&
	test_cmp expect evlist &&
	grep -q " cpu-clock:" ev.data.script &&
	grep -q " task-clock:" ev.data.script &&
	grep -q " page-faults:" ev.data.script
'

test_expect_success 'a group {cpu-clock,page-faults}' '
	"$PFOLD" record -e "{cpu-clock,page-faults}" -g -o grp.data -- "$W" 100 &&
	perf_reads grp.data &&
	perf report -i grp.data --stdio --group >grp.report 2>&1 &&
	grep -q "^# Samples: .* of events* .anon group { cpu-clock, page-faults }" grp.report
'

test_expect_success TRACEFS 'a tracepoint (sched:sched_switch) with its format' '
	"$PFOLD" record -e sched:sched_switch -a -o tp.data -- sleep 0.2 &&
	perf_reads tp.data &&
	grep -q "sched:sched_switch: prev_comm=.* prev_pid=[0-9]* .*==> next_comm=" tp.data.script
'

test_expect_success 'pipe mode (-o -): perf script -i - reads the stream; the command writes to stderr' '
	"$PFOLD" record -e cpu-clock -g -o - -- sh -c "echo from-the-\$0; exec \"$W\" 100" command >pipe.data 2>pipe.err &&
	grep -q from-the-command pipe.err &&
	! grep -q from-the-command pipe.data &&
	perf script -i - <pipe.data >pipe.script 2>pipe.perr &&
	grep -q "leaf+0x" pipe.script &&
	"$PFOLD" record -e cpu-clock -o - -- "$W" 50 | perf report -i - --stdio >pipe.report 2>&1 &&
	grep -q "^# Samples: " pipe.report
'

test_expect_success 'system wide (-a) sees other processes' '
	"$W" 400 & pid=$! &&
	"$PFOLD" record -e cpu-clock -a -o a.data -- sleep 0.3 &&
	wait $pid &&
	perf_reads a.data &&
	grep -q "^ *hotcold " a.data.script
'

test_expect_success 'attach (-p PID): COMM and maps of a running process come from /proc' '
	"$W" 600 & pid=$! &&
	wait_until grep -qx hotcold /proc/$pid/comm &&
	"$PFOLD" record -e cpu-clock -g -p $pid -o p.data &&
	perf_reads p.data &&
	grep -q "^hotcold  *$pid " p.data.script &&
	grep -q "leaf+0x.*(.*hotcold)" p.data.script
'

test_expect_success 'a -p process that does not exist is error 2' '
	test_must_fail "$PFOLD" record -e cpu-clock -p 999999999 -o nop.data 2>err &&
	grep -q "no process 999999999" err
'

test_expect_success 'perf and pfold fold agree on >= 99% of the weight (symbolized stacks)' '
	"$PFOLD" fold --help >/dev/null 2>&1 || { echo "# no pfold fold yet"; exit 0; }
	"$PFOLD" record -e cpu-clock -g -o f.data -- "$WORKLOADS/hotcold" 200 &&
	"$PFOLD" fold -i f.data >ours.folded &&
	perf script -i f.data | "$PFOLD" fold --input perf-script >perf.folded &&
	awk "FNR==NR { n=\$NF; \$NF=\"\"; a[\$0]+=n; ta+=n; next }
	     { n=\$NF; \$NF=\"\"; b[\$0]+=n; tb+=n }
	     END { for (k in a) if (k in b) same += (a[k] < b[k] ? a[k] : b[k]);
		   r = same / (ta > tb ? ta : tb); print r; exit !(r >= 0.99) }" ours.folded perf.folded
'

test_done
