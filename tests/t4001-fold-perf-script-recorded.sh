#!/bin/bash
# SPDX-License-Identifier: MIT
# t4001-fold-perf-script-recorded.sh: perf script text of real recordings (made now by the system perf) folds right.
test_description='fold perf script output of live recordings'
. "$(dirname "$0")/test-lib.sh"

if ! test_have_prereq PERF; then
	test_skip_all "perf record does not work here (no perf, or perf_event_paranoid)"
fi

# hotcold: main -> hot (3 units) | cold (1 unit) -> leaf. DWARF call graphs:
# the fp build's leaf() keeps no frame pointer, so fp chains skip hot/cold.
# 20 kHz: at perf's default 4 kHz the 0.25 ms sampling period is close to
# one hot+cold round (0.4 ms) and the ratio wanders by +-0.3 between runs.
test_expect_success 'record hotcold with call graphs and dump it with perf script' '
	perf record -q -F 20000 --call-graph dwarf,1024 -e cpu-clock -o hc.data \
		"$WORKLOADS/hotcold" 1500 >/dev/null 2>&1 &&
	perf script -i hc.data >hc.txt 2>/dev/null &&
	grep -q "cpu-clock:" hc.txt &&
	"$PFOLD" fold --input perf-script -i hc.txt >hc.folded 2>err &&
	test -s hc.folded
'

test_expect_success 'hot;leaf weighs 3.0 +- 0.2 times cold;leaf' '
	awk "/;hot;leaf( |;)/ { h += \$NF } /;cold;leaf( |;)/ { c += \$NF }
	     END { r = c ? h / c : 0; printf \"hot %d cold %d ratio %.3f\\n\", h, c, r;
		   exit !(r >= 2.8 && r <= 3.2) }" hc.folded >ratio
'
test -s ratio && say "$(cat ratio)"

# Oracle: the weights and sample counts read straight from perf script's
# sample header lines ("comm tid time: PERIOD cpu-clock:").
test_expect_success 'the total weight is the sum of the periods perf script prints' '
	awk "/ cpu-clock: *\$/ { for (i = 1; i < NF; i++) if (\$(i + 1) == \"cpu-clock:\") s += \$i }
	     END { print s }" hc.txt >expect &&
	awk "{ s += \$NF } END { print s }" hc.folded >actual &&
	test_cmp expect actual
'

test_expect_success '--weight samples counts every sample once' '
	grep -c " cpu-clock: *\$" hc.txt >expect &&
	"$PFOLD" fold --input perf-script --weight samples -i hc.txt |
		awk "{ s += \$NF } END { print s }" >actual &&
	test_cmp expect actual
'

test_expect_success 'every stack starts at the comm and no line is skipped' '
	! grep -v "^hotcold[; ]" hc.folded &&
	! grep "warning" err
'

test_expect_success 'folding from stdin gives the same bytes as from the file' '
	"$PFOLD" fold --input perf-script <hc.txt >stdin.folded &&
	test_cmp hc.folded stdin.folded
'

# Rule: the root frame is the comm with its spaces turned into "_", however
# many words the comm has (the sample header pattern keeps it whole).
test_expect_success 'a process whose comm has spaces folds under comm_with_underscores' '
	perf record -q -g -e cpu-clock -o sp.data -- sh -c \
		"printf \"a b c\" >/proc/\$\$/comm; i=0; while [ \$i -lt 300000 ]; do i=\$((i + 1)); done" \
		>/dev/null 2>&1 &&
	perf script -i sp.data >sp.txt 2>/dev/null &&
	grep -q "^a b c " sp.txt &&
	"$PFOLD" fold --input perf-script -i sp.txt >sp.folded &&
	grep -q "^a_b_c;" sp.folded &&
	! grep "^a[; ]" sp.folded &&
	awk "/^a b c / { for (i = 1; i < NF; i++) if (\$(i + 1) == \"cpu-clock:\") s += \$i }
	     END { print s }" sp.txt >expect &&
	awk "/^a_b_c[; ]/ { s += \$NF } END { print s }" sp.folded >actual &&
	test_cmp expect actual
'

# Rule: with "PID/TID" in the header (perf script -F comm,pid,tid,...),
# --tid roots are comm-PID/TID and --pid roots comm-PID; the oracle is perf's
# own pid and tid fields.
test_expect_success '--pid and --tid on perf script -F comm,pid,tid output' '
	perf record -q -g -e cpu-clock -o fp.data "$WORKLOADS/hotcold" 100 >/dev/null 2>&1 &&
	perf script -i fp.data -F comm,pid,tid,time,period,event,ip,sym,dso >fp.txt 2>/dev/null &&
	perf script -i fp.data -F comm,pid,tid 2>/dev/null |
		awk "{ split(\$2, a, \"/\"); print \$1 \"-\" a[1] \"/\" a[2] }" | sort -u >expect &&
	"$PFOLD" fold --input perf-script --tid -i fp.txt | sed "s/[; ].*//" | sort -u >actual &&
	test_cmp expect actual &&
	sed "s|/.*||" expect | sort -u >expect.pid &&
	"$PFOLD" fold --input perf-script --pid -i fp.txt | sed "s/[; ].*//" | sort -u >actual.pid &&
	test_cmp expect.pid actual.pid
'

test_done
