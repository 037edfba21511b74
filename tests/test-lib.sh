# SPDX-License-Identifier: MIT
# test-lib.sh: git-style shell test library for pfold, speaking TAP.
#
# A test script sets test_description, sources this file, runs
# test_expect_success blocks and ends with test_done. Each block runs in a
# subshell inside the script's own trash directory; its output goes to a log
# that is shown (as TAP comments) only when the block fails.

: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
export abs_top_srcdir abs_top_builddir
LC_ALL=C
export LC_ALL

PFOLD="$abs_top_builddir/pfold"
TEST_DIRECTORY="$abs_top_srcdir/tests"
WORKLOADS="$abs_top_builddir/tests/workloads"
HELPERS="$abs_top_builddir/tests/helpers"
PEER_FIXTURES="${PEER_FIXTURES:-$abs_top_srcdir/../shared/peer-fixtures}"
PATH="$abs_top_builddir:$HELPERS:$PATH"
export PFOLD PATH

test_name=$(basename "$0" .sh)
TRASH_DIRECTORY="$abs_top_builddir/tests/trash.$test_name"
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" || exit 1
cd "$TRASH_DIRECTORY" || exit 1

# The system perf aborts ("assertion failed at util/build-id.c") when two
# recordings update ~/.debug at once, as parallel tests would: tests record
# without touching perf's build-id cache (build ids still go in the file).
perf() {
	if [ "${1:-}" = record ]; then
		shift
		command perf record --no-buildid-cache "$@"
	else
		command perf "$@"
	fi
}

test_count=0
test_failures=0
test_prereqs=" "

say() { printf '# %s\n' "$*"; }

# test_skip_all REASON: skip the whole script visibly (TAP skip plan, exit 77)
test_skip_all() {
	printf '1..0 # SKIP %s\n' "$*"
	cd / && rm -rf "$TRASH_DIRECTORY"
	exit 77
}

test_set_prereq() { test_prereqs="$test_prereqs$1 "; }
test_have_prereq() {
	for p in $(echo "$1" | tr ',' ' '); do
		case "$test_prereqs" in *" $p "*) ;; *) return 1 ;; esac
	done
	return 0
}

# test_expect_success [PREREQ] DESCRIPTION BODY
test_expect_success() {
	prereq=
	if [ $# -eq 3 ]; then prereq=$1; shift; fi
	test_count=$((test_count + 1))
	if [ -n "$prereq" ] && ! test_have_prereq "$prereq"; then
		printf 'ok %d # SKIP %s (missing %s)\n' "$test_count" "$1" "$prereq"
		return 0
	fi
	log="$TRASH_DIRECTORY/.log.$test_count"
	( eval "$2" ) >"$log" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failures=$((test_failures + 1))
		printf 'not ok %d - %s\n' "$test_count" "$1"
		printf '%s\n' "$2" | sed 's/^/#	/'
		printf '# output (exit %d):\n' "$rc"
		tail -n 60 "$log" | sed 's/^/#   /'
	fi
}

test_done() {
	printf '1..%d\n' "$test_count"
	if [ "$test_failures" -eq 0 ]; then
		cd / && rm -rf "$TRASH_DIRECTORY"
		exit 0
	fi
	exit 1
}

# test_cmp EXPECTED ACTUAL: files equal, else show the diff
test_cmp() { diff -u "$@"; }

# test_expect_code CODE CMD...: CMD exits with exactly CODE
test_expect_code() {
	want=$1; shift
	"$@"; got=$?
	if [ "$got" != "$want" ]; then
		echo "test_expect_code: '$*' exited $got, wanted $want" >&2
		return 1
	fi
	return 0
}

# test_must_fail CMD...: CMD fails with pfold's error status 2 (not a crash)
test_must_fail() { test_expect_code 2 "$@"; }

# test_line_count OP N FILE
test_line_count() {
	n=$(wc -l <"$3")
	if ! [ "$n" "$1" "$2" ]; then
		echo "test_line_count: $3 has $n lines, wanted $1 $2" >&2
		return 1
	fi
}

# wait_until CMD...: poll CMD every 50 ms until it succeeds, for at most
# 20 s; a loaded CI machine outlasts any fixed sleep
wait_until() {
	tries=0
	until "$@"; do
		tries=$((tries + 1))
		if [ $tries -ge 400 ]; then
			echo "wait_until: '$*' still fails after 20 s" >&2
			return 1
		fi
		sleep 0.05
	done
}

# has_perf_events PID: process PID holds perf_event file descriptors
# (a recorder has opened its events)
has_perf_events() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q "perf_event"; }

# prerequisites that scripts may ask for
# (tried three times: a probe can fail while other recordings hold the
# locked-memory budget of perf's ring buffers)
perf_record_works() {
	command -v perf >/dev/null 2>&1 || return 1
	for try in 1 2 3; do
		perf record -q -o "$TRASH_DIRECTORY/.probe.data" -e cpu-clock -- true >/dev/null 2>&1 && return 0
		sleep 1
	done
	return 1
}
if perf_record_works; then test_set_prereq PERF; fi
rm -f "$TRASH_DIRECTORY/.probe.data"
if [ -r /sys/kernel/tracing/events/sched/sched_switch/id ]; then test_set_prereq TRACEFS; fi
if [ -d "$PEER_FIXTURES/perf_data_converter" ]; then test_set_prereq PEER_FIXTURES; fi
command -v node >/dev/null 2>&1 && test_set_prereq NODE
# LD_PRELOAD shims cannot sit beside the ASan runtime
[ "${PFOLD_SANITIZERS:-no}" = yes ] || test_set_prereq NO_SANITIZERS
command -v xz >/dev/null 2>&1 && test_set_prereq XZ

# python_version X.Y: path of a pyenv (or system) python X.Y, or nothing
python_version() {
	root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
	for p in "$root"/versions/"$1".*/bin/python"$1"; do
		[ -x "$p" ] && { echo "$p"; return 0; }
	done
	command -v "python$1" 2>/dev/null
}
