#!/bin/bash
# SPDX-License-Identifier: MIT
# t2201-writer-full-disk.sh: a full disk gives a clear error and never a header that claims to be complete.
test_description='the writer on a full disk (a small tmpfs)'
. "$(dirname "$0")/test-lib.sh"

command -v mkperf >/dev/null 2>&1 || test_skip_all "tests/helpers/mkperf not built"
mkdir small &&
mount -t tmpfs -o size=64k tmpfs small 2>/dev/null ||
	test_skip_all "cannot mount a small tmpfs (needs root and mount permission)"
trap 'umount "$TRASH_DIRECTORY/small" 2>/dev/null' EXIT

test_expect_success 'a recording bigger than the disk fails with ENOSPC named' '
	test_expect_code 2 mkperf --kind hw-group --samples 5000 -o small/f.data 2>err &&
	grep -q "small/f.data: cannot write at offset [0-9]*: No space left on device" err &&
	test_line_count = 1 err
'

test_expect_success 'the failed file does not claim to be a perf.data file' '
	test -f small/f.data &&
	test "$(head -c 8 small/f.data | od -An -tx1 | tr -d " ")" = 0000000000000000
'

test_expect_success PERF 'perf refuses the failed file instead of reading part of it' '
	! perf report -i small/f.data --stats >out 2>&1 &&
	! grep -q "SAMPLE events" out
'

test_expect_success 'the same recording fits once space is freed' '
	rm -f small/f.data &&
	mkperf --kind hw-group --samples 50 -o small/f.data &&
	test "$(head -c 8 small/f.data)" = PERFILE2
'

test_expect_success 'a pipe to a full disk fails with the same clear error' '
	test_expect_code 2 mkperf --kind hw-group --pipe --samples 5000 -o small/p.data 2>err &&
	grep -q "No space left on device" err
'

umount small 2>/dev/null
trap - EXIT
test_done
