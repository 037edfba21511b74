#!/bin/bash
# SPDX-License-Identifier: MIT
# t4002-fold-multi-column.sh: the multi-column folded form: header, columns, round trips.
test_description='multi-column folded files'
. "$(dirname "$0")/test-lib.sh"

T=$(printf '\t')

# column FILE EVENT: the single-event lines of EVENT's column of a 2-event file
column() {
	awk -v ev="$2" '
		NR == 1 { sub(/^# pfold-folded events=/, ""); n = split($0, names, ",");
			  for (i = 1; i <= n; i++) if (names[i] == ev) col = i; next }
		match($0, / [0-9]+ [0-9]+$/) {
			split(substr($0, RSTART + 1), c, " ");
			if (c[col] != 0) print substr($0, 1, RSTART - 1) " " c[col] }' "$1"
}

# Hand-made perf script text with two events; worked out by hand:
#   cpu-clock:   app;a 10+30, app;b 20        page-faults: app;a 1, app;c 2
test_expect_success 'two events fold to one column each, in first-seen order' '
	cat >in <<-EOF &&
	app 1 1.0: 10 cpu-clock:
	$T 1 a (/x)

	app 1 1.1: 1 page-faults:
	$T 1 a (/x)

	app 1 1.2: 20 cpu-clock:
	$T 1 b (/x)

	app 1 1.3: 2 page-faults:
	$T 1 c (/x)

	app 1 1.4: 30 cpu-clock:
	$T 1 a (/x)

	EOF
	"$PFOLD" fold --input perf-script --all-events -i in >multi &&
	cat >expect <<-EOF &&
	# pfold-folded events=cpu-clock,page-faults
	app;a 40 1
	app;b 20 0
	app;c 0 2
	EOF
	test_cmp expect multi
'

test_expect_success 'each column equals the single-event fold of that event (-e)' '
	for ev in cpu-clock page-faults; do
		"$PFOLD" fold --input perf-script -e $ev -i in >single.$ev || return 1
	done &&
	column multi cpu-clock >col.cpu-clock &&
	column multi page-faults >col.page-faults &&
	test_cmp single.cpu-clock col.cpu-clock &&
	test_cmp single.page-faults col.page-faults
'

test_expect_success 'a multi-column file reads back and writes the same bytes' '
	"$PFOLD" merge multi >again &&
	test_cmp multi again
'

test_expect_success 'a single-event file has no header and round-trips unchanged' '
	"$PFOLD" merge single.cpu-clock >again &&
	test_cmp single.cpu-clock again &&
	! grep "^#" single.cpu-clock
'

test_expect_success 'names with spaces and digits keep their columns apart' '
	printf "%s\n" "# pfold-folded events=a,b" "x 1;y z 2 3 4" >odd &&
	"$PFOLD" merge odd >again &&
	test_cmp odd again &&
	printf "%s\n" "x 1;y z 2 3" >odd1 &&
	"$PFOLD" merge odd1 >again &&
	test_cmp odd1 again
'

test_expect_success 'a line with too few columns is skipped with one warning' '
	printf "%s\n" "# pfold-folded events=a,b" "s;t 1 2" "u 5" "v x" >short &&
	"$PFOLD" merge short >out 2>err &&
	printf "%s\n" "# pfold-folded events=a,b" "s;t 1 2" >expect &&
	test_cmp expect out &&
	test_line_count = 1 err &&
	grep "skipped 2 lines that are not folded stacks (the first: line 3)" err
'

test_expect_success 'a bad header is an error naming the file and line' '
	printf "%s\n" "a 1" "# pfold-folded events=x,,y" "b 2" >badhdr &&
	test_must_fail "$PFOLD" merge badhdr 2>err &&
	grep "badhdr: line 2: bad event name" err
'

test_expect_success PERF 'a live two-event recording: --all-events columns match -e folds' '
	perf record -q -g -e cpu-clock,page-faults -o two.data \
		"$WORKLOADS/hotcold" 200 >/dev/null 2>&1 &&
	perf script -i two.data >two.txt 2>/dev/null &&
	"$PFOLD" fold --input perf-script --all-events -i two.txt >two.multi &&
	head -n 1 two.multi >hdr &&
	grep -E "^# pfold-folded events=(cpu-clock,page-faults|page-faults,cpu-clock)\$" hdr &&
	"$PFOLD" fold --input perf-script -e cpu-clock -i two.txt >two.cpu &&
	"$PFOLD" fold --input perf-script -e page-faults -i two.txt >two.pf &&
	column two.multi cpu-clock >col.cpu &&
	column two.multi page-faults >col.pf &&
	test_cmp two.cpu col.cpu &&
	test_cmp two.pf col.pf &&
	test -s two.pf
'

test_done
