#!/bin/bash
# SPDX-License-Identifier: MIT
# t1003-record-group.sh: a group sampled on its leader carries every member's count in each sample.
test_description='group reads: {cpu-clock,page-faults} samples carry both counts'
. "$(dirname "$0")/test-lib.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"
"$PFOLD" record -e cpu-clock -o .probe.data -- true 2>/dev/null ||
	test_skip_all "pfold record cannot open cpu-clock here"

test_expect_success 'record a group' '
	"$PFOLD" record -e "{cpu-clock,page-faults}:S" -o g.data -- "$WORKLOADS/hotcold" 200 2>err &&
	! grep -q "independently" err &&
	perf evlist -v -i g.data >evlist &&
	test $(grep -c "sample_type: .*READ" evlist) = 2 &&
	test $(grep -c "read_format: ID|GROUP" evlist) = 2
'

# perf's dump: one "TIME LEADER_VALUE MEMBER_VALUE" line per sample
test_expect_success 'perf finds both members in every sample' '
	perf report -D -i g.data 2>/dev/null >dump &&
	awk "function hex(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index(\"0123456789abcdef\", substr(s, i, 1)) - 1; return v }
	     /PERF_RECORD_SAMPLE/ { for (i = 2; i <= NF; i++) if (\$i ~ /^0x/) { t = \$(i - 1); break }; n = 0; next }
	     /group nr/ { nr = \$NF }
	     /\\.\\.\\.\\.\\. id / { v[++n] = hex(\$NF); if (n == 2) printf \"%s %.0f %.0f %s\\n\", t, v[1], v[2], nr }" dump >perf.values &&
	test $(wc -l <perf.values) -gt 50 &&
	awk "\$4 != 2 { exit 1 }" perf.values &&
	test $(grep -c PERF_RECORD_SAMPLE dump) = $(wc -l <perf.values)
'

test_expect_success 'the counts behave: the leader grows, page faults are counted' '
	awk "\$2 <= 0 || \$3 < 0 { exit 1 }" perf.values &&
	# the counters are per CPU: a sample on a CPU where no fault happened reads 0
	last=$(awk "\$3 > m { m = \$3 } END { print m + 0 }" perf.values) &&
	faults=$(perf stat -x, -e page-faults -- "$WORKLOADS/hotcold" 1 2>&1 >/dev/null | cut -d, -f1) &&
	echo "largest page-faults value $last, perf stat: $faults" &&
	test "$last" -gt 0 &&
	test "$last" -le $((faults * 3))
'

test_expect_success 'pfold dump reads back exactly the values perf reads' '
	"$PFOLD" dump --help >/dev/null 2>&1 || { echo "# no pfold dump"; exit 0; }
	"$PFOLD" dump -i g.data >pdump &&
	sed -n "s/.* time=\\([0-9]*\\) .*read={nr=2 \\[id=[0-9]* value=\\([0-9]*\\)\\] \\[id=[0-9]* value=\\([0-9]*\\)\\]}.*/\\1 \\2 \\3 2/p" pdump >ours.values &&
	sed "s/^\\([0-9]*\\)/\\1/" perf.values | sort >a &&
	sort ours.values >b &&
	test_cmp a b
'

test_expect_success 'perf report --group shows both columns' '
	perf report -i g.data --stdio --group >rep 2>&1 &&
	grep -q "anon group { cpu-clock, page-faults }" rep
'

test_done
