#!/bin/bash
# SPDX-License-Identifier: MIT
# t1004-record-signals.sh: SIGINT/SIGTERM mid-run finish a valid file; a full disk fails cleanly.
test_description='pfold record under signals and on a full disk'
. "$(dirname "$0")/test-lib.sh"

"$PFOLD" record -e cpu-clock -o .probe.data -- true 2>/dev/null ||
	test_skip_all "pfold record cannot open cpu-clock here"
W="$WORKLOADS/hotcold"

test_expect_success 'SIGINT to pfold: forwarded, exit 130, the file is finished' '
	"$PFOLD" record -e cpu-clock -g -o int.data -- "$W" 20000 & pid=$! &&
	wait_until has_perf_events $pid && sleep 0.5 &&
	kill -INT $pid &&
	test_expect_code 130 wait $pid &&
	test "$(head -c 8 int.data)" = PERFILE2
'

test_expect_success PERF 'perf reads the interrupted recording' '
	perf script -i int.data >int.script 2>int.err &&
	grep -q "leaf+0x" int.script &&
	! grep -i -E "error|corrupt|invalid" int.err
'

test_expect_success 'SIGTERM to pfold: forwarded, exit 143, the file is finished' '
	"$PFOLD" record -e cpu-clock -o term.data -- "$W" 20000 & pid=$! &&
	wait_until has_perf_events $pid && sleep 0.3 &&
	kill -TERM $pid &&
	test_expect_code 143 wait $pid &&
	test "$(head -c 8 term.data)" = PERFILE2
'

test_expect_success 'a command that ignores SIGINT keeps running and is recorded to its end' '
	rm -f ign.ready &&
	"$PFOLD" record -e cpu-clock -o ign.data -- sh -c "trap \"\" INT; : >ign.ready; \"$W\" 400; exit 3" & pid=$! &&
	# signal only once the command ignores SIGINT: a loaded machine may
	# take longer than any fixed sleep to get there
	wait_until test -e ign.ready &&
	kill -INT $pid &&
	test_expect_code 3 wait $pid &&
	test "$(head -c 8 ign.data)" = PERFILE2
'

test_expect_success PERF 'SIGINT ends a -p recording; the target keeps running' '
	"$W" 20000 &
	target=$!
	wait_until grep -qx hotcold /proc/$target/comm &&
	{ "$PFOLD" record -e cpu-clock -p $target -o p.data & } &&
	pid=$! &&
	wait_until has_perf_events $pid && sleep 0.5 &&
	kill -INT $pid &&
	wait $pid &&
	kill -0 $target &&
	kill $target &&
	perf script -i p.data | grep -q "^ *hotcold "
'

test_expect_success 'pfold record -- true: no one-second poll at exit' '
	for i in 1 2 3 4 5; do
		s=$(date +%s%N) && "$PFOLD" record -e cpu-clock -o t.data -- true && e=$(date +%s%N) &&
		echo $(( (e - s) / 1000000 ))
	done | sort -n >ms &&
	echo "pfold record -- true, ms: $(tr "\n" " " <ms)" &&
	test "$(sed -n 3p ms)" -lt 200
'

test_expect_success 'record -o -: the pipe'"'"'s reader going away stops the recording and the command' '
	s=$(date +%s) &&
	{ "$PFOLD" record -e cpu-clock -o - -- sleep 60 2>err; echo $? >status; } | true &&
	e=$(date +%s) &&
	cat err &&
	test "$(cat status)" = 2 &&
	test $((e - s)) -lt 30 &&
	grep -q "^pfold: (stdout): the reader of the pipe is gone; recording stopped" err &&
	! pgrep -x -f "sleep 60" >/dev/null
'

test_expect_success 'a full disk (a small tmpfs): error 2 naming ENOSPC, no complete-looking header' '
	mkdir small &&
	if ! mount -t tmpfs -o size=32k tmpfs small 2>/dev/null; then
		echo "# cannot mount a small tmpfs here (needs root): skipped"; exit 0
	fi
	test_expect_code 2 "$PFOLD" record -e cpu-clock -g -o small/full.data -- "$W" 1500 2>err
	status=$?
	head -c 8 small/full.data | od -An -tx1 | tr -d " " >magic
	umount small
	cat err &&
	test $status = 0 &&
	test_line_count = 1 err &&
	grep -q "^pfold: small/full.data: .*No space left on device" err &&
	test "$(cat magic)" = 0000000000000000
'

test_done
