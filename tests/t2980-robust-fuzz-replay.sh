#!/bin/bash
# SPDX-License-Identifier: MIT
# t2980-robust-fuzz-replay.sh: every fuzz harness, built as a plain program, replays its seed corpus and the regression inputs of past findings.
test_description='fuzz harnesses replay their seeds and regressions'
. "$(dirname "$0")/test-lib.sh"

FUZZ="$abs_top_builddir/tests/fuzz"
SEEDS="$TEST_DIRECTORY/fuzz/seeds"
REGRESSIONS="$TEST_DIRECTORY/fuzz/regressions"

# replay H DIR...: harness fuzz-H over DIR..., within 60 s, exit 0 and no sanitizer report
replay() {
	h=$1; shift
	timeout 120 "$FUZZ/fuzz-$h" "$@" >out 2>err
	rc=$?
	if [ $rc != 0 ] || grep -q -E 'Sanitizer|runtime error' err; then
		echo "fuzz-$h: exit $rc"; head -n 30 err; return 1
	fi
	grep -q "^replay: [1-9][0-9]* inputs$" out || { cat out; return 1; }
}

test_expect_success 'the generated seed corpora (recordings, peer fixtures, synthetic files)' '
	sh "$TEST_DIRECTORY/fuzz/corpus-seed.sh" "$abs_top_srcdir" "$abs_top_builddir" corpus >log 2>&1 ||
		{ cat log; exit 1; }
	for h in reader fold perf-script folded perfmap jitdump json events; do
		test -n "$(ls corpus/$h)" || { echo "no $h seeds"; exit 1; }
	done
'

for h in reader fold perf-script folded perfmap jitdump json events; do
	test_expect_success "fuzz-$h: seeds and regression inputs" "
		mkdir -p empty &&
		dirs=corpus/$h &&
		if [ -d '$REGRESSIONS/$h' ]; then dirs=\"\$dirs $REGRESSIONS/$h\"; fi &&
		replay $h \$dirs
	"
done

test_expect_success 'a harness is not a no-op: a truncated seed still replays, an absent file fails' '
	f=$(ls corpus/reader/* | head -n 1) &&
	head -c 100 "$f" >cut.data &&
	"$FUZZ/fuzz-reader" cut.data >out && grep -q "^replay: 1 inputs$" out &&
	test_expect_code 1 "$FUZZ/fuzz-reader" no-such-file >/dev/null 2>&1
'

test_done
