#!/bin/bash
# SPDX-License-Identifier: MIT
# t4901-safe-write-errors.sh: fold, flame, script and dump on a full disk (/dev/full, a small tmpfs), a closed stdout and a broken pipe: a clear message and a nonzero exit, never success.
test_description='write errors of the commands that print or write files'
. "$(dirname "$0")/test-lib.sh"

command -v mkperf >/dev/null 2>&1 || test_skip_all "tests/helpers/mkperf not built"

# big.data: 3,000 samples (script and dump print about 1 MB of it);
# big.folded: 4,000 distinct stacks (its SVG is well over 64 KiB);
# big.txt: the same stacks as perf script text (fold's output is over 64 KiB)
mkperf --kind hw-group --samples 3000 --seed 5 -o big.data >/dev/null || exit 1
awk 'BEGIN { for (i = 0; i < 4000; i++) printf "main;caller_%d;callee_of_%d_with_a_long_name %d\n", i, i, i + 1 }' >big.folded
awk 'BEGIN { for (i = 0; i < 4000; i++)
	printf "prog 1 [000] %d.000000: 1 cpu-clock:\n\t%x callee_of_%d_with_a_long_name+0x1 (/bin/prog)\n\t%x caller_%d+0x2 (/bin/prog)\n\t%x main+0x3 (/bin/prog)\n\n", i, 4096 + i, i, 8192 + i, i, 12288 }' >big.txt

# expect_write_error WHAT CMD...: CMD exits 2 with one "pfold: ... write error/No space/..." line
expect_write_error() {
	what=$1; shift
	"$@" 2>err
	rc=$?
	if [ $rc != 2 ]; then echo "$what: exit $rc, wanted 2"; cat err; return 1; fi
	grep -v "warning:" err >msg
	test_line_count = 1 msg &&
	grep -q -E "^pfold: .*(No space left on device|Bad file descriptor|write error|Broken pipe)" msg ||
		{ echo "$what: unclear message:"; cat err; return 1; }
}

test_expect_success '/dev/full as standard output and as -o' '
	test -w /dev/full || exit 0
	expect_write_error "fold >" "$PFOLD" fold -i big.txt >/dev/full &&
	expect_write_error "fold -o" "$PFOLD" fold -i big.txt -o /dev/full &&
	expect_write_error "fold perf.data" "$PFOLD" fold -i big.data >/dev/full &&
	expect_write_error "flame >" "$PFOLD" flame -i big.folded >/dev/full &&
	expect_write_error "flame -o" "$PFOLD" flame -i big.folded -o /dev/full &&
	expect_write_error "script" "$PFOLD" script -i big.data >/dev/full &&
	expect_write_error "dump" "$PFOLD" dump -i big.data >/dev/full
'

test_expect_success 'a closed standard output' '
	expect_write_error "fold" "$PFOLD" fold -i big.txt >&- &&
	expect_write_error "flame" "$PFOLD" flame -i big.folded >&- &&
	expect_write_error "script" "$PFOLD" script -i big.data >&- &&
	expect_write_error "dump" "$PFOLD" dump -i big.data >&-
'

# a reader that goes away: with SIGPIPE ignored the write fails with EPIPE and
# pfold must say so and exit 2; with SIGPIPE default it dies of it (141)
test_expect_success 'a broken pipe: exit 2 with EPIPE named, or death by SIGPIPE; never 0' '
	for cmd in "dump -i big.data" "script -i big.data" "flame -i big.folded" "fold -i big.txt"; do
		(trap "" PIPE; $PFOLD $cmd 2>err | head -c 10 >/dev/null; echo "${PIPESTATUS[0]}" >rc) &&
		test "$(cat rc)" = 2 &&
		grep -q "^pfold: .*Broken pipe" err || { echo "ignored SIGPIPE: $cmd: exit $(cat rc)"; cat err; exit 1; }
		($PFOLD $cmd 2>/dev/null | head -c 10 >/dev/null; echo "${PIPESTATUS[0]}" >rc) &&
		test "$(cat rc)" != 0 || { echo "default SIGPIPE: $cmd: exit 0"; exit 1; }
	done
'

"$PFOLD" record -e cpu-clock -o probe.data -- true >/dev/null 2>&1 && test_set_prereq PFOLD_RECORD

test_expect_success PFOLD_RECORD 'record -o - into a reader that goes away: exit 2 with EPIPE named' '
	(trap "" PIPE; "$PFOLD" record -F 4000 -e cpu-clock -g -o - -- "$WORKLOADS/hotcold" 1500 2>err |
		head -c 1000 >/dev/null; echo "${PIPESTATUS[0]}" >rc) &&
	test "$(cat rc)" = 2 &&
	grep -q "^pfold: .*Broken pipe" err &&
	("$PFOLD" record -F 4000 -e cpu-clock -g -o - -- "$WORKLOADS/hotcold" 1500 2>/dev/null |
		head -c 1000 >/dev/null; echo "${PIPESTATUS[0]}" >rc) &&
	test "$(cat rc)" != 0
'

test_expect_success PFOLD_RECORD 'record -o /dev/full: exit 2 and a message, not the command status' '
	test -w /dev/full || exit 0
	test_expect_code 2 "$PFOLD" record -e cpu-clock -g -o /dev/full -- "$WORKLOADS/hotcold" 300 2>err &&
	grep -q "^pfold: .*No space left on device" err
'

mkdir small
if mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
	test_set_prereq SMALLFS
	trap 'umount "$TRASH_DIRECTORY/small" 2>/dev/null' EXIT
fi

test_expect_success SMALLFS 'a 64 KiB tmpfs: -o and > fail with ENOSPC, then work with room' '
	expect_write_error "flame -o" "$PFOLD" flame -i big.folded -o small/g.svg &&
	rm -f small/* &&
	expect_write_error "flame >" "$PFOLD" flame -i big.folded >small/g.svg &&
	rm -f small/* &&
	expect_write_error "fold -o" "$PFOLD" fold -i big.txt -o small/f.folded &&
	rm -f small/* &&
	expect_write_error "script" "$PFOLD" script -i big.data >small/s.txt &&
	rm -f small/* &&
	expect_write_error "dump" "$PFOLD" dump -i big.data >small/d.txt &&
	rm -f small/* &&
	head -n 100 big.folded >small.folded &&
	"$PFOLD" flame -i small.folded -o small/ok.svg &&
	grep -q "</svg>" small/ok.svg
'

test_done
