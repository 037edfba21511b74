#!/bin/bash
# SPDX-License-Identifier: MIT
# t4003-merge.sh: pfold merge adds folded files: associative, totals add, forms mix.
test_description='pfold merge'
. "$(dirname "$0")/test-lib.sh"

# Hand-made inputs; a FlameGraph file's column is the event "samples".
test_expect_success 'setup' '
	printf "%s\n" "app;x 1" "app;y 2" >a &&
	printf "%s\n" "# pfold-folded events=samples,page-faults" "app;x 10 1" "app;z 5 0" >b &&
	printf "%s\n" "# pfold-folded events=page-faults,cpu-clock" "app;y 3 7" >c
'

# By hand: events in first-seen order samples,page-faults,cpu-clock;
# app;x = 1+10, 1, 0; app;y = 2, 3, 7; app;z = 5, 0, 0.
test_expect_success 'single and multi-column files merge by event name' '
	"$PFOLD" merge a b c >abc &&
	printf "%s\n" "# pfold-folded events=samples,page-faults,cpu-clock" \
		"app;x 11 1 0" "app;y 2 3 7" "app;z 5 0 0" >expect &&
	test_cmp expect abc
'

test_expect_success 'merge(a, merge(b, c)) == merge(merge(a, b), c)' '
	"$PFOLD" merge b c >bc &&
	"$PFOLD" merge a bc >left &&
	"$PFOLD" merge a b >ab &&
	"$PFOLD" merge ab c >right &&
	test_cmp left right &&
	test_cmp abc left
'

test_expect_success 'one-event inputs give a FlameGraph file; counts add' '
	"$PFOLD" merge a a - <a >aaa &&
	printf "%s\n" "app;x 3" "app;y 6" >expect &&
	test_cmp expect aaa
'

# A larger case: 400 stacks split at random over three files with random
# weights (awk, fixed seed); every way of merging gives the original back,
# and the totals of the parts add up to the total of the whole.
test_expect_success 'random splits: any grouping gives the whole, totals add' '
	awk "BEGIN { srand(42); for (i = 0; i < 400; i++) {
		s = \"r\"; d = 1 + int(rand() * 6);
		for (j = 0; j < d; j++) s = s \";f\" int(rand() * 9);
		print s, 1 + int(rand() * 1000) } }" |
		awk "{ w[\$1] += \$2 } END { for (k in w) print k, w[k] }" | LC_ALL=C sort >whole &&
	awk "BEGIN { srand(7) } {
		n = \$2; x = int(rand() * (n + 1)); y = int(rand() * (n - x + 1)); z = n - x - y;
		if (x) print \$1, x >\"p1\"; if (y) print \$1, y >\"p2\"; if (z) print \$1, z >\"p3\" }" whole &&
	"$PFOLD" merge p1 p2 p3 >m123 &&
	"$PFOLD" merge p2 p3 >m23 && "$PFOLD" merge p1 m23 >m1_23 &&
	"$PFOLD" merge p1 p2 >m12 && "$PFOLD" merge m12 p3 >m12_3 &&
	"$PFOLD" merge p3 p1 p2 >m312 &&
	test_cmp whole m123 &&
	test_cmp whole m1_23 &&
	test_cmp whole m12_3 &&
	test_cmp whole m312 &&
	cat p1 p2 p3 | awk "{ s += \$NF } END { print s }" >expect &&
	awk "{ s += \$NF } END { print s }" m123 >actual &&
	test_cmp expect actual
'

test_expect_success 'unparsable lines are skipped and counted in one warning per file' '
	printf "%s\n" "app;x 1" "garbage" "app;y 2.5" "" "# a comment" "app;y 2" >bad &&
	"$PFOLD" merge bad >out 2>err &&
	printf "%s\n" "app;x 1" "app;y 2" >expect &&
	test_cmp expect out &&
	test_line_count = 1 err &&
	grep "bad: skipped 2 lines that are not folded stacks (the first: line 2)" err
'

test_expect_success 'a count beyond 64 bits is an error naming file and line' '
	printf "%s\n" "app;x 1" "app;y 18446744073709551616" >big &&
	test_must_fail "$PFOLD" merge big 2>err &&
	grep "big: line 2: count overflows 64 bits" err &&
	printf "%s\n" "app;y 18446744073709551615" >max &&
	"$PFOLD" merge max >out &&
	test_cmp max out
'

test_expect_success 'a missing input and no input are errors (exit 2)' '
	test_must_fail "$PFOLD" merge no-such-file 2>err &&
	grep "cannot open .no-such-file." err &&
	test_must_fail "$PFOLD" merge 2>err &&
	grep "^usage: pfold merge" err
'

test_expect_success '-o writes the file' '
	"$PFOLD" merge a -o out.folded &&
	test_cmp a out.folded
'

test_done
