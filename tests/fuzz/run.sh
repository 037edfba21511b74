#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: runs each libFuzzer harness for N seconds (-max_total_time) on its seed corpus and prints the executions count; exits 1 on a finding.
#
# usage: run.sh SRCDIR FUZZDIR SECONDS HARNESS...   (HARNESS: fuzz-reader, ...)
# The corpus of fuzz-X is FUZZDIR/corpus/X (made by corpus-seed.sh on the
# first run, grown by the fuzzer), plus tests/fuzz/regressions/X. Findings
# are written as FUZZDIR/crash-* (leak-*, timeout-*, oom-*).
# JOBS (default 1) harnesses run at once; BUILDDIR (default: FUZZDIR/..)
# is the configured tree corpus-seed.sh takes recordings from.
set -e
[ $# -ge 4 ] || { echo "usage: run.sh SRCDIR FUZZDIR SECONDS HARNESS..." >&2; exit 2; }
src=$(cd "$1" && pwd) dir=$(cd "$2" && pwd) secs=$3
shift 3
JOBS=${JOBS:-1}
BUILDDIR=${BUILDDIR:-$dir/..}
[ -d "$dir/corpus" ] || sh "$src/tests/fuzz/corpus-seed.sh" "$src" "$BUILDDIR" "$dir/corpus" >&2

run_one() {
	h=$1 name=${1#fuzz-}
	mkdir -p "$dir/corpus/$name"
	log="$dir/$h.log"
	reg=$src/tests/fuzz/regressions/$name
	[ -d "$reg" ] || reg=
	# -rss_limit_mb: an input that makes pfold allocate 2 GB is a finding too
	rc=0
	( cd "$dir" && "./$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=1048576 -print_final_stats=1 -artifact_prefix="$dir/$h-" \
		"corpus/$name" ${reg:+"$reg"} ) >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ]; then
		printf '%s: %s s, %s executions, cov %s, no finding\n' "$h" "$secs" "${execs:-?}" "${cov:-?}"
	else
		printf '%s: FINDING (exit %d) after %s executions; see %s\n' "$h" $rc "${execs:-?}" "$log"
		grep -m 3 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/  /'
	fi
	return $rc
}

# every UBSan report halts, except the open issues listed (with their owner) in known-issues.supp
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$src/tests/fuzz/known-issues.supp"
export UBSAN_OPTIONS

fail=0
pids=
for h in "$@"; do
	run_one "$h" &
	pids="$pids $!"
	n=$(echo $pids | wc -w)
	if [ "$n" -ge "$JOBS" ]; then
		for p in $pids; do wait "$p" || fail=1; done
		pids=
	fi
done
for p in $pids; do wait "$p" || fail=1; done
exit $fail
