#!/bin/bash
# SPDX-License-Identifier: MIT
# t4902-safe-inputs.sh: what pfold trusts: perf maps of another user need --force, paths from a perf.data file stay under --symfs, recordings are 0600 whatever the umask.
test_description='perf map ownership, --symfs confinement, recording mode'
. "$(dirname "$0")/test-lib.sh"

id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && test_set_prereq ROOT_NOBODY

test_expect_success PERF,ROOT_NOBODY 'a perf map owned by another user is refused, with a warning, unless --force' '
	perf record -q -g -o jit.data -- "$WORKLOADS/jitnames" 100000000 >pid &&
	pid=$(cat pid) && map=/tmp/perf-$pid.map &&
	test -f $map &&
	"$PFOLD" fold -i jit.data >own.folded &&
	grep -q ";<script>alert" own.folded &&
	chown nobody $map &&
	"$PFOLD" fold -i jit.data >other.folded 2>err &&
	! grep -q ";<script>alert" other.folded &&
	grep -q "^pfold: warning: .*$map.*not owned.*--force" err &&
	"$PFOLD" fold --force -i jit.data >forced.folded &&
	grep -q ";<script>alert" forced.folded
	ret=$?; rm -f $map; exit $ret
'

# A recording of a copy of hotcold named hcxxx... (3*K x), then the same file
# with that name replaced by "/.." * K + the path of another copy: under
# --symfs DIR the object would be DIR/../../..(real path): outside DIR.
test_expect_success PERF '--symfs: a path with .. from the perf.data file is not opened outside DIR' '
	long=hc$(printf "x%.0s" $(seq 1 60)) &&
	cp "$WORKLOADS/hotcold" "$long" && cp "$WORKLOADS/hotcold" hc &&
	perf record -q -N -e cpu-clock -g -o s.data "./$long" >/dev/null 2>&1 &&
	python3 - "$PWD/$long" "$(printf "/..%.0s" $(seq 1 20))$PWD/hc" <<-\PY &&
	import sys
	a, b = sys.argv[1].encode(), sys.argv[2].encode()
	assert len(a) == len(b)
	d = open("s.data", "rb").read()
	assert d.count(a) >= 1
	open("esc.data", "wb").write(d.replace(a, b))
	PY
	mkdir -p sym &&
	"$PFOLD" fold -i s.data --kallsyms /dev/null >plain.folded 2>/dev/null &&
	grep -q ";main;hot;leaf" plain.folded &&
	"$PFOLD" fold -i esc.data --symfs sym --kallsyms /dev/null >esc.folded 2>err &&
	cat err &&
	! grep -q ";main;" esc.folded &&
	if command -v strace >/dev/null 2>&1; then
		ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=openat,open -o st "$PFOLD" fold -i esc.data --symfs sym \
			--kallsyms /dev/null >/dev/null 2>&1 &&
		! grep -v ENOENT st | grep "\"sym/\.\./"
	fi
'

test_expect_success 'a recording is 0600 even under umask 000 (it holds kernel addresses)' '
	(umask 000 && mkperf --kind hw-group --samples 2 -o u.data >/dev/null) &&
	test "$(stat -c %a u.data)" = 600
'

test_expect_success PERF 'pfold record under umask 000 writes 0600' '
	(umask 000 && "$PFOLD" record -e cpu-clock -o r.data -- true >/dev/null 2>&1) &&
	test "$(stat -c %a r.data)" = 600
'

test_done
