#!/bin/bash
# SPDX-License-Identifier: MIT
# t4004-fold-filters.sh: frame rules --include, --exclude, --collapse, --rename, and bad patterns.
test_description='PCRE2 frame rules on folded stacks'
. "$(dirname "$0")/test-lib.sh"

T=$(printf '\t')
fold() { "$PFOLD" fold --input perf-script -i in "$@" >out; }

# Three stacks, worked out by hand (root first, sorted):
#   app;main;helper;memcpy 2    app;main;other 4    app;main;rec;rec;leaf 1
test_expect_success 'setup and the unfiltered fold' '
	cat >in <<-EOF &&
	app 1 1.0: 1 cpu-clock:
	$T 1 leaf (/x)
	$T 2 rec (/x)
	$T 3 rec (/x)
	$T 4 main (/x)

	app 1 1.1: 2 cpu-clock:
	$T 1 memcpy (/x)
	$T 2 helper (/x)
	$T 3 main (/x)

	app 1 1.2: 4 cpu-clock:
	$T 1 other (/x)
	$T 2 main (/x)

	EOF
	fold &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;other 4" "app;main;rec;rec;leaf 1" >expect &&
	test_cmp expect out
'

test_expect_success '--include keeps stacks with a matching frame (several: any)' '
	fold --include "^mem" &&
	echo "app;main;helper;memcpy 2" >expect &&
	test_cmp expect out &&
	fold --include "^mem" --include "^lea" &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;rec;rec;leaf 1" >expect &&
	test_cmp expect out
'

test_expect_success '--exclude drops stacks with a matching frame; with --include' '
	fold --exclude rec &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;other 4" >expect &&
	test_cmp expect out &&
	fold --include main --exclude "^oth" &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;rec;rec;leaf 1" >expect &&
	test_cmp expect out
'

test_expect_success '--collapse ends the stack at the first match: recursion and subtrees fold' '
	fold --collapse "^rec\$" &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;other 4" "app;main;rec 1" >expect &&
	test_cmp expect out &&
	fold --collapse "^main\$" &&
	echo "app;main 7" >expect &&
	test_cmp expect out
'

test_expect_success '--rename rewrites names: first match, g, i, $1, other delimiters' '
	fold --rename "s/^rec\$/R/" &&
	printf "%s\n" "app;main;R;R;leaf 1" >expect.r &&
	grep "R;R" out >got.r &&
	test_cmp expect.r got.r &&
	fold --rename "s/e/E/g" &&
	printf "%s\n" "app;main;hElpEr;mEmcpy 2" "app;main;othEr 4" "app;main;rEc;rEc;lEaf 1" >expect &&
	test_cmp expect out &&
	fold --rename "s/e/E/" &&
	printf "%s\n" "app;main;hElper;mEmcpy 2" "app;main;othEr 4" "app;main;rEc;rEc;lEaf 1" >expect &&
	test_cmp expect out &&
	fold --rename "s|^M(.*)\$|<\$1>|i" &&
	printf "%s\n" "app;<ain>;helper;<emcpy> 2" "app;<ain>;other 4" "app;<ain>;rec;rec;leaf 1" >expect &&
	test_cmp expect out
'

test_expect_success 'rules run in order rename, collapse, exclude, include' '
	fold --collapse "^loop\$" --rename "s/^rec\$/loop/" &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;loop 1" "app;main;other 4" >expect &&
	test_cmp expect out &&
	fold --exclude "^leaf\$" --collapse "^rec\$" &&
	printf "%s\n" "app;main;helper;memcpy 2" "app;main;other 4" "app;main;rec 1" >expect &&
	test_cmp expect out
'

test_expect_success 'renamed frames that become equal add up' '
	fold --rename "s/^(helper|other)\$/X/" --collapse "^X\$" &&
	printf "%s\n" "app;main;X 6" "app;main;rec;rec;leaf 1" >expect &&
	test_cmp expect out
'

# PCRE2's own reason and offset (offsets count from the start of the option's text)
test_expect_success 'bad patterns: exit 2, one line naming the pattern, reason and offset' '
	test_must_fail "$PFOLD" fold --input perf-script -i in --include "(foo" 2>err &&
	test_line_count = 1 err &&
	grep "^pfold: bad pattern .(foo.: missing closing parenthesis at offset 4\$" err &&
	test_must_fail "$PFOLD" fold --input perf-script -i in --exclude "[z-a]" 2>err &&
	grep "^pfold: bad pattern .\[z-a\].: range out of order in character class at offset 3\$" err &&
	test_must_fail "$PFOLD" fold --input perf-script -i in --rename "s/a(/b/" 2>err &&
	grep "^pfold: bad pattern .s/a(/b/.: missing closing parenthesis at offset 4\$" err &&
	test_must_fail "$PFOLD" fold --input perf-script -i in --rename "s/a/b" 2>err &&
	grep "^pfold: bad pattern .s/a/b.: missing ./. after the replacement at offset 5\$" err &&
	test_must_fail "$PFOLD" fold --input perf-script -i in --collapse "a{2,1}" 2>err &&
	grep "at offset 5\$" err
'

test_done
