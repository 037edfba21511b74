#!/bin/bash
# SPDX-License-Identifier: MIT
# t2990-robust-valgrind.sh: pfold fold (and flame) under valgrind memcheck: no memory errors, no definite leaks, on good and damaged recordings.
test_description='pfold fold under valgrind memcheck'
. "$(dirname "$0")/test-lib.sh"

command -v valgrind >/dev/null 2>&1 || test_skip_all "valgrind is not installed"
[ "$PFOLD_SANITIZERS" = yes ] && test_skip_all "a sanitizer build does not run under valgrind"
# (also when PFOLD_SANITIZERS did not reach us: ASan in the binary itself)
ldd "$PFOLD" 2>/dev/null | grep -q -E "libasan|libubsan" &&
	test_skip_all "pfold is built with sanitizers: not under valgrind"

# vg CMD...: CMD under memcheck; exit 1 on any error or definite leak (else CMD's status)
vg() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 \
		--log-file=vg.log "$@"
	rc=$?
	if [ -s vg.log ]; then cat vg.log >&2; fi
	return $rc
}

printf 'ffffffff81000000 T _stext\n' >ks

test_expect_success PERF 'fold of an fp recording: same output, no errors, no leaks' '
	perf record -q -F 500 -e cpu-clock -g -o fp.data -- "$WORKLOADS/hotcold" >/dev/null 2>&1 &&
	"$PFOLD" fold --kallsyms ks -i fp.data >expect &&
	vg "$PFOLD" fold --kallsyms ks -i fp.data >actual &&
	test_cmp expect actual &&
	grep -q "main;hot;leaf" actual
'

test_expect_success PERF 'fold of a dwarf recording (unwinding), all events' '
	perf record -q -F 200 -e cpu-clock --call-graph dwarf,4096 -o dwarf.data \
		-- "$WORKLOADS/hotcold-nofp" >/dev/null 2>&1 &&
	vg "$PFOLD" fold --all-events --kallsyms ks -i dwarf.data >actual &&
	grep -q "main;hot;leaf" actual
'

test_expect_success PERF 'fold of a pipe-mode zstd recording from stdin, and a flamegraph' '
	perf record -q -F 500 -z -e cpu-clock -g -o - -- "$WORKLOADS/hotcold" 2>/dev/null >pipe.data &&
	vg "$PFOLD" fold --input perf-data --kallsyms ks -i - <pipe.data >actual &&
	grep -q "main;hot;leaf" actual &&
	vg "$PFOLD" flame -i actual -o out.svg &&
	grep -q "<svg" out.svg
'

test_expect_success PERF 'a truncated recording: exit 2, and the error path leaks nothing' '
	head -c $(( $(wc -c <fp.data) * 2 / 3 )) fp.data >cut.data &&
	test_expect_code 2 vg "$PFOLD" fold --kallsyms ks -i cut.data >/dev/null 2>err &&
	! grep -q "==[0-9]*==" err
'

test_expect_success PEER_FIXTURES 'peer files: zstd COMPRESSED2, pipe with dwarf stacks, an event group' '
	for f in linux-perf-data/sleep.compressed2.data linux-perf-data/fibo.compressed2.pipe.data \
		 perf_data_converter/perf.data.group_desc-4.14; do
		vg "$PFOLD" fold --all-events --kallsyms ks -i "$PEER_FIXTURES/$f" >/dev/null ||
			{ echo "$f"; exit 1; }
	done
'

test_done
