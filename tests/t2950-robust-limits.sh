#!/bin/bash
# SPDX-License-Identifier: MIT
# t2950-robust-limits.sh: each input limit holds: zstd bomb, record payload, callchain depth, perf-map line length, SVG frames under --minwidth, JSON nesting.
test_description='limits on hostile input'
. "$(dirname "$0")/test-lib.sh"

MK="$TEST_DIRECTORY/helpers/mkhostile.py"
command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to write the inputs"
command -v zstd >/dev/null 2>&1 && test_set_prereq ZSTD
[ -x /usr/bin/time ] && test_set_prereq GNU_TIME

# limited CMD...: run CMD with its peak RSS (KB) in rss; 10 s at most
limited() {
	if [ -x /usr/bin/time ]; then
		timeout 10 /usr/bin/time -o rss -f %M "$@"
	else
		echo 0 >rss; timeout 10 "$@"
	fi
}

test_expect_success ZSTD 'a zstd bomb (1 GiB in 33 KB, one COMPRESSED2 record) stops at the per-record limit' '
	head -c 1073741824 /dev/zero | zstd -q -19 -c >bomb.zst &&
	test $(wc -c <bomb.zst) -lt 60000 &&
	python3 "$MK" bomb bomb.zst bomb.data &&
	for cmd in dump fold; do
		test_expect_code 2 limited "$PFOLD" $cmd -i bomb.data >/dev/null 2>err &&
		grep -q "^pfold: bomb.data: .*limit at offset 16$" err &&
		test "$(tail -n 1 rss)" -lt 1048576 || { echo "$cmd: rss $(cat rss) KB"; cat err; exit 1; }
	done
'

test_expect_success 'a record announcing a 4 GiB payload is refused before any allocation' '
	python3 "$MK" payload pay.data &&
	test_expect_code 2 limited "$PFOLD" dump -i pay.data >/dev/null 2>err &&
	grep -q "^pfold: pay.data: .*too large at offset 16$" err &&
	test "$(tail -n 1 rss)" -lt 102400
'

test_expect_success 'callchains of 8,000 entries fold to at most 127 frames (perf script max-stack)' '
	python3 "$MK" deep 8000 deep.data &&
	"$PFOLD" dump -i deep.data | grep -c " type=SAMPLE " >n && test "$(cat n)" = 3 &&
	limited "$PFOLD" fold --addrs -i deep.data >deep.folded &&
	test_line_count -ge 1 deep.folded &&
	awk -F";" "NF > 128 { bad = 1 } END { exit bad }" deep.folded &&
	awk -F";" "NF < 100 { bad = 1 } END { exit bad }" deep.folded
'

test_expect_success PERF 'perf map: a 1 MiB line and 100,000 junk lines are skipped, the good entries still name' '
	perf record -q -g -o jit.data -- "$WORKLOADS/jitnames" 100000000 >pid &&
	map=/tmp/perf-$(cat pid).map &&
	cp $map good.map &&
	{ head -c 1048576 /dev/zero | tr "\0" a; echo; awk "BEGIN { for (i = 0; i < 100000; i++) print \"zz not a map line\" }"; cat good.map; } >$map &&
	limited "$PFOLD" fold -i jit.data >jit.folded 2>err;
	ret=$?; rm -f $map; test $ret = 0 &&
	grep -q ";<script>alert" jit.folded &&
	test "$(tail -n 1 rss)" -lt 512000
'

test_expect_success 'flamegraph: 100,000 narrow frames give a bounded SVG at the default --minwidth' '
	awk "BEGIN { print \"main;big;frame 10000000\"; for (i = 0; i < 100000; i++) printf \"main;narrow_%d;leaf_%d 1\n\", i, i }" >wide.folded &&
	limited "$PFOLD" flame -i wide.folded -o wide.svg &&
	test $(wc -c <wide.svg) -lt 1000000 &&
	test $(grep -c "<g" wide.svg) -lt 2000 &&
	limited "$PFOLD" flame --minwidth 5 -i wide.folded -o wide5.svg &&
	test $(grep -c "<g" wide5.svg) -le $(grep -c "<g" wide.svg) &&
	head -n 2001 wide.folded >some.folded &&
	"$PFOLD" flame --minwidth 0 -i some.folded -o all.svg &&
	test $(grep -c "narrow_" all.svg) -ge 2000
'

test_expect_success 'JSON nested 100,000 deep: exit 2 naming the depth limit, no stack overflow' '
	python3 -c "print(\"[\" * 100000 + \"]\" * 100000)" >deep.json &&
	test_expect_code 2 limited "$PFOLD" check deep.json deep.json >/dev/null 2>err &&
	grep -q "^pfold: .*deep.json.*nested deeper than 64 levels at offset 64" err &&
	python3 -c "print(\"{\\\"a\\\":\" * 100000 + \"1\" + \"}\" * 100000)" >deepobj.json &&
	test_expect_code 2 "$PFOLD" check deepobj.json deepobj.json >/dev/null 2>err &&
	grep -q "nested deeper than 64 levels" err
'

test_done
