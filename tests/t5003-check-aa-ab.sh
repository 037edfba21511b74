#!/bin/bash
# SPDX-License-Identifier: MIT
# t5003-check-aa-ab.sh: check -- CMD: A/A passes, +15% is a regression, +5% is not (short version of bench/check-aa-ab.sh).
test_description='pfold check against fresh runs'
. "$(dirname "$0")/test-lib.sh"

# hotcold ROUNDS: the CPU cost is proportional to ROUNDS (400 -> 460 is +15%)
A="$WORKLOADS/hotcold 400"

test_expect_success PERF 'a baseline of hotcold 400' '
	"$PFOLD" stat -r 5 -o base.json -- $A 2>err
'

test_expect_success PERF 'A/A: 5 checks against its own baseline give no regression' '
	regressions=0 &&
	for i in 1 2 3 4 5; do
		"$PFOLD" check base.json -r 5 -- $A >out.$i 2>err.$i
		rc=$?
		case $rc in
		0) ;;
		1) regressions=$((regressions + 1)) ;;
		*) cat err.$i; exit 1 ;;
		esac
	done &&
	echo "regressions: $regressions" &&
	test $regressions = 0 &&
	grep -q "^metric:    " out.1
'

# ab ROUNDS: 3 trials, each a fresh baseline of hotcold 400 then a check of
# hotcold ROUNDS right after it (this VM's speed drifts by up to 20% over
# tens of seconds: a baseline from the start of the file would measure the
# drift); prints how many trials found a regression, and keeps the last out
ab() {
	found=0
	for trial in 1 2 3; do
		"$PFOLD" stat -r 5 -o ab-base.json -- $A >/dev/null 2>err || { cat err; return 1; }
		"$PFOLD" check ab-base.json -r 5 -- "$WORKLOADS/hotcold" "$1" >out 2>err
		case $? in
		0) ;;
		1) grep -q "^verdict:   regression" out && found=$((found + 1)) ;;
		*) cat err; return 1 ;;
		esac
	done
	echo $found
}

test_expect_success PERF 'A/B: +15% (hotcold 460) is a regression, exit 1 (in 2 trials of 3 at least)' '
	found=$(ab 460) &&
	echo "regression found in $found of 3" &&
	test "$found" -ge 2
'

test_expect_success PERF 'A/B: +5% (hotcold 420) with a 10% threshold is not, exit 0 (in 2 trials of 3 at least)' '
	found=$(ab 420) &&
	echo "regression found in $found of 3" &&
	test "$found" -le 1
'

test_expect_success PERF 'a check run names the metric task-clock and why when there is no PMU' '
	if grep -q "\"pmu\": false" base.json; then
		grep -q "^metric:    task-clock (no hardware PMU" out
	else
		grep -q "^metric:    instructions" out
	fi
'

test_expect_success PERF '--save writes the current report; a failing command is an error, not a pass' '
	"$PFOLD" check base.json -r 2 --save cur.json -- $A >out &&
	grep -q "\"format\": \"pfold-report/1\"" cur.json &&
	test_must_fail "$PFOLD" check base.json -r 2 -- false >out 2>err &&
	grep -q "exited with status 1" err &&
	test ! -s out
'

test_done
